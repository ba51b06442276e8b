//! `debrief calibrate`: agreement between debrief's results and a human panel's
//! verdicts (a CSV of `id` or `source`, `recommendation`, and any of the six score
//! columns), per dimension and for the recommendation, overall and per interviewer.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use anyhow::{bail, Context, Result};
use serde::Serialize;

use crate::agreement::quadratic_weighted_kappa;
use crate::results::{rank, Summary, RECOMMENDATIONS};
use crate::rubric::Dimension;

/// One human verdict.
#[derive(Debug, Clone, Default)]
pub struct Label {
    /// Transcript id, if the CSV has an `id` column.
    pub id: Option<String>,
    /// Input path, if the CSV has a `source` column.
    pub source: Option<String>,
    /// Recommendation rank 0-4.
    pub recommendation: Option<usize>,
    /// Scores 1-5 by dimension.
    pub scores: BTreeMap<String, i64>,
}

/// Reads the labels CSV.
pub fn read_labels(path: &Path) -> Result<Vec<Label>> {
    let text = crate::input::read_text(path)?;
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .with_context(|| format!("{}: no header row", path.display()))?
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let column = |name: &str| headers.iter().position(|h| h == name);
    let (id, source) = (column("id"), column("source"));
    if id.is_none() && source.is_none() {
        bail!("{}: needs an \"id\" or a \"source\" column", path.display());
    }
    let recommendation = column("recommendation");
    let mut labels = Vec::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (row, record) in reader.records().enumerate() {
        let line = row + 2;
        let record = record.with_context(|| format!("{}: line {line}", path.display()))?;
        let cell = |i: Option<usize>| {
            i.and_then(|i| record.get(i))
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        let mut label = Label {
            id: cell(id),
            source: cell(source),
            ..Label::default()
        };
        // A transcript labeled twice would count twice.
        let key = label.id.clone().or_else(|| label.source.clone());
        if let Some(key) = &key {
            if let Some(first) = seen.insert(key.clone(), line) {
                bail!(
                    "{}: line {line}: '{key}' is labeled again (first on line {first})",
                    path.display()
                );
            }
        }
        if let Some(text) = cell(recommendation) {
            label.recommendation = Some(rank(&text).with_context(|| {
                format!(
                    "{}: line {line}: unknown recommendation '{text}' (expected {})",
                    path.display(),
                    RECOMMENDATIONS.join(", ")
                )
            })?);
        }
        for dimension in Dimension::ALL.map(Dimension::key) {
            if let Some(text) = cell(column(dimension)) {
                let value: i64 = text
                    .parse()
                    .ok()
                    .filter(|v| (1..=5).contains(v))
                    .with_context(|| {
                        format!(
                            "{}: line {line}: {dimension} must be 1-5, found '{text}'",
                            path.display()
                        )
                    })?;
                label.scores.insert(dimension.to_string(), value);
            }
        }
        labels.push(label);
    }
    Ok(labels)
}

/// Agreement on one measure.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Agreement {
    /// Pairs compared.
    pub n: usize,
    /// Share identical.
    pub exact: f64,
    /// Share at most one step apart.
    pub within_one: f64,
    /// Cohen's quadratic weighted kappa, when defined.
    pub quadratic_weighted_kappa: Option<f64>,
    /// Rows: the panel's value; columns: debrief's.
    pub confusion: Vec<Vec<usize>>,
}

fn agreement(pairs: &[(usize, usize)], categories: usize) -> Agreement {
    let mut confusion = vec![vec![0; categories]; categories];
    for &(human, tool) in pairs {
        confusion[human][tool] += 1;
    }
    let n = pairs.len();
    let share = |count: usize| if n == 0 { 0.0 } else { count as f64 / n as f64 };
    Agreement {
        n,
        exact: share(pairs.iter().filter(|(a, b)| a == b).count()),
        within_one: share(pairs.iter().filter(|(a, b)| a.abs_diff(*b) <= 1).count()),
        // Kappa over one pair says nothing: undefined until there are two.
        quadratic_weighted_kappa: if n < 2 {
            None
        } else {
            quadratic_weighted_kappa(pairs, categories)
        },
        confusion,
    }
}

/// Agreement for the recommendation and each labeled dimension.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Measures {
    /// Recommendation agreement (classes Strong No .. Strong Yes).
    pub recommendation: Agreement,
    /// Per dimension (classes 1..5).
    pub dimensions: BTreeMap<String, Agreement>,
}

/// The calibration report.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CalibrationReport {
    /// Over all matched transcripts.
    pub overall: Measures,
    /// Per interviewer, when interviewers are known.
    pub by_interviewer: BTreeMap<String, Measures>,
    /// Labeled ids with no result.
    pub missing_results: Vec<String>,
    /// Graded ids with no label.
    pub missing_labels: Vec<String>,
    /// Results that failed to grade, so could not be compared.
    pub failed: Vec<String>,
    /// Interviews too thin to assess (no recommendation), counted apart.
    pub insufficient: Vec<String>,
}

