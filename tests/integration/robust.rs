//! Hostile and broken input: nothing lost, nothing injected, no panic.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::{debrief, fixture, root, temp_dir, write};

fn evaluations(json: &serde_json::Value) -> Vec<serde_json::Value> {
    json["evaluations"].as_array().unwrap().clone()
}

#[test]
fn byte_order_marks_and_utf16_are_read() {
    let json = debrief([
        "grade",
        "fixtures/bad/utf8_bom.json",
        "fixtures/bad/utf16_le.json",
    ])
    .output()
    .expect_code(0)
    .json();
    let ids: Vec<String> = evaluations(&json)
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["bom", "utf16"]);
}

#[test]
fn duplicate_ids_are_reported_and_both_kept() {
    let done = debrief([
        "grade",
        "fixtures/bad/duplicate_id_one.json",
        "fixtures/bad/duplicate_id_two.json",
    ])
    .output()
    .expect_code(0);
    assert_eq!(evaluations(&done.json()).len(), 2);
    assert!(
        done.stderr().contains("warning: duplicate id 'duplicate' in fixtures/bad/duplicate_id_two.json (first seen in fixtures/bad/duplicate_id_one.json); both kept"),
        "{}",
        done.stderr()
    );
}

#[test]
fn terminal_escapes_in_transcripts_are_shown_not_run() {
    let done = debrief(["grade", "fixtures/hostile"])
        .output()
        .expect_code(0);
    let stderr = done.stderr();
    assert!(
        !stderr.contains('\u{1b}'),
        "raw escape on stderr: {stderr:?}"
    );
    assert!(stderr.contains("escape\\u{1b}[31mred"), "{stderr}");
}

#[test]
fn csv_cells_cannot_become_spreadsheet_formulas() {
    let done = debrief([
        "grade",
        "fixtures/hostile/csv_injection.json",
        "--format",
        "csv",
    ])
    .output()
    .expect_code(0);
    let mut reader = csv::Reader::from_reader(done.0.stdout.as_slice());
    let row = reader.records().next().unwrap().unwrap();
    for cell in row.iter() {
        assert!(
            !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "cell starts a formula: {cell:?}"
        );
    }
    assert_eq!(&row[1], "'=HYPERLINK(\"http://example.invalid\",\"click\")");
    let audit = debrief(["audit", "fixtures/hostile", "--by", "interviewer"])
        .output()
        .expect_code(0);
    assert!(audit.stdout().contains("\n'-agent,"), "{}", audit.stdout());
}

#[test]
fn a_directory_loop_and_unreadable_files_fail_alone() {
    let dir = temp_dir();
    let inner = dir.path().join("inner");
    std::fs::create_dir(&inner).unwrap();
    std::fs::copy(
        fixture("interviews/strong_staff_fraud.json"),
        inner.join("good.json"),
    )
    .unwrap();
    std::os::unix::fs::symlink(dir.path(), inner.join("loop")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("gone.json"), inner.join("dangling.json")).unwrap();
    let done = debrief(["grade", dir.path().to_str().unwrap()])
        .output()
        .expect_code(3);
    let all = evaluations(&done.json());
    let errors: Vec<&str> = all.iter().filter_map(|e| e["error"].as_str()).collect();
    assert!(
        errors
            .iter()
            .any(|e| e.contains("dangling.json: no such file or directory")),
        "{errors:?}"
    );
    assert!(
        errors.iter().any(|e| e.contains("directory loop")),
        "{errors:?}"
    );
    assert_eq!(all.iter().filter(|e| e["status"] == "ok").count(), 1);
}

#[test]
fn permission_denied_is_a_per_file_error() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir();
    let path = dir.path().join("locked.json");
    std::fs::copy(fixture("interviews/strong_staff_fraud.json"), &path).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&path).is_ok() {
        // Running as root: permissions do not stop reading, nothing to check here.
        return;
    }
    let done = debrief(["grade", path.to_str().unwrap()])
        .output()
        .expect_code(3);
    assert!(
        done.stderr().contains("locked.json: permission denied"),
        "{}",
        done.stderr()
    );
}

