//! Fuzzes the json reader: decoding and parsing never panic.
#![no_main]

use debrief::transcript::{self, InputFormat, ReadOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = transcript::decode_text(data) {
        let _ = transcript::parse(&text, InputFormat::Json, "fuzz", &ReadOptions::default());
    }
});
