//! Exit codes, in one place. "Found a problem" is distinct from "the tool failed".
//!
//! | code | meaning |
//! |------|---------|
//! | 0 | every input graded |
//! | 1 | a gate failed (later: baseline drift, calibration, `--fail-under`) |
//! | 2 | fatal: bad arguments, invalid rubric, output not writable; nothing written |
//! | 3 | some inputs failed; the rest were graded and written |
//! | 130 | interrupted (Ctrl-C); no output file written or replaced |

/// Every input graded.
pub const SUCCESS: u8 = 0;
/// A gate failed.
pub const GATE_FAILED: u8 = 1;
/// Bad arguments, invalid rubric, output not writable; nothing written.
pub const FATAL: u8 = 2;
/// Some inputs failed; the rest were graded and written.
pub const SOME_INPUTS_FAILED: u8 = 3;
/// Interrupted by Ctrl-C.
pub const INTERRUPTED: u8 = 130;
