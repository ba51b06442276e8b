//! Fuzzes the rubric loader and checker: any text, no panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = debrief::rubric::load(text);
        let _ = debrief::rubric::check(text);
    }
});
