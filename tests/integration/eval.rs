//! Quality floors on the labeled sets: a change that makes debrief agree less with
//! the labels fails the build. `make eval` prints the full report.

use crate::util::debrief;

fn report(path: &str) -> serde_json::Value {
    debrief(["eval", path, "--format", "json"])
        .output()
        .expect_code(0)
        .json()
}

#[test]
fn compliance_audit_meets_its_floors() {
    for (set, n) in [
        ("fixtures/labeled/compliance", 16),
        ("fixtures/labeled/compliance-validation", 12),
    ] {
        compliance_floors(set, n);
    }
}

fn compliance_floors(set: &str, n: u64) {
    let report = report(set);
    let compliance = &report["compliance"];
    assert_eq!(report["failures"], serde_json::json!([]));
    assert_eq!(compliance["n"], n, "{set}");
    let precision = compliance["precision"].as_f64().unwrap();
    let recall = compliance["recall"].as_f64().unwrap();
    assert!(
        precision >= 0.95,
        "precision {precision}: {}",
        compliance["errors"]
    );
    assert!(recall >= 0.90, "recall {recall}: {}", compliance["errors"]);
    assert_eq!(compliance["breaches_on_compliant"], 0);
    for (rule, agreement) in compliance["per_rule"].as_object().unwrap() {
        let recall = agreement["recall"].as_f64().unwrap();
        assert!(recall >= 0.75, "{set}: {rule} recall {recall}");
        let precision = agreement["precision"].as_f64().unwrap();
        assert!(precision >= 0.9, "{set}: {rule} precision {precision}");
    }
}

#[test]
fn candidate_scoring_meets_its_floors() {
    for set in [
        "fixtures/labeled/scoring",
        "fixtures/labeled/validation",
        "fixtures/interviews",
    ] {
        let report = report(set);
        assert_eq!(report["failures"], serde_json::json!([]), "{set}");
        let rec = &report["recommendation"];
        let acceptable = rec["within_acceptable"].as_f64().unwrap();
        let kappa = rec["quadratic_weighted_kappa"].as_f64().unwrap();
        assert!(
            acceptable >= 0.9,
            "{set}: within acceptable {acceptable}: {}",
            rec["misses"]
        );
        assert!(kappa >= 0.8, "{set}: kappa {kappa}");
        let flags = &report["red_flags"];
        let precision = flags["precision"].as_f64().unwrap();
        let recall = flags["recall"].as_f64().unwrap();
        assert!(
            precision >= 0.9,
            "{set}: red-flag precision {precision}: {}",
            flags["errors"]
        );
        assert!(
            recall >= 0.9,
            "{set}: red-flag recall {recall}: {}",
            flags["errors"]
        );
        assert_eq!(flags["raised_on_negated"], 0, "{set}: {}", flags["errors"]);
        let production = report["production_experience"]["accuracy"]
            .as_f64()
            .unwrap();
        assert!(
            production >= 0.9,
            "{set}: production experience {production}"
        );
    }
}

/// Real answers written outside this project (shared/corpus, beside the checkout in
/// CI): every one grades, as a two-turn transcript, without error.
#[test]
fn community_answers_grade_without_error() {
    let corpus = crate::util::root().join("../shared/corpus/dsi-theory-qa.jsonl");
    let Ok(text) = std::fs::read_to_string(&corpus) else {
        // Outside this workspace the corpus is not there; nothing to grade.
        return;
    };
    let mut lines = String::new();
    for (index, line) in text.lines().enumerate() {
        let entry: serde_json::Value = serde_json::from_str(line).unwrap();
        let transcript = serde_json::json!({
            "id": format!("dsi-{}", index + 1),
            "turns": [
                {"speaker": "interviewer", "text": entry["question"]},
                {"speaker": "candidate", "text": entry["answer"]},
            ]
        });
        lines.push_str(&transcript.to_string());
        lines.push('\n');
    }
    let done = debrief(["grade", "-", "--input-format", "jsonl", "--format", "jsonl"])
        .stdin(lines)
        .output()
        .expect_code(0);
    let graded: Vec<serde_json::Value> = done
        .stdout()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(graded.len(), 60);
    for e in &graded {
        assert_eq!(e["status"], "ok", "{e}");
        let exchange = &e["exchanges"][0];
        assert!(exchange["quality"].as_u64().unwrap() <= 100);
    }
}

