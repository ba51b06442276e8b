//! `debrief diff`: what a rubric or scorer change did to a set of decisions.
//!
//! Evaluations are paired by `id`, then by `source` when an id repeats. For each pair
//! the report lists recommendation flips with their direction, score changes per
//! dimension, red flags and compliance breaches added or removed, and, for every flip,
//! its causes: the rubric rules (evidence rules, red flags, caps) present in one run
//! and not the other. Transcripts added, removed or newly failing are listed too.
//! Something *moved* when a recommendation flipped, a score changed by more than the
//! tolerance, a red flag or breach came or went, or a transcript was added, removed,
//! newly failing or newly fixed.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::Serialize;

use crate::results::{rank, Summary};

/// One transcript's changes.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Change {
    /// Transcript id.
    pub id: String,
    /// Input path (the new run's, else the base run's).
    pub source: String,
    /// `"Yes -> No"`, when the recommendation changed.
    pub flip: Option<String>,
    /// "up" or "down", for a flip.
    pub direction: Option<&'static str>,
    /// Per dimension, (base, new), where the score changed at all.
    pub scores: BTreeMap<String, (i64, i64)>,
    /// Red flags present only in the new run (`id@turn`).
    pub red_flags_added: Vec<String>,
    /// Red flags present only in the base run.
    pub red_flags_removed: Vec<String>,
    /// Breaches present only in the new run (`rule@turn`).
    pub breaches_added: Vec<String>,
    /// Breaches present only in the base run.
    pub breaches_removed: Vec<String>,
    /// For a flip: rules present only in the new run.
    pub causes_added: Vec<String>,
    /// For a flip: rules present only in the base run.
    pub causes_removed: Vec<String>,
    /// For a flip: the overall score, (base, new); a flip with the same overall
    /// moved because a threshold or cap did.
    pub overall: Option<(f64, f64)>,
    /// For a flip: how the base run reached its recommendation.
    pub basis_before: Vec<String>,
    /// For a flip: how the new run reached its recommendation.
    pub basis_after: Vec<String>,
    /// "newly failing: REASON" or "newly graded", when the status changed.
    pub status: Option<String>,
    /// Whether this change counts as movement at the tolerance.
    pub moved: bool,
}

/// The whole comparison.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DiffReport {
    /// Score changes up to this many points were tolerated.
    pub tolerance: i64,
    /// Transcripts in both runs with any change.
    pub changed: Vec<Change>,
    /// Ids only in the new run.
    pub added: Vec<String>,
    /// Ids only in the base run.
    pub removed: Vec<String>,
    /// Totals.
    pub totals: Totals,
    /// The rubrics behind the two runs, when the results files or `--rubrics` say.
    pub rubrics: Option<RubricChange>,
    /// Every transcript compared, as (id, source), in id order: the test cases of
    /// the JUnit rendering.
    #[serde(skip)]
    pub compared: Vec<(String, String)>,
}

/// What changed between the two runs' rubrics.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RubricChange {
    /// The base run's rubric sha256, as its results file records it.
    pub base_sha256: Option<String>,
    /// The new run's.
    pub new_sha256: Option<String>,
    /// The keys whose values differ (`recommendation.levels.senior.yes: 3.74 -> 4.2`),
    /// when both rubric texts were given (`--rubrics`).
    pub changed_keys: Vec<String>,
}

/// Counts over the whole comparison.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Totals {
    /// Transcripts paired.
    pub compared: usize,
    /// Recommendation flips.
    pub flips: usize,
    /// Flips to a better recommendation.
    pub flips_up: usize,
    /// Flips to a worse recommendation.
    pub flips_down: usize,
    /// Dimension scores that changed beyond the tolerance.
    pub score_changes: usize,
    /// Red flags added and removed.
    pub red_flags_added: usize,
    /// Red flags removed.
    pub red_flags_removed: usize,
    /// Breaches added.
    pub breaches_added: usize,
    /// Breaches removed.
    pub breaches_removed: usize,
    /// Transcripts graded before and failing now.
    pub newly_failing: usize,
    /// Transcripts only in the new run.
    pub added: usize,
    /// Transcripts only in the base run.
    pub removed: usize,
}

impl DiffReport {
    /// True when something moved beyond the tolerance (the gate's exit 1).
    pub fn moved(&self) -> bool {
        !self.added.is_empty() || !self.removed.is_empty() || self.changed.iter().any(|c| c.moved)
    }
}

fn key(summary: &Summary) -> (String, String) {
    (summary.id.clone(), summary.source.clone())
}

