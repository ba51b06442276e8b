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
//! Output: JSON (these structs, serialised), CSV (`csv.rs`) and markdown with an
//! audit appendix (`markdown.rs`); [`render`] picks one. Everything is
//! deterministic: categories are sorted, no clock is read.

mod csv;
pub mod groups;
mod markdown;
pub mod population;
pub mod prose;
pub mod stats;

use std::collections::BTreeMap;

use anyhow::Result;
use serde::Serialize;
use serde_json::Value;

use crate::rubric::{Dimension, Recommendation};

pub use groups::Groups;
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

/// The adverse-impact report. Its JSON form is the wire format of `debrief impact
/// --format json`; every field is documented where it is defined.
#[derive(Debug, Clone, Serialize)]
pub struct ImpactReport {
    /// `{"version"}` of the debrief that computed this report.
    pub debrief: crate::report::ToolInfo,
    /// What was read.
    pub inputs: Inputs,
    /// The rules applied.
    pub method: Method,
    /// How many evaluations and candidates went where.
    pub counts: Counts,
    /// The median overall score of all assessed candidates: the scoring rate's
    /// cut (`null` with no assessed candidate).
    pub median_overall: Option<f64>,
    /// One table per attribute, then one per intersection of two attributes.
    pub groups: Vec<Group>,
    /// Every category and rate flagged [`Flag::Adverse`], in table order.
    pub findings: Vec<Finding>,
    /// The ids behind the counts that are not in any rate.
    pub ids: Ids,
}

/// The inputs and their provenance.
#[derive(Debug, Clone, Serialize)]
pub struct Inputs {
    /// The results file.
    pub results: InputFile,
    /// The groups file.
    pub groups: InputFile,
    /// The debrief version the results record (`null` for JSON Lines).
    pub graded_by: Option<String>,
    /// The rubric the results record (`null` for JSON Lines, which carry none).
    pub rubric: Option<RubricRef>,
}

/// A file read, by its path as given and the sha256 of its bytes.
#[derive(Debug, Clone, Serialize)]
pub struct InputFile {
    /// The path as given on the command line.
    pub path: String,
    /// sha256 of the file's bytes, lower-case hex.
    pub sha256: String,
}

/// The rubric named in a results file.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RubricRef {
    /// Its name.
    pub name: Option<String>,
    /// Its version.
    pub version: Option<String>,
    /// sha256 of its YAML.
    pub sha256: Option<String>,
}

impl RubricRef {
    /// The rubric a results document records, if any.
    pub fn of(document: &Value) -> Option<RubricRef> {
        let rubric = document.get("rubric").filter(|r| r.is_object())?;
        let field = |key: &str| rubric.get(key).and_then(Value::as_str).map(str::to_string);
        Some(RubricRef {
            name: field("name"),
            version: field("version"),
            sha256: field("sha256"),
        })
    }
}

/// The rules applied.
#[derive(Debug, Clone, Serialize)]
pub struct Method {
    /// The attribute columns analysed, in order.
    pub attributes: Vec<String>,
    /// The lowest recommendation counted as selected.
    pub select: Recommendation,
    /// Impact ratios below this are flagged.
    pub threshold: f64,
    /// A category needs at least this many candidates for a finding.
    pub min_count: usize,
    /// ... and Fisher's exact test p below this.
    pub alpha: f64,
    /// Categories under this percentage of the assessed candidates are excluded.
    pub exclude_under_percent: f64,
    /// Whether intersections of two attributes were analysed.
    pub intersections: bool,
}

/// How many evaluations and candidates went where.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Counts {
    /// Evaluations in the results file.
    pub evaluations: usize,
    /// Assessed candidates: the population of every rate.
    pub assessed: usize,
    /// Interviews too thin to assess, counted apart.
    pub insufficient: usize,
    /// Files that failed to grade, counted apart.
    pub failed: usize,
    /// Evaluations whose id was already seen, not counted again.
    pub duplicates: usize,
    /// Assessed candidates with no row in the groups file (unknown everywhere).
    pub without_groups_row: usize,
    /// Rows of the groups file whose id is in no evaluation.
    pub groups_rows_not_in_results: usize,
    /// Assessed candidates selected.
    pub selected: usize,
    /// Assessed candidates above the median overall score.
    pub above_median: usize,
}