#[test]
fn size_limits_refuse_cleanly() {
    let dir = temp_dir();
    // A 50 MB single turn.
    let huge = "word ".repeat(10 * 1024 * 1024);
    let transcript = serde_json::json!({"turns": [
        {"speaker": "interviewer", "text": "Explain regularization."},
        {"speaker": "candidate", "text": huge},
    ]});
    let path = write(dir.path(), "huge_turn.json", transcript.to_string());
    let done = debrief(["grade", path.to_str().unwrap()])
        .output()
        .expect_code(3);
    assert!(
        done.stderr()
            .contains("more than the limit of 1048576 (--max-turn-length)"),
        "{}",
        done.stderr()
    );
    let done = debrief(["grade", path.to_str().unwrap(), "--max-file-size", "1000"])
        .output()
        .expect_code(3);
    assert!(
        done.stderr()
            .contains("larger than the 1000-byte limit (--max-file-size)"),
        "{}",
        done.stderr()
    );

    // A 100,000-turn transcript: refused by default, graded when allowed.
    let turns: Vec<serde_json::Value> = (0..100_000)
        .map(|i| {
            if i % 2 == 0 {
                serde_json::json!({"speaker": "interviewer", "text": "Correct. Why does L1 give sparse weights?"})
            } else {
                serde_json::json!({"speaker": "candidate", "text": "Because its subgradient pushes small weights to exactly zero, which selects features."})
            }
        })
        .collect();
    let path = write(
        dir.path(),
        "many_turns.json",
        serde_json::json!({"turns": turns}).to_string(),
    );
    let done = debrief(["grade", path.to_str().unwrap()])
        .output()
        .expect_code(3);
    assert!(
        done.stderr()
            .contains("100000 turns, more than the limit of 20000 (--max-turns)"),
        "{}",
        done.stderr()
    );
    let done = debrief([
        "grade",
        path.to_str().unwrap(),
        "--max-turns",
        "100000",
        "--format",
        "csv",
    ])
    .output()
    .expect_code(0);
    assert_eq!(done.stdout().lines().count(), 2);
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_debrief"))
        .args([
            "grade",
            "fixtures/interviews",
            "fixtures/labeled",
            "--format",
            "jsonl",
        ])
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The reader goes away after one line, as `| head -1` does.
    let output = child.wait_with_output().unwrap();
    assert!(first.starts_with('{'));
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(!stderr.contains("error"), "{stderr}");
}

