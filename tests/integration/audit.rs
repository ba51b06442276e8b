//! `debrief audit` and the compliance block of `grade`.

use crate::util::{debrief, temp_dir};

#[test]
fn lists_every_breach_with_turn_time_and_quote() {
    let done = debrief([
        "audit",
        "fixtures/labeled/compliance/breaches_friendly_human.md",
    ])
    .output()
    .expect_code(0);
    let mut reader = csv::Reader::from_reader(done.0.stdout.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "source",
            "id",
            "interviewer",
            "turn",
            "at",
            "rule",
            "quote",
            "message"
        ]
    );
    let rows: Vec<(String, String, String)> = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[3].to_string(), r[4].to_string(), r[5].to_string())
        })
        .collect();
    assert!(rows.contains(&("2".into(), "00:04:30".into(), "encouragement".into())));
    assert!(rows.contains(&("4".into(), "00:07:20".into(), "hint".into())));
    assert!(rows.contains(&("14".into(), "00:16:50".into(), "feedback_at_end".into())));
}

#[test]
fn candidate_words_are_never_breaches() {
    // The candidate says "great explanation", "good choice", "have you considered".
    let done = debrief([
        "audit",
        "fixtures/interviews/negation_traps.md",
        "--format",
        "json",
    ])
    .output()
    .expect_code(0);
    assert_eq!(done.json()["breaches"], serde_json::json!([]));
}

#[test]
fn pools_compliance_per_interviewer_worst_first() {
    let done = debrief([
        "audit",
        "fixtures/labeled/compliance",
        "--by",
        "interviewer",
        "--format",
        "json",
    ])
    .output()
    .expect_code(0);
    let json = done.json();
    let rows = json["interviewers"].as_array().unwrap();
    let compliance: Vec<f64> = rows
        .iter()
        .map(|r| r["compliance"].as_f64().unwrap())
        .collect();
    let mut sorted = compliance.clone();
    sorted.sort_by(f64::total_cmp);
    assert_eq!(compliance, sorted, "worst first");
    let total: u64 = rows
        .iter()
        .map(|r| r["transcripts"].as_u64().unwrap())
        .sum();
    assert_eq!(total, 16);
    for row in rows {
        let by_rule: u64 = row["breaches_by_rule"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_u64().unwrap())
            .sum();
        assert_eq!(by_rule, row["breaches"].as_u64().unwrap());
    }
}

#[test]
fn markdown_reads_as_a_ci_summary() {
    let done = debrief([
        "audit",
        "fixtures/labeled/compliance",
        "--by",
        "interviewer",
        "--format",
        "md",
    ])
    .output()
    .expect_code(0);
    let text = done.stdout();
    assert!(text.starts_with("## debrief audit: compliance by interviewer\n"));
    assert!(text.contains("| interviewer | transcripts |"));
    let dir = temp_dir();
    let out = dir.path().join("summary.md");
    debrief([
        "audit",
        "fixtures/labeled/compliance",
        "-o",
        out.to_str().unwrap(),
    ])
    .output()
    .expect_code(0);
    let written = std::fs::read_to_string(out).unwrap();
    assert!(written.starts_with("## debrief audit: interviewer breaches\n"));
    assert!(written.trim_end().ends_with("breaches in 16 transcripts."));
}

#[test]
fn fail_under_gates_with_exit_1() {
    debrief([
        "audit",
        "fixtures/labeled/compliance/compliant_recsys_timed.json",
        "--fail-under",
        "100",
    ])
    .output()
    .expect_code(0);
    let done = debrief([
        "audit",
        "fixtures/labeled/compliance/breaches_friendly_human.md",
        "--fail-under",
        "90",
    ])
    .output()
    .expect_code(1);
    assert!(
        done.stderr().contains("compliance below 90%: p.osei"),
        "{}",
        done.stderr()
    );
    debrief(["audit", "fixtures", "--fail-under", "101"])
        .output()
        .expect_code(2);
}

#[test]
fn grade_reports_coverage_gaps_timing_and_verdicts() {
    let json = debrief([
        "grade",
        "fixtures/labeled/compliance/batch_mixed_compliance.jsonl",
    ])
    .output()
    .expect_code(0)
    .json();
    for e in json["evaluations"].as_array().unwrap() {
        let compliance = &e["compliance"];
        for key in [
            "verdict_disagreements",
            "coverage_gaps",
            "timing",
            "violations",
        ] {
            assert!(compliance[key].is_array(), "{key}");
        }
        let checks = compliance["checks"].as_u64().unwrap();
        let passed = compliance["passed"].as_u64().unwrap();
        assert_eq!(compliance["score"].as_u64().unwrap(), 100 * passed / checks);
    }
    let gaps: Vec<&str> = json["evaluations"][1]["compliance"]["coverage_gaps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["gap"].as_str().unwrap())
        .collect();
    assert!(gaps.contains(&"production_never_probed"), "{gaps:?}");
}
