//! The transcript model and the readers that produce it.
//!
//! A transcript is an ordered list of [`Turn`]s plus optional metadata. Every reader
//! turns raw bytes into this one model, so nothing downstream knows which format a
//! transcript came from. Formats that label turns by role (native JSON, chat-log
//! JSON, JSON Lines, markdown) give a [`Transcript`] directly. Formats that only
//! name speakers (WebVTT, SRT, meeting exports, speech-to-text JSON) give a
//! [`speakers::Recording`], and [`speakers::attribute`] decides who interviews.
//! Readers return one-line [`ReadError`]s that carry the line and column when the
//! parser knows them; the batch layer adds the file name.

mod captions;
mod decode;
mod json;
mod markdown;
mod meeting;
pub mod speakers;
mod srt;
mod stt;
pub mod timestamp;
mod vtt;

use std::fmt;
use std::path::Path;

pub use decode::{decode_lines, decode_text};
pub(crate) use markdown::yaml_message;
pub use speakers::{Attribution, InferenceRules, SpeakerNames, SpeakerRole};

/// Who speaks a turn.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The person or agent running the interview.
    Interviewer,
    /// The person being interviewed.
    Candidate,
}

impl Role {
    /// Parses a speaker or chat role name, case-insensitively: `interviewer` and
    /// `assistant` are the interviewer, `candidate` and `user` the candidate.
    pub fn from_name(name: &str) -> Option<Role> {
        match name.trim().to_ascii_lowercase().as_str() {
            "interviewer" | "assistant" => Some(Role::Interviewer),
            "candidate" | "user" => Some(Role::Candidate),
            _ => None,
        }
    }

    /// The output spelling (`interviewer`, `candidate`).
    pub const fn key(self) -> &'static str {
        match self {
            Role::Interviewer => "interviewer",
            Role::Candidate => "candidate",
        }
    }
}

/// One utterance.
#[derive(Debug, Clone, PartialEq)]
pub struct Turn {
    /// Who speaks.
    pub role: Role,
    /// The speaker's name when the source gives one.
    pub speaker: Option<String>,
    /// What was said.
    pub text: String,
    /// Offset from the start of the interview, in milliseconds.
    pub at_ms: Option<u64>,
}

/// A whole interview as read from one file (or one JSON Lines line).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Transcript {
    /// The transcript id: from metadata, else derived from the file name.
    pub id: String,
    /// The candidate's name, when known.
    pub candidate: Option<String>,
    /// The interviewer's name or agent id, when known.
    pub interviewer: Option<String>,
    /// The level the candidate interviews for, as written in the metadata.
    pub level: Option<String>,
    /// The turns in order; indexes into this vector are the turn numbers in all output.
    pub turns: Vec<Turn>,
    /// Expected results carried by a labeled transcript (its `expect` key), for
    /// `debrief eval`; ignored by grading.
    pub labels: Option<serde_json::Value>,
    /// How the roles were decided, for formats that name speakers but not roles.
    pub speakers: Option<Attribution>,
}

/// What a reader produces.
#[derive(Debug)]
enum Read {
    /// Turns labelled by role.
    Transcript(Transcript),
    /// Turns labelled by speaker name, roles still to decide.
    Recording(speakers::Recording),
}

/// The input formats debrief reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// One transcript per file, native or chat-log form.
    Json,
    /// One transcript per line.
    JsonLines,
    /// Markdown with speaker labels and optional YAML front matter.
    Markdown,
    /// WebVTT captions (Zoom, Teams).
    Vtt,
    /// SubRip subtitles.
    Srt,
    /// Plain-text meeting exports (Otter, Teams, Google Meet).
    Text,
}

impl InputFormat {
    /// The format a file name implies, if its extension is one debrief reads.
    pub fn from_path(path: &Path) -> Option<InputFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "json" => Some(InputFormat::Json),
            "jsonl" | "ndjson" => Some(InputFormat::JsonLines),
            "md" | "markdown" => Some(InputFormat::Markdown),
            "vtt" => Some(InputFormat::Vtt),
            "srt" => Some(InputFormat::Srt),
            "txt" => Some(InputFormat::Text),
            _ => None,
        }
    }

    /// The format of a file: its extension's, except that a `.txt` file holding WebVTT
    /// or SRT (some recorders save captions so), or markdown with role labels or front
    /// matter, reads as such; the content's for stdin and unknown extensions.
    pub fn detect(path: Option<&Path>, text: &str) -> InputFormat {
        match path.and_then(InputFormat::from_path) {
            Some(InputFormat::Text) => match InputFormat::sniff(text) {
                captions @ (InputFormat::Vtt | InputFormat::Srt) => captions,
                InputFormat::Markdown if markdown::has_markup(text) => InputFormat::Markdown,
                _ => InputFormat::Text,
            },
            Some(format) => format,
            None => InputFormat::sniff(text),
        }
    }

    /// Guesses the format from the text itself, for stdin and unknown extensions:
    /// a `WEBVTT` header is WebVTT; a timing line at the start is SRT; several lines
    /// that each hold one JSON object are JSON Lines, one object is JSON; `HH:MM:SS`
    /// or `Name  0:03` lines make a meeting export; anything else is markdown.
    pub fn sniff(text: &str) -> InputFormat {
        let start = text.trim_start();
        if start.starts_with("WEBVTT") {
            return InputFormat::Vtt;
        }
        let mut first_lines = start.lines().take(2);
        let (one, two) = (
            first_lines.next().unwrap_or(""),
            first_lines.next().unwrap_or(""),
        );
        if one.contains("-->") || (one.trim().parse::<u64>().is_ok() && two.contains("-->")) {
            return InputFormat::Srt;
        }
        if !start.starts_with('{') {
            return if meeting::looks_like_export(text) {
                InputFormat::Text
            } else {
                InputFormat::Markdown
            };
        }
        let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
        let all_objects = lines
            .clone()
            .all(|l| l.starts_with('{') && l.ends_with('}'));
        if all_objects && lines.nth(1).is_some() {
            InputFormat::JsonLines
        } else {
            InputFormat::Json
        }
    }
}

