//! Native JSON, chat-log JSON and JSON Lines readers.
//!
//! Native: `{"id", "candidate", "interviewer", "level", "turns": [{"speaker", "text", "at"}]}`.
//! Chat log: `{"messages": [{"role": "system"|"assistant"|"user", "content"}]}`, system
//! messages dropped. Speech-to-text responses (AssemblyAI, Deepgram, WhisperX) are
//! recognised by their fields and read by [`super::stt`]; their speakers still need
//! roles, which may come from a `speakers` map (`{"A": "interviewer"}`) or the
//! `interviewer` and `candidate` names. Every form may appear on the lines of a JSON
//! Lines file.

use serde::Deserialize;
use serde_json::Value;

use super::speakers::{Recording, SpeakerRole};
use super::stt::{self, Service};
use super::{timestamp, Read, ReadError, Role, Transcript, Turn};

#[derive(Deserialize)]
#[serde(expecting = "a transcript object with a \"turns\" or \"messages\" array")]
struct RawDocument {
    id: Option<Value>,
    candidate: Option<String>,
    interviewer: Option<String>,
    level: Option<String>,
    turns: Option<Vec<RawTurn>>,
    messages: Option<Vec<RawMessage>>,
    expect: Option<Value>,
    /// AssemblyAI.
    utterances: Option<WithoutWords>,
    /// Deepgram.
    results: Option<WithoutWords>,
    /// WhisperX.
    segments: Option<WithoutWords>,
    /// Roles of speech-to-text speaker labels.
    speakers: Option<Value>,
    /// AssemblyAI's job status, to recognise its responses without `utterances`
    /// (skipped, not kept).
    status: Option<Checked>,
    /// AssemblyAI's word list, likewise: it can be most of the file.
    words: Option<Checked>,
}

/// A JSON value with every `"words"` member, at any depth, left out of the tree
/// ([`Checked`]): speech-to-text responses carry a word list per utterance,
/// paragraph or segment, often most of the file, and the readers use only the text.
struct WithoutWords(Value);

/// A JSON value read and checked as strictly as any other (numbers in range, valid
/// escapes, the nesting limit), then dropped without building a tree. serde's
/// `IgnoredAny` would skip it faster but accept malformed JSON there.
struct Checked;

impl<'de> Deserialize<'de> for Checked {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(CheckedVisitor)
    }
}

struct CheckedVisitor;

impl<'de> serde::de::Visitor<'de> for CheckedVisitor {
    type Value = Checked;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_str<E>(self, _: &str) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_unit<E>(self) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_none<E>(self) -> Result<Checked, E> {
        Ok(Checked)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Checked, D::Error> {
        Checked::deserialize(deserializer)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Checked, A::Error> {
        while seq.next_element::<Checked>()?.is_some() {}
        Ok(Checked)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Checked, A::Error> {
        while map.next_entry::<Checked, Checked>()?.is_some() {}
        Ok(Checked)
    }
}

impl<'de> Deserialize<'de> for WithoutWords {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer
            .deserialize_any(WithoutWordsVisitor)
            .map(WithoutWords)
    }
}

struct WithoutWordsVisitor;

impl<'de> serde::de::Visitor<'de> for WithoutWordsVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::Number(value.into()))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(value).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_string()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        WithoutWords::deserialize(deserializer).map(|v| v.0)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(WithoutWords(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if key == "words" {
                map.next_value::<Checked>()?;
            } else {
                let WithoutWords(value) = map.next_value()?;
                object.insert(key, value);
            }
        }
        Ok(Value::Object(object))
    }
}

#[derive(Deserialize)]
#[serde(expecting = "a turn object with \"speaker\" and \"text\"")]
struct RawTurn {
    speaker: Option<String>,
    name: Option<String>,
    text: Option<String>,
    at: Option<Value>,
}

#[derive(Deserialize)]
#[serde(expecting = "a message object with \"role\" and \"content\"")]
struct RawMessage {
    role: Option<String>,
    name: Option<String>,
    content: Option<Value>,
}

/// Reads a file holding one transcript.
pub fn parse_document(text: &str, stem: &str) -> Result<Read, ReadError> {
    expect_object(text)?;
    let raw: RawDocument = serde_json::from_str(text).map_err(|e| json_error(&e, 0))?;
    build(raw, stem)
}