/// Copies the fixtures many times over, so a run lasts long enough to interrupt.
fn big_corpus(dir: &std::path::Path, copies: usize) -> std::path::PathBuf {
    let corpus = dir.join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    let sources: Vec<_> = std::fs::read_dir(fixture("interviews"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    for i in 0..copies {
        let source = &sources[i % sources.len()];
        let name = format!("{i:05}.{}", source.extension().unwrap().to_str().unwrap());
        std::fs::copy(source, corpus.join(name)).unwrap();
    }
    corpus
}

fn interrupt(signal: &str) {
    let dir = temp_dir();
    let corpus = big_corpus(dir.path(), 3000);
    let out = dir.path().join("results.json");
    std::fs::write(&out, "previous results\n").unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_debrief"))
        .args([
            "grade",
            corpus.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--jobs",
            "1",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until the temporary output file exists: the run is under way.
    let started = Instant::now();
    while !std::fs::read_dir(dir.path()).unwrap().any(|e| {
        e.unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with(".debrief-")
    }) {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the run never started"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(Duration::from_millis(50));
    let killed = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let output = child.wait_with_output().unwrap();
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "previous results\n",
        "the previous file is intact"
    );
    if signal != "-KILL" {
        assert_eq!(output.status.code(), Some(130), "{output:?}");
        let leftovers = std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .starts_with(".debrief-")
            })
            .count();
        assert_eq!(leftovers, 0, "{signal} removes the temporary file");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(stderr.contains("interrupted"), "{stderr}");
    }
}

#[test]
fn ctrl_c_stops_cleanly_and_keeps_the_old_output() {
    interrupt("-INT");
}

/// What `timeout`, Kubernetes and CI cancellation send: handled like Ctrl-C.
#[test]
fn sigterm_and_sighup_stop_cleanly_like_ctrl_c() {
    interrupt("-TERM");
    interrupt("-HUP");
}

#[test]
fn a_killed_run_keeps_the_old_output() {
    interrupt("-KILL");
}

#[test]
fn an_oversized_rubric_pattern_is_named_by_its_rule() {
    let dir = temp_dir();
    let rubric = std::fs::read_to_string(root().join("rubric.yaml")).unwrap();
    let huge = rubric.replacen(
        "      - '\\baccuracy (alone |by itself |on its own )?",
        "      - '(\\w{100}){100}|\\baccuracy (alone |by itself |on its own )?",
        1,
    );
    assert_ne!(rubric, huge);
    let path = write(dir.path(), "huge.yaml", huge);
    let done = debrief(["rubric", "check", path.to_str().unwrap()])
        .output()
        .expect_code(2);
    assert!(
        done.stdout()
            .contains("red_flags.accuracy_is_enough: invalid pattern"),
        "{}",
        done.stdout()
    );
    assert!(done.stdout().contains("size limit"), "{}", done.stdout());
}

#[test]
fn input_order_permutes_rows_and_changes_nothing_else() {
    let forward = debrief([
        "grade",
        "fixtures/interviews/weak_early_exit.md",
        "fixtures/interviews/batch_short.jsonl",
        "fixtures/bad/empty.json",
        "--format",
        "jsonl",
    ])
    .output()
    .expect_code(3);
    let backward = debrief([
        "grade",
        "fixtures/bad/empty.json",
        "fixtures/interviews/batch_short.jsonl",
        "fixtures/interviews/weak_early_exit.md",
        "--format",
        "jsonl",
    ])
    .output()
    .expect_code(3);
    let mut a: Vec<String> = forward.stdout().lines().map(String::from).collect();
    let mut b: Vec<String> = backward.stdout().lines().map(String::from).collect();
    assert_ne!(a, b, "the order follows the arguments");
    a.sort();
    b.sort();
    assert_eq!(a, b);
}

/// Caption files built to make a careless reader quadratic: unclosed tags and
/// entities by the hundred thousand, thousands of cues without blank lines, and
/// thousands of speakers. Each is read (and refused or graded) in well under a
/// second; a quadratic reader would take minutes here, so the test would hang
/// instead of passing.
#[test]
fn hostile_captions_are_read_in_linear_time() {
    let dir = temp_dir();
    let unclosed = format!(
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nDana: {}\n\n00:00:03.000 --> 00:00:04.000\nSam: {}\n",
        "<a &amp <v x ".repeat(60_000),
        "{\\an ".repeat(60_000)
    );
    write(dir.path(), "unclosed.vtt", unclosed);
    let mut dense = String::from("WEBVTT\n\n");
    for i in 0..30_000u32 {
        let speaker = if i % 2 == 0 {
            "Dana Reyes"
        } else {
            "Sam Patel"
        };
        dense.push_str(&format!(
            "{i}\n00:{:02}:{:02}.000 --> 00:{:02}:{:02}.500\n{speaker}: Explain bias?\n",
            i / 60 % 60,
            i % 60,
            i / 60 % 60,
            i % 60
        ));
    }
    write(dir.path(), "dense.vtt", dense);
    let mut crowd = String::from("{\"utterances\": [");
    for i in 0..30_000u32 {
        if i > 0 {
            crowd.push(',');
        }
        crowd.push_str(&format!(
            "{{\"speaker\": \"S{i}\", \"text\": \"Why?\", \"start\": {i}}}"
        ));
    }
    crowd.push_str("]}");
    write(dir.path(), "crowd.json", crowd);
    let done = debrief(["grade", "--format", "jsonl", "--quiet"])
        .arg(dir.path())
        .output();
    let lines = done.stdout().lines().count();
    assert_eq!(lines, 3, "{}", done.stderr());
}

/// A FIFO met in a graded folder would block the batch in open(): it fails alone,
/// unopened, and the rest is graded.
#[cfg(unix)]
#[test]
fn a_fifo_inside_a_folder_fails_alone_without_blocking() {
    let dir = crate::util::temp_dir();
    let transcript =
        std::fs::read(crate::util::fixture("interviews/strong_staff_fraud.json")).unwrap();
    crate::util::write(dir.path(), "a.json", &transcript);
    let fifo = dir.path().join("pipe.json");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        return; // no mkfifo on this machine
    }
    let done = crate::util::debrief(["grade", dir.path().to_str().unwrap(), "--format", "jsonl"])
        .output()
        .expect_code(3);
    let lines: Vec<serde_json::Value> = done
        .stdout()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["status"], "ok");
    assert!(
        lines[1]["error"]
            .as_str()
            .unwrap()
            .contains("not a regular file"),
        "{}",
        lines[1]
    );
}

