//! The rubric: loading, validating and compiling `rubric.yaml`.
//!
//! Everything that drives a score lives in the rubric. The repository's
//! `rubric.yaml` is compiled into the binary as the default, so debrief works from
//! any directory; `--rubric FILE` replaces it. Loading validates every reference
//! and pattern and reports all problems at once. Compiling turns phrase lists into
//! Aho-Corasick automata (the lists read on whole turns also into one scan per turn,
//! `text::PhraseScan`) and patterns into size-limited regexes gated on the literals
//! they require (`patterns`). A rubric file's patterns compile at load; the embedded
//! rubric's on first use ([`load_default`]).
//!
//! Every problem names the value it is about by its [`Path`] in the YAML
//! (`recommendation.levels.staff.yes`, `red_flags[3].patterns[0]`). Only when there
//! is a problem to report is the YAML read a second time, by the same parser, into a
//! tree of the line and column of every key and value (`Places`), where each path
//! finds its line and column: loading a good rubric costs nothing more.

/// A [`Path`] from its steps: keys (`&str`, `&String`) and list indices (`usize`).
macro_rules! path {
    ($($step:expr),* $(,)?) => {
        $crate::rubric::Path::new(vec![$($crate::rubric::Step::from($step)),*])
    };
}

mod compiled;
pub mod gapped;
mod patterns;
mod schema;
mod vocabulary;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_saphyr::{Location, Spanned};
use sha2::{Digest, Sha256};

pub use compiled::{CompiledRubric, CompiledSlot, CompiledTemplate, Templates, TurnList};
pub use patterns::{Compile, LiteralGate, PatternList, PresentLiterals};
pub use schema::*;
pub use vocabulary::{Band, Dimension, QuestionKind, Recommendation, Verdict};

/// The default rubric, the repository's `rubric.yaml`.
pub const DEFAULT_RUBRIC: &str = include_str!("../../rubric.yaml");

/// A rubric that failed to load: every problem found, each on its own line,
/// prefixed with its line and column where they can be found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RubricError {
    /// The problems, one line each.
    pub problems: Vec<String>,
}

/// One finding of `rubric check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// An error stops the rubric from loading; a warning does not.
    pub error: bool,
    /// 1-based line, when found.
    pub line: Option<usize>,
    /// 1-based column (in characters), when found.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let (Some(line), Some(column)) = (self.line, self.column) {
            write!(f, "line {line}, column {column}: ")?;
        }
        write!(
            f,
            "{}: {}",
            if self.error { "error" } else { "warning" },
            self.message
        )
    }
}

impl Diagnostic {
    /// "line L, column C: message", or the message alone when it has no place.
    fn located(&self) -> String {
        match (self.line, self.column) {
            (Some(line), Some(column)) => format!("line {line}, column {column}: {}", self.message),
            _ => self.message.clone(),
        }
    }
}

/// Where a value stands in the rubric's YAML: the keys and list indices that lead to
/// it from the top, shown as `recommendation.levels.staff.yes` or
/// `red_flags[3].patterns[0]` (indices count from 0).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Path {
    steps: Vec<Step>,
    /// The last key itself is meant (a map key that names something undefined), not
    /// its value.
    key: bool,
}

/// One step of a [`Path`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// The value of a key of a mapping.
    Key(String),
    /// An item of a list.
    Index(usize),
}

impl From<&str> for Step {
    fn from(key: &str) -> Step {
        Step::Key(key.to_string())
    }
}

impl From<&String> for Step {
    fn from(key: &String) -> Step {
        Step::Key(key.clone())
    }
}

impl From<usize> for Step {
    fn from(index: usize) -> Step {
        Step::Index(index)
    }
}

impl Path {
    /// The path of these steps.
    pub fn new(steps: Vec<Step>) -> Path {
        Path { steps, key: false }
    }

    /// A path of keys written with dots (`negation.pre_triggers`).
    pub fn keys(dotted: &str) -> Path {
        Path::new(dotted.split('.').map(Step::from).collect())
    }

    /// This path, one step further.
    pub fn then(mut self, step: impl Into<Step>) -> Path {
        self.steps.push(step.into());
        self
    }

    /// The last key of this path itself rather than its value.
    pub fn key_itself(mut self) -> Path {
        self.key = true;
        self
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.steps.iter().enumerate() {
            match step {
                Step::Key(key) if i == 0 => f.write_str(key)?,
                Step::Key(key) => write!(f, ".{key}")?,
                Step::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

/// A problem of a rubric and the value it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The value at fault; the empty path when the problem is the whole rubric's.
    pub at: Path,
    /// What is wrong, starting with the section (`concepts: duplicate id 'x'`).
    pub message: String,
}

impl Problem {
    /// A problem with the value at `at`.
    pub fn new(at: Path, message: impl Into<String>) -> Problem {
        Problem {
            at,
            message: message.into(),
        }
    }
}

/// Every problem of a rubric at once: YAML syntax and schema (the first one serde
/// meets), references, ids, thresholds and patterns as errors; a dimension nothing
/// feeds and a phrase that is both a concept term and a red flag as warnings.
pub fn check(yaml: &str) -> Vec<Diagnostic> {
    let rubric: Rubric = match serde_saphyr::from_str(yaml) {
        Ok(rubric) => rubric,
        Err(e) => return vec![schema_error(yaml, &e)],
    };
    let (errors, warnings) = validate(&rubric);
    let mut errors = errors;
    if errors.is_empty() {
        if let Err(problems) = CompiledRubric::compile(rubric, String::new(), Compile::Now) {
            errors = problems;
        }
    }
    place(yaml, errors, warnings)
}

/// The diagnostics of `errors` and `warnings`, each at the line and column of its
/// value.
fn place(yaml: &str, errors: Vec<Problem>, warnings: Vec<Problem>) -> Vec<Diagnostic> {
    if errors.is_empty() && warnings.is_empty() {
        return Vec::new();
    }
    let places = Places::read(yaml);
    let diagnostic = |error: bool, problem: Problem| {
        let at = places.as_ref().and_then(|p| p.find(&problem.at));
        Diagnostic {
            error,
            line: at.map(|l| l.line() as usize),
            column: at.map(|l| l.column() as usize),
            message: problem.message,
        }
    };
    errors
        .into_iter()
        .map(|p| diagnostic(true, p))
        .chain(warnings.into_iter().map(|p| diagnostic(false, p)))
        .collect()
}

impl fmt::Display for RubricError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.problems.join("\n"))
    }
}

impl std::error::Error for RubricError {}

/// Parses, validates and compiles a rubric from YAML text, every pattern included.
pub fn load(yaml: &str) -> Result<CompiledRubric, RubricError> {
    load_with(yaml, Compile::Now)
}

/// The embedded default rubric, its patterns compiled on first use: a run compiles
/// only the patterns its transcripts need. `the_default_rubric_loads` compiles all
/// of them, so none can fail later.
pub fn load_default() -> Result<CompiledRubric, RubricError> {
    load_with(DEFAULT_RUBRIC, Compile::OnFirstUse)
}

