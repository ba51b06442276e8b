//! Who is the interviewer: turning a recording's named speakers into roles.
//!
//! Captions, meeting exports and speech-to-text output name their speakers ("Dana
//! Reyes", "SPEAKER_00", "A") but never say who runs the interview. Their readers
//! produce a [`Recording`]: pieces of speech, each with a speaker and a time. This
//! module merges consecutive pieces of one speaker into turns and decides the roles,
//! trying in order:
//!
//! 1. the user's names (`--interviewer`, `--candidate`, `--speaker-map`);
//! 2. the file's own metadata (a VTT `NOTE interviewer: ...`, a JSON `speakers` map);
//! 3. speakers literally called "Interviewer" and "Candidate";
//! 4. inference from the text: the interviewer is the speaker who opens turns with the
//!    response templates and asks the questions.
//!
//! The decision and its confidence travel with the transcript as an [`Attribution`].
//! An inference below the rubric's confidence floor is an error, never a guess that
//! could silently invert a grade. Speakers beyond the interviewer and the candidate
//! are `other`: listed in the attribution, never scored.

use serde::{Deserialize, Serialize};

use super::{ReadError, Role, Transcript, Turn};

/// One piece of speech as a caption, segment or export line gives it.
#[derive(Debug, Clone, PartialEq)]
pub struct Piece {
    /// The speaker's name or label; `None` continues the previous speaker.
    pub speaker: Option<String>,
    /// What was said, markup already removed.
    pub text: String,
    /// When it starts, in milliseconds from the start of the recording.
    pub at_ms: Option<u64>,
}

/// A transcript whose speakers have names but no roles yet.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Recording {
    /// The transcript id, when the file gives one.
    pub id: Option<String>,
    /// The candidate's name, from metadata.
    pub candidate: Option<String>,
    /// The interviewer's name, from metadata.
    pub interviewer: Option<String>,
    /// The level, from metadata.
    pub level: Option<String>,
    /// Roles the file's metadata gives to speaker names.
    pub roles: Vec<(String, SpeakerRole)>,
    /// The speech, in time order.
    pub pieces: Vec<Piece>,
}

/// The part a speaker plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SpeakerRole {
    /// Runs the interview.
    Interviewer,
    /// Is interviewed.
    Candidate,
    /// Anyone else (a shadowing interviewer, a note-taker): kept, never scored.
    Other,
}

impl SpeakerRole {
    /// Parses `interviewer`, `candidate` or `other`, case-insensitively.
    pub fn from_name(name: &str) -> Option<SpeakerRole> {
        match name.trim().to_ascii_lowercase().as_str() {
            "interviewer" => Some(SpeakerRole::Interviewer),
            "candidate" => Some(SpeakerRole::Candidate),
            "other" => Some(SpeakerRole::Other),
            _ => None,
        }
    }
}

/// Roles the user gives to speaker names on the command line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SpeakerNames {
    /// Name and role, in the order given; names compare case-insensitively.
    pub assigned: Vec<(String, SpeakerRole)>,
}

impl SpeakerNames {
    /// Parses a `--speaker-map` value: `NAME=ROLE` pairs separated by commas.
    pub fn parse_map(map: &str) -> Result<Vec<(String, SpeakerRole)>, String> {
        map.split(',')
            .filter(|pair| !pair.trim().is_empty())
            .map(|pair| {
                let (name, role) = pair
                    .rsplit_once('=')
                    .ok_or_else(|| format!("'{pair}' is not NAME=ROLE"))?;
                let role = SpeakerRole::from_name(role).ok_or_else(|| {
                    format!("'{role}' is not a role (interviewer, candidate or other)")
                })?;
                let name = name.trim();
                if name.is_empty() {
                    return Err(format!("'{pair}' has no speaker name"));
                }
                Ok((name.to_string(), role))
            })
            .collect()
    }
}

/// How the roles are inferred when nothing names them; from the rubric's `speakers`.
#[derive(Debug, Clone, PartialEq)]
pub struct InferenceRules {
    /// Lowercase phrases that open an interviewer's turn (the response templates).
    pub openers: Vec<String>,
    /// Below this confidence the inference is refused as ambiguous.
    pub min_confidence: f64,
    /// The interviewer must show at least this many template or question turns.
    pub min_signal_turns: usize,
}

