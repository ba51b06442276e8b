//! Gapped terms: rubric phrases whose words need not stand side by side.
//!
//! A fact's property is said in many ways: "the layers are split across GPUs",
//! "splitting the layers across devices", "each GPU holds a slice of the layers". A
//! literal phrase list needs each wording spelled out; a gapped term names the words
//! that carry the meaning, in order, and lets a few others stand between them:
//! `"layer .. split* .. across"` matches "the layers are split across" and "layers get
//! split up across". ` .. ` allows up to `gap` words (never a clause or sentence break),
//! and a piece ending in `*` is a stem ("split*": split, splits, splitting).
//!
//! Each piece is a literal phrase of the turn's one scan ([`super::TurnList`]), so a
//! gapped term costs no pass of its own: [`GappedTerms::find`] chains the pieces' hits.

use std::collections::BTreeMap;

use crate::text::{normalize_phrase, Hit, PhraseMatcher};

/// What separates the pieces of a gapped term in the rubric.
pub const GAP: &str = " .. ";

/// Characters that end a chain: a clause or a sentence stops between them.
const BREAKS: [char; 5] = [';', '.', '?', '!', ':'];

/// Where a piece stands: (term, piece, start, end).
type Span = (usize, usize, usize, usize);

/// One gapped term.
#[derive(Debug, Clone)]
struct GappedTerm {
    /// The owners (subject or property ids) a match stands for.
    owners: Vec<usize>,
    /// Per piece, whether it is a stem.
    stems: Vec<bool>,
}

/// Every gapped term of a list, with the pieces to scan for.
#[derive(Debug, Clone)]
pub struct GappedTerms {
    /// Piece phrase -> (term, piece index) pairs.
    pieces: PhraseMatcher<Vec<(usize, usize)>>,
    terms: Vec<GappedTerm>,
    /// Words allowed between two pieces.
    gap: usize,
}

/// True when `term` is gapped: it holds [`GAP`] or a stem.
pub fn is_gapped(term: &str) -> bool {
    term.contains(GAP.trim()) || term.trim_end().ends_with('*')
}

/// True when a `*` in `term` stands anywhere but at the end of a piece
/// (`"get* rid of"`: a stem cannot continue into more words).
pub fn misplaced_stem(term: &str) -> bool {
    term.split(GAP.trim())
        .map(str::trim)
        .any(|piece| piece.trim_end_matches('*').contains('*'))
}

