//! Captions, meeting exports and speech-to-text JSON: each fixture in
//! `fixtures/formats/` read as its product writes it, checked turn by turn against
//! `fixtures/formats.expected.json`, then graded by the real binary.

use std::sync::OnceLock;

use debrief::rubric::{self, CompiledRubric};
use debrief::transcript::{self, InputFormat, ReadOptions, Role, Transcript};
use serde_json::Value;

use crate::util::{debrief, fixture, temp_dir, write};

fn rubric() -> &'static CompiledRubric {
    static RUBRIC: OnceLock<CompiledRubric> = OnceLock::new();
    RUBRIC.get_or_init(|| rubric::load(rubric::DEFAULT_RUBRIC).expect("the default rubric loads"))
}

/// Reads one fixture as `debrief grade` would, with the default rubric's inference.
fn read(relative: &str) -> Result<Transcript, String> {
    let path = fixture(&format!("formats/{relative}"));
    let bytes = std::fs::read(&path).unwrap();
    let text = transcript::decode_text(&bytes).unwrap();
    let format = InputFormat::from_path(&path).unwrap();
    let options = ReadOptions {
        inference: rubric().speaker_inference.clone(),
        ..ReadOptions::default()
    };
    let mut parsed = transcript::parse(&text, format, "fixture", &options);
    assert_eq!(parsed.len(), 1);
    parsed.remove(0).result.map_err(|e| e.to_string())
}

/// The strings of a JSON array.
fn strings(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect()
}

fn first_words(text: &str, n: usize) -> String {
    text.split_whitespace()
        .take(n)
        .collect::<Vec<_>>()
        .join(" ")
}

fn last_words(text: &str, n: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    words[words.len().saturating_sub(n)..].join(" ")
}

#[test]
fn every_format_fixture_reads_to_the_expected_turns_and_roles() {
    let expected: serde_json::Map<String, Value> =
        serde_json::from_str(&std::fs::read_to_string(fixture("formats.expected.json")).unwrap())
            .unwrap();
    assert!(expected.len() >= 14, "{} fixtures", expected.len());
    for (file, want) in &expected {
        let result = read(file);
        if let Some(error) = want.get("error").and_then(Value::as_str) {
            let message = result.expect_err(file);
            let needle = match error {
                "ambiguous" => "cannot tell the interviewer from the candidate",
                "no speakers" => "no speaker names",
                other => panic!("unknown expected error {other}"),
            };
            assert!(message.contains(needle), "{file}: {message}");
            continue;
        }
        let t = result.unwrap_or_else(|e| panic!("{file}: {e}"));
        let attribution = t.speakers.as_ref().expect("named speakers are attributed");
        assert_eq!(attribution.interviewer, want["interviewer"], "{file}");
        assert_eq!(attribution.candidate, want["candidate"], "{file}");
        let others: Vec<&str> = attribution.others.iter().map(|o| o.name.as_str()).collect();
        let want_others = strings(&want["others"]);
        assert_eq!(others, want_others, "{file}");
        // The expected list holds every turn, `other` speakers' too; graded turns
        // are the interviewer's and the candidate's.
        let want_turns: Vec<&Value> = want["turns"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|turn| !want_others.contains(&turn["speaker"].as_str().unwrap()))
            .collect();
        assert_eq!(t.turns.len(), want_turns.len(), "{file}: turn count");
        for (index, (turn, want)) in t.turns.iter().zip(want_turns).enumerate() {
            let speaker = turn.speaker.as_deref().unwrap();
            assert_eq!(speaker, want["speaker"], "{file} turn {index}");
            let role = if speaker == attribution.interviewer {
                Role::Interviewer
            } else {
                Role::Candidate
            };
            assert_eq!(turn.role, role, "{file} turn {index}");
            assert_eq!(turn.at_ms, want["at_ms"].as_u64(), "{file} turn {index}");
            assert_eq!(
                first_words(&turn.text, 6),
                want["starts"],
                "{file} turn {index}"
            );
            assert_eq!(
                last_words(&turn.text, 4),
                want["ends"],
                "{file} turn {index}"
            );
        }
    }
}

