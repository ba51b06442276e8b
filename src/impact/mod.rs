//! Adverse-impact reports (`debrief impact`, and the section `debrief report
//! --groups` adds to the HTML page): does debrief's verdict fall differently on
//! candidates of different groups?
//!
//! This module owns the computation and its wire format. The team supplies the
//! groups ([`groups`]: a CSV of transcript id and attribute columns); the results
//! supply the candidates ([`population`]: assessed interviews only, the
//! insufficient and the failed counted apart). For each attribute and, by default,
//! each intersection of two, every category gets:
//!
//! - its **selection rate**: the share of its candidates whose recommendation is at
//!   or above the selection level (default `Yes`), as NYC Local Law 144 defines it
//!   (6 RCNY 5-300);
//! - its **scoring rate**: the share whose overall score is strictly above the
//!   median overall score of all assessed candidates (LL144's rule for scores; a
//!   candidate exactly at the median is not above it);
//! - for each, its **impact ratio**: its rate over the highest category's rate;
//! - a [`Flag`]: a ratio below the threshold (four-fifths, 0.8, after 29 CFR
//!   1607.4(D)) is called a finding only when the category has at least
//!   `min_count` candidates and Fisher's exact test against the highest category
//!   gives p < [`ALPHA`]; otherwise it is shown as below, with the reason it is
//!   not a finding;
//! - the mean of each of the six dimension scores with its 95% t-interval, and
//!   its difference from the candidates of the other categories with a 95% Welch
//!   interval.
//!
//! Candidates whose id has no row in the groups file, or an empty cell, are
//! unknown for that attribute: counted and reported, never put in a category.
//! Categories under `exclude_under` percent of the assessed candidates are
//! excluded from the impact ratios (LL144 allows it below 2%) and listed as such.
//!
//! The report is a value ([`ImpactReport`], defined with its wire format in
//! `model.rs`); [`render`] writes it as JSON, as CSV (`csv.rs`) or as markdown with
//! an audit appendix (`markdown.rs`). Everything is deterministic: categories are
//! sorted, no clock is read.

mod csv;
pub mod groups;
mod markdown;
mod model;
pub mod population;
pub mod prose;
pub mod stats;

use std::collections::BTreeMap;

use anyhow::Result;

use crate::rubric::{Dimension, Recommendation};

pub use groups::Groups;
pub use model::{
    p_text, Category, Counts, DimensionMean, Finding, Flag, Group, Ids, ImpactReport, InputFile,
    Inputs, Measure, Method, Rate, RubricRef,
};
pub use population::{Candidate, Population};

/// The significance level of the small-sample rule: a ratio below the threshold
/// is a finding only when Fisher's exact test gives p below this.
pub const ALPHA: f64 = 0.05;

/// The four-fifths rule's threshold (29 CFR 1607.4(D)).
pub const FOUR_FIFTHS: f64 = 0.8;

/// What to compute: the typed form of the command line.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Attribute columns to analyse; empty for every column of the groups file.
    pub by: Vec<String>,
    /// The lowest recommendation that counts as selected.
    pub select: Recommendation,
    /// Impact ratios below this are flagged (and fail `--fail-under`).
    pub threshold: f64,
    /// Fewer candidates than this in a category: a low ratio is not a finding.
    pub min_count: usize,
    /// Categories under this percentage of the assessed candidates are excluded.
    pub exclude_under: f64,
    /// Whether to analyse each intersection of two attributes too.
    pub intersections: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            by: Vec::new(),
            select: Recommendation::Yes,
            threshold: FOUR_FIFTHS,
            min_count: 5,
            exclude_under: 2.0,
            intersections: true,
        }
    }
}

/// Output formats of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Markdown with an audit appendix, for a CI step summary.
    Markdown,
    /// One CSV row per category.
    Csv,
    /// One JSON document: [`ImpactReport`].
    Json,
}

impl Format {
    /// The format an output file's extension implies.
    pub fn from_extension(path: &std::path::Path) -> Option<Format> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "md" | "markdown" => Some(Format::Markdown),
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            _ => None,
        }
    }
}

/// Renders a report in a format.
pub fn render(report: &ImpactReport, format: Format) -> String {
    match format {
        Format::Markdown => markdown::render(report),
        Format::Csv => csv::render(report),
        Format::Json => serde_json::to_string_pretty(report).expect("the report serialises") + "\n",
    }
}

/// The results file as read: its path, the sha256 of its bytes and its evaluations.
#[derive(Debug, Clone, Copy)]
pub struct Results<'a> {
    /// The path as given.
    pub path: &'a std::path::Path,
    /// sha256 of its bytes.
    pub sha256: &'a str,
    /// What it holds ([`crate::results::read`]).
    pub file: &'a crate::results::ResultsFile,
}

