//! Who is counted: the evaluations of a results file (read by
//! [`crate::results::read`]) sorted into assessed candidates, interviews
//! too thin to assess, and files that failed, the last two counted apart and never
//! in a rate. An id seen twice counts once, at its first evaluation; the others are
//! listed as duplicates.

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::{bail, Result};

use crate::evaluation::{Assessment, Status};
use crate::results::ResultsFile;
use crate::rubric::Recommendation;

/// One assessed candidate: what the rates and means are computed from.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The transcript id, which the groups file is keyed by.
    pub id: String,
    /// debrief's recommendation.
    pub recommendation: Recommendation,
    /// The overall score.
    pub overall: f64,
    /// The six scores, in [`Dimension::ALL`](crate::rubric::Dimension::ALL) order (`None` where the file has none).
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
    /// Sorts a results file's evaluations. An evaluation that claims to be assessed
    /// must carry a recommendation and an overall score; otherwise the file is refused,
    /// naming the evaluation.
    pub fn from_results(path: &Path, results: &ResultsFile) -> Result<Population> {
        let mut population = Population {
            evaluations: results.evaluations.len(),
            ..Population::default()
        };
        let mut seen = BTreeSet::new();
        for (i, e) in results.evaluations.iter().enumerate() {
            let id = e.id.clone();
            if !seen.insert(id.clone()) {
                population.duplicates.push(id);
                continue;
            }
            if e.status == Status::Error {
                population.failed.push(id);
                continue;
            }
            // Results from before the assessment field have a recommendation for
            // every interview they graded.
            if e.assessment == Some(Assessment::Insufficient)
                || (e.recommendation.is_none() && e.assessment.is_none())
            {
                population.insufficient.push(id);
                continue;
            }
            let shown = crate::reporter::visible(&id);
            let Some(recommendation) = e.recommendation else {
                bail!(
                    "{}: evaluation {i} ({shown}): assessed but has no recommendation",
                    path.display()
                );
            };
            let Some(overall) = e.overall.filter(|o| o.is_finite()) else {
                bail!(
                    "{}: evaluation {i} ({shown}): assessed but has no overall score",
                    path.display()
                );
            };
            population.assessed.push(Candidate {
                id,
                recommendation,
                overall,
                scores: e.scores.unwrap_or_default().to_array(),
            });
        }
        Ok(population)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::rubric::Dimension;

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
        let results = crate::results::parse(&document.to_string()).unwrap();
        let population = Population::from_results(Path::new("r.json"), &results).unwrap();
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
                json!({"id": "x", "recommendation": "Yes"}),
                "r.json: evaluation 0 (x): assessed but has no overall score",
            ),
        ] {
            let document = json!({ "evaluations": [evaluation] });
            let results = crate::results::parse(&document.to_string()).unwrap();
            let error = Population::from_results(Path::new("r.json"), &results)
                .unwrap_err()
                .to_string();
            assert!(error.starts_with(expected), "{error}");
        }
        // A verdict or score of the wrong type does not get this far: the results
        // reader refuses it.
        for (evaluation, expected) in [
            (
                json!({"id": "x", "recommendation": "Maybe", "overall": 3.0}),
                "unknown variant `Maybe`",
            ),
            (
                json!({"id": "x", "recommendation": "Yes", "overall": "high"}),
                "invalid type: string \"high\", expected f64",
            ),
        ] {
            let document = json!({ "evaluations": [evaluation] });
            let error = crate::results::parse(&document.to_string()).unwrap_err();
            assert!(error.contains(expected), "{error}");
        }
    }
}
