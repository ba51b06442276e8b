//! WebVTT captions (`.vtt`), as Zoom and Microsoft Teams export them.
//!
//! The W3C syntax: a `WEBVTT` header, then blocks separated by blank lines. `NOTE`,
//! `STYLE` and `REGION` blocks are skipped (a `NOTE` may carry `interviewer:`,
//! `candidate:`, `level:` and `id:` lines, which become metadata). A cue is an
//! optional id, a timing line and its text; tags are stripped and entities decoded.
//!
//! Speakers come as Zoom writes them (`Name: text` at the start of a cue; a cue
//! without a name continues the previous speaker) or as Teams does (`<v Name>`
//! voice spans). Teams splits one utterance into cues with ids `GUID/18-0`,
//! `GUID/18-1`: those parts are joined first. Cues may overlap or come out of order;
//! they are put in start-time order.

use std::collections::BTreeMap;

use super::captions::{self, SpeakerPrefixes};
use super::speakers::{Piece, Recording};
use super::ReadError;

/// One cue as written.
struct Cue {
    /// The utterance an id like `GUID/18-1` belongs to (`GUID/18`), and the part (1).
    utterance: Option<(String, u32)>,
    start_ms: u64,
    /// The payload, lines joined by newlines, markup still in.
    payload: String,
}

/// Reads a WebVTT file into a recording whose speakers are still names.
pub fn parse(text: &str) -> Result<Recording, ReadError> {
    let lines: Vec<&str> = text.lines().collect();
    let first = lines
        .first()
        .map_or("", |l| l.trim_start_matches('\u{feff}'));
    if !first.starts_with("WEBVTT") || first[6..].starts_with(|c: char| !c.is_whitespace()) {
        return Err(ReadError::at(
            1,
            None,
            "expected the header 'WEBVTT' on the first line",
        ));
    }
    let mut recording = Recording::default();
    let mut cues: Vec<Cue> = Vec::new();
    // The header runs to the first blank line (or, leniently, the first timing line).
    let mut index = lines
        .iter()
        .position(|l| l.trim().is_empty() || l.contains("-->"))
        .unwrap_or(lines.len());
    while index < lines.len() {
        let line = lines[index].trim_end();
        if line.trim().is_empty() {
            index += 1;
            continue;
        }
        let block_end = || {
            lines[index..]
                .iter()
                .position(|l| l.trim().is_empty())
                .map_or(lines.len(), |n| index + n)
        };
        if is_block(line, "NOTE") {
            let end = block_end();
            note(&lines[index..end], &mut recording);
            index = end;
            continue;
        }
        if is_block(line, "STYLE") || is_block(line, "REGION") {
            index = block_end();
            continue;
        }
        let (id, timing_index) = if line.contains("-->") {
            (None, index)
        } else if lines.get(index + 1).is_some_and(|l| l.contains("-->")) {
            (Some(line.trim()), index + 1)
        } else {
            return Err(ReadError::at(
                index + 1,
                None,
                format!(
                    "expected a cue timing line (00:00:01.000 --> 00:00:04.000), found '{}'",
                    captions::clip(line)
                ),
            ));
        };
        let start_ms = captions::parse_timing(lines[timing_index])
            .unwrap_or_else(|| Err("expected a cue timing line".to_string()))
            .map_err(|message| ReadError::at(timing_index + 1, None, message))?;
        // The payload runs to a blank line, or to the next cue when the blank line
        // is missing: a timing line, or a cue id followed by one.
        let next_cue_starts = |i: usize| {
            lines[i].contains("-->")
                || (i > timing_index + 1
                    && looks_like_cue_id(lines[i])
                    && lines.get(i + 1).is_some_and(|l| l.contains("-->")))
        };
        let mut end = timing_index + 1;
        while end < lines.len() && !lines[end].trim().is_empty() && !next_cue_starts(end) {
            end += 1;
        }
        cues.push(Cue {
            utterance: id.and_then(utterance_part),
            start_ms,
            payload: lines[timing_index + 1..end].join("\n"),
        });
        index = end;
    }
    if cues.is_empty() {
        return Err(ReadError::new("the WebVTT file has no cues"));
    }
    let cues = join_utterance_parts(cues);
    recording.pieces = pieces(&cues);
    Ok(recording)
}