/// Computes the report from a results file and the groups file.
pub fn analyse(results: Results, groups: &Groups, options: &Options) -> Result<ImpactReport> {
    let population = Population::from_results(results.path, results.file)?;
    let columns = groups.select(&options.by)?;
    let method = Method {
        attributes: columns.iter().map(|&c| groups.columns[c].clone()).collect(),
        select: options.select,
        threshold: options.threshold,
        min_count: options.min_count,
        alpha: ALPHA,
        exclude_under_percent: options.exclude_under,
        intersections: options.intersections,
    };
    let assessed = &population.assessed;
    let overall: Vec<f64> = assessed.iter().map(|c| c.overall).collect();
    let median_overall = stats::median(&overall);
    let context = Context {
        candidates: assessed,
        groups,
        method: &method,
        median: median_overall,
        table: stats::LogFactorials::up_to(assessed.len()),
    };
    let mut sets: Vec<Vec<usize>> = columns.iter().map(|&c| vec![c]).collect();
    if options.intersections {
        for (i, &a) in columns.iter().enumerate() {
            for &b in &columns[i + 1..] {
                sets.push(vec![a, b]);
            }
        }
    }
    let tables: Vec<Group> = sets.iter().map(|set| context.group(set)).collect();
    let findings = findings(&tables);
    let in_results: std::collections::BTreeSet<&str> = results
        .file
        .evaluations
        .iter()
        .map(|e| e.id.as_str())
        .collect();
    let ids = Ids {
        insufficient: population.insufficient.clone(),
        failed: population.failed.clone(),
        duplicates: population.duplicates.clone(),
        without_groups_row: assessed
            .iter()
            .filter(|c| !groups.has(&c.id))
            .map(|c| c.id.clone())
            .collect(),
        groups_rows_not_in_results: groups
            .ids()
            .filter(|id| !in_results.contains(id))
            .map(str::to_string)
            .collect(),
    };
    let counts = Counts {
        evaluations: population.evaluations,
        assessed: assessed.len(),
        insufficient: ids.insufficient.len(),
        failed: ids.failed.len(),
        duplicates: ids.duplicates.len(),
        without_groups_row: ids.without_groups_row.len(),
        groups_rows_not_in_results: ids.groups_rows_not_in_results.len(),
        selected: assessed.iter().filter(|c| context.selected(c)).count(),
        above_median: assessed.iter().filter(|c| context.above_median(c)).count(),
    };
    Ok(ImpactReport {
        debrief: crate::provenance::ToolInfo {
            version: env!("CARGO_PKG_VERSION").to_string(),
        },
        inputs: Inputs {
            results: InputFile {
                path: results.path.display().to_string(),
                sha256: results.sha256.to_string(),
            },
            groups: InputFile {
                path: groups.path.display().to_string(),
                sha256: groups.sha256.clone(),
            },
            graded_by: results.file.debrief.as_ref().map(|d| d.version.clone()),
            rubric: RubricRef::of(results.file),
        },
        method,
        counts,
        median_overall,
        groups: tables,
        findings,
        ids,
    })
}

/// What every table is computed from.
struct Context<'a> {
    candidates: &'a [Candidate],
    groups: &'a Groups,
    method: &'a Method,
    median: Option<f64>,
    table: stats::LogFactorials,
}