/// A recording cannot carry `expect`; its labels sit beside it in
/// `<file name>.expect.yaml`, and a bad sidecar is reported as invalid labels.
#[test]
fn recordings_take_their_labels_from_a_sidecar_file() {
    let dir = crate::util::temp_dir();
    let vtt = std::fs::read(crate::util::fixture("formats/zoom.vtt")).unwrap();
    crate::util::write(dir.path(), "zoom.vtt", &vtt);
    crate::util::write(
        dir.path(),
        "zoom.vtt.expect.yaml",
        "expect:\n  production_experience: \"unclear\"\n  red_flags: []\n  level: staff\n",
    );
    crate::util::write(dir.path(), "third.vtt", &vtt);
    crate::util::write(
        dir.path(),
        "third.vtt.expect.yaml",
        "expect:\n  level: intern\n",
    );
    crate::util::write(dir.path(), "fourth.vtt", &vtt);
    crate::util::write(
        dir.path(),
        "fourth.vtt.expect.yaml",
        "expect:\n  red_flags: []\nlevel: trainee\n",
    );
    crate::util::write(dir.path(), "again.vtt", &vtt);
    crate::util::write(
        dir.path(),
        "again.vtt.expect.yaml",
        "expect:\n  production_experiense: \"yes\"\n",
    );
    let report = debrief(["eval", dir.path().to_str().unwrap(), "--format", "json"])
        .output()
        .expect_code(3)
        .json();
    assert_eq!(report["production_experience"]["n"], 1, "{report}");
    assert_eq!(report["red_flags"]["n"], 1, "{report}");
    let failures = report["failures"].as_array().unwrap();
    assert_eq!(failures.len(), 3, "{report}");
    let failure = failures[0].as_str().unwrap();
    assert!(failure.contains("again.vtt.expect.yaml"), "{failure}");
    assert!(failure.contains("production_experiense"), "{failure}");
    // The sidecar's level is the level graded at.
    let failure = failures[1].as_str().unwrap();
    assert!(failure.contains("unknown level 'trainee'"), "{failure}");
    let failure = failures[2].as_str().unwrap();
    assert!(failure.contains("unknown level 'intern'"), "{failure}");
}

/// `rubric fit` fits thresholds, reports each set left out, and writes a rubric that
/// loads, with only the thresholds changed.
#[test]
fn rubric_fit_reports_out_of_fold_agreement_and_writes_a_rubric() {
    let dir = crate::util::temp_dir();
    let fitted = dir.path().join("fitted.yaml");
    let report = debrief([
        "rubric",
        "fit",
        "fixtures/interviews",
        "fixtures/labeled/validation",
        "--format",
        "json",
        "-o",
        fitted.to_str().unwrap(),
    ])
    .output()
    .expect_code(0)
    .json();
    assert_eq!(
        report["out_of_fold"].as_array().unwrap().len(),
        2,
        "{report}"
    );
    assert_eq!(report["out_of_fold_pooled"]["n"], 32, "{report}");
    let cuts = report["fitted"]["cuts"].as_array().unwrap();
    let cuts: Vec<f64> = cuts.iter().map(|c| c.as_f64().unwrap()).collect();
    assert!(cuts.windows(2).all(|w| w[0] < w[1]), "{cuts:?}");
    debrief(["rubric", "check", fitted.to_str().unwrap()])
        .output()
        .expect_code(0);
    let original = std::fs::read_to_string(crate::util::root().join("rubric.yaml")).unwrap();
    let written = std::fs::read_to_string(&fitted).unwrap();
    let changed: Vec<(&str, &str)> = original
        .lines()
        .zip(written.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(original.lines().count(), written.lines().count());
    for (before, after) in changed {
        let key = |l: &str| l.trim().split(':').next().unwrap().to_string();
        assert_eq!(key(before), key(after));
        assert!(["no", "neutral", "yes", "strong_yes"].contains(&key(before).as_str()));
    }
}

/// The blind sets, once measured, are tuning sets: their after-tuning agreement is held
/// above floors so a change that loses it fails the build (their first measurements
/// are in fixtures/labeled/FIRST-MEASUREMENTS.md).
#[test]
fn blind_sets_after_tuning_stay_above_their_floors() {
    for set in [
        "fixtures/labeled/blind-2026-12-07/candidates",
        "fixtures/labeled/blind-2026-12-07b/candidates",
        "fixtures/labeled/blind-2026-12-07c/candidates",
    ] {
        let report = report(set);
        assert_eq!(report["failures"], serde_json::json!([]), "{set}");
        let rec = &report["recommendation"];
        let acceptable = rec["within_acceptable"].as_f64().unwrap();
        assert!(acceptable >= 0.9, "{set}: {acceptable}: {}", rec["misses"]);
        let flags = &report["red_flags"];
        assert!(
            flags["precision"].as_f64().unwrap() >= 0.75,
            "{set}: {}",
            flags["errors"]
        );
        assert!(
            flags["recall"].as_f64().unwrap() >= 0.4,
            "{set}: {}",
            flags["errors"]
        );
        let production = report["production_experience"]["accuracy"]
            .as_f64()
            .unwrap();
        assert!(production >= 0.8, "{set}: production {production}");
    }
    for set in [
        "fixtures/labeled/blind-2026-12-07/qa",
        "fixtures/labeled/blind-2026-12-07b/qa",
        "fixtures/labeled/blind-2026-12-07c/qa",
    ] {
        // Overall only: hints in fresh words are still the weakest rule (4 of 7 on
        // the first set after tuning), so no per-rule floor here.
        let report = report(set);
        let compliance = &report["compliance"];
        assert!(compliance["precision"].as_f64().unwrap() >= 0.95, "{set}");
        assert!(
            compliance["recall"].as_f64().unwrap() >= 0.9,
            "{set}: {}",
            compliance["errors"]
        );
        assert_eq!(compliance["breaches_on_compliant"], 0, "{set}");
    }
}
