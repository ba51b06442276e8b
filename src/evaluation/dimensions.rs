//! The six 1-5 dimension scores and the evidence behind each.
//!
//! For every dimension but Communication:
//! - coverage = 1 + 4 x min(1, (explained concept points + bare points, at most
//!   `credit.bare_points_cap` x full) / `full_credit`);
//! - when exchanges are evidence for the dimension (their `dimensions`), the
//!   exchange value = 1 + 4 x (mean exchange score - `score_for_1`) /
//!   (`score_for_5` - `score_for_1`), clamped to 1-5, and the raw score is
//!   `exchange_weight` x exchange value + (1 - `exchange_weight`) x coverage;
//!   otherwise the raw score is the coverage;
//! - Production Readiness gains `production_experience.readiness_bonus` concept
//!   points when the candidate did production work;
//! - each distinct red flag takes its `lowers` points.
//!
//! The score is the raw score rounded and clamped to 1-5. Communication is the
//! communication scorer's result less red-flag points. A dimension is *assessed* when
//! an exchange or a concept mention speaks to it; only assessed dimensions count
//! towards the overall score.

use std::collections::BTreeMap;

use super::{ExchangeOut, ScoreEvidence};
use crate::rubric::CompiledRubric;
use crate::rubric::Dimension;
use crate::scorers::concepts::MentionKind;
use crate::scorers::production::ProductionExperience;
use crate::scorers::red_flags::FlagBasis;
use crate::scorers::Findings;

/// Scores, whether each dimension was assessed, and the evidence per dimension.
pub struct DimensionScores {
    /// The six scores, in [`Dimension::ALL`] order.
    pub values: [u8; 6],
    /// Per dimension (in [`Dimension::ALL`] order), whether anything assessed it.
    pub assessed: [bool; 6],
    /// Per dimension, the score before rounding (clamped to 1-5): the overall score
    /// is computed from these, so rounding does not hide a difference.
    pub raw: [f64; 6],
    /// Per dimension id, what moved its score.
    pub evidence: BTreeMap<String, Vec<ScoreEvidence>>,
}