impl Default for InferenceRules {
    /// Questions only, no template openers: what a reader can do without a rubric.
    fn default() -> InferenceRules {
        InferenceRules {
            openers: Vec::new(),
            min_confidence: 0.6,
            min_signal_turns: 2,
        }
    }
}

/// Where a transcript's roles came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// `--interviewer`, `--candidate` or `--speaker-map`.
    Option,
    /// The file's own metadata.
    Metadata,
    /// Speakers named "Interviewer" and "Candidate".
    Labels,
    /// Inferred from who asks questions and uses the response templates.
    Inferred,
}

impl Method {
    /// The name the output uses.
    pub fn name(self) -> &'static str {
        match self {
            Method::Option => "option",
            Method::Metadata => "metadata",
            Method::Labels => "labels",
            Method::Inferred => "inferred",
        }
    }
}

/// A speaker who is neither the interviewer nor the candidate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OtherSpeaker {
    /// The speaker's name or label.
    pub name: String,
    /// Their turns, left out of grading.
    pub turns: usize,
    /// Their words.
    pub words: usize,
}

/// How the roles of a named-speaker transcript were decided.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attribution {
    /// Where the decision came from.
    pub method: Method,
    /// The interviewer's name or label.
    pub interviewer: String,
    /// The candidate's name or label.
    pub candidate: String,
    /// 1 for named roles; for an inference, how clearly the text tells them apart (0-1).
    pub confidence: f64,
    /// What the decision rests on, in one sentence.
    pub evidence: String,
    /// Speakers kept as `other`.
    pub others: Vec<OtherSpeaker>,
}

/// A merged turn before it has a role.
struct NamedTurn {
    speaker: usize,
    text: String,
    at_ms: Option<u64>,
}

/// What one speaker did, for the decision.
#[derive(Debug, Clone, PartialEq)]
struct Tally {
    name: String,
    turns: usize,
    words: usize,
    /// Turns opened with a response template.
    openers: usize,
    /// Turns that ask something.
    questions: usize,
    /// Turns with either.
    signal_turns: usize,
}

impl Tally {
    /// How much this speaker behaves like the interviewer: template openings count
    /// double, questions once, per turn.
    fn interviewer_score(&self) -> f64 {
        if self.turns == 0 {
            return 0.0;
        }
        (2 * self.openers + self.questions) as f64 / self.turns as f64
    }
}

/// The name given to speech before the first named speaker.
const UNKNOWN_SPEAKER: &str = "(unknown speaker)";

/// Merges `recording`'s pieces into turns and gives every speaker a role.
pub fn attribute(
    recording: Recording,
    stem: &str,
    names: &SpeakerNames,
    rules: &InferenceRules,
) -> Result<Transcript, ReadError> {
    if !recording.pieces.iter().any(|p| p.speaker.is_some()) {
        return Err(ReadError::new(
            "no speaker names: debrief needs each caption or segment to name its speaker \
             ('Name: text', '<v Name>', or a diarization label such as SPEAKER_00)",
        ));
    }
    let (speakers, turns) = merge(recording.pieces);
    let tallies: Vec<Tally> = speakers
        .iter()
        .enumerate()
        .map(|(index, name)| tally(index, name, &turns, rules))
        .collect();
    match speakers.as_slice() {
        [] => return Err(ReadError::new("the transcript has no speech")),
        [only] => {
            return Err(ReadError::new(format!(
                "only one speaker, '{only}': an interview needs an interviewer and a candidate"
            )))
        }
        _ => {}
    }
    let (roles, method, confidence, evidence) = decide(&tallies, &recording.roles, names, rules)?;
    let find = |wanted: SpeakerRole| {
        roles
            .iter()
            .position(|&r| r == wanted)
            .map(|i| speakers[i].clone())
            .unwrap_or_default()
    };
    let attribution = Attribution {
        method,
        interviewer: find(SpeakerRole::Interviewer),
        candidate: find(SpeakerRole::Candidate),
        confidence,
        evidence,
        others: tallies
            .iter()
            .zip(&roles)
            .filter(|(_, &role)| role == SpeakerRole::Other)
            .map(|(t, _)| OtherSpeaker {
                name: t.name.clone(),
                turns: t.turns,
                words: t.words,
            })
            .collect(),
    };
    let turns = turns
        .into_iter()
        .filter_map(|turn| {
            let role = match roles[turn.speaker] {
                SpeakerRole::Interviewer => Role::Interviewer,
                SpeakerRole::Candidate => Role::Candidate,
                SpeakerRole::Other => return None,
            };
            Some(Turn {
                role,
                speaker: Some(speakers[turn.speaker].clone()),
                text: turn.text,
                at_ms: turn.at_ms,
            })
        })
        .collect();
    let person = |name: &str| (!is_diarization_label(name)).then(|| name.to_string());
    Ok(Transcript {
        id: recording.id.unwrap_or_else(|| stem.to_string()),
        candidate: recording
            .candidate
            .or_else(|| person(&attribution.candidate)),
        interviewer: recording
            .interviewer
            .or_else(|| person(&attribution.interviewer)),
        level: recording.level,
        turns,
        labels: None,
        speakers: Some(attribution),
    })
}

