//! A card's transcript view and the links into it.
//!
//! When an evaluation carries its turns (`transcript`, written by `grade --format
//! html` and `grade --with-transcript`), its card ends with the whole interview in a
//! `<details>`, folded: every turn with its number, speaker, time, the assessment of
//! its exchange (the question it asks; the band and quality of the answer it gives)
//! and the findings on it. Every turn the card cites (in strengths, gaps, the basis,
//! red flags, factual errors, breaches, evidence and exchanges) links to it
//! (`#c-3-t-5`, built from positions), and what the card quotes from a turn is
//! `<mark>`ed there. A quote is matched on the turn's own text, verbatim or with its
//! whitespace collapsed as quotes are; one cut short (`…`) matches by what is left,
//! and one not found leaves the turn unmarked, still linked. Everything is escaped
//! through the page's one [`escape`].
//!
//! Without the turns, cited turns stay plain numbers and the card says how to get
//! the view.

use std::fmt::Write as _;
use std::ops::Range;

use super::{escape, question, ABSENT};
use crate::evaluation::Evaluation;
use crate::transcript::Role;

/// The turns one card can link to: `#c-{card}-t-{turn}` for every turn below `count`
/// (none when the evaluation does not carry its transcript).
#[derive(Debug, Clone, Copy)]
pub(super) struct Turns {
    card: usize,
    count: usize,
}

impl Turns {
    /// The linkable turns of the card at `card`.
    pub(super) fn of(card: usize, evaluation: &Evaluation) -> Turns {
        Turns {
            card,
            count: evaluation
                .transcript
                .as_ref()
                .map_or(0, |transcript| transcript.turns.len()),
        }
    }

    /// The anchor of a turn that is in the transcript.
    fn href(&self, turn: usize) -> Option<String> {
        (turn < self.count).then(|| format!("#c-{}-t-{turn}", self.card))
    }

    /// `html` as a link to `turn`, or as it is when the turn cannot be linked.
    fn link(&self, turn: Option<usize>, html: String) -> String {
        match turn.and_then(|t| self.href(t)) {
            Some(href) => format!("<a href=\"{href}\">{html}</a>"),
            None => html,
        }
    }

    /// A turn number from the results, linked when it can be; [`ABSENT`] for none.
    pub(super) fn cell(&self, turn: Option<usize>) -> String {
        let shown = turn.map_or_else(|| ABSENT.to_string(), |t| t.to_string());
        self.link(turn, shown)
    }

    /// Prose from the results, escaped, with each turn it cites, `(turn 5)` or
    /// `(turns 3-7)`, linked to that turn (the first of a range).
    pub(super) fn prose(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + 32);
        let mut done = 0;
        for (cite, first) in citations(text) {
            out.push_str(&escape(&text[done..cite.start]));
            out.push_str(&self.link(Some(first), escape(&text[cite.clone()])));
            done = cite.end;
        }
        out.push_str(&escape(&text[done..]));
        out
    }
}

/// Where `text` cites turns: the `turn 5` or `turns 3-7` inside a `(turn 5)` or
/// `(turns 3-7)`, with the turn it starts at.
fn citations(text: &str) -> Vec<(Range<usize>, usize)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find("(turn") {
        let start = from + open + 1;
        from = start;
        let rest = &text[start + "turn".len()..];
        let Some(rest) = rest.strip_prefix("s ").or_else(|| rest.strip_prefix(' ')) else {
            continue;
        };
        let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
        let first_len = digits(rest);
        let Ok(first) = rest[..first_len].parse::<usize>() else {
            continue;
        };
        let mut len = first_len;
        if let Some(range) = rest[len..].strip_prefix('-') {
            let second = digits(range);
            if second > 0 {
                len += 1 + second;
            }
        }
        if !rest[len..].starts_with(')') {
            continue;
        }
        let end = text.len() - rest.len() + len;
        found.push((start..end, first));
        from = end;
    }
    found
}

