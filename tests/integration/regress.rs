//! Rubric changes under control: `diff`, `grade --baseline`, `calibrate`, `rubric`.

use crate::util::{debrief, root, temp_dir, write};

#[test]
fn diff_reports_flips_drift_additions_removals_and_failures() {
    let done = debrief([
        "diff",
        "fixtures/diff/base.json",
        "fixtures/diff/new.json",
        "--format",
        "json",
    ])
    .output()
    .expect_code(1);
    let report = done.json();
    let totals = &report["totals"];
    assert_eq!(totals["compared"], 3);
    assert_eq!(totals["flips"], 1);
    assert_eq!(totals["flips_down"], 1);
    assert_eq!(totals["newly_failing"], 1);
    assert_eq!(totals["red_flags_added"], 2);
    assert_eq!(totals["breaches_added"], 1);
    assert_eq!(report["added"], serde_json::json!(["e (e.json)"]));
    assert_eq!(report["removed"], serde_json::json!(["d (d.json)"]));
    let a = &report["changed"][0];
    assert_eq!(a["flip"], "Yes -> No");
    assert_eq!(a["direction"], "down");
    assert_eq!(a["scores"]["ml_fundamentals"], serde_json::json!([4, 3]));
    let causes: Vec<&str> = a["causes_added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert!(
        causes.contains(&"red_flag:accuracy_is_enough"),
        "{causes:?}"
    );
    assert!(
        causes.iter().any(|c| c.starts_with("cap: capped at No")),
        "{causes:?}"
    );
}

#[test]
fn diff_tolerance_and_markdown() {
    let dir = temp_dir();
    let base = std::fs::read_to_string(root().join("fixtures/diff/base.json")).unwrap();
    // Only b's model_selection drops by one.
    let drifted = base.replacen(
        r#""scores": {"ml_fundamentals": 3, "feature_engineering": 3, "model_selection": 3"#,
        r#""scores": {"ml_fundamentals": 3, "feature_engineering": 3, "model_selection": 2"#,
        1,
    );
    assert_ne!(base, drifted);
    let drifted = write(dir.path(), "drifted.json", drifted);
    let args = |tolerance: &'static str| {
        vec![
            "diff".to_string(),
            "fixtures/diff/base.json".into(),
            drifted.to_str().unwrap().to_string(),
            "--tolerance".into(),
            tolerance.into(),
            "--format".into(),
            "md".into(),
        ]
    };
    let within = debrief(args("1")).output().expect_code(0);
    assert!(within.stdout().starts_with("## debrief diff\n"));
    assert!(
        within.stdout().contains("(within tolerance)"),
        "{}",
        within.stdout()
    );
    let beyond = debrief(args("0")).output().expect_code(1);
    assert!(beyond.stdout().contains("model_selection: 3 -> 2"));
    debrief(["diff", "fixtures/diff/base.json", "fixtures/diff/base.json"])
        .output()
        .expect_code(0);
    debrief(["diff", "fixtures/diff/base.json", "no/such.json"])
        .output()
        .expect_code(2);
}

#[test]
fn grade_with_a_baseline_diffs_and_still_writes() {
    let dir = temp_dir();
    let base = dir.path().join("base.json");
    debrief([
        "grade",
        "fixtures/interviews",
        "-q",
        "-o",
        base.to_str().unwrap(),
    ])
    .output()
    .expect_code(0);
    let out = dir.path().join("new.json");
    let same = debrief([
        "grade",
        "fixtures/interviews",
        "-q",
        "--baseline",
        base.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ])
    .output()
    .expect_code(0);
    assert!(
        same.stderr().contains("no change beyond the tolerance"),
        "{}",
        same.stderr()
    );
    assert!(out.exists());
    // A stricter rubric: any red flag caps at Strong No.
    let rubric = std::fs::read_to_string(root().join("rubric.yaml")).unwrap();
    let strict = rubric.replacen(
        "    - { count: 2, cap: \"No\" }",
        "    - { count: 1, cap: \"Strong No\" }",
        1,
    );
    assert_ne!(rubric, strict);
    let strict = write(dir.path(), "strict.yaml", strict);
    let moved = debrief([
        "grade",
        "fixtures/interviews",
        "-q",
        "--rubric",
        strict.to_str().unwrap(),
        "--baseline",
        base.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ])
    .output()
    .expect_code(1);
    assert!(
        moved.stderr().contains("results moved"),
        "{}",
        moved.stderr()
    );
    assert!(
        moved.stderr().contains("-> Strong No"),
        "{}",
        moved.stderr()
    );
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_ne!(written["rubric"]["sha256"], serde_json::json!(null));
}

