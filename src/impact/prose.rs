//! The sentences the markdown report and the HTML section share: who was counted,
//! and the audit appendix (what was computed, on how many, with which rule and
//! threshold, from which files and rubric, and what the numbers do not show).
//!
//! They are written once, as [`Span`]s that say where each piece of text came
//! from, so each renderer escapes exactly what it must: text from the team's files
//! or the results (attribute names, paths, ids) is never interpreted as markup.

use super::{p_text, Category, Finding, Group, ImpactReport, FOUR_FIFTHS};
use crate::rubric::Recommendation;

/// At most this many ids are listed inline; the JSON has them all.
const IDS_SHOWN: usize = 10;

/// A piece of a sentence.
#[derive(Debug, Clone, PartialEq)]
pub enum Span {
    /// debrief's own words: no markup characters that need escaping.
    Plain(String),
    /// Text from the team's files or the results: shown, never interpreted.
    Team(String),
    /// A path, hash, version or id: shown as code.
    Code(String),
}

/// A titled paragraph of the appendix.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    /// Its title ("Computed", "On", ...).
    pub title: &'static str,
    /// Its text.
    pub spans: Vec<Span>,
}

fn plain(text: impl Into<String>) -> Span {
    Span::Plain(text.into())
}

/// "Yes or above", or "Strong Yes".
pub fn at_or_above(select: Recommendation) -> String {
    if select == Recommendation::StrongYes {
        select.label().to_string()
    } else {
        format!("{} or above", select.label())
    }
}

fn median(report: &ImpactReport) -> String {
    report
        .median_overall
        .map_or("none".to_string(), |m| format!("{m:.2}"))
}

/// The finding rule in words: "impact ratio below 0.8, at least 5 candidates, p < 0.05".
pub fn finding_rule(report: &ImpactReport) -> String {
    let m = &report.method;
    format!(
        "impact ratio below {}, at least {} candidates, p < {}",
        m.threshold, m.min_count, m.alpha
    )
}

/// A finding in words: `sex F: selection rate 20.0% (n 10) against 80.0% for M,
/// ratio 0.25, p 0.0230`.
pub fn finding(finding: &Finding) -> Vec<Span> {
    vec![
        Span::Team(finding.attributes.join(" × ")),
        plain(" "),
        Span::Team(finding.values.join(" × ")),
        plain(format!(
            ": {} rate {:.1}% (n {}) against {:.1}% for ",
            finding.measure.name(),
            finding.rate * 100.0,
            finding.n,
            finding.reference_rate * 100.0
        )),
        Span::Team(finding.reference.join(" × ")),
        plain(format!(
            ", ratio {:.2}, p {}",
            finding.impact_ratio,
            p_text(finding.p_value)
        )),
    ]
}

/// `1 repeated id`, `2 repeated ids`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Who was counted, and who was not and why.
pub fn population(report: &ImpactReport) -> Vec<Span> {
    let c = &report.counts;
    let share = |k: usize| {
        if c.assessed == 0 {
            String::new()
        } else {
            format!(", {:.1}%", 100.0 * k as f64 / c.assessed as f64)
        }
    };
    let mut text = format!(
        "{} assessed candidates of {} evaluations. Selected (recommendation {}): {}{}. \
         Above the median overall score ({}): {}{}.",
        c.assessed,
        c.evaluations,
        at_or_above(report.method.select),
        c.selected,
        share(c.selected),
        median(report),
        c.above_median,
        share(c.above_median),
    );
    let mut apart = Vec::new();
    if c.insufficient > 0 {
        apart.push(format!("{} insufficient to assess", c.insufficient));
    }
    if c.failed > 0 {
        apart.push(format!("{} failed to grade", c.failed));
    }
    if c.duplicates > 0 {
        apart.push(count(c.duplicates, "repeated id", "repeated ids"));
    }
    if !apart.is_empty() {
        text.push_str(&format!(
            " Counted apart, in no rate: {}.",
            apart.join(", ")
        ));
    }
    let mut spans = vec![plain(text)];
    if c.without_groups_row > 0 {
        spans.push(plain(format!(
            " {} no row in the groups file and {} unknown in every table: ",
            count(
                c.without_groups_row,
                "assessed candidate has",
                "assessed candidates have"
            ),
            if c.without_groups_row == 1 {
                "is"
            } else {
                "are"
            }
        )));
        let ids = &report.ids.without_groups_row;
        for (i, id) in ids.iter().take(IDS_SHOWN).enumerate() {
            if i > 0 {
                spans.push(plain(", "));
            }
            spans.push(Span::Code(id.clone()));
        }
        if ids.len() > IDS_SHOWN {
            spans.push(plain(format!(" and {} more", ids.len() - IDS_SHOWN)));
        }
        spans.push(plain("."));
    }
    if c.groups_rows_not_in_results > 0 {
        spans.push(plain(format!(
            " {} of the groups file {} no evaluation.",
            count(c.groups_rows_not_in_results, "row", "rows"),
            if c.groups_rows_not_in_results == 1 {
                "matches"
            } else {
                "match"
            }
        )));
    }
    spans
}

/// Under a group's title: how many are in a category, how many unknown, and which
/// categories are excluded from the impact ratios.
pub fn group_note(report: &ImpactReport, group: &Group) -> Vec<Span> {
    let mut spans = vec![plain(format!(
        "{} candidates in a category, {} unknown (no row or an empty cell).",
        group.known, group.unknown
    ))];
    let excluded: Vec<&Category> = group.categories.iter().filter(|c| c.excluded).collect();
    if !excluded.is_empty() {
        spans.push(plain(format!(
            " Excluded from the impact ratios (under {}% of the candidates): ",
            report.method.exclude_under_percent
        )));
        for (i, category) in excluded.iter().enumerate() {
            if i > 0 {
                spans.push(plain(", "));
            }
            spans.push(Span::Team(category.name()));
        }
        spans.push(plain("."));
    }
    spans
}

