//! `debrief guard`: the guardrail over JSON Lines, against `grade`'s audit of the same
//! interviews.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use serde_json::{json, Value};

use crate::util::{debrief, root};

/// Every interviewer turn of the JSON fixtures of the compliance sets (native turns
/// and chat logs), as a request holding the turns before it: the breaches `grade`
/// reports on that turn (the missing conclusion aside) are among guard's, and equal to
/// them on the interviewer's last turn.
#[test]
fn guard_passes_nothing_the_audit_of_the_whole_interview_finds() {
    let mut checked = 0;
    for set in [
        "fixtures/labeled/compliance",
        "fixtures/labeled/compliance-validation",
    ] {
        let mut paths: Vec<_> = std::fs::read_dir(root().join(set))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("json"))
            .collect();
        paths.sort();
        for path in paths {
            checked += check_every_interviewer_turn(&path);
        }
    }
    assert!(checked > 100, "only {checked} turns checked");
}

/// The check above on one file; returns the turns checked.
fn check_every_interviewer_turn(path: &std::path::Path) -> usize {
    let document: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    // Items as the file holds them, and for each its turn number (system messages
    // are not turns) when the interviewer says it.
    let (items, text_key) = match (
        document["turns"].as_array(),
        document["messages"].as_array(),
    ) {
        (Some(turns), _) => (turns.clone(), "text"),
        (None, Some(messages)) => (messages.clone(), "content"),
        _ => return 0,
    };
    let mut asked = Vec::new();
    let mut turn = 0;
    for (index, item) in items.iter().enumerate() {
        let role = item["speaker"]
            .as_str()
            .or(item["role"].as_str())
            .unwrap_or("");
        if role.eq_ignore_ascii_case("system") {
            continue;
        }
        if ["interviewer", "assistant"]
            .iter()
            .any(|r| role.eq_ignore_ascii_case(r))
            && item[text_key].is_string()
        {
            asked.push((index, turn));
        }
        turn += 1;
    }
    let graded = debrief(["grade", "--format", "jsonl", "--quiet"])
        .arg(path)
        .output();
    let Ok(audited) = serde_json::from_str::<Value>(graded.stdout().trim()) else {
        return 0;
    };
    let Some(audited) = audited["compliance"]["violations"].as_array().cloned() else {
        return 0;
    };
    let requests: String = asked
        .iter()
        .map(|&(index, _)| {
            json!({"history": &items[..index], "message": items[index][text_key]}).to_string()
                + "\n"
        })
        .collect();
    let done = debrief(["guard"]).stdin(requests).output().expect_code(0);
    let verdicts: Vec<Value> = done
        .stdout()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(verdicts.len(), asked.len(), "{}", path.display());
    let key = |b: &Value| (b["rule"].clone(), b["quote"].clone(), b["message"].clone());
    for (&(_, at), verdict) in asked.iter().zip(&verdicts) {
        let guarded: Vec<_> = verdict["breaches"]
            .as_array()
            .unwrap()
            .iter()
            .map(key)
            .collect();
        let later: Vec<_> = audited
            .iter()
            .filter(|v| v["turn"] == at && v["rule"] != "missing_conclusion")
            .map(key)
            .collect();
        if Some(at) == asked.last().map(|&(_, t)| t) {
            assert_eq!(guarded, later, "{} turn {at}", path.display());
        } else {
            for breach in &later {
                assert!(
                    guarded.contains(breach),
                    "{} turn {at}: {breach:?}",
                    path.display()
                );
            }
        }
        assert_eq!(verdict["ok"], guarded.is_empty());
    }
    asked.len()
}

#[test]
fn each_request_is_answered_before_the_next_is_read() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_debrief"))
        .arg("guard")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let history = json!([
        {"role": "assistant", "content": "Explain the bias-variance trade-off."},
        {"role": "user", "content": "Simple models underfit, complex ones overfit; we balance them."},
    ]);
    for (message, ok) in [
        (
            "Correct. How would you detect overfitting in practice?",
            true,
        ),
        ("Great answer! You're on the right track.", false),
    ] {
        writeln!(stdin, "{}", json!({"history": history, "message": message})).unwrap();
        stdin.flush().unwrap();
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        let verdict: Value = serde_json::from_str(&line).unwrap();
        assert_eq!(verdict["ok"], ok, "{line}");
        assert_eq!(verdict["expected"], "response_template");
    }
    drop(stdin);
    assert_eq!(child.wait().unwrap().code(), Some(0));
}

#[test]
fn a_bad_request_gets_an_error_line_and_the_process_goes_on() {
    let requests = concat!(
        "{\"history\": [], \"message\": \"Explain PCA.\"}\n",
        "{\"history\": \"nope\", \"message\": \"Hi\"}\n",
        "\u{0}\u{1}garbage\n",
        "{\"history\": [{\"speaker\": \"judge\", \"text\": \"x\"}], \"message\": \"Correct.\"}\n",
        "{\"message\": \"Explain LDA.\"}\n",
    );
    let done = debrief(["guard"]).stdin(requests).output().expect_code(3);
    let lines: Vec<Value> = done
        .stdout()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[0]["ok"], true);
    assert_eq!(lines[0]["expected"], "question");
    for (n, line) in lines[1..4].iter().enumerate() {
        let error = line["error"].as_str().unwrap();
        assert!(error.starts_with(&format!("line {}: ", n + 2)), "{error}");
    }
    assert!(
        lines[3]["error"].as_str().unwrap().contains("judge"),
        "{:?}",
        lines[3]
    );
    assert_eq!(lines[4]["ok"], true);
}

#[test]
fn a_bad_rubric_stops_guard_before_it_reads() {
    let done = debrief(["guard", "--rubric", "fixtures/bad/no_turns.json"])
        .stdin("")
        .output()
        .expect_code(2);
    assert!(
        done.stderr().contains("invalid rubric"),
        "{}",
        done.stderr()
    );
}