/// `-o` naming one of the inputs would replace a transcript with results: refused,
/// and the transcript is left as it was.
#[test]
fn output_naming_an_input_is_refused() {
    let dir = crate::util::temp_dir();
    let transcript =
        std::fs::read(crate::util::fixture("interviews/strong_staff_fraud.json")).unwrap();
    let path = crate::util::write(dir.path(), "t.json", &transcript);
    let done = crate::util::debrief([
        "grade",
        path.to_str().unwrap(),
        "-o",
        path.to_str().unwrap(),
    ])
    .output()
    .expect_code(2);
    assert!(
        done.stderr().contains("is one of the inputs"),
        "{}",
        done.stderr()
    );
    assert_eq!(std::fs::read(&path).unwrap(), transcript);
}

/// `-o` keeps a replaced file's mode (a 0600 results file stays private) and writes
/// through a symbolic link instead of replacing it.
#[cfg(unix)]
#[test]
fn output_keeps_its_mode_and_its_link() {
    use std::os::unix::fs::PermissionsExt;
    let dir = crate::util::temp_dir();
    let transcript = crate::util::fixture("interviews/strong_staff_fraud.json");
    let private = crate::util::write(dir.path(), "private.csv", "old\n");
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o600)).unwrap();
    let link = dir.path().join("link.csv");
    std::os::unix::fs::symlink(&private, &link).unwrap();
    crate::util::debrief([
        "grade",
        transcript.to_str().unwrap(),
        "--quiet",
        "-o",
        link.to_str().unwrap(),
    ])
    .output()
    .expect_code(0);
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    let written = std::fs::read_to_string(&private).unwrap();
    assert!(written.starts_with("source,id,"), "{written}");
    let mode = std::fs::metadata(&private).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}

/// In JSON Lines, a line with a NUL or an invalid UTF-8 byte fails alone: the other
/// lines are graded, in order.
#[test]
fn a_bad_byte_fails_only_its_json_lines_line() {
    let dir = crate::util::temp_dir();
    let good = std::fs::read_to_string(crate::util::fixture("interviews/strong_staff_fraud.json"))
        .unwrap();
    let one_line: serde_json::Value = serde_json::from_str(&good).unwrap();
    let line = one_line.to_string();
    let mut bytes = Vec::new();
    bytes.extend_from_slice(line.as_bytes());
    bytes.extend_from_slice(b"\n{\"turns\": \"\xC3\x28\"}\n");
    bytes.extend_from_slice(line.as_bytes());
    bytes.extend_from_slice(b"\n{\"turns\": \0}\n");
    let path = crate::util::write(dir.path(), "batch.jsonl", &bytes);
    let done = crate::util::debrief(["grade", path.to_str().unwrap(), "--format", "jsonl"])
        .output()
        .expect_code(3);
    let rows: Vec<serde_json::Value> = done
        .stdout()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let statuses: Vec<&str> = rows.iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["ok", "error", "ok", "error"]);
    assert!(
        rows[1]["error"].as_str().unwrap().contains("line 2"),
        "{}",
        rows[1]
    );
    assert!(
        rows[1]["error"].as_str().unwrap().contains("invalid UTF-8"),
        "{}",
        rows[1]
    );
    assert!(
        rows[3]["error"].as_str().unwrap().contains("NUL"),
        "{}",
        rows[3]
    );
}

/// Transcript-controlled text (an id, an interviewer name, a quote) cannot drive the
/// terminal or inject markdown, in any subcommand's text or markdown output.
#[test]
fn hostile_ids_and_names_are_shown_not_interpreted() {
    let dir = crate::util::temp_dir();
    let hostile = "x\n## injected \u{1b}[2J \u{202e}evil ![i](http://e) <img onerror=1>";
    let transcript = serde_json::json!({
        "id": hostile,
        "interviewer": hostile,
        "turns": [
            {"speaker": "interviewer", "text": "Great explanation! What metric would you use?"},
            {"speaker": "candidate", "text": "Precision and recall, because the classes are imbalanced."},
            {"speaker": "interviewer", "text": "Technical complete. Questions for me?"}
        ],
        "expect": {"recommendation": "Strong Yes", "breaches": []}
    });
    let path = crate::util::write(dir.path(), "h.json", transcript.to_string());
    let audit = crate::util::debrief(["audit", path.to_str().unwrap(), "--format", "md"])
        .output()
        .expect_code(0)
        .stdout();
    let eval = crate::util::debrief(["eval", path.to_str().unwrap()])
        .output()
        .stdout();
    for out in [&audit, &eval] {
        assert!(!out.contains('\u{1b}'), "{out}");
        assert!(!out.contains('\u{202e}'), "{out}");
        assert!(!out.contains("\n## injected"), "{out}");
    }
    // Markdown's own characters arrive escaped: no raw HTML, link or image.
    assert!(
        audit.contains("\\<img") && !audit.contains(" <img"),
        "{audit}"
    );
    assert!(!audit.contains("](http"), "{audit}");
}

