//! Reading graded results back: the JSON document `grade` writes (or JSON Lines of
//! evaluations), reduced to what `diff` and `calibrate` compare. Read as plain JSON
//! values so results from older or newer debrief versions still load.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::{bail, Context, Result};
use serde_json::Value;

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

/// Reads a results file as a `grade` JSON document (`{"debrief", "rubric",
/// "evaluations"}`); JSON Lines of evaluations become a document without provenance.
/// A file with no evaluation, or whose evaluations are not objects with an `id` and
/// scores from 1 to 5 (or null), is refused: a truncated results file must not pass for
/// an empty batch.
pub fn read_document(path: &Path) -> Result<Value> {
    let document = read_any_document(path)?;
    let evaluations = document["evaluations"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    if evaluations.is_empty() {
        bail!(
            "{}: no evaluations (an empty or truncated results file?)",
            path.display()
        );
    }
    for (i, e) in evaluations.iter().enumerate() {
        let Some(object) = e.as_object() else {
            bail!("{}: evaluation {i} is not an object", path.display());
        };
        if !object.get("id").is_some_and(Value::is_string) {
            bail!("{}: evaluation {i} has no \"id\"", path.display());
        }
        if let Some(Value::Object(scores)) = object.get("scores") {
            for (dimension, value) in scores {
                if !(value.is_null() || value.as_u64().is_some_and(|v| (1..=5).contains(&v))) {
                    bail!(
                        "{}: evaluation {i}: score {dimension} is not a number from 1 to 5: {value}",
                        path.display()
                    );
                }
            }
        }
    }
    Ok(document)
}

fn read_any_document(path: &Path) -> Result<Value> {
    let text = crate::input::read_text(path)?;
    if text.trim_start().starts_with('{') {
        if let Ok(document) = serde_json::from_str::<Value>(&text) {
            return match document.get("evaluations") {
                Some(Value::Array(_)) => Ok(document),
                _ if document.get("id").is_some() => {
                    Ok(serde_json::json!({ "evaluations": [document] }))
                }
                _ => bail!(
                    "{}: not debrief results (no \"evaluations\" array)",
                    path.display()
                ),
            };
        }
    }
    let evaluations = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).with_context(|| {
                format!("{}: line {}: not a JSON evaluation", path.display(), i + 1)
            })
        })
        .collect::<Result<Vec<Value>>>()?;
    Ok(serde_json::json!({ "evaluations": evaluations }))
}

/// Reads a results file: `grade`'s JSON document, or JSON Lines of evaluations.
pub fn read(path: &Path) -> Result<Vec<Summary>> {
    let document = read_document(path)?;
    let evaluations = document["evaluations"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    evaluations
        .iter()
        .enumerate()
        .map(|(i, e)| summarize(e).with_context(|| format!("{}: evaluation {i}", path.display())))
        .collect()
}

/// The sha256 of the rubric a results file was graded with, when it records one
/// (grade's JSON does; JSON Lines carry no provenance).
pub fn rubric_sha256(path: &Path) -> Result<Option<String>> {
    let document = read_any_document(path)?;
    Ok(document["rubric"]["sha256"].as_str().map(str::to_string))
}

/// Reduces one evaluation (as JSON) to a [`Summary`].
pub fn summarize(e: &Value) -> Result<Summary> {
    let text = |key: &str| e.get(key).and_then(Value::as_str).map(str::to_string);
    let Some(id) = text("id") else {
        bail!("no \"id\"");
    };
    let mut summary = Summary {
        id,
        source: text("source").unwrap_or_default(),
        status: text("status").unwrap_or_else(|| "ok".into()),
        error: text("error"),
        interviewer: text("interviewer"),
        // An interview too thin to assess has no recommendation; it reads as
        // "insufficient", so a change to or from it is a flip in `diff`.
        recommendation: text("recommendation").or_else(|| {
            (text("assessment").as_deref() == Some("insufficient"))
                .then(|| "insufficient".to_string())
        }),
        ..Summary::default()
    };
    if let Some(Value::Object(scores)) = e.get("scores") {
        for (dimension, value) in scores {
            if let Some(value) = value.as_i64() {
                summary.scores.insert(dimension.clone(), value);
            }
        }
    }
    for flag in e
        .get("red_flags")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let id = flag.get("id").and_then(Value::as_str).unwrap_or("?");
        let turn = flag.get("turn").and_then(Value::as_u64).unwrap_or(0);
        summary.red_flags.insert(format!("{id}@{turn}"));
        summary.rules.insert(format!("red_flag:{id}"));
    }
    let violations = e
        .get("compliance")
        .and_then(|c| c.get("violations"))
        .and_then(Value::as_array);
    for v in violations.into_iter().flatten() {
        let rule = v.get("rule").and_then(Value::as_str).unwrap_or("?");
        let turn = v.get("turn").and_then(Value::as_u64).unwrap_or(0);
        summary.breaches.insert(format!("{rule}@{turn}"));
    }
    if let Some(Value::Object(evidence)) = e.get("evidence") {
        for items in evidence.values() {
            for item in items.as_array().into_iter().flatten() {
                if let Some(rule) = item.get("rule").and_then(Value::as_str) {
                    // "concept:regularization (explained)" -> the rule id with its kind.
                    summary.rules.insert(rule.to_string());
                }
            }
        }
    }
    for basis in e
        .get("recommendation_basis")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(line) = basis.as_str() {
            if line.starts_with("capped") {
                summary.rules.insert(format!("cap: {line}"));
            }
            summary.basis.push(line.to_string());
        }
    }
    summary.overall = e.get("overall").and_then(Value::as_f64);
    Ok(summary)
}

/// The five recommendations from worst to best.
pub const RECOMMENDATIONS: [&str; 5] = crate::rubric::Recommendation::LABELS;

/// A recommendation's rank, 0-4.
pub fn rank(recommendation: &str) -> Option<usize> {
    RECOMMENDATIONS
        .iter()
        .position(|r| r.eq_ignore_ascii_case(recommendation.trim()))
}
