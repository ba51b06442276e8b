//! Markdown transcripts: optional YAML front matter, then turns that start at a
//! speaker label.
//!
//! Labels: `**Interviewer:**`, `**Interviewer**:`, `Interviewer:` or a heading
//! `## Interviewer` (likewise Candidate), case-insensitive. A timestamp `[HH:MM:SS]`
//! or `[MM:SS]` may stand before the label, between name and colon, or right after
//! the label, or open the turn's first text line after a heading label. Lines after a
//! label continue its turn; text before the first label is ignored.

use std::sync::LazyLock;

use regex::Regex;
use serde::Deserialize;

use super::{timestamp, ReadError, Role, Transcript, Turn};

/// Front matter keys debrief reads; other keys (labels for evaluation, notes) are
/// allowed and ignored here.
#[derive(Deserialize, Default)]
struct FrontMatter {
    id: Option<serde_json::Value>,
    candidate: Option<String>,
    interviewer: Option<String>,
    level: Option<String>,
    expect: Option<serde_json::Value>,
}

const TS: &str = r"\d+:\d+(?::\d+)?(?:[.,]\d+)?";

static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    let pattern = format!(
        r"(?ix)^\s*
        (?:\[(?P<pre>{TS})\]\s*)?
        (?:
            \#{{1,6}}\s*(?:\*\*)?(?P<heading>interviewer|candidate)(?:\*\*)?
                \s*(?:\[(?P<heading_ts>{TS})\])?\s*:?\s*$
          | \*\*(?P<bold_in>interviewer|candidate)\s*(?:\[(?P<bold_in_ts>{TS})\])?\s*:\s*\*\*
          | \*\*(?P<bold_out>interviewer|candidate)\*\*\s*(?:\[(?P<bold_out_ts>{TS})\])?\s*:
          | (?P<plain>interviewer|candidate)\s*(?:\[(?P<plain_ts>{TS})\])?\s*:
        )
        \s*(?:\[(?P<post>{TS})\])?"
    );
    Regex::new(&pattern).expect("the label pattern is valid")
});

static LEADING_TS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"^\s*\[({TS})\]\s*")).expect("the timestamp pattern is valid")
});

/// Reads a markdown transcript.
pub fn parse(text: &str, stem: &str) -> Result<Transcript, ReadError> {
    let lines: Vec<&str> = text.lines().collect();
    let (front, body_start) = front_matter(&lines)?;
    let mut turns: Vec<Turn> = Vec::new();
    let mut body: Vec<&str> = Vec::new();

    for (index, line) in lines.iter().enumerate().skip(body_start) {
        let number = index + 1;
        let Some(captures) = LABEL.captures(line) else {
            if let Some(turn) = turns.last_mut() {
                // A heading label's time may open its first text line: "[00:03:30] Correct."
                let first_text = body.iter().all(|l| l.trim().is_empty());
                if let (true, None, Some(stamp)) =
                    (first_text, turn.at_ms, LEADING_TS.captures(line))
                {
                    let clock = stamp.get(1).expect("the pattern has one group");
                    turn.at_ms = Some(
                        timestamp::parse_clock(clock.as_str())
                            .map_err(|e| ReadError::at(number, Some(clock.start() + 1), e))?,
                    );
                    body.push(&line[stamp.get(0).map_or(0, |m| m.end())..]);
                } else {
                    body.push(line);
                }
            }
            continue;
        };
        if let Some(turn) = turns.last_mut() {
            turn.text = join_body(&body);
        }
        body.clear();
        let name = ["heading", "bold_in", "bold_out", "plain"]
            .iter()
            .find_map(|group| captures.name(group))
            .map_or("", |m| m.as_str());
        let role = Role::from_name(name).expect("the label pattern only matches known roles");
        let clock = [
            "pre",
            "heading_ts",
            "bold_in_ts",
            "bold_out_ts",
            "plain_ts",
            "post",
        ]
        .iter()
        .find_map(|group| captures.name(group));
        let at_ms = match clock {
            Some(clock) => Some(
                timestamp::parse_clock(clock.as_str())
                    .map_err(|e| ReadError::at(number, Some(clock.start() + 1), e))?,
            ),
            None => None,
        };
        let rest = &line[captures.get(0).map_or(0, |m| m.end())..];
        if !rest.trim().is_empty() {
            body.push(rest);
        }
        turns.push(Turn {
            role,
            speaker: None,
            text: String::new(),
            at_ms,
        });
    }
    if let Some(turn) = turns.last_mut() {
        turn.text = join_body(&body);
    }
    if turns.is_empty() {
        return Err(ReadError::new(
            "no speaker labels found (expected lines such as '**Interviewer:** ...' or '## Candidate')",
        ));
    }
    let id = match front.id {
        None | Some(serde_json::Value::Null) => stem.to_string(),
        Some(serde_json::Value::String(id)) if !id.trim().is_empty() => id,
        Some(serde_json::Value::Number(n)) => n.to_string(),
        Some(_) => {
            return Err(ReadError::at(
                1,
                None,
                "front matter 'id' must be a non-empty string or a number",
            ))
        }
    };
    Ok(Transcript {
        id,
        candidate: front.candidate,
        interviewer: front.interviewer,
        level: front.level,
        turns,
        labels: front.expect,
        speakers: None,
    })
}