/// Pairs `base` and `new` and reports every difference.
pub fn compare(base: &[Summary], new: &[Summary], tolerance: i64) -> DiffReport {
    // Pair by id; where an id repeats within a run, by (id, source).
    let index = |list: &[Summary]| -> BTreeMap<(String, String), Summary> {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for s in list {
            *counts.entry(s.id.as_str()).or_default() += 1;
        }
        list.iter()
            .map(|s| {
                let k = if counts[s.id.as_str()] > 1 {
                    key(s)
                } else {
                    (s.id.clone(), String::new())
                };
                (k, s.clone())
            })
            .collect()
    };
    let base_index = index(base);
    let new_index = index(new);
    let mut report = DiffReport {
        tolerance,
        ..DiffReport::default()
    };
    for (k, old) in &base_index {
        let Some(now) = new_index.get(k) else {
            report.removed.push(label(old));
            continue;
        };
        report.totals.compared += 1;
        report.compared.push((now.id.clone(), now.source.clone()));
        let change = change(old, now, tolerance);
        if let Some(change) = change {
            let t = &mut report.totals;
            if change.flip.is_some() {
                t.flips += 1;
                match change.direction {
                    Some("up") => t.flips_up += 1,
                    _ => t.flips_down += 1,
                }
            }
            t.score_changes += change
                .scores
                .values()
                .filter(|(a, b)| (a - b).abs() > tolerance)
                .count();
            t.red_flags_added += change.red_flags_added.len();
            t.red_flags_removed += change.red_flags_removed.len();
            t.breaches_added += change.breaches_added.len();
            t.breaches_removed += change.breaches_removed.len();
            if change
                .status
                .as_deref()
                .is_some_and(|s| s.starts_with("newly failing"))
            {
                t.newly_failing += 1;
            }
            report.changed.push(change);
        }
    }
    for (k, now) in &new_index {
        if !base_index.contains_key(k) {
            report.added.push(label(now));
        }
    }
    report.totals.added = report.added.len();
    report.totals.removed = report.removed.len();
    report
}

fn label(summary: &Summary) -> String {
    if summary.source.is_empty() {
        summary.id.clone()
    } else {
        format!("{} ({})", summary.id, summary.source)
    }
}

fn change(old: &Summary, now: &Summary, tolerance: i64) -> Option<Change> {
    let mut change = Change {
        id: now.id.clone(),
        source: if now.source.is_empty() {
            old.source.clone()
        } else {
            now.source.clone()
        },
        ..Change::default()
    };
    // A transcript that started or stopped failing has nothing else to compare.
    match (old.status.as_str(), now.status.as_str()) {
        ("ok", "error") => {
            change.status = Some(format!(
                "newly failing: {}",
                now.error.as_deref().unwrap_or("error")
            ))
        }
        ("error", "ok") => change.status = Some("newly graded".into()),
        _ => {}
    }
    if change.status.is_some() {
        change.moved = true;
        return Some(change);
    }
    if old.recommendation != now.recommendation {
        let before = old.recommendation.as_deref().unwrap_or("none");
        let after = now.recommendation.as_deref().unwrap_or("none");
        change.flip = Some(format!("{before} -> {after}"));
        change.direction = match (rank(before), rank(after)) {
            (Some(a), Some(b)) if b > a => Some("up"),
            _ => Some("down"),
        };
        change.causes_added = now.rules.difference(&old.rules).cloned().collect();
        change.causes_removed = old.rules.difference(&now.rules).cloned().collect();
        if let (Some(a), Some(b)) = (old.overall, now.overall) {
            change.overall = Some((a, b));
        }
        if old.basis != now.basis {
            change.basis_before = old.basis.clone();
            change.basis_after = now.basis.clone();
        }
    }
    let dimensions: BTreeSet<&String> = old.scores.keys().chain(now.scores.keys()).collect();
    for dimension in dimensions {
        let a = old.scores.get(dimension).copied().unwrap_or(0);
        let b = now.scores.get(dimension).copied().unwrap_or(0);
        if a != b {
            change.scores.insert(dimension.clone(), (a, b));
        }
    }
    change.red_flags_added = now.red_flags.difference(&old.red_flags).cloned().collect();
    change.red_flags_removed = old.red_flags.difference(&now.red_flags).cloned().collect();
    change.breaches_added = now.breaches.difference(&old.breaches).cloned().collect();
    change.breaches_removed = old.breaches.difference(&now.breaches).cloned().collect();
    change.moved = change.flip.is_some()
        || change.status.is_some()
        || change
            .scores
            .values()
            .any(|(a, b)| (a - b).abs() > tolerance)
        || !change.red_flags_added.is_empty()
        || !change.red_flags_removed.is_empty()
        || !change.breaches_added.is_empty()
        || !change.breaches_removed.is_empty();
    let any = change.moved || !change.scores.is_empty();
    any.then_some(change)
}

