//! `debrief eval`: grade labeled transcripts and measure agreement with their labels.
//!
//! A labeled transcript carries its expected results under the key `expect` (a
//! top-level key in JSON and JSON Lines, a front-matter key in markdown):
//!
//! ```yaml
//! expect:
//!   recommendation: "No"                  # the panel's verdict
//!   acceptable: ["Strong No", "No"]       # verdicts a reasonable panel could give
//!   red_flags: [accuracy_is_enough]       # flags really stated
//!   negated: [more_data_fixes_everything] # phrases stated only to be rejected
//!   production_experience: "no"
//!   breaches: [{rule: hint, turn: 4}]     # every interviewer breach
//!   level: staff                          # for recordings that cannot name it
//! ```
//!
//! Every key is optional; a transcript is counted in a measure only when it has
//! that key. Recordings (captions, meeting exports, speech-to-text JSON) have no
//! place for labels, so theirs sit beside them in a sidecar file named after the
//! recording plus `.expect.yaml` (`interview.vtt.expect.yaml`) holding the same
//! `expect:` mapping, and beside it, optionally, the `level:` the recording could not
//! carry; labels inside a transcript win over a sidecar.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::agreement::{quadratic_weighted_kappa, Counts};
use crate::evaluation::{Evaluation, Recommendation, Status};
use crate::scorers::production::ProductionExperience;

/// The `expect` labels of one transcript.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// The panel's recommendation.
    pub recommendation: Option<Recommendation>,
    /// Recommendations within the acceptable range.
    #[serde(default)]
    pub acceptable: Vec<Recommendation>,
    /// Red flags really stated.
    pub red_flags: Option<Vec<String>>,
    /// Red-flag phrases only negated.
    #[serde(default)]
    pub negated: Vec<String>,
    /// Production experience.
    pub production_experience: Option<ProductionExperience>,
    /// Interviewer breaches.
    pub breaches: Option<Vec<Breach>>,
    /// The level the candidate interviewed for, for recordings whose format cannot
    /// say (SRT, meeting exports); graded at this level unless the transcript names one.
    pub level: Option<String>,
}

/// A sidecar label file: the `expect` mapping, and the level the recording could
/// not carry (here or inside `expect`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Sidecar {
    expect: Expect,
    level: Option<String>,
}

/// The sidecar label file of a transcript file: `<file name>.expect.yaml`.
pub fn sidecar_path(transcript: &std::path::Path) -> std::path::PathBuf {
    let mut name = transcript.as_os_str().to_owned();
    name.push(".expect.yaml");
    std::path::PathBuf::from(name)
}

/// The labels in the sidecar file of `transcript`, if it has one.
pub fn read_sidecar(transcript: &std::path::Path) -> Option<Result<Expect, String>> {
    let path = sidecar_path(transcript);
    if !path.exists() {
        return None;
    }
    let text = match crate::input::read_text(&path) {
        Ok(text) => text,
        Err(error) => return Some(Err(format!("{error:#}"))),
    };
    Some(
        serde_saphyr::from_str::<Sidecar>(&text)
            .map(|s| Expect {
                level: s.expect.level.or(s.level),
                ..s.expect
            })
            .map_err(|e| {
                format!(
                    "{}: {}",
                    path.display(),
                    e.to_string().lines().next().unwrap_or("")
                )
            }),
    )
}

/// One labeled breach.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Breach {
    /// Rule id.
    pub rule: String,
    /// 0-based turn.
    pub turn: usize,
    /// The interviewer's words, for the reader of the labels; not compared, since a
    /// quote's extent is a matter of taste where rule and turn are not.
    #[serde(default)]
    pub quote: Option<String>,
}

/// A graded transcript and its labels.
pub struct Case {
    /// The evaluation.
    pub evaluation: Evaluation,
    /// The labels, or why they could not be read.
    pub expect: Result<Option<Expect>, String>,
}

/// Agreement of debrief with the labels.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// Transcripts read.
    pub transcripts: usize,
    /// Transcripts that failed to grade, or whose labels are invalid.
    pub failures: Vec<String>,
    /// Interviews debrief found too thin to assess (no recommendation): counted in no
    /// recommendation measure, listed here with the label they had.
    pub insufficient: Vec<String>,
    /// Recommendation agreement.
    pub recommendation: RecommendationAgreement,
    /// Red-flag detection.
    pub red_flags: FlagAgreement,
    /// Production-experience agreement.
    pub production_experience: ProductionAgreement,
    /// Interviewer-breach detection.
    pub compliance: ComplianceAgreement,
}

/// Recommendation agreement.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RecommendationAgreement {
    /// Labeled transcripts.
    pub n: usize,
    /// Same recommendation.
    pub exact: f64,
    /// Within the labeled acceptable range.
    pub within_acceptable: f64,
    /// At most one step apart.
    pub within_one: f64,
    /// Quadratic weighted kappa over the five recommendations.
    pub quadratic_weighted_kappa: Option<f64>,
    /// Outside the acceptable range: "id: expected X (acceptable ...), got Y".
    pub misses: Vec<String>,
}

