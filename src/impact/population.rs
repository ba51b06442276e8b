//! Who is counted: the evaluations of a results file (read by
//! [`crate::results::read_document`]) sorted into assessed candidates, interviews
//! too thin to assess, and files that failed, the last two counted apart and never
//! in a rate. An id seen twice counts once, at its first evaluation; the others are
//! listed as duplicates.

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::{bail, Result};
use serde_json::Value;

use crate::rubric::{Dimension, Recommendation};

/// One assessed candidate: what the rates and means are computed from.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The transcript id, which the groups file is keyed by.
    pub id: String,
    /// debrief's recommendation.
    pub recommendation: Recommendation,
    /// The overall score.
    pub overall: f64,
    /// The six scores, in [`Dimension::ALL`] order (`None` where the file has none).
    pub scores: [Option<u8>; 6],
}

/// The evaluations of a results file, sorted.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Population {
    /// Evaluations in the file.
    pub evaluations: usize,
    /// Assessed candidates, in file order.
    pub assessed: Vec<Candidate>,
    /// Ids of interviews too thin to assess (`assessment: "insufficient"`).
    pub insufficient: Vec<String>,
    /// Ids of files that failed to grade (`status: "error"`).
    pub failed: Vec<String>,
    /// Ids met again after their first evaluation, in file order.
    pub duplicates: Vec<String>,
}

impl Population {
    /// Sorts a results document's evaluations. An evaluation that claims to be
    /// assessed must carry a known recommendation and a numeric overall score;
    /// otherwise the file is refused, naming the evaluation.
    pub fn from_document(path: &Path, document: &Value) -> Result<Population> {
        let evaluations = document
            .get("evaluations")
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        let mut population = Population {
            evaluations: evaluations.len(),
            ..Population::default()
        };
        let mut seen = BTreeSet::new();
        for (i, e) in evaluations.iter().enumerate() {
            let text = |key: &str| e.get(key).and_then(Value::as_str);
            let id = text("id").unwrap_or_default().to_string();
            if !seen.insert(id.clone()) {
                population.duplicates.push(id);
                continue;
            }
            let failed = match text("status") {
                Some(status) => status == "error",
                None => text("error").is_some(),
            };
            if failed {
                population.failed.push(id);
                continue;
            }
            let recommendation = text("recommendation");
            // Results from before the assessment field have a recommendation for
            // every interview they graded.
            if text("assessment") == Some("insufficient")
                || (recommendation.is_none() && e.get("assessment").is_none())
            {
                population.insufficient.push(id);
                continue;
            }
            let shown = crate::reporter::visible(&id);
            let Some(label) = recommendation else {
                bail!(
                    "{}: evaluation {i} ({shown}): assessed but has no recommendation",
                    path.display()
                );
            };
            let Some(recommendation) = Recommendation::from_label(label) else {
                bail!(
                    "{}: evaluation {i} ({shown}): unknown recommendation \"{}\" (expected {})",
                    path.display(),
                    crate::reporter::visible(label),
                    Recommendation::LABELS.join(", ")
                );
            };
            let Some(overall) = e
                .get("overall")
                .and_then(Value::as_f64)
                .filter(|o| o.is_finite())
            else {
                bail!(
                    "{}: evaluation {i} ({shown}): assessed but has no overall score",
                    path.display()
                );
            };
            let scores = Dimension::ALL.map(|d| {
                e.get("scores")
                    .and_then(|s| s.get(d.key()))
                    .and_then(Value::as_u64)
                    .and_then(|v| u8::try_from(v).ok())
            });
            population.assessed.push(Candidate {
                id,
                recommendation,
                overall,
                scores,
            });
        }
        Ok(population)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn sorts_assessed_insufficient_failed_and_duplicates() {
        let document = json!({"evaluations": [
            {"id": "a", "status": "ok", "assessment": "assessed", "recommendation": "Yes",
             "overall": 4.1, "scores": {"communication": 4, "ml_fundamentals": null}},
            {"id": "b", "status": "ok", "assessment": "insufficient", "recommendation": null,
             "overall": null},
            {"id": "c", "status": "error", "error": "c.json: empty"},
            {"id": "a", "status": "ok", "assessment": "assessed", "recommendation": "No",
             "overall": 2.0},
            {"id": "d", "recommendation": "Strong No", "overall": 1.2}
        ]});
        let population = Population::from_document(Path::new("r.json"), &document).unwrap();
        assert_eq!(population.evaluations, 5);
        assert_eq!(population.insufficient, ["b"]);
        assert_eq!(population.failed, ["c"]);
        assert_eq!(population.duplicates, ["a"]);
        let ids: Vec<&str> = population.assessed.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["a", "d"]);
        let a = &population.assessed[0];
        assert_eq!(a.recommendation, Recommendation::Yes);
        assert_eq!(a.overall, 4.1);
        assert_eq!(a.scores[Dimension::Communication.index()], Some(4));
        assert_eq!(a.scores[Dimension::MlFundamentals.index()], None);
    }

    #[test]
    fn an_assessed_evaluation_without_a_verdict_is_refused() {
        for (evaluation, expected) in [
            (
                json!({"id": "x", "assessment": "assessed", "overall": 3.0}),
                "r.json: evaluation 0 (x): assessed but has no recommendation",
            ),
            (
                json!({"id": "x", "recommendation": "Maybe", "overall": 3.0}),
                "r.json: evaluation 0 (x): unknown recommendation \"Maybe\"",
            ),
            (
                json!({"id": "x", "recommendation": "Yes", "overall": "high"}),
                "r.json: evaluation 0 (x): assessed but has no overall score",
            ),
        ] {
            let document = json!({ "evaluations": [evaluation] });
            let error = Population::from_document(Path::new("r.json"), &document)
                .unwrap_err()
                .to_string();
            assert!(error.starts_with(expected), "{error}");
        }
    }
}
