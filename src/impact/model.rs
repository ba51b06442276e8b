//! The adverse-impact report's wire format: what `debrief impact --format json`
//! writes, field by field, and what the markdown, CSV and HTML renderers read. The
//! computation that fills it is in the module above.

use std::collections::BTreeMap;

use serde::Serialize;

use super::prose;
use crate::rubric::{Dimension, Recommendation};

/// The adverse-impact report. Its JSON form is the wire format of `debrief impact
/// --format json`; every field is documented where it is defined.
#[derive(Debug, Clone, Serialize)]
pub struct ImpactReport {
    /// `{"version"}` of the debrief that computed this report.
    pub debrief: crate::provenance::ToolInfo,
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
    /// The rubric a results file records, if any.
    pub fn of(results: &crate::results::ResultsFile) -> Option<RubricRef> {
        let rubric = results.rubric.as_ref()?;
        Some(RubricRef {
            name: Some(rubric.name.clone()),
            version: Some(rubric.version.clone()),
            sha256: Some(rubric.sha256.clone()),
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
    /// Below the threshold, with enough candidates and p < [`ALPHA`](super::ALPHA): a finding.
    Adverse,
    /// Below the threshold, but p >= [`ALPHA`](super::ALPHA): a difference this size could be chance.
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
