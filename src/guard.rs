//! The guardrail: the breaches one interviewer message would commit, checked before
//! it is sent.
//!
//! A request is the conversation so far (native turns with `speaker` and `text`, or
//! chat messages with `role` and `content`, as the JSON reader takes them) and the
//! message the interviewer is about to send. The message becomes the last turn of
//! that transcript and is checked by the compliance scorer's own per-turn check
//! ([`compliance::check_turn`]), so a message that passes here never shows up in a
//! later `audit` of the same transcript. The missing conclusion is the one rule left
//! out: only the end of the interview decides it. Each breach names what the guide
//! expects at this point ([`compliance::expected_at`]).
//!
//! [`serve`] is `debrief guard`: JSON Lines requests on a reader, one JSON line per
//! request on a writer, flushed each time; a bad request gets an error line.

use std::io::{BufRead, Write};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::rubric::CompiledRubric;
use crate::scorers::compliance::{self, Expected};
use crate::scorers::Prepared;
use crate::transcript::{self, Limits};

/// One breach the message would commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GuardBreach {
    /// Rule id, as `audit` reports it.
    pub rule: String,
    /// The message's turn number in the transcript (0-based).
    pub turn: usize,
    /// The message's words that break the rule.
    pub quote: String,
    /// What is wrong.
    pub message: String,
    /// What the guide expects at this point, naming the templates.
    pub expected: String,
}

/// The verdict on one message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GuardCheck {
    /// True when the message commits no breach.
    pub ok: bool,
    /// What the guide expects at this point.
    pub expected: Expected,
    /// The same, in words naming the templates.
    pub expected_text: String,
    /// The breaches, in rule order.
    pub breaches: Vec<GuardBreach>,
}

/// A `debrief guard` request line.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Request {
    /// The conversation so far.
    #[serde(default)]
    history: Vec<Value>,
    /// The message about to be sent.
    message: String,
}

/// Checks `message` as the interviewer's next turn after `history`.
///
/// Errors are one line: a history the JSON reader refuses (naming the turn), a history
/// that mixes the two shapes, or an empty message.
pub fn check_turn(
    history: &[Value],
    message: &str,
    rubric: &CompiledRubric,
) -> Result<GuardCheck, String> {
    if message.trim().is_empty() {
        return Err("the message is empty".into());
    }
    let chat = history.iter().any(|t| t.get("role").is_some());
    let native = history.iter().any(|t| t.get("speaker").is_some());
    let document = match (chat, native) {
        (true, true) => {
            return Err(
                "the history mixes chat messages (role, content) and turns (speaker, text)".into(),
            )
        }
        (true, false) => {
            let mut messages = history.to_vec();
            messages.push(serde_json::json!({"role": "assistant", "content": message}));
            serde_json::json!({ "messages": messages })
        }
        (false, _) => {
            let mut turns = history.to_vec();
            turns.push(serde_json::json!({"speaker": "interviewer", "text": message}));
            serde_json::json!({ "turns": turns })
        }
    };
    let transcript = transcript::parse_conversation(&document.to_string(), &Limits::default())
        .map_err(|e| format!("the history could not be read: {e}"))?;
    let turn = transcript
        .turns
        .len()
        .checked_sub(1)
        .ok_or("the history could not be read")?;
    let prepared = Prepared::for_last_turn(&transcript, rubric, turn);
    let (expected, expected_text) = compliance::expected_at(&prepared, rubric, turn);
    let breaches: Vec<GuardBreach> = compliance::check_turn(&prepared, rubric, turn)
        .into_iter()
        .map(|v| GuardBreach {
            rule: v.rule,
            turn: v.turn,
            quote: v.quote,
            message: v.message,
            expected: expected_text.clone(),
        })
        .collect();
    Ok(GuardCheck {
        ok: breaches.is_empty(),
        expected,
        expected_text,
        breaches,
    })
}

/// Counts of a finished `guard` session.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Served {
    /// Requests answered with a check.
    pub checked: usize,
    /// Request lines answered with an error line.
    pub failed: usize,
}

/// Answers JSON Lines requests (`{"history": [...], "message": "..."}`) from `input`,
/// one line of [`GuardCheck`] JSON per request on `output`, flushed after each. A bad
/// line gets `{"error": "line N: ..."}` and the session goes on; blank lines are skipped.
pub fn serve(
    input: impl BufRead,
    mut output: impl Write,
    rubric: &CompiledRubric,
) -> std::io::Result<Served> {
    let mut served = Served::default();
    for (index, line) in input.split(b'\n').enumerate() {
        let line = line?;
        let number = index + 1;
        let reply = match answer(&line, rubric) {
            Some(Ok(check)) => {
                served.checked += 1;
                serde_json::to_string(&check)
            }
            Some(Err(error)) => {
                served.failed += 1;
                serde_json::to_string(
                    &serde_json::json!({ "error": format!("line {number}: {error}") }),
                )
            }
            None => continue,
        };
        let reply = reply.map_err(std::io::Error::other)?;
        output.write_all(reply.as_bytes())?;
        output.write_all(b"\n")?;
        output.flush()?;
    }
    Ok(served)
}

