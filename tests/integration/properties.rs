//! Property tests: no input panics a reader or the grader, and grading does not
//! depend on anything but the transcript and the rubric.

use std::sync::OnceLock;

use debrief::evaluation;
use debrief::rubric::{self, CompiledRubric};
use debrief::transcript::{self, InputFormat, ReadOptions};
use proptest::prelude::*;

fn rubric() -> &'static CompiledRubric {
    static RUBRIC: OnceLock<CompiledRubric> = OnceLock::new();
    RUBRIC.get_or_init(|| rubric::load(rubric::DEFAULT_RUBRIC).expect("the default rubric loads"))
}

fn read_options() -> ReadOptions {
    ReadOptions {
        inference: rubric().speaker_inference.clone(),
        ..ReadOptions::default()
    }
}

/// Reads `bytes` in every format and grades whatever parses; must never panic.
fn read_and_grade(bytes: &[u8]) {
    let Ok(text) = transcript::decode_text(bytes) else {
        return;
    };
    for format in [
        InputFormat::Json,
        InputFormat::JsonLines,
        InputFormat::Markdown,
        InputFormat::Vtt,
        InputFormat::Srt,
        InputFormat::Text,
    ] {
        for parsed in transcript::parse(&text, format, "fuzz", &read_options()) {
            if let Ok(t) = parsed.result {
                let _ = evaluation::grade(&t, rubric(), "fuzz", None, None);
            }
        }
    }
}

/// Text that looks like a transcript in parts: labels, templates, red flags,
/// timestamps, quotes and punctuation, in any order.
fn odd_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "**Interviewer:** ",
        "**Candidate**: ",
        "## Candidate [00:01]\n",
        "Interviewer: ",
        "[00:00:05] ",
        "Correct. ",
        "Correct but incomplete. ",
        "Incorrect. ",
        "Correct approach: ",
        "Next question. ",
        "Moving on. ",
        "Technical complete. Questions for me?",
        "accuracy is enough",
        "not ",
        "never ",
        "\"",
        "'",
        "?",
        ".",
        ",",
        "\n",
        "---\n",
        "id: x\n",
        "regularization",
        "L1",
        "we deployed",
        "I would deploy",
        "é",
        "日本",
        "\u{1b}[31m",
        "because",
        "{",
        "}",
        "[",
        "]",
        ": ",
        "n't",
        "5min remaining",
        "Explain the mathematical foundation of ",
        "WEBVTT\n\n",
        "00:00:01.000 --> 00:00:02.000\n",
        "0:0:5,3 --> 9:00\n",
        "GUID/18-0\n",
        "<v Dana Reyes>",
        "</v>",
        "&amp;",
        "&#x1F600;",
        "NOTE interviewer: Dana\n",
        "Dana Reyes: ",
        "[SPEAKER_00]: ",
        "Sam Patel  0:03\n",
        "00:01:00\n",
        "1\n",
        "Attendees\n",
        "Transcribed by https://otter.ai",
        "{\"utterances\": [{\"speaker\": \"A\", \"text\": \"hi?\", \"start\": 5}]}",
        "{\"segments\": [{\"text\": \"x\"}]}",
    ]);
    prop::collection::vec(pieces, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        read_and_grade(&bytes);
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,300}") {
        read_and_grade(text.as_bytes());
    }

    #[test]
    fn transcript_like_text_never_panics(text in odd_text()) {
        read_and_grade(text.as_bytes());
    }

    #[test]
    fn odd_but_well_formed_transcripts_grade(
        turns in prop::collection::vec((any::<bool>(), odd_text(), prop::option::of(0u32..4000)), 2..24),
        level in prop::sample::select(vec!["senior", "staff", "principal"]),
    ) {
        let mut at = 0;
        let turns: Vec<serde_json::Value> = turns
            .into_iter()
            .enumerate()
            .map(|(i, (interviewer, text, step))| {
                let speaker = if i < 2 { ["interviewer", "candidate"][i] } else if interviewer { "interviewer" } else { "candidate" };
                let mut turn = serde_json::json!({"speaker": speaker, "text": text});
                if let Some(step) = step {
                    at += step;
                    turn["at"] = serde_json::json!(at);
                }
                turn
            })
            .collect();
        let document = serde_json::json!({"level": level, "turns": turns}).to_string();
        let parsed = transcript::parse(&document, InputFormat::Json, "odd", &read_options());
        let t = parsed.into_iter().next().unwrap().result.expect("well-formed");
        let first = evaluation::grade(&t, rubric(), "odd", None, None).expect("grades");
        let again = evaluation::grade(&t, rubric(), "odd", None, None).expect("grades");
        prop_assert_eq!(&first, &again);
        for value in first.scores.unwrap().to_array().into_iter().flatten() {
            prop_assert!((1..=5).contains(&value));
        }
        // A recommendation exactly when the interview could be assessed.
        prop_assert_eq!(
            first.recommendation.is_some(),
            first.assessment == Some(evaluation::Assessment::Assessed)
        );
        prop_assert!(first.compliance.unwrap().score <= 100);
        for exchange in &first.exchanges {
            prop_assert!(exchange.quality <= 100);
        }
    }

    #[test]
    fn arbitrary_yaml_never_panics_the_rubric_loader(text in "\\PC{0,400}") {
        let _ = rubric::load(&text);
        let _ = rubric::check(&text);
    }

}

