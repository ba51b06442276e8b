//! The decision stage: from the dimension scores, the assessed exchanges and the
//! findings to the overall score and the recommendation, with the basis a committee
//! reads to check it.
//!
//! Two steps, each a value: [`overall`] weighs the unrounded dimension scores with how
//! well the questions were answered (plus a bonus for reaching the later phases);
//! [`decide`] compares it with the level's thresholds and then applies the caps the
//! rubric declares, writing one line of basis for the threshold and one for every cap
//! that moved the recommendation.

use super::dimensions::{self, DimensionScores};
use super::ExchangeOut;
use crate::rubric::{CompiledRubric, Dimension, LevelRule, Recommendation};
use crate::scorers::production::ProductionExperience;
use crate::scorers::red_flags::{FlagBasis, FlagHit};
use crate::scorers::{Findings, Prepared};
use crate::transcript::Role;

/// The overall score and what went into it.
#[derive(Debug, Clone, PartialEq)]
pub struct Overall {
    /// The score the thresholds apply to, rounded to two decimals.
    pub value: f64,
    /// Dimensions nothing assessed, counted as the rubric's `unassessed_value`.
    pub unassessed: Vec<Dimension>,
    /// The bonus for the furthest phase reached (0 when none applies).
    pub progression_bonus: f64,
    /// The furthest phase an exchange reached.
    pub reached_phase: u8,
}

/// Weighs the dimensions and the answers into the overall score.
pub fn overall(
    dimensions: &DimensionScores,
    exchanges: &[ExchangeOut],
    rubric: &CompiledRubric,
) -> Overall {
    let rule = &rubric.rubric.recommendation;
    // A dimension nothing in the interview assessed counts as `unassessed_value`:
    // no evidence is not strong evidence.
    let counted = |d: Dimension| {
        if dimensions.assessed[d.index()] {
            dimensions.raw[d.index()]
        } else {
            rule.unassessed_value
        }
    };
    let weight = |d: Dimension| rule.weights.get(&d).copied().unwrap_or(0.0);
    let weight_total: f64 = Dimension::ALL
        .into_iter()
        .map(weight)
        .sum::<f64>()
        .max(f64::EPSILON);
    let dimension_mean = Dimension::ALL
        .into_iter()
        .map(|d| weight(d) * counted(d))
        .sum::<f64>()
        / weight_total;
    // How well the questions were answered, across the interview.
    let answer_value = if exchanges.is_empty() {
        dimension_mean
    } else {
        let mean =
            exchanges.iter().map(|e| f64::from(e.score)).sum::<f64>() / exchanges.len() as f64;
        dimensions::exchange_value(mean, rubric)
    };
    let reached_phase = exchanges.iter().map(|e| e.phase).max().unwrap_or(1);
    let progression_bonus = rule
        .progression_bonus
        .iter()
        .filter(|(phase, _)| reached_phase >= **phase)
        .map(|(_, bonus)| *bonus)
        .fold(0.0, f64::max);
    let value = (1.0 - rule.answer_weight) * dimension_mean
        + rule.answer_weight * answer_value
        + progression_bonus;
    Overall {
        value: (value * 100.0).round() / 100.0,
        unassessed: Dimension::ALL
            .into_iter()
            .filter(|d| !dimensions.assessed[d.index()])
            .collect(),
        progression_bonus,
        reached_phase,
    }
}

/// The recommendation and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// The overall score the thresholds were applied to: [`Overall::value`] less the
    /// bounded penalties for doubtful evidence.
    pub overall: f64,
    /// Strong No .. Strong Yes.
    pub recommendation: Recommendation,
    /// Every step, one line each: the reading, each penalty, the threshold reached,
    /// then every cap applied with its evidence.
    pub basis: Vec<String>,
}

/// What the penalties and caps read besides the scores.
pub struct CapInputs<'a> {
    /// The scorers' findings (red flags, production experience).
    pub findings: &'a Findings,
    /// The conclusion's turn, when the interviewer concluded early on a failing
    /// candidate.
    pub early_conclusion: Option<usize>,
}

