//! Communication, from how the candidate's answers are built: justified (a reason
//! given), quantified (numbers), neither terse nor rambling, not evasive.
//!
//! score = base + justified_bonus x share justified + quantified_bonus x share
//! quantified - terse_penalty x share terse - rambling_penalty x share rambling -
//! evasive_penalty x min(evasive answers, evasive_cap), rounded and clamped to 1-5.
//! Each candidate turn counts as one answer.

use super::{Evidence, Prepared, Scorer};
use crate::rubric::{CompiledRubric, TurnList};
use crate::transcript::Role;

/// The communication scorer.
pub struct CommunicationScorer;

/// Counts behind the Communication score.
#[derive(Debug, Clone, Default)]
pub struct CommunicationFindings {
    /// Candidate answers.
    pub answers: usize,
    /// Answers that give a reason.
    pub justified: usize,
    /// Answers with a number.
    pub quantified: usize,
    /// Answers below the terse limit.
    pub terse: Vec<usize>,
    /// Answers above the rambling limit.
    pub rambling: Vec<usize>,
    /// Evasive answers, with the phrase.
    pub evasive: Vec<Evidence>,
    /// The unrounded score.
    pub raw_score: f64,
}

impl Scorer for CommunicationScorer {
    type Findings = CommunicationFindings;

    fn score(&self, prepared: &Prepared<'_>, rubric: &CompiledRubric) -> CommunicationFindings {
        let rules = &rubric.rubric.communication;
        let mut findings = CommunicationFindings::default();
        for turn in prepared.turns_of(Role::Candidate) {
            let text = prepared.turns[turn].text.as_str();
            let words = prepared.facts[turn].words();
            findings.answers += 1;
            if prepared.facts[turn].reasons.contains(&true) {
                findings.justified += 1;
            }
            if text.bytes().any(|b| b.is_ascii_digit()) {
                findings.quantified += 1;
            }
            if words < rules.terse_below_words {
                findings.terse.push(turn);
            }
            if words > rules.rambling_above_words {
                findings.rambling.push(turn);
            }
            let evasive = prepared.facts[turn].occurrences(TurnList::EvasivePhrases);
            if let Some(hit) = rubric.evasive_phrases.select(text, evasive).first() {
                findings.evasive.push(Evidence {
                    turn,
                    quote: prepared.quote(turn, hit.start..hit.end),
                });
            }
        }
        let share = |n: usize| {
            if findings.answers == 0 {
                0.0
            } else {
                n as f64 / findings.answers as f64
            }
        };
        findings.raw_score = rules.base
            + rules.justified_bonus * share(findings.justified)
            + rules.quantified_bonus * share(findings.quantified)
            - rules.terse_penalty * share(findings.terse.len())
            - rules.rambling_penalty * share(findings.rambling.len())
            - rules.evasive_penalty * findings.evasive.len().min(rules.evasive_cap) as f64;
        findings
    }
}
