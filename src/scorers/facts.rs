//! Factual errors: claims the candidate makes that the rubric's table of textbook
//! facts says are false ("PCA is supervised", "the update adds the gradient",
//! "resampling before the split is fine").
//!
//! A candidate sentence names a subject (`facts.subjects`) and, after it and within
//! `facts.window_words` words, a property (`facts.properties`) with no clause break
//! and no other subject between them: the candidate asserts the property of the
//! subject, or denies it when a negation ("not", "never", "doesn't", or one of
//! `facts.negations` such as "rarely") stands between the two or just before the
//! subject. A sentence that names no subject ("It's unsupervised", "so features
//! don't need scaling") speaks of the topic: the subject of the last answer sentence
//! that had one in the subject's place (among its first few words), else the
//! question's first; then only a negation right before the property counts. Subjects
//! and properties are literal phrases or gapped terms ([`crate::rubric::gapped`]). Where `facts.claims` says the property does not hold and the
//! candidate asserts it, or holds and the candidate denies it, that is a factual
//! error. Stance comes first: a question, or a sentence that reports a view as
//! someone else's (`facts.reported`: "people say", "a common mistake is"), is not the
//! candidate's claim. Each claim counts once per transcript.
//!
//! Procedures are subjects whose claim has the property `done` ("SMOTE on the whole
//! dataset", "tune the threshold on the test set"): naming one as the candidate's own
//! step is the error, unless it is negated or attributed as a red-flag phrase would be
//! ([`red_flags::is_negated`]) or the sentence calls it a mistake (`facts.condemned`:
//! "leaks", "optimistic").

use std::collections::BTreeSet;

use super::{red_flags, Prepared, Scorer};
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

/// Words that break the link between a subject and a later property: a contrast,
/// a new clause, or a clause whose subject is the speaker ("... concept drift, and I'd
/// compare the input distributions").
const CLAUSE_BREAKS: [&str; 18] = [
    " but ",
    " however ",
    " whereas ",
    " while ",
    " unlike ",
    "; ",
    " although ",
    " instead of ",
    ", and ",
    ", or ",
    " i ",
    " i'd ",
    " i'll ",
    " i'm ",
    " we ",
    " we'd ",
    " we'll ",
    " you'd ",
];

/// How a sentence that goes on about the topic opens: a pronoun, which may assert or
/// deny ("It is not sensitive to scale"), or a connective, which only asserts ("so
/// features don't need scaling" is read; a denial there is too often of something
/// else).
/// Generic nouns that take the topic up again ("the contributions add up to ...")
/// count as pronouns.
const PRONOUNS: [&str; 13] = [
    "it ",
    "it's ",
    "it is ",
    "its ",
    "this ",
    "they ",
    "these ",
    "the values ",
    "the contributions ",
    "the attributions ",
    "the scores ",
    "the outputs ",
    "the estimates ",
];
const CONNECTIVES: [&str; 12] = [
    "so ",
    "because ",
    "since ",
    "and ",
    "also ",
    "therefore ",
    "hence ",
    "thus ",
    "which ",
    "plus ",
    "then ",
    "that's why ",
];

/// Words before a subject that still leave it in the subject's place ("so for
/// PCA, ...", "the idea of k-means is ...").
const SUBJECT_PLACE_WORDS: usize = 4;