/// Consecutive pieces of one speaker become one turn; a piece without a speaker
/// continues the previous one. Returns the speakers in order of first appearance.
fn merge(pieces: Vec<Piece>) -> (Vec<String>, Vec<NamedTurn>) {
    let mut speakers: Vec<String> = Vec::new();
    let mut turns: Vec<NamedTurn> = Vec::new();
    let mut current: Option<usize> = None;
    for piece in pieces {
        let text = piece.text.trim();
        let speaker = match piece.speaker.as_deref().map(str::trim) {
            Some(name) if !name.is_empty() => Some(speaker_index(&mut speakers, name)),
            _ => current,
        };
        let speaker = speaker.unwrap_or_else(|| speaker_index(&mut speakers, UNKNOWN_SPEAKER));
        if text.is_empty() {
            current = Some(speaker);
            continue;
        }
        match turns.last_mut() {
            Some(last) if last.speaker == speaker => {
                last.text.push(' ');
                last.text.push_str(text);
                if last.at_ms.is_none() {
                    last.at_ms = piece.at_ms;
                }
            }
            _ => turns.push(NamedTurn {
                speaker,
                text: text.to_string(),
                at_ms: piece.at_ms,
            }),
        }
        current = Some(speaker);
    }
    // A speaker whose pieces were all empty says nothing: drop them.
    let spoken: Vec<bool> = (0..speakers.len())
        .map(|s| turns.iter().any(|t| t.speaker == s))
        .collect();
    let mut renumber = vec![0; speakers.len()];
    let mut kept = Vec::new();
    for (index, name) in speakers.into_iter().enumerate() {
        if spoken[index] {
            renumber[index] = kept.len();
            kept.push(name);
        }
    }
    for turn in &mut turns {
        turn.speaker = renumber[turn.speaker];
    }
    (kept, turns)
}

/// The index of `name` among `speakers`, adding it if new; names that differ only in
/// case or spacing are one speaker.
fn speaker_index(speakers: &mut Vec<String>, name: &str) -> usize {
    if let Some(index) = speakers.iter().position(|s| same_name(s, name)) {
        return index;
    }
    speakers.push(name.to_string());
    speakers.len() - 1
}

/// Whether two speaker names are the same person: compared case-insensitively with
/// runs of white space as one space.
pub fn same_name(a: &str, b: &str) -> bool {
    let words = |s: &str| {
        s.split_whitespace()
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
    };
    words(a) == words(b)
}

fn tally(index: usize, name: &str, turns: &[NamedTurn], rules: &InferenceRules) -> Tally {
    let mut tally = Tally {
        name: name.to_string(),
        turns: 0,
        words: 0,
        openers: 0,
        questions: 0,
        signal_turns: 0,
    };
    for turn in turns.iter().filter(|t| t.speaker == index) {
        tally.turns += 1;
        tally.words += turn.text.split_whitespace().count();
        let opens = opens_with_template(&turn.text, &rules.openers);
        let asks = turn.text.contains('?');
        tally.openers += usize::from(opens);
        tally.questions += usize::from(asks);
        tally.signal_turns += usize::from(opens || asks);
    }
    tally
}

/// Whether `text` starts with one of the lowercase `openers` as whole words.
fn opens_with_template(text: &str, openers: &[String]) -> bool {
    let start: String = text
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .chars()
        .take(64)
        .flat_map(char::to_lowercase)
        .collect();
    openers.iter().any(|opener| {
        start.starts_with(opener.as_str())
            && !start[opener.len()..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric)
    })
}

