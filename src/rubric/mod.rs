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

mod compiled;
pub mod gapped;
mod patterns;
mod schema;
mod vocabulary;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

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
    /// 1-based column, when found.
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

/// Every problem of a rubric at once: YAML syntax and schema (the first one serde
/// meets), references, ids, thresholds and patterns as errors; a dimension nothing
/// feeds and a phrase that is both a concept term and a red flag as warnings.
pub fn check(yaml: &str) -> Vec<Diagnostic> {
    let rubric: Rubric = match serde_saphyr::from_str(yaml) {
        Ok(rubric) => rubric,
        Err(e) => {
            let location = e.location();
            return vec![Diagnostic {
                error: true,
                line: location.map(|l| l.line() as usize),
                column: location.map(|l| l.column() as usize),
                message: crate::transcript::yaml_message(&e),
            }];
        }
    };
    let (errors, warnings) = validate(&rubric);
    let mut errors = errors;
    if errors.is_empty() {
        if let Err(problems) = CompiledRubric::compile(rubric, String::new(), Compile::Now) {
            errors = problems;
        }
    }
    let diagnostic = |error: bool, message: String| {
        let position = locate(yaml, &message);
        Diagnostic {
            error,
            line: position.map(|p| p.0),
            column: position.map(|p| p.1),
            message,
        }
    };
    errors
        .into_iter()
        .map(|m| diagnostic(true, m))
        .chain(warnings.into_iter().map(|m| diagnostic(false, m)))
        .collect()
}

/// Finds where a validation message points in the YAML text: the message starts
/// with its section (`concepts: ...`, `recommendation.levels.staff: ...`) and quotes
/// the offending name or pattern; a duplicate id points at its second occurrence.
fn locate(yaml: &str, message: &str) -> Option<(usize, usize)> {
    let section = message.split(':').next().unwrap_or("");
    let mut start = 0;
    for (depth, key) in section.split('.').enumerate() {
        let indent = " ".repeat(depth * 2);
        let needle = format!("\n{indent}{key}:");
        let haystack = format!("\n{}", &yaml[start..]);
        if let Some(at) = haystack.find(&needle) {
            start += at + indent.len();
        }
    }
    let quoted: Vec<&str> = message.split('\'').skip(1).step_by(2).collect();
    let found = if message.contains("duplicate id") {
        quoted.first().and_then(|id| {
            let needle = format!("id: {id}");
            let first = yaml[start..].find(&needle)? + start;
            yaml[first + 1..].find(&needle).map(|at| at + first + 1)
        })
    } else {
        // Each quoted name is looked for after the one before: the owner's id first,
        // then the offending value inside it.
        // Later names count only close after the first (within the same item).
        const SAME_ITEM: usize = 1500;
        let mut at = start;
        let mut found: Option<usize> = None;
        for q in &quoted {
            // A long pattern is quoted shortened ("(a0|a1|…"): look for its start.
            let q = q.split('…').next().unwrap_or(q);
            let end = match found {
                Some(_) => (at + SAME_ITEM).min(yaml.len()),
                None => yaml.len(),
            };
            let end = (0..=end)
                .rev()
                .find(|&i| yaml.is_char_boundary(i))
                .unwrap_or(at);
            let window = &yaml[at..end];
            let hit = window
                .find(q)
                .or_else(|| window.find(&q.replace('\'', "''")));
            if let Some(hit) = hit {
                at += hit;
                found = Some(at);
            }
        }
        found
    };
    let offset = found.unwrap_or(start);
    if offset == 0 && found.is_none() && section.is_empty() {
        return None;
    }
    let line = yaml[..offset].matches('\n').count() + 1;
    let column = yaml[..offset]
        .rfind('\n')
        .map_or(offset, |nl| offset - nl - 1)
        + 1;
    Some((line, column))
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
    let rubric: Rubric = serde_saphyr::from_str(yaml).map_err(|e| {
        let position = e
            .location()
            .map(|l| format!("line {}, column {}: ", l.line(), l.column()))
            .unwrap_or_default();
        RubricError {
            problems: vec![format!("{position}{}", crate::transcript::yaml_message(&e))],
        }
    })?;
    let (problems, warnings) = validate(&rubric);
    let located = |problems: Vec<String>| RubricError {
        problems: problems
            .into_iter()
            .map(|p| match locate(yaml, &p) {
                Some((line, column)) => format!("line {line}, column {column}: {p}"),
                None => p,
            })
            .collect(),
    };
    if !problems.is_empty() {
        return Err(located(problems));
    }
    let sha256 = format!("{:x}", Sha256::digest(yaml.as_bytes()));
    let mut compiled = CompiledRubric::compile(rubric, sha256, compile).map_err(located)?;
    compiled.warnings = warnings;
    Ok(compiled)
}

