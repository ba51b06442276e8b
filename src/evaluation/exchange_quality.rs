//! Exchange quality (0-100) and band, and where the interviewer's verdict disagrees.
//!
//! quality = coverage_weight x coverage + reasoning_weight x reasoning +
//! specificity_weight x specificity + substance_weight x substance +
//! relevance_weight x relevance -
//! red_flag_penalty x red flags in the answer -
//! evasive_penalty x (answer evasive), clamped to 0-100, where
//! - coverage, for a bank question: covered point shares / (`full_coverage_share` x
//!   points), at least 0.75 x the concept coverage below; for a math prompt: credit of
//!   math-foundation concepts / target; otherwise: credit of all concepts / target
//!   (each capped at 1), where target = `concept_points_per_part` x the question's
//!   parts (its question sentences and imperatives), at most `concept_points_target`;
//! - reasoning: the share of answer sentences that explain, full at 40%;
//! - specificity: the share of answer sentences with a number, a named concept or an
//!   expected point, full at 60%;
//! - substance: answer words / `substance_words`, capped at 1;
//! - relevance: the share of the question's content words the answer takes up, times
//!   min(1, new content words / `relevance_new_words`) (an echo adds nothing).
//!
//! Bands as in the guide: above `high` is "high", from `incomplete` up is
//! "incomplete", below is "incorrect".
//!
//! An exchange's `score`, the evidence it gives its dimensions, blends that quality
//! with the interviewer's verdict when there is one:
//! `(1 - interviewer_verdict_weight) x quality + interviewer_verdict_weight x value`,
//! where `value` is the mean of `verdict_values` over the verdicts on its answers.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::rubric::{Band, CompiledRubric, Dimension, QuestionKind as Kind, Verdict};
use crate::scorers::exchange_split::{Exchange, QuestionKind};
use crate::scorers::Findings;

/// An exchange in the output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ExchangeOut {
    /// The interviewer turn that asks.
    pub question_turn: usize,
    /// The candidate turns that answer.
    pub answer_turns: Vec<usize>,
    /// The bank question asked, if recognised.
    pub question_id: Option<String>,
    /// A bank question, a math prompt or another question.
    pub question_kind: Kind,
    /// 1-4.
    #[schemars(range(min = 1, max = 4))]
    pub phase: u8,
    /// 0-100.
    #[schemars(range(max = 100))]
    pub quality: u8,
    /// The guide's band for `quality`.
    pub band: Band,
    /// Expected points covered (bank questions) or concepts credited (others).
    pub covered: Vec<String>,
    /// Expected points not covered (bank questions only).
    pub missing: Vec<String>,
    /// The interviewer's verdict template on the answer (`correct`, `incomplete`,
    /// `incorrect`, `moving_on`), the last one when there were several.
    pub interviewer_verdict: Option<String>,
    /// The exchange's score for the dimensions: quality blended with the interviewer's
    /// verdict (`exchanges.interviewer_verdict_weight`), 0-100.
    #[schemars(range(max = 100))]
    // 0 in results from before it was written.
    #[serde(default)]
    #[schemars(!default)]
    pub score: u8,
    /// The dimensions the exchange is evidence for, in key order.
    // None in results from before they were written.
    #[serde(default)]
    #[schemars(!default)]
    pub dimensions: Vec<Dimension>,
}

/// Where the interviewer's verdict and debrief's band for the same answer differ.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct VerdictDisagreement {
    /// The interviewer turn holding the verdict.
    pub turn: usize,
    /// The verdict.
    pub interviewer_verdict: Verdict,
    /// debrief's band for the answer judged.
    pub debrief_band: Band,
    /// debrief's quality for the answer judged, 0-100.
    #[schemars(range(max = 100))]
    pub quality: u8,
}

/// Quality and band of every exchange.
pub fn assess(findings: &Findings, rubric: &CompiledRubric) -> Vec<ExchangeOut> {
    let by_turn = ByTurn::new(findings);
    findings
        .exchanges
        .iter()
        .map(|exchange| assess_one(exchange, &by_turn, rubric))
        .collect()
}

/// Findings indexed by turn, so each exchange reads only its own turns (a
/// transcript of 100,000 turns must not cost turns x findings).
struct ByTurn<'f> {
    mentions: BTreeMap<usize, Vec<&'f crate::scorers::concepts::Mention>>,
    flags: BTreeMap<usize, usize>,
    factual_errors: BTreeMap<usize, usize>,
    evasive: std::collections::BTreeSet<usize>,
    verdicts: BTreeMap<usize, &'f str>,
}

