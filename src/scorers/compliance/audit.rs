//! Transcript-level interviewer checks that read what several scorers found, kept
//! beside the compliance scorer they complete: the guide's ALWAYS list
//! (`coverage_gaps`) and timing (`timing`). Both are information for QA, not
//! breaches, and do not change the compliance score. They run once every scorer has
//! (in [`crate::evaluation::grade`]).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::rubric::CompiledRubric;
use crate::scorers::{Findings, Prepared};
use crate::transcript::{timestamp::format_ms, Role};

/// Something the interviewer should always do and did not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CoverageGap {
    /// Gap id from the rubric.
    pub gap: String,
    /// What was missed.
    pub message: String,
    /// The turn it concerns, when there is one (the unchallenged claim).
    pub turn: Option<usize>,
}

/// What a timing finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TimingKind {
    /// The interview runs past `timing.max_minutes`.
    OverTime,
    /// A bank question of an earlier phase asked after one of a later phase.
    PhaseOrder,
    /// A bank question asked more than `timing.phase_overrun_minutes` after its
    /// phase's budget ends.
    PhaseOverBudget,
    /// An exchange judged incorrect ran past `timing.moving_on_after_minutes`
    /// without `timing.moving_on`.
    NoMovingOn,
    /// An exchange ran past `timing.first_notice_minutes` without `timing.first_notice`.
    MissingFirstNotice,
    /// An exchange ran past `timing.second_notice_minutes` without
    /// `timing.second_notice`.
    MissingSecondNotice,
}

/// A timing finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TimingFinding {
    /// What the finding is about.
    pub kind: TimingKind,
    /// The turn it concerns.
    pub turn: usize,
    /// What happened.
    pub message: String,
}

/// The ALWAYS-list gaps of one interview.
pub fn coverage_gaps(
    prepared: &Prepared<'_>,
    findings: &Findings,
    rubric: &CompiledRubric,
) -> Vec<CoverageGap> {
    let coverage = &rubric.rubric.coverage;
    let end = findings
        .compliance
        .conclusion_turn
        .unwrap_or(prepared.transcript.turns.len());
    let mut probed = vec![false; coverage.gaps.len()];
    for turn in prepared.turns_of(Role::Interviewer).filter(|&t| t <= end) {
        for hit in rubric.coverage_cues.find_all(&prepared.turns[turn].text) {
            for &gap in hit.payload {
                probed[gap] = true;
            }
        }
    }
    let mut gaps: Vec<CoverageGap> = coverage
        .gaps
        .iter()
        .zip(probed)
        .filter(|(_, probed)| !probed)
        .map(|(gap, _)| CoverageGap {
            gap: gap.id.clone(),
            message: gap.message.clone(),
            turn: None,
        })
        .collect();
    for rule in &coverage.unchallenged_red_flags {
        for hit in &findings.red_flags.raised {
            if rubric.rubric.red_flags[hit.flag].id != rule.red_flag {
                continue;
            }
            let reply = prepared.turns_of(Role::Interviewer).find(|&t| t > hit.turn);
            let challenged = reply.is_some_and(|reply| {
                findings.compliance.verdicts.iter().any(|(turn, template)| {
                    *turn == reply && coverage.challenging_templates.contains(template)
                })
            });
            if !challenged {
                gaps.push(CoverageGap {
                    gap: rule.id.clone(),
                    message: rule.message.clone(),
                    turn: Some(hit.turn),
                });
            }
        }
    }
    gaps
}

