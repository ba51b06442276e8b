//! Rubric patterns (regular expressions), one list per rule family, each pattern run
//! on a text only when the text holds the literals every match of it must contain.
//!
//! A pattern's required literals come from its syntax tree. Each piece of its
//! top-level concatenation that must match one of a few literals of at least
//! [`MIN_LITERAL_BYTES`] bytes is a *factor*: in `\bour \w+ (deployed|served)` the
//! factors are `our ` and `deployed`/`served`. A text lacking every literal of some
//! factor cannot match, so the pattern is not run on it. The rubric's one
//! Aho-Corasick pass over each turn (`text::PhraseScan`, shared with its phrase
//! lists) finds which of all the pattern literals occur in it
//! ([`LiteralGate::present`]); each turn then gets past the gate of only a few
//! patterns. The gate never changes a result, only how many patterns run.
//!
//! Patterns compile when the rubric loads, in parallel, so a bad pattern in a rubric
//! file is reported before any transcript is read. The embedded default rubric may
//! instead compile each pattern the first time a text gets past its gate
//! ([`Compile::OnFirstUse`]): a short run then compiles only the patterns it needs,
//! and compiling was most of start-up. A test compiles every one of its patterns.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

use rayon::prelude::*;
use regex::{Regex, RegexBuilder};
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Hir, HirKind};

/// Patterns come from users: bound what one may cost to compile. Matching with the
/// `regex` crate is linear in the input whatever the pattern.
const PATTERN_SIZE_LIMIT: usize = 1 << 20;

/// Shorter literals ("we", "in") occur in almost every text: they would gate
/// nothing and slow the literal pass.
pub const MIN_LITERAL_BYTES: usize = 3;

/// When a rubric's patterns are compiled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compile {
    /// All of them while the rubric loads, so a bad pattern fails the load.
    Now,
    /// Each on its first use; only for patterns known to compile (the embedded rubric).
    OnFirstUse,
}

/// One pattern: its source, what a match means, and the literals it requires.
#[derive(Debug, Clone)]
struct Pattern<T> {
    source: String,
    payload: T,
    /// Per factor, the ids (into the gate's literals) of which one must occur.
    factors: Vec<Vec<usize>>,
    regex: OnceLock<Regex>,
}

/// The patterns of one rule family.
#[derive(Debug, Clone)]
pub struct PatternList<T> {
    patterns: Vec<Pattern<T>>,
}

/// The factor literals of every pattern list of a rubric, gathered while the lists
/// are built ([`PatternList::new`]).
#[derive(Debug, Default)]
pub struct GateBuilder {
    literals: Vec<Vec<u8>>,
    ids: HashMap<Vec<u8>, usize>,
}

impl GateBuilder {
    /// The id of `literal`, adding it when new.
    fn intern(&mut self, literal: Vec<u8>) -> usize {
        let literals = &mut self.literals;
        *self.ids.entry(literal).or_insert_with_key(|literal| {
            literals.push(literal.clone());
            literals.len() - 1
        })
    }

    /// The gate over every literal gathered.
    pub fn build(self) -> LiteralGate {
        LiteralGate {
            literals: self.literals,
        }
    }
}

/// The literals every pattern list of a rubric requires. They are searched with the
/// rubric's other phrase lists in one pass per turn (a [`PhraseScan`](crate::text::PhraseScan)), which reports
/// every occurrence; [`Self::present`] reads which occur.
#[derive(Debug, Clone)]
pub struct LiteralGate {
    literals: Vec<Vec<u8>>,
}

/// The pattern literals one text holds ([`LiteralGate::present`]), a bit each: kept
/// for every turn until the transcript is scored.
#[derive(Debug, Clone, Default)]
pub struct PresentLiterals(Box<[u64]>);

impl LiteralGate {
    /// The literals, for a [`PhraseScan`](crate::text::PhraseScan).
    pub fn literals(&self) -> Vec<&[u8]> {
        self.literals.iter().map(Vec::as_slice).collect()
    }

    /// Which literals a text holds, from the occurrences of [`Self::literals`] a
    /// [`PhraseScan`](crate::text::PhraseScan) found in it.
    pub fn present(&self, occurrences: &[crate::text::Occurrence]) -> PresentLiterals {
        let mut present = vec![0u64; self.literals.len().div_ceil(64)];
        for occurrence in occurrences {
            let literal = occurrence.entry();
            present[literal / 64] |= 1 << (literal % 64);
        }
        PresentLiterals(present.into_boxed_slice())
    }

    /// Which literals `text` holds, in a pass of its own.
    #[cfg(test)]
    fn scan(&self, text: &str) -> PresentLiterals {
        let scan = crate::text::PhraseScan::new(&[self.literals()]).unwrap();
        self.present(scan.scan(text).of(0))
    }
}

