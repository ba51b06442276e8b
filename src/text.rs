//! Text normalisation and phrase matching shared by every scorer.
//!
//! Turn text is normalised once: lower case, hyphens, slashes and underscores as
//! spaces, curly quotes straightened, contractions ending in `n't` expanded to
//! `not`, runs of white space folded. Rubric phrases go through the same function,
//! so "Cross-Validation", "cross validation" and "cross  validation" are one phrase.
//! Every normalised byte remembers the byte of the original it came from, so a hit
//! can always be quoted in the speaker's own words.
//!
//! A [`PhraseMatcher`] finds one list's phrases (leftmost-longest, whole words); a
//! [`PhraseScan`] finds several lists' phrases in one pass, from which each matcher
//! recovers exactly the hits it would find alone.

use std::ops::Range;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

/// A normalised text and the map back to the original.
#[derive(Debug, Clone)]
pub struct Normalized {
    /// The normalised text.
    pub text: String,
    /// For each byte of `text`, the byte offset in the original it came from.
    origin: OffsetMap,
    original_len: usize,
}

/// The map from each byte of a normalised text to the byte of the original it came
/// from, kept as runs in which both advance together: a new run starts only where
/// normalising dropped, merged or lengthened something (white space, "n't", an
/// invisible or look-alike character), so ordinary text costs a few runs, not a
/// word per byte.
#[derive(Debug, Clone, Default)]
struct OffsetMap {
    /// `(normalised, original)` offsets where each run starts, both ascending.
    runs: Vec<(u32, u32)>,
    /// Bytes mapped so far.
    len: usize,
}

impl OffsetMap {
    /// Maps the next byte of the normalised text to `original`.
    fn push(&mut self, original: usize) {
        let fits = self
            .runs
            .last()
            .is_some_and(|&(n, o)| o as usize + (self.len - n as usize) == original);
        if !fits {
            let narrow = |n: usize| u32::try_from(n).expect("a turn is shorter than 4 GiB");
            self.runs.push((narrow(self.len), narrow(original)));
        }
        self.len += 1;
    }

    /// The original offset of normalised byte `at`, if it was mapped.
    fn get(&self, at: usize) -> Option<usize> {
        if at >= self.len {
            return None;
        }
        let run = self.runs.partition_point(|&(n, _)| n as usize <= at) - 1;
        let (n, o) = self.runs[run];
        Some(o as usize + (at - n as usize))
    }
}

impl Normalized {
    /// Normalises `original`.
    pub fn new(original: &str) -> Normalized {
        let mut text = String::with_capacity(original.len());
        let mut origin = OffsetMap::default();
        let mut pending_space: Option<usize> = None;
        // Invisible characters hide nothing: dropped, as if not typed, before anything
        // looks at the letters around them.
        let mut chars = original
            .char_indices()
            .filter(|&(_, c)| c.is_ascii() || !is_default_ignorable(c))
            .peekable();
        while let Some((offset, ch)) = chars.next() {
            let typed_len = ch.len_utf8();
            let ch = if ch.is_ascii() { ch } else { look_alike(ch) };
            let mapped = match ch {
                '-' | '_' | '/' | '\u{2010}' | '\u{2011}' | '\u{2012}' => ' ',
                '\u{2018}' | '\u{2019}' | '`' => '\'',
                '\u{201C}' | '\u{201D}' => '"',
                '\u{2013}' | '\u{2014}' => ',',
                c if c.is_whitespace() => ' ',
                c => c,
            };
            if mapped == ' ' {
                if !text.is_empty() && pending_space.is_none() {
                    pending_space = Some(offset);
                }
                continue;
            }
            if let Some(space_at) = pending_space.take() {
                text.push(' ');
                origin.push(space_at);
            }
            // "n't" -> " not", so negation needs one trigger word ("won't" -> "wo not").
            if mapped.eq_ignore_ascii_case(&'n')
                && matches!(chars.peek(), Some((_, '\'' | '\u{2019}')))
            {
                let mut ahead = chars.clone();
                ahead.next();
                if matches!(ahead.peek(), Some((_, 't' | 'T'))) {
                    let after = ahead.clone().nth(1).map(|(_, c)| c);
                    if !after.is_some_and(char::is_alphanumeric) {
                        for (piece, _) in [(' ', ()), ('n', ()), ('o', ()), ('t', ())] {
                            text.push(piece);
                            origin.push(offset);
                        }
                        chars.next();
                        chars.next();
                        continue;
                    }
                }
            }
            if mapped.is_ascii() {
                text.push(mapped.to_ascii_lowercase());
                origin.push(offset);
                continue;
            }
            let before = text.len();
            text.extend(mapped.to_lowercase());
            // Bytes of one character map to its bytes, in step when the lengths agree
            // (one run for a line of accented or CJK text); otherwise all to its start.
            let step = usize::from(text.len() - before == typed_len);
            for byte in 0..text.len() - before {
                origin.push(offset + byte * step);
            }
        }
        origin.runs.shrink_to_fit();
        Normalized {
            text,
            origin,
            original_len: original.len(),
        }
    }