/// The audit appendix.
pub fn appendix(report: &ImpactReport) -> Vec<Note> {
    let m = &report.method;
    let c = &report.counts;
    let inputs = &report.inputs;
    let mut computed = vec![plain("for each attribute (")];
    for (i, attribute) in m.attributes.iter().enumerate() {
        if i > 0 {
            computed.push(plain(", "));
        }
        computed.push(Span::Team(attribute.clone()));
    }
    computed.push(plain(format!(
        "){}, per category: the number of candidates, the selection rate, the scoring rate, \
         each rate's impact ratio and Fisher's exact test against the highest category, and \
         the mean of each of the six dimension scores.",
        if m.intersections && m.attributes.len() > 1 {
            " and each intersection of two"
        } else {
            ""
        }
    )));
    let mut on = vec![
        plain(format!(
            "{} assessed candidates of {} evaluations in ",
            c.assessed, c.evaluations
        )),
        Span::Code(inputs.results.path.clone()),
        plain(" (sha256 "),
        Span::Code(inputs.results.sha256.clone()),
    ];
    if let Some(version) = &inputs.graded_by {
        on.push(plain(", graded by debrief "));
        on.push(Span::Code(version.clone()));
    }
    on.extend([
        plain("); the groups from "),
        Span::Code(inputs.groups.path.clone()),
        plain(" (sha256 "),
        Span::Code(inputs.groups.sha256.clone()),
        plain(format!(
            "). Interviews too thin to assess ({}) and files that failed to grade ({}) are in \
             no rate; a repeated id ({}) counts once.",
            c.insufficient, c.failed, c.duplicates
        )),
    ]);
    let rubric = match &inputs.rubric {
        Some(r) => vec![
            Span::Code(r.name.clone().unwrap_or_else(|| "(unnamed)".into())),
            plain(" "),
            Span::Code(r.version.clone().unwrap_or_default()),
            plain(", sha256 "),
            Span::Code(r.sha256.clone().unwrap_or_else(|| "(none)".into())),
            plain(", as the results record it."),
        ],
        None => vec![plain(
            "not recorded (JSON Lines results carry no rubric; grade's JSON does).",
        )],
    };
    vec![
        Note {
            title: "Computed",
            spans: computed,
        },
        Note {
            title: "On",
            spans: on,
        },
        Note {
            title: "Rubric",
            spans: rubric,
        },
        Note {
            title: "Selection rate",
            spans: vec![plain(format!(
                "(NYC Local Law 144, 6 RCNY 5-300) the share of a category's candidates whose \
                 recommendation is {}.",
                at_or_above(m.select)
            ))],
        },
        Note {
            title: "Scoring rate",
            spans: vec![plain(format!(
                "(6 RCNY 5-300) the share of a category's candidates whose overall score is \
                 above the median of all {} assessed candidates ({}); a score equal to the \
                 median is not above it.",
                c.assessed,
                median(report)
            ))],
        },
        Note {
            title: "Impact ratio",
            spans: vec![plain(
                "(6 RCNY 5-300) a category's rate divided by the rate of the category with the \
                 highest rate.",
            )],
        },
        Note {
            title: "Threshold",
            spans: vec![plain(if m.threshold == FOUR_FIFTHS {
                format!(
                    "{}, the four-fifths rule of the Uniform Guidelines (29 CFR 1607.4(D)).",
                    m.threshold
                )
            } else {
                format!(
                    "{} (the four-fifths rule of 29 CFR 1607.4(D) uses 0.8).",
                    m.threshold
                )
            })],
        },
        Note {
            title: "Small samples",
            spans: vec![plain(format!(
                "a ratio below {} is a finding only when the category has at least {} \
                 candidates and Fisher's exact test (two-sided) of its rate against the highest \
                 category's gives p < {}; otherwise the table says which condition it misses.",
                m.threshold, m.min_count, m.alpha
            ))],
        },
        Note {
            title: "Unknown",
            spans: vec![plain(format!(
                "a candidate whose id has no row in the groups file, or whose cell is empty, is \
                 counted as unknown for that attribute and is in no category ({} have no row).",
                c.without_groups_row
            ))],
        },
        Note {
            title: "Excluded",
            spans: vec![plain(format!(
                "categories under {}% of the assessed candidates have no impact ratio \
                 (6 RCNY 5-301 allows leaving out categories under 2%); their numbers and \
                 rates are still shown.",
                m.exclude_under_percent
            ))],
        },
        Note {
            title: "Intervals",
            spans: vec![plain(
                "95% Student-t for a mean, 95% Welch for its difference from the candidates of \
                 the other categories, clamped to the 1-5 score range.",
            )],
        },
        Note {
            title: "Computed by",
            spans: vec![
                plain("debrief "),
                Span::Code(report.debrief.version.clone()),
                plain("."),
            ],
        },
        Note {
            title: "What this does not show",
            spans: vec![plain(
                "an impact ratio measures a difference in outcomes, not its cause; the \
                 attributes come from the team's file, not from debrief, and are only as right \
                 as it is; a small category's rate moves a lot with one candidate, flagged or \
                 not; and the report is about debrief's recommendation and score, not the \
                 hiring decision made with them.",
            )],
        },
    ]
}