impl PresentLiterals {
    fn has(&self, literal: usize) -> bool {
        self.0
            .get(literal / 64)
            .is_some_and(|bits| bits & (1 << (literal % 64)) != 0)
    }
}

impl<T: Send + Sync> PatternList<T> {
    /// Builds a list from `(owner, pattern, payload)`; `owner` names the rule in errors
    /// ("red_flags.leakage"). Each pattern's literals go to `gate`. Returns every
    /// invalid pattern at once.
    pub fn new(
        specs: Vec<(String, String, T)>,
        compile: Compile,
        gate: &mut GateBuilder,
    ) -> Result<PatternList<T>, Vec<String>> {
        let mut patterns = Vec::with_capacity(specs.len());
        let mut parse_failed = false;
        let mut owners = Vec::with_capacity(specs.len());
        for (owner, source, payload) in specs {
            let factors = match parse(&source) {
                Some(hir) => required_factors(&hir)
                    .into_iter()
                    .map(|factor| factor.into_iter().map(|l| gate.intern(l)).collect())
                    .collect(),
                None => {
                    parse_failed = true;
                    Vec::new()
                }
            };
            owners.push(owner);
            patterns.push(Pattern {
                source,
                payload,
                factors,
                regex: OnceLock::new(),
            });
        }
        if compile == Compile::Now || parse_failed {
            let built: Vec<Result<Regex, String>> = patterns
                .par_iter()
                .zip(&owners)
                .map(|(pattern, owner)| build(owner, &pattern.source))
                .collect();
            let mut problems = Vec::new();
            for (pattern, regex) in patterns.iter().zip(built) {
                match regex {
                    Ok(regex) => {
                        let _ = pattern.regex.set(regex);
                    }
                    Err(problem) => problems.push(problem),
                }
            }
            if !problems.is_empty() {
                return Err(problems);
            }
        }
        Ok(PatternList { patterns })
    }

    /// An empty list.
    pub fn empty() -> PatternList<T> {
        PatternList {
            patterns: Vec::new(),
        }
    }

    /// Every match of every pattern in `text`, pattern by pattern in rubric order,
    /// each pattern's matches left to right. `present` is what the rubric's
    /// [`LiteralGate`] found in `text`, or in a text that contains it.
    pub fn find_all(&self, text: &str, present: &PresentLiterals) -> Vec<(&T, Range<usize>)> {
        self.find_all_sourced(text, present)
            .into_iter()
            .map(|(payload, range, _)| (payload, range))
            .collect()
    }

    /// Every match, as [`Self::find_all`], with the source of the pattern that made
    /// it.
    pub fn find_all_sourced(
        &self,
        text: &str,
        present: &PresentLiterals,
    ) -> Vec<(&T, Range<usize>, &str)> {
        let mut hits = Vec::new();
        for pattern in self.patterns.iter().filter(|p| p.may_match(present)) {
            hits.extend(
                pattern
                    .regex()
                    .find_iter(text)
                    .map(|m| (&pattern.payload, m.range(), pattern.source.as_str())),
            );
        }
        hits
    }

    /// The payload of each pattern that matches somewhere in `text`, in rubric order
    /// (`present` as for [`Self::find_all`]).
    pub fn matching<'a>(
        &'a self,
        text: &'a str,
        present: &'a PresentLiterals,
    ) -> impl Iterator<Item = &'a T> + 'a {
        self.patterns
            .iter()
            .filter(move |p| p.may_match(present) && p.regex().is_match(text))
            .map(|p| &p.payload)
    }

    /// True when some pattern matches somewhere in `text`.
    pub fn is_match(&self, text: &str, present: &PresentLiterals) -> bool {
        self.matching(text, present).next().is_some()
    }
}

impl<T> Pattern<T> {
    /// False when some factor has none of its literals present: no match possible.
    fn may_match(&self, present: &PresentLiterals) -> bool {
        self.factors
            .iter()
            .all(|factor| factor.iter().any(|&l| present.has(l)))
    }

    fn regex(&self) -> &Regex {
        self.regex.get_or_init(|| {
            // Only the embedded rubric defers compiling, and a test compiles every
            // one of its patterns: this cannot fail.
            build("embedded rubric", &self.source).unwrap_or_else(|e| panic!("{e}"))
        })
    }
}

/// Turn text is lower-cased before matching, so a lower-case pattern needs no case
/// folding (which would double its compile time); a pattern with capitals is
/// compiled case-insensitive.
fn case_insensitive(pattern: &str) -> bool {
    pattern.chars().any(char::is_uppercase)
}