/// The ids behind [`Counts`] that are not in any rate, sorted as in the files.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Ids {
    /// Interviews too thin to assess.
    pub insufficient: Vec<String>,
    /// Files that failed to grade.
    pub failed: Vec<String>,
    /// Ids met again.
    pub duplicates: Vec<String>,
    /// Assessed candidates with no row in the groups file.
    pub without_groups_row: Vec<String>,
    /// Groups rows with no evaluation.
    pub groups_rows_not_in_results: Vec<String>,
}

/// One attribute, or one intersection of two.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    /// The attribute (one) or attributes (two) this table is about.
    pub attributes: Vec<String>,
    /// Assessed candidates with a known value for every attribute.
    pub known: usize,
    /// Assessed candidates unknown in it (no groups row, or an empty cell).
    pub unknown: usize,
    /// Its categories, sorted by value.
    pub categories: Vec<Category>,
}

/// One category of a group (`["F"]`, or `["F", "Black"]` in an intersection).
#[derive(Debug, Clone, Serialize)]
pub struct Category {
    /// Its value of each of the group's attributes.
    pub values: Vec<String>,
    /// Its assessed candidates.
    pub n: usize,
    /// `n` over all assessed candidates.
    pub share: f64,
    /// Under `exclude_under` percent: no impact ratio, listed as excluded.
    pub excluded: bool,
    /// Selection: recommendation at or above the selection level.
    pub selection: Rate,
    /// Scoring: overall score above the median.
    pub scoring: Rate,
    /// Per dimension, the mean score and its difference from the other categories.
    pub dimensions: BTreeMap<Dimension, DimensionMean>,
}

/// A rate, its impact ratio and how to read it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Rate {
    /// Candidates counted (selected, or above the median).
    pub count: usize,
    /// `count / n`.
    pub rate: f64,
    /// The rate over the highest included category's rate (`null` when excluded,
    /// or when no category has a rate above 0).
    pub impact_ratio: Option<f64>,
    /// Fisher's exact test, two-sided, of this category against the highest
    /// (`null` for the highest itself and where there is no ratio).
    pub p_value: Option<f64>,
    /// How to read the ratio.
    pub flag: Flag,
}

/// How to read an impact ratio.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Flag {
    /// The highest rate: the ratio's denominator (1 by definition).
    Reference,
    /// At or above the threshold.
    AtOrAbove,
    /// Below the threshold, with enough candidates and p < [`ALPHA`]: a finding.
    Adverse,
    /// Below the threshold, but p >= [`ALPHA`]: a difference this size could be chance.
    NotSignificant,
    /// Below the threshold, but fewer than `min_count` candidates.
    TooFew,
    /// Under `exclude_under` percent of the candidates: no ratio computed.
    Excluded,
    /// No category has a rate above 0: no ratio can be computed.
    NoRate,
}

impl Flag {
    /// The flag in the words of the reports.
    pub fn describe(self, method: &Method) -> String {
        match self {
            Flag::Reference => "highest".to_string(),
            Flag::AtOrAbove => "ok".to_string(),
            Flag::Adverse => format!("below {}", method.threshold),
            Flag::NotSignificant => format!(
                "below {}, not significant (p >= {})",
                method.threshold, method.alpha
            ),
            Flag::TooFew => format!(
                "below {}, too few (n < {})",
                method.threshold, method.min_count
            ),
            Flag::Excluded => format!("excluded (under {}%)", method.exclude_under_percent),
            Flag::NoRate => "no rate above 0".to_string(),
        }
    }
}

/// A category's mean on one dimension.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DimensionMean {
    /// Candidates with a score on this dimension.
    pub n: usize,
    /// Their mean score (1-5).
    pub mean: f64,
    /// The 95% t-interval of the mean, clamped to 1-5 (`null` under two scores).
    pub low: Option<f64>,
    /// Its upper bound.
    pub high: Option<f64>,
    /// This mean minus the mean of the other categories' candidates (`null` when
    /// there are none).
    pub difference: Option<f64>,
    /// The 95% Welch interval of the difference, clamped to -4..4 (`null` unless
    /// both sides have two scores).
    pub difference_low: Option<f64>,
    /// Its upper bound.
    pub difference_high: Option<f64>,
}

