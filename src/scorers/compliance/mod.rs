//! Interviewer template compliance: every breach of the guide's behavioural
//! constraints, with turn and quote.
//!
//! Only interviewer turns are read. Phrase and pattern rules (`forbidden_phrase`,
//! `encouragement`, `hint`, `acknowledges_struggle`, `teaching`, `feedback_at_end`)
//! come from the rubric; structural rules are checked here: `multiple_questions`
//! (more than one question sentence), `teaching` (too many declarative words),
//! `template_mismatch` (a reply to a candidate's answer that opens with no response
//! template), `malformed_template` (a template whose slots are missing or out of
//! order), `missing_conclusion`. A rule the rubric does not list is not checked.
//!
//! Score: `100 x (clean interviewer turns + conclusion present) / (interviewer turns + 1)`,
//! rounded down: every interviewer turn without a breach counts one, and the
//! transcript-level conclusion check counts one more.

pub mod audit;

use std::collections::BTreeSet;

use schemars::JsonSchema;
use serde::Serialize;

use super::{Prepared, Scorer};
use crate::rubric::{CompiledRubric, CompiledSlot, CompiledTemplate, TurnList};
use crate::text;
use crate::transcript::Role;

/// The compliance scorer.
pub struct ComplianceScorer;

/// One breach.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, JsonSchema)]
pub struct Violation {
    /// Rule id.
    pub rule: String,
    /// 0-based turn.
    pub turn: usize,
    /// The turn's time offset, `HH:MM:SS`, when the transcript has one.
    pub at: Option<String>,
    /// The interviewer's words.
    pub quote: String,
    /// What is wrong.
    pub message: String,
}

/// The compliance result of one transcript.
#[derive(Debug, Clone, Default)]
pub struct ComplianceFindings {
    /// 0-100.
    pub score: u8,
    /// Every breach, in turn order.
    pub violations: Vec<Violation>,
    /// Interviewer turns read.
    pub interviewer_turns: usize,
    /// Checks made: interviewer turns plus the conclusion check.
    pub checks: usize,
    /// Checks passed: clean interviewer turns plus the conclusion, if present.
    pub passed: usize,
    /// Per interviewer turn that answers a candidate with a template, the template id.
    pub verdicts: Vec<(usize, String)>,
    /// The turn that says the conclusion, if any.
    pub conclusion_turn: Option<usize>,
}

impl Scorer for ComplianceScorer {
    type Findings = ComplianceFindings;

    fn score(&self, prepared: &Prepared<'_>, rubric: &CompiledRubric) -> ComplianceFindings {
        Audit::new(prepared, rubric).run()
    }
}

/// The breaches interviewer turn `turn` commits, judged from the turns before it and
/// itself only: what `audit` reports of that turn when it is the interviewer's last,
/// without the missing conclusion, which only the end of the interview decides. The
/// guardrail checks a message this way before it is sent.
pub fn check_turn(prepared: &Prepared<'_>, rubric: &CompiledRubric, turn: usize) -> Vec<Violation> {
    let mut audit = Audit::new(prepared, rubric);
    let mut context = Context::of(prepared, rubric);
    context.interviewer.retain(|&t| t <= turn);
    context.conclusion_turn = context.conclusion_turn.filter(|&c| c <= turn);
    context.last_interviewer = Some(turn);
    if prepared.transcript.turns.get(turn).map(|t| t.role) == Some(Role::Interviewer) {
        audit.check_turn(turn, &context);
    }
    audit
        .violations
        .sort_by(|a, b| (a.turn, &a.rule).cmp(&(b.turn, &b.rule)));
    audit.violations
}

/// What the guide expects of the interviewer at a point of the interview.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Expected {
    /// Nothing to reply to yet: one question.
    Question,
    /// The candidate answered: one of the response templates.
    ResponseTemplate,
    /// The candidate asked a clarifying question: a brief answer, no template.
    ClarifyingAnswer,
    /// The interview is past its time: the conclusion (after a template for the last answer).
    Conclusion,
    /// The conclusion was said: answer the candidate's questions, then the closing line.
    Closing,
}