/// Timing findings of one interview; empty without timestamps.
///
/// "Unsolved" is the interviewer's own judgement: an exchange answered "Incorrect.".
pub fn timing(
    prepared: &Prepared<'_>,
    findings: &Findings,
    rubric: &CompiledRubric,
) -> Vec<TimingFinding> {
    let rule = &rubric.rubric.timing;
    let turns = &prepared.transcript.turns;
    let minute = 60_000;
    let mut out = Vec::new();
    if let Some((last, at)) = turns
        .iter()
        .enumerate()
        .filter_map(|(i, t)| t.at_ms.map(|at| (i, at)))
        .next_back()
    {
        if at > rule.max_minutes * minute {
            out.push(TimingFinding {
                kind: TimingKind::OverTime,
                turn: last,
                message: format!(
                    "the interview runs to {} (more than {} minutes)",
                    format_ms(at),
                    rule.max_minutes
                ),
            });
        }
    }
    let bank = &rubric.rubric.questions.bank;
    let mut latest_phase: Option<(u8, usize)> = None;
    for exchange in &findings.exchanges {
        let Some(start) = turns[exchange.question_turn].at_ms else {
            continue;
        };
        if let crate::scorers::exchange_split::QuestionKind::Bank(q) = exchange.kind {
            let phase = bank[q].phase;
            // A phase's question asked well past the end of the phase's budget.
            if let Some(budget) = rubric.rubric.phases.iter().find(|p| p.number == phase) {
                let late_by = (start / minute).saturating_sub(budget.end_minute);
                if late_by > rule.phase_overrun_minutes {
                    out.push(TimingFinding {
                        kind: TimingKind::PhaseOverBudget,
                        turn: exchange.question_turn,
                        message: format!(
                            "a phase-{phase} question ({}) asked at {}, {late_by} minutes after the phase's budget ends at minute {}",
                            bank[q].id,
                            format_ms(start),
                            budget.end_minute
                        ),
                    });
                }
            }
            match latest_phase {
                Some((latest, turn)) if phase < latest => out.push(TimingFinding {
                    kind: TimingKind::PhaseOrder,
                    turn: exchange.question_turn,
                    message: format!(
                        "a phase-{phase} question ({}) comes after a phase-{latest} question (turn {turn})",
                        bank[q].id
                    ),
                }),
                _ => latest_phase = Some((phase, exchange.question_turn)),
            }
        }
        // The exchange runs until the next interviewer question (or the last turn).
        let last_answer = exchange
            .answer_turns
            .last()
            .copied()
            .unwrap_or(exchange.question_turn);
        let end_turn = exchange.next_interviewer_turn.unwrap_or(last_answer);
        let Some(end) = turns[end_turn].at_ms.or(turns[last_answer].at_ms) else {
            continue;
        };
        let duration = end.saturating_sub(start);
        let said = |phrase: &str| {
            let phrase = crate::text::normalize_phrase(phrase);
            (exchange.question_turn..=end_turn).any(|t| {
                turns[t].role == Role::Interviewer && prepared.turns[t].text.contains(&phrase)
            })
        };
        let long = |limit: u64| duration > limit * minute;
        // The candidate could not solve it: the interviewer answered "Incorrect."
        // where the guide wants "Moving on." after five minutes.
        let judged_incorrect = exchange.next_interviewer_turn.is_some_and(|reply| {
            findings
                .compliance
                .verdicts
                .iter()
                .any(|(turn, template)| *turn == reply && template == "incorrect")
        });
        if long(rule.moving_on_after_minutes) && judged_incorrect && !said(&rule.moving_on) {
            out.push(TimingFinding {
                kind: TimingKind::NoMovingOn,
                turn: exchange.question_turn,
                message: format!(
                    "an unsolved exchange ran {} minutes without \"{}\"",
                    duration / minute,
                    rule.moving_on
                ),
            });
        }
        if long(rule.first_notice_minutes) && !said(&rule.first_notice) {
            out.push(TimingFinding {
                kind: TimingKind::MissingFirstNotice,
                turn: exchange.question_turn,
                message: format!(
                    "an exchange ran {} minutes without \"{}\"",
                    duration / minute,
                    rule.first_notice
                ),
            });
        }
        if long(rule.second_notice_minutes) && !said(&rule.second_notice) {
            out.push(TimingFinding {
                kind: TimingKind::MissingSecondNotice,
                turn: exchange.question_turn,
                message: format!(
                    "an exchange ran {} minutes without \"{}\"",
                    duration / minute,
                    rule.second_notice
                ),
            });
        }
    }
    out
}