#[test]
fn calibrate_reports_kappa_confusion_and_missing_ids() {
    let done = debrief([
        "calibrate",
        "fixtures/diff/new.json",
        "--labels",
        "fixtures/diff/labels.csv",
        "--format",
        "json",
    ])
    .output()
    .expect_code(0);
    let report = done.json();
    let rec = &report["overall"]["recommendation"];
    // a: panel Yes, debrief No; b: Neutral, Neutral.
    assert_eq!(rec["n"], 2);
    assert_eq!(rec["exact"], 0.5);
    assert_eq!(rec["confusion"][3][1], 1);
    assert_eq!(rec["confusion"][2][2], 1);
    assert_eq!(report["missing_results"], serde_json::json!(["d", "zz"]));
    assert!(report["by_interviewer"]["agent-1"].is_object());
    let perfect = debrief([
        "calibrate",
        "fixtures/diff/base.json",
        "--labels",
        "fixtures/diff/labels.csv",
        "--min-kappa",
        "0.8",
    ])
    .output()
    .expect_code(0);
    assert!(
        perfect.stdout().contains("kappa 1.000"),
        "{}",
        perfect.stdout()
    );
    let gated = debrief([
        "calibrate",
        "fixtures/diff/new.json",
        "--labels",
        "fixtures/diff/labels.csv",
        "--min-kappa",
        "0.8",
    ])
    .output()
    .expect_code(1);
    assert!(gated.stderr().contains("below 0.8"), "{}", gated.stderr());
}

/// (what to break, replacement, a unique marker with a `^` where the problem must be
/// reported (the `^` left out when looking for it), expected message fragment, error or
/// warning)
const BROKEN: &[(&str, &str, &str, &str, bool)] = &[
    (
        "name: ml-interview-guide",
        "nmae: ml-interview-guide",
        "^nmae:",
        "error: unknown key 'nmae', did you mean 'name'?",
        true,
    ),
    (
        "\n      strong_yes: ",
        "\n      strong_yess: ",
        "\n      ^strong_yess: ",
        "error: recommendation.levels.senior: unknown key 'strong_yess', did you mean 'strong_yes'?",
        true,
    ),
    (
        "  bare_mention_share: ",
        "  bare_mention_share: lots # ",
        "bare_mention_share: ^lots",
        "error: credit.bare_mention_share: expected a number, found a string \"lots\"",
        true,
    ),
    (
        "'\\b(do|does|did) not (really )?need (a |any |to do )?(separate",
        "'\\b(do|does|did not (really )?need (a |any |to do )?(separate",
        "^'\\b(do|does|did not",
        "error: red_flags.no_validation_needed: invalid pattern",
        true,
    ),
    (
        "    dimensions: [ml_fundamentals]\n  - id: bias_variance",
        "    dimensions: [ml_fundamentalz]\n  - id: bias_variance",
        "[^ml_fundamentalz]",
        "error: concepts[0].dimensions[0]: unknown value 'ml_fundamentalz', did you mean 'ml_fundamentals'?",
        true,
    ),
    (
        "question: q3_overfitting_debug, point",
        "question: q99_nothing, point",
        "question: ^q99_nothing",
        "error: derived_red_flags.missed_points: undefined question 'q99_nothing'",
        true,
    ),
    (
        "  challenging_templates: [incorrect, incomplete, moving_on]",
        "  challenging_templates: [incorrect, incomplete, moving_onn]",
        "incomplete, ^moving_onn]",
        "error: coverage.challenging_templates: undefined template 'moving_onn', did you mean 'moving_on'?",
        true,
    ),
    (
        "  - id: bias_variance",
        "  - id: overfitting",
        "id: ^overfitting\n    name: the bias",
        "error: concepts: duplicate id 'overfitting'",
        true,
    ),
    (
        "    senior:\n      strong_yes: ",
        "    senior:\n      strong_yes: 1.0 # ",
        "senior:\n      strong_yes: ^1.0",
        "error: recommendation.levels.senior: thresholds must rise",
        true,
    ),
    (
        "phrases: [accuracy is enough,",
        "phrases: [cross validation, accuracy is enough,",
        "[^cross validation, accuracy is enough",
        "warning: red_flags: phrase 'cross validation' of 'accuracy_is_enough' is also a term of concept 'cross_validation'",
        false,
    ),
    (
        "  dimension: communication\n  base:",
        "  dimension: ml_fundamentals\n  base:",
        "id: ^communication,",
        "warning: dimensions: nothing feeds 'communication'",
        false,
    ),
];

