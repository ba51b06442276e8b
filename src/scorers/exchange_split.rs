//! Exchanges: the interview split into an interviewer question and the candidate's
//! answer turns until the interviewer moves on.
//!
//! A bank question is assigned to one exchange only, the one whose question holds
//! most of its cues. Every interviewer turn before the conclusion opens a new exchange, except a
//! "Correct but incomplete. ... Continue." follow-up (the candidate continues the same
//! question) and a turn that is only a time notice. Each exchange is matched to a bank
//! question by its cues, or recognised as a math prompt, and placed in a phase: from
//! its timestamp, else its bank question's phase, else its position in the interview.
//! Expected points are checked against the answer text here; the quality that combines
//! them with concept credit and red flags is computed in the evaluation.

use std::collections::{BTreeMap, BTreeSet};

use super::{Prepared, Scorer};
use crate::rubric::{CompiledRubric, CompiledSlot, TurnList};
use crate::text;
use crate::transcript::Role;

/// The exchange scorer.
pub struct ExchangeScorer;

/// What kind of question opened an exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuestionKind {
    /// A bank question (index into the rubric's bank).
    Bank(usize),
    /// "Explain the mathematical foundation of ...".
    Math,
    /// Any other question.
    Other,
}

/// One exchange's structure.
#[derive(Debug, Clone, PartialEq)]
pub struct Exchange {
    /// The interviewer turn that asks.
    pub question_turn: usize,
    /// Candidate turns that answer it.
    pub answer_turns: Vec<usize>,
    /// What was asked.
    pub kind: QuestionKind,
    /// 1-4.
    pub phase: u8,
    /// The bank question's expected points the answer covers, with the share each
    /// earns: 1 in a sentence that explains or names few points, `listed_point_share`
    /// in a bare list of many.
    pub covered: BTreeMap<usize, f64>,
    /// Answer sentences that explain.
    pub explanatory_sentences: usize,
    /// Answer sentences that are specific: a number, a named concept or an expected point.
    pub specific_sentences: usize,
    /// Answer sentences.
    pub sentences: usize,
    /// Answer words.
    pub words: usize,
    /// The interviewer turn that followed the answer, if any.
    pub next_interviewer_turn: Option<usize>,
    /// Concepts the question names (index into the rubric's concepts).
    pub question_concepts: BTreeSet<usize>,
    /// How many things the question asks: its question sentences and imperatives
    /// ("What is dropout? Why is it useful?" asks two), at least 1.
    pub parts: usize,
    /// Distinct content words of the question (four letters or more, not stop words).
    pub question_words: usize,
    /// Of those, how many the answer takes up.
    pub shared_words: usize,
    /// Distinct content words of the answer that the question does not hold.
    pub new_words: usize,
    /// How many of its bank question's cues the question holds.
    pub cue_hits: usize,
}

impl Scorer for ExchangeScorer {
    type Findings = Vec<Exchange>;