/// Compiles one pattern with size limits.
fn build(owner: &str, pattern: &str) -> Result<Regex, String> {
    RegexBuilder::new(pattern)
        .case_insensitive(case_insensitive(pattern))
        .size_limit(PATTERN_SIZE_LIMIT)
        .dfa_size_limit(PATTERN_SIZE_LIMIT)
        .build()
        .map_err(|e| {
            let reason = e
                .to_string()
                .lines()
                .last()
                .unwrap_or("")
                .trim()
                .to_string();
            format!(
                "{owner}: invalid pattern '{}': {reason}",
                shortened(pattern)
            )
        })
}

/// Characters of a pattern echoed in an error, at most: a 200,000-branch pattern
/// must not flood the terminal.
const ECHO_CHARS: usize = 80;

/// `pattern` as an error quotes it: whole when short, else its start, "…" and its
/// length.
fn shortened(pattern: &str) -> String {
    let chars = pattern.chars().count();
    if chars <= ECHO_CHARS {
        return pattern.to_string();
    }
    let start: String = pattern.chars().take(ECHO_CHARS).collect();
    format!("{start}… ({chars} characters)")
}

/// The pattern's syntax tree, as `regex` reads it; `None` when it does not parse
/// (compiling it then reports why).
fn parse(pattern: &str) -> Option<Hir> {
    regex_syntax::ParserBuilder::new()
        .case_insensitive(case_insensitive(pattern))
        .build()
        .parse(pattern)
        .ok()
}

/// Sets of literals of which every match must contain one, per set.
fn required_factors(hir: &Hir) -> Vec<Vec<Vec<u8>>> {
    let mut factors = Vec::new();
    collect_factors(hir, &mut factors);
    if factors.is_empty() {
        factors.extend(literal_factor(hir, ExtractKind::Suffix));
    }
    factors
}

fn collect_factors(hir: &Hir, factors: &mut Vec<Vec<Vec<u8>>>) {
    match hir.kind() {
        HirKind::Capture(capture) => collect_factors(&capture.sub, factors),
        HirKind::Repetition(repetition) if repetition.min > 0 => {
            collect_factors(&repetition.sub, factors)
        }
        HirKind::Concat(parts) => {
            let before = factors.len();
            for part in parts {
                collect_factors(part, factors);
            }
            if factors.len() == before {
                factors.extend(literal_factor(hir, ExtractKind::Prefix));
            }
        }
        _ => factors.extend(literal_factor(hir, ExtractKind::Prefix)),
    }
}

