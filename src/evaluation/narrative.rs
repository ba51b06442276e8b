//! Strengths and gaps: two or three short sentences each, every one citing the
//! turn(s) it rests on, so a committee member can check it in seconds.
//!
//! Strengths, best first: production work the candidate described; bank questions
//! answered in the high band with the expected points covered; a math prompt
//! answered well; concepts explained with a reason. Gaps, worst first: red flags;
//! claims that do not hold (with what holds instead);
//! bank questions answered below the high band with the expected points missed; a
//! failed math prompt; the weakest dimensions with the concepts never explained;
//! production talk that was only hypothetical.

use super::ExchangeOut;
use crate::rubric::{Band, CompiledRubric, Concept, Dimension, QuestionKind};
use crate::scorers::concepts::MentionKind;
use crate::scorers::production::ProductionExperience;
use crate::scorers::Findings;
use crate::transcript::{Role, Transcript};

/// The most strengths or gaps reported.
const MOST: usize = 3;

/// "turn 4" or "turns 4-7".
fn turns(from: usize, to: usize) -> String {
    if from == to {
        format!("turn {from}")
    } else {
        format!("turns {from}-{to}")
    }
}

fn exchange_span(exchange: &ExchangeOut) -> String {
    let last = exchange
        .answer_turns
        .last()
        .copied()
        .unwrap_or(exchange.question_turn);
    turns(exchange.question_turn, last)
}

fn title<'r>(exchange: &ExchangeOut, rubric: &'r CompiledRubric) -> Option<&'r str> {
    let id = exchange.question_id.as_deref()?;
    rubric
        .rubric
        .questions
        .bank
        .iter()
        .find(|q| q.id == id)
        .map(|q| q.title.as_str())
}

fn list(items: &[String], most: usize) -> String {
    let shown: Vec<&str> = items.iter().take(most).map(String::as_str).collect();
    shown.join(", ")
}

/// 2-3 strengths, each citing its turn(s).
pub fn strengths(
    findings: &Findings,
    exchanges: &[ExchangeOut],
    rubric: &CompiledRubric,
) -> Vec<String> {
    let r = &rubric.rubric;
    let high = r.exchanges.high;
    let mut ranked: Vec<(f64, usize, String)> = Vec::new();
    if let Some(first) = findings.production.did.first() {
        ranked.push((
            100.0,
            first.turn,
            format!(
                "Described production work they did: \"{}\" (turn {}).",
                first.quote, first.turn
            ),
        ));
    }
    for exchange in exchanges {
        if f64::from(exchange.quality) <= high {
            continue;
        }
        if let Some(title) = title(exchange, rubric) {
            if exchange.covered.is_empty() {
                continue;
            }
            ranked.push((
                90.0 + f64::from(exchange.quality) / 10.0,
                exchange.question_turn,
                format!(
                    "Answered {title} well, covering {} ({}).",
                    list(&exchange.covered, 3),
                    exchange_span(exchange)
                ),
            ));
        } else if exchange.question_kind == QuestionKind::Math && !exchange.covered.is_empty() {
            let names: Vec<String> = exchange
                .covered
                .iter()
                .filter_map(|id| r.concepts.iter().find(|c| &c.id == id))
                .map(|c| c.name.clone())
                .collect();
            ranked.push((
                85.0 + f64::from(exchange.quality) / 10.0,
                exchange.question_turn,
                format!(
                    "Gave the mathematical foundation when asked: {} ({}).",
                    list(&names, 2),
                    exchange_span(exchange)
                ),
            ));
        }
    }
    for mention in findings.concepts.best_mentions() {
        if mention.kind != MentionKind::Explained {
            continue;
        }
        let concept = &r.concepts[mention.concept];
        ranked.push((
            mention.credit * 10.0 + if concept.excellent { 5.0 } else { 0.0 },
            mention.turn,
            format!(
                "Explained {} with a reason (turn {}).",
                concept.name, mention.turn
            ),
        ));
    }
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut out: Vec<String> = ranked.into_iter().take(MOST).map(|(_, _, s)| s).collect();
    if out.len() < 2 {
        let communication = &findings.communication;
        if communication.justified > 0 {
            out.push(format!(
                "Gave a reason in {} of {} answers.",
                communication.justified, communication.answers
            ));
        }
    }
    if out.is_empty() {
        out.push("No strength stood out: no answer reached the high band and no concept was explained with a reason.".into());
    }
    out
}