/// Inputs other than transcripts are bounded too: a rubric, results or labels file
/// that never ends is refused at once, naming it.
#[cfg(unix)]
#[test]
fn non_transcript_inputs_that_never_end_are_refused() {
    for args in [
        vec![
            "grade",
            "fixtures/interviews/strong_staff_fraud.json",
            "--rubric",
            "/dev/zero",
        ],
        vec!["rubric", "check", "/dev/zero"],
        vec!["report", "/dev/zero"],
        vec!["diff", "/dev/zero", "/dev/zero"],
        vec![
            "calibrate",
            "fixtures/baseline.json",
            "--labels",
            "/dev/zero",
        ],
    ] {
        let done = crate::util::debrief(&args).output().expect_code(2);
        assert!(
            done.stderr().contains("/dev/zero"),
            "{args:?}: {}",
            done.stderr()
        );
        assert!(done.stderr().contains("not a regular file"), "{args:?}");
    }
}

/// `--max-input-size` bounds every input that is not a transcript, on every command,
/// and the error says which flag moves the limit.
#[test]
fn max_input_size_bounds_rubrics_results_and_labels() {
    for args in [
        vec!["rubric", "check", "rubric.yaml"],
        vec![
            "grade",
            "fixtures/interviews/strong_staff_fraud.json",
            "--rubric",
            "rubric.yaml",
        ],
        vec!["diff", "fixtures/baseline.json", "fixtures/baseline.json"],
        vec!["report", "fixtures/baseline.json"],
    ] {
        let done = crate::util::debrief(&args)
            .arg("--max-input-size")
            .arg("1000")
            .output()
            .expect_code(2);
        assert!(
            done.stderr()
                .contains("over the 1000-byte limit (--max-input-size)"),
            "{args:?}: {}",
            done.stderr()
        );
    }
    crate::util::debrief([
        "rubric",
        "check",
        "rubric.yaml",
        "--max-input-size",
        "10000000",
    ])
    .output()
    .expect_code(0);
}