/// Red-flag detection.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FlagAgreement {
    /// Labeled transcripts.
    pub n: usize,
    /// Counts over (transcript, flag) pairs.
    pub counts: Counts,
    /// tp / (tp + fp).
    pub precision: f64,
    /// tp / (tp + fn).
    pub recall: f64,
    /// Flags raised that the labels say were only negated.
    pub raised_on_negated: usize,
    /// "id: missed flag" / "id: false flag" / "id: flagged negated".
    pub errors: Vec<String>,
}

/// Production-experience agreement.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ProductionAgreement {
    /// Labeled transcripts.
    pub n: usize,
    /// Share right.
    pub accuracy: f64,
    /// "id: expected X, got Y".
    pub errors: Vec<String>,
}

/// Breach detection.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ComplianceAgreement {
    /// Labeled transcripts.
    pub n: usize,
    /// Counts over (transcript, rule, turn).
    pub counts: Counts,
    /// tp / (tp + fp).
    pub precision: f64,
    /// tp / (tp + fn).
    pub recall: f64,
    /// Per rule.
    pub per_rule: BTreeMap<String, RuleAgreement>,
    /// Breaches reported on transcripts labeled compliant.
    pub breaches_on_compliant: usize,
    /// "id: missed rule@turn" / "id: false rule@turn".
    pub errors: Vec<String>,
}

/// One rule's detection.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RuleAgreement {
    /// Counts.
    pub counts: Counts,
    /// Precision.
    pub precision: f64,
    /// Recall.
    pub recall: f64,
}

/// Measures the cases against their labels.
pub fn measure(cases: &[Case]) -> Report {
    let mut report = Report {
        transcripts: cases.len(),
        ..Report::default()
    };
    let mut pairs = Vec::new();
    let (mut exact, mut acceptable, mut within_one) = (0, 0, 0);
    let mut production_right = 0;
    for case in cases {
        let e = &case.evaluation;
        let name = format!("{} ({})", e.id, e.source);
        if e.status == Status::Error {
            report.failures.push(e.error.clone().unwrap_or_default());
            continue;
        }
        let expect = match &case.expect {
            Ok(Some(expect)) => expect,
            Ok(None) => continue,
            Err(reason) => {
                report
                    .failures
                    .push(format!("{name}: invalid labels: {reason}"));
                continue;
            }
        };
        if e.assessment == Some(crate::evaluation::Assessment::Insufficient) {
            let want = expect
                .recommendation
                .map_or("no label".into(), |r| r.to_string());
            report.insufficient.push(format!(
                "{name}: {} (labeled {want})",
                e.assessment_reason.as_deref().unwrap_or("insufficient")
            ));
        }
        if let (Some(want), Some(got)) = (expect.recommendation, e.recommendation) {
            report.recommendation.n += 1;
            pairs.push((want.rank(), got.rank()));
            exact += usize::from(want == got);
            within_one += usize::from(want.rank().abs_diff(got.rank()) <= 1);
            let range: BTreeSet<Recommendation> =
                expect.acceptable.iter().copied().chain([want]).collect();
            if range.contains(&got) {
                acceptable += 1;
            } else {
                let labels: Vec<&str> = range.iter().map(|r| r.label()).collect();
                report.recommendation.misses.push(format!(
                    "{name}: expected {} (acceptable {}), got {}",
                    want.label(),
                    labels.join(", "),
                    got.label()
                ));
            }
        }
        if let Some(flags) = &expect.red_flags {
            report.red_flags.n += 1;
            let want: BTreeSet<&str> = flags.iter().map(String::as_str).collect();
            let got: BTreeSet<&str> = e.red_flags.iter().map(|f| f.id.as_str()).collect();
            let counts = Counts {
                true_positives: want.intersection(&got).count(),
                false_positives: got.difference(&want).count(),
                false_negatives: want.difference(&got).count(),
            };
            report.red_flags.counts.add(counts);
            for flag in want.difference(&got) {
                report
                    .red_flags
                    .errors
                    .push(format!("{name}: missed {flag}"));
            }
            for flag in got.difference(&want) {
                let negated = expect.negated.iter().any(|n| n == flag);
                if negated {
                    report.red_flags.raised_on_negated += 1;
                }
                let kind = if negated {
                    "flagged negated"
                } else {
                    "false flag"
                };
                report
                    .red_flags
                    .errors
                    .push(format!("{name}: {kind} {flag}"));
            }
        }
        if let (Some(want), Some(got)) = (expect.production_experience, e.production_experience) {
            report.production_experience.n += 1;
            if want == got {
                production_right += 1;
            } else {
                report
                    .production_experience
                    .errors
                    .push(format!("{name}: expected {want:?}, got {got:?}").to_lowercase());
            }
        }
        if let (Some(breaches), Some(compliance)) = (&expect.breaches, &e.compliance) {
            let agreement = &mut report.compliance;
            agreement.n += 1;
            let want: BTreeSet<(&str, usize)> =
                breaches.iter().map(|b| (b.rule.as_str(), b.turn)).collect();
            let got: BTreeSet<(&str, usize)> = compliance
                .violations
                .iter()
                .map(|v| (v.rule.as_str(), v.turn))
                .collect();
            if want.is_empty() {
                agreement.breaches_on_compliant += got.len();
            }
            let rules: BTreeSet<&str> = want.iter().chain(&got).map(|(r, _)| *r).collect();
            for rule in rules {
                let w: BTreeSet<usize> = want.iter().filter(|b| b.0 == rule).map(|b| b.1).collect();
                let g: BTreeSet<usize> = got.iter().filter(|b| b.0 == rule).map(|b| b.1).collect();
                let counts = Counts {
                    true_positives: w.intersection(&g).count(),
                    false_positives: g.difference(&w).count(),
                    false_negatives: w.difference(&g).count(),
                };
                agreement
                    .per_rule
                    .entry(rule.to_string())
                    .or_default()
                    .counts
                    .add(counts);
                agreement.counts.add(counts);
                for turn in w.difference(&g) {
                    agreement
                        .errors
                        .push(format!("{name}: missed {rule}@{turn}"));
                }
                for turn in g.difference(&w) {
                    agreement
                        .errors
                        .push(format!("{name}: false {rule}@{turn}"));
                }
            }
        }
    }
    let share = |count: usize, n: usize| if n == 0 { 0.0 } else { count as f64 / n as f64 };
    let rec = &mut report.recommendation;
    rec.exact = share(exact, rec.n);
    rec.within_acceptable = share(acceptable, rec.n);
    rec.within_one = share(within_one, rec.n);
    rec.quadratic_weighted_kappa = quadratic_weighted_kappa(&pairs, Recommendation::ALL.len());
    report.red_flags.precision = report.red_flags.counts.precision();
    report.red_flags.recall = report.red_flags.counts.recall();
    report.production_experience.accuracy = share(production_right, report.production_experience.n);
    report.compliance.precision = report.compliance.counts.precision();
    report.compliance.recall = report.compliance.counts.recall();
    for rule in report.compliance.per_rule.values_mut() {
        rule.precision = rule.counts.precision();
        rule.recall = rule.counts.recall();
    }
    report
}

