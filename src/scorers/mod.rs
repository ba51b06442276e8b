//! The scorers: pure functions from a prepared transcript and a compiled rubric to
//! findings. No I/O, no printing.
//!
//! Each scorer implements [`Scorer`] in its own file. [`score_all`] runs them in
//! parallel (rayon `join`) over one transcript whose turns were normalised once.

pub mod communication;
pub mod compliance;
pub mod concepts;
pub mod exchange_split;
pub mod facts;
pub mod production;
pub mod red_flags;

use schemars::JsonSchema;
use serde::Serialize;

use crate::rubric::{CompiledRubric, PresentLiterals, TurnList};
use crate::text::{self, Normalized, Occurrences};
use crate::transcript::{Role, Transcript};

/// A transcript with each turn's text normalised once, and what several scorers need
/// of every turn computed once, shared by all scorers.
pub struct Prepared<'a> {
    /// The transcript.
    pub transcript: &'a Transcript,
    /// Normalised text of each turn, index for index.
    pub turns: Vec<Normalized>,
    /// Per turn: its sentences, their reasons and its concept-term hits.
    pub facts: Vec<TurnFacts>,
}

/// What the concept, exchange, production and communication scorers all read of one
/// turn: computed once instead of once per scorer.
pub struct TurnFacts {
    /// Byte ranges of the sentences in the normalised text ([`text::sentences`]).
    pub sentences: Vec<std::ops::Range<usize>>,
    /// Per sentence: its words ([`text::normalized_word_count`], equal to
    /// [`text::word_count`] on normalised text).
    pub sentence_words: Vec<usize>,
    /// Per sentence of a candidate turn: whether it gives a real reason
    /// ([`CompiledRubric::reasons`]); empty for other turns, whose reasons no
    /// scorer reads.
    pub reasons: Vec<bool>,
    /// Whole-word concept-term hits in the normalised text: (concept, start, end).
    pub concept_terms: Vec<(usize, usize, usize)>,
    /// The rubric pattern literals the turn holds: which patterns may match it.
    pub literals: PresentLiterals,
    /// Every occurrence in the turn of the rubric's whole-turn phrase lists
    /// ([`CompiledRubric::turn_scan`]), for [`Self::occurrences`].
    found: Occurrences,
}

impl TurnFacts {
    /// Every occurrence in the turn of the phrases of `list`, for
    /// [`crate::text::PhraseMatcher::select`].
    pub fn occurrences(&self, list: TurnList) -> &[text::Occurrence] {
        self.found.of(list as usize)
    }

    /// Words in the turn: its sentences cover every word.
    pub fn words(&self) -> usize {
        self.sentence_words.iter().sum()
    }

    /// The distinct concepts whose terms stand inside `range` (a sentence).
    pub fn concepts_in(&self, range: &std::ops::Range<usize>) -> std::collections::BTreeSet<usize> {
        self.concept_terms
            .iter()
            .filter(|&&(_, start, end)| range.start <= start && end <= range.end)
            .map(|&(concept, _, _)| concept)
            .collect()
    }
}

impl TurnFacts {
    /// What the scorers read of one turn (`normalized` is its normalised text).
    fn of(normalized: &Normalized, role: Role, rubric: &CompiledRubric) -> TurnFacts {
        let text = normalized.text.as_str();
        let mut found = rubric.turn_scan.scan(text);
        let sentences = text::sentences(text);
        let sentence_words: Vec<usize> = sentences
            .iter()
            .map(|s| text::normalized_word_count(&text[s.clone()]))
            .collect();
        let reasons = match role {
            Role::Candidate => rubric.reasons(text, &sentences, &sentence_words, &found),
            Role::Interviewer => Vec::new(),
        };
        let concept_terms = rubric
            .concept_terms
            .select(text, found.of(TurnList::ConceptTerms as usize))
            .into_iter()
            .map(|h| (*h.payload, h.start, h.end))
            .collect();
        let literals = rubric
            .pattern_literals
            .present(found.of(TurnList::PatternLiterals as usize));
        found.keep(|list| read_when_scoring(TurnList::ALL[list], role));
        for (list, terms) in [
            (TurnList::FactSubjectPieces, &rubric.fact_subjects_gapped),
            (TurnList::FactPropertyPieces, &rubric.fact_properties_gapped),
        ] {
            let usable = terms.usable(found.of(list as usize));
            found.retain(list as usize, usable);
        }
        TurnFacts {
            sentences,
            sentence_words,
            reasons,
            concept_terms,
            literals,
            found,
        }
    }

