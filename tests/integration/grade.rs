//! `debrief grade` on the bundled fixtures and on bad input.

use crate::util::{debrief, fixture, temp_dir, write};

#[test]
fn grades_the_bundled_fixtures_as_json() {
    let done = debrief(["grade", "fixtures/interviews"])
        .output()
        .expect_code(0);
    let json = done.json();
    assert_eq!(json["debrief"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(json["rubric"]["name"], "ml-interview-guide");
    assert_eq!(json["rubric"]["sha256"].as_str().unwrap().len(), 64);
    let evaluations = json["evaluations"].as_array().unwrap();
    assert!(evaluations.len() >= 8, "{} evaluations", evaluations.len());
    for e in evaluations {
        assert_eq!(e["status"], "ok", "{e}");
        assert!(e["error"].is_null());
        let scores = e["scores"].as_object().unwrap();
        let keys: Vec<&str> = scores.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "communication",
                "feature_engineering",
                "math_foundation",
                "ml_fundamentals",
                "model_selection",
                "production_readiness"
            ]
        );
        for value in scores.values() {
            let v = value.as_u64().unwrap();
            assert!((1..=5).contains(&v), "{value}");
        }
        let recommendation = e["recommendation"].as_str().unwrap();
        assert!(["Strong No", "No", "Neutral", "Yes", "Strong Yes"].contains(&recommendation));
        for list in ["strengths", "gaps"] {
            let items = e[list].as_array().unwrap();
            assert!((1..=3).contains(&items.len()), "{list}: {items:?}");
        }
        assert!(["yes", "no", "unclear"].contains(&e["production_experience"].as_str().unwrap()));
        let compliance = e["compliance"]["score"].as_u64().unwrap();
        assert!(compliance <= 100);
    }
}

fn evaluations(json: &serde_json::Value) -> &Vec<serde_json::Value> {
    json["evaluations"]
        .as_array()
        .expect("an evaluations array")
}

