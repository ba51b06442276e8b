//! From scorer findings to the final evaluation the guide asks for: six 1-5 scores,
//! a recommendation, strengths, gaps and production experience, each with the
//! transcript evidence behind it.
//!
//! Dimension score = 1 + 4 x min(1, concept points / `full_credit`), minus the
//! points of each red flag raised that `lowers` it, rounded and clamped to 1-5
//! (Communication comes from the communication scorer instead of concepts; Production
//! Readiness gains `production_experience.readiness_bonus` points when the candidate
//! did production work). The recommendation applies the level's thresholds to the
//! weighted mean of the six scores, then the caps: dimension minimums for a Yes, each
//! red flag's own cap, caps by red-flag count, and an early conclusion.
//!
//! [`grade`] runs the stages in one direction, each a value the next reads: the
//! scorers' findings; the exchanges assessed (`exchange_quality`) and the red flags the
//! interview shows without a phrase stating them (`derived`), joined to the stated
//! ones as a new findings value; the dimension scores (`dimensions`); the verdict with
//! its basis (`decision`); the strengths and gaps (`narrative`); the evaluation.

mod decision;
mod derived;
mod dimensions;
mod exchange_quality;
mod narrative;
mod read;
mod transcript;

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::rubric::CompiledRubric;
use crate::scorers::concepts::MentionKind;
use crate::scorers::production::ProductionExperience;
use crate::scorers::red_flags::FlagBasis;
use crate::scorers::{self, compliance::Violation, Evidence, Findings, Prepared};
use crate::transcript::{Role, Transcript};

pub use crate::rubric::{Dimension, Recommendation};

/// The six 1-5 scores, as the output writes them: a dimension is `null` only in an
/// interview too thin to assess (`assessment: "insufficient"`) when nothing in it
/// spoke to that dimension.
// Read back, a missing dimension is `null`, and anything but `null` or a whole number
// from 1 to 5 is refused (`read::score`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
#[schemars(!default)]
pub struct Scores {
    /// ML Fundamentals.
    #[schemars(range(min = 1, max = 5))]
    #[serde(deserialize_with = "read::score")]
    pub ml_fundamentals: Option<u8>,
    /// Feature Engineering.
    #[schemars(range(min = 1, max = 5))]
    #[serde(deserialize_with = "read::score")]
    pub feature_engineering: Option<u8>,
    /// Model Selection.
    #[schemars(range(min = 1, max = 5))]
    #[serde(deserialize_with = "read::score")]
    pub model_selection: Option<u8>,
    /// Production Readiness.
    #[schemars(range(min = 1, max = 5))]
    #[serde(deserialize_with = "read::score")]
    pub production_readiness: Option<u8>,
    /// Math Foundation.
    #[schemars(range(min = 1, max = 5))]
    #[serde(deserialize_with = "read::score")]
    pub math_foundation: Option<u8>,
    /// Communication.
    #[schemars(range(min = 1, max = 5))]
    #[serde(deserialize_with = "read::score")]
    pub communication: Option<u8>,
}

impl Scores {
    /// The scores of `values` (in [`Dimension::ALL`] order) where `keep` is true.
    fn from_values(values: [u8; 6], keep: [bool; 6]) -> Scores {
        let v = |i: usize| keep[i].then_some(values[i]);
        Scores {
            ml_fundamentals: v(0),
            feature_engineering: v(1),
            model_selection: v(2),
            production_readiness: v(3),
            math_foundation: v(4),
            communication: v(5),
        }
    }

    /// The scores in [`Dimension::ALL`] order.
    pub fn to_array(self) -> [Option<u8>; 6] {
        [
            self.ml_fundamentals,
            self.feature_engineering,
            self.model_selection,
            self.production_readiness,
            self.math_foundation,
            self.communication,
        ]
    }
}

/// Whether an interview held enough to decide on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Assessment {
    /// Graded with a recommendation.
    Assessed,
    /// Too little to decide on (`assessment_reason` says why): no recommendation.
    Insufficient,
}

/// Whether a transcript was graded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Graded.
    // What a results file without `status` reads as.
    #[default]
    Ok,
    /// Could not be read or parsed; see `error`.
    Error,
}

/// A red flag in the output.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RedFlagOut {
    /// Rubric id.
    pub id: String,
    /// 0-based turn.
    pub turn: usize,
    /// The candidate's sentence.
    pub quote: String,
    /// `stated` (the candidate said it: may cap) or `derived` (read from the
    /// interview's shape: lowers the overall score by a bounded amount).
    // Results from before derived flags read as `stated`.
    #[serde(default = "read::stated")]
    #[schemars(!default)]
    pub basis: FlagBasis,
}

