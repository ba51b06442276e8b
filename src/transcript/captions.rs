//! What caption and export formats share: cue times, markup, entities and the
//! `Name: text` speaker prefix.
//!
//! WebVTT, SRT and the plain-text meeting exports all carry speech as short pieces
//! of text with a time and, sometimes, a speaker name written into the text. The
//! helpers here read those conventions leniently, because the files come from many
//! products, each with its own liberties.

use std::collections::HashMap;

use super::speakers::name_key;

/// Parses a cue time leniently: `HH:MM:SS.mmm`, `MM:SS.mmm`, `H:M:S.mmm` (Teams
/// writes `0:0:5.320`), with `.` or `,` before the fraction and the fraction
/// optional; digits beyond milliseconds are dropped. Hours may have any length.
pub fn parse_cue_time(text: &str) -> Option<u64> {
    let text = text.trim();
    let (clock, fraction) = match text.split_once(['.', ',']) {
        Some((clock, fraction)) => (clock, Some(fraction)),
        None => (text, None),
    };
    let millis = match fraction {
        None => 0,
        Some(f) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => {
            let digits: String = f.chars().chain("000".chars()).take(3).collect();
            digits.parse::<u64>().ok()?
        }
        Some(_) => return None,
    };
    let parts: Vec<&str> = clock.split(':').collect();
    if !(2..=3).contains(&parts.len()) {
        return None;
    }
    let mut numbers = Vec::with_capacity(3);
    for (index, part) in parts.iter().enumerate() {
        let limit = if index == 0 { 9 } else { 2 };
        if part.is_empty() || part.len() > limit || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        numbers.push(part.parse::<u64>().ok()?);
    }
    if numbers[1..].iter().any(|&n| n >= 60) {
        return None;
    }
    let seconds = numbers
        .iter()
        .fold(0u64, |total, &n| total.saturating_mul(60).saturating_add(n));
    Some(seconds.saturating_mul(1000).saturating_add(millis))
}

/// The start of a cue timing line (`start --> end [settings]`), `None` if the line is
/// not one, `Some(Err)` if it is one with an unreadable start.
pub fn parse_timing(line: &str) -> Option<Result<u64, String>> {
    let (start, rest) = line.split_once("-->")?;
    let end = rest.split_whitespace().next().unwrap_or("");
    let start = start.trim();
    Some(match (parse_cue_time(start), parse_cue_time(end)) {
        (Some(start), Some(_)) => Ok(start),
        (None, _) => Err(format!("invalid cue start time '{}'", clip(start))),
        (_, None) => Err(format!("invalid cue end time '{}'", clip(end))),
    })
}

/// At most 40 characters of `text` for an error message, on one line.
pub fn clip(text: &str) -> String {
    let one_line = collapse(text);
    let clipped: String = one_line.chars().take(40).collect();
    if clipped.len() < one_line.len() {
        format!("{clipped}...")
    } else {
        clipped
    }
}