/// The byte range of `quote` in `text`: verbatim, else with every run of whitespace in
/// `text` standing for the one space a quote has there. A `…` at either end (where a
/// quote was cut) is left out of the match. `None` when it is not there.
pub(super) fn find_quote(text: &str, quote: &str) -> Option<Range<usize>> {
    let quote = quote.trim().trim_matches('…').trim();
    if quote.is_empty() {
        return None;
    }
    if let Some(start) = text.find(quote) {
        return Some(start..start + quote.len());
    }
    let words: Vec<&str> = quote.split_whitespace().collect();
    let (first, others) = words.split_first()?;
    let mut from = 0;
    while let Some(found) = text[from..].find(first) {
        let start = from + found;
        let mut end = start + first.len();
        let matched = others.iter().all(|word| {
            let rest = &text[end..];
            let after = rest.trim_start();
            let ok = after.len() < rest.len() && after.starts_with(word);
            if ok {
                end += rest.len() - after.len() + word.len();
            }
            ok
        });
        if matched {
            return Some(start..end);
        }
        from = start + text[start..].chars().next().map_or(1, char::len_utf8);
    }
    None
}

/// A quote the card cites from a turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Cited<'a> {
    /// The words quoted.
    pub(super) quote: &'a str,
    /// Whether it is a finding against the interview (a red flag, a factual error, a
    /// breach), marked apart from the evidence behind the scores.
    pub(super) finding: bool,
}

/// `text` escaped, with every one of `cited` found in it marked: `<mark class="f">`
/// for findings, `<mark>` for evidence, overlapping marks merged into one (a finding
/// when any of them is).
pub(super) fn highlight(text: &str, cited: &[Cited]) -> String {
    let mut spans: Vec<(Range<usize>, bool)> = cited
        .iter()
        .filter_map(|c| find_quote(text, c.quote).map(|span| (span, c.finding)))
        .collect();
    spans.sort_by_key(|(span, _)| (span.start, span.end));
    let mut out = String::with_capacity(text.len() + 24 * spans.len());
    let mut done = 0;
    let mut spans = spans.into_iter().peekable();
    while let Some((span, mut finding)) = spans.next() {
        let mut end = span.end;
        while let Some((next, also)) = spans.peek().filter(|(next, _)| next.start <= end) {
            end = end.max(next.end);
            finding |= *also;
            spans.next();
        }
        out.push_str(&escape(&text[done..span.start]));
        let class = if finding { " class=\"f\"" } else { "" };
        let _ = write!(
            out,
            "<mark{class}>{}</mark>",
            escape(&text[span.start..end])
        );
        done = end;
    }
    out.push_str(&escape(&text[done..]));
    out
}

/// What the card says about each turn: the quotes it cites, and labels for the
/// turn's header (flags, breaches, errors).
#[derive(Default)]
struct Notes<'a> {
    cited: Vec<Cited<'a>>,
    labels: Vec<String>,
}

/// The notes of every turn below `count`, from the evaluation's findings.
fn notes(evaluation: &Evaluation, count: usize) -> Vec<Notes<'_>> {
    let mut notes: Vec<Notes> = (0..count).map(|_| Notes::default()).collect();
    for flag in &evaluation.red_flags {
        let label = format!("<code class=\"rule\">{}</code>", escape(&flag.id));
        cite(&mut notes, Some(flag.turn), &flag.quote, Some(label));
    }
    for error in &evaluation.factual_errors {
        let label = Some("factual error".to_string());
        cite(&mut notes, Some(error.turn), &error.quote, label);
    }
    for breach in evaluation.compliance.iter().flat_map(|c| &c.violations) {
        let label = format!(
            "breach <code class=\"rule\">{}</code>",
            escape(&breach.rule)
        );
        cite(&mut notes, Some(breach.turn), &breach.quote, Some(label));
    }
    for piece in &evaluation.production_evidence {
        cite(&mut notes, Some(piece.turn), &piece.quote, None);
    }
    for piece in evaluation.evidence.values().flatten() {
        cite(&mut notes, piece.turn, &piece.quote, None);
    }
    notes
}

