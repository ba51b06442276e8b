//! Reading graded results back: the JSON document `grade` writes (`{"debrief",
//! "rubric", "evaluations"}`), or JSON Lines of evaluations, as a [`ResultsFile`] of
//! typed [`Evaluation`]s: the types that write the output read it, so the reader and
//! the writer have one schema. What an older file may leave out is decided on those
//! types, by their `#[serde(default)]`s: an evaluation, its scores and its compliance
//! may lack any field (an evaluation without an `id` is refused here), and the fields
//! added to the others after they first appeared (a red flag's `basis`, an exchange's
//! `score` and `dimensions`) read as they would have then. Fields a newer debrief adds
//! are ignored. Also owns the reduction `diff` and `calibrate` compare ([`Summary`]).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::{anyhow, Result};
use serde::de::IgnoredAny;
use serde::Deserialize;

use crate::evaluation::{Assessment, Dimension, Evaluation, Status};
use crate::provenance::{RubricInfo, ToolInfo};

/// What `diff` and `calibrate` need of one evaluation.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Summary {
    /// Transcript id.
    pub id: String,
    /// Input path.
    pub source: String,
    /// "ok" or "error".
    pub status: String,
    /// Error reason, for failed transcripts.
    pub error: Option<String>,
    /// Interviewer name.
    pub interviewer: Option<String>,
    /// The six scores by dimension.
    pub scores: BTreeMap<String, i64>,
    /// The recommendation label.
    pub recommendation: Option<String>,
    /// Red flags raised, as `id@turn`.
    pub red_flags: BTreeSet<String>,
    /// Compliance breaches, as `rule@turn`.
    pub breaches: BTreeSet<String>,
    /// Rubric rules behind the scores and caps: evidence rules, red flags, caps.
    pub rules: BTreeSet<String>,
    /// The overall score.
    pub overall: Option<f64>,
    /// How the recommendation was reached (`recommendation_basis`).
    pub basis: Vec<String>,
}

/// A results file as read: who graded with which rubric, when the file says (grade's
/// JSON does; JSON Lines carry no provenance), and the evaluations in file order. The
/// reading side of [`crate::report::Results`], whose provenance is always there.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResultsFile {
    /// debrief's version.
    pub debrief: Option<ToolInfo>,
    /// The rubric the evaluations were made with.
    pub rubric: Option<RubricInfo>,
    /// One evaluation per transcript.
    pub evaluations: Vec<Evaluation>,
}

impl ResultsFile {
    /// The sha256 of the rubric the file was graded with, when it records one.
    pub fn rubric_sha256(&self) -> Option<String> {
        self.rubric.as_ref().map(|rubric| rubric.sha256.clone())
    }

    /// What `diff` and `calibrate` compare of each evaluation.
    pub fn summaries(&self) -> Vec<Summary> {
        self.evaluations.iter().map(Summary::of).collect()
    }
}

/// The top level of a JSON results file: grade's document, or one evaluation (which
/// has an `id`).
#[derive(Deserialize)]
struct Document {
    debrief: Option<ToolInfo>,
    rubric: Option<RubricInfo>,
    evaluations: Option<Vec<Evaluation>>,
    id: Option<IgnoredAny>,
}

/// Reads a results file (size-limited, as every input that is not a transcript):
/// `grade`'s JSON document, one evaluation, or JSON Lines of evaluations (see
/// [`parse`]). Every error is one line naming the file.
pub fn read(path: &Path) -> Result<ResultsFile> {
    let text = crate::input::read_text(path)?;
    parse(&text).map_err(|e| anyhow!("{}: {e}", path.display()))
}

/// Parses the text of a results file: `grade`'s JSON document, one evaluation, or
/// JSON Lines of evaluations. A file with no evaluation, or an evaluation without an
/// `id`, is refused: a truncated results file must not pass for an empty batch.
///
/// An evaluation that carries an `error` is read as failed, whatever its `status`.
pub fn parse(text: &str) -> Result<ResultsFile, String> {
    let mut file = parse_any(text)?;
    if file.evaluations.is_empty() {
        return Err("no evaluations (an empty or truncated results file?)".into());
    }
    for (i, e) in file.evaluations.iter_mut().enumerate() {
        if e.id.is_empty() {
            return Err(format!("evaluation {i} has no \"id\""));
        }
        if e.error.is_some() {
            e.status = Status::Error;
        }
    }
    Ok(file)
}