/// Removes markup from caption text: the WebVTT and SRT tags (`<v Name>`, `<c.yellow>`,
/// `<i>`, `</b>`, `<font ...>`, `<00:00:01.000>` timestamps) and SSA overrides
/// (`{\an8}`), and decodes entities; runs of white space become one space. Anything
/// else stays, so `p<0.05 and d>0.2` survives.
pub fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(position) = rest.find(['<', '{']) {
        out.push_str(&rest[..position]);
        let tail = &rest[position..];
        let markup = if tail.starts_with('<') {
            tag_length(tail)
        } else {
            override_length(tail)
        };
        match markup {
            Some(length) => rest = &tail[length..],
            None => {
                out.push_str(&tail[..1]);
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    collapse(&decode_entities(&out))
}

/// Runs of white space as one space, trimmed.
pub fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Caption tags, by name (WebVTT's, and the HTML ones SRT files carry).
const TAGS: [&str; 10] = ["b", "c", "font", "i", "lang", "ruby", "rt", "s", "u", "v"];

/// The length of the caption tag `tail` starts with (`<i>`, `</v>`, `<c.x>`,
/// `<v Name>`, `<00:01.000>`), looking no further than a tag can reach.
fn tag_length(tail: &str) -> Option<usize> {
    let close = tail.bytes().take(200).position(|b| b == b'>')?;
    let inside = tail[1..close].trim_start_matches('/');
    let name_end = inside
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(inside.len());
    let name = &inside[..name_end];
    let known = TAGS.contains(&name.to_ascii_lowercase().as_str())
        && inside[name_end..]
            .chars()
            .next()
            .is_none_or(|c| c == '.' || c.is_whitespace());
    let timestamp = !inside.is_empty()
        && inside.contains(':')
        && inside
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b':' || b == b'.');
    (known || timestamp).then_some(close + 1)
}

/// The length of the SSA override (`{\an8}`) `tail` starts with.
fn override_length(tail: &str) -> Option<usize> {
    if !tail[1..].starts_with('\\') {
        return None;
    }
    tail.bytes()
        .take(100)
        .position(|b| b == b'}')
        .map(|end| end + 1)
}

/// Decodes the HTML character references captions use: the named ones WebVTT
/// defines and numeric ones. Unknown references stay as written.
pub fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(position) = rest.find('&') {
        out.push_str(&rest[..position]);
        let tail = &rest[position..];
        let decoded = tail
            .bytes()
            .take(12)
            .position(|b| b == b';')
            .and_then(|end| entity(&tail[1..end]).map(|c| (c, end)));
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &tail[end + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        "lrm" | "rlm" => Some(' '),
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code).filter(|c| !c.is_control() || c.is_whitespace())
        }
    }
}

/// A speaker prefix found at the start of a piece of text: `Name: text`,
/// `[SPEAKER_00]: text`, `[SPEAKER_00] text` or `>> Name: text`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prefixed<'a> {
    /// The name as written.
    pub name: &'a str,
    /// The text after the prefix.
    pub rest: &'a str,
}

/// Splits a speaker prefix off `text` when its shape allows one. Whether the name is
/// really a speaker is for [`SpeakerPrefixes`] to decide across the whole file.
pub fn split_prefix(text: &str) -> Option<Prefixed<'_>> {
    let text = text.trim_start();
    let text = text.strip_prefix(">>").map_or(text, str::trim_start);
    if let Some(inner) = text.strip_prefix('[') {
        let close = inner.bytes().take(64).position(|b| b == b']')?;
        let (name, rest) = (inner[..close].trim(), &inner[close + 1..]);
        let rest = rest.trim_start();
        let rest = rest.strip_prefix(':').unwrap_or(rest);
        let sound = SOUND_TAGS.contains(&name.to_lowercase().as_str());
        return (!sound && name_shaped(name)).then(|| Prefixed {
            name,
            rest: rest.trim_start(),
        });
    }
    // A name is short: the colon must come early.
    let colon = text.bytes().take(72).position(|b| b == b':')?;
    let (name, rest) = (text[..colon].trim(), &text[colon + 1..]);
    // "12:30" or "http://" are not speakers.
    if rest.starts_with("//") || rest.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    name_shaped(name).then(|| Prefixed {
        name,
        rest: rest.trim_start(),
    })
}

/// Bracketed sound descriptions in captions, which are not speakers.
const SOUND_TAGS: [&str; 18] = [
    "applause",
    "background noise",
    "blank_audio",
    "cough",
    "coughs",
    "crosstalk",
    "foreign",
    "inaudible",
    "laughs",
    "laughter",
    "music",
    "no audio",
    "noise",
    "pause",
    "sighs",
    "silence",
    "unintelligible",
    "music playing",
];

/// Words that start labels inside speech ("Correct approach:", "Note:") and so never
/// begin a speaker's name.
const LABEL_WORDS: [&str; 26] = [
    "answer",
    "approach",
    "bottom",
    "correct",
    "definition",
    "edit",
    "example",
    "follow",
    "formula",
    "hint",
    "how",
    "important",
    "incorrect",
    "input",
    "key",
    "next",
    "note",
    "option",
    "output",
    "question",
    "result",
    "step",
    "summary",
    "tip",
    "update",
    "what",
];

/// Lowercase words allowed inside a name ("Maria de la Cruz").
const NAME_PARTICLES: [&str; 12] = [
    "al", "bin", "da", "de", "del", "der", "di", "du", "la", "le", "van", "von",
];