#[test]
fn csv_has_the_documented_columns_and_one_row_per_transcript() {
    let json = debrief(["grade", "fixtures/interviews"])
        .output()
        .expect_code(0)
        .json();
    let done = debrief(["grade", "fixtures/interviews", "--format", "csv"])
        .output()
        .expect_code(0);
    let mut reader = csv::Reader::from_reader(done.0.stdout.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "source",
            "id",
            "status",
            "error",
            "candidate",
            "interviewer",
            "level",
            "ml_fundamentals",
            "feature_engineering",
            "model_selection",
            "production_readiness",
            "math_foundation",
            "communication",
            "overall",
            "assessment",
            "recommendation",
            "production_experience",
            "strengths",
            "gaps",
            "red_flag_count",
            "compliance_score",
            "violation_count",
            "speaker_roles",
            "speaker_confidence"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let expected = evaluations(&json);
    assert_eq!(rows.len(), expected.len());
    for (row, e) in rows.iter().zip(expected) {
        let text = |v: &serde_json::Value| v.as_str().unwrap_or("").to_string();
        assert_eq!(&row[1], e["id"].as_str().unwrap());
        assert_eq!(row[4], text(&e["candidate"]));
        assert_eq!(row[5], text(&e["interviewer"]));
        assert_eq!(row[6], text(&e["level"]));
        assert_eq!(&row[7], e["scores"]["ml_fundamentals"].to_string());
        assert_eq!(row[13], format!("{:.2}", e["overall"].as_f64().unwrap()));
        assert_eq!(&row[14], e["assessment"].as_str().unwrap());
        assert_eq!(&row[15], e["recommendation"].as_str().unwrap());
        assert_eq!(
            &row[19],
            e["red_flags"].as_array().unwrap().len().to_string()
        );
        assert_eq!(&row[20], e["compliance"]["score"].to_string());
        let strengths: Vec<&str> = e["strengths"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect();
        assert_eq!(&row[17], strengths.join(" | "));
    }
}

#[test]
fn jsonl_writes_one_evaluation_per_line_in_input_order() {
    let json = debrief(["grade", "fixtures/interviews"])
        .output()
        .expect_code(0)
        .json();
    let done = debrief(["grade", "fixtures/interviews", "--format", "jsonl"])
        .output()
        .expect_code(0);
    let lines: Vec<serde_json::Value> = done
        .stdout()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(&lines, evaluations(&json));
    let sources: Vec<&str> = lines
        .iter()
        .map(|l| l["source"].as_str().unwrap())
        .collect();
    let mut sorted = sources.clone();
    sorted.sort();
    assert_eq!(sources, sorted, "directories are read in sorted order");
    let ids: Vec<&str> = lines.iter().map(|l| l["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&"batch-short-1") && ids.contains(&"batch-short-3"));
}

#[test]
fn output_is_identical_whatever_the_thread_count() {
    for format in ["json", "csv", "jsonl"] {
        let args = |jobs| {
            [
                "grade",
                "fixtures/interviews",
                "fixtures/bad",
                "fixtures/labeled/compliance",
                "--format",
                format,
                "--jobs",
                jobs,
            ]
        };
        let one = debrief(args("1")).output();
        let eight = debrief(args("8")).output();
        assert_eq!(one.code(), 3, "fixtures/bad makes the batch partial");
        assert_eq!(
            one.0.stdout, eight.0.stdout,
            "{format} differs between --jobs 1 and 8"
        );
    }
}

#[test]
fn reads_one_transcript_from_stdin() {
    let text = std::fs::read(fixture("interviews/weak_early_exit.md")).unwrap();
    let from_file = debrief(["grade", "fixtures/interviews/weak_early_exit.md"])
        .output()
        .expect_code(0)
        .json();
    for args in [
        vec!["grade", "-", "--input-format", "markdown"],
        vec!["grade", "-"],
    ] {
        let json = debrief(args)
            .stdin(text.clone())
            .output()
            .expect_code(0)
            .json();
        let e = &evaluations(&json)[0];
        assert_eq!(e["source"], "-");
        assert_eq!(e["scores"], evaluations(&from_file)[0]["scores"]);
        assert_eq!(
            e["recommendation"],
            evaluations(&from_file)[0]["recommendation"]
        );
    }
}

#[test]
fn bad_files_become_error_evaluations_and_the_batch_goes_on() {
    let done = debrief([
        "grade",
        "fixtures/bad",
        "fixtures/interviews/strong_staff_fraud.json",
    ])
    .output()
    .expect_code(3);
    let json = done.json();
    let all = evaluations(&json);
    let expect = [
        ("binary.json", "line 3, column 1: binary data"),
        ("empty.json", "the file is empty"),
        ("invalid_syntax.json", "line 2, column 29: invalid JSON"),
        ("invalid_utf8.md", "line 1, column 4: invalid UTF-8"),
        (
            "malformed_timestamp.md",
            "line 1, column 19: invalid timestamp '00:75:00'",
        ),
        (
            "no_candidate_turns.json",
            "the transcript has no candidate turns",
        ),
        ("no_labels.md", "no speaker labels found"),
        ("no_turns.json", "the transcript has no turns"),
        (
            "out_of_order_timestamps.md",
            "timestamps run backwards: turn 1",
        ),
        (
            "text_not_string.json",
            "line 2, column 39: invalid JSON: invalid type: integer",
        ),
        ("truncated.json", "line 4: truncated JSON"),
        (
            "turns_not_array.json",
            "line 1, column 10: invalid JSON: invalid type: map",
        ),
        (
            "unknown_speaker.json",
            "turn 1 has unknown speaker 'recruiter'",
        ),
        (
            "unterminated_front_matter.md",
            "line 1, column 1: front matter",
        ),
        ("whitespace_only.md", "the file holds only white space"),
        ("wrong_shape.json", "line 1: expected a transcript object"),
        ("turn_without_speaker.json", "turn 0 has no \"speaker\""),
        ("turn_without_text.json", "turn 1 has no \"text\""),
        (
            "no_interviewer_turns.json",
            "the transcript has no interviewer turns",
        ),
        (
            "invalid_front_matter.md",
            "line 3, column 10: invalid front matter",
        ),
        (
            "vtt_without_header.vtt",
            "line 1: expected the header 'WEBVTT'",
        ),
        (
            "vtt_bad_timing.vtt",
            "line 8: invalid cue start time '00:00:xx.500'",
        ),
        (
            "srt_garbage_block.srt",
            "line 9: expected a subtitle number or a timing line",
        ),
        ("one_speaker.srt", "only one speaker, 'Dana Reyes'"),
        (
            "deepgram_without_utterances.json",
            "Deepgram response without speakers",
        ),
        (
            "whisperx_segment_without_text.json",
            "WhisperX segments[1] has no \"text\" string",
        ),
        ("export_without_speech.txt", "no speech found"),
        (
            "speakers_map_invalid.json",
            "\"speakers\" must map speaker labels to roles",
        ),
        (
            "backwards_export.txt",
            "timestamps run backwards: turn 1 at 00:00:12",
        ),
        (
            "not_json.json",
            "line 1, column 2: invalid JSON: a bare word where a value should be",
        ),
        (
            "utf16_without_bom.json",
            "UTF-16 (little-endian) without a byte-order mark",
        ),
    ];
    for (file, message) in expect {
        let e = all
            .iter()
            .find(|e| e["source"].as_str().unwrap().ends_with(file))
            .unwrap_or_else(|| panic!("no evaluation for {file}"));
        assert_eq!(e["status"], "error", "{file}");
        let error = e["error"].as_str().unwrap();
        assert!(
            error.starts_with(&format!("fixtures/bad/{file}: {message}")),
            "{file}: {error}"
        );
        assert!(!error.contains('\n'), "one line: {error}");
        assert!(e["scores"].is_null() && e["recommendation"].is_null());
        assert!(done.stderr().contains(error), "stderr names {file}");
    }
    let graded: Vec<&str> = all
        .iter()
        .filter(|e| e["status"] == "ok")
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        graded,
        [
            "duplicate",
            "duplicate",
            "one_bad_line:1",
            "one_bad_line:3",
            "utf16",
            "bom",
            "strong_staff_fraud"
        ]
    );
    let bad_line = all.iter().find(|e| e["id"] == "one_bad_line:2").unwrap();
    assert!(bad_line["error"]
        .as_str()
        .unwrap()
        .starts_with("fixtures/bad/one_bad_line.jsonl: line 2, column 12: invalid JSON"));
    assert!(
        done.stderr().contains("graded 7, failed 32"),
        "{}",
        done.stderr()
    );
}

#[test]
fn a_missing_path_fails_alone() {
    let done = debrief([
        "grade",
        "no/such/file.json",
        "fixtures/interviews/weak_early_exit.md",
    ])
    .output()
    .expect_code(3);
    let json = done.json();
    let all = evaluations(&json);
    assert_eq!(all.len(), 2);
    assert_eq!(all[0]["status"], "error");
    assert_eq!(
        all[0]["error"],
        "no/such/file.json: no such file or directory"
    );
    assert_eq!(all[1]["status"], "ok");
}

#[test]
fn writes_output_files_atomically_and_keeps_the_old_one_on_fatal_errors() {
    let dir = temp_dir();
    let out = dir.path().join("results.csv");
    let out_arg = out.to_str().unwrap();
    debrief(["grade", "fixtures/interviews", "-o", out_arg, "--quiet"])
        .output()
        .expect_code(0);
    let first = std::fs::read_to_string(&out).unwrap();
    assert!(
        first.starts_with("source,id,status"),
        "format follows the extension"
    );

    let bad_rubric = write(dir.path(), "bad.yaml", "name: x\n");
    let done = debrief([
        "grade",
        "fixtures/interviews",
        "-o",
        out_arg,
        "--rubric",
        bad_rubric.to_str().unwrap(),
    ])
    .output()
    .expect_code(2);
    assert!(
        done.stderr().contains("invalid rubric"),
        "{}",
        done.stderr()
    );
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        first,
        "old file intact"
    );

    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "no temporary files left: {leftovers:?}"
    );

    let done = debrief([
        "grade",
        "fixtures/interviews",
        "-o",
        "/nonexistent-dir/out.json",
    ])
    .output()
    .expect_code(2);
    assert!(done.stderr().contains("/nonexistent-dir/out.json"));
    assert!(done.stdout().is_empty());
}

#[test]
fn the_embedded_rubric_works_from_any_directory() {
    let dir = temp_dir();
    let path = fixture("interviews/strong_staff_fraud.json");
    let done = debrief(["grade", path.to_str().unwrap()])
        .current_dir(dir.path())
        .output()
        .expect_code(0);
    assert_eq!(evaluations(&done.json())[0]["status"], "ok");
}

#[test]
fn a_rubric_file_replaces_the_embedded_one() {
    let dir = temp_dir();
    let rubric = std::fs::read_to_string(crate::util::root().join("rubric.yaml")).unwrap();
    let renamed = rubric.replacen("name: ml-interview-guide", "name: team-rubric", 1);
    let path = write(dir.path(), "team.yaml", renamed);
    let json = debrief([
        "grade",
        "fixtures/interviews/weak_early_exit.md",
        "--rubric",
        path.to_str().unwrap(),
    ])
    .output()
    .expect_code(0)
    .json();
    assert_eq!(json["rubric"]["name"], "team-rubric");

    let typo = rubric.replacen("red_flags:", "red_flagz:", 1);
    let path = write(dir.path(), "typo.yaml", typo);
    let done = debrief([
        "grade",
        "fixtures/interviews",
        "--rubric",
        path.to_str().unwrap(),
    ])
    .output()
    .expect_code(2);
    assert!(done.stdout().is_empty(), "nothing written on a fatal error");
    assert!(done.stderr().contains("red_flagz"), "{}", done.stderr());
    assert!(done.stderr().contains("line "), "{}", done.stderr());
}

#[test]
fn bad_arguments_exit_2() {
    debrief(["grade"]).output().expect_code(2);
    debrief(["grade", "fixtures", "--format", "xml"])
        .output()
        .expect_code(2);
    debrief(["grade", "fixtures", "--jobs", "0"])
        .output()
        .expect_code(2);
}

#[test]
fn quiet_silences_the_summary_but_not_errors() {
    let done = debrief(["grade", "fixtures/bad/empty.json", "--quiet"])
        .output()
        .expect_code(3);
    assert_eq!(
        done.stderr(),
        "error: fixtures/bad/empty.json: the file is empty\n"
    );
    let done = debrief(["grade", "fixtures/interviews/weak_early_exit.md"])
        .output()
        .expect_code(0);
    assert!(done
        .stderr()
        .starts_with("debrief: graded 1, failed 0, elapsed "));
}

#[test]
fn shards_concatenated_in_order_equal_one_run() {
    let one = debrief([
        "grade",
        "fixtures/interviews",
        "fixtures/labeled",
        "--format",
        "jsonl",
    ])
    .output()
    .expect_code(0)
    .stdout();
    let mut joined = String::new();
    for k in 1..=4 {
        let shard = format!("{k}/4");
        let part = debrief([
            "grade",
            "fixtures/interviews",
            "fixtures/labeled",
            "--format",
            "jsonl",
            "--shard",
            &shard,
        ])
        .output()
        .expect_code(0)
        .stdout();
        assert!(!part.is_empty(), "shard {shard} is empty");
        joined.push_str(&part);
    }
    assert_eq!(joined, one);
    debrief(["grade", "fixtures", "--shard", "5/4"])
        .output()
        .expect_code(2);
    debrief(["grade", "fixtures", "--shard", "0/4"])
        .output()
        .expect_code(2);
}

#[test]
fn writing_to_a_device_keeps_the_device() {
    let before = std::fs::metadata("/dev/null").unwrap().file_type();
    assert!(!before.is_file());
    debrief([
        "grade",
        "fixtures/interviews/weak_early_exit.md",
        "-o",
        "/dev/null",
    ])
    .output()
    .expect_code(0);
    let after = std::fs::metadata("/dev/null").unwrap().file_type();
    assert!(!after.is_file(), "/dev/null was replaced by a plain file");
}

/// The ids listed under `key` ("red_flags", "negated_red_flags") of one evaluation.
pub(crate) fn ids(e: &serde_json::Value, key: &str) -> Vec<String> {
    e[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect()
}

pub(crate) fn grade_one(transcript: serde_json::Value) -> serde_json::Value {
    crate::util::debrief(["grade", "-", "--format", "json", "--quiet"])
        .stdin(transcript.to_string())
        .output()
        .expect_code(0)
        .json()["evaluations"][0]
        .clone()
}

/// A recording of a talk: the "candidate" hardly speaks. No verdict, a reason, and
/// scores only where something spoke to a dimension.
#[test]
fn an_interview_where_the_candidate_hardly_speaks_is_insufficient() {
    let e = grade_one(serde_json::json!({"turns": [
        {"speaker": "interviewer", "text": "Welcome to the roadmap talk. What is the plan for next year?"},
        {"speaker": "candidate", "text": "We plan to hire more people."},
        {"speaker": "interviewer", "text": "Thanks."}
    ]}));
    assert_eq!(e["assessment"], "insufficient", "{e}");
    assert!(
        e["assessment_reason"].as_str().unwrap().contains("words"),
        "{e}"
    );
    assert_eq!(e["recommendation"], serde_json::Value::Null);
    assert_eq!(e["overall"], serde_json::Value::Null);
    assert_eq!(e["scores"]["math_foundation"], serde_json::Value::Null);
}

/// Two long answers, but only one to a question from the guide's areas.
#[test]
fn an_interview_with_one_answered_question_from_the_guide_is_insufficient() {
    let chat = "I spent the weekend hiking with my family near the lake, which was lovely, and then we cooked dinner together and watched an old film that my grandmother recommended to all of us last winter when we visited her.";
    let e = grade_one(serde_json::json!({"turns": [
        {"speaker": "interviewer", "text": "How was your weekend?"},
        {"speaker": "candidate", "text": chat},
        {"speaker": "interviewer", "text": "Explain regularization. When L1 vs L2?"},
        {"speaker": "candidate", "text": "Regularization adds a penalty on the weights to the loss so the model does not overfit; L1 sums absolute values and drives some weights to exactly zero, which selects features, while L2 sums squares and shrinks every weight smoothly, which helps with correlated features."},
        {"speaker": "interviewer", "text": "Technical complete. Questions for me?"}
    ]}));
    assert_eq!(e["assessment"], "insufficient", "{e}");
    assert!(
        e["assessment_reason"]
            .as_str()
            .unwrap()
            .contains("question(s) from the guide's areas"),
        "{e}"
    );
}

/// The guide allows an early end after failed fundamentals: that interview is
/// assessed, and capped, however short it is.
#[test]
fn an_early_conclusion_the_guide_allows_is_assessed() {
    let e = grade_one(serde_json::json!({"level": "senior", "turns": [
        {"speaker": "interviewer", "text": "Evaluate a binary classifier. What metrics beyond accuracy?", "at": "00:00:10"},
        {"speaker": "candidate", "text": "Accuracy is enough.", "at": "00:00:30"},
        {"speaker": "interviewer", "text": "Incorrect. Accuracy hides the minority class. Correct approach: precision, recall and PR-AUC. Next question. What is overfitting?", "at": "00:01:00"},
        {"speaker": "candidate", "text": "I am not sure.", "at": "00:01:30"},
        {"speaker": "interviewer", "text": "Incorrect. Overfitting is fitting noise in the training data. Correct approach: regularization and validation. Technical complete. Questions for me?", "at": "00:02:00"}
    ]}));
    assert_eq!(e["assessment"], "assessed", "{e}");
    let recommendation = e["recommendation"].as_str().unwrap();
    assert!(["Strong No", "No"].contains(&recommendation), "{e}");
}

/// The interviewer's INCORRECT correction names the error: the flag is raised as
/// derived evidence, quoted from the answer, and it does not cap the verdict.
#[test]
fn a_correction_that_names_the_error_raises_a_derived_flag() {
    let e = grade_one(serde_json::json!({"level": "senior", "turns": [
        {"speaker": "interviewer", "text": "Design fraud detection with 1:10000 class imbalance."},
        {"speaker": "candidate", "text": "I'd balance the classes with SMOTE on everything we have, then cross-validate a gradient-boosted model and pick the threshold from the precision-recall curve."},
        {"speaker": "interviewer", "text": "Incorrect. Synthetic copies made before the split leak into the validation folds. Correct approach: resample inside each training fold only. Next question. Technical complete. Questions for me?"}
    ]}));
    let flags = e["red_flags"].as_array().unwrap();
    let leak = flags
        .iter()
        .find(|f| f["id"] == "data_leakage")
        .unwrap_or_else(|| panic!("{e}"));
    assert_eq!(leak["basis"], "derived");
    assert!(leak["quote"].as_str().unwrap().contains("SMOTE"), "{leak}");
    let basis = e["recommendation_basis"].to_string();
    assert!(
        !basis.contains("capped at Neutral: red flag data_leakage"),
        "{basis}"
    );
}

/// A correction that mentions a split, to an answer that handles no data (how an
/// algorithm works), names no leak: the answer must describe what was done with
/// the data.
#[test]
fn a_correction_about_an_algorithms_splits_raises_no_leak() {
    let e = grade_one(serde_json::json!({"level": "senior", "turns": [
        {"speaker": "interviewer", "text": "Explain how Isolation Forest finds anomalies."},
        {"speaker": "candidate", "text": "It builds a forest of trees that vote, and the score is the share of trees that call a point anomalous."},
        {"speaker": "interviewer", "text": "Incorrect. It isolates points with a random split at each node, and anomalies need fewer splits. Correct approach: the score comes from the average path length. Technical complete. Questions for me?"}
    ]}));
    let flags = e["red_flags"].as_array().unwrap();
    assert!(!flags.iter().any(|f| f["id"] == "data_leakage"), "{e}");
}

/// Someone who leads at an organisation's scale tells what "we" shipped: that is the
/// organisation's work, so without a claim of their own the experience is unclear,
/// not yes; with one ("I wrote the scoring service"), it is yes.
#[test]
fn what_a_leaders_organisation_shipped_leaves_production_experience_unclear() {
    let interview = |answer: &str| {
        grade_one(serde_json::json!({"level": "principal", "turns": [
            {"speaker": "interviewer", "text": "Tell me about a model you deployed to production."},
            {"speaker": "candidate", "text": answer},
            {"speaker": "interviewer", "text": "Technical complete. Questions for me?"}
        ]}))
    };
    let org = interview("I run a group of about forty people across three teams. We shipped the fraud model last year and it serves 5,000 requests a second at 40 ms p99.");
    assert_eq!(org["production_experience"], "unclear", "{org}");
    let own = interview("I run a group of about forty people across three teams. I wrote the scoring service myself and moved it in-process, which cut p99 from 120 to 40 ms at 5,000 requests a second.");
    assert_eq!(own["production_experience"], "yes", "{own}");
}

/// Two kinds of everyday wording: deleting told the other way round ("anything with
/// blanks goes") states delete_missing_data; overfitting told as memorising does not
/// leave the overfitting question without its point.
#[test]
fn deleting_rows_and_overfitting_in_everyday_words() {
    let e = grade_one(serde_json::json!({"level": "senior", "turns": [
        {"speaker": "interviewer", "text": "Walk me through preparing the customer table for a churn model."},
        {"speaker": "candidate", "text": "First I clean it: any record with missing fields gets dropped, there are plenty left."},
        {"speaker": "interviewer", "text": "Correct. Next question: a model has high training accuracy but poor test performance. How do you debug it?"},
        {"speaker": "candidate", "text": "It has memorised the training examples instead of the pattern, so I would simplify it, add a penalty on large weights and stop early on a held-out slice."},
        {"speaker": "interviewer", "text": "Technical complete. Questions for me?"}
    ]}));
    let flags: Vec<&str> = e["red_flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert!(flags.contains(&"delete_missing_data"), "{e}");
    assert!(!flags.contains(&"no_overfitting_consideration"), "{e}");
}

#[test]
fn the_table_fits_a_terminal_and_says_how_to_get_data() {
    let done = debrief([
        "grade",
        "fixtures/interviews",
        "fixtures/bad/no_turns.json",
        "--format",
        "table",
        "--quiet",
    ])
    .output()
    .expect_code(3);
    let text = done.stdout();
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("id ") && lines[0].ends_with("ML FE MS PR MA CO cmpl"),
        "{text}"
    );
    for line in &lines {
        assert!(line.chars().count() <= 80, "{line}");
    }
    assert!(
        text.contains("negation_traps    Adaeze Nwosu  staff  Strong Yes"),
        "{text}"
    );
    assert!(
        text.contains("no_turns          error: fixtures/bad/no_turns.json: the transcript"),
        "{text}"
    );
    assert!(text.contains("12 graded, 1 failed."), "{text}");
    assert!(
        text.ends_with("For data: --format json, jsonl or csv; for the report: -o report.html.\n")
    );
}

#[test]
fn without_a_format_a_pipe_gets_json_and_a_terminal_gets_the_table() {
    let piped = debrief([
        "grade",
        "fixtures/interviews/solid_senior_recsys.md",
        "--quiet",
    ])
    .output()
    .expect_code(0);
    assert!(piped.json()["evaluations"].is_array());
    // `script` gives the binary a terminal, where there is one to lend.
    let binary = env!("CARGO_BIN_EXE_debrief");
    let command = format!("{binary} grade fixtures/interviews/solid_senior_recsys.md --quiet");
    let Ok(tty) = std::process::Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .current_dir(crate::util::root())
        .output()
    else {
        return;
    };
    let text = String::from_utf8_lossy(&tty.stdout);
    assert!(text.starts_with("id "), "{text}");
    assert!(text.contains("Marcus Lindq"), "{text}");
}

#[test]
fn a_different_rubric_yaml_in_the_current_directory_is_named_not_used() {
    let dir = temp_dir();
    let transcript = crate::util::fixture("interviews/solid_senior_recsys.md");
    let run = |quiet: bool| {
        let mut run = debrief(["grade", "--format", "csv"])
            .arg(&transcript)
            .current_dir(dir.path());
        if quiet {
            run = run.arg("--quiet");
        }
        run.output().expect_code(0).stderr()
    };
    assert!(!run(false).contains("rubric.yaml"));
    write(dir.path(), "rubric.yaml", "name: ours\n");
    assert!(
        run(false).contains("warning: rubric: rubric.yaml in the current directory is not used"),
        "{}",
        run(false)
    );
    assert!(!run(true).contains("rubric.yaml"));
    // The embedded rubric itself, as in this repository's root, needs no notice.
    write(
        dir.path(),
        "rubric.yaml",
        std::fs::read(crate::util::root().join("rubric.yaml")).unwrap(),
    );
    assert!(!run(false).contains("rubric.yaml"));
}

#[test]
fn completions_and_the_man_page_come_from_the_flags() {
    let bash = debrief(["completions", "bash"])
        .output()
        .expect_code(0)
        .stdout();
    assert!(
        bash.contains("_debrief()") && bash.contains("--max-input-size"),
        "{bash}"
    );
    let fish = debrief(["completions", "fish"])
        .output()
        .expect_code(0)
        .stdout();
    assert!(fish.contains("complete -c debrief"), "{fish}");
    let man = debrief(["man"]).output().expect_code(0).stdout();
    assert!(
        man.contains(".TH debrief 1") && man.contains("guard"),
        "{man}"
    );
    debrief(["completions", "cmd.exe"]).output().expect_code(2);
}

#[test]
fn an_unwritable_output_is_named_not_its_temporary_file() {
    let done = debrief([
        "grade",
        "fixtures/interviews/solid_senior_recsys.md",
        "-o",
        "/nonexistent-folder/out.json",
    ])
    .output()
    .expect_code(2);
    let stderr = done.stderr();
    assert!(
        stderr.contains("cannot write /nonexistent-folder/out.json: No such file or directory"),
        "{stderr}"
    );
    assert!(!stderr.contains(".debrief-"), "{stderr}");
}

/// The turns are in the output only when asked for: default JSON and JSON Lines (and
/// so the committed baseline) do not change, `--with-transcript` adds `transcript` to
/// each graded evaluation and nothing else, and CSV, which has no place for it, is
/// refused.
#[test]
fn the_transcript_is_written_only_when_asked_for() {
    let inputs = [
        "fixtures/interviews",
        "fixtures/formats/zoom.vtt",
        "fixtures/bad/empty.json",
    ];
    for format in ["json", "jsonl"] {
        let run = |extra: &[&str]| {
            debrief(["grade", "--format", format])
                .args(inputs)
                .args(extra.iter().copied())
                .output()
                .expect_code(3)
        };
        let plain = run(&[]);
        assert!(!plain.stdout().contains("\"transcript\""), "{format}");
        let with = run(&["--with-transcript"]);
        let parse = |text: String| -> Vec<serde_json::Value> {
            if format == "json" {
                let json: serde_json::Value = serde_json::from_str(&text).unwrap();
                evaluations(&json).clone()
            } else {
                text.lines()
                    .map(|l| serde_json::from_str(l).unwrap())
                    .collect()
            }
        };
        let mut stripped = parse(with.stdout());
        for e in &mut stripped {
            let transcript = e.as_object_mut().unwrap().remove("transcript");
            if e["status"] == "error" {
                assert!(transcript.is_none(), "a failed input has no turns");
                continue;
            }
            let turns = transcript.expect("a graded evaluation has its turns")["turns"].clone();
            let turns = turns.as_array().unwrap();
            for (i, turn) in turns.iter().enumerate() {
                assert_eq!(turn["turn"], i);
                assert!(["interviewer", "candidate"].contains(&turn["role"].as_str().unwrap()));
                assert!(turn["text"].is_string());
            }
            for flag in e["red_flags"].as_array().unwrap() {
                assert!(flag["turn"].as_u64().unwrap() < turns.len() as u64);
            }
        }
        assert_eq!(
            stripped,
            parse(plain.stdout()),
            "{format}: only `transcript` is added"
        );
    }
    let zoom = debrief(["grade", "fixtures/formats/zoom.vtt", "--with-transcript"])
        .output()
        .expect_code(0)
        .json();
    let first = &evaluations(&zoom)[0]["transcript"]["turns"][0];
    assert_eq!(first["speaker"], "Dana Reyes");
    assert_eq!(first["at"], "00:00:04");
    let refused = debrief([
        "grade",
        "fixtures/interviews",
        "--format",
        "csv",
        "--with-transcript",
    ])
    .output()
    .expect_code(2);
    assert!(
        refused.stderr().contains("--with-transcript"),
        "{}",
        refused.stderr()
    );
}

/// A question on how an algorithm works, answered with nothing about how it works,
/// raises `cant_explain_algorithm`; "how do you ..." questions about the candidate's
/// own choices are not such questions.
#[test]
fn a_mechanism_question_answered_with_nothing_raises_cant_explain_algorithm() {
    let interview = |question: &str| {
        serde_json::json!({"turns": [
            {"speaker": "interviewer", "text": "Design fraud detection with 1:10000 class imbalance."},
            {"speaker": "candidate", "text": "I would use XGBoost with class weights, evaluate on PR-AUC rather than accuracy, tune the threshold on a validation set against the cost of a missed fraud, and monitor precision weekly."},
            {"speaker": "interviewer", "text": format!("Correct. {question}")},
            {"speaker": "candidate", "text": "It is just very good, everybody uses it, it wins competitions."},
            {"speaker": "interviewer", "text": "Incorrect. Correct approach: boosting adds shallow trees one after another, each fitting the gradient of the loss. Technical complete. Questions for me?"}
        ]})
    };
    let flags = |e: &serde_json::Value| ids(e, "red_flags");
    let asked_how_it_works = grade_one(interview("How does XGBoost build its trees?"));
    assert!(
        flags(&asked_how_it_works).contains(&"cant_explain_algorithm".to_string()),
        "{asked_how_it_works}"
    );
    let asked_a_choice = grade_one(interview("How do you choose the decision threshold?"));
    assert!(
        !flags(&asked_a_choice).contains(&"cant_explain_algorithm".to_string()),
        "{asked_a_choice}"
    );
}

/// A red flag said in everyday words, in answer to the kind of question it concerns,
/// is raised; the same words with the caveat a careful candidate adds are not.
#[test]
fn everyday_words_for_a_red_flag_raise_it_and_a_caveat_does_not() {
    let answer = |text: &str| {
        grade_one(serde_json::json!({"turns": [
            {"speaker": "interviewer", "text": "How do you handle missing values in the customer table?"},
            {"speaker": "candidate", "text": text},
            {"speaker": "interviewer", "text": "Correct. Technical complete. Questions for me?"}
        ]}))
    };
    let flagged = |e: &serde_json::Value| {
        e["red_flags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["id"] == "delete_missing_data")
    };
    let tossed = answer("Honestly I toss any row that has an empty cell and move on to modelling, it keeps the pipeline simple and the model trains faster on clean rows.");
    assert!(flagged(&tossed), "{tossed}");
    let careful = answer("If under one percent of rows are affected and the gaps look random I drop those rows; otherwise I impute with the median and add an indicator column.");
    assert!(!flagged(&careful), "{careful}");
}

/// "I don't remember the exact formula" before an explanation the interviewer
/// accepts is a hedge, reported as negated; the same admission before an answer
/// judged incorrect states `cant_explain_algorithm`.
#[test]
fn a_hedge_before_an_accepted_explanation_is_not_an_inability_to_explain() {
    let interview = |verdict: &str| {
        grade_one(serde_json::json!({"level": "senior", "turns": [
            {"speaker": "interviewer", "text": "Explain the mathematical foundation of logistic regression."},
            {"speaker": "candidate", "text": "I don't remember the formula exactly, but it passes a linear combination of the features through a sigmoid and fits the weights by maximising the log-likelihood, which is the same as minimising cross-entropy."},
            {"speaker": "interviewer", "text": verdict},
            {"speaker": "candidate", "text": "Okay."},
            {"speaker": "interviewer", "text": "Technical complete. Questions for me?"}
        ]}))
    };
    let accepted = interview("Correct. Next question: how would you regularize it?");
    assert!(
        !ids(&accepted, "red_flags").contains(&"cant_explain_algorithm".to_string()),
        "{accepted}"
    );
    assert!(
        ids(&accepted, "negated_red_flags").contains(&"cant_explain_algorithm".to_string()),
        "{accepted}"
    );
    let rejected = interview("Incorrect. The weights are not fitted by least squares. Correct approach: maximum likelihood. Next question: how would you regularize it?");
    assert!(
        ids(&rejected, "red_flags").contains(&"cant_explain_algorithm".to_string()),
        "{rejected}"
    );
}

/// Three telling answers to a kind of question: a deep network as the model choice
/// with no alternative weighed, more data as the whole fix for a model that falls
/// short, and rows dropped in any grammar. Weighing an alternative, diagnosing first
/// or checking that values are missing at random makes them no red flag.
#[test]
fn telling_answers_to_a_kind_of_question_state_their_flags() {
    let flags = |question: &str, answer: &str| -> Vec<String> {
        let e = grade_one(serde_json::json!({"level": "senior", "turns": [
            {"speaker": "interviewer", "text": question},
            {"speaker": "candidate", "text": answer},
            {"speaker": "interviewer", "text": "Technical complete. Questions for me?"}
        ]}));
        ids(&e, "red_flags")
    };
    let model = "Which model would you use to predict churn from these 40 account columns?";
    assert!(
        flags(model, "I'd go with a deep neural network, five layers.")
            .contains(&"just_use_deep_learning".to_string())
    );
    assert!(!flags(model, "A logistic regression baseline first, then gradient boosting, and a network only if it beats both.").contains(&"just_use_deep_learning".to_string()));
    let debug = "Your model's accuracy degrades every winter. How would you fix it?";
    assert!(flags(debug, "Honestly, we'd get more data and retrain.")
        .contains(&"more_data_fixes_everything".to_string()));
    assert!(!flags(debug, "I'd diagnose first: compare feature distributions across seasons, then decide whether more data would help.").contains(&"more_data_fixes_everything".to_string()));
    let missing = "How do you handle missing values in the transaction features?";
    assert!(
        flags(missing, "Anything with a null got removed before training.")
            .contains(&"delete_missing_data".to_string())
    );
    assert!(!flags(
        missing,
        "I checked they were missing at random, so I drop those rows."
    )
    .contains(&"delete_missing_data".to_string()));
}