impl Context<'_> {
    fn selected(&self, candidate: &Candidate) -> bool {
        candidate.recommendation >= self.method.select
    }

    /// Strictly above: a candidate at the median is not above it.
    fn above_median(&self, candidate: &Candidate) -> bool {
        self.median.is_some_and(|m| candidate.overall > m)
    }

    /// The table of one attribute or intersection (`columns`).
    fn group(&self, columns: &[usize]) -> Group {
        let mut members: BTreeMap<Vec<&str>, Vec<&Candidate>> = BTreeMap::new();
        let mut unknown = 0;
        for candidate in self.candidates {
            let values: Option<Vec<&str>> = columns
                .iter()
                .map(|&c| self.groups.value(&candidate.id, c))
                .collect();
            match values {
                Some(values) => members.entry(values).or_default().push(candidate),
                None => unknown += 1,
            }
        }
        let total = self.candidates.len();
        let cells: Vec<(&Vec<&str>, &Vec<&Candidate>)> = members.iter().collect();
        let excluded: Vec<bool> = cells
            .iter()
            .map(|(_, m)| {
                (m.len() as f64) * 100.0 < self.method.exclude_under_percent * total as f64
            })
            .collect();
        let sizes: Vec<usize> = cells.iter().map(|(_, m)| m.len()).collect();
        let count = |keep: &dyn Fn(&Candidate) -> bool| -> Vec<usize> {
            cells
                .iter()
                .map(|(_, m)| m.iter().filter(|c| keep(c)).count())
                .collect()
        };
        let selection = self.rates(&count(&|c| self.selected(c)), &sizes, &excluded);
        let scoring = self.rates(&count(&|c| self.above_median(c)), &sizes, &excluded);
        let categories = cells
            .iter()
            .enumerate()
            .map(|(i, (values, m))| Category {
                values: values.iter().map(|v| v.to_string()).collect(),
                n: m.len(),
                share: m.len() as f64 / total as f64,
                excluded: excluded[i],
                selection: selection[i].clone(),
                scoring: scoring[i].clone(),
                dimensions: dimension_means(&cells, i),
            })
            .collect();
        Group {
            attributes: columns
                .iter()
                .map(|&c| self.groups.columns[c].clone())
                .collect(),
            known: sizes.iter().sum(),
            unknown,
            categories,
        }
    }

    /// Rates, impact ratios, p-values and flags of one measure over a group's
    /// categories (`counts[i]` of `sizes[i]` counted).
    fn rates(&self, counts: &[usize], sizes: &[usize], excluded: &[bool]) -> Vec<Rate> {
        // The highest rate among the included categories, compared exactly as
        // fractions; ties go to the larger category, then the first by value.
        let reference = (0..counts.len())
            .filter(|&i| !excluded[i])
            .reduce(|best, i| {
                let (ours, theirs) = (
                    counts[i] as u128 * sizes[best] as u128,
                    counts[best] as u128 * sizes[i] as u128,
                );
                if ours > theirs || (ours == theirs && sizes[i] > sizes[best]) {
                    i
                } else {
                    best
                }
            })
            .filter(|&r| counts[r] > 0);
        (0..counts.len())
            .map(|i| {
                let rate = counts[i] as f64 / sizes[i] as f64;
                let (impact_ratio, p_value, flag) = match reference {
                    _ if excluded[i] => (None, None, Flag::Excluded),
                    None => (None, None, Flag::NoRate),
                    Some(r) if r == i => (Some(1.0), None, Flag::Reference),
                    Some(r) => {
                        // One division of exact integers: a ratio of exactly 4/5
                        // compares equal to 0.8.
                        let ratio = (counts[i] * sizes[r]) as f64 / (counts[r] * sizes[i]) as f64;
                        let p = stats::fisher_exact(
                            counts[i],
                            sizes[i] - counts[i],
                            counts[r],
                            sizes[r] - counts[r],
                            &self.table,
                        );
                        let flag = if ratio >= self.method.threshold {
                            Flag::AtOrAbove
                        } else if sizes[i] < self.method.min_count {
                            Flag::TooFew
                        } else if p >= self.method.alpha {
                            Flag::NotSignificant
                        } else {
                            Flag::Adverse
                        };
                        (Some(ratio), Some(p), flag)
                    }
                };
                Rate {
                    count: counts[i],
                    rate,
                    impact_ratio,
                    p_value,
                    flag,
                }
            })
            .collect()
    }
}

/// Per dimension, the mean of category `i` and its difference from the candidates
/// of the group's other categories.
fn dimension_means(
    cells: &[(&Vec<&str>, &Vec<&Candidate>)],
    i: usize,
) -> BTreeMap<Dimension, DimensionMean> {
    let scores = |members: &[&Candidate], d: Dimension| -> Vec<f64> {
        members
            .iter()
            .filter_map(|c| c.scores[d.index()].map(f64::from))
            .collect()
    };
    let mut means = BTreeMap::new();
    for d in Dimension::ALL {
        let ours = scores(cells[i].1, d);
        let others: Vec<f64> = cells
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .flat_map(|(_, (_, m))| scores(m, d))
            .collect();
        let Some(mean) = stats::mean_interval(&ours) else {
            continue;
        };
        let difference = stats::difference_interval(&ours, &others);
        let clamp = |bound: Option<(f64, f64)>, limit: f64, low: bool| {
            bound.map(|(l, h)| (if low { l } else { h }).clamp(-limit, limit))
        };
        means.insert(
            d,
            DimensionMean {
                n: ours.len(),
                mean: mean.value,
                low: mean.interval.map(|(l, _)| l.max(1.0)),
                high: mean.interval.map(|(_, h)| h.min(5.0)),
                difference: difference.map(|e| e.value),
                difference_low: clamp(difference.and_then(|e| e.interval), 4.0, true),
                difference_high: clamp(difference.and_then(|e| e.interval), 4.0, false),
            },
        );
    }
    means
}

/// Every [`Flag::Adverse`] rate, in table order, selection before scoring.
fn findings(groups: &[Group]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for group in groups {
        for measure in [Measure::Selection, Measure::Scoring] {
            let rate = |c: &Category| match measure {
                Measure::Selection => c.selection.clone(),
                Measure::Scoring => c.scoring.clone(),
            };
            let Some(reference) = group
                .categories
                .iter()
                .find(|c| rate(c).flag == Flag::Reference)
            else {
                continue;
            };
            for category in &group.categories {
                let r = rate(category);
                if let (Flag::Adverse, Some(ratio), Some(p)) = (r.flag, r.impact_ratio, r.p_value) {
                    findings.push(Finding {
                        attributes: group.attributes.clone(),
                        values: category.values.clone(),
                        measure,
                        n: category.n,
                        rate: r.rate,
                        reference: reference.values.clone(),
                        reference_rate: rate(reference).rate,
                        impact_ratio: ratio,
                        p_value: p,
                    });
                }
            }
        }
    }
    findings
}

#[cfg(test)]
mod tests;
