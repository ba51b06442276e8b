//! Plain-text meeting exports (`.txt`): Otter, Microsoft Teams and Google Meet.
//!
//! Two layouts cover them:
//!
//! - **Speaker headers** (Otter, Teams saved from .docx, Rev): a line with a name
//!   and a time (`Dana Reyes  0:03`, `Dana Reyes (00:03):`), the speech on the lines
//!   below (or, for Rev, after the colon). Lines before the
//!   first header (title, date, duration), Otter's "Transcribed by" footer and
//!   Teams' "started/stopped transcription" lines are not speech.
//! - **Name lines** (Google Meet, and any `Name: text` chat log): `HH:MM:SS` lines
//!   set the time (of every line until the next), `Name: text` lines are speech, a line without a name continues
//!   the previous one. Meet's title, `Attendees` list (which names the speakers)
//!   and closing boilerplate are not speech.

use super::captions::{self, SpeakerPrefixes};
use super::speakers::{Piece, Recording};
use super::ReadError;

/// Reads a meeting export into a recording whose speakers are still names.
pub fn parse(text: &str) -> Result<Recording, ReadError> {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let headers = lines.iter().filter(|l| speaker_header(l).is_some()).count();
    let pieces = if headers >= 2 {
        header_layout(&lines)
    } else {
        name_line_layout(&lines)
    };
    if pieces.is_empty() {
        return Err(ReadError::new(
            "no speech found: expected an Otter, Teams or Google Meet transcript \
             ('Name  0:03' lines, or 'Name: text' lines)",
        ));
    }
    Ok(Recording {
        pieces,
        ..Recording::default()
    })
}

/// Whether `text` looks like a meeting export rather than markdown: speaker-header
/// lines, or a bare `HH:MM:SS` line.
pub fn looks_like_export(text: &str) -> bool {
    let mut headers = 0;
    for line in text.lines().map(str::trim).take(2_000) {
        if speaker_header(line).is_some() {
            headers += 1;
        }
        let clock = line.len() == 8 && line.bytes().all(|b| b.is_ascii_digit() || b == b':');
        if headers >= 2 || (clock && captions::parse_cue_time(line).is_some()) {
            return true;
        }
    }
    false
}

/// A speaker header: the name, the time and any speech on the same line. Otter and
/// Teams write `Dana Reyes  0:03` (speech below); Rev writes `Dana Reyes (00:03):`
/// (speech below or after the colon).
fn speaker_header(line: &str) -> Option<(&str, u64, &str)> {
    let is_clock = |t: &str| t.contains(':') && t.bytes().all(|b| b.is_ascii_digit() || b == b':');
    if let Some(open) = line.bytes().take(96).position(|b| b == b'(') {
        let after = &line[open + 1..];
        if let Some((time, rest)) = after.split_once("):") {
            let name = line[..open].trim_end();
            if is_clock(time) && captions::name_shaped(name) {
                return Some((name, captions::parse_cue_time(time)?, rest.trim_start()));
            }
        }
    }
    let (name, time) = line.rsplit_once(char::is_whitespace)?;
    let name = name.trim_end();
    if !is_clock(time) || !captions::name_shaped(name) {
        return None;
    }
    Some((name, captions::parse_cue_time(time)?, ""))
}

/// Lines that belong to the export, not to the speech.
fn is_boilerplate(line: &str) -> bool {
    line.starts_with("Transcribed by ")
        || line.ends_with(" started transcription")
        || line.ends_with(" stopped transcription")
        || line.starts_with("Meeting ended after ")
        || line.starts_with("This editable transcript was computer generated")
}