    /// The original byte range behind a normalised byte range.
    pub fn original_range(&self, range: Range<usize>) -> Range<usize> {
        let start = self.origin.get(range.start).unwrap_or(self.original_len);
        let end = self.origin.get(range.end).unwrap_or(self.original_len);
        start..end.max(start)
    }
}

/// Default-ignorable code points that can hide inside a word without showing: soft
/// hyphen, zero-width space, joiners, word joiner, invisible operators, BOM, variation
/// selectors, Mongolian vowel separator, bidirectional controls.
fn is_default_ignorable(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
        | '\u{FFA0}' | '\u{FFF0}'..='\u{FFF8}' | '\u{1D173}'..='\u{1D17A}'
        | '\u{E0000}'..='\u{E0FFF}')
}

/// The Latin letter a character is commonly passed off as: fullwidth ASCII, and the
/// Cyrillic and Greek letters that look like Latin ones. Others are left alone.
fn look_alike(c: char) -> char {
    match c {
        // Fullwidth forms of ASCII.
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFF01 + 0x21).unwrap_or(c),
        '\u{3000}' => ' ',
        // Cyrillic.
        'а' => 'a',
        'е' => 'e',
        'о' => 'o',
        'р' => 'p',
        'с' => 'c',
        'у' => 'y',
        'х' => 'x',
        'і' => 'i',
        'ј' => 'j',
        'ѕ' => 's',
        'ԁ' => 'd',
        'һ' => 'h',
        'ԛ' => 'q',
        'ԝ' => 'w',
        'А' => 'A',
        'В' => 'B',
        'Е' => 'E',
        'К' => 'K',
        'М' => 'M',
        'Н' => 'H',
        'О' => 'O',
        'Р' => 'P',
        'С' => 'C',
        'Т' => 'T',
        'Х' => 'X',
        'І' => 'I',
        'Ј' => 'J',
        'Ѕ' => 'S',
        // Greek: omicron and capitals only (lower-case alpha, rho or tau are maths).
        'ο' => 'o',
        'Α' => 'A',
        'Β' => 'B',
        'Ε' => 'E',
        'Ζ' => 'Z',
        'Η' => 'H',
        'Ι' => 'I',
        'Κ' => 'K',
        'Μ' => 'M',
        'Ν' => 'N',
        'Ο' => 'O',
        'Ρ' => 'P',
        'Τ' => 'T',
        'Υ' => 'Y',
        'Χ' => 'X',
        other => other,
    }
}

/// Normalises a rubric phrase the way turn text is normalised.
pub fn normalize_phrase(phrase: &str) -> String {
    Normalized::new(phrase).text.trim().to_string()
}

