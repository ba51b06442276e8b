//! Concept coverage: which of the rubric's concepts the candidate showed, and how
//! much credit each mention earns.
//!
//! Only candidate turns count. A mention earns full credit in a sentence that
//! explains (an explanation marker: a reason, mechanism or trade-off; or enough
//! words around the concepts it names to be elaboration, not a list), a partial
//! share when bare, and nothing when it merely echoes the interviewer's question or
//! stands in a bare list of more concepts than `credit.bare_concepts_per_sentence`
//! (keyword stuffing). A concept counts once: its best mention.

use std::collections::BTreeSet;

use schemars::JsonSchema;
use serde::Serialize;

use super::{Prepared, Scorer, TurnFacts};
use crate::rubric::CompiledRubric;
use crate::transcript::Role;

/// The concept scorer.
pub struct ConceptScorer;

/// How a mention was judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MentionKind {
    /// In a sentence that explains: full credit.
    Explained,
    /// Mentioned without explanation: partial credit.
    Bare,
    /// Echoed from the interviewer's question without explanation: no credit.
    Echoed,
    /// One of many concepts listed without explanation: no credit.
    Listed,
}

/// One concept mention.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    /// Index into the rubric's concepts.
    pub concept: usize,
    /// 0-based turn.
    pub turn: usize,
    /// The sentence, in the candidate's words, for each concept's best mention (the
    /// one reported); empty for the others, which are only counted.
    pub quote: String,
    /// Where the mention stands in the turn's normalised text.
    pub range: std::ops::Range<usize>,
    /// How it was judged.
    pub kind: MentionKind,
    /// Points earned (concept weight times share).
    pub credit: f64,
}

/// All mentions, and the best one per concept.
#[derive(Debug, Clone, Default)]
pub struct ConceptFindings {
    /// Every mention in turn order.
    pub mentions: Vec<Mention>,
    /// Per concept index, the index into `mentions` of its best mention.
    pub best: Vec<Option<usize>>,
}

impl ConceptFindings {
    /// The best mention of each concept shown, in rubric order.
    pub fn best_mentions(&self) -> impl Iterator<Item = &Mention> {
        self.best.iter().flatten().map(|&i| &self.mentions[i])
    }
}

impl Scorer for ConceptScorer {
    type Findings = ConceptFindings;

    fn score(&self, prepared: &Prepared<'_>, rubric: &CompiledRubric) -> ConceptFindings {
        let concepts = &rubric.rubric.concepts;
        let credit = &rubric.rubric.credit;
        let mut mentions = Vec::new();
        let mut echo: BTreeSet<usize> = BTreeSet::new();
        for (turn, normalized) in prepared.turns.iter().enumerate() {
            let text = normalized.text.as_str();
            let facts = &prepared.facts[turn];
            let hits = concept_hits(text, facts, rubric);
            if prepared.transcript.turns[turn].role == Role::Interviewer {
                echo = hits.iter().map(|h| h.0).collect();
                continue;
            }
            let sentences = facts.sentences.iter().zip(&facts.sentence_words);
            for ((sentence, &words), &reason) in sentences.zip(&facts.reasons) {
                let in_sentence: Vec<&(usize, usize, usize)> = hits
                    .iter()
                    .filter(|(_, start, _)| sentence.contains(start))
                    .collect();
                if in_sentence.is_empty() {
                    continue;
                }
                let distinct: BTreeSet<usize> = in_sentence.iter().map(|h| h.0).collect();
                let explained = rubric.explains(reason, words, distinct.len());
                let listed = !explained && distinct.len() > credit.bare_concepts_per_sentence;
                let mut seen = BTreeSet::new();
                for &&(concept, start, end) in &in_sentence {
                    if !seen.insert(concept) {
                        continue;
                    }
                    let kind = if explained {
                        MentionKind::Explained
                    } else if listed {
                        MentionKind::Listed
                    } else if echo.contains(&concept) {
                        MentionKind::Echoed
                    } else {
                        MentionKind::Bare
                    };
                    let share = match kind {
                        MentionKind::Explained => 1.0,
                        MentionKind::Bare => credit.bare_mention_share,
                        MentionKind::Echoed | MentionKind::Listed => 0.0,
                    };
                    mentions.push(Mention {
                        concept,
                        turn,
                        quote: String::new(),
                        range: start..end,
                        kind,
                        credit: concepts[concept].weight * share,
                    });
                }
            }
        }
        let mut best: Vec<Option<usize>> = vec![None; concepts.len()];
        for (index, mention) in mentions.iter().enumerate() {
            let slot = &mut best[mention.concept];
            if slot.is_none_or(|b| mentions[b].credit < mention.credit) {
                *slot = Some(index);
            }
        }
        // Quoting is most of a mention's cost, and only the best ones are reported.
        for &index in best.iter().flatten() {
            let mention = &mut mentions[index];
            mention.quote = prepared.quote(mention.turn, mention.range.clone());
        }
        ConceptFindings { mentions, best }
    }
}

/// (concept, start, end) of every concept term (`terms`, found once per turn) or
/// pattern hit in normalised text, sorted by position.
fn concept_hits(
    text: &str,
    facts: &TurnFacts,
    rubric: &CompiledRubric,
) -> Vec<(usize, usize, usize)> {
    let mut hits: Vec<(usize, usize, usize)> = facts.concept_terms.clone();
    hits.extend(
        rubric
            .concept_patterns
            .find_all(text, &facts.literals)
            .into_iter()
            .map(|(concept, range)| (*concept, range.start, range.end)),
    );
    hits.sort_by_key(|&(concept, start, _)| (start, concept));
    hits
}