/// Applies the bounded penalties, the level's thresholds, then the caps.
///
/// Only confident evidence moves a verdict several steps: a cap needs a stated,
/// quoted red flag, a confident "no" on production experience, a dimension score, or
/// the interviewer's early conclusion. Doubtful evidence (red flags read from the
/// interview's shape, production experience left unclear) takes a bounded amount
/// from the overall score and never caps.
pub fn decide(
    overall: &Overall,
    level: &str,
    level_rule: &LevelRule,
    values: &[u8; 6],
    inputs: &CapInputs<'_>,
    rubric: &CompiledRubric,
) -> Decision {
    let rule = &rubric.rubric.recommendation;
    let findings = inputs.findings;
    let mut reading = format!("overall {:.2}", overall.value);
    if !overall.unassessed.is_empty() {
        let names: Vec<&str> = overall.unassessed.iter().map(|d| d.key()).collect();
        reading.push_str(&format!(
            " (not assessed, counted as {}: {})",
            rule.unassessed_value,
            names.join(", ")
        ));
    }
    if overall.progression_bonus > 0.0 {
        reading.push_str(&format!(
            " (+{:.2} for reaching phase {})",
            overall.progression_bonus, overall.reached_phase
        ));
    }
    let mut value = overall.value;
    let mut penalties = Vec::new();
    let stated = findings.red_flags.distinct_stated_flags();
    let derived: Vec<&FlagHit> = findings
        .red_flags
        .first_per_flag()
        .filter(|h| h.basis == FlagBasis::Derived && !stated.contains(&h.flag))
        .collect();
    if !derived.is_empty() && rule.derived_flag_penalty > 0.0 {
        let amount =
            (rule.derived_flag_penalty * derived.len() as f64).min(rule.derived_flag_penalty_max);
        value -= amount;
        let names: Vec<String> = derived
            .iter()
            .map(|h| format!("{} (turn {})", rubric.rubric.red_flags[h.flag].id, h.turn))
            .collect();
        penalties.push(format!(
            "-{amount:.2} for red flags read from the interview's shape, not stated \
             (confidence: derived; they never cap): {}",
            names.join(", ")
        ));
    }
    let production = findings.production.experience;
    if level_rule.requires_production_experience
        && production == ProductionExperience::Unclear
        && rule.production_unclear_penalty > 0.0
    {
        value -= rule.production_unclear_penalty;
        penalties.push(format!(
            "-{:.2}: {level} expects production experience and the interview leaves it \
             unclear (confidence: low; only a confident no caps)",
            rule.production_unclear_penalty
        ));
    }
    let value = (value * 100.0).round() / 100.0;
    let mut recommendation = if value >= level_rule.strong_yes {
        Recommendation::StrongYes
    } else if value >= level_rule.yes {
        Recommendation::Yes
    } else if value >= level_rule.neutral {
        Recommendation::Neutral
    } else if value >= level_rule.no {
        Recommendation::No
    } else {
        Recommendation::StrongNo
    };
    // The band's edges, so a flip after a threshold change explains itself.
    let edges = [
        (Recommendation::No, level_rule.no),
        (Recommendation::Neutral, level_rule.neutral),
        (Recommendation::Yes, level_rule.yes),
        (Recommendation::StrongYes, level_rule.strong_yes),
    ];
    let from = edges.iter().find(|(r, _)| *r == recommendation);
    let next = edges.iter().find(|(r, _)| *r > recommendation);
    let band = match (from, next) {
        (Some((r, low)), Some((n, high))) => {
            format!(
                " ({} from {low:.2}, {} from {high:.2})",
                r.label(),
                n.label()
            )
        }
        (Some((r, low)), None) => format!(" ({} from {low:.2})", r.label()),
        (None, Some((n, high))) => format!(" ({} from {high:.2})", n.label()),
        (None, None) => String::new(),
    };
    let mut basis = if penalties.is_empty() {
        vec![format!(
            "{reading} at level {level} gives {}{band}",
            recommendation.label()
        )]
    } else {
        let mut lines = vec![reading];
        lines.extend(penalties);
        lines.push(format!(
            "{value:.2} at level {level} gives {}{band}",
            recommendation.label()
        ));
        lines
    };
    let mut cap = |limit: Recommendation, why: String| {
        if recommendation > limit {
            recommendation = limit;
            basis.push(format!("capped at {}: {why}", limit.label()));
        }
    };
    for (dimension, minimum) in &level_rule.minimum_for_yes {
        let value = values[dimension.index()];
        if value < *minimum {
            cap(
                Recommendation::Neutral,
                format!("{dimension} {value} is below the {minimum} a Yes needs at {level}"),
            );
        }
    }
    if level_rule.requires_production_experience && production == ProductionExperience::No {
        let why = match findings.production.basis().first() {
            Some(e) => format!(" (turn {}: \"{}\")", e.turn, e.quote),
            None => String::new(),
        };
        cap(
            Recommendation::Neutral,
            format!(
                "{level} requires production experience and the candidate's production \
                 talk was only hypothetical or denied{why}"
            ),
        );
    }
    for hit in &findings.red_flags.raised {
        let flag = &rubric.rubric.red_flags[hit.flag];
        if let (Some(limit), FlagBasis::Stated) = (flag.cap, hit.basis) {
            cap(
                limit,
                format!(
                    "red flag {} (turn {}: \"{}\")",
                    flag.id, hit.turn, hit.quote
                ),
            );
        }
    }
    let distinct = stated.len();
    for count_cap in &rule.red_flag_count_caps {
        if distinct >= count_cap.count {
            cap(
                count_cap.cap,
                format!(
                    "{distinct} distinct red flags stated (cap from {})",
                    count_cap.count
                ),
            );
        }
    }
    if let Some(turn) = inputs.early_conclusion {
        cap(
            rule.early_conclusion.cap,
            format!("the interviewer concluded early, in phase 1 (turn {turn})"),
        );
    }
    Decision {
        overall: value,
        recommendation,
        basis,
    }
}