/// What the guide expects of interviewer turn `turn`, in words naming the templates.
pub fn expected_at(
    prepared: &Prepared<'_>,
    rubric: &CompiledRubric,
    turn: usize,
) -> (Expected, String) {
    let audit = Audit::new(prepared, rubric);
    let compliance = &rubric.rubric.compliance;
    let concluded = prepared
        .turns_of(Role::Interviewer)
        .take_while(|&t| t < turn)
        .any(|t| {
            prepared.turns[t]
                .text
                .contains(&rubric.templates.conclusion)
        });
    if concluded {
        return (
            Expected::Closing,
            format!(
                "after the conclusion: brief answers to the candidate's questions, then \"{}\"",
                compliance.closing
            ),
        );
    }
    let elapsed = prepared.transcript.turns[..turn.min(prepared.transcript.turns.len())]
        .iter()
        .filter_map(|t| t.at_ms)
        .next_back();
    let max_minutes = rubric.rubric.timing.max_minutes;
    let answered = turn > 0 && prepared.transcript.turns[turn - 1].role == Role::Candidate;
    if elapsed.is_some_and(|at| at >= max_minutes * 60_000) {
        let reply = if answered {
            format!("{}, then ", response_templates(rubric))
        } else {
            String::new()
        };
        return (
            Expected::Conclusion,
            format!(
                "the interview is past {max_minutes} minutes: {reply}the conclusion \"{}\"",
                compliance.conclusion
            ),
        );
    }
    if answered && audit.asks_interviewer(turn - 1) {
        return (
            Expected::ClarifyingAnswer,
            "the candidate asked a question: a brief answer, no template and no hint".to_string(),
        );
    }
    if answered {
        return (Expected::ResponseTemplate, response_templates(rubric));
    }
    (
        Expected::Question,
        "one question, with no praise, hint or explanation".to_string(),
    )
}

/// The response templates as the guide writes them, e.g. `"Correct." <next question>`.
fn response_templates(rubric: &CompiledRubric) -> String {
    // In the rubric's order ("Correct." first), not the matching order.
    let shown: Vec<String> = rubric
        .rubric
        .compliance
        .templates
        .iter()
        .filter_map(|listed| {
            rubric
                .templates
                .templates
                .iter()
                .find(|t| t.id == listed.id)
        })
        .filter(|t| t.verdict.is_some())
        .map(|t| {
            let parts: Vec<String> = t
                .slots
                .iter()
                .map(|slot| match slot {
                    CompiledSlot::Literal {
                        display, optional, ..
                    } if *optional => format!("[\"{display}\"]"),
                    CompiledSlot::Literal { display, .. } => format!("\"{display}\""),
                    CompiledSlot::Text(name) => format!("<{name}>"),
                })
                .collect();
            parts.join(" ")
        })
        .collect();
    format!("a response template: {}", shown.join(" | "))
}

struct Audit<'p, 'a> {
    prepared: &'p Prepared<'a>,
    rubric: &'p CompiledRubric,
    violations: Vec<Violation>,
    verdicts: Vec<(usize, String)>,
}

/// What checking one interviewer turn needs to know of the others.
struct Context {
    /// The interviewer's turns, in order.
    interviewer: Vec<usize>,
    /// The first interviewer turn that says the conclusion.
    conclusion_turn: Option<usize>,
    /// The interviewer's last turn.
    last_interviewer: Option<usize>,
}

impl Context {
    fn of(prepared: &Prepared<'_>, rubric: &CompiledRubric) -> Context {
        let interviewer: Vec<usize> = prepared.turns_of(Role::Interviewer).collect();
        let conclusion = &rubric.templates.conclusion;
        let conclusion_turn = interviewer
            .iter()
            .copied()
            .find(|&t| prepared.turns[t].text.contains(conclusion));
        let last_interviewer = interviewer.last().copied();
        Context {
            interviewer,
            conclusion_turn,
            last_interviewer,
        }
    }
}

impl<'p, 'a> Audit<'p, 'a> {
    fn new(prepared: &'p Prepared<'a>, rubric: &'p CompiledRubric) -> Self {
        Audit {
            prepared,
            rubric,
            violations: Vec::new(),
            verdicts: Vec::new(),
        }
    }