/// True when `text[range]` stands as whole words: no letter or digit touches it
/// on either side, except a plural `s` or `es` after it. A phrase that starts or
/// ends with punctuation (",", "excellent!") needs no boundary on that side.
pub fn is_whole_word(text: &str, range: &Range<usize>) -> bool {
    let phrase = &text[range.clone()];
    let first_is_word = phrase.chars().next().is_some_and(char::is_alphanumeric);
    let last_is_word = phrase
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric);
    let before = text[..range.start].chars().next_back();
    if first_is_word && before.is_some_and(char::is_alphanumeric) {
        return false;
    }
    if !last_is_word {
        return true;
    }
    let rest = &text[range.end..];
    let rest = rest
        .strip_prefix("es")
        .filter(|r| !r.starts_with(char::is_alphanumeric))
        .or_else(|| rest.strip_prefix('s'))
        .unwrap_or(rest);
    !rest.starts_with(char::is_alphanumeric)
}

/// Many phrases, each with a payload, found in one pass over normalised text.
#[derive(Debug, Clone)]
pub struct PhraseMatcher<T> {
    /// Built with the matcher ([`Self::new`]) or on its first search
    /// ([`Self::new_in_scan`]); `None` when there are no phrases.
    automaton: OnceLock<Option<AhoCorasick>>,
    /// Every occurrence, overlapping ones included: built on the first search whose
    /// leftmost-longest hits are not all whole words.
    overlapping: OnceLock<Option<AhoCorasick>>,
    /// The phrases, normalised, index for index with `payloads`.
    phrases: Vec<String>,
    payloads: Vec<T>,
    /// Some phrase holds a sentence break (`.`, `?` or `!` before a space), so a
    /// hit could run from one sentence into the next.
    spans_sentences: bool,
}

/// One whole-word hit of a [`PhraseMatcher`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit<'a, T> {
    /// What the phrase means.
    pub payload: &'a T,
    /// Where it stands in the normalised text.
    pub start: usize,
    /// Where it ends in the normalised text.
    pub end: usize,
}

impl<T> PhraseMatcher<T> {
    /// Builds a matcher from (phrase, payload) pairs; phrases are normalised here.
    pub fn new(phrases: Vec<(String, T)>) -> Result<PhraseMatcher<T>, String> {
        let matcher = PhraseMatcher::new_in_scan(phrases);
        let automaton = build(&matcher.phrases, MatchKind::LeftmostLongest)?;
        let _ = matcher.automaton.set(automaton);
        Ok(matcher)
    }

    /// A matcher for a list a [`PhraseScan`] searches with others (its hits then
    /// come from [`Self::select`]): its own automaton, needed only to search a text
    /// apart, is built on the first such search. It cannot fail then, since the
    /// scan's automaton, which holds these phrases and more, was built.
    pub fn new_in_scan(phrases: Vec<(String, T)>) -> PhraseMatcher<T> {
        let (phrases, payloads): (Vec<String>, Vec<T>) = phrases
            .into_iter()
            .map(|(phrase, payload)| (normalize_phrase(&phrase), payload))
            .filter(|(phrase, _)| !phrase.is_empty())
            .unzip();
        let spans_sentences = phrases
            .iter()
            .any(|p| [". ", "? ", "! "].iter().any(|brk| p.contains(brk)));
        PhraseMatcher {
            automaton: OnceLock::new(),
            overlapping: OnceLock::new(),
            phrases,
            payloads,
            spans_sentences,
        }
    }

    /// The phrases, normalised, for a [`PhraseScan`] that searches them with others.
    pub fn phrases(&self) -> &[String] {
        &self.phrases
    }

    /// The payload of phrase `index` (as [`Self::phrases`] and a scan number them).
    pub fn payload(&self, index: usize) -> &T {
        &self.payloads[index]
    }