    fn score(&self, prepared: &Prepared<'_>, rubric: &CompiledRubric) -> Vec<Exchange> {
        let turns = &prepared.transcript.turns;
        let templates = &rubric.templates;
        let conclusion = templates.conclusion.as_str();
        let incomplete_opening = templates
            .templates
            .iter()
            .find(|t| t.id == "incomplete")
            .and_then(|t| match t.slots.first() {
                Some(CompiledSlot::Literal { normalized, .. }) => Some(normalized.clone()),
                _ => None,
            });
        let mut exchanges: Vec<Exchange> = Vec::new();
        // Per exchange, the content words of its question and of its answer.
        let mut words: Vec<(Vec<&str>, Vec<&str>)> = Vec::new();
        for (index, turn) in turns.iter().enumerate() {
            let text = prepared.turns[index].text.as_str();
            match turn.role {
                Role::Interviewer => {
                    if let Some(last) = exchanges.last_mut() {
                        if last.next_interviewer_turn.is_none() && !last.answer_turns.is_empty() {
                            last.next_interviewer_turn = Some(index);
                        }
                    }
                    if text.contains(conclusion) {
                        break;
                    }
                    let body = templates.strip_time_notices(text);
                    if body.is_empty() {
                        continue;
                    }
                    let continues = incomplete_opening
                        .as_deref()
                        .is_some_and(|o| body.starts_with(o))
                        && !exchanges.is_empty();
                    if continues {
                        if let Some(last) = exchanges.last_mut() {
                            last.next_interviewer_turn = None;
                        }
                        continue;
                    }
                    let question = question_part(body, rubric);
                    let mut question_concepts: BTreeSet<usize> = rubric
                        .concept_terms
                        .find_all(question)
                        .iter()
                        .map(|h| *h.payload)
                        .collect();
                    question_concepts.extend(
                        rubric
                            .concept_patterns
                            .matching(question, &prepared.facts[index].literals),
                    );
                    let parts = question_parts(question);
                    let (kind, cue_hits) = classify(question, rubric);
                    words.push((content_words(question).collect(), Vec::new()));
                    exchanges.push(Exchange {
                        question_concepts,
                        parts,
                        question_words: 0,
                        shared_words: 0,
                        new_words: 0,
                        question_turn: index,
                        answer_turns: Vec::new(),
                        kind,
                        cue_hits,
                        phase: 0,
                        covered: BTreeMap::new(),
                        explanatory_sentences: 0,
                        specific_sentences: 0,
                        sentences: 0,
                        words: 0,
                        next_interviewer_turn: None,
                    });
                }
                Role::Candidate => {
                    let Some(exchange) = exchanges.last_mut() else {
                        continue;
                    };
                    exchange.answer_turns.push(index);
                    if let Some((_, answer)) = words.last_mut() {
                        answer.extend(content_words(text));
                    }
                    let rule = &rubric.rubric.exchanges;
                    let facts = &prepared.facts[index];
                    exchange.words += facts.words();
                    let points_by_sentence =
                        rubric
                            .point_terms
                            .group_by_sentence(text, &facts.sentences, || {
                                let occurrences = facts.occurrences(TurnList::PointTerms);
                                rubric.point_terms.select(text, occurrences)
                            });
                    let sentences = facts.sentences.iter().zip(&facts.sentence_words);
                    for (((range, &words), &reason), point_hits) in
                        sentences.zip(&facts.reasons).zip(points_by_sentence)
                    {
                        let sentence = &text[range.clone()];
                        exchange.sentences += 1;
                        let concepts = facts.concepts_in(range);
                        let explains = rubric.explains(reason, words, concepts.len());
                        if explains {
                            exchange.explanatory_sentences += 1;
                        }
                        let specific = !concepts.is_empty()
                            || sentence.bytes().any(|b| b.is_ascii_digit())
                            || !point_hits.is_empty();
                        if specific {
                            exchange.specific_sentences += 1;
                        }
                        let QuestionKind::Bank(question) = exchange.kind else {
                            continue;
                        };
                        let points: BTreeSet<usize> = point_hits
                            .iter()
                            .flat_map(|hit| hit.payload.iter())
                            .filter(|(q, _)| *q == question)
                            .map(|(_, point)| *point)
                            .collect();
                        let share = if !explains && points.len() > rule.list_points_above {
                            rule.listed_point_share
                        } else {
                            1.0
                        };
                        for point in points {
                            let entry = exchange.covered.entry(point).or_insert(0.0);
                            *entry = entry.max(share);
                        }
                    }
                }
            }
        }
        for (exchange, (question, answer)) in exchanges.iter_mut().zip(&mut words) {
            for list in [&mut *question, &mut *answer] {
                list.sort_unstable();
                list.dedup();
            }
            let shared = answer
                .iter()
                .filter(|w| question.binary_search(w).is_ok())
                .count();
            exchange.question_words = question.len();
            exchange.shared_words = shared;
            exchange.new_words = answer.len() - shared;
        }
        exchanges.retain(|e| !e.answer_turns.is_empty());
        // A bank question is asked once: of the exchanges whose question matched it,
        // the one with most cues (the first on a tie) asks it; the others merely
        // mention its topic ("How would you deploy the fraud model?").
        let mut asked: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
        for (index, exchange) in exchanges.iter().enumerate() {
            if let QuestionKind::Bank(q) = exchange.kind {
                let best = asked.entry(q).or_insert(index);
                if exchange.cue_hits > exchanges[*best].cue_hits {
                    *best = index;
                }
            }
        }
        for (index, exchange) in exchanges.iter_mut().enumerate() {
            if let QuestionKind::Bank(q) = exchange.kind {
                if asked.get(&q) != Some(&index) {
                    exchange.kind = QuestionKind::Other;
                    exchange.covered.clear();
                }
            }
        }
        let count = exchanges.len();
        for (position, exchange) in exchanges.iter_mut().enumerate() {
            exchange.phase = phase_of(exchange, position, count, prepared, rubric);
        }
        exchanges
    }
}