/// Whether `name` could be a speaker as meeting tools write them: one to five words,
/// none starting lower case (particles such as "de" aside), made of letters, digits
/// and `.'-_`, with at most one comma ("Reyes, Dana") and an optional short
/// parenthesis at the end ("(he/him)", "(Guest)"); not a label word such as "Note" or
/// "Correct approach".
pub fn name_shaped(name: &str) -> bool {
    if name.is_empty() || name.len() > 80 {
        return false;
    }
    let name = match name.strip_suffix(')').and_then(|n| n.rsplit_once('(')) {
        Some((before, inside)) if inside.chars().count() <= 24 && !before.trim().is_empty() => {
            before.trim_end()
        }
        Some(_) => return false,
        None => name,
    };
    if name.matches(',').count() > 1 || name.starts_with(',') || name.ends_with(',') {
        return false;
    }
    let words: Vec<&str> = name
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() || words.len() > 5 {
        return false;
    }
    let first = words[0].trim_end_matches('.').to_lowercase();
    if LABEL_WORDS.contains(&first.as_str()) {
        return false;
    }
    if let [word] = words.as_slice() {
        if agent_shaped(word) {
            return true;
        }
    }
    words.iter().enumerate().all(|(index, word)| {
        let allowed = word
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '\'' | '-' | '_' | '’'));
        let opens_well = word.chars().next().is_some_and(|c| !c.is_lowercase());
        allowed && (opens_well || (index > 0 && NAME_PARTICLES.contains(word)))
    })
}