    fn rule_message(&self, id: &str) -> Option<&'p str> {
        self.rubric
            .rubric
            .compliance
            .rules
            .iter()
            .find(|r| r.id == id)
            .map(|r| r.message.as_str())
    }

    fn breach(&mut self, rule: &str, turn: usize, quote: String, detail: Option<String>) {
        let Some(message) = self.rule_message(rule) else {
            return;
        };
        let message = match detail {
            Some(detail) => format!("{message}: {detail}"),
            None => message.to_string(),
        };
        let at = self.prepared.transcript.turns[turn]
            .at_ms
            .map(crate::transcript::timestamp::format_ms);
        let violation = Violation {
            rule: rule.to_string(),
            turn,
            at,
            quote,
            message,
        };
        if !self
            .violations
            .iter()
            .any(|v| v.rule == violation.rule && v.turn == turn)
        {
            self.violations.push(violation);
        }
    }

    fn run(mut self) -> ComplianceFindings {
        let prepared = self.prepared;
        let context = Context::of(prepared, self.rubric);
        for &turn in &context.interviewer {
            self.check_turn(turn, &context);
        }
        let Context {
            interviewer,
            conclusion_turn,
            last_interviewer,
        } = context;

        match conclusion_turn {
            Some(_) => {}
            None => {
                if let Some(last) = last_interviewer {
                    let quote = last_sentence(&prepared.transcript.turns[last].text);
                    let conclusion = self.rubric.rubric.compliance.conclusion.clone();
                    self.breach(
                        "missing_conclusion",
                        last,
                        quote,
                        Some(format!("the interview never says \"{conclusion}\"")),
                    );
                }
            }
        }

        self.violations
            .sort_by(|a, b| (a.turn, &a.rule).cmp(&(b.turn, &b.rule)));
        let breached: BTreeSet<usize> = self
            .violations
            .iter()
            .filter(|v| v.rule != "missing_conclusion")
            .map(|v| v.turn)
            .collect();
        let clean_turns = interviewer.len() - breached.len();
        let checks = interviewer.len() + 1;
        let passed = clean_turns + usize::from(conclusion_turn.is_some());
        ComplianceFindings {
            score: (100 * passed / checks) as u8,
            violations: self.violations,
            interviewer_turns: interviewer.len(),
            checks,
            passed,
            verdicts: self.verdicts,
            conclusion_turn,
        }
    }

    /// Whether a candidate turn asks the interviewer something rather than answering:
    /// it ends with a question mark, or it is short and opens with one of the
    /// rubric's `clarifying_openers`.
    /// Every breach of interviewer turn `turn` that the turns up to it decide: all
    /// but the missing conclusion, which only the end of the interview decides.
    fn check_turn(&mut self, turn: usize, context: &Context) {
        let prepared = self.prepared;
        let templates = &self.rubric.templates;
        let text = prepared.turns[turn].text.as_str();
        let after_conclusion = context.conclusion_turn.is_some_and(|c| turn > c);
        let closing_section = context.conclusion_turn.is_some_and(|c| turn >= c)
            || Some(turn) == context.last_interviewer;
        self.phrase_rules(turn, closing_section);
        if after_conclusion {
            return;
        }
        self.multiple_questions(turn);
        let answers_candidate = context.interviewer.first() != Some(&turn)
            && turn > 0
            && prepared.transcript.turns[turn - 1].role == Role::Candidate
            && !self.asks_interviewer(turn - 1);
        let body = templates.strip_time_notices(text);
        let opens_template = opening_template(&templates.templates, body).is_some();
        let regions = if (answers_candidate || opens_template)
            && !body.is_empty()
            && !body.starts_with(&templates.conclusion)
            && !body.starts_with(&templates.closing)
        {
            self.template(turn, body)
        } else {
            Regions {
                explanation: 0,
                rest: body,
            }
        };
        self.teaching(turn, &regions);
        self.one_defect_when_teaching(turn);
    }

    fn asks_interviewer(&self, turn: usize) -> bool {
        let compliance = &self.rubric.rubric.compliance;
        let original = self.prepared.transcript.turns[turn].text.trim_end();
        if original.ends_with('?') {
            return true;
        }
        let text = self.prepared.turns[turn].text.as_str();
        compliance
            .clarifying_openers
            .iter()
            .any(|opener| text.starts_with(&text::normalize_phrase(opener)))
            && self.prepared.facts[turn].words() <= compliance.clarifying_max_words
    }

    /// Phrase and pattern rules; `feedback_at_end` only in the closing section.
    fn phrase_rules(&mut self, turn: usize, closing_section: bool) {
        let text = self.prepared.turns[turn].text.as_str();
        let rules = &self.rubric.rubric.compliance.rules;
        let mut hits: Vec<(usize, std::ops::Range<usize>)> = self
            .rubric
            .compliance_phrases
            .select(
                text,
                self.prepared.facts[turn].occurrences(TurnList::CompliancePhrases),
            )
            .into_iter()
            .map(|h| (*h.payload, h.start..h.end))
            .collect();
        hits.extend(
            self.rubric
                .compliance_patterns
                .find_all(text, &self.prepared.facts[turn].literals)
                .into_iter()
                .map(|(rule, range)| (*rule, range)),
        );
        hits.sort_by_key(|(rule, range)| (range.start, *rule));
        // One breach per rule and turn: quote only each rule's first hit, so a turn
        // repeating a phrase thousands of times costs one quote, not thousands.
        let mut quoted = BTreeSet::new();
        for (rule, range) in hits {
            let id = rules[rule].id.as_str();
            if id == "feedback_at_end" && !closing_section {
                continue;
            }
            if !quoted.insert(rule) {
                continue;
            }
            let quote = self.prepared.quote(turn, range.clone());
            let found = text[range].to_string();
            self.breach(id, turn, quote, Some(format!("\"{found}\"")));
        }
    }

    /// More than one question: two question sentences, or one sentence that chains
    /// questions with "and"/"or" ("How would you test it, and what would you do if
    /// returns rise?"). A trailing phrase that only narrows the same question ("How
    /// would you deploy it, and at what latency budget?") is one question.
    fn multiple_questions(&mut self, turn: usize) {
        let original = &self.prepared.transcript.turns[turn].text;
        let questions: Vec<std::ops::Range<usize>> = text::sentences(original)
            .into_iter()
            .filter(|s| original[s.clone()].ends_with('?'))
            .collect();
        let chained: usize = questions
            .iter()
            .map(|s| chained_questions(&original[s.clone()]))
            .sum();
        let count = questions.len() + chained;
        if count > 1 {
            let second = questions.get(1).unwrap_or(&questions[0]).clone();
            let quote = text::quote(original, second, 200);
            self.breach(
                "multiple_questions",
                turn,
                quote,
                Some(format!("{count} questions in one turn")),
            );
        }
    }

    /// Checks the response template of a turn that answers a candidate; returns the
    /// turn's regions for the teaching check.
    ///
    /// The template may open the reply or start a later sentence of it ("I can see
    /// this is hard. Incorrect. ..."): then the words before it are one defect, for
    /// the phrase rules to name, and not also a `template_mismatch`.
    fn template<'b>(&mut self, turn: usize, body: &'b str) -> Regions<'b> {
        let templates = &self.rubric.templates.templates;
        let found = std::iter::once(0)
            .chain(sentence_starts(body))
            .find_map(|at| opening_template(templates, &body[at..]).map(|t| (t, at)));
        let Some((template, at)) = found else {
            let quote = self.prepared.first_sentence(turn);
            self.breach("template_mismatch", turn, quote, None);
            return Regions {
                explanation: 0,
                rest: body,
            };
        };
        let body = &body[at..];
        self.verdicts.push((turn, template.id.clone()));
        if let Some(problem) = check_slots(template, body, &self.rubric.templates.conclusion) {
            let quote = self.prepared.first_sentence(turn);
            self.breach(
                "malformed_template",
                turn,
                quote,
                Some(format!("'{}' template: {problem}", template.id)),
            );
        }
        template_regions(template, body)
    }

    /// A template that runs into a lecture and never reaches its closing phrase
    /// ("Incorrect. ... Correct approach: ... To see why, let me walk through ...") is
    /// one defect, the teaching: the missing "Next question." is not a second breach.
    fn one_defect_when_teaching(&mut self, turn: usize) {
        let taught = self
            .violations
            .iter()
            .any(|v| v.turn == turn && v.rule == "teaching");
        if taught {
            self.violations.retain(|v| {
                !(v.turn == turn
                    && v.rule == "malformed_template"
                    && v.message.contains("(last slot)"))
            });
        }
    }

    fn teaching(&mut self, turn: usize, regions: &Regions<'_>) {
        let compliance = &self.rubric.rubric.compliance;
        let rest = regions.rest;
        let declarative: usize = text::sentences(rest)
            .into_iter()
            .filter(|s| !rest[s.clone()].ends_with('?'))
            .map(|s| text::word_count(&rest[s]))
            .sum();
        let detail = if regions.explanation > compliance.teaching_max_slot_words {
            format!(
                "{} words in the template's explanation (at most {} allowed)",
                regions.explanation, compliance.teaching_max_slot_words
            )
        } else if declarative > compliance.teaching_max_words {
            format!(
                "{declarative} words of explanation (at most {} allowed)",
                compliance.teaching_max_words
            )
        } else {
            return;
        };
        let quote = self.prepared.first_sentence(turn);
        self.breach("teaching", turn, quote, Some(detail));
    }
}