#[test]
fn rubric_check_points_at_every_kind_of_problem() {
    let dir = temp_dir();
    let rubric = std::fs::read_to_string(root().join("rubric.yaml")).unwrap();
    for (index, (from, to, marker, message, error)) in BROKEN.iter().enumerate() {
        assert!(
            rubric.contains(from),
            "case {index}: '{from}' not in rubric.yaml"
        );
        let broken = rubric.replacen(from, to, 1);
        let caret = marker.find('^').expect("a ^ in the marker");
        let marker_at = broken
            .find(&marker.replace('^', ""))
            .unwrap_or_else(|| panic!("case {index}: marker"))
            + caret;
        let line = broken[..marker_at].matches('\n').count() + 1;
        let line_start = broken[..marker_at].rfind('\n').map_or(0, |nl| nl + 1);
        let column = broken[line_start..marker_at].chars().count() + 1;
        let path = write(dir.path(), &format!("broken{index}.yaml"), &broken);
        let done = debrief(["rubric", "check", path.to_str().unwrap()]).output();
        let out = done.stdout();
        let expected_code = if *error { 2 } else { 0 };
        assert_eq!(done.code(), expected_code, "case {index}:\n{out}");
        let expected = format!(
            "{}: line {line}, column {column}: {message}",
            path.display()
        );
        assert!(
            out.lines().any(|l| l.starts_with(&expected)),
            "case {index}: no\n{expected}\nin\n{out}"
        );
    }
}

#[test]
fn the_default_rubric_checks_clean_and_prints() {
    let done = debrief(["rubric", "check"]).output().expect_code(0);
    assert!(
        done.stdout().ends_with("0 errors, 0 warnings\n"),
        "{}",
        done.stdout()
    );
    let printed = debrief(["rubric", "print"]).output().expect_code(0);
    let rubric = std::fs::read_to_string(root().join("rubric.yaml")).unwrap();
    assert_eq!(printed.stdout(), rubric);
}

/// calibrate refuses a transcript labeled twice (it would count twice) and says when
/// n is too small for kappa; diff refuses a score that is not 1-5 instead of reading 0.
#[test]
fn calibrate_and_diff_refuse_what_would_mislead() {
    let dir = temp_dir();
    let results = dir.path().join("r.json");
    debrief([
        "grade",
        "fixtures/interviews/strong_staff_fraud.json",
        "--quiet",
        "-o",
        results.to_str().unwrap(),
    ])
    .output()
    .expect_code(0);
    let twice = write(
        dir.path(),
        "twice.csv",
        "id,recommendation\nstrong_staff_fraud,Yes\nstrong_staff_fraud,No\n",
    );
    let done = debrief([
        "calibrate",
        results.to_str().unwrap(),
        "--labels",
        twice.to_str().unwrap(),
    ])
    .output()
    .expect_code(2);
    assert!(done.stderr().contains("labeled again"), "{}", done.stderr());
    let once = write(
        dir.path(),
        "once.csv",
        "id,recommendation\nstrong_staff_fraud,Yes\n",
    );
    let done = debrief([
        "calibrate",
        results.to_str().unwrap(),
        "--labels",
        once.to_str().unwrap(),
    ])
    .output()
    .expect_code(0);
    assert!(done.stdout().contains("n too small"), "{}", done.stdout());
    let huge = write(
        dir.path(),
        "huge.json",
        "{\"evaluations\": [{\"id\": \"a\", \"scores\": {\"ml_fundamentals\": 1e308}}]}",
    );
    let done = debrief(["diff", results.to_str().unwrap(), huge.to_str().unwrap()])
        .output()
        .expect_code(2);
    assert!(
        done.stderr().contains(
            "huge.json: invalid type: floating point `1e+308`, expected a score from 1 to 5"
        ),
        "{}",
        done.stderr()
    );
}