/// Matches results to labels (by id, else source) and measures agreement.
pub fn calibrate(results: &[Summary], labels: &[Label]) -> CalibrationReport {
    let mut report = CalibrationReport::default();
    let mut matched: Vec<(&Summary, &Label)> = Vec::new();
    let mut used = vec![false; results.len()];
    for label in labels {
        let found = results.iter().position(|r| {
            label.id.as_deref().is_some_and(|id| id == r.id)
                || (label.id.is_none() && label.source.as_deref().is_some_and(|s| s == r.source))
        });
        match found {
            Some(i) => {
                used[i] = true;
                if results[i].status == "ok"
                    && results[i].recommendation.as_deref() == Some("insufficient")
                {
                    report.insufficient.push(results[i].id.clone());
                } else if results[i].status == "ok" {
                    matched.push((&results[i], label));
                } else {
                    report.failed.push(results[i].id.clone());
                }
            }
            None => report.missing_results.push(
                label
                    .id
                    .clone()
                    .or_else(|| label.source.clone())
                    .unwrap_or_default(),
            ),
        }
    }
    report.missing_labels = results
        .iter()
        .zip(&used)
        .filter(|(_, used)| !**used)
        .map(|(r, _)| r.id.clone())
        .collect();
    report.overall = measures(&matched);
    let mut groups: BTreeMap<String, Vec<(&Summary, &Label)>> = BTreeMap::new();
    for pair in &matched {
        if let Some(interviewer) = &pair.0.interviewer {
            groups.entry(interviewer.clone()).or_default().push(*pair);
        }
    }
    report.by_interviewer = groups
        .iter()
        .map(|(k, v)| (k.clone(), measures(v)))
        .collect();
    report
}

fn measures(pairs: &[(&Summary, &Label)]) -> Measures {
    let recommendation: Vec<(usize, usize)> = pairs
        .iter()
        .filter_map(|(r, l)| Some((l.recommendation?, rank(r.recommendation.as_deref()?)?)))
        .collect();
    let mut dimensions = BTreeMap::new();
    for dimension in Dimension::ALL.map(Dimension::key) {
        let scores: Vec<(usize, usize)> = pairs
            .iter()
            .filter_map(|(r, l)| {
                let human = *l.scores.get(dimension)?;
                let tool = *r.scores.get(dimension)?;
                Some((
                    (human - 1).clamp(0, 4) as usize,
                    (tool - 1).clamp(0, 4) as usize,
                ))
            })
            .collect();
        if !scores.is_empty() {
            dimensions.insert(dimension.to_string(), agreement(&scores, 5));
        }
    }
    Measures {
        recommendation: agreement(&recommendation, RECOMMENDATIONS.len()),
        dimensions,
    }
}

/// The report as text, or markdown.
pub fn render(report: &CalibrationReport, markdown: bool) -> String {
    let mut out = String::new();
    if markdown {
        let _ = writeln!(out, "## debrief calibrate\n");
    }
    write_measures(&mut out, "all transcripts", &report.overall, markdown);
    // Interviewer names and ids come from transcripts: shown, never interpreted.
    let show = |text: &str| {
        if markdown {
            crate::reporter::markdown_text(text)
        } else {
            crate::reporter::visible(text)
        }
    };
    for (interviewer, measures) in &report.by_interviewer {
        write_measures(
            &mut out,
            &format!("interviewer {}", show(interviewer)),
            measures,
            markdown,
        );
    }
    for (title, list) in [
        ("labeled but not in the results", &report.missing_results),
        ("graded but not labeled", &report.missing_labels),
        ("failed to grade", &report.failed),
        ("insufficient to assess, not compared", &report.insufficient),
    ] {
        if !list.is_empty() {
            let shown: Vec<String> = list.iter().map(|item| show(item)).collect();
            let _ = writeln!(out, "{title}: {}", shown.join(", "));
        }
    }
    out
}

fn write_measures(out: &mut String, title: &str, m: &Measures, markdown: bool) {
    let kappa = |a: &Agreement| {
        a.quadratic_weighted_kappa.map_or_else(
            || {
                if a.n < 2 {
                    "undefined (n too small)".to_string()
                } else {
                    "undefined".to_string()
                }
            },
            |k| format!("{k:.3}"),
        )
    };
    if markdown {
        let _ = writeln!(out, "### {title}\n");
        let _ = writeln!(out, "| measure | n | exact | within one | weighted kappa |");
        let _ = writeln!(out, "|---|---:|---:|---:|---:|");
    } else {
        let _ = writeln!(out, "{title}:");
    }
    let rows = std::iter::once(("recommendation", &m.recommendation))
        .chain(m.dimensions.iter().map(|(d, a)| (d.as_str(), a)));
    for (name, a) in rows {
        if markdown {
            let _ = writeln!(
                out,
                "| {name} | {} | {:.1}% | {:.1}% | {} |",
                a.n,
                a.exact * 100.0,
                a.within_one * 100.0,
                kappa(a)
            );
        } else {
            let _ = writeln!(
                out,
                "  {name:<22} n {:>4}  exact {:>5.1}%  within one {:>5.1}%  kappa {}",
                a.n,
                a.exact * 100.0,
                a.within_one * 100.0,
                kappa(a)
            );
        }
    }
    let _ = writeln!(out);
    let labels = RECOMMENDATIONS;
    let _ = writeln!(
        out,
        "{}recommendation confusion (rows: panel, columns: debrief):",
        if markdown { "" } else { "  " }
    );
    if markdown {
        let _ = writeln!(out, "\n| panel \\ debrief | {} |", labels.join(" | "));
        let _ = writeln!(out, "|---|{}", "---:|".repeat(labels.len()));
    }
    for (label, row) in labels.iter().zip(&m.recommendation.confusion) {
        let cells: Vec<String> = row.iter().map(usize::to_string).collect();
        if markdown {
            let _ = writeln!(out, "| {label} | {} |", cells.join(" | "));
        } else {
            let _ = writeln!(
                out,
                "  {label:<11} {}",
                cells.iter().map(|c| format!("{c:>5}")).collect::<String>()
            );
        }
    }
    let _ = writeln!(out);
}