#[test]
fn a_teams_vtt_grades_exactly_like_the_same_interview_in_native_json() {
    let done = debrief([
        "grade",
        "--format",
        "jsonl",
        "fixtures/formats/equivalent/native.json",
        "fixtures/formats/equivalent/teams.vtt",
    ])
    .output()
    .expect_code(0);
    let lines: Vec<Value> = done
        .stdout()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let [native, vtt] = &lines[..] else {
        panic!("two evaluations expected")
    };
    assert_eq!(vtt["speakers"]["method"], "inferred");
    assert!(native["speakers"].is_null());
    let mut differing: Vec<&str> = native
        .as_object()
        .unwrap()
        .iter()
        .filter(|(key, value)| vtt[key.as_str()] != **value)
        .map(|(key, _)| key.as_str())
        .collect();
    differing.sort_unstable();
    assert_eq!(differing, ["id", "input_sha256", "source", "speakers"]);
    assert!(native["exchanges"].as_array().unwrap().len() >= 3);
}

#[test]
fn grading_the_formats_folder_reports_roles_and_refuses_to_guess() {
    let done = debrief(["grade", "fixtures/formats"])
        .output()
        .expect_code(3);
    let json = done.json();
    let evaluations = json["evaluations"].as_array().unwrap();
    assert!(evaluations.len() >= 15);
    for e in evaluations {
        let source = e["source"].as_str().unwrap();
        let refused = source.ends_with("ambiguous.vtt") || source.ends_with("no_speakers.srt");
        assert_eq!(
            e["status"],
            if refused { "error" } else { "ok" },
            "{source}"
        );
        if refused {
            let error = e["error"].as_str().unwrap();
            assert!(error.starts_with(source), "{error}");
            assert!(!error.contains('\n'));
            continue;
        }
        if source.ends_with("native.json") {
            continue;
        }
        let speakers = &e["speakers"];
        let confidence = speakers["confidence"].as_f64().unwrap();
        assert!((0.6..=1.0).contains(&confidence), "{source}: {speakers}");
        assert!(!speakers["evidence"].as_str().unwrap().is_empty());
        assert!(e["exchanges"].as_array().unwrap().len() >= 3, "{source}");
    }
    let stderr = done.stderr();
    assert!(stderr.contains("cannot tell the interviewer"), "{stderr}");
}

#[test]
fn speaker_names_on_the_command_line_decide_and_are_recorded() {
    // The ambiguous chat grades once the user names the interviewer.
    let done = debrief([
        "grade",
        "--interviewer",
        "maya chen",
        "fixtures/formats/ambiguous.vtt",
    ])
    .output()
    .expect_code(0);
    let e = &done.json()["evaluations"][0];
    assert_eq!(e["speakers"]["method"], "option");
    assert_eq!(e["speakers"]["interviewer"], "Maya Chen");
    assert_eq!(e["speakers"]["candidate"], "Luis Ortega");
    assert_eq!(e["speakers"]["confidence"], 1.0);

    // A map turns an inferred grade around: the roles really drive the scores.
    let inferred = debrief(["grade", "fixtures/formats/assemblyai.json"])
        .output()
        .expect_code(0)
        .json();
    let swapped = debrief([
        "grade",
        "--speaker-map",
        "A=candidate,B=interviewer",
        "fixtures/formats/assemblyai.json",
    ])
    .output()
    .json();
    let (a, b) = (&inferred["evaluations"][0], &swapped["evaluations"][0]);
    assert_eq!(a["speakers"]["interviewer"], "A");
    assert_eq!(b["speakers"]["interviewer"], "B");
    assert_eq!(b["speakers"]["method"], "option");
    assert_ne!(a["scores"], b["scores"]);

    // A bad map is a usage error.
    debrief([
        "grade",
        "--speaker-map",
        "A=boss",
        "fixtures/formats/assemblyai.json",
    ])
    .output()
    .expect_code(2);
}