    /// The hits in `text` among every occurrence of this matcher's phrases in it
    /// (from a [`PhraseScan`], or [`Self::find_all`]'s own search): whole words
    /// only, then leftmost first, the longest of those starting at one place, none
    /// overlapping the one before. A phrase inside a longer word hides nothing: in
    /// "the mathematical foundation", "the math" is no hit and "mathematical
    /// foundation" is one.
    pub fn select<'a>(&'a self, text: &str, occurrences: &[Occurrence]) -> Vec<Hit<'a, T>> {
        let mut ordered: Vec<(usize, usize, usize)> = occurrences
            .iter()
            .filter(|o| is_whole_word(text, &(o.start()..o.end())))
            .map(|o| (o.entry(), o.start(), o.end()))
            .collect();
        ordered
            .sort_unstable_by_key(|&(phrase, start, end)| (start, std::cmp::Reverse(end), phrase));
        let mut hits = Vec::new();
        let mut free_from = 0;
        for (phrase, start, end) in ordered {
            if start < free_from {
                continue;
            }
            free_from = end;
            hits.push(Hit {
                payload: &self.payloads[phrase],
                start,
                end,
            });
        }
        hits
    }

    /// Per sentence of `text` (`sentences`, as [`sentences`] splits it), the hits
    /// [`Self::find_all`] gives on that sentence alone, at their offsets in `text`.
    /// The hits of the whole text (`whole_text`: [`Self::find_all`], or
    /// [`Self::select`] from a [`PhraseScan`]) grouped by sentence are the same unless
    /// a phrase holds a sentence break; only then is each sentence searched apart.
    pub fn group_by_sentence<'a>(
        &'a self,
        text: &str,
        sentences: &[Range<usize>],
        whole_text: impl FnOnce() -> Vec<Hit<'a, T>>,
    ) -> Vec<Vec<Hit<'a, T>>> {
        if self.spans_sentences {
            return sentences
                .iter()
                .map(|sentence| {
                    let mut hits = self.find_all(&text[sentence.clone()]);
                    for hit in &mut hits {
                        hit.start += sentence.start;
                        hit.end += sentence.start;
                    }
                    hits
                })
                .collect();
        }
        let mut grouped: Vec<Vec<Hit<'a, T>>> = sentences.iter().map(|_| Vec::new()).collect();
        let mut current = 0;
        for hit in whole_text() {
            while current < sentences.len() && sentences[current].end < hit.end {
                current += 1;
            }
            match sentences.get(current) {
                Some(sentence) if sentence.start <= hit.start => grouped[current].push(hit),
                _ => {}
            }
        }
        grouped
    }

    /// Every whole-word, non-overlapping hit in `text` (already normalised): as
    /// [`Self::select`] picks them from every occurrence of the phrases. The
    /// leftmost-longest hits are those when all are whole words (the usual case);
    /// otherwise a phrase inside a longer word might hide one, and every occurrence
    /// is looked at.
    pub fn find_all<'a>(&'a self, text: &str) -> Vec<Hit<'a, T>> {
        let automaton = self.automaton.get_or_init(|| {
            build(&self.phrases, MatchKind::LeftmostLongest)
                .ok()
                .flatten()
        });
        let Some(automaton) = automaton else {
            return Vec::new();
        };
        let mut hits = Vec::new();
        for m in automaton.find_iter(text) {
            if !is_whole_word(text, &m.range()) {
                return self.find_all_overlapping(text);
            }
            hits.push(Hit {
                payload: &self.payloads[m.pattern().as_usize()],
                start: m.start(),
                end: m.end(),
            });
        }
        hits
    }

    /// [`Self::find_all`] from every occurrence of the phrases.
    fn find_all_overlapping<'a>(&'a self, text: &str) -> Vec<Hit<'a, T>> {
        let automaton = self
            .overlapping
            .get_or_init(|| build(&self.phrases, MatchKind::Standard).ok().flatten());
        let Some(automaton) = automaton else {
            return Vec::new();
        };
        let occurrences: Vec<Occurrence> = automaton
            .find_overlapping_iter(text)
            .map(|m| Occurrence::new(m.pattern().as_usize(), m.start(), m.end()))
            .collect();
        self.select(text, &occurrences)
    }
}

/// The automaton of a matcher's phrases: `LeftmostLongest` for its own search,
/// `Standard` to report every occurrence, overlapping ones included; `None` for no
/// phrases.
fn build(phrases: &[String], kind: MatchKind) -> Result<Option<AhoCorasick>, String> {
    if phrases.is_empty() {
        return Ok(None);
    }
    // A contiguous NFA, not the DFA aho-corasick would pick for small lists:
    // building the DFAs was a third of the rubric's start-up, and searching with
    // them was no faster on the benchmark corpus (prefilters do most of the work).
    AhoCorasick::builder()
        .match_kind(kind)
        .kind(Some(AhoCorasickKind::ContiguousNFA))
        .build(phrases)
        .map(Some)
        .map_err(|e| e.to_string())
}