/// A threshold change flips verdicts with no rule coming or going: diff shows the
/// overall before and after, each run's basis with the band's edges, and, given both
/// rubric files, the key that changed.
#[test]
fn a_threshold_change_explains_its_flips() {
    let (_dir, raised_path, base, new) = runs_before_and_after_a_threshold_change();
    let done = debrief(["diff"])
        .arg(&base)
        .arg(&new)
        .arg("--rubrics")
        .arg(root().join("rubric.yaml"))
        .arg(&raised_path)
        .output()
        .expect_code(1);
    let text = done.stdout();
    assert!(
        text.contains("changed: recommendation.levels.senior.yes: 3.74 -> 4.6"),
        "{text}"
    );
    assert!(
        text.contains("solid_senior_recsys (fixtures/interviews/solid_senior_recsys.md): Yes -> Neutral\n  overall: 4.49 -> 4.49\n"),
        "{text}"
    );
    assert!(
        text.contains("gives Neutral (Neutral from 3.11, Yes from 4.60)"),
        "{text}"
    );
    let json = debrief(["diff", "--format", "json"])
        .arg(&base)
        .arg(&new)
        .output()
        .expect_code(1)
        .json();
    let rubrics = &json["rubrics"];
    assert_ne!(rubrics["base_sha256"], rubrics["new_sha256"]);
    assert!(rubrics["base_sha256"].as_str().unwrap().len() == 64);
}

/// The same comparison for CI systems: a JUnit test case per transcript, failed when
/// it moved, and a GitHub annotation on the file of each transcript that moved.
#[test]
fn diff_speaks_junit_and_github() {
    let (_dir, _, base, new) = runs_before_and_after_a_threshold_change();
    let xml = debrief(["diff", "--format", "junit"])
        .arg(&base)
        .arg(&new)
        .output()
        .expect_code(1)
        .stdout();
    let document = roxmltree::Document::parse(&xml).unwrap();
    let cases: Vec<_> = document
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len(), 12);
    let failed: Vec<&str> = cases
        .iter()
        .filter(|c| c.children().any(|n| n.has_tag_name("failure")))
        .map(|c| c.attribute("name").unwrap())
        .collect();
    assert_eq!(
        failed,
        [
            "production_heavy_senior (fixtures/interviews/production_heavy_senior.md)",
            "solid_senior_recsys (fixtures/interviews/solid_senior_recsys.md)"
        ]
    );
    let github = debrief(["diff", "--format", "github"])
        .arg(&base)
        .arg(&new)
        .output()
        .expect_code(1)
        .stdout();
    assert_eq!(
        github.lines().collect::<Vec<_>>(),
        [
            "::error file=fixtures/interviews/production_heavy_senior.md,title=debrief diff%3A production_heavy_senior::Yes -> Neutral (overall 4.47 -> 4.47)",
            "::error file=fixtures/interviews/solid_senior_recsys.md,title=debrief diff%3A solid_senior_recsys::Yes -> Neutral (overall 4.49 -> 4.49)",
        ]
    );
    // Unmoved: every test case passes, no annotation.
    let same = debrief(["diff", "--format", "junit"])
        .arg(&base)
        .arg(&base)
        .output()
        .expect_code(0)
        .stdout();
    assert!(!same.contains("<failure"));
}

/// Grades the bundled interviews with the rubric as it is and with the senior Yes
/// threshold raised from 3.74 to 4.60: (the temp dir, the raised rubric, base
/// results, new results).
fn runs_before_and_after_a_threshold_change() -> (
    tempfile::TempDir,
    std::path::PathBuf,
    std::path::PathBuf,
    std::path::PathBuf,
) {
    let dir = temp_dir();
    let rubric = std::fs::read_to_string(root().join("rubric.yaml")).unwrap();
    let raised = rubric.replacen("      yes: 3.74\n", "      yes: 4.60\n", 1);
    assert_ne!(
        rubric, raised,
        "the senior Yes threshold moved in rubric.yaml"
    );
    let raised_path = write(dir.path(), "raised.yaml", &raised);
    let base = dir.path().join("base.json");
    let new = dir.path().join("new.json");
    debrief(["grade", "fixtures/interviews", "--quiet", "-o"])
        .arg(&base)
        .output()
        .expect_code(0);
    debrief(["grade", "fixtures/interviews", "--quiet", "--rubric"])
        .arg(&raised_path)
        .arg("-o")
        .arg(&new)
        .output()
        .expect_code(0);
    (dir, raised_path, base, new)
}