/// Whether one word is shaped like an LLM agent's or a bot's display name:
/// lower-case segments of letters and digits joined by `-`, `_` or `.`, with a joint
/// or a digit ("ml-interviewer-v3", "qa_bot", "gpt4o"), whose first segment is not a
/// label word ("follow-up", "step-2"). Meeting tools show agents by such ids, and
/// like any other name it becomes a speaker only when it opens two or more lines.
fn agent_shaped(word: &str) -> bool {
    let segments: Vec<&str> = word.split(['-', '_', '.']).collect();
    let joined = segments.len() > 1;
    let has_digit = word.chars().any(|c| c.is_ascii_digit());
    (joined || has_digit)
        && word.len() >= 3
        && segments.iter().all(|s| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
        && segments[0].len() >= 2
        && segments[0].starts_with(|c: char| c.is_ascii_lowercase())
        && !LABEL_WORDS.contains(&segments[0])
}

/// Decides which `Name:` prefixes in a file are speakers.
///
/// A prefix that opens two or more lines is a speaker; one seen once only if it is a
/// diarization label ("SPEAKER_00", "Speaker 2"). A one-off prefix ("L1: absolute
/// values", "Precision: the share of ...") is more likely a label inside speech and
/// stays part of the text. Names compare case-insensitively.
#[derive(Debug, Default)]
pub struct SpeakerPrefixes {
    counts: HashMap<String, usize>,
}

impl SpeakerPrefixes {
    /// Counts the prefix of one line of text.
    pub fn observe(&mut self, text: &str) {
        if let Some(prefixed) = split_prefix(text) {
            *self.counts.entry(name_key(prefixed.name)).or_default() += 1;
        }
    }

    /// Whether `name` counts as a speaker in this file.
    pub fn is_speaker(&self, name: &str) -> bool {
        let count = self.counts.get(&name_key(name)).copied().unwrap_or(0);
        count >= 2 || (count == 1 && super::speakers::is_speaker_label(name))
    }

    /// The speaker and the remaining text of `text`, when it opens with a speaker.
    pub fn split<'a>(&self, text: &'a str) -> (Option<&'a str>, &'a str) {
        match split_prefix(text) {
            Some(p) if self.is_speaker(p.name) => (Some(p.name), p.rest),
            _ => (None, text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_lenient_cue_times() {
        assert_eq!(parse_cue_time("00:00:05.320"), Some(5_320));
        assert_eq!(parse_cue_time("0:0:5.320"), Some(5_320));
        assert_eq!(parse_cue_time("01:02.5"), Some(62_500));
        assert_eq!(parse_cue_time("00:00:01,000"), Some(1_000));
        assert_eq!(parse_cue_time("100:00:00.000"), Some(360_000_000));
        assert_eq!(parse_cue_time("00:00:01.1234"), Some(1_123));
        assert_eq!(parse_cue_time("00:61:00.000"), None);
        assert_eq!(parse_cue_time("soon"), None);
        assert_eq!(
            parse_timing("00:00:01.000 --> 00:00:02.000 align:start"),
            Some(Ok(1_000))
        );
        assert!(parse_timing("text").is_none());
        assert!(parse_timing("x --> 00:00:02.000").unwrap().is_err());
    }

    #[test]
    fn cleans_markup_and_entities() {
        assert_eq!(
            clean("<v Dana Reyes>Bias &amp; variance</v> <c.yellow>trade</c>-off &#39;x&#x27;"),
            "Bias & variance trade-off 'x'"
        );
        assert_eq!(clean("{\\an8}<i>hello</i>  world"), "hello world");
        assert_eq!(clean("a < b and {x}"), "a < b and {x}");
        assert_eq!(
            clean("so p<0.05 and the effect size d>0.2 matters"),
            "so p<0.05 and the effect size d>0.2 matters"
        );
        assert_eq!(clean("<00:00:01.500>timed <u>under</u>"), "timed under");
        assert_eq!(decode_entities("&unknown; &amp"), "&unknown; &amp");
    }

    #[test]
    fn splits_speaker_prefixes() {
        let p = split_prefix("Dana Reyes: Let's start.").unwrap();
        assert_eq!((p.name, p.rest), ("Dana Reyes", "Let's start."));
        let p = split_prefix("[SPEAKER_01]: yes").unwrap();
        assert_eq!((p.name, p.rest), ("SPEAKER_01", "yes"));
        assert_eq!(split_prefix("[SPEAKER_00] hi").unwrap().name, "SPEAKER_00");
        assert_eq!(
            split_prefix(">> Maria de la Cruz: hola").unwrap().name,
            "Maria de la Cruz"
        );
        assert!(split_prefix("Correct approach: use L2.").is_none());
        assert!(split_prefix("Option A: a bigger batch").is_none());
        assert!(split_prefix("[Laughter] right").is_none());
        for name in [
            "Amir Haddad (he/him)",
            "Amir Haddad (Guest)",
            "Reyes, Dana",
            "王伟",
            "Zoë Lefèvre-Martin",
            "ml-interviewer-v3",
            "qa-bot-2",
            "interviewer_agent",
            "gpt4o",
        ] {
            assert!(name_shaped(name), "{name}");
        }
        for name in [
            "the ratio",
            "follow-up",
            "step-2",
            "e.g",
            "l1",
            "x",
            "ratio-",
            "Dana Reyes (a very long aside about nothing)",
            "a, b, c",
        ] {
            assert!(!name_shaped(name), "{name}");
        }
        assert!(split_prefix("the ratio is 3:1").is_none());
        assert!(split_prefix("At 10:30 we met").is_none());
        assert!(split_prefix("see https://x.org").is_none());
    }

    #[test]
    fn prefixes_need_two_sightings_unless_they_are_labels() {
        let mut prefixes = SpeakerPrefixes::default();
        for text in [
            "Dana: hi",
            "Sam: hello",
            "Dana: q?",
            "Precision: share of",
            "Lee Okafor: hi",
            "L1: absolute values",
            "[SPEAKER_02]: hm",
            "[Laughter] yes",
            "[Laughter] yes",
        ] {
            prefixes.observe(text);
        }
        assert!(prefixes.is_speaker("Dana"));
        assert!(!prefixes.is_speaker("Sam"));
        assert!(!prefixes.is_speaker("Precision"));
        assert!(!prefixes.is_speaker("Lee Okafor"));
        assert!(!prefixes.is_speaker("L1"));
        assert!(prefixes.is_speaker("SPEAKER_02"));
        assert!(!prefixes.is_speaker("Laughter"));
        assert_eq!(prefixes.split("Dana: q?"), (Some("Dana"), "q?"));
        assert_eq!(
            prefixes.split("Precision: share"),
            (None, "Precision: share")
        );
    }
}
