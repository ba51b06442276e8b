//! JSON and JSON Lines output.
//!
//! JSON: `{"debrief": {"version"}, "rubric": {"name", "version", "sha256"},
//! "evaluations": [...]}`, pretty-printed, streamed one evaluation at a time: the
//! document is never built whole, so [`Results`] states its shape once, for the
//! published JSON Schema, and a test checks the stream against it.
//! JSON Lines: one compact evaluation object per line. The fields of an
//! evaluation are documented on [`crate::evaluation::Evaluation`]; the document's
//! shape is [`Results`], whose JSON Schema `debrief schema` prints.

use schemars::JsonSchema;
use serde::Serialize;

use super::{Formatter, Provenance};
use crate::evaluation::Evaluation;

/// The results of `debrief grade --format json`: who graded with which rubric, then
/// one evaluation per transcript in input order. Each line of `--format jsonl` is
/// one of its `evaluations`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Results {
    /// debrief and the rubric the evaluations were made with.
    #[serde(flatten)]
    pub provenance: Provenance,
    /// One evaluation per transcript (a file of JSON Lines gives one per line), in
    /// input order.
    pub evaluations: Vec<Evaluation>,
}

/// Streams one JSON document.
#[derive(Debug, Default)]
pub struct JsonFormatter {
    written: usize,
}

impl Formatter for JsonFormatter {
    fn header(&mut self, provenance: &Provenance, out: &mut Vec<u8>) {
        out.extend_from_slice(b"{\n  \"debrief\": ");
        out.extend_from_slice(&to_json(&provenance.debrief));
        out.extend_from_slice(b",\n  \"rubric\": ");
        out.extend_from_slice(&to_json(&provenance.rubric));
        out.extend_from_slice(b",\n  \"evaluations\": [");
    }

    fn evaluation(&mut self, evaluation: &Evaluation, out: &mut Vec<u8>) {
        out.extend_from_slice(if self.written == 0 {
            b"\n    "
        } else {
            b",\n    "
        });
        let pretty = serde_json::to_string_pretty(evaluation).expect("evaluations serialise");
        // Raw newlines only occur between tokens (string contents are escaped).
        out.extend_from_slice(pretty.replace('\n', "\n    ").as_bytes());
        self.written += 1;
    }

    fn footer(&mut self, out: &mut Vec<u8>) {
        out.extend_from_slice(if self.written == 0 {
            b"]\n}\n"
        } else {
            b"\n  ]\n}\n"
        });
    }
}

/// One evaluation per line.
#[derive(Debug, Default)]
pub struct JsonLinesFormatter;

impl Formatter for JsonLinesFormatter {
    fn header(&mut self, _: &Provenance, _: &mut Vec<u8>) {}

    fn evaluation(&mut self, evaluation: &Evaluation, out: &mut Vec<u8>) {
        serde_json::to_writer(&mut *out, evaluation).expect("evaluations serialise");
        out.push(b'\n');
    }

    fn footer(&mut self, _: &mut Vec<u8>) {}
}

fn to_json<T: serde::Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).expect("provenance serialises")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{render, OutputFormat};
    use crate::transcript::{self, InputFormat, ReadOptions};

    /// One graded fixture, with its transcript, and one failed input.
    fn evaluations() -> (crate::rubric::CompiledRubric, Vec<Evaluation>) {
        let rubric = crate::rubric::load_default().expect("the default rubric loads");
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/interviews/solid_senior_recsys.md"
        );
        let text = std::fs::read_to_string(path).expect("the fixture reads");
        let parsed = transcript::parse(
            &text,
            InputFormat::Markdown,
            "solid",
            &ReadOptions::default(),
        );
        let transcript = parsed[0].result.as_ref().expect("the fixture parses");
        let mut graded = crate::evaluation::grade(transcript, &rubric, path, None, None)
            .expect("the fixture grades");
        graded.transcript = Some(crate::evaluation::TranscriptOut::of(transcript));
        let failed = Evaluation::failed("bad.md", "bad", "bad.md: unreadable".into(), None);
        (rubric, vec![graded, failed])
    }

    #[test]
    fn the_streamed_document_is_a_serialised_results_value() {
        let (rubric, evaluations) = evaluations();
        let provenance = Provenance::new(&rubric);
        let streamed: serde_json::Value =
            serde_json::from_slice(&render(OutputFormat::Json, &provenance, &evaluations))
                .expect("the document is JSON");
        let results = Results {
            provenance,
            evaluations,
        };
        assert_eq!(streamed, serde_json::to_value(&results).unwrap());
    }
}