/// The evaluations of a results file's text, as they are.
fn parse_any(text: &str) -> Result<ResultsFile, String> {
    if text.trim_start().starts_with('{') {
        match serde_json::from_str::<Document>(text) {
            Ok(Document {
                evaluations: Some(evaluations),
                debrief,
                rubric,
                ..
            }) => {
                return Ok(ResultsFile {
                    debrief,
                    rubric,
                    evaluations,
                })
            }
            Ok(Document { id: Some(_), .. }) => {
                let evaluation = serde_json::from_str(text).map_err(|e| e.to_string())?;
                return Ok(ResultsFile {
                    evaluations: vec![evaluation],
                    ..ResultsFile::default()
                });
            }
            Ok(_) => return Err("not debrief results (no \"evaluations\" array)".into()),
            Err(e) if e.is_data() => return Err(e.to_string()),
            // Not one JSON value: JSON Lines, whose first line is an object.
            Err(_) => {}
        }
    }
    let evaluations = text
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| {
            // serde would take an array for an evaluation's fields in order.
            if !line.trim_start().starts_with('{') {
                return Err(format!(
                    "line {}: not a JSON evaluation: not an object",
                    i + 1
                ));
            }
            serde_json::from_str(line)
                .map_err(|e| format!("line {}: not a JSON evaluation: {e}", i + 1))
        })
        .collect::<Result<Vec<Evaluation>, String>>()?;
    Ok(ResultsFile {
        evaluations,
        ..ResultsFile::default()
    })
}

impl Summary {
    /// Reduces one evaluation to what `diff` and `calibrate` compare.
    pub fn of(e: &Evaluation) -> Summary {
        let mut summary = Summary {
            id: e.id.clone(),
            source: e.source.clone(),
            status: match e.status {
                Status::Ok => "ok",
                Status::Error => "error",
            }
            .to_string(),
            error: e.error.clone(),
            interviewer: e.interviewer.clone(),
            // An interview too thin to assess has no recommendation; it reads as
            // "insufficient", so a change to or from it is a flip in `diff`.
            recommendation: match (e.recommendation, e.assessment) {
                (Some(recommendation), _) => Some(recommendation.label().to_string()),
                (None, Some(Assessment::Insufficient)) => Some("insufficient".to_string()),
                (None, _) => None,
            },
            overall: e.overall,
            ..Summary::default()
        };
        if let Some(scores) = e.scores {
            for (dimension, score) in Dimension::ALL.into_iter().zip(scores.to_array()) {
                if let Some(score) = score {
                    summary
                        .scores
                        .insert(dimension.key().to_string(), i64::from(score));
                }
            }
        }
        for flag in &e.red_flags {
            summary
                .red_flags
                .insert(format!("{}@{}", flag.id, flag.turn));
            summary.rules.insert(format!("red_flag:{}", flag.id));
        }
        for v in e.compliance.iter().flat_map(|c| &c.violations) {
            summary.breaches.insert(format!("{}@{}", v.rule, v.turn));
        }
        for item in e.evidence.values().flatten() {
            // "concept:regularization (explained)" -> the rule id with its kind.
            summary.rules.insert(item.rule.clone());
        }
        for line in &e.recommendation_basis {
            if line.starts_with("capped") {
                summary.rules.insert(format!("cap: {line}"));
            }
            summary.basis.push(line.clone());
        }
        summary
    }
}

/// The five recommendations from worst to best.
pub const RECOMMENDATIONS: [&str; 5] = crate::rubric::Recommendation::LABELS;