/// The report as text (`markdown` for a CI step summary or PR comment).
pub fn render(report: &DiffReport, markdown: bool) -> String {
    let mut out = String::new();
    let t = &report.totals;
    if markdown {
        let _ = writeln!(out, "## debrief diff\n");
    }
    let verdict = if report.moved() {
        "results moved"
    } else {
        "no change beyond the tolerance"
    };
    let _ = writeln!(
        out,
        "{verdict}: {} compared, {} flips ({} up, {} down), {} score changes beyond ±{}, red flags +{} -{}, breaches +{} -{}, {} newly failing, {} added, {} removed",
        t.compared,
        t.flips,
        t.flips_up,
        t.flips_down,
        t.score_changes,
        report.tolerance,
        t.red_flags_added,
        t.red_flags_removed,
        t.breaches_added,
        t.breaches_removed,
        t.newly_failing,
        t.added,
        t.removed
    );
    let bullet = if markdown { "- " } else { "  " };
    if let Some(rubrics) = &report.rubrics {
        let short = |sha: &Option<String>| {
            sha.as_deref()
                .map_or("unrecorded".to_string(), |s| s.chars().take(12).collect())
        };
        if rubrics.base_sha256 != rubrics.new_sha256 || !rubrics.changed_keys.is_empty() {
            let _ = writeln!(
                out,
                "{}rubric: {} -> {}",
                if markdown { "\n" } else { "" },
                short(&rubrics.base_sha256),
                short(&rubrics.new_sha256)
            );
            for key in &rubrics.changed_keys {
                let _ = writeln!(out, "{bullet}changed: {}", code(key, markdown));
            }
        }
    }
    // Ids, sources and quotes come from transcripts: shown, never interpreted.
    let show = |text: &str| {
        if markdown {
            crate::reporter::markdown_text(text)
        } else {
            crate::reporter::visible(text)
        }
    };
    for c in &report.changed {
        let _ = writeln!(out);
        let title = match &c.flip {
            Some(flip) => format!("{} ({}): {flip}", show(&c.id), show(&c.source)),
            None => format!("{} ({})", show(&c.id), show(&c.source)),
        };
        let _ = writeln!(out, "{}{title}", if markdown { "### " } else { "" });
        if let Some(status) = &c.status {
            let _ = writeln!(out, "{bullet}{}", show(status));
        }
        if let Some((a, b)) = c.overall {
            let _ = writeln!(out, "{bullet}overall: {a:.2} -> {b:.2}");
        }
        for (run, lines) in [("base", &c.basis_before), ("new", &c.basis_after)] {
            for line in lines {
                let _ = writeln!(out, "{bullet}basis, {run} run: {}", show(line));
            }
        }
        for (dimension, (a, b)) in &c.scores {
            let mark = if (a - b).abs() > report.tolerance {
                ""
            } else {
                " (within tolerance)"
            };
            let _ = writeln!(out, "{bullet}{dimension}: {a} -> {b}{mark}");
        }
        for (title, list) in [
            ("red flag added", &c.red_flags_added),
            ("red flag removed", &c.red_flags_removed),
            ("breach added", &c.breaches_added),
            ("breach removed", &c.breaches_removed),
            ("cause, only in the new run", &c.causes_added),
            ("cause, only in the base run", &c.causes_removed),
        ] {
            for item in list {
                let _ = writeln!(out, "{bullet}{title}: {}", code(item, markdown));
            }
        }
    }
    for (title, list) in [("added", &report.added), ("removed", &report.removed)] {
        if !list.is_empty() {
            let _ = writeln!(out);
            let _ = writeln!(
                out,
                "{}transcripts {title}:",
                if markdown { "### " } else { "" }
            );
            for item in list {
                let _ = writeln!(out, "{bullet}{}", show(item));
            }
        }
    }
    out
}

