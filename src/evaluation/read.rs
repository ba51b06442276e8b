//! Reading an evaluation back: what `Deserialize` needs beyond the derives on the
//! output types themselves, so one set of types both writes and reads the output.
//!
//! It owns the reading of a score (`null`, or a whole number from 1 to 5: anything
//! else is refused with serde's message and its place in the file), the default of a
//! red flag's `basis`. Every output type, the scorers' own included, derives
//! `Deserialize` beside `Serialize`.
//!
//! What an older results file may leave out is decided on the types: a
//! `#[serde(default)]` there (with `#[schemars(!default)]`, as the JSON Schema
//! describes what debrief writes, where every field is there).

use std::fmt;

use serde::de::{self, Deserializer, Unexpected, Visitor};

use crate::scorers::red_flags::FlagBasis;

/// Reads one of the six scores: `null`, or a whole number from 1 to 5.
pub(super) fn score<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u8>, D::Error> {
    deserializer.deserialize_option(ScoreVisitor)
}

struct ScoreVisitor;

impl<'de> Visitor<'de> for ScoreVisitor {
    type Value = Option<u8>;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a score from 1 to 5 (or null)")
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<u8>, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<u8>, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<u8>, D::Error> {
        deserializer.deserialize_any(ScoreVisitor)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Option<u8>, E> {
        match u8::try_from(value) {
            Ok(score @ 1..=5) => Ok(Some(score)),
            _ => Err(E::invalid_value(Unexpected::Unsigned(value), &self)),
        }
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Option<u8>, E> {
        match u64::try_from(value) {
            Ok(value) => self.visit_u64(value),
            Err(_) => Err(E::invalid_value(Unexpected::Signed(value), &self)),
        }
    }
}

/// A red flag's `basis` in results from before derived flags: every flag was stated.
pub(super) fn stated() -> FlagBasis {
    FlagBasis::Stated
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluation::{Evaluation, ExchangeOut, RedFlagOut, Scores, Status, TranscriptOut};
    use crate::scorers::concepts::MentionKind;
    use crate::transcript::{self, InputFormat, ReadOptions};

    /// Every fixture under `fixtures/interviews` and `fixtures/formats` graded, with its
    /// transcript (speakers, timings, exchanges, flags and breaches of every kind), and
    /// one input that failed.
    fn graded() -> Vec<Evaluation> {
        let rubric = crate::rubric::load_default().expect("the default rubric loads");
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut evaluations = vec![Evaluation::failed(
            "bad.md",
            "bad",
            "bad.md: unreadable".into(),
            None,
        )];
        for dir in ["interviews", "formats"] {
            let mut paths: Vec<_> = std::fs::read_dir(root.join(dir))
                .unwrap()
                .map(|entry| entry.unwrap().path())
                .filter(|path| path.is_file())
                .collect();
            paths.sort();
            for path in paths {
                let Some(format) = InputFormat::from_path(&path) else {
                    continue;
                };
                let text = std::fs::read_to_string(&path).unwrap();
                let stem = path.file_stem().unwrap().to_str().unwrap();
                for parsed in transcript::parse(&text, format, stem, &ReadOptions::default()) {
                    let Ok(transcript) = parsed.result else {
                        continue;
                    };
                    let source = path.display().to_string();
                    let mut e = crate::evaluation::grade(&transcript, &rubric, &source, None, None)
                        .expect("a fixture grades");
                    e.transcript = Some(TranscriptOut::of(&transcript));
                    evaluations.push(e);
                }
            }
        }
        evaluations
    }

    #[test]
    fn a_written_evaluation_reads_back_as_it_was() {
        let evaluations = graded();
        assert!(evaluations.len() > 15, "{}", evaluations.len());
        assert!(evaluations.iter().any(|e| e.speakers.is_some()));
        for e in &evaluations {
            let read: Evaluation = serde_json::from_str(&serde_json::to_string(e).unwrap())
                .unwrap_or_else(|error| panic!("{}: {error}", e.id));
            assert_eq!(&read, e, "{}", e.id);
        }
    }

    #[test]
    fn fields_an_older_debrief_did_not_write_read_as_empty() {
        let read: Evaluation = serde_json::from_str(
            r#"{"id": "a", "source": "a.md", "scores": {"communication": 4},
                "red_flags": [{"id": "accuracy_is_enough", "turn": 3, "quote": "q"}],
                "compliance": {"score": 90, "violations": [
                    {"rule": "hint", "turn": 4, "quote": "Have you considered L2?", "message": "a hint"}]},
                "exchanges": [{"question_turn": 0, "answer_turns": [1], "question_id": null,
                    "question_kind": "bank", "phase": 1, "quality": 90, "band": "high",
                    "covered": [], "missing": []}],
                "written_by_a_later_debrief": {"ignored": true}}"#,
        )
        .unwrap();
        assert_eq!(read.status, Status::Ok);
        assert_eq!(
            read.scores,
            Some(Scores {
                communication: Some(4),
                ..Scores::default()
            })
        );
        assert_eq!(
            read.red_flags,
            [RedFlagOut {
                id: "accuracy_is_enough".into(),
                turn: 3,
                quote: "q".into(),
                basis: FlagBasis::Stated,
            }]
        );
        let compliance = read.compliance.as_ref().unwrap();
        assert_eq!(
            (compliance.score, compliance.checks, compliance.passed),
            (90, 0, 0)
        );
        assert_eq!(compliance.violations[0].at, None);
        let ExchangeOut {
            score, dimensions, ..
        } = &read.exchanges[0];
        assert_eq!((*score, dimensions.len()), (0, 0));
        assert!(read.recommendation_basis.is_empty() && read.transcript.is_none());
        let bare: Evaluation = serde_json::from_str("{}").unwrap();
        assert_eq!(bare, Evaluation::default());
    }

    #[test]
    fn a_score_is_null_or_a_whole_number_from_1_to_5() {
        let scores = |value: &str| {
            serde_json::from_str::<Scores>(&format!("{{\"math_foundation\": {value}}}"))
                .map(|s| s.math_foundation)
                .map_err(|e| e.to_string())
        };
        assert_eq!(scores("null"), Ok(None));
        assert_eq!(scores("1"), Ok(Some(1)));
        assert_eq!(scores("5"), Ok(Some(5)));
        for bad in [
            "0", "6", "300", "-1", "4.5", "4.0", "1e308", "\"4\"", "true", "[4]",
        ] {
            let error = scores(bad).unwrap_err();
            assert!(
                error.contains("expected a score from 1 to 5 (or null) at line 1"),
                "{bad}: {error}"
            );
        }
    }

    #[test]
    fn the_scorers_enums_read_as_they_are_written() {
        for kind in [
            MentionKind::Explained,
            MentionKind::Bare,
            MentionKind::Echoed,
            MentionKind::Listed,
        ] {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(serde_json::from_str::<MentionKind>(&json).unwrap(), kind);
        }
        for basis in [FlagBasis::Stated, FlagBasis::Derived] {
            let json = serde_json::to_string(&basis).unwrap();
            assert_eq!(serde_json::from_str::<FlagBasis>(&json).unwrap(), basis);
        }
    }
}