impl GappedTerms {
    /// Compiles `(term, owner)` pairs; only gapped terms ([`is_gapped`]) are kept.
    pub fn new<'a>(terms: impl Iterator<Item = (&'a str, usize)>, gap: usize) -> GappedTerms {
        let mut by_term: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (term, owner) in terms.filter(|(t, _)| is_gapped(t)) {
            by_term.entry(term).or_default().push(owner);
        }
        let mut pieces: BTreeMap<String, Vec<(usize, usize)>> = BTreeMap::new();
        let mut compiled = Vec::new();
        for (index, (term, owners)) in by_term.into_iter().enumerate() {
            let mut stems = Vec::new();
            for (p, piece) in term.split(GAP.trim()).map(str::trim).enumerate() {
                let stem = piece.ends_with('*');
                stems.push(stem);
                let piece = normalize_phrase(piece.trim_end_matches('*'));
                pieces.entry(piece).or_default().push((index, p));
            }
            compiled.push(GappedTerm { owners, stems });
        }
        GappedTerms {
            pieces: PhraseMatcher::new_in_scan(pieces.into_iter().collect()),
            terms: compiled,
            gap,
        }
    }

    /// The pieces, normalised, for the turn's scan.
    pub fn phrases(&self) -> &[String] {
        self.pieces.phrases()
    }

    /// Every match of a gapped term in `text` (normalised), from the scan's
    /// occurrences of the pieces: the pieces in order, each starting on a word, a
    /// stem ending anywhere in its word and any other piece on a word's end (or its
    /// plural), at most `gap` words and no break between two. Matches of one term do
    /// not overlap; they come sorted by start, each with whether `denies` holds of the
    /// words between its pieces ("need no scaling" is "need* .. scal*" denied).
    pub fn find<'a>(
        &'a self,
        text: &str,
        occurrences: &[crate::text::Occurrence],
        denies: impl Fn(&str) -> bool,
    ) -> Vec<(Hit<'a, Vec<usize>>, bool)> {
        if self.terms.is_empty() || occurrences.is_empty() {
            return Vec::new();
        }
        let opened = self.opened(occurrences);
        // Where each piece stands, as (term, piece, start, end), sorted: the spans of
        // one piece of one term are then a run, found by binary search.
        let mut at: Vec<Span> = Vec::new();
        for occurrence in occurrences {
            let (phrase, start, end) = (occurrence.entry(), occurrence.start(), occurrence.end());
            let mut fits = None;
            for &(term, piece) in self.pieces.payload(phrase) {
                if !opened[term] {
                    continue;
                }
                let stem = self.terms[term].stems[piece];
                let whole = *fits.get_or_insert_with(|| {
                    (
                        starts_word(text, start),
                        crate::text::is_whole_word(text, &(start..end)),
                    )
                });
                if (stem && whole.0) || (!stem && whole.1) {
                    at.push((term, piece, start, end));
                }
            }
        }
        if at.is_empty() {
            return Vec::new();
        }
        at.sort_unstable();
        at.dedup();
        let mut hits = Vec::new();
        let mut first = 0;
        while first < at.len() {
            let (index, piece, _, _) = at[first];
            let run = first + at[first..].partition_point(|s| (s.0, s.1) == (index, piece));
            if piece == 0 {
                let term = &self.terms[index];
                let mut free_from = 0;
                for &(_, _, start, first_end) in &at[first..run] {
                    if start < free_from {
                        continue;
                    }
                    let mut gaps = String::new();
                    if let Some(end) =
                        self.chain(text, &at, index, term.stems.len(), first_end, &mut gaps)
                    {
                        let hit = Hit {
                            payload: &term.owners,
                            start,
                            end,
                        };
                        hits.push((hit, denies(&gaps)));
                        free_from = end;
                    }
                }
            }
            first = run;
        }
        hits.sort_by_key(|(h, _)| (h.start, std::cmp::Reverse(h.end)));
        hits
    }

    /// Per term, whether its first piece occurs: a term whose first piece is absent
    /// cannot match, and its other pieces, often common words ("model", "label"),
    /// need not be looked at or kept.
    fn opened(&self, occurrences: &[crate::text::Occurrence]) -> Vec<bool> {
        let mut opened = vec![false; self.terms.len()];
        for occurrence in occurrences {
            for &(term, piece) in self.pieces.payload(occurrence.entry()) {
                if piece == 0 {
                    opened[term] = true;
                }
            }
        }
        opened
    }

    /// The occurrences of the pieces that [`Self::find`] can use: those of a term
    /// whose first piece occurs. What a turn keeps for scoring.
    pub fn usable(
        &self,
        occurrences: &[crate::text::Occurrence],
    ) -> impl Fn(&crate::text::Occurrence) -> bool + '_ {
        let opened = self.opened(occurrences);
        move |occurrence| {
            self.pieces
                .payload(occurrence.entry())
                .iter()
                .any(|&(term, _)| opened[term])
        }
    }

    /// Where the rest of term `index`'s pieces end when they follow `from`, if they do;
    /// the words between them are appended to `gaps`.
    fn chain(
        &self,
        text: &str,
        at: &[Span],
        index: usize,
        pieces: usize,
        mut from: usize,
        gaps: &mut String,
    ) -> Option<usize> {
        for piece in 1..pieces {
            let lo = at.partition_point(|s| (s.0, s.1) < (index, piece));
            let hi = lo + at[lo..].partition_point(|s| (s.0, s.1) == (index, piece));
            let &(_, _, _, end) = at[lo..hi].iter().find(|&&(_, _, start, _)| {
                start >= from && {
                    let between = &text[from..start];
                    !between.contains(BREAKS) && crate::text::word_count(between) <= self.gap
                }
            })?;
            gaps.push(' ');
            gaps.push_str(&text[from..end]);
            from = end;
        }
        Some(from)
    }
}

