//! Red flags and warning signs in the candidate's words, with NegEx-style negation.
//!
//! A phrase or pattern hit is negated when a pre-trigger ("not", "never", "wrong to")
//! stands within `negation.window_before` words before it, or a post-trigger ("is a
//! myth") within `negation.window_after` words after it, in the same clause: a
//! terminator ("but", "however", a comma or semicolon) or the sentence end cuts the
//! scope, and pseudo-triggers ("not only") do not negate. Negated hits are reported
//! apart, never dropped. Only candidate turns are read.

use std::collections::BTreeSet;
use std::ops::Range;

use schemars::JsonSchema;
use serde::Serialize;

use super::{sentence_of, Prepared, Scorer};
use crate::rubric::{CompiledRubric, TurnList};
use crate::text::PhraseMatcher;
use crate::transcript::Role;

/// The red-flag scorer.
pub struct RedFlagScorer;

/// How a red flag is known, which decides what it may do to a verdict.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum FlagBasis {
    /// The candidate said it, in their own words, and did not reject it: quoted
    /// evidence that may cap a recommendation.
    Stated,
    /// Read from the interview's shape (a failed math prompt, no production content,
    /// a bank question answered without its key point): doubtful evidence that lowers
    /// the overall score by a bounded amount and never caps.
    Derived,
}

/// One red-flag hit.
#[derive(Debug, Clone, PartialEq)]
pub struct FlagHit {
    /// Index into the rubric's red flags.
    pub flag: usize,
    /// 0-based turn.
    pub turn: usize,
    /// The sentence, in the candidate's words.
    pub quote: String,
    /// Stated by the candidate, or derived from the interview's shape.
    pub basis: FlagBasis,
}

/// Red flags raised, and hits that were negated.
#[derive(Debug, Clone, Default)]
pub struct RedFlagFindings {
    /// Asserted red flags, one per flag and turn, in turn order.
    pub raised: Vec<FlagHit>,
    /// Hits the candidate negated or rejected.
    pub negated: Vec<FlagHit>,
}

impl RedFlagFindings {
    /// These findings with the derived flags (those the interview shows, from
    /// `evaluation::derived`) joined to the stated ones, in turn order.
    #[must_use]
    pub fn with_derived(mut self, derived: Vec<FlagHit>) -> RedFlagFindings {
        self.raised.extend(derived);
        self.raised.sort_by_key(|h| (h.turn, h.flag));
        self
    }

    /// The first hit of each distinct flag raised, in turn order.
    pub fn first_per_flag(&self) -> impl Iterator<Item = &FlagHit> {
        let mut seen = BTreeSet::new();
        self.raised.iter().filter(move |h| seen.insert(h.flag))
    }

    /// The distinct flags the candidate stated (derived ones left out): what the count caps count.
    pub fn distinct_stated_flags(&self) -> BTreeSet<usize> {
        self.raised
            .iter()
            .filter(|h| h.basis == FlagBasis::Stated)
            .map(|h| h.flag)
            .collect()
    }
}

impl Scorer for RedFlagScorer {
    type Findings = RedFlagFindings;