/// Reads line `index` (0-based) of a JSON Lines file: its fallback id `stem:N`
/// (N 1-based) and its transcript, errors carrying the line number.
pub fn parse_line(line: &str, stem: &str, index: usize) -> (String, Result<Read, ReadError>) {
    let number = index + 1;
    let fallback_id = format!("{stem}:{number}");
    let result = expect_object(line)
        .and_then(|()| serde_json::from_str::<RawDocument>(line).map_err(|e| json_error(&e, index)))
        .and_then(|raw| build(raw, &fallback_id))
        .map_err(|mut error| {
            error.line.get_or_insert(number);
            error
        });
    (fallback_id, result)
}

/// Refuses JSON whose top level is not an object before serde would read an
/// array as a struct's fields.
fn expect_object(text: &str) -> Result<(), ReadError> {
    let found = match text.trim_start().chars().next() {
        Some('{') => return Ok(()),
        Some('[') => "an array",
        Some('"') => "a string",
        Some(c) if c == '-' || c.is_ascii_digit() => "a number",
        // A word: a JSON literal only if it is one ("not json" is not null).
        _ => {
            let word: String = text
                .trim_start()
                .chars()
                .take_while(char::is_ascii_alphabetic)
                .collect();
            match word.as_str() {
                "true" | "false" => "a boolean",
                "null" => "null",
                _ => return Ok(()),
            }
        }
    };
    Err(ReadError::at(
        1,
        None,
        format!("expected a transcript object with \"turns\" or \"messages\", found {found}"),
    ))
}

/// A serde_json error as a one-line [`ReadError`], its line shifted by `line_offset`.
fn json_error(error: &serde_json::Error, line_offset: usize) -> ReadError {
    let full = error.to_string();
    let message = match full.rfind(" at line ") {
        Some(cut) => full[..cut].to_string(),
        None => full,
    };
    // serde's word for a bare word where a value should stand.
    let message = message.replace("expected ident", "a bare word where a value should be");
    let message = if error.is_eof() {
        format!("truncated JSON: {message}")
    } else {
        format!("invalid JSON: {message}")
    };
    if error.line() == 0 {
        ReadError::new(message)
    } else {
        let column = (error.column() > 0).then_some(error.column());
        ReadError::at(error.line() + line_offset, column, message)
    }
}

fn build(raw: RawDocument, default_id: &str) -> Result<Read, ReadError> {
    let id = match raw.id {
        None | Some(Value::Null) => None,
        Some(Value::String(id)) if !id.trim().is_empty() => Some(id),
        Some(Value::Number(number)) => Some(number.to_string()),
        Some(other) => {
            return Err(ReadError::new(format!(
                "\"id\" must be a non-empty string or a number, found {}",
                kind(&other)
            )))
        }
    };
    let turns = match (raw.turns, raw.messages) {
        (Some(_), Some(_)) => {
            return Err(ReadError::new(
                "the object has both \"turns\" and \"messages\"; expected one",
            ))
        }
        (Some(turns), None) => turns
            .into_iter()
            .enumerate()
            .map(|(index, turn)| native_turn(turn, index))
            .collect::<Result<Vec<_>, _>>()?,
        (None, Some(messages)) => chat_turns(messages)?,
        (None, None) => {
            let (service, value) =
                match (raw.utterances, raw.results, raw.segments) {
                    (Some(value), _, _) => (Service::AssemblyAi, value.0),
                    (None, Some(value), _) => (Service::Deepgram, value.0),
                    (None, None, Some(value)) => (Service::WhisperX, value.0),
                    (None, None, None) if raw.status.is_some() && raw.words.is_some() => {
                        return Err(ReadError::new(
                            "AssemblyAI response without utterances: request the transcript \
                             with speaker_labels=true",
                        ))
                    }
                    (None, None, None) => return Err(ReadError::new(
                        "no \"turns\" or \"messages\" array (nor speech-to-text \"utterances\", \
                         \"results\" or \"segments\"): not a transcript",
                    )),
                };
            return Ok(Read::Recording(Recording {
                id,
                candidate: raw.candidate,
                interviewer: raw.interviewer,
                level: raw.level,
                roles: speaker_roles(raw.speakers)?,
                pieces: stt::pieces(service, &value)?,
            }));
        }
    };
    Ok(Read::Transcript(Transcript {
        id: id.unwrap_or_else(|| default_id.to_string()),
        candidate: raw.candidate,
        interviewer: raw.interviewer,
        level: raw.level,
        turns,
        labels: raw.expect,
        speakers: None,
    }))
}

