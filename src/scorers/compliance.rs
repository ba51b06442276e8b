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

use std::collections::BTreeSet;

use serde::Serialize;

use super::{Prepared, Scorer};
use crate::rubric::{CompiledRubric, CompiledSlot, CompiledTemplate, TurnList};
use crate::text;
use crate::transcript::Role;

/// The compliance scorer.
pub struct ComplianceScorer;

/// One breach.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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

struct Audit<'p, 'a> {
    prepared: &'p Prepared<'a>,
    rubric: &'p CompiledRubric,
    violations: Vec<Violation>,
    verdicts: Vec<(usize, String)>,
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
        let templates = &self.rubric.templates;
        let interviewer: Vec<usize> = prepared.turns_of(Role::Interviewer).collect();
        let conclusion_turn = interviewer
            .iter()
            .copied()
            .find(|&t| prepared.turns[t].text.contains(&templates.conclusion));
        let last_interviewer = interviewer.last().copied();

        for (position, &turn) in interviewer.iter().enumerate() {
            let text = prepared.turns[turn].text.as_str();
            let after_conclusion = conclusion_turn.is_some_and(|c| turn > c);
            let closing_section =
                conclusion_turn.is_some_and(|c| turn >= c) || Some(turn) == last_interviewer;
            self.phrase_rules(turn, closing_section);
            if after_conclusion {
                continue;
            }
            self.multiple_questions(turn);
            // A reply to the candidate's clarifying question is a factual answer.
            let answers_candidate = position > 0
                && turn > 0
                && prepared.transcript.turns[turn - 1].role == Role::Candidate
                && !prepared.transcript.turns[turn - 1]
                    .text
                    .trim_end()
                    .ends_with('?');
            let body = templates.strip_time_notices(text);
            let regions = if answers_candidate
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
        }

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
        for (rule, range) in hits {
            let id = rules[rule].id.as_str();
            if id == "feedback_at_end" && !closing_section {
                continue;
            }
            let quote = self.prepared.quote(turn, range.clone());
            let found = text[range].to_string();
            self.breach(id, turn, quote, Some(format!("\"{found}\"")));
        }
    }

    fn multiple_questions(&mut self, turn: usize) {
        let original = &self.prepared.transcript.turns[turn].text;
        let questions: Vec<std::ops::Range<usize>> = text::sentences(original)
            .into_iter()
            .filter(|s| original[s.clone()].ends_with('?'))
            .collect();
        if questions.len() > 1 {
            let quote = text::quote(original, questions[1].clone(), 200);
            self.breach(
                "multiple_questions",
                turn,
                quote,
                Some(format!("{} questions in one turn", questions.len())),
            );
        }
    }

    /// Checks the response template of a turn that answers a candidate; returns the
    /// turn's regions for the teaching check.
    fn template<'b>(&mut self, turn: usize, body: &'b str) -> Regions<'b> {
        let templates = &self.rubric.templates.templates;
        let Some(template) = templates.iter().find(|t| match t.slots.first() {
            Some(CompiledSlot::Literal { normalized, .. }) => body.starts_with(normalized.as_str()),
            _ => false,
        }) else {
            let quote = self.prepared.first_sentence(turn);
            self.breach("template_mismatch", turn, quote, None);
            return Regions {
                explanation: 0,
                rest: body,
            };
        };
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
    for (index, slot) in template.slots.iter().enumerate() {
        match slot {
            CompiledSlot::Text(name) => pending_text = Some(name),
            CompiledSlot::Literal {
                display,
                normalized,
                or_question,
                or_conclusion,
            } => {
                let rest = &body[position..];
                match rest.find(normalized.as_str()) {
                    Some(found) => {
                        if let Some(name) = pending_text.take() {
                            if rest[..found].trim().is_empty() {
                                return Some(format!(
                                    "no {name} before '{display}' (slot {} of {})",
                                    index,
                                    template.slots.len()
                                ));
                            }
                        }
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
                    None => {
                        return Some(format!(
                            "missing '{display}' (slot {} of {})",
                            index + 1,
                            template.slots.len()
                        ))
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

fn last_sentence(original: &str) -> String {
    match text::sentences(original).last() {
        Some(range) => text::quote(original, range.clone(), 200),
        None => String::new(),
    }
}