/// A recommendation's rank, 0-4.
pub fn rank(recommendation: &str) -> Option<usize> {
    RECOMMENDATIONS
        .iter()
        .position(|r| r.eq_ignore_ascii_case(recommendation.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{render, OutputFormat, Provenance};

    fn fixture(name: &str) -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .join(name)
    }

    /// The baseline is `grade`'s JSON of every bundled fixture: read, then written
    /// again, it is the same bytes, so reading loses nothing the output holds.
    #[test]
    fn grades_json_reads_back_losslessly() {
        let path = fixture("baseline.json");
        let file = read(&path).unwrap();
        assert!(file.evaluations.len() > 300);
        let provenance = Provenance {
            debrief: file.debrief.clone().unwrap(),
            rubric: file.rubric.clone().unwrap(),
        };
        let written = render(OutputFormat::Json, &provenance, &file.evaluations);
        assert!(
            written == std::fs::read(&path).unwrap(),
            "baseline.json differs"
        );
        let lines = render(OutputFormat::JsonLines, &provenance, &file.evaluations);
        let from_lines = parse(std::str::from_utf8(&lines).unwrap()).unwrap();
        assert_eq!(from_lines.evaluations, file.evaluations);
        assert_eq!((from_lines.debrief, from_lines.rubric), (None, None));
    }

    #[test]
    fn hand_written_and_older_results_read() {
        let base = read(&fixture("diff/base.json")).unwrap();
        assert_eq!(base.rubric_sha256().as_deref(), Some("a"));
        assert_eq!(
            base.summaries()[1].breaches,
            BTreeSet::from(["hint@4".into()])
        );
        let impact = read(&fixture("impact/results.json")).unwrap();
        assert!(impact.evaluations.iter().all(|e| e.red_flags.is_empty()));
        let single = parse(r#"{"id": "a", "recommendation": "Yes"}"#).unwrap();
        assert_eq!(single.summaries()[0].recommendation.as_deref(), Some("Yes"));
    }

    #[test]
    fn an_evaluation_with_an_error_is_failed_and_one_without_id_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.jsonl");
        std::fs::write(&path, "{\"id\": \"a\", \"error\": \"a.md: empty\"}\n").unwrap();
        assert_eq!(read(&path).unwrap().evaluations[0].status, Status::Error);
        std::fs::write(&path, "{\"id\": \"a\"}\n{\"source\": \"b.md\"}\n").unwrap();
        let error = read(&path).unwrap_err().to_string();
        assert!(
            error.ends_with("r.jsonl: evaluation 1 has no \"id\""),
            "{error}"
        );
    }

    #[test]
    fn what_is_not_results_is_refused_in_one_line() {
        for (text, message) in [
            ("", "no evaluations"),
            ("\n\n", "no evaluations"),
            ("{\"evaluations\": []}", "no evaluations"),
            ("[]", "line 1: not a JSON evaluation: not an object"),
            ("null", "line 1: not a JSON evaluation: not an object"),
            ("{\"id\": \"a\"}\n[\"b\"]\n", "line 2: not a JSON evaluation: not an object"),
            ("{\"evaluations\": [1, \"x\"]}", "invalid type: integer `1`, expected an evaluation object at line 1 column 18"),
            ("{\"debrief\": {\"version\": \"0.1.0\"}}", "not debrief results (no \"evaluations\" array)"),
            (
                "{\"evaluations\": [\n  {\"id\": \"a\",\n   \"scores\": {\"ml_fundamentals\": \"4\"}}\n]}",
                "invalid type: string \"4\", expected a score from 1 to 5 (or null) at line 3 column 36",
            ),
            ("{\"evaluations\": [{\"id\": \"a\", \"recommendation\": \"Maybe\"}]}", "unknown variant `Maybe`"),
            ("{\"evaluations\": [{\"id\": \"a\"}", "line 1: not a JSON evaluation: EOF while parsing"),
            ("{\"id\": \"a\"}\n{\"id\": ", "line 2: not a JSON evaluation: EOF while parsing"),
        ] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("r.json");
            std::fs::write(&path, text).unwrap();
            let error = format!("{:#}", read(&path).unwrap_err());
            assert!(
                error.starts_with(&format!("{}: ", path.display())) && error.contains(message),
                "{text}: {error}"
            );
            assert!(!error.contains('\n'), "{error}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// A results file damaged anywhere is read or refused, and what is read renders
        /// and reduces without a panic.
        #[test]
        fn damaged_results_read_or_are_refused(cut in 0usize..2_000, insert in "\\PC{0,12}") {
            let base = std::fs::read_to_string(fixture("diff/base.json")).unwrap();
            let cut = cut.min(base.len());
            proptest::prop_assume!(base.is_char_boundary(cut));
            let text = format!("{}{insert}{}", &base[..cut], &base[cut..]);
            if let Ok(file) = parse(&text) {
                let page = crate::report::html::render(&file);
                proptest::prop_assert!(page.ends_with("</html>\n"));
                proptest::prop_assert_eq!(file.summaries().len(), file.evaluations.len());
            }
        }
    }
}