type Decision = (Vec<SpeakerRole>, Method, f64, String);

/// Gives every speaker a role, by the first source that names any.
fn decide(
    tallies: &[Tally],
    metadata: &[(String, SpeakerRole)],
    names: &SpeakerNames,
    rules: &InferenceRules,
) -> Result<Decision, ReadError> {
    let named = |source: &[(String, SpeakerRole)]| -> Vec<Option<SpeakerRole>> {
        tallies
            .iter()
            .map(|t| {
                source
                    .iter()
                    .find(|(name, _)| same_name(name, &t.name))
                    .map(|&(_, role)| role)
            })
            .collect()
    };
    let labels: Vec<Option<SpeakerRole>> = tallies
        .iter()
        .map(|t| match SpeakerRole::from_name(&t.name) {
            Some(SpeakerRole::Other) => None,
            role => role,
        })
        .collect();
    for (method, roles) in [
        (Method::Option, named(&names.assigned)),
        (Method::Metadata, named(metadata)),
        (Method::Labels, labels),
    ] {
        if roles.iter().any(Option::is_some) {
            return complete(tallies, roles, method, rules);
        }
    }
    complete(tallies, vec![None; tallies.len()], Method::Inferred, rules)
}

/// Fills the roles `given` leaves open: the missing one of interviewer and candidate
/// goes to the remaining speaker who says most; with both missing, they are inferred
/// between the two remaining speakers who say most. Everyone left is `other`.
fn complete(
    tallies: &[Tally],
    given: Vec<Option<SpeakerRole>>,
    method: Method,
    rules: &InferenceRules,
) -> Result<Decision, ReadError> {
    for role in [SpeakerRole::Interviewer, SpeakerRole::Candidate] {
        let holders: Vec<&str> = tallies
            .iter()
            .zip(&given)
            .filter(|(_, r)| **r == Some(role))
            .map(|(t, _)| t.name.as_str())
            .collect();
        if holders.len() > 1 {
            return Err(ReadError::new(format!(
                "speakers '{}' and '{}' are both named as the {}",
                holders[0],
                holders[1],
                role_word(role)
            )));
        }
    }
    let has_interviewer = given.contains(&Some(SpeakerRole::Interviewer));
    let has_candidate = given.contains(&Some(SpeakerRole::Candidate));
    // Open speakers, most words first; ties keep the order of first appearance.
    let mut open: Vec<usize> = (0..tallies.len()).filter(|&i| given[i].is_none()).collect();
    open.sort_by(|&a, &b| tallies[b].words.cmp(&tallies[a].words));
    let mut roles = given;
    let mut confidence = 1.0;
    let mut evidence = match method {
        Method::Option => "named on the command line".to_string(),
        Method::Metadata => "named in the file's metadata".to_string(),
        Method::Labels => "speakers are labelled by role".to_string(),
        Method::Inferred => String::new(),
    };
    match (has_interviewer, has_candidate) {
        (true, true) => {}
        (true, false) | (false, true) => {
            let missing = if has_interviewer {
                SpeakerRole::Candidate
            } else {
                SpeakerRole::Interviewer
            };
            let Some(&speaker) = open.first() else {
                return Err(ReadError::new(format!(
                    "no speaker is left to be the {}",
                    role_word(missing)
                )));
            };
            roles[speaker] = Some(missing);
            evidence.push_str(&format!(
                "; '{}' is the {} as the other speaker who says most",
                tallies[speaker].name,
                role_word(missing)
            ));
        }
        (false, false) => {
            let [first, second] =
                match open[..] {
                    [a, b, ..] => [a, b],
                    _ => return Err(ReadError::new(
                        "fewer than two speakers are left to be the interviewer and the candidate",
                    )),
                };
            let (first_interviews, inferred_confidence, why) =
                infer(&tallies[first], &tallies[second], rules)?;
            let (i, c) = if first_interviews {
                (first, second)
            } else {
                (second, first)
            };
            roles[i] = Some(SpeakerRole::Interviewer);
            roles[c] = Some(SpeakerRole::Candidate);
            if method == Method::Inferred {
                confidence = inferred_confidence;
                evidence = why;
            } else {
                evidence.push_str("; ");
                evidence.push_str(&why);
            }
        }
    }
    let roles = roles
        .into_iter()
        .map(|r| r.unwrap_or(SpeakerRole::Other))
        .collect();
    Ok((roles, method, confidence, evidence))
}