/// 2-3 gaps, each citing its turn(s).
pub fn gaps(
    findings: &Findings,
    exchanges: &[ExchangeOut],
    rubric: &CompiledRubric,
    values: &[u8; 6],
    transcript: &Transcript,
) -> Vec<String> {
    let r = &rubric.rubric;
    let mut out = Vec::new();
    for hit in findings.red_flags.first_per_flag().take(2) {
        let flag = &r.red_flags[hit.flag];
        out.push(format!(
            "Red flag, {}: \"{}\" (turn {}).",
            flag.name, hit.quote, hit.turn
        ));
    }
    // A false claim is a gap a committee wants to see with what holds instead.
    for error in findings.facts.errors.iter().take(2) {
        if out.len() >= MOST {
            break;
        }
        out.push(format!(
            "Stated something false: \"{}\" (turn {}); in fact, {}.",
            error.quote, error.turn, r.facts.claims[error.claim].instead
        ));
    }
    let mut weak: Vec<&ExchangeOut> = exchanges
        .iter()
        .filter(|e| f64::from(e.quality) <= r.exchanges.high)
        .filter(|e| {
            (e.question_id.is_some() && !e.missing.is_empty())
                || e.question_kind == QuestionKind::Math
        })
        .collect();
    weak.sort_by_key(|e| (e.quality, e.question_turn));
    for exchange in weak {
        if out.len() >= MOST {
            break;
        }
        let sentence = match title(exchange, rubric) {
            Some(title) => format!(
                "On {title}, did not cover {} ({}).",
                list(&exchange.missing, 3),
                exchange_span(exchange)
            ),
            None if exchange.band == Band::Incorrect => format!(
                "Could not give the mathematical foundation when asked ({}).",
                exchange_span(exchange)
            ),
            None => continue,
        };
        out.push(sentence);
    }

    let candidate_turns: Vec<usize> = transcript
        .turns
        .iter()
        .enumerate()
        .filter(|(_, t)| t.role == Role::Candidate)
        .map(|(i, _)| i)
        .collect();
    let span = match (candidate_turns.first(), candidate_turns.last()) {
        (Some(&a), Some(&b)) => turns(a, b),
        _ => String::new(),
    };
    let unexplained = |concept: usize| {
        findings.concepts.best[concept]
            .is_none_or(|m| findings.concepts.mentions[m].kind != MentionKind::Explained)
    };
    let by_weight = |a: &&Concept, b: &&Concept| {
        b.weight
            .total_cmp(&a.weight)
            .then(b.excellent.cmp(&a.excellent))
    };
    let mut weakest: Vec<(u8, usize)> = values
        .iter()
        .copied()
        .enumerate()
        .map(|(i, v)| (v, i))
        .collect();
    weakest.sort();
    for (value, index) in weakest {
        if out.len() >= MOST || value > 3 {
            break;
        }
        let dimension = Dimension::ALL[index];
        let name = r
            .dimensions
            .iter()
            .find(|d| d.id == dimension)
            .map_or(dimension.key(), |d| d.name.as_str());
        if dimension == r.communication.dimension {
            let c = &findings.communication;
            out.push(format!(
                "{name} {value}/5: {} of {} answers gave a reason, {} were terse, {} evasive ({span}).",
                c.justified,
                c.answers,
                c.terse.len(),
                c.evasive.len()
            ));
            continue;
        }
        let mut missing: Vec<&Concept> = r
            .concepts
            .iter()
            .enumerate()
            .filter(|(i, c)| c.dimensions.contains(&dimension) && unexplained(*i))
            .map(|(_, c)| c)
            .collect();
        missing.sort_by(by_weight);
        let named: Vec<String> = missing.iter().map(|c| c.name.clone()).collect();
        out.push(if named.is_empty() {
            format!("{name} {value}/5 was the weakest dimension ({span}).")
        } else {
            format!(
                "{name} {value}/5: never explained {} ({span}).",
                list(&named, 3)
            )
        });
    }
    if findings.production.experience == ProductionExperience::No && out.len() < MOST {
        let production = &findings.production;
        if let Some(first) = production.denied.first() {
            out.push(format!(
                "No production experience of their own: \"{}\" (turn {}).",
                first.quote, first.turn
            ));
        } else if let Some(first) = production.basis().first() {
            let kind = if production.handed_over.contains(first) {
                "production work was someone else's"
            } else {
                "production talk was hypothetical"
            };
            out.push(format!(
                "No production experience shown; {kind}: \"{}\" (turn {}).",
                first.quote, first.turn
            ));
        }
    }
    if out.len() < 2 {
        // A strong interview still has gaps: the weightiest concepts never explained.
        let mut missing: Vec<&Concept> = r
            .concepts
            .iter()
            .enumerate()
            .filter(|(i, _)| unexplained(*i))
            .map(|(_, c)| c)
            .collect();
        missing.sort_by(by_weight);
        for concept in missing.into_iter().take(2 - out.len()) {
            out.push(format!(
                "Did not explain {} at any point ({span}).",
                concept.name
            ));
        }
    }
    out.truncate(MOST);
    out
}