/// The finite set of literals every match of `hir` starts (or ends) with, when each
/// is long enough to be worth looking for.
fn literal_factor(hir: &Hir, kind: ExtractKind) -> Option<Vec<Vec<u8>>> {
    let mut extractor = Extractor::new();
    extractor.kind(kind);
    let sequence = extractor.extract(hir);
    let literals = sequence.literals()?;
    if literals.is_empty() || literals.iter().any(|l| l.len() < MIN_LITERAL_BYTES) {
        return None;
    }
    Some(literals.iter().map(|l| l.as_bytes().to_vec()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn factors(pattern: &str) -> Vec<Vec<String>> {
        required_factors(&parse(pattern).unwrap())
            .into_iter()
            .map(|f| {
                f.into_iter()
                    .map(|l| String::from_utf8(l).unwrap())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn each_required_piece_of_a_pattern_is_a_factor() {
        assert_eq!(
            factors(r"\bour \w+ (deployed|served)\b.{0,40}\bsplit"),
            vec![vec!["our "], vec!["deployed", "served"], vec!["split"]]
        );
    }

    #[test]
    fn optional_and_short_pieces_are_not_factors() {
        assert_eq!(
            factors(r"\b(we|i) (have |had )?(built|ran) it"),
            vec![vec!["built", "ran"], vec![" it"]]
        );
        assert!(factors(r"\b\d+ ?ms\b").is_empty());
    }

    #[test]
    fn the_gate_never_changes_a_result() {
        let specs = |list: &[&str]| -> Vec<(String, String, usize)> {
            list.iter()
                .enumerate()
                .map(|(i, p)| ("test".to_string(), p.to_string(), i))
                .collect()
        };
        let sources = [
            r"\bour \w+ (deployed|served)\b",
            r"\b(sigma|σ|Σ)\b",
            r"\bfit .{0,20}(whole|entire) (data|dataset)",
            r"\b\d+ ?ms\b",
            r"\bLambda\b|λ",
        ];
        let texts = [
            "our model deployed fine",
            "we fit the scaler on the whole dataset then split",
            "σ is the spread, p99 at 40 ms",
            "nothing here at all",
            "λ sets the penalty; Lambda too",
        ];
        for compile in [Compile::Now, Compile::OnFirstUse] {
            let mut gate = GateBuilder::default();
            let list = PatternList::new(specs(&sources), compile, &mut gate).unwrap();
            let gate = gate.build();
            for text in texts {
                let present = gate.scan(text);
                let gated: Vec<(usize, Range<usize>)> = list
                    .find_all(text, &present)
                    .into_iter()
                    .map(|(i, r)| (*i, r))
                    .collect();
                let plain: Vec<(usize, Range<usize>)> = sources
                    .iter()
                    .enumerate()
                    .flat_map(|(i, p)| {
                        build("test", p)
                            .unwrap()
                            .find_iter(text)
                            .map(move |m| (i, m.range()))
                            .collect::<Vec<_>>()
                    })
                    .collect();
                assert_eq!(gated, plain, "{text}");
                assert_eq!(list.is_match(text, &present), !plain.is_empty(), "{text}");
            }
        }
    }

    /// Every pattern of the default rubric, gated, finds exactly what it finds
    /// ungated, on texts built from the words its gates look for.
    mod default_rubric {
        use std::sync::OnceLock;

        use proptest::prelude::*;

        use super::super::*;
        use crate::rubric::{Rubric, DEFAULT_RUBRIC};

        struct Fixture {
            list: PatternList<usize>,
            gate: LiteralGate,
            plain: Vec<Regex>,
            words: Vec<String>,
        }

        fn fixture() -> &'static Fixture {
            static FIXTURE: OnceLock<Fixture> = OnceLock::new();
            FIXTURE.get_or_init(|| {
                let rubric: Rubric = serde_saphyr::from_str(DEFAULT_RUBRIC).unwrap();
                let production = &rubric.production_experience;
                let sources: Vec<String> = rubric
                    .concepts
                    .iter()
                    .flat_map(|c| c.patterns.clone())
                    .chain(rubric.red_flags.iter().flat_map(|f| f.patterns.clone()))
                    .chain(
                        rubric
                            .compliance
                            .rules
                            .iter()
                            .flat_map(|r| r.patterns.clone()),
                    )
                    .chain(production.did.iter().cloned())
                    .chain(production.would.iter().cloned())
                    .chain(production.denies.iter().cloned())
                    .chain(production.handed_over.iter().cloned())
                    .chain(production.asks.iter().cloned())
                    .chain(production.facts.iter().cloned())
                    .chain(production.hands_off.iter().cloned())
                    .chain(production.managing.iter().cloned())
                    .chain(production.leading.iter().cloned())
                    .collect();
                let specs = sources
                    .iter()
                    .enumerate()
                    .map(|(i, p)| ("test".to_string(), p.clone(), i))
                    .collect();
                let mut builder = GateBuilder::default();
                let list = PatternList::new(specs, Compile::OnFirstUse, &mut builder).unwrap();
                let mut words: Vec<String> = builder
                    .literals
                    .iter()
                    .filter_map(|l| String::from_utf8(l.clone()).ok())
                    .collect();
                words.extend(
                    [
                        "the", "data", "12", "99%", "ms", "σ", "λ", "^", "2", "(", ".", ",",
                    ]
                    .map(String::from),
                );
                Fixture {
                    list,
                    gate: builder.build(),
                    plain: sources.iter().map(|p| build("test", p).unwrap()).collect(),
                    words,
                }
            })
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(300))]
            #[test]
            fn gating_finds_what_every_pattern_finds(
                picks in proptest::collection::vec(any::<prop::sample::Index>(), 0..40)
            ) {
                let fixture = fixture();
                let text: String = picks
                    .iter()
                    .map(|i| fixture.words[i.index(fixture.words.len())].trim())
                    .collect::<Vec<_>>()
                    .join(" ");
                let gated: Vec<(usize, Range<usize>)> = fixture
                    .list
                    .find_all(&text, &fixture.gate.scan(&text))
                    .into_iter()
                    .map(|(i, r)| (*i, r))
                    .collect();
                let plain: Vec<(usize, Range<usize>)> = fixture
                    .plain
                    .iter()
                    .enumerate()
                    .flat_map(|(i, regex)| {
                        regex.find_iter(&text).map(move |m| (i, m.range())).collect::<Vec<_>>()
                    })
                    .collect();
                prop_assert_eq!(gated, plain, "{}", text);
            }
        }
    }

    #[test]
    fn a_bad_pattern_is_reported_with_its_owner() {
        let specs = vec![("red_flags.x".to_string(), "(unclosed".to_string(), 0)];
        let problems =
            PatternList::new(specs, Compile::OnFirstUse, &mut GateBuilder::default()).unwrap_err();
        assert!(
            problems[0].starts_with("red_flags.x: invalid pattern '(unclosed'"),
            "{problems:?}"
        );
    }

    #[test]
    fn a_huge_invalid_pattern_is_not_echoed_whole() {
        let pattern = format!("({}((", vec!["a1"; 100_000].join("|"));
        let message = build("red_flags.x", &pattern).unwrap_err();
        assert!(message.len() < 400, "{} bytes", message.len());
        assert!(message.contains("(300002 characters)"), "{message}");
    }
}