#[test]
fn a_third_speaker_is_kept_as_other_and_never_scored() {
    let e = &debrief(["grade", "fixtures/formats/three_speakers.vtt"])
        .output()
        .expect_code(0)
        .json()["evaluations"][0];
    let others = e["speakers"]["others"].as_array().unwrap();
    assert_eq!(others.len(), 1);
    assert_eq!(others[0]["name"], "Lee Okafor");
    assert_eq!(others[0]["turns"], 2);
    let text = e.to_string();
    assert!(
        !text.contains("shadowing"),
        "an other speaker's words were scored"
    );
}

#[test]
fn formats_are_detected_from_content_on_stdin_and_forced_by_flag() {
    for file in ["zoom.vtt", "whisper.srt", "meet.txt", "deepgram.json"] {
        let bytes = std::fs::read(fixture(&format!("formats/{file}"))).unwrap();
        let e = &debrief(["grade", "-"])
            .stdin(bytes)
            .output()
            .expect_code(0)
            .json()["evaluations"][0];
        assert_eq!(e["status"], "ok", "{file}: {e}");
        assert!(!e["speakers"].is_null(), "{file}");
    }
    // A VTT under another extension reads with --input-format.
    let dir = temp_dir();
    let bytes = std::fs::read(fixture("formats/zoom.vtt")).unwrap();
    let path = write(dir.path(), "captions.log", bytes);
    let e = &debrief(["grade", "--input-format", "vtt"])
        .arg(&path)
        .output()
        .expect_code(0)
        .json()["evaluations"][0];
    assert_eq!(e["speakers"]["interviewer"], "Dana Reyes");
}

