//! JSON and JSON Lines output.
//!
//! JSON: `{"debrief": {"version"}, "rubric": {"name", "version", "sha256"},
//! "evaluations": [...]}`, pretty-printed, streamed one evaluation at a time.
//! JSON Lines: one compact evaluation object per line. The fields of an
//! evaluation are documented on [`crate::evaluation::Evaluation`].

use super::{Formatter, Provenance};
use crate::evaluation::Evaluation;

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