fn header_layout(lines: &[&str]) -> Vec<Piece> {
    let mut pieces: Vec<Piece> = Vec::new();
    for line in lines {
        if line.is_empty() || is_boilerplate(line) {
            continue;
        }
        if let Some((name, at, speech)) = speaker_header(line) {
            pieces.push(Piece {
                speaker: Some(name.to_string()),
                text: captions::collapse(speech),
                at_ms: Some(at),
            });
        } else if let Some(piece) = pieces.last_mut() {
            if !piece.text.is_empty() {
                piece.text.push(' ');
            }
            piece.text.push_str(&captions::collapse(line));
        }
        // Lines before the first header are the export's title block.
    }
    pieces
}

fn name_line_layout(lines: &[&str]) -> Vec<Piece> {
    // Meet lists the speakers under "Attendees"; its speech follows "Transcript".
    let attendees: Vec<String> = lines
        .iter()
        .position(|l| l.eq_ignore_ascii_case("attendees"))
        .and_then(|i| lines[i + 1..].iter().find(|l| !l.is_empty()))
        .map(|list| {
            list.split(',')
                .map(|n| n.trim().to_string())
                .filter(|n| !n.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let body_start = if attendees.is_empty() {
        0
    } else {
        lines
            .iter()
            .position(|l| l.eq_ignore_ascii_case("transcript"))
            .map_or(0, |i| i + 1)
    };
    let body = &lines[body_start..];
    let mut prefixes = SpeakerPrefixes::default();
    for line in body {
        prefixes.observe(line);
    }
    let is_speaker = |name: &str| {
        attendees
            .iter()
            .any(|a| super::speakers::same_name(a, name))
            || prefixes.is_speaker(name)
    };
    let mut pieces: Vec<Piece> = Vec::new();
    let mut clock: Option<u64> = None;
    for line in body {
        if line.is_empty() || is_boilerplate(line) {
            continue;
        }
        if line.bytes().all(|b| b.is_ascii_digit() || b == b':') {
            if let Some(at) = captions::parse_cue_time(line) {
                clock = Some(at);
                continue;
            }
        }
        match captions::split_prefix(line).filter(|p| is_speaker(p.name)) {
            Some(prefixed) => pieces.push(Piece {
                speaker: Some(prefixed.name.to_string()),
                text: captions::collapse(prefixed.rest),
                at_ms: clock,
            }),
            None => {
                if let Some(piece) = pieces.last_mut() {
                    piece.text.push(' ');
                    piece.text.push_str(&captions::collapse(line));
                }
            }
        }
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_speaker_headers() {
        let text = "Interview\nNovember 29, 2026, 2:04PM\n41m 12s\nDana Reyes started transcription\n\n\
                    Dana Reyes   0:03\nLet's begin.\nWhat is bias?\n\n\
                    Sam Patel   1:02:03\nError from assumptions.\n\nTranscribed by https://otter.ai\n";
        let r = parse(text).unwrap();
        assert_eq!(r.pieces.len(), 2);
        assert_eq!(r.pieces[0].text, "Let's begin. What is bias?");
        assert_eq!(r.pieces[1].at_ms, Some(3_723_000));
        assert_eq!(r.pieces[1].speaker.as_deref(), Some("Sam Patel"));
    }

    #[test]
    fn reads_meet_name_lines() {
        let text =
            "ML interview - Transcript\nAttendees\n\nDana Reyes, Sam\nTranscript\n00:00:00\n\
                    Dana Reyes: What is bias?\nSam: Error from\nwrong assumptions.\n00:01:10\n\
                    Dana Reyes: Correct.\nMeeting ended after 00:38:12\n";
        let r = parse(text).unwrap();
        assert_eq!(r.pieces.len(), 3);
        assert_eq!(r.pieces[1].speaker.as_deref(), Some("Sam"));
        assert_eq!(r.pieces[1].text, "Error from wrong assumptions.");
        assert_eq!(r.pieces[2].at_ms, Some(70_000));
        assert_eq!(r.pieces[1].at_ms, Some(0));
    }

    #[test]
    fn refuses_text_without_speech() {
        assert!(parse("just some notes\nabout nothing\n").is_err());
    }
}