/// A word among the two before a subject that makes it an object, not what the
/// sentence is about ("pick k by explained variance", "train it with dropout"); "for" and "of"
/// still introduce a topic ("so for PCA, ...", "the idea of k-means is ...").
const OBJECT_MARKERS: [&str; 9] = [
    "by", "with", "from", "than", "into", "over", "using", "via", "against",
];

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
            let all_named = merged(
                rubric
                    .fact_subjects
                    .select(text, turn_facts.occurrences(TurnList::FactSubjects)),
                rubric
                    .fact_subjects_gapped
                    .find(
                        text,
                        turn_facts.occurrences(TurnList::FactSubjectPieces),
                        |_| false,
                    )
                    .into_iter()
                    .map(|(hit, _)| hit)
                    .collect(),
            );
            // A gapped property with a negation between its pieces ("need no
            // scaling") is denied.
            let gapped_properties = rubric.fact_properties_gapped.find(
                text,
                turn_facts.occurrences(TurnList::FactPropertyPieces),
                |gaps| negates(gaps, rubric),
            );
            let denied_inside: BTreeSet<(usize, usize)> = gapped_properties
                .iter()
                .filter(|(_, denied)| *denied)
                .map(|(hit, _)| (hit.start, hit.end))
                .collect();
            let all_properties = merged(
                rubric
                    .fact_properties
                    .select(text, turn_facts.occurrences(TurnList::FactProperties)),
                gapped_properties.into_iter().map(|(hit, _)| hit).collect(),
            );
            let all_reported = rubric
                .fact_reported
                .select(text, turn_facts.occurrences(TurnList::FactReported));

            for (clause, whole, continued) in clauses(text, &turn_facts.sentences) {
                let sentence = &clause;
                let s = &text[sentence.clone()];
                let named = within(&all_named, sentence);
                // The topic is what a sentence is about: a subject in the subject's
                // place, among its first words ("PCA finds directions of maximum
                // variance"), not one named on the way ("... keeps the most variance").
                if let Some(first) = named.first().filter(|h| {
                    let before = &s[..h.start];
                    crate::text::word_count(before) <= SUBJECT_PLACE_WORDS
                        && !before
                            .split_whitespace()
                            .rev()
                            .take(2)
                            .any(|w| OBJECT_MARKERS.contains(&w))
                }) {
                    topic = first.payload.clone();
                }
                let reported = all_reported
                    .iter()
                    .any(|h| whole.start <= h.start && h.end <= whole.end);
                if text[whole.clone()].trim_end().ends_with('?') || reported {
                    continue;
                }
                // "I run SMOTE on the whole dataset, then split": a mistaken procedure
                // told as the candidate's own step, not negated, rejected or warned of.
                for hit in &named {
                    let Some(claim) = hit.payload.iter().find_map(|&si| rubric.fact_done[si])
                    else {
                        continue;
                    };
                    let at = sentence.start + hit.start..sentence.start + hit.end;
                    if red_flags::is_negated(text, at.clone(), rubric)
                        || !rubric
                            .simple_negations
                            .find_all(&text[at.clone()])
                            .is_empty()
                        || !rubric
                            .fact_condemned
                            .find_all(&text[whole.clone()])
                            .is_empty()
                    {
                        continue;
                    }
                    if seen.insert(claim) {
                        findings.errors.push(FactError {
                            claim,
                            asserted: true,
                            turn,
                            quote: prepared.quote(turn, at),
                        });
                    }
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
                        may_deny: true,
                    })
                    .collect();
                // "It's unsupervised", "so features need no scaling": a sentence that
                // names no subject and opens with a pronoun or a connective speaks of
                // the topic.
                // So does one whose property follows a pronoun ("..., so it converges
                // to the global optimum"), and a subject named only after the
                // property does not stop it.
                let pronoun = PRONOUNS.iter().any(|p| s.starts_with(p));
                let connective = CONNECTIVES.iter().any(|p| s.starts_with(p));
                let first_property = properties[0].start;
                let resumed = resumes(&s[..first_property]);
                let named_before = mentions.iter().any(|m| m.start < first_property);
                if !named_before
                    && !topic.is_empty()
                    && (pronoun || connective || continued || resumed)
                {
                    mentions.insert(
                        0,
                        Mention {
                            start: 0,
                            end: 0,
                            subjects: topic.clone(),
                            window: usize::MAX,
                            may_deny: pronoun,
                        },
                    );
                }
                let denied_here: BTreeSet<(usize, usize)> = denied_inside
                    .iter()
                    .filter(|&&(start, end)| sentence.start <= start && end <= sentence.end)
                    .map(|&(start, end)| (start - sentence.start, end - sentence.start))
                    .collect();
                for error in claims_in(s, &mentions, &properties, &denied_here, rubric) {
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
    /// Whether a negation before the property denies it of this subject.
    may_deny: bool,
}