/// Whether `a` rather than `b` is the interviewer, with the confidence and the
/// evidence; an error when the text does not tell them apart clearly enough.
///
/// Confidence is how far the lower interviewer score falls below the higher, as a
/// share of the higher: 1 when only one of them asks and uses templates.
fn infer(a: &Tally, b: &Tally, rules: &InferenceRules) -> Result<(bool, f64, String), ReadError> {
    let (score_a, score_b) = (a.interviewer_score(), b.interviewer_score());
    let a_interviews = score_a >= score_b;
    let (high, low) = if a_interviews { (a, b) } else { (b, a) };
    let (top, bottom) = (score_a.max(score_b), score_a.min(score_b));
    let confidence = if top > 0.0 {
        ((top - bottom) / top * 100.0).round() / 100.0
    } else {
        0.0
    };
    let describe = |t: &Tally| {
        format!(
            "'{}' opened {} of {} turns with a response template and asked in {}",
            t.name, t.openers, t.turns, t.questions
        )
    };
    let evidence = format!("{}; {}", describe(high), describe(low));
    if confidence < rules.min_confidence || high.signal_turns < rules.min_signal_turns {
        return Err(ReadError::new(format!(
            "cannot tell the interviewer from the candidate ({evidence}; confidence {confidence:.2}, \
             needs {:.2} and {} template or question turns): name one with --interviewer NAME \
             or --speaker-map",
            rules.min_confidence, rules.min_signal_turns
        )));
    }
    Ok((a_interviews, confidence, evidence))
}

fn role_word(role: SpeakerRole) -> &'static str {
    match role {
        SpeakerRole::Interviewer => "interviewer",
        SpeakerRole::Candidate => "candidate",
        SpeakerRole::Other => "other",
    }
}

