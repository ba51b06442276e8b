//! The transcript as an evaluation carries it, on request: every turn with its
//! number, role, speaker, time and words, so a reader of the results (the HTML
//! report's transcript view) can show what was said and link each cited turn to it.
//!
//! It is written only when asked for (`grade --with-transcript`, and always for
//! `grade --format html`): default JSON, JSON Lines and CSV stay as they were, and a
//! results file without it still reads.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::transcript::{timestamp, Role, Transcript};

/// The turns of a graded transcript, as read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TranscriptOut {
    /// Every turn in order; a turn's position is the `turn` the rest of the
    /// evaluation cites.
    pub turns: Vec<TurnOut>,
}

/// One turn in the output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TurnOut {
    /// 0-based turn, as every other `turn` field counts.
    pub turn: usize,
    /// `interviewer` or `candidate`.
    pub role: Role,
    /// The speaker's name when the input gives one, else `null`.
    pub speaker: Option<String>,
    /// The turn's offset from the start, `HH:MM:SS`, when the input has times.
    pub at: Option<String>,
    /// What was said, as read.
    pub text: String,
}

impl TranscriptOut {
    /// The output form of `transcript`'s turns.
    pub fn of(transcript: &Transcript) -> TranscriptOut {
        TranscriptOut {
            turns: transcript
                .turns
                .iter()
                .enumerate()
                .map(|(turn, t)| TurnOut {
                    turn,
                    role: t.role,
                    speaker: t.speaker.clone(),
                    at: t.at_ms.map(timestamp::format_ms),
                    text: t.text.clone(),
                })
                .collect(),
        }
    }
}
