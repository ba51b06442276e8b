//! Fuzzes the caption and export readers (WebVTT, SRT, meeting text) and speaker
//! attribution: any bytes never panic.
#![no_main]

use debrief::transcript::{self, InputFormat, ReadOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = transcript::decode_text(data) else { return };
    for format in [InputFormat::Vtt, InputFormat::Srt, InputFormat::Text] {
        let _ = transcript::parse(&text, format, "fuzz", &ReadOptions::default());
    }
});