/// The report as text for a terminal or CI log.
pub fn render_text(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "transcripts: {}", report.transcripts);
    let r = &report.recommendation;
    let kappa = r
        .quadratic_weighted_kappa
        .map_or("undefined".to_string(), |k| format!("{k:.3}"));
    let _ = writeln!(
        out,
        "recommendation (n={}): exact {:.1}%, within acceptable {:.1}%, within one {:.1}%, quadratic weighted kappa {kappa}",
        r.n,
        r.exact * 100.0,
        r.within_acceptable * 100.0,
        r.within_one * 100.0
    );
    let f = &report.red_flags;
    let _ = writeln!(
        out,
        "red flags (n={}): precision {:.3}, recall {:.3}, raised on negated phrases {}",
        f.n, f.precision, f.recall, f.raised_on_negated
    );
    let p = &report.production_experience;
    let _ = writeln!(
        out,
        "production experience (n={}): accuracy {:.1}%",
        p.n,
        p.accuracy * 100.0
    );
    let c = &report.compliance;
    let _ = writeln!(
        out,
        "compliance (n={}): precision {:.3}, recall {:.3}, breaches on compliant transcripts {}",
        c.n, c.precision, c.recall, c.breaches_on_compliant
    );
    for (rule, agreement) in &c.per_rule {
        let _ = writeln!(
            out,
            "  {rule:<22} precision {:.3}  recall {:.3}  (tp {}, fp {}, fn {})",
            agreement.precision,
            agreement.recall,
            agreement.counts.true_positives,
            agreement.counts.false_positives,
            agreement.counts.false_negatives
        );
    }
    let lists = [
        ("failures", &report.failures),
        (
            "insufficient to assess (counted in no recommendation measure)",
            &report.insufficient,
        ),
        ("recommendation misses", &r.misses),
        ("red-flag errors", &f.errors),
        ("production-experience errors", &p.errors),
        ("compliance errors", &c.errors),
    ];
    for (title, list) in lists {
        if !list.is_empty() {
            let _ = writeln!(out, "{title}:");
            for line in list {
                let _ = writeln!(out, "  {}", crate::reporter::visible(line));
            }
        }
    }
    out
}
