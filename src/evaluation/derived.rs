//! Red flags that no phrase states but the interview shows: a math prompt, or a
//! question on how an algorithm works, the candidate could not answer
//! (`cant_explain_algorithm`), a full interview with
//! no production thinking in it (`no_production_thought`), and a bank question
//! answered without a point it cannot do without (the overfitting question answered
//! without naming overfitting: `no_overfitting_consideration`), and a telling
//! answer to a kind of question (shuffling a time series when asked how to split it,
//! accuracy alone when asked for a metric). Which flag each raises,
//! and the thresholds, are in the rubric's `derived_red_flags`.

use super::ExchangeOut;
use crate::rubric::{CompiledRubric, QuestionKind};
use crate::scorers::red_flags::{is_negated, FlagBasis, FlagHit};
use crate::scorers::{Findings, Prepared};
use crate::transcript::Role;

/// Sets aside, as negated, the stated admissions of `failed_math_prompt`'s flag ("I
/// don't remember the exact formula") in answers the interviewer judged one of its
/// `explained_verdicts`: a hedge before an explanation the interviewer accepted is
/// not an inability to explain.
pub fn set_aside_hedges(findings: &mut Findings, rubric: &CompiledRubric) {
    let r = &rubric.rubric;
    let rule = &r.derived_red_flags.failed_math_prompt;
    let Some(flag) = r.red_flags.iter().position(|f| f.id == rule.red_flag) else {
        return;
    };
    let accepted = |turn: usize| {
        findings
            .compliance
            .verdicts
            .iter()
            .any(|(t, template)| *t == turn + 1 && rule.explained_verdicts.contains(template))
    };
    let (hedges, kept): (Vec<FlagHit>, Vec<FlagHit>) =
        std::mem::take(&mut findings.red_flags.raised)
            .into_iter()
            .partition(|hit| {
                hit.flag == flag && hit.basis == FlagBasis::Stated && accepted(hit.turn)
            });
    findings.red_flags.raised = kept;
    let negated = &mut findings.red_flags.negated;
    if let Some(hedge) = hedges.into_iter().next() {
        if !negated.iter().any(|h| h.flag == flag) {
            negated.push(hedge);
            negated.sort_by_key(|h| h.turn);
        }
    }
}