    fn score(&self, prepared: &Prepared<'_>, rubric: &CompiledRubric) -> RedFlagFindings {
        let mut findings = RedFlagFindings::default();
        for turn in prepared.turns_of(Role::Candidate) {
            let text = prepared.turns[turn].text.as_str();
            let phrases = prepared.facts[turn].occurrences(TurnList::RedFlagPhrases);
            let mut hits: Vec<(usize, Range<usize>)> = rubric
                .red_flag_phrases
                .select(text, phrases)
                .into_iter()
                .map(|h| (*h.payload, h.start..h.end))
                .collect();
            // A negation the pattern did not ask for, standing inside what its gap
            // matched ("resampling inside the folds only, never before the split"),
            // denies what follows it: the hit is read as negated.
            let mut gap_negated = BTreeSet::new();
            for (flag, range, source) in rubric
                .red_flag_patterns
                .find_all_sourced(text, &prepared.facts[turn].literals)
            {
                if negation_in_gap(&text[range.clone()], source, rubric) {
                    gap_negated.insert((*flag, range.start));
                }
                hits.push((*flag, range));
            }
            // A dismissal needs a frame ("don't see the point of", "is overkill"):
            // most turns have none, and skip the per-flag patterns.
            let literals = &prepared.facts[turn].literals;
            if rubric.dismissal_frames.is_match(text, literals) {
                hits.extend(
                    rubric
                        .dismissals
                        .find_all(text, literals)
                        .into_iter()
                        .map(|(flag, range)| (*flag, range)),
                );
            }
            hits.sort_by_key(|(flag, range)| (range.start, *flag));
            let mut seen_raised = BTreeSet::new();
            let mut seen_negated = BTreeSet::new();
            let hits: Vec<(usize, Range<usize>, bool)> = hits
                .into_iter()
                .map(|(flag, range)| {
                    let negated = gap_negated.contains(&(flag, range.start))
                        || is_negated(text, range.clone(), rubric);
                    (flag, range, negated)
                })
                .collect();
            let asserted: BTreeSet<usize> = hits.iter().filter(|h| !h.2).map(|h| h.0).collect();
            for (flag, range, negated) in hits {
                if negated && asserted.contains(&flag) {
                    continue;
                }
                let (seen, list) = if negated {
                    (&mut seen_negated, &mut findings.negated)
                } else {
                    (&mut seen_raised, &mut findings.raised)
                };
                if seen.insert(flag) {
                    list.push(FlagHit {
                        flag,
                        turn,
                        quote: prepared.quote(turn, range),
                        basis: FlagBasis::Stated,
                    });
                }
            }
        }
        findings
    }
}

/// True when `matched` holds one of the rubric's simple negations ("not", "never") as
/// a word past its first, and the pattern `source` does not name it: the negation
/// stood in a gap the pattern allowed, not in the statement it looks for.
fn negation_in_gap(matched: &str, source: &str, rubric: &CompiledRubric) -> bool {
    let negations = &rubric.rubric.negation.simple_negations;
    matched.split_whitespace().skip(1).any(|word| {
        let word = word.trim_matches(|c: char| !c.is_alphanumeric());
        negations.iter().any(|n| n == word) && !source.contains(word)
    })
}

/// How far (bytes) negation reads either side of a hit: far beyond the word windows,
/// and a bound on the work per hit however long the sentence.
const NEGATION_REACH: usize = 512;

fn floor_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn ceil_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at += 1;
    }
    at
}