/// Whether `line` looks like a cue id rather than words: a number, or an id such as
/// Teams' `GUID/18-0`.
fn looks_like_cue_id(line: &str) -> bool {
    let line = line.trim();
    !line.is_empty()
        && (line.bytes().all(|b| b.is_ascii_digit())
            || (!line.contains(char::is_whitespace)
                && line.contains('/')
                && line.bytes().any(|b| b.is_ascii_digit())))
}

/// Whether `line` opens a block of `kind` (`NOTE`, `STYLE`, `REGION`).
fn is_block(line: &str, kind: &str) -> bool {
    line.strip_prefix(kind)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(char::is_whitespace))
}

/// Reads `key: value` metadata from a NOTE block.
fn note(block: &[&str], recording: &mut Recording) {
    let first = block[0].trim_start_matches("NOTE").trim();
    for line in std::iter::once(first).chain(block[1..].iter().map(|l| l.trim())) {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim().to_string();
        if value.is_empty() {
            continue;
        }
        match key.trim().to_ascii_lowercase().as_str() {
            "id" => recording.id = Some(value),
            "level" => recording.level = Some(value),
            "interviewer" => recording.interviewer = Some(value),
            "candidate" => {
                recording.candidate = Some(value);
            }
            _ => {}
        }
    }
}

/// `GUID/18-1` is part 1 of utterance `GUID/18`.
fn utterance_part(id: &str) -> Option<(String, u32)> {
    let (utterance, part) = id.rsplit_once('-')?;
    if !utterance.contains('/') {
        return None;
    }
    Some((utterance.to_string(), part.parse().ok()?))
}

/// Joins the parts of each split utterance into its first part, then orders the cues
/// by start time (stably, so cues that start together keep the file's order).
fn join_utterance_parts(cues: Vec<Cue>) -> Vec<Cue> {
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (index, cue) in cues.iter().enumerate() {
        if let Some((utterance, _)) = &cue.utterance {
            groups.entry(utterance.clone()).or_default().push(index);
        }
    }
    let mut joined: Vec<Option<Cue>> = cues.into_iter().map(Some).collect();
    for members in groups.values().filter(|m| m.len() > 1) {
        let mut parts: Vec<Cue> = members.iter().filter_map(|&i| joined[i].take()).collect();
        parts.sort_by_key(|c| c.utterance.as_ref().map_or(0, |u| u.1));
        let mut whole = parts.remove(0);
        for part in parts {
            whole.payload.push('\n');
            whole.payload.push_str(&part.payload);
        }
        joined[members[0]] = Some(whole);
    }
    let mut cues: Vec<Cue> = joined.into_iter().flatten().collect();
    cues.sort_by_key(|c| c.start_ms);
    cues
}

/// The cues' speech, split at voice spans, with speakers from the spans or from
/// `Name:` prefixes, which may open any line of a cue (`>> Name:` where the speaker
/// changes mid-cue).
fn pieces(cues: &[Cue]) -> Vec<Piece> {
    let mut spans: Vec<(Option<String>, String, u64)> = Vec::new();
    for cue in cues {
        for (voice, text) in voice_spans(&cue.payload) {
            match voice {
                Some(voice) => spans.push((Some(voice), captions::clean(&text), cue.start_ms)),
                None => spans.extend(
                    text.lines()
                        .map(|line| (None, captions::clean(line), cue.start_ms)),
                ),
            }
        }
    }
    let mut prefixes = SpeakerPrefixes::default();
    for (voice, text, _) in &spans {
        if voice.is_none() {
            prefixes.observe(text);
        }
    }
    spans
        .into_iter()
        .map(|(voice, text, at)| {
            let (speaker, text) = match voice {
                Some(voice) => (Some(voice), text),
                None => {
                    let (name, rest) = prefixes.split(&text);
                    (name.map(str::to_string), rest.to_string())
                }
            };
            Piece {
                speaker,
                text,
                at_ms: Some(at),
            }
        })
        .collect()
}