fn load_with(yaml: &str, compile: Compile) -> Result<CompiledRubric, RubricError> {
    let rubric: Rubric = serde_saphyr::from_str(yaml).map_err(|e| RubricError {
        problems: vec![schema_error(yaml, &e).located()],
    })?;
    let (problems, warnings) = validate(&rubric);
    let located = |problems: Vec<Problem>| RubricError {
        problems: place(yaml, problems, Vec::new())
            .iter()
            .map(Diagnostic::located)
            .collect(),
    };
    if !problems.is_empty() {
        return Err(located(problems));
    }
    let sha256 = format!("{:x}", Sha256::digest(yaml.as_bytes()));
    let mut compiled = CompiledRubric::compile(rubric, sha256, compile).map_err(located)?;
    compiled.warnings = place(yaml, Vec::new(), warnings)
        .iter()
        .map(Diagnostic::located)
        .collect();
    Ok(compiled)
}

/// The diagnostic of a rubric serde refused: at serde's line and column, naming the
/// key there and, for a value of the wrong type, the type expected and the value
/// found; an unknown key or value with the known one it is closest to.
fn schema_error(yaml: &str, error: &serde_saphyr::Error) -> Diagnostic {
    use serde_saphyr::Error as E;
    // Where the value is used (an alias: the `*name`), and what is wrong with it.
    let mut location = error.location();
    let kind = original_error(error);
    // Only a document the parser reads whole has places; a syntax error has none.
    let places = location.and_then(|_| Places::read(yaml));
    let found = places
        .as_ref()
        .zip(location)
        .and_then(|(places, at)| places.at(at));
    let (path, node) = match &found {
        Some((path, node)) => (path.to_string(), Some(*node)),
        None => (String::new(), None),
    };
    // A missing key is missing from a mapping: point at the mapping's own key, not
    // at the last key the parser read in it.
    if let (E::SerdeMissingField { .. }, Some(places), Some((at, _))) = (kind, &places, &found) {
        location = places.find(at).or(location);
    }
    let prefix = if path.is_empty() {
        String::new()
    } else {
        format!("{path}: ")
    };
    let found_text = |fallback: Option<&str>| match (node, fallback) {
        (Some(node), _) => format!(", found {}", node.describe(yaml)),
        (None, Some(unexpected)) => format!(", found {unexpected}"),
        (None, None) => String::new(),
    };
    let message = match kind {
        E::SerdeUnknownField {
            field, expected, ..
        } => format!(
            "{prefix}unknown key '{field}'{}",
            suggestion(field, expected)
        ),
        E::SerdeUnknownVariant {
            variant, expected, ..
        } => format!(
            "{prefix}unknown value '{variant}'{}",
            suggestion(variant, expected)
        ),
        E::SerdeMissingField { field, .. } => format!("{prefix}missing key '{field}'"),
        E::InvalidScalar { ty, .. } => {
            format!("{prefix}expected {}{}", expected_type(ty), found_text(None))
        }
        E::Unexpected { expected, .. } => {
            format!(
                "{prefix}expected {}{}",
                expected_type(expected),
                found_text(None)
            )
        }
        E::SerdeInvalidType {
            unexpected,
            expected,
            ..
        }
        | E::SerdeInvalidValue {
            unexpected,
            expected,
            ..
        } => format!(
            "{prefix}expected {}{}",
            expected_type(expected),
            found_text(Some(unexpected))
        ),
        _ => format!("{prefix}{}", crate::transcript::yaml_message(error)),
    };
    Diagnostic {
        error: true,
        line: location.map(|l| l.line() as usize),
        column: location.map(|l| l.column() as usize),
        message,
    }
}

/// The error under any alias or snippet wrapping.
fn original_error(mut error: &serde_saphyr::Error) -> &serde_saphyr::Error {
    while let serde_saphyr::Error::AliasError { error: inner, .. }
    | serde_saphyr::Error::WithSnippet { error: inner, .. } = error
    {
        error = inner;
    }
    error
}

/// ", did you mean 'x'?" for the closest of `known`, else the list of them.
fn suggestion(unknown: &str, known: &[&str]) -> String {
    let closest = did_you_mean(unknown, known.iter().copied());
    if !closest.is_empty() || known.is_empty() {
        return closest;
    }
    format!(" (expected one of {})", known.join(", "))
}

/// What a type serde or the parser names (`f64`, `u8`, `sequence start`, `struct
/// LevelRule`) means to someone writing YAML.
fn expected_type(name: &str) -> String {
    let plain = match name {
        "f32" | "f64" | "floating point" => "a number",
        "u8" => "a whole number from 0 to 255",
        "u16" | "u32" | "u64" | "u128" | "usize" => "a whole number, 0 or more",
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => "a whole number",
        "boolean" | "bool" | "a boolean" => "true or false",
        "string scalar" | "a string" | "a borrowed string" | "string" => "a string",
        "scalar" => "a single value",
        "sequence start" | "a sequence" | "sequence" => "a list",
        "mapping start" | "a map" | "map" => "a mapping (key: value)",
        other if other.starts_with("struct ") => "a mapping (key: value)",
        other => other,
    };
    plain.to_string()
}

/// Where every key and value of a rubric's YAML stands: the YAML read into a tree by
/// the parser that reads the rubric, so anchors, aliases and merge keys resolve the
/// same way and each line and column is the parser's own (in characters).
struct Places(Node);

/// A value and where it stands.
struct Node {
    /// Where the value is used (an alias: the `*name`).
    at: Location,
    /// Where the value is written (an alias: its anchor).
    defined: Location,
    body: Body,
}

enum Body {
    Scalar(Scalar),
    List(Vec<Node>),
    Map(Vec<Entry>),
}

/// One key of a mapping, where it stands, and its value.
struct Entry {
    key: String,
    at: Location,
    value: Node,
}

/// A single value: what kind, and its text as the parser read it.
struct Scalar {
    kind: ScalarKind,
    text: String,
}

#[derive(Clone, Copy)]
enum ScalarKind {
    Text,
    Number,
    Bool,
    Null,
}

impl Places {
    /// The places of `yaml`; `None` when it does not parse (a syntax error).
    fn read(yaml: &str) -> Option<Places> {
        serde_saphyr::from_str::<Node>(yaml).ok().map(Places)
    }

    /// The line and column of the value at `path`: of the value when it is a single
    /// value, of its key when it is a mapping or a list or the path means the key
    /// itself, of the item when it is a list's. A path that goes further than the
    /// YAML (to a key left out for its default) stops at the last value it reaches.
    fn find(&self, path: &Path) -> Option<Location> {
        let mut node = &self.0;
        let mut key_at = None;
        for (depth, step) in path.steps.iter().enumerate() {
            let next = match (step, &node.body) {
                (Step::Key(key), Body::Map(entries)) => entries
                    .iter()
                    .find(|e| e.key == *key)
                    .map(|e| (Some(e.at), &e.value)),
                (Step::Index(index), Body::List(items)) => items.get(*index).map(|i| (None, i)),
                _ => None,
            };
            match next {
                Some((at, value)) => (key_at, node) = (at, value),
                None if depth == 0 => return None,
                None => return Some(node.spot(key_at, false)),
            }
        }
        if path.steps.is_empty() {
            return None;
        }
        Some(node.spot(key_at, path.key))
    }