/// A `speakers` object mapping speaker labels to roles.
fn speaker_roles(value: Option<Value>) -> Result<Vec<(String, SpeakerRole)>, ReadError> {
    let Some(value) = value.filter(|v| !v.is_null()) else {
        return Ok(Vec::new());
    };
    let invalid = || {
        ReadError::new(
            "\"speakers\" must map speaker labels to roles, e.g. {\"A\": \"interviewer\", \"B\": \"candidate\"}",
        )
    };
    let object = value.as_object().ok_or_else(invalid)?;
    object
        .iter()
        .map(|(label, role)| {
            let role = role
                .as_str()
                .and_then(SpeakerRole::from_name)
                .ok_or_else(invalid)?;
            Ok((label.clone(), role))
        })
        .collect()
}

fn native_turn(turn: RawTurn, index: usize) -> Result<Turn, ReadError> {
    let speaker = turn
        .speaker
        .ok_or_else(|| ReadError::new(format!("turn {index} has no \"speaker\"")))?;
    let role = Role::from_name(&speaker).ok_or_else(|| {
        ReadError::new(format!(
            "turn {index} has unknown speaker '{speaker}' (expected interviewer or candidate)"
        ))
    })?;
    let text = turn
        .text
        .ok_or_else(|| ReadError::new(format!("turn {index} has no \"text\"")))?;
    let at_ms = match turn.at {
        None | Some(Value::Null) => None,
        Some(Value::String(clock)) => Some(
            timestamp::parse_clock(&clock)
                .map_err(|e| ReadError::new(format!("turn {index}: {e}")))?,
        ),
        Some(Value::Number(number)) => Some(
            timestamp::from_seconds(number.as_f64().unwrap_or(f64::NAN))
                .map_err(|e| ReadError::new(format!("turn {index}: {e}")))?,
        ),
        Some(other) => {
            return Err(ReadError::new(format!(
                "turn {index}: \"at\" must be \"HH:MM:SS\", \"MM:SS\" or seconds, found {}",
                kind(&other)
            )))
        }
    };
    Ok(Turn {
        role,
        speaker: turn.name,
        text,
        at_ms,
    })
}

fn chat_turns(messages: Vec<RawMessage>) -> Result<Vec<Turn>, ReadError> {
    let mut turns = Vec::with_capacity(messages.len());
    for (index, message) in messages.into_iter().enumerate() {
        let role_name = message
            .role
            .ok_or_else(|| ReadError::new(format!("message {index} has no \"role\"")))?;
        if role_name.trim().eq_ignore_ascii_case("system") {
            continue;
        }
        let role = Role::from_name(&role_name).ok_or_else(|| {
            ReadError::new(format!(
                "message {index} has unknown role '{role_name}' (expected system, assistant or user)"
            ))
        })?;
        let text = match message.content {
            Some(Value::String(text)) => text,
            Some(Value::Array(parts)) => text_parts(&parts).ok_or_else(|| {
                ReadError::new(format!(
                    "message {index}: \"content\" parts must be strings or {{\"text\": ...}} objects"
                ))
            })?,
            None | Some(Value::Null) => {
                return Err(ReadError::new(format!("message {index} has no \"content\"")))
            }
            Some(other) => {
                return Err(ReadError::new(format!(
                    "message {index}: \"content\" must be a string, found {}",
                    kind(&other)
                )))
            }
        };
        turns.push(Turn {
            role,
            speaker: message.name,
            text,
            at_ms: None,
        });
    }
    Ok(turns)
}