/// An interviewer turn cut for the teaching check: the words a template's
/// explanation slots hold, and the text outside the template.
struct Regions<'b> {
    explanation: usize,
    rest: &'b str,
}

/// Splits a templated turn: the text between its first and last literal (less the
/// literals in between) is the template's explanation; what follows the last literal
/// found (the next question and its set-up) is the rest.
fn template_regions<'b>(template: &CompiledTemplate, body: &'b str) -> Regions<'b> {
    let literals: Vec<&str> = template
        .slots
        .iter()
        .filter_map(|s| match s {
            CompiledSlot::Literal { normalized, .. } => Some(normalized.as_str()),
            CompiledSlot::Text(_) => None,
        })
        .collect();
    let first_end = literals.first().map_or(0, |l| l.len()).min(body.len());
    let mut position = first_end;
    let mut inner_literal_words = 0;
    let mut last_end = first_end;
    for literal in literals.iter().skip(1) {
        if let Some(found) = body[position..].find(literal) {
            position += found + literal.len();
            last_end = position;
            inner_literal_words += text::word_count(literal);
        }
    }
    if last_end == first_end {
        return Regions {
            explanation: 0,
            rest: &body[first_end..],
        };
    }
    let between = text::word_count(&body[first_end..last_end]);
    Regions {
        explanation: between.saturating_sub(inner_literal_words),
        rest: &body[last_end..],
    }
}