/// Peak resident memory (KB) of `debrief ARGS`, which must succeed; `None` when GNU
/// time is missing (outside CI: `.ci/run` installs it, and CI must run these tests).
#[cfg(unix)]
fn peak_kb(args: &[&std::ffi::OsStr]) -> Option<u64> {
    let time = std::path::Path::new("/usr/bin/time");
    if !time.exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run the memory tests: .ci/run installs GNU time"
        );
        return None;
    }
    let done = std::process::Command::new(time)
        .args(["-f", "%M"])
        .arg(env!("CARGO_BIN_EXE_debrief"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    String::from_utf8_lossy(&done.stderr)
        .lines()
        .last()
        .and_then(|l| l.trim().parse().ok())
}

/// Peak memory of grading `path` to CSV on /dev/null, with `extra` arguments.
#[cfg(unix)]
fn grading_peak_kb(path: &std::path::Path, extra: &[&str]) -> Option<u64> {
    let mut args: Vec<&std::ffi::OsStr> =
        ["grade", "--quiet", "--format", "csv", "-o", "/dev/null"]
            .iter()
            .chain(extra)
            .map(|a| a.as_ref())
            .collect();
    args.push(path.as_os_str());
    peak_kb(&args)
}

/// A JSON Lines file streams: memory follows the window of lines being graded, not
/// the number of transcripts in the file. Peak memory for 16,000 transcripts is
/// within 20 MB of that for 2,000 (reading the whole file first, it was 5x more).
#[cfg(unix)]
#[test]
fn json_lines_memory_follows_the_window_not_the_file() {
    let dir = crate::util::temp_dir();
    let line = r#"{"turns": [{"speaker": "interviewer", "text": "Explain regularization."}, {"speaker": "candidate", "text": "It penalises large weights so the model generalises better to new data."}]}"#;
    let peak = |lines: usize| -> Option<u64> {
        let path = dir.path().join(format!("{lines}.jsonl"));
        std::fs::write(&path, format!("{line}\n").repeat(lines)).unwrap();
        let out = dir.path().join(format!("{lines}.out"));
        let kb = peak_kb(&[
            "grade".as_ref(),
            "--quiet".as_ref(),
            "--format".as_ref(),
            "jsonl".as_ref(),
            "-o".as_ref(),
            out.as_os_str(),
            path.as_os_str(),
        ])?;
        let written = std::fs::read_to_string(&out).unwrap();
        assert_eq!(written.lines().count(), lines);
        Some(kb)
    };
    let (Some(small), Some(large)) = (peak(2_000), peak(16_000)) else {
        return;
    };
    assert!(
        large < small + 20_000,
        "peak {small} KB for 2,000 lines, {large} KB for 16,000"
    );
}

/// One long transcript costs memory in proportion to its turns: about 2.7 KB a turn
/// of 130 bytes (the turn, its normalised text and offset runs, the phrase
/// occurrences scoring reads, its exchange and evidence), held under 5 KB a turn
/// here, measured as the growth from 2,000 to 10,000 turns.
#[cfg(unix)]
#[test]
fn one_long_transcript_costs_a_bounded_amount_per_turn() {
    let dir = crate::util::temp_dir();
    let peak = |turns: usize| -> Option<u64> {
        let list: Vec<serde_json::Value> = (0..turns)
            .map(|i| {
                if i % 2 == 0 {
                    serde_json::json!({"speaker": "interviewer", "text": "Correct. Next question: how would you handle class imbalance in fraud detection?"})
                } else {
                    serde_json::json!({"speaker": "candidate", "text": "I would use class weights and evaluate with PR-AUC, then tune the threshold on validation data against the cost of errors."})
                }
            })
            .collect();
        let path = dir.path().join(format!("{turns}.json"));
        std::fs::write(&path, serde_json::json!({"turns": list}).to_string()).unwrap();
        grading_peak_kb(&path, &["--max-turns", "20000"])
    };
    let (Some(small), Some(large)) = (peak(2_000), peak(10_000)) else {
        return;
    };
    let per_turn = large.saturating_sub(small) / 8_000;
    assert!(
        per_turn < 5,
        "{per_turn} KB a turn: peak {small} KB for 2,000 turns, {large} KB for 10,000"
    );
}

/// A transcript of long turns costs a small multiple of its size: about 11 times
/// for 10 KB turns in which nearly every word is a rubric term (each word's phrase
/// occurrences are kept until the transcript is scored), held under 16 times here,
/// measured as the growth from 0.6 MB to 3 MB of turns.
#[cfg(unix)]
#[test]
fn long_turns_cost_a_small_multiple_of_their_size() {
    let dir = crate::util::temp_dir();
    let words = [
        "the",
        "model",
        "uses",
        "regularization",
        "to",
        "reduce",
        "variance",
        "and",
        "we",
        "monitor",
        "drift",
        "in",
        "production",
        "with",
        "PR-AUC",
        "while",
        "features",
        "are",
        "scaled",
        "after",
        "split",
        "so",
        "nothing",
        "leaks",
        "from",
        "test",
        "set",
    ];
    let mut state = 1u64;
    let mut word = move || {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1);
        words[(state >> 33) as usize % words.len()]
    };
    let mut turn = |sentences: usize| -> String {
        (0..sentences)
            .map(|_| (0..15).map(|_| word()).collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>()
            .join(". ")
    };
    let peak = |turns: usize, turn: &mut dyn FnMut(usize) -> String| -> Option<(u64, u64)> {
        let list: Vec<serde_json::Value> = (0..turns)
            .map(|i| {
                let speaker = if i % 2 == 0 {
                    "interviewer"
                } else {
                    "candidate"
                };
                serde_json::json!({"speaker": speaker, "text": turn(100)})
            })
            .collect();
        let path = dir.path().join(format!("long{turns}.json"));
        let body = serde_json::json!({"turns": list}).to_string();
        std::fs::write(&path, &body).unwrap();
        let kb = grading_peak_kb(&path, &[])?;
        Some((kb, body.len() as u64 / 1024))
    };
    let (Some((small, small_kb)), Some((large, large_kb))) =
        (peak(60, &mut turn), peak(300, &mut turn))
    else {
        return;
    };
    let multiple = large.saturating_sub(small) as f64 / (large_kb - small_kb) as f64;
    assert!(
        multiple < 16.0,
        "{multiple:.1} times the input: peak {small} KB for {small_kb} KB of turns, {large} KB for {large_kb} KB"
    );
}