    /// The path of the value at `location` (of the mapping, when a key stands there)
    /// and the value.
    fn at(&self, location: Location) -> Option<(Path, &Node)> {
        fn search<'n>(
            node: &'n Node,
            same: &dyn Fn(Location) -> bool,
            steps: &mut Vec<Step>,
        ) -> Option<&'n Node> {
            if same(node.at) || same(node.defined) {
                return Some(node);
            }
            match &node.body {
                Body::Scalar(_) => None,
                Body::List(items) => items.iter().enumerate().find_map(|(index, item)| {
                    steps.push(Step::Index(index));
                    let found = search(item, same, steps);
                    if found.is_none() {
                        steps.pop();
                    }
                    found
                }),
                Body::Map(entries) => {
                    if entries.iter().any(|e| same(e.at)) {
                        return Some(node);
                    }
                    entries.iter().find_map(|entry| {
                        steps.push(Step::Key(entry.key.clone()));
                        let found = search(&entry.value, same, steps);
                        if found.is_none() {
                            steps.pop();
                        }
                        found
                    })
                }
            }
        }
        let same = |at: Location| at.line() == location.line() && at.column() == location.column();
        let mut steps = Vec::new();
        let node = search(&self.0, &same, &mut steps)?;
        Some((Path::new(steps), node))
    }
}

impl Node {
    /// Where a problem with this value points: see [`Places::find`].
    fn spot(&self, key_at: Option<Location>, key: bool) -> Location {
        match (&self.body, key_at) {
            (Body::Scalar(_), Some(at)) if key => at,
            (Body::Scalar(_), _) => self.at,
            (_, Some(at)) => at,
            (_, None) => self.at,
        }
    }

    /// The value as a message names it: `a string "high"`, `the number 300`.
    fn describe(&self, yaml: &str) -> String {
        let Body::Scalar(scalar) = &self.body else {
            return match self.body {
                Body::List(_) => "a list",
                _ => "a mapping",
            }
            .to_string();
        };
        // Numbers and booleans as written (`1e3`, `yes`), where the text is at hand.
        let span = self.defined.span();
        let written = span
            .byte_offset()
            .zip(span.byte_len())
            .and_then(|(start, len)| yaml.get(start as usize..(start + len) as usize))
            .unwrap_or(&scalar.text);
        match scalar.kind {
            ScalarKind::Text => format!("a string \"{}\"", shortened(&scalar.text)),
            ScalarKind::Number => format!("the number {written}"),
            ScalarKind::Bool => format!("the boolean {written}"),
            ScalarKind::Null => "an empty value".to_string(),
        }
    }
}

/// Text as a message quotes it: at most 40 characters.
fn shortened(text: &str) -> String {
    const MOST: usize = 40;
    if text.chars().count() <= MOST {
        return text.to_string();
    }
    let start: String = text.chars().take(MOST).collect();
    format!("{start}…")
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Node, D::Error> {
        let spanned = Spanned::<Body>::deserialize(deserializer)?;
        Ok(Node {
            at: spanned.referenced,
            defined: spanned.defined,
            body: spanned.value,
        })
    }
}

impl<'de> Deserialize<'de> for Body {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Body, D::Error> {
        deserializer.deserialize_any(BodyVisitor)
    }
}

struct BodyVisitor;

impl BodyVisitor {
    fn scalar<E>(kind: ScalarKind, text: impl fmt::Display) -> Result<Body, E> {
        Ok(Body::Scalar(Scalar {
            kind,
            text: text.to_string(),
        }))
    }
}

impl<'de> Visitor<'de> for BodyVisitor {
    type Value = Body;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Body, E> {
        Self::scalar(ScalarKind::Bool, v)
    }

    fn visit_i64<E>(self, v: i64) -> Result<Body, E> {
        Self::scalar(ScalarKind::Number, v)
    }

    fn visit_u64<E>(self, v: u64) -> Result<Body, E> {
        Self::scalar(ScalarKind::Number, v)
    }

    fn visit_i128<E>(self, v: i128) -> Result<Body, E> {
        Self::scalar(ScalarKind::Number, v)
    }

    fn visit_u128<E>(self, v: u128) -> Result<Body, E> {
        Self::scalar(ScalarKind::Number, v)
    }

    fn visit_f64<E>(self, v: f64) -> Result<Body, E> {
        Self::scalar(ScalarKind::Number, v)
    }

    fn visit_str<E>(self, v: &str) -> Result<Body, E> {
        Self::scalar(ScalarKind::Text, v)
    }

    fn visit_bytes<E>(self, v: &[u8]) -> Result<Body, E> {
        Self::scalar(ScalarKind::Text, String::from_utf8_lossy(v))
    }

    fn visit_unit<E>(self) -> Result<Body, E> {
        Self::scalar(ScalarKind::Null, "")
    }