/// Walks a template's slots through `body` (normalised, starting with the first
/// literal); returns what is missing or misplaced.
fn check_slots(template: &CompiledTemplate, body: &str, conclusion: &str) -> Option<String> {
    let mut position = 0;
    let mut pending_text: Option<&str> = None;
    // Optional literals left out since the last one found: the text before the next
    // literal must then hold a sentence for each text slot they separated.
    let mut skipped = 0;
    for (index, slot) in template.slots.iter().enumerate() {
        match slot {
            CompiledSlot::Text(name) => pending_text = Some(name),
            CompiledSlot::Literal {
                display,
                normalized,
                or_question,
                or_conclusion,
                optional,
            } => {
                let rest = &body[position..];
                // The opening literal as `opening_template` accepted it (a comma for
                // its full stop has the same length).
                let found = if index == 0 && opens_with(rest, normalized) {
                    Some(0)
                } else {
                    find_literal(rest, normalized)
                };
                match found {
                    Some(found) => {
                        if let Some(name) = pending_text.take() {
                            if rest[..found].trim().is_empty() {
                                return Some(format!(
                                    "no {name} before '{display}' (slot {} of {})",
                                    index,
                                    template.slots.len()
                                ));
                            }
                            if skipped > 0 && text::sentences(&rest[..found]).len() <= skipped {
                                return Some(format!(
                                    "no {name} before '{display}' (slot {} of {}): \
                                     without its label the template needs a sentence for each part",
                                    index,
                                    template.slots.len()
                                ));
                            }
                        }
                        skipped = 0;
                        position += found + normalized.len();
                    }
                    None if *or_question && rest.contains('?') => {
                        pending_text = None;
                        position = body.len();
                    }
                    None if *or_conclusion && rest.contains(conclusion) => {
                        pending_text = None;
                        position = body.len();
                    }
                    // Left out: the text before it runs on into the next slot.
                    None if *optional => skipped += 1,
                    None => {
                        let last = if index + 1 == template.slots.len() {
                            " (last slot)"
                        } else {
                            ""
                        };
                        return Some(format!(
                            "missing '{display}' (slot {} of {}){last}",
                            index + 1,
                            template.slots.len()
                        ));
                    }
                }
            }
        }
    }
    if let Some(name) = pending_text {
        if body[position..].trim().trim_matches('.').trim().is_empty() {
            return Some(format!("no {name} after the last fixed phrase"));
        }
    }
    None
}