/// Why a file, or one line of it, could not be read as a transcript.
///
/// The message is one line and does not name the file: the caller does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    /// What is wrong, in one line.
    pub message: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
}

impl ReadError {
    /// An error without a position.
    pub fn new(message: impl Into<String>) -> ReadError {
        ReadError {
            message: message.into(),
            line: None,
            column: None,
        }
    }

    /// An error at a 1-based line (and column, when known).
    pub fn at(line: usize, column: Option<usize>, message: impl Into<String>) -> ReadError {
        ReadError {
            message: message.into(),
            line: Some(line),
            column,
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => write!(f, "line {line}, column {column}: ")?,
            (Some(line), None) => write!(f, "line {line}: ")?,
            _ => {}
        }
        f.write_str(&self.message)
    }
}

/// What a transcript may hold before it is refused: hostile or broken input must
/// not exhaust memory or time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest input file read, in bytes.
    pub max_file_size: u64,
    /// Most turns in one transcript.
    pub max_turns: usize,
    /// Longest turn, in bytes of text.
    pub max_turn_bytes: usize,
}

/// The highest `--max-turn-length` there is: offsets into a turn's text are kept in
/// 32 bits ([`crate::text::Occurrence`]), and normalising can lengthen a text.
pub const MAX_TURN_BYTES: usize = 1 << 30;

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_file_size: 64 * 1024 * 1024,
            max_turns: 20_000,
            max_turn_bytes: 1024 * 1024,
        }
    }
}

/// One transcript out of a file: JSON and markdown files hold one, JSON Lines one per line.
#[derive(Debug)]
pub struct Parsed {
    /// The id the output uses even when parsing failed (`stem` or `stem:line`).
    pub fallback_id: String,
    /// The transcript, or why it could not be read.
    pub result: Result<Transcript, ReadError>,
}

/// How to read transcripts: the limits, and how to tell who speaks in formats that
/// name speakers but not roles.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// What a transcript may hold before it is refused.
    pub limits: Limits,
    /// Roles given on the command line.
    pub names: SpeakerNames,
    /// How to infer roles when nothing names them (from the rubric).
    pub inference: InferenceRules,
}

/// Reads every transcript in `text`, which came from a file whose stem is `stem`.
pub fn parse(text: &str, format: InputFormat, stem: &str, options: &ReadOptions) -> Vec<Parsed> {
    let finish = |read: Result<Read, ReadError>, stem: &str| {
        read.and_then(|read| match read {
            Read::Transcript(transcript) => Ok(transcript),
            Read::Recording(recording) => {
                speakers::attribute(recording, stem, &options.names, &options.inference)
            }
        })
        .and_then(|t| validate(t, &options.limits, Conversation::Finished))
    };
    let one = |read: Result<Read, ReadError>| {
        vec![Parsed {
            fallback_id: stem.to_string(),
            result: finish(read, stem),
        }]
    };
    let recording = |read: Result<speakers::Recording, ReadError>| read.map(Read::Recording);
    match format {
        InputFormat::Json => one(json::parse_document(text, stem)),
        InputFormat::JsonLines => text
            .lines()
            .enumerate()
            .filter(|(_, line)| !line.trim().is_empty())
            .map(|(index, line)| parse_json_line(line, stem, index, options))
            .collect(),
        InputFormat::Markdown => one(markdown::parse(text, stem).map(Read::Transcript)),
        InputFormat::Vtt => one(recording(vtt::parse(text))),
        InputFormat::Srt => one(recording(srt::parse(text))),
        InputFormat::Text => one(recording(meeting::parse(text))),
    }
}