/// A claim the candidate made that does not hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FactualErrorOut {
    /// 0-based turn.
    pub turn: usize,
    /// The candidate's sentence.
    pub quote: String,
    /// What the candidate claimed: `subject: property`, or `subject: not property`.
    pub claim: String,
    /// What holds instead.
    pub instead: String,
}

/// A concept the candidate showed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct KeywordOut {
    /// Rubric concept id.
    pub concept: String,
    /// One of the guide's excellent keywords.
    pub excellent: bool,
    /// 0-based turn of the best mention.
    pub turn: usize,
    /// How the best mention was judged: explained, bare, echoed, listed.
    pub kind: MentionKind,
    /// The candidate's sentence.
    pub quote: String,
}

/// One piece of evidence that moved a dimension score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ScoreEvidence {
    /// 0-based turn, when the evidence rests on one.
    pub turn: Option<usize>,
    /// The words behind it.
    pub quote: String,
    /// Points added (positive) or taken (negative) before rounding.
    pub effect: f64,
    /// The rubric rule behind it (`concept:regularization`, `red_flag:...`).
    pub rule: String,
}

pub use crate::scorers::compliance::audit::{CoverageGap, TimingFinding, TimingKind};
pub use exchange_quality::{ExchangeOut, VerdictDisagreement};
pub use transcript::{TranscriptOut, TurnOut};

/// Template compliance in the output.
// Read back, every field may be missing: results from before `checks` and `passed`
// read 0 for both, which a count made never is (it counts the conclusion check).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
#[schemars(!default)]
pub struct ComplianceOut {
    /// 0-100; see the compliance scorer for the formula.
    #[schemars(range(max = 100))]
    pub score: u8,
    /// Interviewer turns read.
    pub interviewer_turns: usize,
    /// Checks made (interviewer turns + the conclusion check).
    pub checks: usize,
    /// Checks passed; `score` = 100 x passed / checks, rounded down.
    pub passed: usize,
    /// Every breach.
    pub violations: Vec<Violation>,
    /// Verdicts that disagree with debrief's band for the same answer (information).
    pub verdict_disagreements: Vec<VerdictDisagreement>,
    /// What the guide says the interviewer must always do and they did not (information).
    pub coverage_gaps: Vec<CoverageGap>,
    /// Timing findings, where timestamps exist (information).
    pub timing: Vec<TimingFinding>,
}

/// The final evaluation of one transcript: the output contract.
///
/// Every field but `transcript` is written for every transcript; for `status:
/// "error"` all graded fields are `null` or empty. `transcript` is written only when
/// asked for (`grade --with-transcript`, and always for the HTML report).
// The same type reads results back (`crate::results`): any field may be missing and
// reads as empty (`null`, `""`, `[]`, `{}`, status `ok`), so results from an older
// debrief load (the reader refuses one without an `id`); fields it does not know are
// ignored.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(default, expecting = "an evaluation object")]
#[schemars(!default)]
pub struct Evaluation {
    /// The input path as given (`-` for stdin).
    pub source: String,
    /// Transcript id (metadata, else file stem, `stem:line` for JSON Lines).
    pub id: String,
    /// "ok" or "error".
    pub status: Status,
    /// `null`, or the one-line reason the file could not be graded.
    pub error: Option<String>,
    /// sha256 of the input file's bytes.
    pub input_sha256: Option<String>,
    /// Candidate name from metadata.
    pub candidate: Option<String>,
    /// Interviewer name or agent id from metadata.
    pub interviewer: Option<String>,
    /// For files that name speakers but not roles (captions, exports, speech-to-text):
    /// who was taken for the interviewer and the candidate, how, and how surely.
    pub speakers: Option<crate::transcript::Attribution>,
    /// The level graded against (metadata, else `--level`, else the rubric default).
    pub level: Option<String>,
    /// `assessed`, or `insufficient` when the interview holds too little to decide on
    /// (`null` for a file that failed).
    pub assessment: Option<Assessment>,
    /// Why an interview is insufficient: the rubric's `assessment` rule it falls short of.
    pub assessment_reason: Option<String>,
    /// The six 1-5 scores.
    pub scores: Option<Scores>,
    /// The weighted mean of the scores the recommendation thresholds apply to.
    pub overall: Option<f64>,
    /// Strong No, No, Neutral, Yes or Strong Yes.
    pub recommendation: Option<Recommendation>,
    /// Why the recommendation is what it is: threshold, then any caps applied.
    pub recommendation_basis: Vec<String>,
    /// 2-3 sentences, each citing its turn.
    pub strengths: Vec<String>,
    /// 2-3 sentences, each citing its turn.
    pub gaps: Vec<String>,
    /// "yes", "no" or "unclear".
    pub production_experience: Option<ProductionExperience>,
    /// The sentences behind `production_experience`.
    pub production_evidence: Vec<Evidence>,
    /// Red flags and warning signs raised.
    pub red_flags: Vec<RedFlagOut>,
    /// Red-flag phrases the candidate negated or rejected: not counted.
    pub negated_red_flags: Vec<RedFlagOut>,
    /// Claims the candidate made that the rubric's facts say are false.
    pub factual_errors: Vec<FactualErrorOut>,
    /// Concepts shown, best mention each, in rubric order.
    pub keywords: Vec<KeywordOut>,
    /// Per dimension, the evidence that moved its score.
    #[schemars(schema_with = "evidence_schema")]
    pub evidence: BTreeMap<String, Vec<ScoreEvidence>>,
    /// The interview's exchanges: question, answers, phase, quality and band.
    pub exchanges: Vec<ExchangeOut>,
    /// Interviewer template compliance.
    pub compliance: Option<ComplianceOut>,
    /// The turns as read, when asked for (`grade --with-transcript`; the HTML report
    /// always has them); left out of the output otherwise, so the default output does
    /// not change.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "TranscriptOut")]
    pub transcript: Option<TranscriptOut>,
}