/// Computes the six scores.
pub fn score(
    findings: &Findings,
    exchanges: &[ExchangeOut],
    rubric: &CompiledRubric,
) -> DimensionScores {
    let r = &rubric.rubric;
    let rule = &r.dimension_scoring;
    let mut points = [0.0_f64; 6];
    let mut bare_points = [0.0_f64; 6];
    let mut penalties = [0.0_f64; 6];
    let mut evidence: BTreeMap<String, Vec<ScoreEvidence>> = Dimension::ALL
        .iter()
        .map(|d| (d.key().to_string(), Vec::new()))
        .collect();
    let full_credit = |id: Dimension| {
        r.dimensions
            .iter()
            .find(|d| d.id == id)
            .map_or(5.0, |d| d.full_credit)
    };
    let by_dimension: Vec<Vec<&ExchangeOut>> = Dimension::ALL
        .iter()
        .map(|d| {
            exchanges
                .iter()
                .filter(|e| e.dimensions.contains(d))
                .collect()
        })
        .collect();
    // With exchanges, concept evidence carries the coverage share of the score.
    let coverage_share = |i: usize| {
        if by_dimension[i].is_empty() {
            1.0
        } else {
            1.0 - rule.exchange_weight
        }
    };

    for mention in findings.concepts.best_mentions() {
        let concept = &r.concepts[mention.concept];
        for &dimension in &concept.dimensions {
            let i = dimension.index();
            if dimension == r.communication.dimension {
                continue;
            }
            if mention.kind == MentionKind::Explained {
                points[i] += mention.credit;
            } else {
                bare_points[i] += mention.credit;
            }
            evidence
                .entry(dimension.key().to_string())
                .or_default()
                .push(ScoreEvidence {
                    turn: Some(mention.turn),
                    quote: mention.quote.clone(),
                    effect: round2(
                        coverage_share(i) * 4.0 * mention.credit / full_credit(dimension),
                    ),
                    rule: format!("concept:{} ({})", concept.id, kind_label(mention.kind)),
                });
        }
    }
    if findings.production.experience == ProductionExperience::Yes {
        let bonus = r.production_experience.readiness_bonus;
        if let Some(first) = findings.production.did.first() {
            let dimension = Dimension::ProductionReadiness;
            let i = dimension.index();
            points[i] += bonus;
            evidence
                .entry(dimension.key().to_string())
                .or_default()
                .push(ScoreEvidence {
                    turn: Some(first.turn),
                    quote: first.quote.clone(),
                    effect: round2(coverage_share(i) * 4.0 * bonus / full_credit(dimension)),
                    rule: "production_experience:did".into(),
                });
        }
    }
    for (i, dimension) in Dimension::ALL.iter().enumerate() {
        let list = &by_dimension[i];
        for exchange in list {
            evidence
                .entry(dimension.key().to_string())
                .or_default()
                .push(ScoreEvidence {
                    turn: Some(exchange.question_turn),
                    quote: format!(
                        "{} question: quality {}, interviewer verdict {}, score {}",
                        exchange
                            .question_id
                            .as_deref()
                            .unwrap_or(exchange.question_kind.key()),
                        exchange.quality,
                        exchange.interviewer_verdict.as_deref().unwrap_or("none"),
                        exchange.score
                    ),
                    effect: round2(
                        rule.exchange_weight * (exchange_value(exchange.score, rubric) - 1.0)
                            / list.len() as f64,
                    ),
                    rule: format!("exchange:turn {}", exchange.question_turn),
                });
        }
    }
    // Only stated flags lower dimensions; derived ones weigh on the overall score
    // alone, by a bounded amount (see `decision`).
    for hit in findings
        .red_flags
        .first_per_flag()
        .filter(|h| h.basis == FlagBasis::Stated)
    {
        let flag = &r.red_flags[hit.flag];
        for (dimension, amount) in &flag.lowers {
            let i = dimension.index();
            penalties[i] += amount;
            evidence
                .entry(dimension.key().to_string())
                .or_default()
                .push(ScoreEvidence {
                    turn: Some(hit.turn),
                    quote: hit.quote.clone(),
                    effect: -round2(*amount),
                    rule: format!("red_flag:{}", flag.id),
                });
        }
    }

    for error in &findings.facts.errors {
        let claim = &r.facts.claims[error.claim];
        let amount = r.facts.dimension_penalty;
        if amount <= 0.0 {
            continue;
        }
        penalties[claim.dimension.index()] += amount;
        evidence
            .entry(claim.dimension.key().to_string())
            .or_default()
            .push(ScoreEvidence {
                turn: Some(error.turn),
                quote: error.quote.clone(),
                effect: -round2(amount),
                rule: format!("fact:{} {}", claim.subject, claim.property),
            });
    }

    let mut values = [1u8; 6];
    let mut raws = [1.0_f64; 6];
    let mut assessed = [false; 6];
    for (i, &dimension) in Dimension::ALL.iter().enumerate() {
        let raw = if dimension == r.communication.dimension {
            assessed[i] = findings.communication.answers > 0;
            findings.communication.raw_score
        } else {
            let full = full_credit(dimension);
            let bare = bare_points[i].min(r.credit.bare_points_cap * full);
            let coverage = 1.0 + 4.0 * ((points[i] + bare) / full).min(1.0);
            let list = &by_dimension[i];
            assessed[i] = !list.is_empty() || points[i] + bare_points[i] > 0.0;
            if list.is_empty() {
                coverage
            } else {
                let mean = list.iter().map(|e| f64::from(e.score)).sum::<f64>() / list.len() as f64;
                rule.exchange_weight * exchange_value(mean, rubric)
                    + (1.0 - rule.exchange_weight) * coverage
            }
        };
        raws[i] = (raw - penalties[i]).clamp(1.0, 5.0);
        values[i] = raws[i].round() as u8;
    }
    let communication = &findings.communication;
    let list = evidence
        .entry(r.communication.dimension.key().to_string())
        .or_default();
    list.push(ScoreEvidence {
        turn: None,
        quote: format!(
            "{} answers: {} justified, {} quantified, {} terse, {} rambling, {} evasive",
            communication.answers,
            communication.justified,
            communication.quantified,
            communication.terse.len(),
            communication.rambling.len(),
            communication.evasive.len()
        ),
        effect: round2(communication.raw_score - r.communication.base),
        rule: "communication:shape".into(),
    });
    for evasive in communication
        .evasive
        .iter()
        .take(r.communication.evasive_cap)
    {
        list.push(ScoreEvidence {
            turn: Some(evasive.turn),
            quote: evasive.quote.clone(),
            effect: -round2(r.communication.evasive_penalty),
            rule: "communication:evasive".into(),
        });
    }
    DimensionScores {
        values,
        assessed,
        raw: raws,
        evidence,
    }
}

/// An exchange score (0-100) on the 1-5 scale.
pub fn exchange_value(score: impl Into<f64>, rubric: &CompiledRubric) -> f64 {
    let rule = &rubric.rubric.dimension_scoring;
    let span = (rule.score_for_5 - rule.score_for_1).max(1.0);
    (1.0 + 4.0 * (score.into() - rule.score_for_1) / span).clamp(1.0, 5.0)
}

fn kind_label(kind: MentionKind) -> &'static str {
    match kind {
        MentionKind::Explained => "explained",
        MentionKind::Bare => "named without explanation",
        MentionKind::Echoed => "echoed from the question",
        MentionKind::Listed => "listed among many",
    }
}

fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}