/// Splits a payload at `<v Name>` tags: text before the first tag has no voice.
fn voice_spans(payload: &str) -> Vec<(Option<String>, String)> {
    let mut spans = Vec::new();
    let mut voice: Option<String> = None;
    let mut rest = payload;
    loop {
        let next = find_voice_tag(rest);
        let text = next.as_ref().map_or(rest, |(start, _, _)| &rest[..*start]);
        if !text.trim().is_empty() {
            spans.push((voice.clone(), text.to_string()));
        }
        match next {
            Some((_, end, name)) => {
                voice = Some(name);
                rest = &rest[end..];
            }
            None => break,
        }
    }
    spans
}

/// The next `<v Name>` or `<v.class Name>` tag: its start, its end and the name.
fn find_voice_tag(text: &str) -> Option<(usize, usize, String)> {
    let mut from = 0;
    while let Some(offset) = text[from..].find("<v") {
        let start = from + offset;
        let after = &text[start + 2..];
        if after.starts_with([' ', '\t', '.']) {
            // A voice name is short: look no further for the tag's end.
            if let Some(close) = after.bytes().take(200).position(|b| b == b'>') {
                let inside = &after[..close];
                let name = inside
                    .split_once(char::is_whitespace)
                    .map_or("", |(_, name)| name)
                    .trim();
                let name = captions::decode_entities(name);
                let end = start + 2 + close + 1;
                if !name.is_empty() {
                    return Some((start, end, name));
                }
                from = end;
                continue;
            }
        }
        from = start + 2;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_zoom_style_prefixes_and_continuations() {
        let text = "WEBVTT\n\n1\n00:00:01.000 --> 00:00:03.000\nDana Reyes: Explain bias.\n\n\
                    2\n00:00:03.500 --> 00:00:05.000\nSam Patel: Bias is error\n\n\
                    3\n00:00:05.000 --> 00:00:06.000\nfrom wrong assumptions.\n\n\
                    4\n00:00:07.000 --> 00:00:08.000\nDana Reyes: Correct. Why?\n\
                    >> Sam Patel: Because.\n";
        let r = parse(text).unwrap();
        let speakers: Vec<Option<&str>> = r.pieces.iter().map(|p| p.speaker.as_deref()).collect();
        assert_eq!(
            speakers,
            [
                Some("Dana Reyes"),
                Some("Sam Patel"),
                None,
                Some("Dana Reyes"),
                Some("Sam Patel")
            ]
        );
        assert_eq!(r.pieces[2].text, "from wrong assumptions.");
        assert_eq!(r.pieces[1].at_ms, Some(3_500));
    }

    #[test]
    fn reads_teams_voices_parts_and_order() {
        let text = "WEBVTT\n\nNOTE duration:\"00:10:00\"\nlevel: staff\n\nSTYLE\n::cue { color: lime }\n\n\
                    a1/20-0\n0:0:9.000 --> 0:0:10.000\n<v Sam>Later.</v>\n\n\
                    a1/18-0\n0:0:1.000 --> 0:0:3.000\n<v Dana>First &amp;</v>\n\n\
                    a1/18-1\n0:0:3.000 --> 0:0:4.000\n<v Dana>second part.</v>\n";
        let r = parse(text).unwrap();
        assert_eq!(r.level.as_deref(), Some("staff"));
        assert_eq!(r.pieces.len(), 3);
        assert_eq!(r.pieces[0].text, "First &");
        assert_eq!(r.pieces[1].text, "second part.");
        assert_eq!(r.pieces[1].at_ms, Some(1_000));
        assert_eq!(r.pieces[2].speaker.as_deref(), Some("Sam"));
    }

    #[test]
    fn tolerates_a_missing_blank_line_and_reports_bad_times() {
        let text = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v A>one\n00:00:02.000 --> 00:00:03.000\n<v B>two\n\
                    more\nc3/1-0\n00:00:04.000 --> 00:00:05.000\n<v A>three\n";
        let r = parse(text).unwrap();
        let texts: Vec<&str> = r.pieces.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, ["one", "two more", "three"]);
        let error = parse("WEBVTT\n\n00:00:xx --> 00:00:02.000\nhi\n").unwrap_err();
        assert_eq!(error.line, Some(3));
        assert!(
            parse("1\n00:00:01,000 --> 00:00:02,000\nhi\n")
                .unwrap_err()
                .line
                == Some(1)
        );
        assert!(parse("WEBVTT\n\nNOTE only\n").is_err());
    }
}