/// Why an interview holds too little to decide on, or `None` when it can be assessed.
///
/// By the rubric's `assessment` rule: the candidate spoke fewer than
/// `min_candidate_words` words, or answered (with at least `min_answer_words` words)
/// fewer than `min_answered` questions that speak to the guide's areas (a bank
/// question, a math prompt, or a question whose answer is evidence for a dimension).
/// An interview the interviewer concluded early on a failing candidate, as the guide
/// allows, is always assessable.
pub fn insufficient(
    prepared: &Prepared<'_>,
    findings: &Findings,
    early_conclusion: Option<usize>,
    rubric: &CompiledRubric,
) -> Option<String> {
    let rule = &rubric.rubric.assessment;
    if early_conclusion.is_some() {
        return None;
    }
    let words: usize = prepared
        .turns_of(Role::Candidate)
        .map(|t| prepared.facts[t].words())
        .sum();
    if words < rule.min_candidate_words {
        return Some(format!(
            "the candidate spoke {words} words (at least {} needed)",
            rule.min_candidate_words
        ));
    }
    let answered = findings
        .exchanges
        .iter()
        .filter(|e| e.words >= rule.min_answer_words && speaks_to_the_guide(e, findings))
        .count();
    if answered < rule.min_answered {
        return Some(format!(
            "{answered} question(s) from the guide's areas answered (at least {} needed)",
            rule.min_answered
        ));
    }
    None
}

fn speaks_to_the_guide(
    exchange: &crate::scorers::exchange_split::Exchange,
    findings: &Findings,
) -> bool {
    use crate::scorers::exchange_split::QuestionKind;
    match exchange.kind {
        QuestionKind::Bank(_) | QuestionKind::Math => true,
        QuestionKind::Other => {
            !exchange.question_concepts.is_empty()
                || findings
                    .concepts
                    .best_mentions()
                    .any(|m| exchange.answer_turns.contains(&m.turn))
        }
    }
}
