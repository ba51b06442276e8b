//! Factual errors: claims the candidate makes that the rubric's table of textbook
//! facts says are false ("PCA is supervised", "the update adds the gradient",
//! "resampling before the split is fine").
//!
//! A candidate sentence names a subject (`facts.subjects`) and, after it and within
//! `facts.window_words` words, a property (`facts.properties`) with no clause break
//! and no other subject between them: the candidate asserts the property of the
//! subject, or denies it when a negation ("not", "never", "doesn't", or one of
//! `facts.negations` such as "rarely") stands between the two or just before the
//! subject. A sentence that names no subject and opens with a pronoun ("It's
//! unsupervised") speaks of the topic: the first subject of the last answer sentence
//! that named one, else of the question; then only a negation right before the
//! property counts. Where `facts.claims` says the property does not hold and the
//! candidate asserts it, or holds and the candidate denies it, that is a factual
//! error. Stance comes first: a question, or a sentence that reports a view as
//! someone else's (`facts.reported`: "people say", "a common mistake is"), is not the
//! candidate's claim. Each claim counts once per transcript.

use std::collections::BTreeSet;

use super::{Prepared, Scorer};
use crate::rubric::{CompiledRubric, TurnList};
use crate::text::Hit;
use crate::transcript::Role;

/// The facts scorer.
pub struct FactScorer;

/// One factual error.
#[derive(Debug, Clone, PartialEq)]
pub struct FactError {
    /// Index into the rubric's claims.
    pub claim: usize,
    /// Whether the candidate asserted the property (`true`) or denied it.
    pub asserted: bool,
    /// 0-based turn.
    pub turn: usize,
    /// The candidate's sentence.
    pub quote: String,
}

/// Every factual error, in turn order.
#[derive(Debug, Clone, Default)]
pub struct FactFindings {
    /// The errors, one per claim.
    pub errors: Vec<FactError>,
}

/// Words that break the link between a subject and a later property.
const CLAUSE_BREAKS: [&str; 8] = [
    " but ",
    " however ",
    " whereas ",
    " while ",
    " unlike ",
    "; ",
    " although ",
    " instead of ",
];

/// How a sentence about the subject just named opens.
const PRONOUNS: [&str; 7] = ["it ", "it's ", "it is ", "its ", "this ", "they ", "these "];

/// Words before a subject that set it against what follows.
const CONTRASTS: [&str; 8] = [
    "unlike",
    "except",
    "besides",
    "other than",
    "rather than",
    "instead of",
    "compared to",
    "compared with",
];

impl Scorer for FactScorer {
    type Findings = FactFindings;

    fn score(&self, prepared: &Prepared<'_>, rubric: &CompiledRubric) -> FactFindings {
        let facts = &rubric.rubric.facts;
        let mut findings = FactFindings::default();
        if facts.claims.is_empty() {
            return findings;
        }
        let mut seen = BTreeSet::new();
        for turn in prepared.turns_of(Role::Candidate) {
            // The topic: the first subject the question named, then the first of
            // the last answer sentence that named one.
            let question = (0..turn)
                .rev()
                .find(|&t| prepared.transcript.turns[t].role == Role::Interviewer);
            let mut topic: Vec<usize> = question
                .and_then(|q| {
                    rubric
                        .fact_subjects
                        .select(
                            &prepared.turns[q].text,
                            prepared.facts[q].occurrences(TurnList::FactSubjects),
                        )
                        .into_iter()
                        .next()
                        .map(|hit| hit.payload.clone())
                })
                .unwrap_or_default();
            let text = prepared.turns[turn].text.as_str();
            // Every subject, property and reporting phrase of the turn, from its one
            // scan, then read sentence by sentence.
            let turn_facts = &prepared.facts[turn];
            let all_named = rubric
                .fact_subjects
                .select(text, turn_facts.occurrences(TurnList::FactSubjects));
            let all_properties = rubric
                .fact_properties
                .select(text, turn_facts.occurrences(TurnList::FactProperties));
            let all_reported = rubric
                .fact_reported
                .select(text, turn_facts.occurrences(TurnList::FactReported));

            for sentence in &turn_facts.sentences {
                let s = &text[sentence.clone()];
                let named = within(&all_named, sentence);
                // A sentence's subject usually comes first ("PCA finds directions
                // of maximum variance").
                if let Some(first) = named.first() {
                    topic = first.payload.clone();
                }
                let reported = all_reported
                    .iter()
                    .any(|h| sentence.start <= h.start && h.end <= sentence.end);
                if s.trim_end().ends_with('?') || reported {
                    continue;
                }
                let properties = within(&all_properties, sentence);
                if properties.is_empty() {
                    continue;
                }
                let mut mentions: Vec<Mention> = named
                    .iter()
                    .map(|h| Mention {
                        start: h.start,
                        end: h.end,
                        subjects: h.payload.clone(),
                        window: facts.window_words,
                    })
                    .collect();
                // "It's unsupervised": a sentence that names no subject and opens with
                // a pronoun speaks of the topic, the subject last named.
                let opens_with_pronoun = PRONOUNS.iter().any(|p| s.starts_with(p));
                if mentions.is_empty() && opens_with_pronoun && !topic.is_empty() {
                    mentions.push(Mention {
                        start: 0,
                        end: 0,
                        subjects: topic.clone(),
                        window: usize::MAX,
                    });
                }
                for error in claims_in(s, &mentions, &properties, rubric) {
                    if seen.insert(error.0) {
                        let range = sentence.start + error.2.start..sentence.start + error.2.end;
                        findings.errors.push(FactError {
                            claim: error.0,
                            asserted: error.1,
                            turn,
                            quote: prepared.quote(turn, range),
                        });
                    }
                }
            }
        }
        findings
    }
}