/// Parses front matter between a first line `---` and the next `---` or `...`;
/// returns it and the index of the first body line.
fn front_matter(lines: &[&str]) -> Result<(FrontMatter, usize), ReadError> {
    if lines.first().map(|l| l.trim_end()) != Some("---") {
        return Ok((FrontMatter::default(), 0));
    }
    let end = lines
        .iter()
        .enumerate()
        .skip(1)
        .find(|(_, l)| matches!(l.trim_end(), "---" | "..."))
        .map(|(i, _)| i)
        .ok_or_else(|| {
            ReadError::at(1, Some(1), "front matter opened with '---' is never closed")
        })?;
    let yaml = lines[1..end].join("\n");
    if yaml.trim().is_empty() {
        return Ok((FrontMatter::default(), end + 1));
    }
    let front: FrontMatter = serde_saphyr::from_str(&yaml).map_err(|e| {
        let (line, column) = e.location().map_or((2, None), |l| {
            (l.line() as usize + 1, Some(l.column() as usize))
        });
        ReadError::at(
            line,
            column,
            format!("invalid front matter: {}", yaml_message(&e)),
        )
    })?;
    Ok((front, end + 1))
}

/// The first line of a YAML error's message, without its rendered snippet.
pub(crate) fn yaml_message(error: &serde_saphyr::Error) -> String {
    let options = serde_saphyr::render_options! {
        snippets: serde_saphyr::SnippetMode::Off,
    };
    let rendered = error.render_with_options(options);
    let first = rendered.lines().next().unwrap_or("invalid YAML").trim();
    match first.rfind(" at line ") {
        Some(cut) => first[..cut].to_string(),
        None => first.to_string(),
    }
}

fn join_body(lines: &[&str]) -> String {
    let joined = lines.join("\n");
    joined.trim().to_string()
}

/// Whether `text` shows markdown transcript markup: front matter, or a bold or
/// heading role label (`**Interviewer:**`, `## Candidate`, after an optional
/// `[00:00:05]`) in its first lines.
pub fn has_markup(text: &str) -> bool {
    if text.trim_start().starts_with("---") {
        return true;
    }
    text.lines().take(200).any(|line| {
        let mut line = line.trim_start();
        if line.starts_with('[') {
            line = line
                .split_once(']')
                .map_or(line, |(_, rest)| rest.trim_start());
        }
        let Some(label) = line
            .strip_prefix("**")
            .or_else(|| line.strip_prefix('#').map(|l| l.trim_start_matches('#')))
        else {
            return false;
        };
        let lower: String = label
            .trim_start()
            .chars()
            .take(11)
            .flat_map(char::to_lowercase)
            .collect();
        lower.starts_with("interviewer") || lower.starts_with("candidate")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roles_and_times(text: &str) -> Vec<(Role, Option<u64>, String)> {
        parse(text, "s")
            .unwrap()
            .turns
            .into_iter()
            .map(|t| (t.role, t.at_ms, t.text))
            .collect()
    }

    #[test]
    fn reads_every_label_style() {
        let text = "# Title\nignored\n\
            **Interviewer:** one\n\
            **Candidate**: two\nmore\n\n\
            Interviewer: three\n\
            ## Candidate\nfour\n\
            [00:00:05] **Interviewer**: five\n\
            **Candidate** [00:00:06]: six\n\
            ## Interviewer [00:07]\nseven\n\
            **Candidate:** [00:00:08] eight\n";
        let turns = roles_and_times(text);
        let texts: Vec<&str> = turns.iter().map(|t| t.2.as_str()).collect();
        assert_eq!(
            texts,
            [
                "one",
                "two\nmore",
                "three",
                "four",
                "five",
                "six",
                "seven",
                "eight"
            ]
        );
        assert_eq!(turns[1].0, Role::Candidate);
        assert_eq!(turns[4].1, Some(5_000));
        assert_eq!(turns[5].1, Some(6_000));
        assert_eq!(turns[6].1, Some(7_000));
        assert_eq!(turns[7].1, Some(8_000));
        let turns =
            roles_and_times("## Interviewer\n[00:03:30] Correct. Next?\n## Candidate\nYes.\n");
        assert_eq!(turns[0].1, Some(210_000));
        assert_eq!(turns[0].2, "Correct. Next?");
    }

    #[test]
    fn reads_front_matter() {
        let t = parse(
            "---\nid: abc\ncandidate: Ana\nlevel: staff\nexpect:\n  recommendation: Yes\n---\nInterviewer: q\nCandidate: a\n",
            "s",
        )
        .unwrap();
        assert_eq!(t.id, "abc");
        assert_eq!(t.level.as_deref(), Some("staff"));
    }

    #[test]
    fn reports_broken_front_matter_and_timestamps() {
        let error = parse("---\nid: x\nInterviewer: q\n", "s").unwrap_err();
        assert!(error.message.contains("never closed"));
        let error = parse("---\nid: [x\n---\nInterviewer: q\n", "s").unwrap_err();
        assert!(
            error.message.contains("invalid front matter"),
            "{}",
            error.message
        );
        let error = parse("x\n[00:75:00] Interviewer: q\n", "s").unwrap_err();
        assert_eq!(error.line, Some(2));
        assert!(parse("just prose\n", "s").is_err());
    }

    #[test]
    fn a_word_like_interviewer_inside_prose_is_not_a_label() {
        let turns = roles_and_times("Interviewer: q\nThe interviewer asked: why?\n");
        assert_eq!(turns.len(), 1);
    }
}