/// `evidence`'s schema: keyed by dimension (the map's keys are strings, in the
/// string order the output has always had, rather than [`Dimension`]s).
fn evidence_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "type": "object",
        "propertyNames": generator.subschema_for::<Dimension>(),
        "additionalProperties": generator.subschema_for::<Vec<ScoreEvidence>>(),
    })
}

impl Evaluation {
    /// An evaluation for input that could not be graded.
    pub fn failed(
        source: &str,
        id: &str,
        error: String,
        input_sha256: Option<String>,
    ) -> Evaluation {
        Evaluation {
            source: source.to_string(),
            id: id.to_string(),
            status: Status::Error,
            error: Some(error),
            input_sha256,
            candidate: None,
            interviewer: None,
            speakers: None,
            level: None,
            assessment: None,
            assessment_reason: None,
            scores: None,
            overall: None,
            recommendation: None,
            recommendation_basis: Vec::new(),
            strengths: Vec::new(),
            gaps: Vec::new(),
            production_experience: None,
            production_evidence: Vec::new(),
            red_flags: Vec::new(),
            negated_red_flags: Vec::new(),
            factual_errors: Vec::new(),
            keywords: Vec::new(),
            evidence: BTreeMap::new(),
            exchanges: Vec::new(),
            compliance: None,
            transcript: None,
        }
    }
}