    /// Nothing read: for a turn no scorer will look at.
    fn unread() -> TurnFacts {
        TurnFacts {
            sentences: Vec::new(),
            sentence_words: Vec::new(),
            reasons: Vec::new(),
            concept_terms: Vec::new(),
            literals: PresentLiterals::default(),
            found: Occurrences::default(),
        }
    }
}

/// Whether a scorer reads list `list`'s occurrences in a turn spoken by `role` after
/// the turn is prepared; the others are read while preparing it (concept terms,
/// reasons, pattern literals) or never, and are freed: a long transcript's
/// occurrences are most of its memory.
fn read_when_scoring(list: TurnList, role: Role) -> bool {
    match list {
        TurnList::ConceptTerms
        | TurnList::ExplanationMarkers
        | TurnList::VacuousReasons
        | TurnList::PatternLiterals => false,
        // The question names the topic of the answer's facts; replies are audited.
        TurnList::CompliancePhrases | TurnList::FactSubjects => true,
        TurnList::PointTerms
        | TurnList::RedFlagPhrases
        | TurnList::EvasivePhrases
        | TurnList::FactProperties
        | TurnList::FactReported
        | TurnList::FactSubjectPieces
        | TurnList::FactPropertyPieces => role == Role::Candidate,
    }
}

impl<'a> Prepared<'a> {
    /// Normalises every turn of `transcript` and reads what the scorers share.
    pub fn new(transcript: &'a Transcript, rubric: &CompiledRubric) -> Prepared<'a> {
        Prepared::reading(transcript, rubric, |_| true)
    }

    /// As [`Prepared::new`], but reads the facts of turns `last - 1` and `last` only:
    /// what checking interviewer turn `last` needs
    /// ([`compliance::check_turn`], [`compliance::expected_at`]), which the
    /// guardrail does on every message, so its cost stays flat as the history grows.
    pub fn for_last_turn(
        transcript: &'a Transcript,
        rubric: &CompiledRubric,
        last: usize,
    ) -> Prepared<'a> {
        Prepared::reading(transcript, rubric, |turn| turn + 1 >= last && turn <= last)
    }

    fn reading(
        transcript: &'a Transcript,
        rubric: &CompiledRubric,
        read: impl Fn(usize) -> bool,
    ) -> Prepared<'a> {
        let turns: Vec<Normalized> = transcript
            .turns
            .iter()
            .map(|t| Normalized::new(&t.text))
            .collect();
        let facts = turns
            .iter()
            .zip(&transcript.turns)
            .enumerate()
            .map(|(index, (normalized, turn))| {
                if read(index) {
                    TurnFacts::of(normalized, turn.role, rubric)
                } else {
                    TurnFacts::unread()
                }
            })
            .collect();
        Prepared {
            transcript,
            turns,
            facts,
        }
    }

    /// Indexes of the turns spoken by `role`.
    pub fn turns_of(&self, role: Role) -> impl Iterator<Item = usize> + '_ {
        self.transcript
            .turns
            .iter()
            .enumerate()
            .filter(move |(_, t)| t.role == role)
            .map(|(i, _)| i)
    }

    /// The first sentence of turn `turn`, in the speaker's words.
    pub fn first_sentence(&self, turn: usize) -> String {
        text::first_sentence(&self.transcript.turns[turn].text)
    }

    /// The sentence of turn `turn` with the most words: what a turn says, rather
    /// than an opening filler such as "Um, okay.".
    pub fn main_sentence(&self, turn: usize) -> String {
        let original = &self.transcript.turns[turn].text;
        text::sentences(original)
            .into_iter()
            .max_by_key(|s| {
                (
                    text::word_count(&original[s.clone()]),
                    std::cmp::Reverse(s.start),
                )
            })
            .map(|s| text::quote(original, s, 200))
            .unwrap_or_default()
    }

    /// The speaker's own words behind a normalised range of turn `turn`, as a quote.
    pub fn quote(&self, turn: usize, range: std::ops::Range<usize>) -> String {
        let original = &self.transcript.turns[turn].text;
        let original_range = self.turns[turn].original_range(range);
        text::quote(original, original_range, 200)
    }
}