/// A ratio called a finding: below the threshold, enough candidates, significant.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Finding {
    /// The group's attributes.
    pub attributes: Vec<String>,
    /// The category's values.
    pub values: Vec<String>,
    /// Which rate.
    pub measure: Measure,
    /// The category's candidates.
    pub n: usize,
    /// Its rate.
    pub rate: f64,
    /// The highest category's values.
    pub reference: Vec<String>,
    /// The highest category's rate.
    pub reference_rate: f64,
    /// The impact ratio.
    pub impact_ratio: f64,
    /// Fisher's exact test p-value.
    pub p_value: f64,
}

/// The two rates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Recommendation at or above the selection level.
    Selection,
    /// Overall score above the median.
    Scoring,
}

impl Measure {
    /// The measure's name in the reports.
    pub fn name(self) -> &'static str {
        match self {
            Measure::Selection => "selection",
            Measure::Scoring => "scoring",
        }
    }
}

/// The results file as read: its path, the sha256 of its bytes and its document.
#[derive(Debug, Clone, Copy)]
pub struct Results<'a> {
    /// The path as given.
    pub path: &'a std::path::Path,
    /// sha256 of its bytes.
    pub sha256: &'a str,
    /// The document ([`crate::results::read_document`]).
    pub document: &'a Value,
}

/// Computes the report from a results document and the groups file.
pub fn analyse(results: Results, groups: &Groups, options: &Options) -> Result<ImpactReport> {
    let population = Population::from_document(results.path, results.document)?;
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
        .document
        .get("evaluations")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|e| e.get("id").and_then(Value::as_str))
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
        debrief: crate::report::ToolInfo {
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
            graded_by: results
                .document
                .get("debrief")
                .and_then(|d| d.get("version"))
                .and_then(Value::as_str)
                .map(str::to_string),
            rubric: RubricRef::of(results.document),
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

impl Group {
    /// The group's name: its attributes joined by " × ".
    pub fn name(&self) -> String {
        self.attributes.join(" × ")
    }
}

impl Category {
    /// The category's name: its values joined by " × ".
    pub fn name(&self) -> String {
        self.values.join(" × ")
    }

    /// Its rate of one measure.
    pub fn rate(&self, measure: Measure) -> &Rate {
        match measure {
            Measure::Selection => &self.selection,
            Measure::Scoring => &self.scoring,
        }
    }
}

impl DimensionMean {
    /// The mean with its interval: `4.00 [2.70, 5.00]`.
    pub fn mean_text(&self) -> String {
        format!("{:.2}{}", self.mean, interval_text(self.low, self.high))
    }

    /// The difference with its interval, signed: `+2.00 [0.59, 3.41]`.
    pub fn difference_text(&self) -> Option<String> {
        self.difference.map(|d| {
            format!(
                "{d:+.2}{}",
                interval_text(self.difference_low, self.difference_high)
            )
        })
    }
}

fn interval_text(low: Option<f64>, high: Option<f64>) -> String {
    match (low, high) {
        (Some(low), Some(high)) => format!(" [{low:.2}, {high:.2}]"),
        _ => String::new(),
    }
}

impl Finding {
    /// One line for a person: `sex F: selection rate 20.0% (n 10) against 80.0% for
    /// M, ratio 0.25, p 0.0230` (the words of [`prose::finding`]).
    pub fn describe(&self) -> String {
        prose::finding(self)
            .into_iter()
            .map(|span| match span {
                prose::Span::Plain(text) | prose::Span::Team(text) | prose::Span::Code(text) => {
                    text
                }
            })
            .collect()
    }
}

/// A p-value as the reports print it: four decimals, or `< 0.0001`.
pub fn p_text(p: f64) -> String {
    if p < 0.0001 {
        "< 0.0001".to_string()
    } else {
        format!("{p:.4}")
    }
}

#[cfg(test)]
mod tests;