proptest! {
    // Each case compiles a whole rubric: fewer cases.
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn mutated_rubrics_never_panic(cut in 0usize..60_000, insert in "\\PC{0,20}") {
        let base = rubric::DEFAULT_RUBRIC;
        let cut = (0..=cut.min(base.len())).rev().find(|&i| base.is_char_boundary(i)).unwrap_or(0);
        let text = format!("{}{}{}", &base[..cut], insert, &base[cut..]);
        let _ = rubric::check(&text);
    }
}

/// Grades `files` in the given order with `jobs` threads; JSON Lines rows.
fn graded_rows(files: &[&str], jobs: u8) -> Vec<String> {
    let mut args = vec!["grade".to_string(), "--format".into(), "jsonl".into()];
    args.extend(["--jobs".to_string(), jobs.to_string(), "--quiet".into()]);
    args.extend(files.iter().map(|f| f.to_string()));
    let done = crate::util::debrief(args).output();
    done.stdout().lines().map(String::from).collect()
}

const ORDER_FILES: [&str; 6] = [
    "fixtures/interviews/strong_staff_fraud.json",
    "fixtures/interviews/batch_short.jsonl",
    "fixtures/interviews/weak_early_exit.md",
    "fixtures/interviews/template_breaker_chat.json",
    "fixtures/bad/empty.json",
    "fixtures/labeled/compliance/breaches_friendly_human.md",
];

proptest! {
    // Each case runs the binary: a handful of permutations and thread counts.
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    #[test]
    fn permuting_inputs_permutes_rows_and_changes_nothing_else(
        order in Just(ORDER_FILES.to_vec()).prop_shuffle(),
        jobs in 1u8..4,
    ) {
        let reference = graded_rows(&ORDER_FILES, 1);
        let rows = graded_rows(&order, jobs);
        // Rows come in argument order: each file's rows, in the order given.
        let source_of = |row: &String| -> String {
            let value: serde_json::Value = serde_json::from_str(row).unwrap();
            value["source"].as_str().unwrap().to_string()
        };
        let mut expected_sources: Vec<String> = Vec::new();
        for file in &order {
            for row in &reference {
                if source_of(row) == *file {
                    expected_sources.push(file.to_string());
                }
            }
        }
        let sources: Vec<String> = rows.iter().map(source_of).collect();
        prop_assert_eq!(sources, expected_sources);
        let mut sorted = rows.clone();
        sorted.sort();
        let mut reference_sorted = reference.clone();
        reference_sorted.sort();
        prop_assert_eq!(sorted, reference_sorted);
    }
}