/// The question part of an interviewer turn: what follows its opening verdict.
fn question_part<'t>(body: &'t str, rubric: &CompiledRubric) -> &'t str {
    for template in &rubric.templates.templates {
        let Some(CompiledSlot::Literal { normalized, .. }) = template.slots.first() else {
            continue;
        };
        if !body.starts_with(normalized.as_str()) || template.verdict.is_none() {
            continue;
        }
        // The question follows the template's last literal, or its first sentence.
        let last_literal = template.slots.iter().rev().find_map(|s| match s {
            CompiledSlot::Literal { normalized, .. } => Some(normalized.as_str()),
            CompiledSlot::Text(_) => None,
        });
        if let Some(literal) = last_literal {
            if let Some(at) = body.rfind(literal) {
                let rest = &body[at + literal.len()..];
                if !rest.trim().is_empty() {
                    return rest;
                }
            }
        }
        return &body[normalized.len()..];
    }
    body
}

/// Words of four letters or more that are not stop words.
fn content_words(text: &str) -> impl Iterator<Item = &str> {
    const STOP: [&str; 24] = [
        "what", "which", "when", "where", "why", "how", "does", "that", "this", "with", "from",
        "your", "have", "would", "could", "should", "there", "their", "about", "into", "then",
        "than", "they", "will",
    ];
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 4 && !STOP.contains(w))
}

/// Sentences of a question that ask something: ending in '?' or opening with an
/// imperative ("Explain ...", "Design ...").
fn question_parts(question: &str) -> usize {
    const IMPERATIVES: [&str; 10] = [
        "explain",
        "describe",
        "design",
        "discuss",
        "compare",
        "walk",
        "implement",
        "debug",
        "evaluate",
        "tell",
    ];
    text::sentences(question)
        .into_iter()
        .filter(|s| {
            let sentence = question[s.clone()].trim();
            sentence.ends_with('?')
                || IMPERATIVES
                    .iter()
                    .any(|verb| sentence.split_whitespace().next() == Some(verb))
        })
        .count()
        .max(1)
}

fn classify(question: &str, rubric: &CompiledRubric) -> (QuestionKind, usize) {
    if !rubric.math_cues.find_all(question).is_empty() {
        return (QuestionKind::Math, 0);
    }
    let bank = &rubric.rubric.questions;
    let mut hits = vec![BTreeSet::new(); bank.bank.len()];
    for hit in rubric.question_cues.find_all(question) {
        for &q in hit.payload {
            hits[q].insert(hit.start);
        }
    }
    let best = hits
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.len().cmp(&b.1.len()).then(b.0.cmp(&a.0)))
        .filter(|(_, cues)| cues.len() >= bank.min_cues);
    match best {
        Some((q, cues)) => (QuestionKind::Bank(q), cues.len()),
        None => (QuestionKind::Other, 0),
    }
}

fn phase_of(
    exchange: &Exchange,
    position: usize,
    count: usize,
    prepared: &Prepared<'_>,
    rubric: &CompiledRubric,
) -> u8 {
    let phases = &rubric.rubric.phases;
    let by_minute = |minute: f64| {
        phases
            .iter()
            .find(|p| minute < p.end_minute as f64)
            .or(phases.last())
            .map_or(1, |p| p.number)
    };
    if let Some(at) = prepared.transcript.turns[exchange.question_turn].at_ms {
        return by_minute(at as f64 / 60_000.0);
    }
    if let QuestionKind::Bank(q) = exchange.kind {
        return rubric.rubric.questions.bank[q].phase;
    }
    let total = phases.last().map_or(45, |p| p.end_minute) as f64;
    by_minute(total * position as f64 / count.max(1) as f64)
}