/// A list of terms, literal or gapped, searched on its own (not in a turn's one
/// scan): the derived red-flag rules read a few answers each, so their lists build
/// their own automata, on first use.
#[derive(Debug, Clone)]
pub struct Terms {
    literal: PhraseMatcher<()>,
    gapped: GappedTerms,
    scan: std::sync::OnceLock<Option<crate::text::PhraseScan>>,
}

impl Terms {
    /// Compiles `terms`; `gap` as for [`GappedTerms`].
    pub fn new(terms: &[String], gap: usize) -> Result<Terms, String> {
        let literal = PhraseMatcher::new(
            terms
                .iter()
                .filter(|t| !is_gapped(t))
                .map(|t| (t.clone(), ()))
                .collect(),
        )?;
        let gapped = GappedTerms::new(terms.iter().map(|t| (t.as_str(), 0)), gap);
        Ok(Terms {
            literal,
            gapped,
            scan: std::sync::OnceLock::new(),
        })
    }

    /// Every match in `text` (normalised), literal and gapped, sorted by start.
    pub fn find_all(&self, text: &str) -> Vec<std::ops::Range<usize>> {
        let mut found: Vec<std::ops::Range<usize>> = self
            .literal
            .find_all(text)
            .iter()
            .map(|h| h.start..h.end)
            .collect();
        if !self.gapped.terms.is_empty() {
            let scan = self.scan.get_or_init(|| {
                let pieces: Vec<&[u8]> =
                    self.gapped.phrases().iter().map(String::as_bytes).collect();
                crate::text::PhraseScan::new(&[pieces]).ok()
            });
            if let Some(scan) = scan {
                let occurrences = scan.scan(text);
                found.extend(
                    self.gapped
                        .find(text, occurrences.of(0), |_| false)
                        .into_iter()
                        .map(|(h, _)| h.start..h.end),
                );
                found.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
            }
        }
        found
    }

    /// True when nothing in `text` matches.
    pub fn is_absent_from(&self, text: &str) -> bool {
        self.find_all(text).is_empty()
    }
}

/// True when `start` begins a word of `text`.
fn starts_word(text: &str, start: usize) -> bool {
    !text[..start]
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::PhraseScan;

    fn matches(term: &str, text: &str) -> Vec<String> {
        let gapped = GappedTerms::new([(term, 0)].into_iter(), 3);
        let list: Vec<&[u8]> = gapped.phrases().iter().map(String::as_bytes).collect();
        let scan = PhraseScan::new(&[list]).unwrap();
        let text = normalize_phrase(text);
        let found = scan.scan(&text);
        gapped
            .find(&text, found.of(0), |_| false)
            .iter()
            .map(|(h, _)| text[h.start..h.end].to_string())
            .collect()
    }

    #[test]
    fn pieces_match_in_order_with_a_few_words_between() {
        assert_eq!(
            matches(
                "layer .. split* .. across",
                "The layers are split across GPUs"
            ),
            ["layers are split across"]
        );
        assert_eq!(
            matches("layer .. split* .. across", "layers get split up across"),
            ["layers get split up across"]
        );
        assert!(matches("layer .. split* .. across", "split the layers across").is_empty());
    }

    #[test]
    fn a_gap_is_bounded_and_stops_at_a_break() {
        assert!(matches("layer .. split*", "layers of the model we then split").is_empty());
        assert!(matches("layer .. split*", "the layers; we split").is_empty());
    }

    #[test]
    fn terms_mix_literal_and_gapped() {
        let terms = Terms::new(
            &["dropna".to_string(), "toss* .. rows .. empty".to_string()],
            3,
        )
        .unwrap();
        let text = normalize_phrase("I'd toss any rows with an empty cell, or just dropna.");
        let found: Vec<&str> = terms
            .find_all(&text)
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(found, ["toss any rows with an empty", "dropna"]);
    }

    #[test]
    fn a_stem_ends_anywhere_in_its_word_and_a_piece_starts_on_a_word() {
        assert_eq!(
            matches("shard* .. model", "sharding the model"),
            ["sharding the model"]
        );
        assert!(matches("shard* .. model", "reshard the model").is_empty());
        assert!(matches("split .. model", "splitting the model").is_empty());
    }
}
