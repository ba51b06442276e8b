//! Speech-to-text JSON: AssemblyAI, Deepgram and WhisperX output, recognised by
//! their fields.
//!
//! - AssemblyAI: `utterances[]` of `{speaker: "A", text, start}`, times in ms.
//! - Deepgram: `results.utterances[]` of `{speaker: 0, transcript, start}`, times in
//!   seconds (or, without utterances, `paragraphs` of the first channel).
//! - WhisperX: `segments[]` of `{speaker: "SPEAKER_00", text, start}`, seconds; a
//!   segment diarization could not assign has no speaker and continues the last.
//!
//! Speakers keep their labels ("A", "0", "SPEAKER_00"); `--speaker-map` names them.

use serde_json::Value;

use super::speakers::Piece;
use super::{timestamp, ReadError};

/// Which service wrote the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    /// `utterances` at the top level.
    AssemblyAi,
    /// `results` with `utterances` or `channels`.
    Deepgram,
    /// `segments` at the top level.
    WhisperX,
}

impl Service {
    fn name(self) -> &'static str {
        match self {
            Service::AssemblyAi => "AssemblyAI",
            Service::Deepgram => "Deepgram",
            Service::WhisperX => "WhisperX",
        }
    }
}

/// The pieces of speech in a service's response (`value` is the field that
/// identified it: `utterances`, `results` or `segments`).
pub fn pieces(service: Service, value: &Value) -> Result<Vec<Piece>, ReadError> {
    match service {
        Service::AssemblyAi => list(service, value, "utterances", "text", Unit::Milliseconds),
        Service::WhisperX => list(service, value, "segments", "text", Unit::Seconds),
        Service::Deepgram => {
            if let Some(utterances) = value.get("utterances") {
                return list(
                    service,
                    utterances,
                    "results.utterances",
                    "transcript",
                    Unit::Seconds,
                );
            }
            let paragraphs = value
                .pointer("/channels/0/alternatives/0/paragraphs/paragraphs")
                .ok_or_else(|| {
                    ReadError::new(
                        "Deepgram response without speakers: request it with \
                         utterances=true (or paragraphs) and diarize=true",
                    )
                })?;
            deepgram_paragraphs(paragraphs)
        }
    }
}

#[derive(Clone, Copy)]
enum Unit {
    Milliseconds,
    Seconds,
}

fn list(
    service: Service,
    value: &Value,
    field: &str,
    text_field: &str,
    unit: Unit,
) -> Result<Vec<Piece>, ReadError> {
    let items = value.as_array().ok_or_else(|| {
        ReadError::new(format!("{} \"{field}\" must be an array", service.name()))
    })?;
    if items.is_empty() {
        return Err(ReadError::new(format!(
            "{} response with no {field}: nothing was transcribed",
            service.name()
        )));
    }
    items
        .iter()
        .enumerate()
        .map(|(index, item)| {
            let context = format!("{} {field}[{index}]", service.name());
            let text = match item.get(text_field) {
                Some(Value::String(text)) => text.split_whitespace().collect::<Vec<_>>().join(" "),
                _ => {
                    return Err(ReadError::new(format!(
                        "{context} has no \"{text_field}\" string"
                    )))
                }
            };
            Ok(Piece {
                speaker: speaker(item.get("speaker"), &context)?,
                text,
                at_ms: time(item.get("start"), unit, &context)?,
            })
        })
        .collect()
}

fn deepgram_paragraphs(value: &Value) -> Result<Vec<Piece>, ReadError> {
    let paragraphs = value
        .as_array()
        .ok_or_else(|| ReadError::new("Deepgram \"paragraphs\" must be an array"))?;
    let mut pieces = Vec::with_capacity(paragraphs.len());
    for (index, paragraph) in paragraphs.iter().enumerate() {
        let context = format!("Deepgram paragraphs[{index}]");
        let sentences = paragraph
            .get("sentences")
            .and_then(Value::as_array)
            .ok_or_else(|| ReadError::new(format!("{context} has no \"sentences\" array")))?;
        let text: Vec<&str> = sentences
            .iter()
            .filter_map(|s| s.get("text").and_then(Value::as_str))
            .collect();
        pieces.push(Piece {
            speaker: speaker(paragraph.get("speaker"), &context)?,
            text: text.join(" "),
            at_ms: time(paragraph.get("start"), Unit::Seconds, &context)?,
        });
    }
    Ok(pieces)
}

fn speaker(value: Option<&Value>, context: &str) -> Result<Option<String>, ReadError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(label)) if !label.trim().is_empty() => {
            Ok(Some(label.trim().to_string()))
        }
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(_) => Err(ReadError::new(format!(
            "{context}: \"speaker\" must be a label or a number"
        ))),
    }
}

fn time(value: Option<&Value>, unit: Unit, context: &str) -> Result<Option<u64>, ReadError> {
    let Some(value) = value.filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    let number = value
        .as_f64()
        .ok_or_else(|| ReadError::new(format!("{context}: \"start\" must be a number")))?;
    let seconds = match unit {
        Unit::Milliseconds => number / 1000.0,
        Unit::Seconds => number,
    };
    timestamp::from_seconds(seconds)
        .map(Some)
        .map_err(|e| ReadError::new(format!("{context}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_each_service() {
        let assembly = json!([{"speaker": "A", "text": "Hi  there", "start": 250}]);
        let p = pieces(Service::AssemblyAi, &assembly).unwrap();
        assert_eq!(
            (p[0].speaker.as_deref(), p[0].text.as_str(), p[0].at_ms),
            (Some("A"), "Hi there", Some(250))
        );

        let deepgram = json!({"utterances": [{"speaker": 1, "transcript": "ok", "start": 1.5}]});
        let p = pieces(Service::Deepgram, &deepgram).unwrap();
        assert_eq!(
            (p[0].speaker.as_deref(), p[0].at_ms),
            (Some("1"), Some(1_500))
        );

        let whisper = json!([{"text": " a", "start": 0.031, "speaker": "SPEAKER_00"}, {"text": "b", "start": 2.0}]);
        let p = pieces(Service::WhisperX, &whisper).unwrap();
        assert_eq!(p[1].speaker, None);
        assert_eq!(p[0].at_ms, Some(31));
    }

    #[test]
    fn explains_what_is_missing() {
        let error = pieces(Service::Deepgram, &json!({"channels": []})).unwrap_err();
        assert!(error.message.contains("diarize=true"));
        let error = pieces(Service::WhisperX, &json!([{"start": 1}])).unwrap_err();
        assert!(error.message.contains("segments[0]"), "{}", error.message);
        let error = pieces(Service::AssemblyAi, &json!([{"text": "x", "start": -5}])).unwrap_err();
        assert!(error.message.contains("utterances[0]"));
    }
}