/// A piece of transcript evidence: where it is and what it says.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize, JsonSchema)]
pub struct Evidence {
    /// 0-based turn index.
    pub turn: usize,
    /// The sentence, in the speaker's words.
    pub quote: String,
}

/// One scorer: pure, deterministic, safe to run on any thread.
pub trait Scorer: Sync {
    /// What it finds.
    type Findings: Send;
    /// Scores one transcript.
    fn score(&self, prepared: &Prepared<'_>, rubric: &CompiledRubric) -> Self::Findings;
}

/// Everything the scorers found in one transcript.
pub struct Findings {
    /// Concept mentions and their credit.
    pub concepts: concepts::ConceptFindings,
    /// Red flags raised and negated.
    pub red_flags: red_flags::RedFlagFindings,
    /// Interviewer template compliance.
    pub compliance: compliance::ComplianceFindings,
    /// Production experience.
    pub production: production::ProductionFindings,
    /// Shape of the answers.
    pub communication: communication::CommunicationFindings,
    /// The interview split into exchanges.
    pub exchanges: Vec<exchange_split::Exchange>,
    /// Claims the candidate made that the rubric's facts say are false.
    pub facts: facts::FactFindings,
}

/// Runs every scorer on one transcript, in parallel.
pub fn score_all(prepared: &Prepared<'_>, rubric: &CompiledRubric) -> Findings {
    let (((concepts, exchanges), (red_flags, facts)), (compliance, (production, communication))) =
        rayon::join(
            || {
                rayon::join(
                    || {
                        rayon::join(
                            || concepts::ConceptScorer.score(prepared, rubric),
                            || exchange_split::ExchangeScorer.score(prepared, rubric),
                        )
                    },
                    || {
                        rayon::join(
                            || red_flags::RedFlagScorer.score(prepared, rubric),
                            || facts::FactScorer.score(prepared, rubric),
                        )
                    },
                )
            },
            || {
                rayon::join(
                    || compliance::ComplianceScorer.score(prepared, rubric),
                    || {
                        rayon::join(
                            || production::ProductionScorer.score(prepared, rubric),
                            || communication::CommunicationScorer.score(prepared, rubric),
                        )
                    },
                )
            },
        );
    Findings {
        concepts,
        red_flags,
        compliance,
        production,
        communication,
        exchanges,
        facts,
    }
}

/// A question and its answer as a transcript, for scorer tests.
#[cfg(test)]
pub(crate) fn question_and_answer(question: &str, answer: &str) -> Transcript {
    let json = serde_json::json!({"turns": [
        {"speaker": "interviewer", "text": question},
        {"speaker": "candidate", "text": answer},
    ]})
    .to_string();
    let options = crate::transcript::ReadOptions::default();
    let parsed =
        crate::transcript::parse(&json, crate::transcript::InputFormat::Json, "t", &options);
    parsed.into_iter().next().unwrap().result.unwrap()
}

/// The sentence of a normalised text around a byte position.
pub(crate) fn sentence_of(text: &str, position: usize) -> std::ops::Range<usize> {
    text::sentence_around(text, position)
}
