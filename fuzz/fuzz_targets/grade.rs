//! Fuzzes the whole grading path: any bytes, read in every format and graded with
//! the default rubric, never panic.
#![no_main]

use std::sync::OnceLock;

use debrief::rubric::{self, CompiledRubric};
use debrief::transcript::{self, InputFormat, ReadOptions};
use libfuzzer_sys::fuzz_target;

fn rubric() -> &'static CompiledRubric {
    static RUBRIC: OnceLock<CompiledRubric> = OnceLock::new();
    RUBRIC.get_or_init(|| rubric::load(rubric::DEFAULT_RUBRIC).expect("the default rubric loads"))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = transcript::decode_text(data) else { return };
    let format = InputFormat::sniff(&text);
    let read = ReadOptions {
        inference: rubric().speaker_inference.clone(),
        ..ReadOptions::default()
    };
    for parsed in transcript::parse(&text, format, "fuzz", &read) {
        if let Ok(t) = parsed.result {
            let _ = debrief::evaluation::grade(&t, rubric(), "fuzz", None, None);
        }
    }
});
