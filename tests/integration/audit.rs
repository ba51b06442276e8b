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

#[test]
fn timing_findings_where_timestamps_exist() {
    let dir = temp_dir();
    let transcript = serde_json::json!({
        "id": "timed",
        "turns": [
            {"speaker": "interviewer", "text": "Explain regularization. When L1 vs L2?", "at": "00:00:10"},
            {"speaker": "candidate", "text": "I am not sure, maybe it is about the data size.", "at": "00:01:00"},
            {"speaker": "interviewer", "text": "Incorrect. Regularization penalises weights. Correct approach: L1 for sparsity, L2 for shrinkage. Next question. Design fraud detection with 1:10000 class imbalance.", "at": "00:07:30"},
            {"speaker": "candidate", "text": "I would use SMOTE and class weights because positives are rare, then tune the threshold on PR-AUC rather than ROC.", "at": "00:08:00"},
            {"speaker": "interviewer", "text": "Correct. Implement monitoring for a production recommender system.", "at": "00:25:00"},
            {"speaker": "candidate", "text": "I would track CTR, conversion, feature drift with PSI, latency and error rates, with alerts in Prometheus.", "at": "00:26:00"},
            {"speaker": "interviewer", "text": "Correct. Evaluate a binary classifier: which metrics beyond accuracy?", "at": "00:41:00"},
            {"speaker": "candidate", "text": "Precision and recall, F1 and PR-AUC, because with rare positives accuracy hides the misses; the threshold follows the cost of a false negative.", "at": "00:48:00"},
            {"speaker": "interviewer", "text": "Technical complete. Questions for me?", "at": "00:49:00"}
        ]
    });
    let path = crate::util::write(dir.path(), "timed.json", transcript.to_string());
    let json = debrief(["grade", path.to_str().unwrap()])
        .output()
        .expect_code(0)
        .json();
    let timing = json["evaluations"][0]["compliance"]["timing"]
        .as_array()
        .unwrap()
        .clone();
    let kinds: Vec<(&str, u64)> = timing
        .iter()
        .map(|t| (t["kind"].as_str().unwrap(), t["turn"].as_u64().unwrap()))
        .collect();
    assert!(kinds.contains(&("over_time", 8)), "{kinds:?}");
    assert!(kinds.contains(&("no_moving_on", 0)), "{kinds:?}");
    assert!(kinds.contains(&("missing_first_notice", 2)), "{kinds:?}");
    assert!(kinds.contains(&("missing_second_notice", 2)), "{kinds:?}");
    assert!(kinds.contains(&("phase_order", 6)), "{kinds:?}");
    assert!(kinds.contains(&("phase_over_budget", 6)), "{kinds:?}");
    for t in &timing {
        assert!(!t["message"].as_str().unwrap().is_empty());
    }
    let gaps: Vec<&str> = json["evaluations"][0]["compliance"]["coverage_gaps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["gap"].as_str().unwrap())
        .collect();
    assert!(gaps.contains(&"fairness_never_probed"), "{gaps:?}");
    assert!(!gaps.contains(&"production_never_probed"), "{gaps:?}");
}

#[test]
fn a_broken_template_names_its_missing_slot() {
    let json = debrief([
        "audit",
        "fixtures/interviews/template_breaker_chat.json",
        "--format",
        "json",
    ])
    .output()
    .expect_code(0)
    .json();
    let breach = json["breaches"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["rule"] == "malformed_template")
        .expect("a malformed template");
    assert_eq!(breach["turn"], 16);
    let message = breach["message"].as_str().unwrap();
    assert!(message.contains("'incorrect' template"), "{message}");
    assert!(message.contains("slot"), "{message}");
}

#[test]
fn a_forbidden_phrase_added_to_the_rubric_needs_no_code_change() {
    let dir = temp_dir();
    let rubric = std::fs::read_to_string(crate::util::root().join("rubric.yaml")).unwrap();
    let extended = rubric.replacen(
        "phrases: [great explanation,",
        "phrases: [describe how you deployed, great explanation,",
        1,
    );
    assert_ne!(rubric, extended);
    let path = crate::util::write(dir.path(), "team.yaml", extended);
    let audit = |rubric: Option<&str>| {
        let mut args = vec![
            "audit",
            "fixtures/labeled/scoring/yes_senior_terse.json",
            "--format",
            "json",
        ];
        if let Some(rubric) = rubric {
            args.extend(["--rubric", rubric]);
        }
        debrief(args).output().expect_code(0).json()["breaches"]
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!(audit(None), 0);
    assert_eq!(audit(Some(path.to_str().unwrap())), 1);
}

/// Every example response the guide gives is a valid instance of its template, so an
/// interviewer who copies the guide is never reported.
#[test]
fn the_guides_own_example_responses_are_clean() {
    let reply = |text: &str| serde_json::json!({"speaker": "interviewer", "text": text});
    let answer = |text: &str| serde_json::json!({"speaker": "candidate", "text": text});
    let examples = [
        "Correct. How would you deploy this model to handle 1000 req/sec?",
        "Correct but incomplete. You haven't addressed class imbalance. How do you handle it?",
        "Incorrect. Accuracy meaningless for 99:1 imbalanced data. Use precision-recall or F1. Next question.",
        "Explain how gradient descent updates weights mathematically.",
        "Moving on. Solution requires cost-sensitive learning and anomaly detection. Next question.",
    ];
    let mut turns = vec![
        reply("Evaluate a binary classifier. What metrics beyond accuracy?"),
        answer("Precision and recall, because false positives and false negatives cost different amounts."),
    ];
    for example in examples {
        turns.push(reply(example));
        turns.push(answer("Each step moves the weights against the gradient of the loss, scaled by the learning rate."));
    }
    turns.push(reply("Technical complete. Questions for me?"));
    turns.push(answer("No, thank you."));
    turns.push(reply("Recruiting will follow up."));
    let transcript = serde_json::json!({"id": "guide-examples", "turns": turns});
    let done = debrief(["audit", "-", "--format", "json"])
        .stdin(transcript.to_string())
        .output()
        .expect_code(0);
    assert_eq!(
        done.json()["breaches"],
        serde_json::json!([]),
        "{}",
        done.stdout()
    );
}

/// One defect is one breach: a struggle acknowledgement before a valid template is
/// reported as that, not also as a missing template; and a reply to a candidate's
/// request ("Sorry, could you repeat the numbers") owes no template.
#[test]
fn one_defect_is_one_breach() {
    let transcript = serde_json::json!({"id": "one-defect", "turns": [
        {"speaker": "interviewer", "text": "Design fraud detection with 1:10000 class imbalance."},
        {"speaker": "candidate", "text": "I would oversample the fraud class with SMOTE inside each training fold."},
        {"speaker": "interviewer", "text": "I can see this part is giving you trouble. Correct but incomplete. You haven't chosen a metric. Continue."},
        {"speaker": "candidate", "text": "Sorry, could you repeat the last part"},
        {"speaker": "interviewer", "text": "The metric for the imbalanced case."},
        {"speaker": "candidate", "text": "PR-AUC, because ROC-AUC looks good when negatives dominate."},
        {"speaker": "interviewer", "text": "Technical complete. Questions for me?"}
    ]});
    let done = debrief(["audit", "-", "--format", "json"])
        .stdin(transcript.to_string())
        .output()
        .expect_code(0);
    let rules: Vec<(String, u64)> = done.json()["breaches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["rule"].as_str().unwrap().to_string(),
                b["turn"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rules,
        [("acknowledges_struggle".to_string(), 2)],
        "{}",
        done.stdout()
    );
}

/// "Correct, and what a thoughtful answer" opens the CORRECT template with a comma:
/// the praise is the one breach, not also a missing or malformed template.
#[test]
fn praise_after_a_template_opened_with_a_comma_is_one_breach() {
    let transcript = serde_json::json!({"id": "comma", "turns": [
        {"speaker": "interviewer", "text": "Explain regularization. When L1 vs L2?"},
        {"speaker": "candidate", "text": "L1 zeroes weights and selects features; L2 shrinks them all, which suits correlated inputs."},
        {"speaker": "interviewer", "text": "Correct, that's a really thoughtful answer. How would you tune the penalty strength?"},
        {"speaker": "candidate", "text": "Cross-validation over a log-spaced grid."},
        {"speaker": "interviewer", "text": "Technical complete. Questions for me?"}
    ]});
    let done = debrief(["audit", "-", "--format", "json"])
        .stdin(transcript.to_string())
        .output()
        .expect_code(0);
    let rules: Vec<String> = done.json()["breaches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["rule"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(rules, ["encouragement"], "{}", done.stdout());
}

#[test]
fn a_gated_markdown_report_opens_with_its_verdict_and_quotes_the_failing() {
    let args = [
        "audit",
        "fixtures/labeled/compliance",
        "--by",
        "interviewer",
        "--format",
        "md",
        "--quiet",
    ];
    let failed = debrief(args)
        .arg("--fail-under")
        .arg("90")
        .output()
        .expect_code(1);
    let text = failed.stdout();
    let body: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
    assert!(
        body[1].starts_with(
            "**Gate failed**: 6 of 8 interviewers below 90%; worst: r.delacroix 44.44%."
        ),
        "{text}"
    );
    // The table runs worst first; each failing interviewer's breaches are quoted after it.
    let table: Vec<&str> = body
        .iter()
        .copied()
        .filter(|l| l.starts_with("| "))
        .skip(1)
        .collect();
    assert!(
        table[0].starts_with("| r.delacroix |") && table[7].contains("100.00%"),
        "{text}"
    );
    assert!(
        text.contains("### r.delacroix (44.44%)\n\n- `encouragement` in "),
        "{text}"
    );
    assert!(!text.contains("### h.okonkwo"), "{text}");

    let passed = debrief(args)
        .arg("--fail-under")
        .arg("40")
        .output()
        .expect_code(0);
    assert!(passed.stdout().contains(
        "**Gate passed**: all 8 interviewers at or above 40%; lowest: r.delacroix 44.44%."
    ));
    assert!(!passed.stdout().contains("###"));
    let ungated = debrief(args).output().expect_code(0);
    assert!(!ungated.stdout().contains("Gate"), "{}", ungated.stdout());
}

#[test]
fn junit_has_one_test_case_per_interviewer_failed_below_the_gate() {
    let args = [
        "audit",
        "fixtures/labeled/compliance",
        "--format",
        "junit",
        "--quiet",
    ];
    let gated = debrief(args)
        .arg("--fail-under")
        .arg("90")
        .output()
        .expect_code(1);
    let xml = gated.stdout();
    let document = roxmltree::Document::parse(&xml).unwrap();
    let cases: Vec<roxmltree::Node> = document
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len(), 8);
    let failed: Vec<&str> = cases
        .iter()
        .filter(|c| c.children().any(|n| n.has_tag_name("failure")))
        .map(|c| c.attribute("name").unwrap())
        .collect();
    assert_eq!(failed.len(), 6, "{failed:?}");
    assert!(failed.contains(&"r.delacroix") && !failed.contains(&"h.okonkwo"));
    let root = document.root_element();
    assert_eq!(
        (root.attribute("tests"), root.attribute("failures")),
        (Some("8"), Some("6"))
    );
    // The quotes survive the escaping.
    let out: String = cases[0]
        .descendants()
        .filter(|n| n.has_tag_name("system-out"))
        .filter_map(|n| n.text())
        .collect();
    assert!(out.contains("\"Don't be nervous,"), "{out}");

    let ungated = debrief(args).output().expect_code(0).stdout();
    let document = roxmltree::Document::parse(&ungated).unwrap();
    assert!(!document.descendants().any(|n| n.has_tag_name("failure")));
}

#[test]
fn github_annotations_are_one_per_breach() {
    let json = debrief([
        "audit",
        "fixtures/labeled/compliance",
        "--format",
        "json",
        "--quiet",
    ])
    .output()
    .expect_code(0)
    .json();
    let breaches = json["breaches"].as_array().unwrap().len();
    let text = debrief([
        "audit",
        "fixtures/labeled/compliance",
        "--format",
        "github",
        "--quiet",
    ])
    .arg("--fail-under")
    .arg("60")
    .output()
    .expect_code(1)
    .stdout();
    let lines: Vec<&str> = text.lines().collect();
    let per_breach: Vec<&&str> = lines.iter().filter(|l| l.contains(" file=")).collect();
    assert_eq!(per_breach.len(), breaches);
    for line in &per_breach {
        let (command, message) = line.split_once("::").unwrap().1.split_once("::").unwrap();
        assert!(
            command.starts_with("error file=") || command.starts_with("warning file="),
            "{line}"
        );
        assert!(
            command.contains(",title=") && !message.contains('\n'),
            "{line}"
        );
    }
    // Interviewers below the gate: their breaches are errors, and one line says why.
    assert!(
        text.contains("::error title=debrief audit%3A r.delacroix::compliance 44.44% is below 60%")
    );
    assert!(
        per_breach.iter().any(|l| l.starts_with("::warning file=")),
        "{text}"
    );
}

/// Drift in fresh words: praise by appreciation ("I appreciate how you structured
/// it"), a struggle named as "a stretch for you", a Socratic nudge ("Would it
/// matter that ...?") each in a reply with no template.
#[test]
fn praise_struggle_and_nudges_in_fresh_words_are_breaches() {
    for (reply, rule) in [
        ("That's a really thorough walkthrough, I appreciate how you structured it.", "encouragement"),
        ("I can see this one is a stretch for you, and that's completely fine.", "acknowledges_struggle"),
        ("Would it matter that income runs into the hundreds of thousands while age stays under 100?", "hint"),
    ] {
        let e = crate::grade::grade_one(serde_json::json!({"turns": [
            {"speaker": "interviewer", "text": "How would you prepare features for a k-nearest-neighbours model?"},
            {"speaker": "candidate", "text": "I would one-hot encode the categories and feed the raw numbers in."},
            {"speaker": "interviewer", "text": reply},
            {"speaker": "candidate", "text": "Maybe, I am not sure."},
            {"speaker": "interviewer", "text": "Technical complete. Questions for me?"}
        ]}));
        let rules: Vec<&str> = e["compliance"]["violations"].as_array().unwrap().iter().map(|v| v["rule"].as_str().unwrap()).collect();
        assert!(rules.contains(&rule), "{reply}: {rules:?}");
    }
}