/// A subject named (or carried over) in a sentence.
struct Mention {
    start: usize,
    end: usize,
    subjects: Vec<usize>,
    /// Words allowed between it and its property.
    window: usize,
}

/// The claims of one sentence that disagree with the table: (claim, asserted, the
/// span from subject to property).
fn claims_in(
    s: &str,
    mentions: &[Mention],
    properties: &[Hit<'_, Vec<usize>>],
    rubric: &CompiledRubric,
) -> Vec<(usize, bool, std::ops::Range<usize>)> {
    let facts = &rubric.rubric.facts;
    let negates = |words: &str| {
        (!rubric.simple_negations.find_all(words).is_empty()
            || !rubric.fact_negations.find_all(words).is_empty())
            && rubric.pseudo_triggers.find_all(words).is_empty()
    };
    let mut out = Vec::new();
    for (i, subject) in mentions.iter().enumerate() {
        // The property must come before another subject is named, unless that one
        // only qualifies this ("a larger k in k-NN"), or is a word of a property
        // ("increases variance").
        let limit = mentions[i + 1..]
            .iter()
            .filter(|next| {
                !properties
                    .iter()
                    .any(|p| p.start <= next.start && next.end <= p.end)
            })
            .find(|next| crate::text::word_count(&s[subject.end..next.start]) > 3)
            .map_or(s.len(), |next| next.start);
        let before = last_words(&s[..subject.start], 2);
        // "Unlike PCA, LDA is supervised": the property is not this one's.
        if CONTRASTS.iter().any(|c| before.ends_with(c)) {
            continue;
        }
        // "No resampling before the split": a negation just before the subject
        // denies as well.
        let denied_before = negates(&before);
        for property in properties
            .iter()
            .filter(|p| p.start >= subject.end && p.end <= limit)
        {
            let between = &s[subject.end..property.start];
            if crate::text::word_count(between) > subject.window
                || CLAUSE_BREAKS.iter().any(|b| between.contains(b))
            {
                continue;
            }
            // For a topic carried over, the sentence before the property may hold
            // other clauses: only a negation right before the property counts.
            let scope = if subject.window == usize::MAX {
                last_words(between, 3)
            } else {
                between.to_string()
            };
            let asserted = !(denied_before || negates(&scope));
            for &si in &subject.subjects {
                for &pi in property.payload {
                    if let Some(&claim) = rubric.fact_claims.get(&(si, pi)) {
                        if asserted != facts.claims[claim].holds {
                            out.push((claim, asserted, subject.start..property.end));
                        }
                    }
                }
            }
        }
    }
    out
}

/// The last `n` words of `text`, joined by single spaces.
fn last_words(text: &str, n: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    words[words.len().saturating_sub(n)..].join(" ")
}

/// The hits inside `range`, with offsets relative to its start.
fn within<'r>(
    hits: &[Hit<'r, Vec<usize>>],
    range: &std::ops::Range<usize>,
) -> Vec<Hit<'r, Vec<usize>>> {
    hits.iter()
        .filter(|h| range.start <= h.start && h.end <= range.end)
        .map(|h| Hit {
            payload: h.payload,
            start: h.start - range.start,
            end: h.end - range.start,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(answer: &str) -> Vec<String> {
        let rubric = crate::rubric::load_default().unwrap();
        let transcript = crate::scorers::question_and_answer("Explain.", answer);
        let prepared = Prepared::new(&transcript, &rubric);
        let facts = &rubric.rubric.facts;
        FactScorer
            .score(&prepared, &rubric)
            .errors
            .iter()
            .map(|e| {
                let c = &facts.claims[e.claim];
                format!("{}/{}/{}", c.subject, c.property, e.asserted)
            })
            .collect()
    }

    #[test]
    fn asserting_what_does_not_hold_is_an_error() {
        assert_eq!(errors("PCA is supervised."), ["pca/supervised/true"]);
        assert_eq!(
            errors("L2 is the one that drives weights to zero."),
            ["l2/sparse/true"]
        );
    }

    #[test]
    fn denying_what_holds_is_an_error_and_denying_what_does_not_is_not() {
        assert_eq!(
            errors("L1 does not give sparse weights."),
            ["l1/sparse/false"]
        );
        assert!(errors("PCA is not supervised.").is_empty());
        assert!(errors("No resampling before the split, only inside folds.").is_empty());
    }

    #[test]
    fn a_pronoun_speaks_of_the_subject_last_named() {
        assert_eq!(
            errors("PCA finds directions of maximum variance. It is supervised."),
            ["pca/supervised/true"]
        );
        assert!(errors("PCA finds directions of maximum variance. It is unsupervised.").is_empty());
        assert!(errors("L2 shrinks every weight and rarely drives weights to zero.").is_empty());
    }

    #[test]
    fn stance_questions_and_reported_views_are_not_claims() {
        assert!(errors("Is PCA supervised? No, it only uses the features.").is_empty());
        assert!(errors("A common mistake is to think PCA is supervised.").is_empty());
        assert!(errors("People say k-means finds the global optimum.").is_empty());
    }

    #[test]
    fn the_property_belongs_to_the_nearest_subject() {
        assert!(errors("Unlike PCA, LDA is supervised.").is_empty());
        assert!(
            errors("PCA reduces dimensions, but logistic regression is supervised.").is_empty()
        );
        assert_eq!(
            errors("A larger k in k-NN increases variance."),
            ["larger_k_knn/increases_variance/true"]
        );
    }
}