#[test]
fn broken_captions_fail_with_the_file_and_line() {
    let dir = temp_dir();
    let vtt = write(
        dir.path(),
        "bad.vtt",
        "WEBVTT\n\n1\n00:00:01.000 --> 00:00:0x.000\nDana: hi\n",
    );
    let srt = write(
        dir.path(),
        "bad.srt",
        "1\n00:00:01,000 --> 00:00:02,000\nA: hi\n\nnonsense\n",
    );
    let txt = write(dir.path(), "notes.txt", "just some notes\n");
    let done = debrief(["grade", "--format", "jsonl"])
        .arg(&vtt)
        .arg(&srt)
        .arg(&txt)
        .output()
        .expect_code(3);
    let errors: Vec<String> = done
        .stdout()
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["error"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert!(
        errors[0].contains("bad.vtt: line 4: invalid cue end time"),
        "{}",
        errors[0]
    );
    assert!(
        errors[1].contains("bad.srt: line 5: expected a subtitle number"),
        "{}",
        errors[1]
    );
    assert!(
        errors[2].contains("notes.txt: no speech found"),
        "{}",
        errors[2]
    );
}

/// A second set, written by someone who never saw the readers or the first set
/// (`fixtures/formats-validation/`): roles and turn counts as its author expected.
#[test]
fn an_independent_validation_set_reads_with_the_expected_roles_and_turns() {
    let expected: serde_json::Map<String, Value> = serde_json::from_str(
        &std::fs::read_to_string(fixture("formats-validation.expected.json")).unwrap(),
    )
    .unwrap();
    let mut failures = Vec::new();
    for (file, want) in &expected {
        let t = match read(&format!("../formats-validation/{file}")) {
            Ok(t) => t,
            Err(e) => {
                failures.push(format!("{file}: {e}"));
                continue;
            }
        };
        let a = t.speakers.as_ref().unwrap();
        let others: Vec<&str> = a.others.iter().map(|o| o.name.as_str()).collect();
        let got = (
            a.interviewer.as_str(),
            a.candidate.as_str(),
            others,
            t.turns.len(),
        );
        let want_others = strings(&want["others"]);
        let wanted = (
            want["interviewer"].as_str().unwrap(),
            want["candidate"].as_str().unwrap(),
            want_others,
            want["turns"].as_u64().unwrap() as usize,
        );
        if got != wanted {
            failures.push(format!("{file}: got {got:?}, expected {wanted:?}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// An LLM agent's display name ("ml-interviewer-v3") as a Zoom cue prefix is a
/// speaker like any other name: it opens two or more cues.
#[test]
fn agent_display_names_are_speakers() {
    let vtt = "WEBVTT\n\n\
        00:00:01.000 --> 00:00:04.000\nml-interviewer-v3: Explain regularization. When L1 vs L2?\n\n\
        00:00:05.000 --> 00:00:12.000\nDana Reyes: L1 adds the absolute weights to the loss, which drives some to zero; L2 adds their squares and shrinks them all.\n\n\
        00:00:13.000 --> 00:00:16.000\nml-interviewer-v3: Correct. How would you choose the penalty strength?\n\n\
        00:00:17.000 --> 00:00:24.000\nDana Reyes: By cross-validation over a log-spaced grid, because the best value depends on the data.\n\n\
        00:00:25.000 --> 00:00:27.000\nml-interviewer-v3: Technical complete. Questions for me?\n";
    let done = debrief(["grade", "-", "--input-format", "vtt", "--format", "json"])
        .stdin(vtt)
        .output()
        .expect_code(0);
    let speakers = &done.json()["evaluations"][0]["speakers"];
    assert_eq!(speakers["interviewer"], "ml-interviewer-v3", "{speakers}");
    assert_eq!(speakers["candidate"], "Dana Reyes", "{speakers}");
}

/// A name given on the command line that nobody in the file answers to is reported,
/// with the speakers found, instead of being replaced by a guess.
#[test]
fn an_interviewer_name_that_matches_no_speaker_is_reported() {
    let done = debrief([
        "grade",
        "fixtures/formats/zoom.vtt",
        "--interviewer",
        "Dana Reyez",
        "--format",
        "json",
    ])
    .output()
    .expect_code(3);
    let error = done.json()["evaluations"][0]["error"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        error.contains("no speaker here is named 'Dana Reyez'"),
        "{error}"
    );
    assert!(
        error.contains("'Dana Reyes'") && error.contains("'Amir Haddad'"),
        "{error}"
    );
}

/// A lone CR ends a line (old Mac files; WebVTT allows it) in markdown and captions.
#[test]
fn lone_carriage_returns_end_lines() {
    let markdown = "**Interviewer:** Explain regularization. When L1 vs L2?\r**Candidate:** L1 zeroes weights and selects features; L2 shrinks them all smoothly.\r**Interviewer:** Technical complete. Questions for me?\r";
    let done = debrief([
        "grade",
        "-",
        "--input-format",
        "markdown",
        "--format",
        "json",
    ])
    .stdin(markdown)
    .output()
    .expect_code(0);
    assert_eq!(done.json()["evaluations"][0]["status"], "ok");
    let vtt = "WEBVTT\r\r00:00:01.000 --> 00:00:04.000\rDana Reyes: Explain regularization. When L1 vs L2?\r\r00:00:05.000 --> 00:00:12.000\rAmir Haddad: L1 zeroes weights; L2 shrinks them, which suits correlated features.\r\r00:00:13.000 --> 00:00:16.000\rDana Reyes: Technical complete. Questions for me?\r\r00:00:17.000 --> 00:00:20.000\rAmir Haddad: No, thank you, that was all clear to me.\r";
    let done = debrief([
        "grade",
        "-",
        "--input-format",
        "vtt",
        "--interviewer",
        "Dana Reyes",
        "--format",
        "json",
    ])
    .stdin(vtt)
    .output()
    .expect_code(0);
    assert_eq!(
        done.json()["evaluations"][0]["status"],
        "ok",
        "{}",
        done.stdout()
    );
}