/// Several lists of phrases or literals searched in one pass over a text: one
/// automaton reports every occurrence of every entry, and each list takes its own
/// (a [`PhraseMatcher`] recovers its hits with [`PhraseMatcher::select`]). One pass
/// over a turn is several times faster than a pass per list.
#[derive(Debug, Clone)]
pub struct PhraseScan {
    automaton: Option<AhoCorasick>,
    /// Per entry of the automaton, each (list, index in the list) it stands for.
    owners: Vec<Vec<(usize, usize)>>,
    lists: usize,
}

/// One occurrence of a list's entry in a text: which entry, and its byte range.
/// Kept in 32 bits a field (a turn is far below 4 GiB, see
/// [`crate::transcript::MAX_TURN_BYTES`]): a long turn holds several occurrences a word,
/// and they stay in memory until the transcript is scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occurrence {
    entry: u32,
    start: u32,
    end: u32,
}

impl Occurrence {
    /// An occurrence of entry `entry` at `start..end`.
    pub fn new(entry: usize, start: usize, end: usize) -> Occurrence {
        let narrow = |n: usize| u32::try_from(n).expect("a turn is shorter than 4 GiB");
        Occurrence {
            entry: narrow(entry),
            start: narrow(start),
            end: narrow(end),
        }
    }

    /// The entry's index in its list.
    pub fn entry(self) -> usize {
        self.entry as usize
    }

    /// Where the entry starts in the text.
    pub fn start(self) -> usize {
        self.start as usize
    }

    /// Where the entry ends in the text.
    pub fn end(self) -> usize {
        self.end as usize
    }
}

/// What a [`PhraseScan`] found in one text: per list, every occurrence of its
/// entries, overlapping ones included.
#[derive(Debug, Clone, Default)]
pub struct Occurrences(Vec<Vec<Occurrence>>);

impl Occurrences {
    /// The occurrences of list `list`'s entries.
    pub fn of(&self, list: usize) -> &[Occurrence] {
        self.0.get(list).map_or(&[], Vec::as_slice)
    }

    /// Keeps the lists `keep` names and frees the others: what is read only while
    /// preparing a turn need not stay until the transcript is scored.
    pub fn keep(&mut self, keep: impl Fn(usize) -> bool) {
        for (list, found) in self.0.iter_mut().enumerate() {
            if !keep(list) {
                *found = Vec::new();
            }
        }
    }

    /// Keeps the occurrences of list `list` that `keep` holds to.
    pub fn retain(&mut self, list: usize, keep: impl FnMut(&Occurrence) -> bool) {
        if let Some(found) = self.0.get_mut(list) {
            found.retain(keep);
            found.shrink_to_fit();
        }
    }
}

impl PhraseScan {
    /// One automaton over every entry of every list; an entry several lists (or one
    /// list twice) hold is searched once.
    pub fn new(lists: &[Vec<&[u8]>]) -> Result<PhraseScan, String> {
        let mut entries: Vec<&[u8]> = Vec::new();
        let mut owners: Vec<Vec<(usize, usize)>> = Vec::new();
        let mut ids: std::collections::HashMap<&[u8], usize> = std::collections::HashMap::new();
        for (list, items) in lists.iter().enumerate() {
            for (index, &entry) in items.iter().enumerate() {
                if entry.is_empty() {
                    continue;
                }
                let id = *ids.entry(entry).or_insert_with(|| {
                    entries.push(entry);
                    owners.push(Vec::new());
                    entries.len() - 1
                });
                owners[id].push((list, index));
            }
        }
        let automaton = if entries.is_empty() {
            None
        } else {
            let automaton = AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .kind(Some(AhoCorasickKind::ContiguousNFA))
                .build(&entries)
                .map_err(|e| e.to_string())?;
            Some(automaton)
        };
        Ok(PhraseScan {
            automaton,
            owners,
            lists: lists.len(),
        })
    }