/// ", did you mean 'x'?" for the known id closest to `unknown` (by edit distance, at
/// most a third of its length), or nothing.
fn did_you_mean<'a>(unknown: &str, known: impl Iterator<Item = &'a str>) -> String {
    fn distance(a: &str, b: &str) -> usize {
        let b: Vec<char> = b.chars().collect();
        let mut row: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.chars().enumerate() {
            let mut previous = row[0];
            row[0] = i + 1;
            for (j, cb) in b.iter().enumerate() {
                let current = row[j + 1];
                row[j + 1] = (previous + usize::from(ca != *cb))
                    .min(row[j] + 1)
                    .min(current + 1);
                previous = current;
            }
        }
        row[b.len()]
    }
    known
        .map(|k| (distance(unknown, k), k))
        .filter(|(d, _)| *d <= unknown.chars().count().div_ceil(3))
        .min()
        .map_or(String::new(), |(_, k)| format!(", did you mean '{k}'?"))
}

/// Checks references, ids and thresholds; returns every error and warning found.
fn validate(rubric: &Rubric) -> (Vec<String>, Vec<String>) {
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    let has_template = |id: &str| rubric.compliance.templates.iter().any(|t| t.id == id);
    let has_flag = |id: &str| rubric.red_flags.iter().any(|r| r.id == id);
    // Dimension names are a closed set (`Dimension`): serde has already rejected an
    // unknown one wherever it appears, so only the list itself needs checking.
    let defined: BTreeSet<Dimension> = rubric.dimensions.iter().map(|d| d.id).collect();
    for required in Dimension::ALL {
        if !defined.contains(&required) {
            problems.push(format!("dimensions: '{required}' is missing"));
        }
    }
    for dimension in &rubric.dimensions {
        if dimension.full_credit <= 0.0 {
            problems.push(format!(
                "dimensions: '{}' full_credit must be above 0",
                dimension.id
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
        rubric.concepts.iter().map(|c| &c.id),
        &mut problems,
    );
    duplicates(
        "red_flags",
        rubric.red_flags.iter().map(|r| &r.id),
        &mut problems,
    );
    duplicates(
        "compliance.rules",
        rubric.compliance.rules.iter().map(|r| &r.id),
        &mut problems,
    );
    duplicates(
        "compliance.templates",
        rubric.compliance.templates.iter().map(|t| &t.id),
        &mut problems,
    );

    let mut fed: BTreeSet<Dimension> = BTreeSet::new();
    fed.insert(rubric.communication.dimension);
    let mut term_owner: BTreeMap<String, &str> = BTreeMap::new();
    for concept in &rubric.concepts {
        if concept.terms.is_empty() && concept.patterns.is_empty() {
            problems.push(format!(
                "concepts: '{}' has no terms or patterns",
                concept.id
            ));
        }
        fed.extend(concept.dimensions.iter().copied());
        for term in &concept.terms {
            let key = crate::text::normalize_phrase(term);
            if let Some(owner) = term_owner.insert(key, &concept.id) {
                problems.push(format!(
                    "concepts: term '{term}' belongs to both '{owner}' and '{}'",
                    concept.id
                ));
            }
        }
    }
    for flag in &rubric.red_flags {
        if flag.phrases.is_empty() && flag.patterns.is_empty() {
            problems.push(format!(
                "red_flags: '{}' has no phrases or patterns",
                flag.id
            ));
        }
        for phrase in &flag.phrases {
            if let Some(owner) = term_owner.get(&crate::text::normalize_phrase(phrase)) {
                warnings.push(format!(
                    "red_flags: phrase '{phrase}' of '{}' is also a term of concept '{owner}'",
                    flag.id
                ));
            }
        }
    }
    for dimension in &rubric.dimensions {
        if !fed.contains(&dimension.id) {
            warnings.push(format!(
                "dimensions: nothing feeds '{}' (no concept names it)",
                dimension.id
            ));
        }
    }
    let rule = &rubric.recommendation;
    if rule.weights.values().sum::<f64>() <= 0.0 {
        problems.push("recommendation.weights: the weights must add up to more than 0".into());
    }
    if !rule.levels.contains_key(&rule.default_level) {
        problems.push(format!(
            "recommendation.default_level: '{}' is not one of the levels",
            rule.default_level
        ));
    }
    for (name, level) in &rule.levels {
        let ordered = [level.no, level.neutral, level.yes, level.strong_yes];
        if ordered.windows(2).any(|pair| pair[0] > pair[1]) {
            problems.push(format!(
                "recommendation.levels.{name}: thresholds must rise from no to neutral, yes, strong_yes"
            ));
        }
        for (dimension, minimum) in &level.minimum_for_yes {
            if !(1..=5).contains(minimum) {
                problems.push(format!(
                    "recommendation.levels.{name}.minimum_for_yes.{dimension}: must be 1-5"
                ));
            }
        }
    }
    duplicates(
        "questions.bank",
        rubric.questions.bank.iter().map(|q| &q.id),
        &mut problems,
    );
    let phase_numbers: Vec<u8> = rubric.phases.iter().map(|p| p.number).collect();
    if phase_numbers != [1, 2, 3, 4] {
        problems.push("phases: expected phases 1, 2, 3 and 4 in order".into());
    }
    if rubric
        .phases
        .windows(2)
        .any(|w| w[0].end_minute > w[1].start_minute || w[0].start_minute >= w[0].end_minute)
    {
        problems.push("phases: minutes must rise and not overlap".into());
    }
    for question in &rubric.questions.bank {
        if !(1..=4).contains(&question.phase) {
            problems.push(format!(
                "questions.bank: '{}' phase must be 1-4",
                question.id
            ));
        }
        if question.expected.is_empty() || question.cues.is_empty() {
            problems.push(format!(
                "questions.bank: '{}' needs cues and expected points",
                question.id
            ));
        }
    }
    let bands = &rubric.exchanges;
    if !(0.0..=100.0).contains(&bands.incomplete)
        || !(0.0..=100.0).contains(&bands.high)
        || bands.incomplete > bands.high
    {
        problems.push("exchanges: need 0 <= incomplete <= high <= 100".into());
    }
    if !(0.0..=1.0).contains(&bands.interviewer_verdict_weight) {
        problems.push("exchanges.interviewer_verdict_weight: must be 0-1".into());
    }
    for template in bands.verdict_values.keys() {
        if !has_template(template) {
            problems.push(format!(
                "exchanges.verdict_values: undefined template '{template}'"
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
            problems.push(format!(
                "derived_red_flags.{key}: undefined red flag '{flag}'"
            ));
        }
    }
    for missed in &derived.missed_points {
        match rubric
            .questions
            .bank
            .iter()
            .find(|q| q.id == missed.question)
        {
            None => problems.push(format!(
                "derived_red_flags.missed_points: undefined question '{}'",
                missed.question
            )),
            Some(question) if !question.expected.iter().any(|p| p.point == missed.point) => {
                problems.push(format!(
                    "derived_red_flags.missed_points: '{}' has no expected point '{}'",
                    missed.question, missed.point
                ))
            }
            Some(_) => {}
        }
        if !has_flag(&missed.red_flag) {
            problems.push(format!(
                "derived_red_flags.missed_points: undefined red flag '{}'",
                missed.red_flag
            ));
        }
    }
    // A pattern that matches the empty string would flag every sentence it reads.
    let flagging = rubric
        .red_flags
        .iter()
        .flat_map(|f| {
            f.patterns
                .iter()
                .map(move |p| (format!("red_flags.{}", f.id), p))
        })
        .chain(rubric.compliance.rules.iter().flat_map(|r| {
            r.patterns
                .iter()
                .map(move |p| (format!("compliance.rules.{}", r.id), p))
        }));
    for (owner, pattern) in flagging {
        let empty =
            regex_syntax::parse(pattern).is_ok_and(|hir| hir.properties().minimum_len() == Some(0));
        if empty {
            problems.push(format!(
                "{owner}: pattern '{pattern}' matches the empty string, so it would match every sentence"
            ));
        }
    }
    let facts = &rubric.facts;
    let term_lists = facts
        .subjects
        .iter()
        .chain(&facts.properties)
        .map(|t| (format!("facts.{}", t.id), &t.terms))
        .chain(rubric.derived_red_flags.answers.iter().flat_map(|rule| {
            [&rule.question_cues, &rule.answer_terms, &rule.unless_terms]
                .map(|list| (format!("derived_red_flags.answers.{}", rule.red_flag), list))
        }));
    for (owner, terms) in term_lists {
        for term in terms.iter().filter(|t| gapped::misplaced_stem(t)) {
            problems.push(format!(
                "{owner}: in '{term}' a '*' must end a piece of the term ('need* .. scal*')"
            ));
        }
    }
    duplicates(
        "facts.subjects",
        facts.subjects.iter().map(|t| &t.id),
        &mut problems,
    );
    duplicates(
        "facts.properties",
        facts.properties.iter().map(|t| &t.id),
        &mut problems,
    );
    let mut stated: BTreeMap<(&str, &str), bool> = BTreeMap::new();
    for claim in &facts.claims {
        let known = |list: &[FactTerm], id: &str| list.iter().any(|t| t.id == id);
        if !known(&facts.subjects, &claim.subject) {
            problems.push(format!(
                "facts.claims: unknown subject '{}'{}",
                claim.subject,
                did_you_mean(&claim.subject, facts.subjects.iter().map(|t| t.id.as_str()))
            ));
        }
        if !known(&facts.properties, &claim.property) {
            problems.push(format!(
                "facts.claims: unknown property '{}'{}",
                claim.property,
                did_you_mean(
                    &claim.property,
                    facts.properties.iter().map(|t| t.id.as_str())
                )
            ));
        }
        match stated.insert((&claim.subject, &claim.property), claim.holds) {
            Some(before) if before != claim.holds => problems.push(format!(
                "facts.claims: '{}' / '{}' is said both to hold and not to hold",
                claim.subject, claim.property
            )),
            Some(_) => problems.push(format!(
                "facts.claims: '{}' / '{}' is listed twice",
                claim.subject, claim.property
            )),
            None => {}
        }
    }
    for rule in &derived.corrections.flags {
        if !has_flag(&rule.red_flag) {
            problems.push(format!(
                "derived_red_flags.corrections: undefined red flag '{}'",
                rule.red_flag
            ));
        }
        if rule.cues.is_empty() {
            problems.push(format!(
                "derived_red_flags.corrections: the rule for '{}' needs cues",
                rule.red_flag
            ));
        }
    }
    for template in &derived.corrections.verdicts {
        if !has_template(template) {
            problems.push(format!(
                "derived_red_flags.corrections.verdicts: undefined template '{template}'"
            ));
        }
    }
    for rule in &derived.answers {
        if !has_flag(&rule.red_flag) {
            problems.push(format!(
                "derived_red_flags.answers: undefined red flag '{}'",
                rule.red_flag
            ));
        }
        if rule.question_cues.is_empty() || rule.answer_terms.is_empty() {
            problems.push(format!(
                "derived_red_flags.answers: the rule for '{}' needs question_cues and answer_terms",
                rule.red_flag
            ));
        }
    }
    for flag in &rubric.coverage.unchallenged_red_flags {
        if !has_flag(&flag.red_flag) {
            problems.push(format!(
                "coverage.unchallenged_red_flags: '{}' names undefined red flag '{}'",
                flag.id, flag.red_flag
            ));
        }
    }
    for template in &rubric.coverage.challenging_templates {
        if !has_template(template) {
            problems.push(format!(
                "coverage.challenging_templates: undefined template '{template}'"
            ));
        }
    }
    for template in &rubric.compliance.templates {
        match template.slots.first() {
            Some(slot) if slot.literal.is_some() => {}
            _ => problems.push(format!(
                "compliance.templates: '{}' must start with a literal slot",
                template.id
            )),
        }
        for slot in &template.slots {
            if slot.literal.is_some() == slot.text.is_some() {
                problems.push(format!(
                    "compliance.templates: each slot of '{}' needs exactly one of literal or text",
                    template.id
                ));
            }
        }
    }
    let speakers = &rubric.speakers;
    if !(speakers.min_confidence > 0.0 && speakers.min_confidence <= 1.0) {
        problems.push(format!(
            "speakers: min_confidence must be above 0 and at most 1, found {}",
            speakers.min_confidence
        ));
    }
    if speakers.min_signal_turns == 0 {
        problems.push("speakers: min_signal_turns must be at least 1".to_string());
    }
    (problems, warnings)
}

fn duplicates<S: AsRef<str>>(
    section: &str,
    ids: impl Iterator<Item = S>,
    problems: &mut Vec<String>,
) {
    let mut seen = BTreeSet::new();
    for id in ids {
        let id = id.as_ref().to_string();
        if !seen.insert(id.clone()) {
            problems.push(format!("{section}: duplicate id '{id}'"));
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
        let lazy = load_default().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(lazy.sha256, rubric.sha256);
    }

    #[test]
    fn unknown_keys_are_refused_with_position() {
        let yaml = DEFAULT_RUBRIC.replacen("name:", "nmae:", 1);
        let error = load(&yaml).unwrap_err();
        assert!(error.problems[0].contains("line"), "{error}");
    }

    #[test]
    fn an_unknown_dimension_is_refused_where_it_is_written() {
        let yaml = DEFAULT_RUBRIC.replacen(
            "dimensions: [ml_fundamentals]",
            "dimensions: [ml_fundamentalz]",
            1,
        );
        let line = yaml[..yaml.find("ml_fundamentalz").unwrap()]
            .lines()
            .count();
        let error = load(&yaml).unwrap_err();
        let problem = &error.problems[0];
        assert!(problem.starts_with(&format!("line {line}, ")), "{error}");
        assert!(problem.contains("ml_fundamentalz"), "{error}");
        assert!(problem.contains("math_foundation"), "{error}");
    }

    #[test]
    fn a_pattern_matching_the_empty_string_is_refused() {
        let yaml = DEFAULT_RUBRIC.replacen(
            "    patterns:\n      - '\\baccuracy",
            "    patterns:\n      - '.*'\n      - '\\baccuracy",
            1,
        );
        assert_ne!(yaml, DEFAULT_RUBRIC);
        let error = load(&yaml).unwrap_err();
        assert!(
            error
                .problems
                .iter()
                .any(|p| p.contains("matches the empty string")),
            "{error}"
        );
    }

    #[test]
    fn the_facts_table_is_checked() {
        let yaml = DEFAULT_RUBRIC
            .replacen(
                "- { subject: pca, property: unsupervised, holds: true,",
                "- { subject: pca, property: supervised, holds: true,",
                1,
            )
            .replacen(
                "- { subject: kmeans, property: supervised,",
                "- { subject: kmaens, property: supervised,",
                1,
            );
        let error = load(&yaml).unwrap_err();
        let all = error.problems.join("\n");
        assert!(
            all.contains("'pca' / 'supervised' is said both to hold and not to hold"),
            "{all}"
        );
        assert!(
            all.contains("unknown subject 'kmaens', did you mean 'kmeans'?"),
            "{all}"
        );
    }

    #[test]
    fn bad_references_are_all_reported() {
        let yaml = DEFAULT_RUBRIC
            .replacen(
                "red_flag: cant_explain_algorithm",
                "red_flag: cant_explain_algorithmz",
                1,
            )
            .replacen("\n      strong_yes: ", "\n      strong_yes: 1.0 # ", 1);
        let error = load(&yaml).unwrap_err();
        assert!(
            error
                .problems
                .iter()
                .any(|p| p.contains("cant_explain_algorithmz")),
            "{error}"
        );
        assert!(
            error.problems.iter().any(|p| p.contains("thresholds")),
            "{error}"
        );
    }
}
