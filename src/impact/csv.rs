//! The adverse-impact report as CSV, for an auditor's spreadsheet: one row per
//! category of every attribute and intersection, and one row per table for its
//! unknown candidates.
//!
//! Columns: `attributes` (joined by ` × `), `kind` (`category`, `excluded` or
//! `unknown`), `category` (values joined by ` × `; empty for `unknown`), `n`,
//! `share` (of all assessed candidates), `selected`, `selection_rate`,
//! `selection_impact_ratio`, `selection_p_value`, `selection_flag`,
//! `above_median`, `scoring_rate`, `scoring_impact_ratio`, `scoring_p_value`,
//! `scoring_flag`, then for each dimension `D` in the guide's order `D_mean`,
//! `D_low`, `D_high`, `D_difference`, `D_difference_low`, `D_difference_high`.
//! Flags are the JSON's (`reference`, `at_or_above`, `adverse`,
//! `not_significant`, `too_few`, `excluded`, `no_rate`). Numbers are written in
//! full (the shortest form that reads back exactly); an absent value is an empty
//! cell. Provenance and the rules are in the JSON and markdown forms.
//!
//! Attribute names and categories come from the team's file, so cells are
//! neutralised against spreadsheet formulas the way `grade`'s CSV is (OWASP).

use super::{Category, Flag, Group, ImpactReport, Measure, Rate};
use crate::rubric::Dimension;

/// The columns before the six dimensions' six each.
const COLUMNS: [&str; 15] = [
    "attributes",
    "kind",
    "category",
    "n",
    "share",
    "selected",
    "selection_rate",
    "selection_impact_ratio",
    "selection_p_value",
    "selection_flag",
    "above_median",
    "scoring_rate",
    "scoring_impact_ratio",
    "scoring_p_value",
    "scoring_flag",
];

/// The suffixes of each dimension's columns.
const DIMENSION_COLUMNS: [&str; 6] = [
    "mean",
    "low",
    "high",
    "difference",
    "difference_low",
    "difference_high",
];

/// Renders the report.
pub fn render(report: &ImpactReport) -> String {
    let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
    let mut header: Vec<String> = COLUMNS.iter().map(|c| c.to_string()).collect();
    for d in Dimension::ALL {
        header.extend(DIMENSION_COLUMNS.iter().map(|c| format!("{}_{c}", d.key())));
    }
    let mut rows = vec![header];
    for group in &report.groups {
        for category in &group.categories {
            rows.push(category_row(group, category, report.counts.assessed));
        }
        let mut unknown = vec![
            group.name(),
            "unknown".to_string(),
            String::new(),
            group.unknown.to_string(),
            share(group.unknown, report.counts.assessed),
        ];
        unknown.resize(rows[0].len(), String::new());
        rows.push(unknown);
    }
    for row in rows {
        writer
            .write_record(row.iter().map(|c| neutralise(c).into_owned()))
            .expect("writing CSV to memory cannot fail");
    }
    let bytes = writer
        .into_inner()
        .expect("flushing CSV to memory cannot fail");
    String::from_utf8(bytes).expect("the cells are UTF-8")
}

fn category_row(group: &Group, category: &Category, assessed: usize) -> Vec<String> {
    let mut row = vec![
        group.name(),
        if category.excluded {
            "excluded"
        } else {
            "category"
        }
        .to_string(),
        category.name(),
        category.n.to_string(),
        share(category.n, assessed),
    ];
    for measure in [Measure::Selection, Measure::Scoring] {
        rate_cells(&mut row, category.rate(measure));
    }
    for d in Dimension::ALL {
        match category.dimensions.get(&d) {
            Some(m) => row.extend(
                [
                    Some(m.mean),
                    m.low,
                    m.high,
                    m.difference,
                    m.difference_low,
                    m.difference_high,
                ]
                .map(number),
            ),
            None => row.extend(std::iter::repeat_n(String::new(), DIMENSION_COLUMNS.len())),
        }
    }
    row
}

fn rate_cells(row: &mut Vec<String>, rate: &Rate) {
    row.push(rate.count.to_string());
    row.push(number(Some(rate.rate)));
    row.push(number(rate.impact_ratio));
    row.push(number(rate.p_value));
    row.push(flag(rate.flag).to_string());
}

fn flag(flag: Flag) -> &'static str {
    match flag {
        Flag::Reference => "reference",
        Flag::AtOrAbove => "at_or_above",
        Flag::Adverse => "adverse",
        Flag::NotSignificant => "not_significant",
        Flag::TooFew => "too_few",
        Flag::Excluded => "excluded",
        Flag::NoRate => "no_rate",
    }
}

fn share(n: usize, of: usize) -> String {
    if of == 0 {
        String::new()
    } else {
        number(Some(n as f64 / of as f64))
    }
}

fn number(value: Option<f64>) -> String {
    value.map_or(String::new(), |v| v.to_string())
}

/// A cell a spreadsheet would read as a formula gets a leading `'`, as `grade`'s CSV
/// does ([`crate::reporter::neutralise`]); numbers are ours, never formulas, so a
/// negative difference stays a number.
fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.parse::<f64>().is_ok() {
        return std::borrow::Cow::Borrowed(cell);
    }
    crate::reporter::neutralise(cell)
}

#[cfg(test)]
mod tests {
    use super::neutralise;

    #[test]
    fn neutralises_formulas_but_not_numbers() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("x;=cmd|' /C calc'!A0"), "x;'=cmd|' /C calc'!A0");
        assert_eq!(neutralise("a, @SUM(A1); +1"), "a, '@SUM(A1); '+1");
        assert_eq!(neutralise("-0.25"), "-0.25");
        assert_eq!(neutralise("plain × text"), "plain × text");
    }
}