/// One request line's answer; `None` for a blank line.
fn answer(line: &[u8], rubric: &CompiledRubric) -> Option<Result<GuardCheck, String>> {
    let text = match std::str::from_utf8(line) {
        Ok(text) => text.trim_end_matches('\r'),
        Err(e) => return Some(Err(format!("not UTF-8 (byte {})", e.valid_up_to() + 1))),
    };
    if text.trim().is_empty() {
        return None;
    }
    let request: Request = match serde_json::from_str(text) {
        Ok(request) => request,
        Err(e) => {
            return Some(Err(format!(
                "not a request {{\"history\": [...], \"message\": \"...\"}}: {e}"
            )))
        }
    };
    Some(check_turn(&request.history, &request.message, rubric))
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use proptest::prelude::*;
    use serde_json::json;

    use super::*;
    use crate::scorers::compliance::ComplianceScorer;
    use crate::scorers::Scorer;
    use crate::transcript::{InputFormat, ReadOptions};

    fn rubric() -> &'static CompiledRubric {
        static RUBRIC: OnceLock<CompiledRubric> = OnceLock::new();
        RUBRIC.get_or_init(|| crate::rubric::load_default().unwrap())
    }

    fn turn(speaker: &str, text: &str) -> Value {
        json!({"speaker": speaker, "text": text})
    }

    #[test]
    fn a_reply_without_a_template_is_caught_and_names_the_templates() {
        let history = [
            turn("interviewer", "Explain regularization."),
            turn(
                "candidate",
                "It penalises large weights to reduce variance.",
            ),
        ];
        let check = check_turn(&history, "Great explanation! What about L1?", rubric()).unwrap();
        let rules: Vec<&str> = check.breaches.iter().map(|b| b.rule.as_str()).collect();
        assert_eq!(rules, ["forbidden_phrase", "hint", "template_mismatch"]);
        assert_eq!(check.expected, Expected::ResponseTemplate);
        assert!(
            check.breaches[0].expected.contains("\"Correct.\""),
            "{check:?}"
        );
        assert!(check.breaches.iter().all(|b| b.turn == 2));
        assert!(!check.ok);
    }

    #[test]
    fn a_template_reply_passes_in_either_history_shape() {
        let chat = [
            json!({"role": "system", "content": "You are an interviewer."}),
            json!({"role": "assistant", "content": "Explain regularization."}),
            json!({"role": "user", "content": "It penalises large weights to reduce variance."}),
        ];
        let check = check_turn(&chat, "Correct. How would you pick lambda?", rubric()).unwrap();
        assert!(check.ok, "{check:?}");
        assert_eq!(check.breaches, []);
    }

    #[test]
    fn the_expectation_follows_the_interview() {
        let opening = check_turn(&[], "Explain regularization.", rubric()).unwrap();
        assert_eq!(opening.expected, Expected::Question);
        let clarifying = [
            turn("interviewer", "Explain regularization."),
            turn("candidate", "Do you mean for linear models?"),
        ];
        let check = check_turn(&clarifying, "Yes, linear models.", rubric()).unwrap();
        assert_eq!(check.expected, Expected::ClarifyingAnswer);
        assert!(check.ok, "{check:?}");
        let late = [
            json!({"speaker": "interviewer", "text": "Explain bagging.", "at": "00:44:00"}),
            json!({"speaker": "candidate", "text": "Many trees on bootstrap samples.", "at": "00:46:10"}),
        ];
        let check = check_turn(&late, "Correct.", rubric()).unwrap();
        assert_eq!(check.expected, Expected::Conclusion);
        assert!(
            check.expected_text.contains("Technical complete"),
            "{check:?}"
        );
        let after = [
            turn("interviewer", "Technical complete. Questions for me?"),
            turn("candidate", "What is the team like?"),
        ];
        let check = check_turn(&after, "Small and kind.", rubric()).unwrap();
        assert_eq!(check.expected, Expected::Closing);
    }

    #[test]
    fn bad_requests_are_one_line_errors() {
        let mixed = [
            turn("interviewer", "Q?"),
            json!({"role": "user", "content": "A."}),
        ];
        assert!(check_turn(&mixed, "Correct.", rubric())
            .unwrap_err()
            .contains("mixes"));
        assert_eq!(
            check_turn(&[], "  ", rubric()).unwrap_err(),
            "the message is empty"
        );
        let unknown = [turn("moderator", "hello")];
        let error = check_turn(&unknown, "Correct.", rubric()).unwrap_err();
        assert!(
            error.starts_with("the history could not be read"),
            "{error}"
        );
        assert!(!error.contains('\n'));
    }

    #[test]
    fn serve_answers_every_line_and_goes_on_after_a_bad_one() {
        let input = concat!(
            r#"{"history": [], "message": "Explain PCA."}"#,
            "\n\nnot json\n",
            r#"{"history": [{"speaker": "interviewer", "text": "Explain PCA."}, {"speaker": "candidate", "text": "Projects onto directions of largest variance."}], "message": "Nice approach! Next?"}"#,
            "\n"
        );
        let mut out = Vec::new();
        let served = serve(input.as_bytes(), &mut out, rubric()).unwrap();
        assert_eq!(
            served,
            Served {
                checked: 2,
                failed: 1
            }
        );
        let lines: Vec<Value> = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0]["ok"], true);
        assert!(lines[1]["error"].as_str().unwrap().starts_with("line 3: "));
        assert_eq!(lines[2]["ok"], false);
    }

    /// Interviewer lines: templates, breaches of every kind, questions, the conclusion.
    const INTERVIEWER: &[&str] = &[
        "Explain regularization.",
        "Correct. How would you pick the penalty?",
        "Correct but incomplete. You did not say why. Continue.",
        "Incorrect. The update goes against the gradient. Correct approach: subtract it. Next question.",
        "Incorrect. That is wrong.",
        "Moving on. Solution requires bootstrap aggregation. Next question.",
        "Great explanation! What about L1?",
        "Don't worry, take your time.",
        "Have you considered feature scaling?",
        "What is bias? And what is variance?",
        "Let me walk you through how gradient boosting works: each tree fits the residuals of the ones before it, the learning rate shrinks each step, and the depth of the trees bounds the interactions the ensemble can learn, which is why shallow trees are common in practice.",
        "5min remaining. Correct. Next, how would you deploy it?",
        "Technical complete. Questions for me?",
        "Recruiting will follow up.",
        "You did really well today, strong answers overall.",
        "Yes, assume a linear model.",
    ];
    /// Candidate lines: answers, a clarifying question, praise quoted back.
    const CANDIDATE: &[&str] = &[
        "It penalises large weights so the model generalises.",
        "Do you mean for linear models?",
        "I would use cross-validation on the training folds.",
        "Um, I am not sure.",
        "My manager said great explanation, but I disagree.",
        "What does the team work on?",
    ];

    fn transcript_strategy() -> impl Strategy<Value = Vec<(bool, usize)>> {
        proptest::collection::vec(
            (
                any::<bool>(),
                0usize..INTERVIEWER.len().max(CANDIDATE.len()),
            ),
            1..14,
        )
    }

    fn build(turns: &[(bool, usize)]) -> Vec<Value> {
        turns
            .iter()
            .map(|&(interviewer, i)| {
                if interviewer {
                    turn("interviewer", INTERVIEWER[i % INTERVIEWER.len()])
                } else {
                    turn("candidate", CANDIDATE[i % CANDIDATE.len()])
                }
            })
            .collect()
    }

    fn audit(turns: &[Value]) -> Vec<compliance::Violation> {
        let text = json!({ "turns": turns }).to_string();
        let parsed = transcript::parse(&text, InputFormat::Json, "t", &ReadOptions::default());
        let transcript = parsed.into_iter().next().unwrap().result.unwrap();
        let prepared = Prepared::new(&transcript, rubric());
        ComplianceScorer.score(&prepared, rubric()).violations
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// `audit`'s breaches of the last interviewer turn are `check_turn`'s on the
        /// prefix ending there (the missing conclusion aside), and no breach `audit`
        /// finds on any interviewer turn was passed by `check_turn` on its prefix.
        #[test]
        fn check_turn_agrees_with_audit(turns in transcript_strategy()) {
            let turns = build(&turns);
            prop_assume!(turns.iter().any(|t| t["speaker"] == "candidate"));
            prop_assume!(turns.iter().any(|t| t["speaker"] == "interviewer"));
            let audited = audit(&turns);
            let interviewer: Vec<usize> = turns
                .iter()
                .enumerate()
                .filter(|(_, t)| t["speaker"] == "interviewer")
                .map(|(i, _)| i)
                .collect();
            for &at in &interviewer {
                let message = turns[at]["text"].as_str().unwrap();
                let check = check_turn(&turns[..at], message, rubric()).unwrap();
                let guarded: Vec<(String, String, String)> = check
                    .breaches
                    .iter()
                    .map(|b| (b.rule.clone(), b.quote.clone(), b.message.clone()))
                    .collect();
                let later: Vec<(String, String, String)> = audited
                    .iter()
                    .filter(|v| v.turn == at && v.rule != "missing_conclusion")
                    .map(|v| (v.rule.clone(), v.quote.clone(), v.message.clone()))
                    .collect();
                if Some(&at) == interviewer.last() {
                    prop_assert_eq!(&guarded, &later);
                } else {
                    for breach in &later {
                        prop_assert!(guarded.contains(breach), "{:?} not in {:?}", breach, guarded);
                    }
                }
            }
        }
    }
}