/// Whether `text` opens with `literal`, or with it ending in a comma instead of its
/// full stop ("Correct, and ..."): the words after the comma are for the phrase
/// rules to judge.
fn opens_with(text: &str, literal: &str) -> bool {
    text.starts_with(literal)
        || literal
            .strip_suffix('.')
            .is_some_and(|stem| text.strip_prefix(stem).is_some_and(|r| r.starts_with(',')))
}

/// The response template whose first literal opens `text`, if any.
fn opening_template<'t>(
    templates: &'t [CompiledTemplate],
    text: &str,
) -> Option<&'t CompiledTemplate> {
    templates.iter().find(|t| match t.slots.first() {
        Some(CompiledSlot::Literal { normalized, .. }) => opens_with(text, normalized),
        _ => false,
    })
}

/// Where a literal stands in `text`; one ending in a full stop also matches with a
/// colon or comma there ("Next question: how would you ...").
fn find_literal(text: &str, literal: &str) -> Option<usize> {
    let exact = text.find(literal);
    let Some(stem) = literal.strip_suffix('.') else {
        return exact;
    };
    let variant = text
        .match_indices(stem)
        .find(|(i, _)| text[i + stem.len()..].starts_with([':', ',']))
        .map(|(i, _)| i);
    match (exact, variant) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Question words that open a second question inside one sentence.
const WH_WORDS: [&str; 8] = [
    "what", "how", "why", "which", "when", "where", "who", "whom",
];
/// Auxiliaries that open a yes/no question when a person follows ("and would you").
const AUXILIARIES: [&str; 12] = [
    "would", "will", "do", "does", "did", "can", "could", "should", "is", "are", "have", "has",
];
const SUBJECTS: [&str; 5] = ["you", "we", "i", "they", "it"];

/// How many further questions one question sentence chains after its first: clauses
/// after ", and", ", or", "; " or " and then" that open with a question word and go
/// on for at least two more words, or with an auxiliary and a subject.
fn chained_questions(sentence: &str) -> usize {
    let lower = sentence.to_lowercase();
    let mut count = 0;
    for separator in [", and ", ", or ", "; ", " and then "] {
        let mut clauses = lower.split(separator);
        // "Okay, and how would you ..." asks once: what comes first must ask too.
        let first_words = clauses.next().map_or(0, text::word_count);
        if first_words < 3 {
            continue;
        }
        for clause in clauses {
            let words: Vec<&str> = clause
                .split(|c: char| !c.is_alphanumeric() && c != '\'')
                .filter(|w| !w.is_empty())
                .collect();
            let opens_wh = words.first().is_some_and(|w| WH_WORDS.contains(w)) && words.len() >= 3;
            let opens_aux = words.first().is_some_and(|w| AUXILIARIES.contains(w))
                && words.get(1).is_some_and(|w| SUBJECTS.contains(w));
            count += usize::from(opens_wh || opens_aux);
        }
    }
    count
}

/// Where the sentences after the first start in normalised text: after `.`, `!` or
/// `?` and a space.
fn sentence_starts(body: &str) -> impl Iterator<Item = usize> + '_ {
    body.as_bytes()
        .windows(2)
        .enumerate()
        .filter(|(_, pair)| matches!(pair[0], b'.' | b'!' | b'?') && pair[1] == b' ')
        .map(|(i, _)| i + 2)
}

fn last_sentence(original: &str) -> String {
    match text::sentences(original).last() {
        Some(range) => text::quote(original, range.clone(), 200),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chained_questions_count_clauses_that_ask_again() {
        let count = chained_questions;
        assert_eq!(
            count("How would you deploy it, and at what latency budget?"),
            0
        );
        assert_eq!(
            count("How would you test it, and what would you do if returns rise?"),
            1
        );
        assert_eq!(
            count("How would you monitor it, and what would trigger a retrain, and who signs off?"),
            2
        );
        assert_eq!(count("Which metric, and why?"), 0);
        assert_eq!(count("Would you retrain, or would you roll back?"), 1);
        assert_eq!(
            count("Okay, and how would you know it is getting worse?"),
            0
        );
    }

    #[test]
    fn sentence_starts_follow_sentence_ends() {
        let starts: Vec<usize> = sentence_starts("nice. correct. why? ok").collect();
        assert_eq!(starts, vec![6, 15, 20]);
    }
}