    /// Every occurrence of every entry in `text`.
    pub fn scan(&self, text: &str) -> Occurrences {
        let mut found = vec![Vec::new(); self.lists];
        if let Some(automaton) = &self.automaton {
            for hit in automaton.find_overlapping_iter(text) {
                for &(list, index) in &self.owners[hit.pattern().as_usize()] {
                    found[list].push(Occurrence::new(index, hit.start(), hit.end()));
                }
            }
        }
        Occurrences(found)
    }
}

/// Byte ranges of the sentences of `text`: split after `.`, `?` or `!` followed by
/// white space, and at line breaks.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let end_here = match b {
            b'\n' => true,
            b'.' | b'?' | b'!' => bytes.get(i + 1).is_none_or(|n| n.is_ascii_whitespace()),
            _ => false,
        };
        if end_here {
            push_trimmed(text, start..i + 1, &mut ranges);
            start = i + 1;
        }
    }
    push_trimmed(text, start..text.len(), &mut ranges);
    ranges
}

/// The sentence of `text` around byte `position`, as [`sentences`] would split it,
/// found by scanning only that sentence (not the whole text).
pub fn sentence_around(text: &str, position: usize) -> Range<usize> {
    let bytes = text.as_bytes();
    let position = position.min(bytes.len());
    let ends_here = |i: usize| match bytes[i] {
        b'\n' => true,
        b'.' | b'?' | b'!' => bytes.get(i + 1).is_none_or(|n| n.is_ascii_whitespace()),
        _ => false,
    };
    let start = (0..position)
        .rev()
        .find(|&i| ends_here(i))
        .map_or(0, |i| i + 1);
    let end = (position..bytes.len())
        .find(|&i| ends_here(i))
        .map_or(bytes.len(), |i| i + 1);
    let piece = &text[start..end];
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    if lead + trail >= piece.len() {
        return position..position;
    }
    start + lead..end - trail
}

fn push_trimmed(text: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
    let piece = &text[range.clone()];
    let lead = piece.len() - piece.trim_start().len();
    let trail = piece.len() - piece.trim_end().len();
    if lead + trail < piece.len() {
        out.push(range.start + lead..range.end - trail);
    }
}

/// The sentence of `original` that holds the byte range `hit`, cut to at most
/// `max_chars` characters around the hit, with `…` where it was cut.
pub fn quote(original: &str, hit: Range<usize>, max_chars: usize) -> String {
    let sentence = sentence_around(original, hit.start);
    let sentence = sentence.start.min(hit.start)..sentence.end.max(hit.end);
    let text = &original[sentence.clone()];
    let clean = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max_chars {
        return clean(text);
    }
    let hit_chars = original[hit.clone()].chars().count();
    let margin = max_chars.saturating_sub(hit_chars) / 2;
    let before: Vec<char> = original[sentence.start..hit.start].chars().collect();
    let after: Vec<char> = original[hit.end..sentence.end].chars().collect();
    let take_before = before
        .len()
        .min(margin.max(max_chars.saturating_sub(hit_chars + after.len().min(margin))));
    let take_after = after
        .len()
        .min(max_chars.saturating_sub(hit_chars + take_before));
    let mut out = String::new();
    if take_before < before.len() {
        out.push('…');
    }
    out.extend(&before[before.len() - take_before..]);
    out.push_str(&original[hit]);
    out.extend(&after[..take_after]);
    if take_after < after.len() {
        out.push('…');
    }
    clean(&out)
}

/// The first sentence of `original`, as a quote (empty when there is none).
pub fn first_sentence(original: &str) -> String {
    sentences(original)
        .first()
        .map(|s| quote(original, s.clone(), 200))
        .unwrap_or_default()
}

/// Counts the words of `text`.
pub fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