impl<'f> ByTurn<'f> {
    fn new(findings: &'f Findings) -> ByTurn<'f> {
        let mut mentions: BTreeMap<usize, Vec<_>> = BTreeMap::new();
        for mention in &findings.concepts.mentions {
            mentions.entry(mention.turn).or_default().push(mention);
        }
        let mut flags: BTreeMap<usize, usize> = BTreeMap::new();
        for hit in &findings.red_flags.raised {
            *flags.entry(hit.turn).or_default() += 1;
        }
        let mut factual_errors: BTreeMap<usize, usize> = BTreeMap::new();
        for error in &findings.facts.errors {
            *factual_errors.entry(error.turn).or_default() += 1;
        }
        ByTurn {
            mentions,
            flags,
            factual_errors,
            evasive: findings
                .communication
                .evasive
                .iter()
                .map(|e| e.turn)
                .collect(),
            verdicts: findings
                .compliance
                .verdicts
                .iter()
                .map(|(turn, template)| (*turn, template.as_str()))
                .collect(),
        }
    }
}

fn assess_one(exchange: &Exchange, by_turn: &ByTurn<'_>, rubric: &CompiledRubric) -> ExchangeOut {
    let r = &rubric.rubric;
    let rule = &r.exchanges;

    // Best credit per concept within the answer.
    let mut credit: BTreeMap<usize, f64> = BTreeMap::new();
    for mention in exchange
        .answer_turns
        .iter()
        .filter_map(|t| by_turn.mentions.get(t))
        .flatten()
    {
        let entry = credit.entry(mention.concept).or_insert(0.0);
        *entry = entry.max(mention.credit);
    }
    let concept_points = |math_only: bool| -> f64 {
        credit
            .iter()
            .filter(|(c, _)| {
                !math_only
                    || r.concepts[**c]
                        .dimensions
                        .contains(&Dimension::MathFoundation)
            })
            .map(|(_, v)| v)
            .sum()
    };
    // A narrow question ("Can we combine L1 and L2?") needs less than a broad one.
    let parts = exchange.parts as f64;
    let target = (rule.concept_points_per_part * parts)
        .min(rule.concept_points_target)
        .max(f64::EPSILON);
    let (coverage, question_id, kind, covered, missing) = match exchange.kind {
        QuestionKind::Bank(q) => {
            let question = &r.questions.bank[q];
            let needed = (rule.full_coverage_share * question.expected.len() as f64).max(1.0);
            let points: f64 = exchange.covered.values().sum();
            let by_points = (points / needed).min(1.0);
            let by_concepts = 0.75 * (concept_points(false) / target).min(1.0);
            let covered = question
                .expected
                .iter()
                .enumerate()
                .filter(|(i, _)| exchange.covered.contains_key(i))
                .map(|(_, p)| p.point.clone())
                .collect();
            let missing = question
                .expected
                .iter()
                .enumerate()
                .filter(|(i, _)| !exchange.covered.contains_key(i))
                .map(|(_, p)| p.point.clone())
                .collect();
            (
                by_points.max(by_concepts),
                Some(question.id.clone()),
                Kind::Bank,
                covered,
                missing,
            )
        }
        QuestionKind::Math => (
            (concept_points(true) / target).min(1.0),
            None,
            Kind::Math,
            credited(&credit, rubric, true),
            Vec::new(),
        ),
        QuestionKind::Other => (
            (concept_points(false) / target).min(1.0),
            None,
            Kind::Other,
            credited(&credit, rubric, false),
            Vec::new(),
        ),
    };
    let reasoning = if exchange.sentences == 0 {
        0.0
    } else {
        (exchange.explanatory_sentences as f64 / exchange.sentences as f64 / 0.4).min(1.0)
    };
    let specificity = if exchange.sentences == 0 {
        0.0
    } else {
        (exchange.specific_sentences as f64 / exchange.sentences as f64 / 0.6).min(1.0)
    };
    let substance = (exchange.words as f64 / rule.substance_words.max(1) as f64).min(1.0);
    // Relevance: the answer takes up the question's own terms and adds its own.
    let relevance = if exchange.question_words == 0 {
        1.0
    } else {
        exchange.shared_words as f64 / exchange.question_words as f64
            * (exchange.new_words as f64 / rule.relevance_new_words.max(1) as f64).min(1.0)
    };
    let flags: usize = exchange
        .answer_turns
        .iter()
        .filter_map(|t| by_turn.flags.get(t))
        .sum();
    let evasive = exchange
        .answer_turns
        .iter()
        .any(|t| by_turn.evasive.contains(t));
    let factual_errors: usize = exchange
        .answer_turns
        .iter()
        .filter_map(|t| by_turn.factual_errors.get(t))
        .sum();
    let quality = rule.coverage_weight * coverage
        + rule.reasoning_weight * reasoning
        + rule.specificity_weight * specificity
        + rule.substance_weight * substance
        + rule.relevance_weight * relevance
        - rule.red_flag_penalty * flags as f64
        - if evasive { rule.evasive_penalty } else { 0.0 }
        - r.facts.quality_penalty * factual_errors as f64;
    let quality = quality.round().clamp(0.0, 100.0) as u8;

    // The interviewer's verdicts on this exchange's answers.
    let verdicts: Vec<(usize, &str)> = exchange
        .answer_turns
        .iter()
        .filter_map(|t| by_turn.verdicts.get(&(t + 1)).map(|v| (t + 1, *v)))
        .filter(|(_, template)| rule.verdict_values.contains_key(*template))
        .collect();
    let interviewer_verdict = verdicts.last().map(|(_, template)| template.to_string());
    let score = if verdicts.is_empty() {
        f64::from(quality)
    } else {
        let value = verdicts
            .iter()
            .map(|(_, template)| rule.verdict_values[*template])
            .sum::<f64>()
            / verdicts.len() as f64;
        let weight = rule.interviewer_verdict_weight;
        (1.0 - weight) * f64::from(quality) + weight * value
    };
    let score = score.round().clamp(0.0, 100.0) as u8;

    // What the exchange is evidence for: the bank question's dimensions, math for a
    // math prompt, else the dimensions of the concepts the question names, else the
    // dimension(s) the answer's credited concepts speak to most.
    let mut dimensions: Vec<Dimension> = match exchange.kind {
        QuestionKind::Bank(q) => r.questions.bank[q].dimensions.clone(),
        QuestionKind::Math => vec![Dimension::MathFoundation],
        QuestionKind::Other => {
            let from = |concepts: &mut dyn Iterator<Item = usize>| -> Vec<Dimension> {
                let mut dims: Vec<Dimension> = concepts
                    .flat_map(|c| r.concepts[c].dimensions.iter().copied())
                    .filter(|d| *d != r.communication.dimension)
                    .collect();
                dims.sort_by_key(|d| d.key());
                dims.dedup();
                dims
            };
            let named = from(&mut exchange.question_concepts.iter().copied());
            if named.is_empty() {
                // The dimension the answer's credited concepts speak to most.
                let mut counts: BTreeMap<&str, (Dimension, usize)> = BTreeMap::new();
                for (concept, value) in &credit {
                    if *value <= 0.0 {
                        continue;
                    }
                    for dimension in &r.concepts[*concept].dimensions {
                        if *dimension != r.communication.dimension {
                            counts.entry(dimension.key()).or_insert((*dimension, 0)).1 += 1;
                        }
                    }
                }
                let best = counts.values().map(|(_, n)| *n).max().unwrap_or(0);
                counts
                    .into_values()
                    .filter(|(_, n)| *n == best && best > 0)
                    .map(|(d, _)| d)
                    .collect()
            } else {
                named
            }
        }
    };
    // Key order, as the output has always listed them.
    dimensions.sort_by_key(|d| d.key());
    dimensions.dedup();
    ExchangeOut {
        question_turn: exchange.question_turn,
        answer_turns: exchange.answer_turns.clone(),
        question_id,
        question_kind: kind,
        phase: exchange.phase,
        quality,
        band: band(quality, rubric),
        covered,
        missing,
        interviewer_verdict,
        score,
        dimensions,
    }
}

fn credited(
    credit: &BTreeMap<usize, f64>,
    rubric: &CompiledRubric,
    math_only: bool,
) -> Vec<String> {
    credit
        .iter()
        .filter(|(_, v)| **v > 0.0)
        .map(|(c, _)| &rubric.rubric.concepts[*c])
        .filter(|c| !math_only || c.dimensions.contains(&Dimension::MathFoundation))
        .map(|c| c.id.clone())
        .collect()
}

/// The guide's band for a quality.
pub fn band(quality: u8, rubric: &CompiledRubric) -> Band {
    let rule = &rubric.rubric.exchanges;
    let q = f64::from(quality);
    if q > rule.high {
        Band::High
    } else if q >= rule.incomplete {
        Band::Incomplete
    } else {
        Band::Incorrect
    }
}

/// Verdicts ("Correct.", "Correct but incomplete.", "Incorrect.", "Moving on.") whose
/// band differs from debrief's for the answer they judge.
pub fn disagreements(
    findings: &Findings,
    exchanges: &[ExchangeOut],
    rubric: &CompiledRubric,
) -> Vec<VerdictDisagreement> {
    let mut out = Vec::new();
    // The exchange each verdict judges, by the turn right after its last answer.
    let judged_by: BTreeMap<usize, &ExchangeOut> = findings
        .exchanges
        .iter()
        .zip(exchanges)
        .filter_map(|(e, assessed)| e.answer_turns.last().map(|last| (last + 1, assessed)))
        .collect();
    for (turn, template) in &findings.compliance.verdicts {
        let Some(verdict) = rubric
            .rubric
            .compliance
            .templates
            .iter()
            .find(|t| &t.id == template)
            .and_then(|t| t.verdict)
        else {
            continue;
        };
        let Some(assessed) = judged_by.get(turn) else {
            continue;
        };
        if verdict.band() != assessed.band {
            out.push(VerdictDisagreement {
                turn: *turn,
                interviewer_verdict: verdict,
                debrief_band: assessed.band,
                quality: assessed.quality,
            });
        }
    }
    out
}