/// One line describing what moved in `change`: the flip, scores, flags, breaches.
fn summary_line(change: &Change, tolerance: i64) -> String {
    let mut parts = Vec::new();
    if let Some(status) = &change.status {
        parts.push(status.clone());
    }
    if let Some(flip) = &change.flip {
        match change.overall {
            Some((a, b)) => parts.push(format!("{flip} (overall {a:.2} -> {b:.2})")),
            None => parts.push(flip.clone()),
        }
    }
    for (dimension, (a, b)) in &change.scores {
        if (a - b).abs() > tolerance {
            parts.push(format!("{dimension} {a} -> {b}"));
        }
    }
    for (sign, list) in [
        ("red flag +", &change.red_flags_added),
        ("red flag -", &change.red_flags_removed),
        ("breach +", &change.breaches_added),
        ("breach -", &change.breaches_removed),
    ] {
        parts.extend(list.iter().map(|item| format!("{sign}{item}")));
    }
    for (run, lines) in [
        ("new", &change.causes_added),
        ("base", &change.causes_removed),
    ] {
        parts.extend(
            lines
                .iter()
                .map(|cause| format!("cause only in the {run} run: {cause}")),
        );
    }
    parts.join("; ")
}

/// JUnit XML: one test case per transcript compared, failed when it moved; the
/// transcripts added or removed are failed test cases too.
pub fn render_junit(report: &DiffReport) -> String {
    use crate::report::ci::xml;
    let moved: BTreeMap<(&str, &str), &Change> = report
        .changed
        .iter()
        .filter(|c| c.moved)
        .map(|c| ((c.id.as_str(), c.source.as_str()), c))
        .collect();
    let tests = report.compared.len() + report.added.len() + report.removed.len();
    let failures = moved.len() + report.added.len() + report.removed.len();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"debrief diff\" tests=\"{tests}\" failures=\"{failures}\">\n  \
         <testsuite name=\"verdicts against the baseline\" tests=\"{tests}\" failures=\"{failures}\">"
    );
    let case = |out: &mut String, name: &str, failure: Option<String>| {
        let _ = write!(
            out,
            "    <testcase classname=\"debrief.diff\" name=\"{}\"",
            xml(name)
        );
        match failure {
            Some(message) => {
                let _ = writeln!(
                    out,
                    ">\n      <failure message=\"{}\" type=\"moved\"/>\n    </testcase>",
                    xml(&message)
                );
            }
            None => out.push_str("/>\n"),
        }
    };
    for (id, source) in &report.compared {
        let failure = moved
            .get(&(id.as_str(), source.as_str()))
            .map(|c| summary_line(c, report.tolerance));
        case(&mut out, &format!("{id} ({source})"), failure);
    }
    for id in &report.added {
        case(&mut out, id, Some("only in the new run".into()));
    }
    for id in &report.removed {
        case(&mut out, id, Some("only in the base run".into()));
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

/// GitHub Actions annotations: an `::error` per transcript that moved, on its file.
pub fn render_github(report: &DiffReport) -> String {
    use crate::report::ci::{github_data as data, github_property as property};
    let mut out = String::new();
    for change in report.changed.iter().filter(|c| c.moved) {
        let _ = writeln!(
            out,
            "::error file={},title={}::{}",
            property(&change.source),
            property(&format!("debrief diff: {}", change.id)),
            data(&summary_line(change, report.tolerance))
        );
    }
    for (what, list) in [
        ("only in the new run", &report.added),
        ("only in the base run", &report.removed),
    ] {
        for id in list {
            let _ = writeln!(
                out,
                "::error title={}::{}",
                property(&format!("debrief diff: {id}")),
                data(what)
            );
        }
    }
    out
}

/// The keys whose values differ between two rubric texts, as `path: before -> after`
/// (`recommendation.levels.senior.yes: 3.74 -> 4.2`); list items with an `id` are
/// named by it. Texts that do not parse give no keys.
pub fn rubric_keys_changed(base: &str, new: &str) -> Vec<String> {
    let parse = |text: &str| serde_saphyr::from_str::<serde_json::Value>(text).ok();
    let (Some(base), Some(new)) = (parse(base), parse(new)) else {
        return Vec::new();
    };
    let (mut before, mut after) = (BTreeMap::new(), BTreeMap::new());
    flatten("", &base, &mut before);
    flatten("", &new, &mut after);
    let keys: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    let shown = |value: Option<&String>| {
        let value = value.map_or("(none)", String::as_str);
        let cut: String = value.chars().take(60).collect();
        if cut.len() < value.len() {
            format!("{cut}…")
        } else {
            cut
        }
    };
    keys.into_iter()
        .filter(|k| before.get(*k) != after.get(*k))
        .map(|k| format!("{k}: {} -> {}", shown(before.get(k)), shown(after.get(k))))
        .collect()
}

/// Every leaf of `value` under its dotted path.
fn flatten(path: &str, value: &serde_json::Value, out: &mut BTreeMap<String, String>) {
    let join = |key: &str| {
        if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        }
    };
    match value {
        serde_json::Value::Object(map) => {
            for (key, value) in map {
                flatten(&join(key), value, out);
            }
        }
        serde_json::Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                let name = item
                    .get("id")
                    .and_then(serde_json::Value::as_str)
                    .map_or_else(|| index.to_string(), str::to_string);
                flatten(&format!("{path}[{name}]"), item, out);
            }
        }
        leaf => {
            out.insert(path.to_string(), leaf.to_string());
        }
    }
}