/// Reads line `index` (0-based, not blank) of a JSON Lines file whose stem is
/// `stem`, as [`parse`] reads it: a batch streams a large file this way.
pub fn parse_json_line(line: &str, stem: &str, index: usize, options: &ReadOptions) -> Parsed {
    let (fallback_id, result) = json::parse_line(line, stem, index);
    let result = result
        .and_then(|read| match read {
            Read::Transcript(transcript) => Ok(transcript),
            Read::Recording(recording) => {
                speakers::attribute(recording, &fallback_id, &options.names, &options.inference)
            }
        })
        .and_then(|t| validate(t, &options.limits, Conversation::Finished));
    Parsed {
        fallback_id,
        result,
    }
}

/// Reads a conversation still under way, in native or chat-log JSON: as [`parse`]
/// reads a JSON document, except that the candidate need not have spoken yet.
pub fn parse_conversation(text: &str, limits: &Limits) -> Result<Transcript, ReadError> {
    match json::parse_document(text, "conversation")? {
        Read::Transcript(transcript) => validate(transcript, limits, Conversation::UnderWay),
        Read::Recording(_) => Err(ReadError::new("not a conversation of turns or messages")),
    }
}

/// Whether a transcript is a finished interview (both roles must speak) or one
/// under way (the candidate may not have spoken yet).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Conversation {
    Finished,
    UnderWay,
}

/// Checks what every reader's output must satisfy to be graded: within the limits,
/// both roles speak (the interviewer only, in a conversation under way), and
/// timestamps, where given, never run backwards.
fn validate(
    transcript: Transcript,
    limits: &Limits,
    conversation: Conversation,
) -> Result<Transcript, ReadError> {
    if transcript.turns.len() > limits.max_turns {
        return Err(ReadError::new(format!(
            "{} turns, more than the limit of {} (--max-turns)",
            transcript.turns.len(),
            limits.max_turns
        )));
    }
    if let Some((index, turn)) = transcript
        .turns
        .iter()
        .enumerate()
        .find(|(_, t)| t.text.len() > limits.max_turn_bytes.min(MAX_TURN_BYTES))
    {
        return Err(ReadError::new(format!(
            "turn {index} holds {} bytes, more than the limit of {} (--max-turn-length)",
            turn.text.len(),
            limits.max_turn_bytes.min(MAX_TURN_BYTES)
        )));
    }
    if transcript.turns.is_empty() {
        return Err(ReadError::new("the transcript has no turns"));
    }
    if conversation == Conversation::Finished
        && !transcript.turns.iter().any(|t| t.role == Role::Candidate)
    {
        return Err(ReadError::new("the transcript has no candidate turns"));
    }
    if !transcript.turns.iter().any(|t| t.role == Role::Interviewer) {
        return Err(ReadError::new("the transcript has no interviewer turns"));
    }
    let mut last: Option<(usize, u64)> = None;
    for (index, turn) in transcript.turns.iter().enumerate() {
        if let Some(at) = turn.at_ms {
            if let Some((previous, previous_at)) = last {
                if at < previous_at {
                    return Err(ReadError::new(format!(
                        "timestamps run backwards: turn {index} at {} comes after turn {previous} at {}",
                        timestamp::format_ms(at),
                        timestamp::format_ms(previous_at)
                    )));
                }
            }
            last = Some((index, at));
        }
    }
    Ok(transcript)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_formats() {
        assert_eq!(InputFormat::sniff("{\"turns\": []}"), InputFormat::Json);
        assert_eq!(
            InputFormat::sniff("{\"turns\": []}\n{\"turns\": []}\n"),
            InputFormat::JsonLines
        );
        assert_eq!(
            InputFormat::sniff("{\n  \"turns\": []\n}\n"),
            InputFormat::Json
        );
        assert_eq!(
            InputFormat::sniff("**Interviewer:** hi"),
            InputFormat::Markdown
        );
    }

    #[test]
    fn detects_captions_saved_as_text() {
        let txt = Some(Path::new("call.txt"));
        assert_eq!(InputFormat::detect(txt, "WEBVTT\n\n"), InputFormat::Vtt);
        assert_eq!(
            InputFormat::detect(txt, "1\n00:00:01,000 --> 00:00:02,000\nA: hi\n"),
            InputFormat::Srt
        );
        assert_eq!(InputFormat::detect(txt, "Dana: hi\n"), InputFormat::Text);
        assert_eq!(
            InputFormat::detect(txt, "**Interviewer:** hi\n**Candidate:** hello\n"),
            InputFormat::Markdown
        );
        assert_eq!(
            InputFormat::detect(txt, "---\nid: x\n---\n"),
            InputFormat::Markdown
        );
        assert_eq!(
            InputFormat::detect(Some(Path::new("a.md")), "WEBVTT"),
            InputFormat::Markdown
        );
        assert_eq!(InputFormat::detect(None, "WEBVTT\n"), InputFormat::Vtt);
    }

    #[test]
    fn roles_accept_chat_names() {
        assert_eq!(Role::from_name("Assistant"), Some(Role::Interviewer));
        assert_eq!(Role::from_name("USER"), Some(Role::Candidate));
        assert_eq!(Role::from_name("bob"), None);
    }
}