/// The claims of one sentence that disagree with the table: (claim, asserted, the
/// span from subject to property).
fn claims_in(
    s: &str,
    mentions: &[Mention],
    properties: &[Hit<'_, Vec<usize>>],
    denied_inside: &BTreeSet<(usize, usize)>,
    rubric: &CompiledRubric,
) -> Vec<(usize, bool, std::ops::Range<usize>)> {
    let facts = &rubric.rubric.facts;
    let negates = |words: &str| negates(words, rubric);
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
            .filter(|next| next.start >= subject.end)
            .find(|next| {
                // "ROC-AUC and accuracy at 0.5": a subject joined on is a new one;
                // one close by with no conjunction only qualifies this.
                let between = &s[subject.end..next.start];
                crate::text::word_count(between) > 3
                    || [" and ", " or ", ","].iter().any(|c| between.contains(c))
            })
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
            // "MAE takes the absolute value, so one big error counts a lot, it is
            // sensitive to outliers": a pronoun just before the property takes the
            // sentence's first subject up again, however far back.
            let taken_up = i == 0 && resumes(between);
            if (crate::text::word_count(between) > subject.window || breaks_clause(between))
                && !taken_up
            {
                continue;
            }
            // For a topic carried over, the sentence before the property may hold
            // other clauses: only a negation right before the property counts.
            let scope = if subject.window == usize::MAX || taken_up {
                last_words(between, 3)
            } else {
                between.to_string()
            };
            // "Sigmoid: output (0, 1), not zero-centered, saturates": a negation in
            // an earlier item of a list is not this property's.
            let scope = scope.rsplit(',').next().unwrap_or_default();
            let inside = denied_inside.contains(&(property.start, property.end));
            let asserted = !(denied_before || inside || negates(scope));
            if !asserted && !subject.may_deny {
                continue;
            }
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

/// The clauses of each sentence, split at "; ": (clause, its sentence, whether it
/// continues one before it). A clause that continues and names no subject speaks of
/// the topic ("Bagging trains deep trees in parallel; averaging mainly reduces ...").
fn clauses(
    text: &str,
    sentences: &[std::ops::Range<usize>],
) -> Vec<(std::ops::Range<usize>, std::ops::Range<usize>, bool)> {
    let mut out = Vec::new();
    for sentence in sentences {
        let mut start = sentence.start;
        for (at, _) in text[sentence.clone()].match_indices("; ") {
            out.push((
                start..sentence.start + at,
                sentence.clone(),
                start != sentence.start,
            ));
            start = sentence.start + at + 2;
        }
        out.push((
            start..sentence.end,
            sentence.clone(),
            start != sentence.start,
        ));
    }
    out
}

/// Words before a property in which a pronoun takes a subject up again ("so it
/// converges to the global optimum").
const RESUME_WORDS: usize = 4;

/// True when the last words before a property hold a pronoun that takes a subject up
/// again ("so it converges", ", they are").
fn resumes(before: &str) -> bool {
    last_words(before, RESUME_WORDS)
        .split(' ')
        .any(|w| matches!(w, "it" | "it's" | "they" | "they're"))
}

/// True when `words` hold a negation ("not", "never", "rarely") that is not an idiom
/// ("not only").
fn negates(words: &str, rubric: &CompiledRubric) -> bool {
    (!rubric.simple_negations.find_all(words).is_empty()
        || !rubric.fact_negations.find_all(words).is_empty())
        && rubric.pseudo_triggers.find_all(words).is_empty()
}

/// True when `between` (the words from a subject to a property) holds a clause
/// break: one of [`CLAUSE_BREAKS`], or ", so" not followed by a pronoun ("..., so they
/// need more splits" still speaks of the subject; "..., so input distributions" does not).
fn breaks_clause(between: &str) -> bool {
    CLAUSE_BREAKS.iter().any(|b| between.contains(b))
        || between.match_indices(", so ").any(|(at, so)| {
            let rest = &between[at + so.len()..];
            !PRONOUNS.iter().any(|p| rest.starts_with(p))
        })
}

/// Literal and gapped hits of one list, as one list would give them: leftmost first,
/// the longest of those starting at one place, none overlapping the one before.
fn merged<'r>(
    mut literal: Vec<Hit<'r, Vec<usize>>>,
    gapped: Vec<Hit<'r, Vec<usize>>>,
) -> Vec<Hit<'r, Vec<usize>>> {
    if gapped.is_empty() {
        return literal;
    }
    literal.extend(gapped);
    literal.sort_by_key(|h| (h.start, std::cmp::Reverse(h.end)));
    let mut free_from = 0;
    literal.retain(|h| {
        let keep = h.start >= free_from;
        if keep {
            free_from = h.end;
        }
        keep
    });
    literal
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

    /// A subject after "by" or "with" is an object, not the topic a later "it"
    /// takes up; a generic noun ("the contributions") takes the topic up like "it".
    #[test]
    fn objects_do_not_become_the_topic_and_generic_nouns_take_it_up() {
        assert_eq!(
            errors("PCA finds directions of maximum variance. Pick k by explained variance, say 95%. It is scale-invariant, so I only center."),
            vec!["pca/scale_invariant/true"]
        );
        assert_eq!(
            errors("SHAP gives every feature a contribution. The contributions add up to one over all features."),
            vec!["shap/sum_to_one/true"]
        );
        assert!(errors("SHAP gives every feature a contribution. The contributions add up to the prediction minus the base value.").is_empty());
    }

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

    #[test]
    fn a_mistaken_procedure_told_as_ones_own_step_is_an_error() {
        assert_eq!(
            errors("I run SMOTE on the whole dataset and then split into train and test."),
            ["resampling_before_split/done/true"]
        );
        assert!(errors("Never run SMOTE on the whole dataset before splitting.").is_empty());
        assert!(errors("SMOTE on the whole dataset leaks copies of test rows.").is_empty());
        assert!(errors("My colleague suggested we run SMOTE on the whole dataset.").is_empty());
    }

    #[test]
    fn gapped_properties_catch_paraphrase() {
        assert_eq!(
            errors("With data parallelism the layers are split across GPUs."),
            ["data_parallelism/splits_model/true"]
        );
    }

    #[test]
    fn the_topic_is_the_subject_in_the_subjects_place() {
        // "variance" named on the way does not become the topic.
        assert_eq!(
            errors("PCA projects onto the top components that keep the most variance. It is not sensitive to scale."),
            ["pca/scale_invariant/true"]
        );
        // A connective carries the topic for an assertion, not a denial.
        assert_eq!(
            errors("k-NN stores the data. So it is scale invariant."),
            ["knn/scale_invariant/true"]
        );
        assert!(errors("Random forests average trees. So features need no scaling.").is_empty());
    }

    #[test]
    fn a_new_clause_or_conjunction_ends_a_subjects_reach() {
        assert!(errors("I'd evaluate with ROC-AUC and accuracy at a threshold of 0.5.").is_empty());
        assert!(errors(
            "It is covariate shift or concept drift, and I'd compare the input distributions."
        )
        .is_empty());
    }

    #[test]
    fn a_clause_after_a_semicolon_goes_on_about_the_topic() {
        assert_eq!(
            errors(
                "Bagging trains deep trees on bootstrap samples; averaging mainly reduces bias."
            ),
            ["ensembles/reduces_bias/true"]
        );
    }

    #[test]
    fn a_negation_in_an_earlier_list_item_is_not_the_propertys() {
        assert!(errors(
            "Sigmoid: output between 0 and 1, not zero-centered, saturates at both ends."
        )
        .is_empty());
        assert_eq!(
            errors("Sigmoid: output between 0 and 1, it does not saturate."),
            ["sigmoid/vanishing_gradients/false"]
        );
    }

    #[test]
    fn a_pronoun_before_the_property_takes_the_subject_up_again() {
        assert_eq!(
            errors("MAE takes the absolute value, so one big error counts a lot, it is sensitive to outliers."),
            ["mae/penalizes_outliers/true"]
        );
        assert_eq!(
            errors("K-means alternates two steps. Each step lowers the within-cluster sum of squares, so it converges to the global optimum."),
            ["kmeans/global_optimum/true"]
        );
    }
}
