//! The JSON Schema of `grade`'s JSON output, generated from the types that write it
//! ([`Results`] and everything an [`Evaluation`](crate::evaluation::Evaluation)
//! holds), so it cannot drift from the output: serde's renames and skips are read
//! from the same attributes, and every description is a doc comment.
//!
//! `debrief schema` prints it; `make schema` writes it to `docs/schema/evaluation.json`,
//! and a test fails when the committed file differs.

use schemars::generate::SchemaSettings;

use super::Results;

/// The JSON Schema (draft 2020-12) of the document `grade --format json` writes,
/// pretty-printed with a final newline. A line of `--format jsonl` is its
/// `#/$defs/Evaluation`.
///
/// It describes what debrief writes (serde's serialisation contract): a field that
/// is always written is required, even when its value may be `null`.
pub fn json_schema() -> String {
    let generator = SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator();
    let schema = generator.into_root_schema_for::<Results>();
    let mut text = serde_json::to_string_pretty(&schema).expect("a schema serialises");
    text.push('\n');
    text
}