/// [`word_count`] of normalised text, whose only white space is single spaces
/// ([`Normalized`]): a byte scan, not a Unicode one.
pub fn normalized_word_count(text: &str) -> usize {
    let bytes = text.as_bytes();
    bytes
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b != b' ' && (i == 0 || bytes[i - 1] == b' '))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Invisible characters and look-alike letters inside any rubric phrase change
    /// nothing that is found: the phrase normalises to the same words.
    #[test]
    fn invisible_characters_and_look_alikes_hide_no_phrase() {
        let rubric: crate::rubric::Rubric =
            serde_saphyr::from_str(crate::rubric::DEFAULT_RUBRIC).unwrap();
        let phrases = rubric
            .red_flags
            .iter()
            .flat_map(|f| f.phrases.iter())
            .chain(
                rubric
                    .compliance
                    .rules
                    .iter()
                    .flat_map(|r| r.phrases.iter()),
            );
        let mut checked = 0;
        for phrase in phrases {
            let plain = normalize_phrase(phrase);
            let mut disguised = String::new();
            for (i, c) in phrase.chars().enumerate() {
                disguised.push(match c {
                    'o' => 'о',                // Cyrillic
                    'a' if i % 2 == 0 => 'ａ', // fullwidth
                    'e' => 'е',                // Cyrillic
                    c => c,
                });
                if i == 1 {
                    disguised.push('\u{200B}');
                }
                if i == 3 {
                    disguised.push('\u{00AD}');
                }
            }
            disguised.push('\u{FEFF}');
            assert_eq!(normalize_phrase(&disguised), plain, "{phrase}");
            checked += 1;
        }
        assert!(checked > 100, "{checked}");
    }

    #[test]
    fn hits_by_sentence_are_the_hits_of_each_sentence() {
        let text = Normalized::new(
            "We scale because of outliers. Because it's popular, e.g. the default! \
             Dropout regularises? Yes: dropout, because.",
        )
        .text;
        let sentences = sentences(&text);
        for phrases in [
            vec!["because", "dropout", "outliers", "it's popular"],
            vec!["because", "e.g. the", "outliers. because", "yes"],
        ] {
            let matcher =
                PhraseMatcher::new(phrases.iter().map(|p| (p.to_string(), ())).collect()).unwrap();
            let grouped = matcher.group_by_sentence(&text, &sentences, || matcher.find_all(&text));
            assert_eq!(grouped.len(), sentences.len());
            for (sentence, hits) in sentences.iter().zip(grouped) {
                let alone: Vec<(usize, usize)> = matcher
                    .find_all(&text[sentence.clone()])
                    .iter()
                    .map(|h| (h.start + sentence.start, h.end + sentence.start))
                    .collect();
                let found: Vec<(usize, usize)> = hits.iter().map(|h| (h.start, h.end)).collect();
                assert_eq!(found, alone, "{:?}", &text[sentence.clone()]);
            }
        }
    }

    #[test]
    fn select_recovers_find_all_from_every_occurrence() {
        let phrases = [
            ("bias", 0),
            ("bias", 1),
            ("bias variance", 2),
            ("variance trade off", 3),
            ("trade", 4),
            ("off", 5),
            ("a b", 6),
            ("b c", 7),
        ];
        let matcher =
            PhraseMatcher::new(phrases.iter().map(|(p, i)| (p.to_string(), *i)).collect()).unwrap();
        let scan =
            PhraseScan::new(&[matcher.phrases().iter().map(|p| p.as_bytes()).collect()]).unwrap();
        for text in [
            "the bias variance trade off",
            "biases and variance trade offs",
            "a b c b c",
            "unbiased trade-off",
            "bias bias",
        ] {
            let text = Normalized::new(text).text;
            let hits = |hits: Vec<Hit<'_, i32>>| -> Vec<(usize, usize, i32)> {
                hits.iter().map(|h| (h.start, h.end, *h.payload)).collect()
            };
            assert_eq!(
                hits(matcher.select(&text, scan.scan(&text).of(0))),
                hits(matcher.find_all(&text)),
                "{text}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn normalized_word_count_is_word_count(original in "[a-zA-Z \t\n\u{a0}\u{2003}é'’.-]{0,60}") {
            let text = Normalized::new(&original).text;
            proptest::prop_assert_eq!(normalized_word_count(&text), word_count(&text));
        }
    }

    #[test]
    fn normalises_case_hyphens_and_contractions() {
        let n = Normalized::new("Cross-Validation  doesn’t\nhelp");
        assert_eq!(n.text, "cross validation does not help");
        let n = Normalized::new("I WON'T");
        assert_eq!(n.text, "i wo not");
    }

    #[test]
    fn maps_back_to_the_original() {
        let original = "We used  Cross-Validation here";
        let n = Normalized::new(original);
        let start = n.text.find("cross validation").unwrap();
        let range = n.original_range(start..start + "cross validation".len());
        assert_eq!(&original[range], "Cross-Validation");
    }

    #[test]
    fn matches_whole_words_and_plurals() {
        let m =
            PhraseMatcher::new(vec![("AUC".to_string(), 1), ("embedding".to_string(), 2)]).unwrap();
        let text = Normalized::new("auc, embeddings, but not sauce or aucx").text;
        let hits: Vec<i32> = m.find_all(&text).iter().map(|h| *h.payload).collect();
        assert_eq!(hits, [1, 2]);
    }

    #[test]
    fn the_sentence_around_a_position_matches_the_split() {
        let text = "First one. Second has e.g. a word here!\nThird?  Last";
        // Every position inside a sentence (hits never start on white space).
        let inside = text.char_indices().filter(|(_, c)| !c.is_whitespace());
        for (index, _) in inside {
            let expected = sentences(text)
                .into_iter()
                .find(|s| s.start <= index && index < s.end)
                .unwrap_or(index..index);
            assert_eq!(sentence_around(text, index), expected, "at {index}");
        }
    }

    #[test]
    fn splits_sentences_and_quotes() {
        let text = "First one. Second has the word here! Third?";
        assert_eq!(sentences(text).len(), 3);
        let at = text.find("word").unwrap();
        assert_eq!(quote(text, at..at + 4, 200), "Second has the word here!");
        let long = format!("{} key {}", "a ".repeat(100), "b ".repeat(100));
        let at = long.find("key").unwrap();
        let q = quote(&long, at..at + 3, 40);
        assert!(
            q.contains("key") && q.starts_with('…') && q.ends_with('…'),
            "{q}"
        );
        assert!(q.chars().count() <= 42);
    }

    /// The runs answer what a byte-per-byte map would, whatever the sequence of
    /// offsets (in step, repeated, jumping ahead).
    #[test]
    fn offset_runs_map_every_byte_as_a_full_map_would() {
        let mut state = 7u64;
        for _ in 0..200 {
            let mut full = Vec::new();
            let mut runs = OffsetMap::default();
            let mut at = 0usize;
            for _ in 0..64 {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                at += match state >> 61 {
                    0 => 0,
                    1 => 3,
                    _ => 1,
                };
                full.push(at);
                runs.push(at);
            }
            for (i, &expected) in full.iter().enumerate() {
                assert_eq!(runs.get(i), Some(expected));
            }
            assert_eq!(runs.get(full.len()), None);
        }
    }

    /// A phrase that matches only inside a longer word ("the math" in "the
    /// mathematical") hides no whole-word phrase that overlaps it, in a search of
    /// its own or from a scan.
    #[test]
    fn a_phrase_inside_a_word_hides_no_hit_behind_it() {
        let phrases = || {
            ["the math", "mathematical foundation", "the"]
                .map(|p| (p.to_string(), p))
                .to_vec()
        };
        let matcher = PhraseMatcher::new(phrases()).unwrap();
        let text = "explain the mathematical foundation of smote.";
        let found: Vec<&str> = matcher.find_all(text).iter().map(|h| *h.payload).collect();
        assert_eq!(found, ["the", "mathematical foundation"]);
        let scan =
            PhraseScan::new(&[matcher.phrases().iter().map(|p| p.as_bytes()).collect()]).unwrap();
        let selected: Vec<&str> = matcher
            .select(text, scan.scan(text).of(0))
            .iter()
            .map(|h| *h.payload)
            .collect();
        assert_eq!(selected, found);
    }
}