/// Joins a chat message's content parts (`"text"` or `{"type": "text", "text": ...}`).
fn text_parts(parts: &[Value]) -> Option<String> {
    let mut pieces = Vec::with_capacity(parts.len());
    for part in parts {
        match part {
            Value::String(text) => pieces.push(text.as_str()),
            Value::Object(object) => match object.get("text") {
                Some(Value::String(text)) => pieces.push(text.as_str()),
                _ if object.get("type").and_then(Value::as_str) != Some("text") => {}
                _ => return None,
            },
            _ => return None,
        }
    }
    Some(pieces.join("\n"))
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn transcript(read: Result<Read, ReadError>) -> Transcript {
        match read.unwrap() {
            Read::Transcript(t) => t,
            Read::Recording(r) => panic!("expected a transcript, got {r:?}"),
        }
    }

    #[test]
    fn word_lists_are_skipped_at_any_depth_and_nothing_else() {
        let json = r#"{"a": [{"text": "hi", "words": [{"w": 1}], "start": 1.5}],
                       "words": "x", "n": null, "b": {"words": [], "keep": [true, -2]}}"#;
        let WithoutWords(value) = serde_json::from_str(json).unwrap();
        let expected: Value = serde_json::from_str(
            r#"{"a": [{"text": "hi", "start": 1.5}], "n": null, "b": {"keep": [true, -2]}}"#,
        )
        .unwrap();
        assert_eq!(value, expected);
    }

    #[test]
    fn skipped_word_lists_are_still_checked() {
        for (inside, message) in [
            ("1e400", "number out of range"),
            (r#""\ud800""#, "hex escape"),
            ("[1,]", "trailing comma"),
            (
                &format!("{}{}", "[".repeat(200), "]".repeat(200)),
                "recursion limit",
            ),
        ] {
            for json in [
                format!(
                    r#"{{"utterances": [{{"speaker": "A", "text": "hi", "words": [{inside}]}}]}}"#
                ),
                format!(r#"{{"status": "completed", "words": [{inside}]}}"#),
            ] {
                let error = parse_document(&json, "t").unwrap_err().to_string();
                assert!(error.contains(message), "{json}: {error}");
            }
        }
    }

    #[test]
    fn reads_native_form_with_defaults() {
        let t = transcript(parse_document(
            r#"{"turns": [{"speaker": "Interviewer", "text": "Q?", "at": "00:10"},
                          {"speaker": "user", "text": "A.", "at": 12.5}]}"#,
            "stem",
        ));
        assert_eq!(t.id, "stem");
        assert_eq!(t.turns[0].role, Role::Interviewer);
        assert_eq!(t.turns[0].at_ms, Some(10_000));
        assert_eq!(t.turns[1].role, Role::Candidate);
        assert_eq!(t.turns[1].at_ms, Some(12_500));
    }

    #[test]
    fn reads_chat_form_and_drops_system() {
        let t = transcript(parse_document(
            r#"{"id": 7, "messages": [{"role": "system", "content": "prompt"},
                {"role": "assistant", "content": "Q?"},
                {"role": "user", "content": [{"type": "text", "text": "A."}]}]}"#,
            "stem",
        ));
        assert_eq!(t.id, "7");
        assert_eq!(t.turns.len(), 2);
        assert_eq!(t.turns[1].text, "A.");
    }

    #[test]
    fn errors_carry_positions() {
        let error = parse_document("{\n  \"turns\": 5\n}", "s").unwrap_err();
        assert_eq!(error.line, Some(2));
        assert!(error.message.contains("invalid type"), "{}", error.message);
        let error = parse_document("{\"turns\": [", "s").unwrap_err();
        assert!(error.message.starts_with("truncated JSON"));
        let error =
            parse_document(r#"{"turns": [{"speaker": "bob", "text": "x"}]}"#, "s").unwrap_err();
        assert!(error.message.contains("unknown speaker 'bob'"));
    }

    #[test]
    fn json_lines_fail_line_by_line() {
        let text = "{\"turns\": [{\"speaker\": \"interviewer\", \"text\": \"Q\"}]}\n\n{bad\n";
        let lines: Vec<_> = text
            .lines()
            .enumerate()
            .filter(|(_, line)| !line.trim().is_empty())
            .map(|(index, line)| parse_line(line, "batch", index))
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].0, "batch:1");
        assert!(matches!(&lines[0].1, Ok(Read::Transcript(t)) if t.id == "batch:1"));
        let error = lines[1].1.as_ref().unwrap_err();
        assert_eq!(error.line, Some(3));
    }
}