/// True when the hit at `range` of normalised `text` is negated within its clause,
/// or only quoted (`"fairness doesn't matter", and I reject that`).
pub fn is_negated(text: &str, range: Range<usize>, rubric: &CompiledRubric) -> bool {
    let negation = &rubric.rubric.negation;
    // A pattern may span sentences ("... over 12 months. A random split leaks"): the
    // scope runs from the sentence where the hit starts to the end of the one where
    // it ends, so what follows the hit is still read.
    // Read at most `NEGATION_REACH` bytes either side of the hit: the windows are a few
    // words, and a turn with no sentence break must not make each hit read it whole.
    let lo = floor_boundary(text, range.start.saturating_sub(NEGATION_REACH));
    let hi = ceil_boundary(text, range.end.saturating_add(NEGATION_REACH));
    let near = &text[lo..hi];
    let first = sentence_of(near, range.start - lo);
    let last = sentence_of(near, (range.end.saturating_sub(1).max(range.start)) - lo);
    let sentence = (first.start + lo).min(range.start)..(last.end + lo).max(range.end);

    // A warning idea put as a question ("Is accuracy enough here?") is asked about,
    // not held.
    // A statement with a tag ("..., you know?") is still a statement.
    let rest = text[range.end..sentence.end].trim_end();
    let tagged = rest.strip_suffix('?').is_some_and(|before| {
        negation.tag_questions.iter().any(|tag| {
            before
                .strip_suffix(tag.as_str())
                .is_some_and(|head| head.trim_end().ends_with(','))
        })
    });
    if rest.ends_with('?') && !tagged && !text[sentence.clone()].contains(". ") {
        return true;
    }

    // A phrase in quotation marks is mentioned, not asserted: inside an open pair of
    // double quotes, or wrapped in single quotes ('just use deep learning').
    let quotes_before = text[sentence.start..range.start].matches('"').count();
    if quotes_before % 2 == 1 && text[range.end..sentence.end].contains('"') {
        return true;
    }
    let opens = text[..range.start].trim_end().ends_with('\'');
    let closes = text[range.end..].trim_start().starts_with('\'');
    if opens && closes {
        return true;
    }

    // A hit that already says "not"/"no"/"never" is not undone by another bare
    // negation before it ("I never deployed anything and I do not think about
    // production" still dismisses production); only the other triggers count.
    let hit_negates = !rubric
        .simple_negations
        .find_all(&text[range.clone()])
        .is_empty();
    let pre_triggers_hit = |window: &str| {
        let pseudo = rubric.pseudo_triggers.find_all(window);
        let simple = rubric.simple_negations.find_all(window);
        rubric.pre_triggers.find_all(window).iter().any(|t| {
            let in_pseudo = pseudo.iter().any(|p| p.start <= t.start && t.end <= p.end);
            let is_simple = simple.iter().any(|s| s.start == t.start && s.end == t.end);
            let undone_by_simple = hit_negates && is_simple;
            !(in_pseudo || undone_by_simple)
        })
    };

    // Before the hit: from the last terminator to the hit, at most `window_before` words.
    let mut left_start = sentence.start;
    for hit in rubric
        .terminators
        .find_all(&text[sentence.start..range.start])
    {
        left_start = sentence.start + hit.end;
    }
    let left = last_words(&text[left_start..range.start], negation.window_before);
    if pre_triggers_hit(left) || attributed(left, rubric) {
        return true;
    }
    // "My old manager had a line for this: ... more data fixes everything": what
    // follows a colon is reported when the words before the colon give it to someone.
    if let Some(colon) = text[sentence.start..range.start].rfind(": ") {
        let before = last_words(
            &text[sentence.start..sentence.start + colon],
            negation.window_before,
        );
        if attributed(before, rubric) {
            return true;
        }
    }

    // After the hit: up to the first post-terminator, at most `window_after` words
    // (a comma does not end it: "X, and that's just not true").
    let mut right_end = sentence.end;
    if let Some(hit) = rubric
        .post_terminators
        .find_all(&text[range.end..sentence.end])
        .first()
    {
        right_end = range.end + hit.start;
    }
    let right = first_words(&text[range.end..right_end], negation.window_after);
    has_trigger(right, &rubric.post_triggers, &rubric.pseudo_triggers)
}

/// True when `window` gives what follows to someone else: one of `negation.others`
/// followed, within three words, by one of `negation.reporting` ("one colleague said",
/// "a lot of people would"). The candidate's own voice ("I said", "we would") is not
/// among the others.
fn attributed(window: &str, rubric: &CompiledRubric) -> bool {
    let reports = rubric.reporting.find_all(window);
    rubric.others.find_all(window).iter().any(|other| {
        reports.iter().any(|report| {
            report.start >= other.end
                && crate::text::word_count(&window[other.end..report.start]) <= 3
        })
    })
}

fn has_trigger(window: &str, triggers: &PhraseMatcher<()>, pseudo: &PhraseMatcher<()>) -> bool {
    let pseudo_hits = pseudo.find_all(window);
    triggers.find_all(window).iter().any(|t| {
        !pseudo_hits
            .iter()
            .any(|p| p.start <= t.start && t.end <= p.end)
    })
}