/// Notes `quote` (and `label`) on `turn`, once each.
fn cite<'a>(notes: &mut [Notes<'a>], turn: Option<usize>, quote: &'a str, label: Option<String>) {
    let Some(note) = turn.and_then(|t| notes.get_mut(t)) else {
        return;
    };
    let finding = label.is_some();
    match note.cited.iter_mut().find(|c| c.quote == quote) {
        Some(known) => known.finding |= finding,
        None => note.cited.push(Cited { quote, finding }),
    }
    if let Some(label) = label {
        if !note.labels.contains(&label) {
            note.labels.push(label);
        }
    }
}

/// Per turn, the assessment of the exchange it belongs to: for the question, what
/// was asked and in which phase; for an answer, its band and quality (and the
/// interviewer's verdict).
fn exchange_notes(evaluation: &Evaluation, count: usize) -> Vec<String> {
    let mut notes = vec![String::new(); count];
    for exchange in &evaluation.exchanges {
        if let Some(note) = notes.get_mut(exchange.question_turn) {
            *note = format!("asks {}, phase {}", question(exchange), exchange.phase);
        }
        let mut answer = super::band_pill(exchange.band);
        let _ = write!(answer, " quality {}", exchange.quality);
        if let Some(verdict) = &exchange.interviewer_verdict {
            let _ = write!(answer, ", interviewer: {}", escape(verdict));
        }
        for &turn in &exchange.answer_turns {
            if let Some(note) = notes.get_mut(turn) {
                note.clone_from(&answer);
            }
        }
    }
    notes
}