fn code(item: &str, markdown: bool) -> String {
    let item = crate::reporter::visible(item);
    if markdown {
        format!("`{}`", item.replace('`', "'"))
    } else {
        item
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(id: &str, recommendation: &str, scores: [i64; 2]) -> Summary {
        Summary {
            id: id.into(),
            source: format!("{id}.json"),
            status: "ok".into(),
            recommendation: Some(recommendation.into()),
            scores: [
                ("ml_fundamentals".to_string(), scores[0]),
                ("communication".to_string(), scores[1]),
            ]
            .into_iter()
            .collect(),
            ..Summary::default()
        }
    }

    #[test]
    fn names_the_rubric_keys_that_changed() {
        let base = "name: r\nlevels:\n  senior: {yes: 3.74, no: 2.1}\nrules:\n  - id: hint\n    phrases: [a, b]\n";
        let new = "name: r\nlevels:\n  senior: {yes: 4.2, no: 2.1}\nrules:\n  - id: hint\n    phrases: [a, c]\n";
        assert_eq!(
            rubric_keys_changed(base, new),
            [
                "levels.senior.yes: 3.74 -> 4.2",
                "rules[hint].phrases[1]: \"b\" -> \"c\""
            ]
        );
        assert!(rubric_keys_changed(base, base).is_empty());
        assert!(rubric_keys_changed(base, ": not yaml :").is_empty());
    }

    #[test]
    fn reports_a_flip_with_its_direction_and_causes() {
        let base = vec![summary("a", "Yes", [4, 4])];
        let mut new = vec![summary("a", "No", [4, 4])];
        new[0].rules.insert("red_flag:accuracy_is_enough".into());
        new[0].red_flags.insert("accuracy_is_enough@3".into());
        let report = compare(&base, &new, 0);
        assert!(report.moved());
        let change = &report.changed[0];
        assert_eq!(change.flip.as_deref(), Some("Yes -> No"));
        assert_eq!(change.direction, Some("down"));
        assert_eq!(change.causes_added, ["red_flag:accuracy_is_enough"]);
        assert_eq!(report.totals.flips_down, 1);
        assert_eq!(report.totals.red_flags_added, 1);
    }

    #[test]
    fn tolerance_decides_whether_a_score_change_moves() {
        let base = vec![summary("a", "Yes", [4, 4])];
        let new = vec![summary("a", "Yes", [3, 4])];
        assert!(compare(&base, &new, 0).moved());
        let within = compare(&base, &new, 1);
        assert!(!within.moved());
        assert_eq!(within.changed[0].scores["ml_fundamentals"], (4, 3));
        let beyond = vec![summary("a", "Yes", [2, 4])];
        assert!(compare(&base, &beyond, 1).moved());
    }

    #[test]
    fn lists_added_removed_and_newly_failing() {
        let base = vec![summary("a", "Yes", [4, 4]), summary("b", "No", [2, 2])];
        let mut failing = summary("a", "Yes", [4, 4]);
        failing.status = "error".into();
        failing.recommendation = None;
        failing.scores.clear();
        let new = vec![failing, summary("c", "Neutral", [3, 3])];
        let report = compare(&base, &new, 0);
        assert_eq!(report.added, ["c (c.json)"]);
        assert_eq!(report.removed, ["b (b.json)"]);
        assert_eq!(report.totals.newly_failing, 1);
        assert!(report.moved());
    }

    #[test]
    fn identical_runs_do_not_move() {
        let base = vec![summary("a", "Yes", [4, 4])];
        let report = compare(&base, &base, 0);
        assert!(!report.moved());
        assert!(report.changed.is_empty());
        assert!(render(&report, true).contains("no change beyond the tolerance"));
    }
}