/// The derived red flags of one interview, once per flag and none the scorers already
/// raised: a value of its own, which [`RedFlagFindings::with_derived`] joins to the
/// stated ones for the stages after it.
///
/// [`RedFlagFindings::with_derived`]: crate::scorers::red_flags::RedFlagFindings::with_derived
pub fn flags(
    prepared: &Prepared<'_>,
    findings: &Findings,
    exchanges: &[ExchangeOut],
    rubric: &CompiledRubric,
) -> Vec<FlagHit> {
    let r = &rubric.rubric;
    let rules = &r.derived_red_flags;
    let flag_index = |id: &str| r.red_flags.iter().position(|f| f.id == id);
    let mut raised = Vec::new();

    if let Some(flag) = flag_index(&rules.failed_math_prompt.red_flag) {
        let rule = &rules.failed_math_prompt;
        let low = |e: &ExchangeOut| f64::from(e.score) < rule.score_below;
        // "How does XGBoost build its trees?": a question on how an algorithm works,
        // answered poorly or judged incorrect by the interviewer.
        let mechanism = |e: &ExchangeOut| {
            rubric
                .mechanism_cues
                .as_ref()
                .is_some_and(|cues| cues.is_match(&prepared.turns[e.question_turn].text))
        };
        let judged_wrong = |e: &ExchangeOut| {
            e.interviewer_verdict
                .as_ref()
                .is_some_and(|v| rule.mechanism_verdicts.contains(v))
        };
        let explained = |e: &ExchangeOut| {
            f64::from(e.quality) >= rule.explained_quality
                || e.interviewer_verdict
                    .as_ref()
                    .is_some_and(|v| rule.explained_verdicts.contains(v))
        };
        let failed = exchanges.iter().find(|e| {
            !explained(e)
                && ((e.question_kind == QuestionKind::Math && low(e))
                    || (mechanism(e) && (low(e) || judged_wrong(e))))
        });
        if let Some(exchange) = failed {
            if let Some(&turn) = exchange.answer_turns.first() {
                raised.push(FlagHit {
                    flag,
                    turn,
                    quote: prepared.main_sentence(turn),
                    basis: FlagBasis::Derived,
                });
            }
        }
    }

    if let Some(flag) = flag_index(&rules.no_production_content.red_flag) {
        let rule = &rules.no_production_content;
        let answers = prepared.turns_of(Role::Candidate).count();
        let dimension = rule.dimension;
        let points: f64 = findings
            .concepts
            .best_mentions()
            .filter(|m| r.concepts[m.concept].dimensions.contains(&dimension))
            .map(|m| m.credit)
            .sum();
        // Only when production was asked about: the candidate cannot be blamed for
        // a topic the interview never raised. Cite the first production answer.
        let asked = exchanges
            .iter()
            .find(|e| e.dimensions.contains(&dimension))
            .and_then(|e| e.answer_turns.first().copied());
        if answers >= rule.min_answers && points <= rule.max_points {
            if let Some(turn) = asked {
                raised.push(FlagHit {
                    flag,
                    turn,
                    quote: prepared.main_sentence(turn),
                    basis: FlagBasis::Derived,
                });
            }
        }
    }

    for missed in &rules.missed_points {
        let Some(flag) = flag_index(&missed.red_flag) else {
            continue;
        };
        let answered_without = exchanges.iter().find(|e| {
            e.question_id.as_deref() == Some(missed.question.as_str())
                && !e.covered.iter().any(|p| p == &missed.point)
        });
        if let Some(turn) = answered_without.and_then(|e| e.answer_turns.first().copied()) {
            raised.push(FlagHit {
                flag,
                turn,
                quote: prepared.main_sentence(turn),
                basis: FlagBasis::Derived,
            });
        }
    }

    for (rule, [cues, terms, unless]) in rules.answers.iter().zip(&rubric.answer_rules) {
        let Some(flag) = flag_index(&rule.red_flag) else {
            continue;
        };
        'exchanges: for exchange in exchanges {
            let question = prepared.turns[exchange.question_turn].text.as_str();
            if cues.is_absent_from(question) {
                continue;
            }
            for &turn in &exchange.answer_turns {
                let text = prepared.turns[turn].text.as_str();
                if !unless.is_absent_from(text) {
                    continue 'exchanges;
                }
            }
            for &turn in &exchange.answer_turns {
                let text = prepared.turns[turn].text.as_str();
                // A term the question itself used is an echo, not the candidate's choice.
                let asserted = terms.find_all(text).into_iter().find(|hit| {
                    let term = &text[hit.clone()];
                    !question.contains(term) && !is_negated(text, hit.clone(), rubric)
                });
                if let Some(hit) = asserted {
                    // The candidate's own answer to that kind of question, quoted.
                    raised.push(FlagHit {
                        flag,
                        turn,
                        quote: prepared.quote(turn, hit.start..hit.end),
                        basis: FlagBasis::Stated,
                    });
                    break 'exchanges;
                }
            }
        }
    }

    raised.extend(corrections(prepared, findings, rubric, &flag_index));

    let mut derived: Vec<FlagHit> = Vec::new();
    for hit in raised {
        let mut known = findings.red_flags.raised.iter().chain(&derived);
        if !known.any(|h| h.flag == hit.flag) {
            derived.push(hit);
        }
    }
    derived
}

/// Red flags the interviewer's correction names: an INCORRECT or MOVING ON reply
/// whose error explanation (the words before "Correct approach:") holds one of a
/// flag's cues, to an answer holding one of its terms. The guide's INCORRECT template
/// explains the error, so in an interview that follows it the correction says what a
/// panel would say; as the interviewer's reading, not the candidate's words, it is
/// derived evidence, quoted from the answer.
fn corrections(
    prepared: &Prepared<'_>,
    findings: &Findings,
    rubric: &CompiledRubric,
    flag_index: &dyn Fn(&str) -> Option<usize>,
) -> Vec<FlagHit> {
    let rule = &rubric.rubric.derived_red_flags.corrections;
    let mut raised: Vec<FlagHit> = Vec::new();
    for (turn, template) in &findings.compliance.verdicts {
        if !rule.verdicts.contains(template) || *turn == 0 {
            continue;
        }
        let answer = turn - 1;
        if prepared.transcript.turns[answer].role != Role::Candidate {
            continue;
        }
        let reply = prepared.turns[*turn].text.as_str();
        let end = rule
            .explanation_ends
            .iter()
            .filter_map(|e| reply.find(&crate::text::normalize_phrase(e)))
            .min()
            .unwrap_or(reply.len());
        let explanation = &reply[..end];
        let answer_text = prepared.turns[answer].text.as_str();
        for (flag_rule, (cues, terms)) in rule.flags.iter().zip(&rubric.correction_rules) {
            let Some(flag) = flag_index(&flag_rule.red_flag) else {
                continue;
            };
            if raised.iter().any(|h| h.flag == flag) || cues.find_all(explanation).is_empty() {
                continue;
            }
            let term = terms.find_all(answer_text).into_iter().next();
            if flag_rule.answer_terms.is_empty() || term.is_some() {
                let quote = match term {
                    Some(hit) => prepared.quote(answer, hit),
                    None => prepared.main_sentence(answer),
                };
                raised.push(FlagHit {
                    flag,
                    turn: answer,
                    quote,
                    basis: FlagBasis::Derived,
                });
            }
        }
    }
    raised
}