/// The card's transcript view, folded; or, when the results do not carry the
/// turns, how to get them.
pub(super) fn view(out: &mut String, card: usize, evaluation: &Evaluation) {
    let Some(turns) = evaluation.transcript.as_ref().map(|t| &t.turns) else {
        out.push_str(
            "<p class=\"note\">The transcript is not in this results file. Grade with \
             <code>debrief grade --with-transcript</code> (or <code>--format html</code>) to \
             read every turn here, with each cited turn linked.</p>\n",
        );
        return;
    };
    let notes = notes(evaluation, turns.len());
    let exchanges = exchange_notes(evaluation, turns.len());
    let _ = writeln!(
        out,
        "<details class=\"transcript\" id=\"c-{card}-turns\"><summary>Transcript ({} turns)\
         </summary>\n<p class=\"note\">Marked: what the card quotes, \
         <mark class=\"f\">red flags, factual errors and breaches</mark> apart from \
         <mark>the evidence behind the scores</mark>.</p>\n<ol class=\"turns\">",
        turns.len()
    );
    for (index, turn) in turns.iter().enumerate() {
        let (class, label, named) = match turn.role {
            Role::Interviewer => ("iv", "Interviewer", &evaluation.interviewer),
            Role::Candidate => ("ca", "Candidate", &evaluation.candidate),
        };
        // The name the input gives the speaker, else the metadata's name for the role.
        let name = turn
            .speaker
            .as_ref()
            .filter(|name| !name.trim().eq_ignore_ascii_case(turn.role.key()))
            .or(named.as_ref());
        let _ = write!(
            out,
            "<li id=\"c-{card}-t-{index}\" class=\"{class}\"><p class=\"who\"><b>{index}</b> {label}"
        );
        if let Some(name) = name {
            let _ = write!(out, " · {}", escape(name));
        }
        if let Some(when) = &turn.at {
            let _ = write!(out, " <time>{}</time>", escape(when));
        }
        let note = &notes[index];
        if !exchanges[index].is_empty() || !note.labels.is_empty() {
            out.push_str(" <span class=\"ex\">");
            let parts: Vec<&str> = std::iter::once(exchanges[index].as_str())
                .filter(|s| !s.is_empty())
                .chain(note.labels.iter().map(String::as_str))
                .collect();
            out.push_str(&parts.join("; "));
            out.push_str("</span>");
        }
        let _ = writeln!(
            out,
            "</p><p class=\"said\">{}</p></li>",
            highlight(&turn.text, &note.cited)
        );
    }
    out.push_str("</ol></details>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Quotes cited as evidence.
    fn evidence<'a>(quotes: &[&'a str]) -> Vec<Cited<'a>> {
        quotes
            .iter()
            .map(|&quote| Cited {
                quote,
                finding: false,
            })
            .collect()
    }

    #[test]
    fn marks_a_quote_with_html_special_characters_escaped() {
        let text = "Well, if x < 3 && y > \"a\" then it's <b>bold</b>.";
        assert_eq!(
            highlight(text, &evidence(&["x < 3 && y > \"a\""])),
            "Well, if <mark>x &lt; 3 &amp;&amp; y &gt; &quot;a&quot;</mark> then it&#39;s \
             &lt;b&gt;bold&lt;/b&gt;."
        );
        let flagged = [Cited {
            quote: "<b>bold</b>",
            finding: true,
        }];
        assert_eq!(
            highlight(text, &flagged),
            "Well, if x &lt; 3 &amp;&amp; y &gt; &quot;a&quot; then it&#39;s \
             <mark class=\"f\">&lt;b&gt;bold&lt;/b&gt;</mark>."
        );
        // A quote of escaped text is not found in the raw words, and marks nothing.
        assert_eq!(
            highlight(text, &evidence(&["&lt;b&gt;"])),
            highlight(text, &[])
        );
    }

    #[test]
    fn a_quote_not_found_marks_nothing() {
        let text = "We used <XGBoost> & tuned it.";
        assert_eq!(
            highlight(text, &evidence(&["We used LightGBM"])),
            "We used &lt;XGBoost&gt; &amp; tuned it."
        );
        assert_eq!(highlight(text, &evidence(&["", "   ", "…"])), escape(text));
        assert_eq!(find_quote(text, "tuned it. And more"), None);
    }

    #[test]
    fn matches_quotes_cut_short_or_with_whitespace_collapsed() {
        let text = "First line.\nSecond   line goes on\tand on. Third.";
        assert_eq!(
            find_quote(text, "Second line goes on and on."),
            Some(12..41)
        );
        assert_eq!(
            &text[find_quote(text, "…goes on and…").unwrap()],
            "goes on\tand"
        );
        let cited = [
            Cited {
                quote: "…line goes on",
                finding: false,
            },
            Cited {
                quote: "goes on and on.",
                finding: true,
            },
            Cited {
                quote: "Third.",
                finding: false,
            },
        ];
        assert_eq!(
            highlight(text, &cited),
            "First line.\nSecond   <mark class=\"f\">line goes on\tand on.</mark> \
             <mark>Third.</mark>"
        );
        // Multi-byte text before a near miss.
        assert_eq!(find_quote("ééé é", "é é"), Some(4..9));
    }

    #[test]
    fn links_the_turns_prose_cites() {
        let turns = Turns { card: 3, count: 10 };
        assert_eq!(
            turns.prose("Explained <x> (turn 5); covered it (turns 2-4), not (turn 12)."),
            "Explained &lt;x&gt; (<a href=\"#c-3-t-5\">turn 5</a>); covered it \
             (<a href=\"#c-3-t-2\">turns 2-4</a>), not (turn 12)."
        );
        assert_eq!(
            turns.prose("(turn x) (turns) (turn 3"),
            "(turn x) (turns) (turn 3"
        );
        let none = Turns { card: 3, count: 0 };
        assert_eq!(none.prose("(turn 5)"), "(turn 5)");
        assert_eq!(turns.cell(Some(7)), "<a href=\"#c-3-t-7\">7</a>");
        assert_eq!(turns.cell(Some(10)), "10");
        assert_eq!(turns.cell(None), ABSENT);
    }
}