/// Whether `name` is a diarization label ("SPEAKER_00", "Speaker 1", "A", "0")
/// rather than a person's name, so it is not reported as one.
pub fn is_diarization_label(name: &str) -> bool {
    let lower = name.trim().to_ascii_lowercase();
    if lower == UNKNOWN_SPEAKER || lower.chars().count() <= 2 {
        return true;
    }
    let Some(rest) = ["speaker", "spk"]
        .iter()
        .find_map(|p| lower.strip_prefix(p))
    else {
        return false;
    };
    match rest.strip_prefix([' ', '_', '-']) {
        // "Speaker 1", "SPEAKER_00", "Speaker A"
        Some(id) => {
            !id.is_empty()
                && (id.len() <= 3 && id.bytes().all(|b| b.is_ascii_digit())
                    || id.len() == 1 && id.bytes().all(|b| b.is_ascii_alphabetic()))
        }
        // "Speaker1", not "Speakerman"
        None => !rest.is_empty() && rest.len() <= 3 && rest.bytes().all(|b| b.is_ascii_digit()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn piece(speaker: Option<&str>, text: &str, at: u64) -> Piece {
        Piece {
            speaker: speaker.map(str::to_string),
            text: text.to_string(),
            at_ms: Some(at),
        }
    }

    fn rules() -> InferenceRules {
        InferenceRules {
            openers: vec!["correct".into(), "incorrect".into(), "next question".into()],
            ..InferenceRules::default()
        }
    }

    fn interview() -> Recording {
        Recording {
            pieces: vec![
                piece(Some("Dana"), "Explain overfitting?", 0),
                piece(Some("Sam"), "It is when a model memorises noise.", 1_000),
                piece(None, "Regularisation helps.", 2_000),
                piece(Some("Dana"), "Correct. What is dropout?", 3_000),
                piece(Some("Sam"), "Randomly zeroing units in training.", 4_000),
                piece(Some("Dana"), "Incorrect. Next question. Why L1?", 5_000),
                piece(Some("Sam"), "Sparsity.", 6_000),
            ],
            ..Recording::default()
        }
    }

    #[test]
    fn merges_and_infers_the_interviewer() {
        let t = attribute(interview(), "stem", &SpeakerNames::default(), &rules()).unwrap();
        assert_eq!(t.turns.len(), 6);
        assert_eq!(
            t.turns[1].text,
            "It is when a model memorises noise. Regularisation helps."
        );
        assert_eq!(t.turns[1].at_ms, Some(1_000));
        assert_eq!(t.turns[0].role, Role::Interviewer);
        assert_eq!(t.turns[1].role, Role::Candidate);
        let a = t.speakers.unwrap();
        assert_eq!(a.method, Method::Inferred);
        assert_eq!(a.interviewer, "Dana");
        assert!(a.confidence > 0.9, "{a:?}");
        assert_eq!(t.interviewer.as_deref(), Some("Dana"));
    }

    #[test]
    fn names_on_the_command_line_win() {
        let names = SpeakerNames {
            assigned: vec![("sam".into(), SpeakerRole::Interviewer)],
        };
        let t = attribute(interview(), "stem", &names, &rules()).unwrap();
        let a = t.speakers.unwrap();
        assert_eq!((a.method, a.interviewer.as_str()), (Method::Option, "Sam"));
        assert_eq!(a.candidate, "Dana");
        assert_eq!(t.turns[0].role, Role::Candidate);
    }

    #[test]
    fn ambiguous_speakers_are_an_error() {
        let recording = Recording {
            pieces: vec![
                piece(Some("A"), "How are you?", 0),
                piece(Some("B"), "Fine, and you?", 1),
                piece(Some("A"), "Good. Seen the new paper?", 2),
                piece(Some("B"), "Yes. Did you?", 3),
            ],
            ..Recording::default()
        };
        let error = attribute(recording, "s", &SpeakerNames::default(), &rules()).unwrap_err();
        assert!(error.message.contains("cannot tell"), "{}", error.message);
    }

    #[test]
    fn extra_speakers_are_other_and_unscored() {
        let mut recording = interview();
        recording
            .pieces
            .insert(1, piece(Some("Lee"), "Hi, I am shadowing.", 500));
        let t = attribute(recording, "s", &SpeakerNames::default(), &rules()).unwrap();
        let a = t.speakers.unwrap();
        assert_eq!(a.others.len(), 1);
        assert_eq!(a.others[0].name, "Lee");
        assert!(t
            .turns
            .iter()
            .all(|turn| turn.speaker.as_deref() != Some("Lee")));
    }

    #[test]
    fn role_labels_and_metadata() {
        let recording = Recording {
            pieces: vec![
                piece(Some("Candidate"), "Hello.", 0),
                piece(Some("Interviewer"), "Hi.", 1),
            ],
            ..Recording::default()
        };
        let t = attribute(recording, "s", &SpeakerNames::default(), &rules()).unwrap();
        assert_eq!(t.speakers.unwrap().method, Method::Labels);
        assert_eq!(t.turns[0].role, Role::Candidate);

        let mut recording = interview();
        recording.roles = vec![("Sam".into(), SpeakerRole::Candidate)];
        let t = attribute(recording, "s", &SpeakerNames::default(), &rules()).unwrap();
        let a = t.speakers.unwrap();
        assert_eq!(
            (a.method, a.interviewer.as_str()),
            (Method::Metadata, "Dana")
        );
    }

    #[test]
    fn no_names_or_one_speaker_are_errors() {
        let recording = Recording {
            pieces: vec![piece(None, "Hello.", 0)],
            ..Recording::default()
        };
        assert!(
            attribute(recording, "s", &SpeakerNames::default(), &rules())
                .unwrap_err()
                .message
                .contains("no speaker names")
        );
        let recording = Recording {
            pieces: vec![piece(Some("A"), "Hello.", 0)],
            ..Recording::default()
        };
        assert!(
            attribute(recording, "s", &SpeakerNames::default(), &rules())
                .unwrap_err()
                .message
                .contains("only one speaker")
        );
    }

    #[test]
    fn parses_speaker_maps_and_labels() {
        assert_eq!(
            SpeakerNames::parse_map("A=interviewer, B = Candidate,C=other").unwrap(),
            vec![
                ("A".to_string(), SpeakerRole::Interviewer),
                ("B".to_string(), SpeakerRole::Candidate),
                ("C".to_string(), SpeakerRole::Other)
            ]
        );
        assert!(SpeakerNames::parse_map("A=boss").is_err());
        assert!(SpeakerNames::parse_map("A").is_err());
        assert!(is_diarization_label("SPEAKER_00"));
        assert!(is_diarization_label("Speaker 2"));
        assert!(is_diarization_label("B"));
        assert!(!is_diarization_label("Dana Reyes"));
        assert!(!is_diarization_label("Speakerman"));
    }
}
