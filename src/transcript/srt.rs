//! SubRip subtitles (`.srt`).
//!
//! Blocks of a number, a timing line `HH:MM:SS,mmm --> HH:MM:SS,mmm` and text lines.
//! Read leniently, as real files demand: `.` for `,`, a missing number, a missing
//! blank line between blocks, CRLF line ends (a BOM is removed before this reader
//! runs), and `<i>`/`{\an8}` markup. Speakers come from `Name:` or `[SPEAKER_00]:`
//! prefixes at the start of any line; a line without one continues the previous
//! speaker.

use super::captions::{self, SpeakerPrefixes};
use super::speakers::{Piece, Recording};
use super::ReadError;

/// Reads an SRT file into a recording whose speakers are still names.
pub fn parse(text: &str) -> Result<Recording, ReadError> {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let is_timing = |i: usize| lines.get(i).is_some_and(|l| l.contains("-->"));
    let is_number = |i: usize| {
        lines
            .get(i)
            .is_some_and(|l| !l.trim().is_empty() && l.trim().bytes().all(|b| b.is_ascii_digit()))
    };
    let mut blocks: Vec<(u64, String)> = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        if lines[index].trim().is_empty() {
            index += 1;
            continue;
        }
        let timing = if is_timing(index) {
            index
        } else if is_number(index) && is_timing(index + 1) {
            index + 1
        } else {
            return Err(ReadError::at(
                index + 1,
                None,
                format!(
                    "expected a subtitle number or a timing line (00:00:01,000 --> 00:00:04,000), \
                     found '{}'",
                    captions::clip(lines[index])
                ),
            ));
        };
        let start = captions::parse_timing(lines[timing])
            .unwrap_or_else(|| Err("expected a timing line".to_string()))
            .map_err(|message| ReadError::at(timing + 1, None, message))?;
        // The text runs to a blank line, or to the next block when the blank line is
        // missing: a timing line, or a number followed by one.
        let next_block_starts = |i: usize| is_timing(i) || (is_number(i) && is_timing(i + 1));
        let mut end = timing + 1;
        while end < lines.len() && !lines[end].trim().is_empty() && !next_block_starts(end) {
            end += 1;
        }
        // Each line may open with a speaker ("- Dana: ..." dialogue lines aside).
        blocks.extend(
            lines[timing + 1..end]
                .iter()
                .map(|line| (start, captions::clean(line))),
        );
        index = end;
    }
    if blocks.is_empty() {
        return Err(ReadError::new("the SRT file has no subtitles"));
    }
    let mut prefixes = SpeakerPrefixes::default();
    for (_, text) in &blocks {
        prefixes.observe(text);
    }
    let mut pieces: Vec<Piece> = blocks
        .iter()
        .map(|(start, text)| {
            let (speaker, rest) = prefixes.split(text);
            Piece {
                speaker: speaker.map(str::to_string),
                text: rest.to_string(),
                at_ms: Some(*start),
            }
        })
        .collect();
    pieces.sort_by_key(|p| p.at_ms);
    Ok(Recording {
        pieces,
        ..Recording::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_blocks_leniently() {
        let text = "1\n00:00:01,000 --> 00:00:02,000\n[SPEAKER_00]: Hello <i>there</i>.\n\
                    2\n00:00:02.500 --> 00:00:04.000\n[SPEAKER_01]: Hi.\nSecond line.\n\n\
                    00:00:05,000 --> 00:00:06,000\nStill me.\n";
        let r = parse(text).unwrap();
        let read: Vec<(Option<&str>, &str)> = r
            .pieces
            .iter()
            .map(|p| (p.speaker.as_deref(), p.text.as_str()))
            .collect();
        assert_eq!(
            read,
            [
                (Some("SPEAKER_00"), "Hello there."),
                (Some("SPEAKER_01"), "Hi."),
                (None, "Second line."),
                (None, "Still me.")
            ]
        );
        assert_eq!(r.pieces[1].at_ms, Some(2_500));
    }

    #[test]
    fn reports_the_line_of_a_bad_block() {
        let error = parse("1\n00:00:01,000 --> 00:00:02,000\nhi\n\nnot a block\n").unwrap_err();
        assert_eq!(error.line, Some(5));
        let error = parse("1\n00:00:01,000 --> 00:0x:02,000\nhi\n").unwrap_err();
        assert_eq!(error.line, Some(2));
    }
}