    fn visit_none<E>(self) -> Result<Body, E> {
        Self::scalar(ScalarKind::Null, "")
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Body, D::Error> {
        Body::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Body, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Node>()? {
            items.push(item);
        }
        Ok(Body::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Body, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<Key>>()? {
            entries.push(Entry {
                key: key.value.0,
                at: key.referenced,
                value: map.next_value()?,
            });
        }
        Ok(Body::Map(entries))
    }
}

/// A mapping key as its text, as serde reads a struct's field names (`yes` is the
/// key "yes", not true).
struct Key(String);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Key, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }

            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }

            fn visit_unit<E: de::Error>(self) -> Result<Key, E> {
                Ok(Key(String::new()))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// ", did you mean 'x'?" for the known name closest to `unknown` (by edit distance,
/// a swap of two letters counting one, at most a third of its length), or nothing.
fn did_you_mean<'a>(unknown: &str, known: impl Iterator<Item = &'a str>) -> String {
    fn distance(a: &str, b: &str) -> usize {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        // Optimal string alignment: Levenshtein plus adjacent transpositions.
        let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
        for (i, row) in rows.iter_mut().enumerate() {
            row[0] = i;
        }
        rows[0] = (0..=b.len()).collect();
        for i in 1..=a.len() {
            for j in 1..=b.len() {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut best = (rows[i - 1][j] + 1)
                    .min(rows[i][j - 1] + 1)
                    .min(rows[i - 1][j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    best = best.min(rows[i - 2][j - 2] + 1);
                }
                rows[i][j] = best;
            }
        }
        rows[a.len()][b.len()]
    }
    known
        .map(|k| (distance(unknown, k), k))
        .filter(|(d, _)| *d <= unknown.chars().count().div_ceil(3))
        .min()
        .map_or(String::new(), |(_, k)| format!(", did you mean '{k}'?"))
}

/// Checks references, ids and thresholds; returns every error and warning found,
/// each at the value it is about.
fn validate(rubric: &Rubric) -> (Vec<Problem>, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    let template_ids = || rubric.compliance.templates.iter().map(|t| t.id.as_str());
    let flag_ids = || rubric.red_flags.iter().map(|r| r.id.as_str());
    let has_template = |id: &str| template_ids().any(|t| t == id);
    let has_flag = |id: &str| flag_ids().any(|r| r == id);
    // Dimension names are a closed set (`Dimension`): serde has already rejected an
    // unknown one wherever it appears, so only the list itself needs checking.
    let defined: BTreeSet<Dimension> = rubric.dimensions.iter().map(|d| d.id).collect();
    for required in Dimension::ALL {
        if !defined.contains(&required) {
            problems.push(Problem::new(
                path!["dimensions"],
                format!("dimensions: '{required}' is missing"),
            ));
        }
    }
    for (i, dimension) in rubric.dimensions.iter().enumerate() {
        if dimension.full_credit <= 0.0 {
            problems.push(Problem::new(
                path!["dimensions", i, "full_credit"],
                format!("dimensions: '{}' full_credit must be above 0", dimension.id),
            ));
        }
    }
    duplicates(
        "dimensions",
        rubric.dimensions.iter().map(|d| d.id.key()),
        &mut problems,
    );
    duplicates(
        "concepts",
        rubric.concepts.iter().map(|c| c.id.as_str()),
        &mut problems,
    );
    duplicates("red_flags", flag_ids(), &mut problems);
    duplicates(
        "compliance.rules",
        rubric.compliance.rules.iter().map(|r| r.id.as_str()),
        &mut problems,
    );
    duplicates("compliance.templates", template_ids(), &mut problems);

    let mut fed: BTreeSet<Dimension> = BTreeSet::new();
    fed.insert(rubric.communication.dimension);
    let mut term_owner: BTreeMap<String, &str> = BTreeMap::new();
    for (i, concept) in rubric.concepts.iter().enumerate() {
        if concept.terms.is_empty() && concept.patterns.is_empty() {
            problems.push(Problem::new(
                path!["concepts", i],
                format!("concepts: '{}' has no terms or patterns", concept.id),
            ));
        }
        fed.extend(concept.dimensions.iter().copied());
        for (j, term) in concept.terms.iter().enumerate() {
            let key = crate::text::normalize_phrase(term);
            if let Some(owner) = term_owner.insert(key, &concept.id) {
                problems.push(Problem::new(
                    path!["concepts", i, "terms", j],
                    format!(
                        "concepts: term '{term}' belongs to both '{owner}' and '{}'",
                        concept.id
                    ),
                ));
            }
        }
    }
    for (i, flag) in rubric.red_flags.iter().enumerate() {
        if flag.phrases.is_empty() && flag.patterns.is_empty() {
            problems.push(Problem::new(
                path!["red_flags", i],
                format!("red_flags: '{}' has no phrases or patterns", flag.id),
            ));
        }
        for (j, phrase) in flag.phrases.iter().enumerate() {
            if let Some(owner) = term_owner.get(&crate::text::normalize_phrase(phrase)) {
                warnings.push(Problem::new(
                    path!["red_flags", i, "phrases", j],
                    format!(
                        "red_flags: phrase '{phrase}' of '{}' is also a term of concept '{owner}'",
                        flag.id
                    ),
                ));
            }
        }
    }
    for (i, dimension) in rubric.dimensions.iter().enumerate() {
        if !fed.contains(&dimension.id) {
            warnings.push(Problem::new(
                path!["dimensions", i, "id"],
                format!(
                    "dimensions: nothing feeds '{}' (no concept names it)",
                    dimension.id
                ),
            ));
        }
    }
    let rule = &rubric.recommendation;
    if rule.weights.values().sum::<f64>() <= 0.0 {
        problems.push(Problem::new(
            path!["recommendation", "weights"],
            "recommendation.weights: the weights must add up to more than 0",
        ));
    }
    if !rule.levels.contains_key(&rule.default_level) {
        problems.push(Problem::new(
            path!["recommendation", "default_level"],
            format!(
                "recommendation.default_level: '{}' is not one of the levels{}",
                rule.default_level,
                did_you_mean(&rule.default_level, rule.levels.keys().map(String::as_str))
            ),
        ));
    }
    for (name, level) in &rule.levels {
        const ORDER: [&str; 4] = ["no", "neutral", "yes", "strong_yes"];
        let ordered = [level.no, level.neutral, level.yes, level.strong_yes];
        // The first threshold below the one before it.
        if let Some(at) = ordered.windows(2).position(|pair| pair[0] > pair[1]) {
            problems.push(Problem::new(
                path!["recommendation", "levels", name, ORDER[at + 1]],
                format!(
                    "recommendation.levels.{name}: thresholds must rise from no to neutral, yes, strong_yes"
                ),
            ));
        }
        for (dimension, minimum) in &level.minimum_for_yes {
            if !(1..=5).contains(minimum) {
                problems.push(Problem::new(
                    path![
                        "recommendation",
                        "levels",
                        name,
                        "minimum_for_yes",
                        dimension.key()
                    ],
                    format!(
                        "recommendation.levels.{name}.minimum_for_yes.{dimension}: must be 1-5"
                    ),
                ));
            }
        }
    }
    duplicates(
        "questions.bank",
        rubric.questions.bank.iter().map(|q| q.id.as_str()),
        &mut problems,
    );
    let phase_numbers: Vec<u8> = rubric.phases.iter().map(|p| p.number).collect();
    if phase_numbers != [1, 2, 3, 4] {
        // The first phase out of place, else (too few) the list.
        let at = match phase_numbers
            .iter()
            .zip(1..)
            .position(|(&number, expected)| number != expected || expected > 4)
        {
            Some(i) => path!["phases", i, "number"],
            None => path!["phases"],
        };
        problems.push(Problem::new(
            at,
            "phases: expected phases 1, 2, 3 and 4 in order",
        ));
    }
    let overlap = rubric
        .phases
        .windows(2)
        .position(|w| w[0].end_minute > w[1].start_minute || w[0].start_minute >= w[0].end_minute);
    if let Some(i) = overlap {
        let phase = &rubric.phases[i];
        let at = if phase.start_minute >= phase.end_minute {
            path!["phases", i, "end_minute"]
        } else {
            path!["phases", i + 1, "start_minute"]
        };
        problems.push(Problem::new(
            at,
            "phases: minutes must rise and not overlap",
        ));
    }
    for (i, question) in rubric.questions.bank.iter().enumerate() {
        if !(1..=4).contains(&question.phase) {
            problems.push(Problem::new(
                path!["questions", "bank", i, "phase"],
                format!("questions.bank: '{}' phase must be 1-4", question.id),
            ));
        }
        if question.expected.is_empty() || question.cues.is_empty() {
            let empty = if question.cues.is_empty() {
                "cues"
            } else {
                "expected"
            };
            problems.push(Problem::new(
                path!["questions", "bank", i, empty],
                format!(
                    "questions.bank: '{}' needs cues and expected points",
                    question.id
                ),
            ));
        }
    }
    let bands = &rubric.exchanges;
    let percent = 0.0..=100.0;
    if !percent.contains(&bands.incomplete)
        || !percent.contains(&bands.high)
        || bands.incomplete > bands.high
    {
        let wrong = if percent.contains(&bands.incomplete) && !percent.contains(&bands.high) {
            "high"
        } else {
            "incomplete"
        };
        problems.push(Problem::new(
            path!["exchanges", wrong],
            "exchanges: need 0 <= incomplete <= high <= 100",
        ));
    }
    if !(0.0..=1.0).contains(&bands.interviewer_verdict_weight) {
        problems.push(Problem::new(
            path!["exchanges", "interviewer_verdict_weight"],
            "exchanges.interviewer_verdict_weight: must be 0-1",
        ));
    }
    for template in bands.verdict_values.keys() {
        if !has_template(template) {
            problems.push(Problem::new(
                path!["exchanges", "verdict_values", template].key_itself(),
                format!(
                    "exchanges.verdict_values: undefined template '{template}'{}",
                    did_you_mean(template, template_ids())
                ),
            ));
        }
    }
    let derived = &rubric.derived_red_flags;
    for (key, flag) in [
        ("failed_math_prompt", &derived.failed_math_prompt.red_flag),
        (
            "no_production_content",
            &derived.no_production_content.red_flag,
        ),
    ] {
        if !has_flag(flag) {
            problems.push(Problem::new(
                path!["derived_red_flags", key, "red_flag"],
                format!(
                    "derived_red_flags.{key}: undefined red flag '{flag}'{}",
                    did_you_mean(flag, flag_ids())
                ),
            ));
        }
    }
    for (i, missed) in derived.missed_points.iter().enumerate() {
        let at = |key: &str| path!["derived_red_flags", "missed_points", i, key];
        let bank = &rubric.questions.bank;
        match bank.iter().find(|q| q.id == missed.question) {
            None => problems.push(Problem::new(
                at("question"),
                format!(
                    "derived_red_flags.missed_points: undefined question '{}'{}",
                    missed.question,
                    did_you_mean(&missed.question, bank.iter().map(|q| q.id.as_str()))
                ),
            )),
            Some(question) if !question.expected.iter().any(|p| p.point == missed.point) => {
                problems.push(Problem::new(
                    at("point"),
                    format!(
                        "derived_red_flags.missed_points: '{}' has no expected point '{}'{}",
                        missed.question,
                        missed.point,
                        did_you_mean(
                            &missed.point,
                            question.expected.iter().map(|p| p.point.as_str())
                        )
                    ),
                ))
            }
            Some(_) => {}
        }
        if !has_flag(&missed.red_flag) {
            problems.push(Problem::new(
                at("red_flag"),
                format!(
                    "derived_red_flags.missed_points: undefined red flag '{}'{}",
                    missed.red_flag,
                    did_you_mean(&missed.red_flag, flag_ids())
                ),
            ));
        }
    }
    // A pattern that matches the empty string would flag every sentence it reads.
    let flagging = rubric
        .red_flags
        .iter()
        .enumerate()
        .flat_map(|(i, f)| {
            f.patterns.iter().enumerate().map(move |(j, p)| {
                (
                    format!("red_flags.{}", f.id),
                    path!["red_flags", i, "patterns", j],
                    p,
                )
            })
        })
        .chain(
            rubric
                .compliance
                .rules
                .iter()
                .enumerate()
                .flat_map(|(i, r)| {
                    r.patterns.iter().enumerate().map(move |(j, p)| {
                        (
                            format!("compliance.rules.{}", r.id),
                            path!["compliance", "rules", i, "patterns", j],
                            p,
                        )
                    })
                }),
        );
    for (owner, at, pattern) in flagging {
        let empty =
            regex_syntax::parse(pattern).is_ok_and(|hir| hir.properties().minimum_len() == Some(0));
        if empty {
            problems.push(Problem::new(
                at,
                format!(
                    "{owner}: pattern '{pattern}' matches the empty string, so it would match every sentence"
                ),
            ));
        }
    }
    let facts = &rubric.facts;
    let term_lists = facts
        .subjects
        .iter()
        .enumerate()
        .map(|(i, t)| {
            (
                format!("facts.{}", t.id),
                path!["facts", "subjects", i, "terms"],
                &t.terms,
            )
        })
        .chain(facts.properties.iter().enumerate().map(|(i, t)| {
            (
                format!("facts.{}", t.id),
                path!["facts", "properties", i, "terms"],
                &t.terms,
            )
        }))
        .chain(
            rubric
                .derived_red_flags
                .answers
                .iter()
                .enumerate()
                .flat_map(|(i, rule)| {
                    [
                        ("question_cues", &rule.question_cues),
                        ("answer_terms", &rule.answer_terms),
                        ("unless_terms", &rule.unless_terms),
                    ]
                    .map(|(key, list)| {
                        (
                            format!("derived_red_flags.answers.{}", rule.red_flag),
                            path!["derived_red_flags", "answers", i, key],
                            list,
                        )
                    })
                }),
        );
    for (owner, at, terms) in term_lists {
        for (j, term) in terms.iter().enumerate() {
            if gapped::misplaced_stem(term) {
                problems.push(Problem::new(
                    at.clone().then(j),
                    format!(
                        "{owner}: in '{term}' a '*' must end a piece of the term ('need* .. scal*')"
                    ),
                ));
            }
        }
    }
    duplicates(
        "facts.subjects",
        facts.subjects.iter().map(|t| t.id.as_str()),
        &mut problems,
    );
    duplicates(
        "facts.properties",
        facts.properties.iter().map(|t| t.id.as_str()),
        &mut problems,
    );
    let mut stated: BTreeMap<(&str, &str), bool> = BTreeMap::new();
    let subjects: Vec<&str> = facts.subjects.iter().map(|t| t.id.as_str()).collect();
    let properties: Vec<&str> = facts.properties.iter().map(|t| t.id.as_str()).collect();
    for (i, claim) in facts.claims.iter().enumerate() {
        if !subjects.contains(&claim.subject.as_str()) {
            problems.push(Problem::new(
                path!["facts", "claims", i, "subject"],
                format!(
                    "facts.claims: unknown subject '{}'{}",
                    claim.subject,
                    did_you_mean(&claim.subject, subjects.iter().copied())
                ),
            ));
        }
        if !properties.contains(&claim.property.as_str()) {
            problems.push(Problem::new(
                path!["facts", "claims", i, "property"],
                format!(
                    "facts.claims: unknown property '{}'{}",
                    claim.property,
                    did_you_mean(&claim.property, properties.iter().copied())
                ),
            ));
        }
        match stated.insert((&claim.subject, &claim.property), claim.holds) {
            Some(before) if before != claim.holds => problems.push(Problem::new(
                path!["facts", "claims", i, "holds"],
                format!(
                    "facts.claims: '{}' / '{}' is said both to hold and not to hold",
                    claim.subject, claim.property
                ),
            )),
            Some(_) => problems.push(Problem::new(
                path!["facts", "claims", i],
                format!(
                    "facts.claims: '{}' / '{}' is listed twice",
                    claim.subject, claim.property
                ),
            )),
            None => {}
        }
    }
    for (i, rule) in derived.corrections.flags.iter().enumerate() {
        let at = |key: &str| path!["derived_red_flags", "corrections", "flags", i, key];
        if !has_flag(&rule.red_flag) {
            problems.push(Problem::new(
                at("red_flag"),
                format!(
                    "derived_red_flags.corrections: undefined red flag '{}'{}",
                    rule.red_flag,
                    did_you_mean(&rule.red_flag, flag_ids())
                ),
            ));
        }
        if rule.cues.is_empty() {
            problems.push(Problem::new(
                at("cues"),
                format!(
                    "derived_red_flags.corrections: the rule for '{}' needs cues",
                    rule.red_flag
                ),
            ));
        }
    }
    for (i, template) in derived.corrections.verdicts.iter().enumerate() {
        if !has_template(template) {
            problems.push(Problem::new(
                path!["derived_red_flags", "corrections", "verdicts", i],
                format!(
                    "derived_red_flags.corrections.verdicts: undefined template '{template}'{}",
                    did_you_mean(template, template_ids())
                ),
            ));
        }
    }
    for (i, rule) in derived.answers.iter().enumerate() {
        let at = |key: &str| path!["derived_red_flags", "answers", i, key];
        if !has_flag(&rule.red_flag) {
            problems.push(Problem::new(
                at("red_flag"),
                format!(
                    "derived_red_flags.answers: undefined red flag '{}'{}",
                    rule.red_flag,
                    did_you_mean(&rule.red_flag, flag_ids())
                ),
            ));
        }
        if rule.question_cues.is_empty() || rule.answer_terms.is_empty() {
            let empty = if rule.question_cues.is_empty() {
                "question_cues"
            } else {
                "answer_terms"
            };
            problems.push(Problem::new(
                at(empty),
                format!(
                    "derived_red_flags.answers: the rule for '{}' needs question_cues and answer_terms",
                    rule.red_flag
                ),
            ));
        }
    }
    for (i, flag) in rubric.coverage.unchallenged_red_flags.iter().enumerate() {
        if !has_flag(&flag.red_flag) {
            problems.push(Problem::new(
                path!["coverage", "unchallenged_red_flags", i, "red_flag"],
                format!(
                    "coverage.unchallenged_red_flags: '{}' names undefined red flag '{}'{}",
                    flag.id,
                    flag.red_flag,
                    did_you_mean(&flag.red_flag, flag_ids())
                ),
            ));
        }
    }
    for (i, template) in rubric.coverage.challenging_templates.iter().enumerate() {
        if !has_template(template) {
            problems.push(Problem::new(
                path!["coverage", "challenging_templates", i],
                format!(
                    "coverage.challenging_templates: undefined template '{template}'{}",
                    did_you_mean(template, template_ids())
                ),
            ));
        }
    }
    for (i, template) in rubric.compliance.templates.iter().enumerate() {
        let slots = path!["compliance", "templates", i, "slots"];
        match template.slots.first() {
            Some(slot) if slot.literal.is_some() => {}
            first => problems.push(Problem::new(
                match first {
                    Some(_) => slots.clone().then(0),
                    None => slots.clone(),
                },
                format!(
                    "compliance.templates: '{}' must start with a literal slot",
                    template.id
                ),
            )),
        }
        for (j, slot) in template.slots.iter().enumerate() {
            if slot.literal.is_some() == slot.text.is_some() {
                problems.push(Problem::new(
                    slots.clone().then(j),
                    format!(
                        "compliance.templates: each slot of '{}' needs exactly one of literal or text",
                        template.id
                    ),
                ));
            }
        }
    }
    let speakers = &rubric.speakers;
    if !(speakers.min_confidence > 0.0 && speakers.min_confidence <= 1.0) {
        problems.push(Problem::new(
            path!["speakers", "min_confidence"],
            format!(
                "speakers: min_confidence must be above 0 and at most 1, found {}",
                speakers.min_confidence
            ),
        ));
    }
    if speakers.min_signal_turns == 0 {
        problems.push(Problem::new(
            path!["speakers", "min_signal_turns"],
            "speakers: min_signal_turns must be at least 1",
        ));
    }
    (problems, warnings)
}

/// "duplicate id" for each id of `section` (a list of items with an `id`, written
/// with dots: `compliance.rules`) seen before, at the repeat.
fn duplicates<'a>(section: &str, ids: impl Iterator<Item = &'a str>, problems: &mut Vec<Problem>) {
    let mut seen = BTreeSet::new();
    for (i, id) in ids.enumerate() {
        if !seen.insert(id) {
            problems.push(Problem::new(
                Path::keys(section).then(i).then("id"),
                format!("{section}: duplicate id '{id}'"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Compiles every pattern of the embedded rubric: what lets [`load_default`]
    /// compile them on first use.
    #[test]
    fn the_default_rubric_loads() {
        let rubric = load(DEFAULT_RUBRIC).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(rubric.sha256.len(), 64);
        assert!(rubric.warnings.is_empty(), "{:?}", rubric.warnings);
        let lazy = load_default().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(lazy.sha256, rubric.sha256);
    }

    /// `DEFAULT_RUBRIC` with its first `from` replaced by `to`.
    fn broken(from: &str, to: &str) -> String {
        assert!(
            DEFAULT_RUBRIC.contains(from),
            "'{from}' is not in rubric.yaml"
        );
        DEFAULT_RUBRIC.replacen(from, to, 1)
    }

    /// "line L, column C: " for the `^` of `marker`, found in `yaml` without the `^`
    /// (the column in characters, as the parser counts).
    fn spot(yaml: &str, marker: &str) -> String {
        let caret = marker.find('^').expect("the marker has a ^");
        let needle = marker.replace('^', "");
        let found = yaml
            .find(&needle)
            .unwrap_or_else(|| panic!("'{needle}' is not in the rubric"));
        let offset = found + caret;
        let line = yaml[..offset].matches('\n').count() + 1;
        let line_start = yaml[..offset].rfind('\n').map_or(0, |nl| nl + 1);
        let column = yaml[line_start..offset].chars().count() + 1;
        format!("line {line}, column {column}: ")
    }

    /// One broken rubric: replace `from` by `to`; `load` must report `message` at
    /// the `^` of `marker` (a message ending in "…": one that starts so).
    type Case<'a> = (&'a str, &'a str, &'a str, &'a str);

    fn assert_reported(cases: &[Case<'_>]) {
        for (from, to, marker, message) in cases {
            let yaml = broken(from, to);
            let expected = format!("{}{message}", spot(&yaml, marker));
            let problems = match load(&yaml) {
                Ok(_) => panic!("the rubric with '{to}' loaded"),
                Err(e) => e.problems,
            };
            let reported = match expected.strip_suffix('…') {
                Some(start) => problems.iter().any(|p| p.starts_with(start)),
                None => problems.contains(&expected),
            };
            assert!(
                reported,
                "expected\n  {expected}\namong\n  {}",
                problems.join("\n  ")
            );
        }
    }

    /// What serde refuses: an unknown key or value with the closest known one, a
    /// wrong type with its key, the type expected and the value found.
    #[test]
    fn schema_errors_name_the_key_the_type_and_the_closest_name() {
        assert_reported(&[
            (
                "name: ml-interview-guide",
                "nmae: ml-interview-guide",
                "^nmae:",
                "unknown key 'nmae', did you mean 'name'?",
            ),
            (
                "\n      strong_yes: ",
                "\n      strong_yess: ",
                "\n      ^strong_yess",
                "recommendation.levels.senior: unknown key 'strong_yess', did you mean \
                 'strong_yes'?",
            ),
            (
                "\n      strong_yes: ",
                "\n      min_overall: 4\n      strong_yes: ",
                "^min_overall: 4",
                "recommendation.levels.senior: unknown key 'min_overall' (expected one of \
                 strong_yes, yes, neutral, no, minimum_for_yes, requires_production_experience)",
            ),
            (
                "\n      strong_yes: ",
                "\n      strong_yes: high # ",
                "strong_yes: ^high",
                "recommendation.levels.senior.strong_yes: expected a number, found a string \
                 \"high\"",
            ),
            (
                "  challenging_templates: [",
                "  challenging_templates: incorrect # [",
                "challenging_templates: ^incorrect",
                "coverage.challenging_templates: expected a list, found a string \"incorrect\"",
            ),
            (
                "  - { number: 3, name: Production ML",
                "  - { number: 300, name: Production ML",
                "{ number: ^300",
                "phases[2].number: expected a whole number from 0 to 255, found the number 300",
            ),
            (
                "  min_signal_turns: ",
                "  min_signal_turns: -1 # ",
                "min_signal_turns: ^-1",
                "speakers.min_signal_turns: expected a whole number, 0 or more, found the \
                 number -1",
            ),
            (
                "name: ml-interview-guide",
                "name: { a: 1 }",
                "name: ^{",
                "name: expected a string, found a mapping",
            ),
            (
                "      requires_production_experience: true",
                "      requires_production_experience: sometimes",
                "requires_production_experience: ^sometimes",
                "recommendation.levels.staff.requires_production_experience: expected true or \
                 false, found a string \"sometimes\"",
            ),
            (
                "    dimensions: [ml_fundamentals]\n  - id: bias_variance",
                "    dimensions: [ml_fundamentalz]\n  - id: bias_variance",
                "dimensions: [^ml_fundamentalz]",
                "concepts[0].dimensions[0]: unknown value 'ml_fundamentalz', did you mean \
                 'ml_fundamentals'?",
            ),
            (
                "    lowers: { ml_fundamentals: 1, model_selection: 0.5 }",
                "    lowers: { ml_fundamentals: 1, model_selektion: 0.5 }",
                "ml_fundamentals: 1, ^model_selektion",
                "red_flags[0].lowers: unknown value 'model_selektion', did you mean \
                 'model_selection'?",
            ),
            (
                "    cap: Neutral",
                "    cap: Nuetral",
                "cap: ^Nuetral",
                "red_flags[3].cap: unknown value 'Nuetral', did you mean 'Neutral'?",
            ),
            (
                "    red_flag: no_production_thought\n",
                "",
                "  ^no_production_content:\n    dimension",
                "derived_red_flags.no_production_content: missing key 'red_flag'",
            ),
        ]);
    }

    /// A value given through an alias is reported where the alias uses it.
    #[test]
    fn a_problem_behind_an_alias_is_reported_where_it_is_used() {
        let yaml = broken("  default_level: senior", "  default_level: &level seniro").replacen(
            "\n      neutral: ",
            "\n      neutral: *level # ",
            1,
        );
        let error = load(&yaml).unwrap_err();
        let expected = format!(
            "{}recommendation.levels.senior.neutral: expected a number, found a string \
             \"seniro\"",
            spot(&yaml, "neutral: ^*level")
        );
        assert_eq!(error.problems, [expected]);
    }

    /// What `validate` refuses, each at the value at fault; a duplicate at the
    /// second one, an unknown reference with the closest id.
    #[test]
    fn every_validation_problem_is_at_its_value() {
        assert_reported(&[
            (
                "  - { id: communication, name: Communication, full_credit: 5 }\n",
                "",
                "\n^dimensions:\n",
                "dimensions: 'communication' is missing",
            ),
            (
                "name: Feature Engineering, full_credit: 4 }",
                "name: Feature Engineering, full_credit: 0 }",
                "Feature Engineering, full_credit: ^0 }",
                "dimensions: 'feature_engineering' full_credit must be above 0",
            ),
            (
                "  - id: bias_variance",
                "  - id: overfitting",
                "  - id: ^overfitting\n    name: the bias",
                "concepts: duplicate id 'overfitting'",
            ),
            (
                "  - id: more_data_fixes_everything\n",
                "  - id: accuracy_is_enough\n",
                "  - id: ^accuracy_is_enough\n    name: '\"more data",
                "red_flags: duplicate id 'accuracy_is_enough'",
            ),
            (
                "    - { id: kmeans, terms:",
                "    - { id: pca, terms:",
                "    - { id: ^pca, terms: [k means",
                "facts.subjects: duplicate id 'pca'",
            ),
            (
                "  - id: bias_variance\n",
                "  - id: empty_concept\n    name: nothing\n    dimensions: [ml_fundamentals]\n  \
                 - id: bias_variance\n",
                "  - ^id: empty_concept",
                "concepts: 'empty_concept' has no terms or patterns",
            ),
            (
                "    terms: [bias variance, bias",
                "    terms: [overfit, bias variance, bias",
                "    terms: [^overfit, bias variance",
                "concepts: term 'overfit' belongs to both 'overfitting' and 'bias_variance'",
            ),
            (
                "  - id: delete_missing_data\n",
                "  - id: empty_flag\n    name: nothing\n    lowers: { ml_fundamentals: 1 }\n  \
                 - id: delete_missing_data\n",
                "  - ^id: empty_flag",
                "red_flags: 'empty_flag' has no phrases or patterns",
            ),
            (
                "\n  weights:\n    ml_fundamentals: ",
                "\n  weights:\n    ml_fundamentals: -100 # ",
                "\n  ^weights:\n    ml_fundamentals: -100",
                "recommendation.weights: the weights must add up to more than 0",
            ),
            (
                "  default_level: senior",
                "  default_level: senoir",
                "default_level: ^senoir",
                "recommendation.default_level: 'senoir' is not one of the levels, did you mean \
                 'senior'?",
            ),
            (
                "\n      strong_yes: ",
                "\n      strong_yes: 1.0 # ",
                "strong_yes: ^1.0 #",
                "recommendation.levels.senior: thresholds must rise from no to neutral, yes, \
                 strong_yes",
            ),
            (
                "minimum_for_yes: { production_readiness: 3,",
                "minimum_for_yes: { production_readiness: 7,",
                "production_readiness: ^7,",
                "recommendation.levels.staff.minimum_for_yes.production_readiness: must be 1-5",
            ),
            (
                "  - { number: 3, name: Production ML",
                "  - { number: 5, name: Production ML",
                "{ number: ^5, name: Production ML",
                "phases: expected phases 1, 2, 3 and 4 in order",
            ),
            (
                "name: Production ML, start_minute: 30,",
                "name: Production ML, start_minute: 20,",
                "Production ML, start_minute: ^20,",
                "phases: minutes must rise and not overlap",
            ),
            (
                "      tier: fundamental\n      phase: ",
                "      tier: fundamental\n      phase: 7 # ",
                "      phase: ^7 #",
                "questions.bank: 'q1_recsys_cold_start' phase must be 1-4",
            ),
            (
                "      cues: [recommendation system,",
                "      cues: [] # [recommendation system,",
                "      ^cues: [] # [recommendation system,",
                "questions.bank: 'q1_recsys_cold_start' needs cues and expected points",
            ),
            (
                "  high: ",
                "  high: 180 # ",
                "  high: ^180",
                "exchanges: need 0 <= incomplete <= high <= 100",
            ),
            (
                "  interviewer_verdict_weight: ",
                "  interviewer_verdict_weight: 1.6 # ",
                "interviewer_verdict_weight: ^1.6",
                "exchanges.interviewer_verdict_weight: must be 0-1",
            ),
            (
                "verdict_values: { correct:",
                "verdict_values: { corect:",
                "verdict_values: { ^corect:",
                "exchanges.verdict_values: undefined template 'corect', did you mean 'correct'?",
            ),
            (
                "    red_flag: no_production_thought\n",
                "    red_flag: no_production_thougt\n",
                "red_flag: ^no_production_thougt",
                "derived_red_flags.no_production_content: undefined red flag \
                 'no_production_thougt', did you mean 'no_production_thought'?",
            ),
            (
                "question: q3_overfitting_debug, point",
                "question: q3_overfiting_debug, point",
                "question: ^q3_overfiting_debug",
                "derived_red_flags.missed_points: undefined question 'q3_overfiting_debug', \
                 did you mean 'q3_overfitting_debug'?",
            ),
            (
                "point: diagnose overfitting, red_flag",
                "point: diagnose overfiting, red_flag",
                "point: ^diagnose overfiting",
                "derived_red_flags.missed_points: 'q3_overfitting_debug' has no expected point \
                 'diagnose overfiting', did you mean 'diagnose overfitting'?",
            ),
            (
                "    patterns:\n      - '\\baccuracy",
                "    patterns:\n      - '(x)?'\n      - '\\baccuracy",
                "      - ^'(x)?'",
                "red_flags.accuracy_is_enough: pattern '(x)?' matches the empty string, so it \
                 would match every sentence",
            ),
            (
                "'need* .. scal*'",
                "'ne*ed .. scal*'",
                "^'ne*ed .. scal*'",
                "facts.needs_scaling: in 'ne*ed .. scal*' a '*' must end a piece of the term \
                 ('need* .. scal*')",
            ),
            (
                "- { subject: kmeans, property: supervised,",
                "- { subject: kmaens, property: supervised,",
                "- { subject: ^kmaens",
                "facts.claims: unknown subject 'kmaens', did you mean 'kmeans'?",
            ),
            (
                "- { subject: kmeans, property: supervised,",
                "- { subject: kmeans, property: supervized,",
                "property: ^supervized",
                "facts.claims: unknown property 'supervized', did you mean 'supervised'?",
            ),
            (
                "- { subject: pca, property: unsupervised, holds: true,",
                "- { subject: pca, property: supervised, holds: true,",
                "property: supervised, holds: ^true,",
                "facts.claims: 'pca' / 'supervised' is said both to hold and not to hold",
            ),
            (
                "- { subject: pca, property: unsupervised, holds: true,",
                "- { subject: pca, property: supervised, holds: false,",
                "    - ^{ subject: pca, property: supervised, holds: false, dimension: \
                 ml_fundamentals, instead: \"PCA is unsupervised\" }",
                "facts.claims: 'pca' / 'supervised' is listed twice",
            ),
            (
                "      - red_flag: more_data_fixes_everything\n",
                "      - red_flag: more_data_fixes_everythin\n",
                "      - red_flag: ^more_data_fixes_everythin",
                "derived_red_flags.corrections: undefined red flag 'more_data_fixes_everythin', \
                 did you mean 'more_data_fixes_everything'?",
            ),
            (
                "        cues: [more data,",
                "        cues: [] # [more data,",
                "        ^cues: [] # [more data,",
                "derived_red_flags.corrections: the rule for 'more_data_fixes_everything' needs \
                 cues",
            ),
            (
                "    verdicts: [incorrect, moving_on]",
                "    verdicts: [incorrect, moving_of]",
                "    verdicts: [incorrect, ^moving_of]",
                "derived_red_flags.corrections.verdicts: undefined template 'moving_of', did \
                 you mean 'moving_on'?",
            ),
            (
                "  answers:\n",
                "  answers:\n    - red_flag: accuracy_is_enuf\n      question_cues: [metric]\n      \
                 answer_terms: [accuracy]\n",
                "    - red_flag: ^accuracy_is_enuf",
                "derived_red_flags.answers: undefined red flag 'accuracy_is_enuf', did you mean \
                 'accuracy_is_enough'?",
            ),
            (
                "  answers:\n",
                "  answers:\n    - red_flag: accuracy_is_enough\n      question_cues: [metric]\n      \
                 answer_terms: []\n",
                "      ^answer_terms: []",
                "derived_red_flags.answers: the rule for 'accuracy_is_enough' needs \
                 question_cues and answer_terms",
            ),
            (
                "      red_flag: more_data_fixes_everything\n      message: ",
                "      red_flag: more_data_fixes_everythin\n      message: ",
                "      red_flag: ^more_data_fixes_everythin\n",
                "coverage.unchallenged_red_flags: 'more_data_claim_unchallenged' names \
                 undefined red flag 'more_data_fixes_everythin', did you mean \
                 'more_data_fixes_everything'?",
            ),
            (
                "  challenging_templates: [incorrect,",
                "  challenging_templates: [incorect,",
                "challenging_templates: [^incorect,",
                "coverage.challenging_templates: undefined template 'incorect', did you mean \
                 'incorrect'?",
            ),
            (
                "      slots:\n        - literal: \"Correct.\"\n",
                "      slots:\n",
                "    - id: correct\n      verdict: correct\n      slots:\n        - ^text:",
                "compliance.templates: 'correct' must start with a literal slot",
            ),
            (
                "        - literal: \"Correct.\"\n",
                "        - literal: \"Correct.\"\n          text: and more\n",
                "        - ^literal: \"Correct.\"\n          text: and more",
                "compliance.templates: each slot of 'correct' needs exactly one of literal or \
                 text",
            ),
            (
                "  min_confidence: ",
                "  min_confidence: 1.5 # ",
                "min_confidence: ^1.5",
                "speakers: min_confidence must be above 0 and at most 1, found 1.5",
            ),
            (
                "  min_signal_turns: ",
                "  min_signal_turns: 0 # ",
                "min_signal_turns: ^0",
                "speakers: min_signal_turns must be at least 1",
            ),
        ]);
    }

    /// A pattern that does not compile is reported at itself, in whichever list.
    #[test]
    fn a_pattern_that_does_not_compile_is_at_itself() {
        assert_reported(&[
            (
                "'\\b(do|does|did) not (really )?need",
                "'\\b(do|does|did not (really )?need",
                "      - ^'\\b(do|does|did not",
                "red_flags.no_validation_needed: invalid pattern '\\b(do|does|did not…",
            ),
            (
                "    mechanism_cues:\n      - '",
                "    mechanism_cues:\n      - '(how'\n      - '",
                "      - ^'(how'",
                "derived_red_flags.failed_math_prompt.mechanism_cues: …",
            ),
        ]);
    }

    /// Warnings have their place too.
    #[test]
    fn warnings_are_at_their_value() {
        let cases = [
            (
                "phrases: [accuracy is enough,",
                "phrases: [cross validation, accuracy is enough,",
                "phrases: [^cross validation, accuracy is enough",
                "red_flags: phrase 'cross validation' of 'accuracy_is_enough' is also a term of \
                 concept 'cross_validation'",
            ),
            (
                "  dimension: communication\n  base:",
                "  dimension: ml_fundamentals\n  base:",
                "  - { id: ^communication,",
                "dimensions: nothing feeds 'communication' (no concept names it)",
            ),
        ];
        for (from, to, marker, message) in cases {
            let yaml = broken(from, to);
            let expected = format!("{}warning: {message}", spot(&yaml, marker));
            let found: Vec<String> = check(&yaml).iter().map(Diagnostic::to_string).collect();
            assert_eq!(found, [expected]);
            let loaded = load(&yaml).unwrap_or_else(|e| panic!("{e}"));
            let expected = format!("{}{message}", spot(&yaml, marker));
            assert_eq!(loaded.warnings, [expected]);
        }
    }

    #[test]
    fn a_syntax_error_keeps_the_parsers_place() {
        let found = check("name: x\n  bad: [\n");
        assert_eq!(found.len(), 1);
        assert!(found[0].error && found[0].line.is_some(), "{found:?}");
    }

    #[test]
    fn did_you_mean_takes_the_closest_name_within_a_third_of_its_length() {
        let known = ["strong_yes", "yes", "neutral", "no"];
        assert_eq!(
            did_you_mean("strong_yess", known.into_iter()),
            ", did you mean 'strong_yes'?"
        );
        // A swap of two letters is one edit.
        assert_eq!(
            did_you_mean("nuetral", known.into_iter()),
            ", did you mean 'neutral'?"
        );
        assert_eq!(did_you_mean("min_overall", known.into_iter()), "");
    }

    #[test]
    fn paths_read_as_keys_and_indices() {
        let path = path!["red_flags", 3, "patterns", 0];
        assert_eq!(path.to_string(), "red_flags[3].patterns[0]");
        assert_eq!(
            Path::keys("recommendation.levels.staff").to_string(),
            "recommendation.levels.staff"
        );
    }
}