/// Grades one transcript: runs the scorers and evaluates their findings.
///
/// `level` is the level to assume when the transcript names none. Fails only when
/// the transcript's level is not one the rubric knows.
pub fn grade(
    transcript: &Transcript,
    rubric: &CompiledRubric,
    source: &str,
    input_sha256: Option<String>,
    level: Option<&str>,
) -> Result<Evaluation, String> {
    let rule = &rubric.rubric.recommendation;
    let level = transcript
        .level
        .as_deref()
        .or(level)
        .unwrap_or(&rule.default_level)
        .trim()
        .to_ascii_lowercase();
    let Some(level_rule) = rule.levels.get(&level) else {
        let known: Vec<&str> = rule.levels.keys().map(String::as_str).collect();
        return Err(format!(
            "unknown level '{level}' (the rubric knows {})",
            known.join(", ")
        ));
    };
    // The stages, each a value the next one reads.
    let prepared = Prepared::new(transcript, rubric);
    let mut findings = scorers::score_all(&prepared, rubric);
    derived::set_aside_hedges(&mut findings, rubric);
    let exchanges = exchange_quality::assess(&findings, rubric);
    let derived = derived::flags(&prepared, &findings, &exchanges, rubric);
    let findings = scorers::Findings {
        red_flags: findings.red_flags.with_derived(derived),
        ..findings
    };
    let dimension_scores = dimensions::score(&findings, &exchanges, rubric);
    let overall = decision::overall(&dimension_scores, &exchanges, rubric);
    let early_conclusion = early_conclusion(&prepared, &findings, rubric);
    let decision = decision::decide(
        &overall,
        &level,
        level_rule,
        &dimension_scores.values,
        &decision::CapInputs {
            findings: &findings,
            early_conclusion,
        },
        rubric,
    );
    // Too little to decide on: no recommendation, and scores only where evidence is.
    let insufficient = decision::insufficient(&prepared, &findings, early_conclusion, rubric);
    let (assessment, overall, recommendation, basis, keep) = match &insufficient {
        None => (
            Assessment::Assessed,
            Some(decision.overall),
            Some(decision.recommendation),
            decision.basis,
            [true; 6],
        ),
        Some(reason) => (
            Assessment::Insufficient,
            None,
            None,
            vec![format!("not enough to decide on: {reason}")],
            dimension_scores.assessed,
        ),
    };
    let scores = Scores::from_values(dimension_scores.values, keep);
    let values = dimension_scores.values;
    let evidence = dimension_scores.evidence;

    let strengths = narrative::strengths(&findings, &exchanges, rubric);
    let gaps = narrative::gaps(&findings, &exchanges, rubric, &values, transcript);
    let names = |hits: &[scorers::red_flags::FlagHit]| -> Vec<RedFlagOut> {
        hits.iter()
            .map(|h| RedFlagOut {
                id: rubric.rubric.red_flags[h.flag].id.clone(),
                turn: h.turn,
                quote: h.quote.clone(),
                basis: h.basis,
            })
            .collect()
    };
    let keywords = findings
        .concepts
        .best_mentions()
        .map(|m| {
            let concept = &rubric.rubric.concepts[m.concept];
            KeywordOut {
                concept: concept.id.clone(),
                excellent: concept.excellent,
                turn: m.turn,
                kind: m.kind,
                quote: m.quote.clone(),
            }
        })
        .collect();
    let verdict_disagreements = exchange_quality::disagreements(&findings, &exchanges, rubric);
    let coverage_gaps =
        crate::scorers::compliance::audit::coverage_gaps(&prepared, &findings, rubric);
    let timing = crate::scorers::compliance::audit::timing(&prepared, &findings, rubric);
    let production_evidence = findings.production.basis();
    Ok(Evaluation {
        source: source.to_string(),
        id: transcript.id.clone(),
        status: Status::Ok,
        error: None,
        input_sha256,
        candidate: transcript.candidate.clone(),
        interviewer: transcript.interviewer.clone(),
        speakers: transcript.speakers.clone(),
        level: Some(level),
        assessment: Some(assessment),
        assessment_reason: insufficient,
        scores: Some(scores),
        overall,
        recommendation,
        recommendation_basis: basis,
        strengths,
        gaps,
        production_experience: Some(findings.production.experience),
        production_evidence,
        red_flags: names(&findings.red_flags.raised),
        negated_red_flags: names(&findings.red_flags.negated),
        factual_errors: findings
            .facts
            .errors
            .iter()
            .map(|e| {
                let claim = &rubric.rubric.facts.claims[e.claim];
                FactualErrorOut {
                    turn: e.turn,
                    quote: e.quote.clone(),
                    claim: format!(
                        "{}: {}{}",
                        claim.subject,
                        if e.asserted { "" } else { "not " },
                        claim.property
                    ),
                    instead: claim.instead.clone(),
                }
            })
            .collect(),
        keywords,
        evidence,
        exchanges,
        compliance: Some(ComplianceOut {
            score: findings.compliance.score,
            interviewer_turns: findings.compliance.interviewer_turns,
            checks: findings.compliance.checks,
            passed: findings.compliance.passed,
            violations: findings.compliance.violations,
            verdict_disagreements,
            coverage_gaps,
            timing,
        }),
        transcript: None,
    })
}

/// The conclusion's turn when the interview was concluded early because the
/// candidate was failing: after at most `max_answers` answers or before
/// `before_minutes`, with at least one of `failing_verdicts` given before it.
fn early_conclusion(
    prepared: &Prepared<'_>,
    findings: &Findings,
    rubric: &CompiledRubric,
) -> Option<usize> {
    let rule = &rubric.rubric.recommendation.early_conclusion;
    let turns = &prepared.transcript.turns;
    let turn = findings.compliance.conclusion_turn?;
    let failing = findings
        .compliance
        .verdicts
        .iter()
        .any(|(t, template)| *t < turn && rule.failing_verdicts.contains(template));
    if !failing {
        return None;
    }
    let answers = turns[..turn]
        .iter()
        .filter(|t| t.role == Role::Candidate)
        .count();
    // Both signs where both can be read: a cut-short clock or a compressed one alone
    // is not an early conclusion.
    let early_by_time = turns[turn]
        .at_ms
        .is_none_or(|at| at < rule.before_minutes * 60_000);
    (answers <= rule.max_answers && early_by_time).then_some(turn)
}