fn last_words(text: &str, n: usize) -> &str {
    let trimmed = text.trim_end();
    let mut count = 0;
    for (i, _) in trimmed
        .match_indices(' ')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
    {
        count += 1;
        if count == n {
            return &trimmed[i + 1..];
        }
    }
    trimmed
}

fn first_words(text: &str, n: usize) -> &str {
    let trimmed = text.trim_start();
    match trimmed.match_indices(' ').nth(n.saturating_sub(1)) {
        Some((i, _)) if n > 0 => &trimmed[..i],
        _ if n == 0 => "",
        _ => trimmed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rubric::{load, DEFAULT_RUBRIC};
    use crate::text::Normalized;

    fn negated(sentence: &str, phrase: &str) -> bool {
        let rubric = load(DEFAULT_RUBRIC).unwrap();
        let text = Normalized::new(sentence).text;
        let start = text
            .find(phrase)
            .unwrap_or_else(|| panic!("'{phrase}' in '{text}'"));
        is_negated(&text, start..start + phrase.len(), &rubric)
    }

    /// The ids of the red flags an answer states, and of those it negates.
    fn stated(answer: &str) -> (Vec<String>, Vec<String>) {
        let rubric = crate::rubric::load_default().unwrap();
        let transcript = crate::scorers::question_and_answer("How would you build it?", answer);
        let prepared = Prepared::new(&transcript, &rubric);
        let findings = RedFlagScorer.score(&prepared, &rubric);
        let ids = |hits: &[FlagHit]| {
            hits.iter()
                .map(|h| rubric.rubric.red_flags[h.flag].id.clone())
                .collect()
        };
        (ids(&findings.raised), ids(&findings.negated))
    }

    /// Dismissing a flag's safeguard states the flag, before or after the frame;
    /// a dismissal that is someone else's, or a safeguard merely named, does not.
    #[test]
    fn dismissing_a_safeguard_states_its_flag() {
        for (answer, flag) in [
            (
                "I don't really see the point of carving off a validation set.",
                "no_validation_needed",
            ),
            (
                "Honestly, fairness isn't something we worry about.",
                "fairness_doesnt_matter",
            ),
            (
                "Deployment isn't really a data science thing.",
                "no_production_thought",
            ),
            (
                "I wouldn't bother with SHAP or anything like that.",
                "black_box_is_fine",
            ),
            (
                "We never bothered with baselines, the network wins anyway.",
                "just_use_deep_learning",
            ),
            ("Imputation is overkill for this.", "delete_missing_data"),
            ("Serving is more of an engineering concern than a data science one.", "no_production_thought"),
            ("We never really bothered with a separate validation set, train and test was plenty, you know?", "no_validation_needed"),
            ("Um, I look at the, the training score.", "no_validation_needed"),
        ] {
            assert_eq!(stated(answer).0, vec![flag.to_string()], "{answer}");
        }
        let (raised, negated) =
            stated("Our vendor told us explanations were unnecessary, and I pushed back.");
        assert!(raised.is_empty(), "{raised:?}");
        assert_eq!(negated, vec!["black_box_is_fine".to_string()]);
        assert!(stated("We keep a validation set and monitor drift weekly.")
            .0
            .is_empty());
        // A negation inside a pattern's gap, a view pushed back on, one only heard.
        for answer in [
            "Resampling inside the training folds only, never before the split.",
            "I hear that a lot, more data fixes everything, and I don't buy it as a blanket answer.",
            "I've heard black box is fine from a lot of teams.",
            "My old director said fairness doesn't matter, relevance is relevance, and I pushed back.",
        ] {
            assert!(stated(answer).0.is_empty(), "{answer}");
        }
        // A consequence told to someone ("if you ...") and a condemned step are not held.
        assert!(stated("We split by production date. If you split randomly, near-duplicate boards land on both sides.").0.is_empty());
        assert!(
            stated("Shuffling the time series before the split is too optimistic.")
                .0
                .is_empty()
        );
    }

    #[test]
    fn negation_triggers_and_scope() {
        assert!(negated(
            "I don't think accuracy is enough here.",
            "accuracy is enough"
        ));
        assert!(negated(
            "I would never just delete rows with missing values.",
            "just delete"
        ));
        assert!(negated(
            "Saying more data fixes everything is a myth.",
            "more data fixes everything"
        ));
        assert!(!negated(
            "Accuracy is enough for this problem.",
            "accuracy is enough"
        ));
        assert!(!negated(
            "It's not perfect, but accuracy is enough.",
            "accuracy is enough"
        ));
        assert!(!negated(
            "Not only that: accuracy is enough.",
            "accuracy is enough"
        ));
    }

    /// Stance: a warning idea the candidate attributes to others, refuses, asks
    /// about or supposes is not held; one they state is.
    #[test]
    fn stance_attributed_refused_questioned_and_supposed() {
        for (sentence, phrase) in [
            (
                "Folks on my old team swore more data fixes everything.",
                "more data fixes everything",
            ),
            (
                "My old manager kept saying accuracy is enough, which was wrong.",
                "accuracy is enough",
            ),
            (
                "I won't accept that a black box is fine here.",
                "black box is fine",
            ),
            (
                "Would you say accuracy is enough for a 1% positive rate?",
                "accuracy is enough",
            ),
            (
                "Suppose fairness does not matter for this model: what breaks?",
                "fairness does not matter",
            ),
        ] {
            let phrase = &Normalized::new(phrase).text;
            assert!(negated(sentence, phrase), "{sentence}");
        }
        // Someone else's view, reported: theirs, whatever the words around it.
        for (sentence, phrase) in [
            (
                "A teammate argued that accuracy is enough.",
                "accuracy is enough",
            ),
            (
                "Most people would just drop those rows, but not me.",
                "drop those rows",
            ),
            (
                "The vendor said fairness does not matter here.",
                "fairness does not matter",
            ),
        ] {
            let phrase = &Normalized::new(phrase).text;
            assert!(negated(sentence, phrase), "{sentence}");
        }
        // The candidate's own voice, even when reporting it, is held.
        for (sentence, phrase) in [
            (
                "I said accuracy is enough, and it was.",
                "accuracy is enough",
            ),
            ("We would just drop those rows.", "drop those rows"),
        ] {
            let phrase = &Normalized::new(phrase).text;
            assert!(!negated(sentence, phrase), "{sentence}");
        }
        assert!(!negated(
            "Honestly, more data fixes everything in my experience.",
            "more data fixes everything"
        ));
        assert!(!negated(
            "We checked it. Is that enough? Accuracy is enough.",
            "accuracy is enough"
        ));
    }

    /// Negation reads a bounded reach around a hit, and still sees its clause in a
    /// turn with no sentence break.
    #[test]
    fn negation_in_a_very_long_sentence() {
        let filler = "and the model keeps going ".repeat(4000);
        let text = format!("{filler}I would never say accuracy is enough, {filler}");
        assert!(negated(&text, "accuracy is enough"));
        let text = format!("{filler}honestly accuracy is enough {filler}");
        assert!(!negated(&text, "accuracy is enough"));
    }

    #[test]
    fn windows_count_words() {
        assert_eq!(last_words("a b c d", 2), "c d");
        assert_eq!(last_words("a b", 5), "a b");
        assert_eq!(first_words("a b c d", 2), "a b");
        assert_eq!(first_words("a", 3), "a");
    }

    #[test]
    fn a_view_quoted_from_a_written_source_or_after_a_colon_is_reported() {
        assert!(negated(
            "There was a widely shared blog post arguing you should just use deep learning.",
            "just use deep learning"
        ));
        assert!(negated(
            "My old manager had a line for this: when it stalls, feed it more data, because more data fixes everything.",
            "more data fixes everything"
        ));
        assert!(!negated(
            "My view is simple: more data fixes everything.",
            "more data fixes everything"
        ));
    }
}
