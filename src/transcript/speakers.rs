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

use std::collections::HashMap;

use schemars::JsonSchema;
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
    /// Roles the file's metadata gives to speaker names, beside `interviewer` and
    /// `candidate` (which [`attribute`] also reads as roles).
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
    /// Lowercase phrases that open an interviewer's turn (the response templates'
    /// first literals, with their punctuation).
    pub openers: Vec<String>,
    /// Lowercase words that open an imperative question ("explain", "walk me through").
    pub prompts: Vec<String>,
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
            prompts: Vec::new(),
            min_confidence: 0.6,
            min_signal_turns: 2,
        }
    }
}

/// Where a transcript's roles came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct OtherSpeaker {
    /// The speaker's name or label.
    pub name: String,
    /// Their turns, left out of grading.
    pub turns: usize,
    /// Their words.
    pub words: usize,
}

/// How the roles of a named-speaker transcript were decided.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Attribution {
    /// Where the decision came from.
    pub method: Method,
    /// The interviewer's name or label.
    pub interviewer: String,
    /// The candidate's name or label.
    pub candidate: String,
    /// 1 for named roles; for an inference, how clearly the text tells them apart (0-1).
    #[schemars(range(min = 0, max = 1))]
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
    /// Turns that ask something: a question mark, or a sentence opening with a
    /// prompt ("Explain ...", "Walk me through ...").
    asks: usize,
    /// Turns with either.
    signal_turns: usize,
}

impl Tally {
    /// How much this speaker behaves like the interviewer: template openings count
    /// double, asking turns once.
    fn interviewer_score(&self) -> usize {
        2 * self.openers + self.asks
    }
}

/// The name given to speech before the first named speaker; it never gets a role.
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
    let tallies = tally(&speakers, &turns, rules);
    let named: Vec<&str> = speakers
        .iter()
        .map(String::as_str)
        .filter(|&s| s != UNKNOWN_SPEAKER)
        .collect();
    match named.as_slice() {
        [] => return Err(ReadError::new("the transcript has no speech")),
        [only] => {
            return Err(ReadError::new(format!(
                "only one speaker, '{only}': an interview needs an interviewer and a candidate"
            )))
        }
        _ => {}
    }
    let mut metadata = recording.roles.clone();
    metadata.extend(
        recording
            .interviewer
            .iter()
            .map(|n| (n.clone(), SpeakerRole::Interviewer)),
    );
    metadata.extend(
        recording
            .candidate
            .iter()
            .map(|n| (n.clone(), SpeakerRole::Candidate)),
    );
    let decision = decide(&tallies, &turns, &metadata, names, rules)?;
    let holder = |wanted: SpeakerRole| {
        decision
            .roles
            .iter()
            .position(|&r| r == wanted)
            .map(|i| speakers[i].clone())
            .unwrap_or_default()
    };
    let attribution = Attribution {
        method: decision.method,
        interviewer: holder(SpeakerRole::Interviewer),
        candidate: holder(SpeakerRole::Candidate),
        confidence: decision.confidence,
        evidence: decision.evidence,
        others: tallies
            .iter()
            .zip(&decision.roles)
            .filter(|(_, &role)| role == SpeakerRole::Other)
            .map(|(t, _)| OtherSpeaker {
                name: t.name.clone(),
                turns: t.turns,
                words: t.words,
            })
            .collect(),
    };
    // Other speakers' turns go; what they interrupted joins up again.
    let mut graded: Vec<Turn> = Vec::with_capacity(turns.len());
    let mut last_speaker = None;
    for turn in turns {
        let role = match decision.roles[turn.speaker] {
            SpeakerRole::Interviewer => Role::Interviewer,
            SpeakerRole::Candidate => Role::Candidate,
            SpeakerRole::Other => continue,
        };
        match graded.last_mut() {
            Some(last) if last_speaker == Some(turn.speaker) => {
                last.text.push(' ');
                last.text.push_str(&turn.text);
                last.at_ms = last.at_ms.or(turn.at_ms);
            }
            _ => graded.push(Turn {
                role,
                speaker: Some(speakers[turn.speaker].clone()),
                text: turn.text,
                at_ms: turn.at_ms,
            }),
        }
        last_speaker = Some(turn.speaker);
    }
    // Labels ("SPEAKER_00", "A") and role names ("Interviewer") are not people.
    let person = |name: &str| {
        (!is_diarization_label(name) && SpeakerRole::from_name(name).is_none())
            .then(|| name.to_string())
    };
    Ok(Transcript {
        id: recording.id.unwrap_or_else(|| stem.to_string()),
        candidate: recording
            .candidate
            .or_else(|| person(&attribution.candidate)),
        interviewer: recording
            .interviewer
            .or_else(|| person(&attribution.interviewer)),
        level: recording.level,
        turns: graded,
        labels: None,
        speakers: Some(attribution),
    })
}

/// Consecutive pieces of one speaker become one turn; a piece without a speaker
/// continues the previous one (speech before any name is the unknown speaker's).
/// Returns the speakers in order of first appearance, names with white space
/// collapsed; names that differ only in case or spacing are one speaker.
fn merge(pieces: Vec<Piece>) -> (Vec<String>, Vec<NamedTurn>) {
    let mut speakers: Vec<String> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut speaker_of = |name: &str, speakers: &mut Vec<String>| {
        *index.entry(name_key(name)).or_insert_with(|| {
            speakers.push(name.split_whitespace().collect::<Vec<_>>().join(" "));
            speakers.len() - 1
        })
    };
    let mut turns: Vec<NamedTurn> = Vec::new();
    let mut current: Option<usize> = None;
    for piece in pieces {
        let speaker = match piece.speaker.as_deref().filter(|n| !n.trim().is_empty()) {
            Some(name) => speaker_of(name, &mut speakers),
            None => match current {
                Some(speaker) => speaker,
                None => speaker_of(UNKNOWN_SPEAKER, &mut speakers),
            },
        };
        current = Some(speaker);
        let text = piece.text.trim();
        if text.is_empty() {
            continue;
        }
        match turns.last_mut() {
            Some(last) if last.speaker == speaker => {
                last.text.push(' ');
                last.text.push_str(text);
                last.at_ms = last.at_ms.or(piece.at_ms);
            }
            _ => turns.push(NamedTurn {
                speaker,
                text: text.to_string(),
                at_ms: piece.at_ms,
            }),
        }
    }
    // A speaker whose pieces were all empty said nothing: drop them.
    let mut spoken = vec![false; speakers.len()];
    for turn in &turns {
        spoken[turn.speaker] = true;
    }
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

/// A speaker name as compared: lower case, runs of white space as one space.
pub fn name_key(name: &str) -> String {
    name.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether two speaker names are the same person ([`name_key`]).
pub fn same_name(a: &str, b: &str) -> bool {
    name_key(a) == name_key(b)
}

/// Every speaker's tally, in one pass over the turns.
fn tally(speakers: &[String], turns: &[NamedTurn], rules: &InferenceRules) -> Vec<Tally> {
    let mut tallies: Vec<Tally> = speakers
        .iter()
        .map(|name| Tally {
            name: name.clone(),
            turns: 0,
            words: 0,
            openers: 0,
            asks: 0,
            signal_turns: 0,
        })
        .collect();
    for turn in turns {
        let tally = &mut tallies[turn.speaker];
        tally.turns += 1;
        tally.words += turn.text.split_whitespace().count();
        let opens = opens_with(&turn.text, &rules.openers);
        let asks = turn.text.contains('?') || prompts(&turn.text, &rules.prompts);
        tally.openers += usize::from(opens);
        tally.asks += usize::from(asks);
        tally.signal_turns += usize::from(opens || asks);
    }
    tallies
}

/// The lowercase start of `text`, without leading punctuation, for phrase tests.
fn lowercase_start(text: &str) -> String {
    text.trim_start_matches(|c: char| !c.is_alphanumeric())
        .chars()
        .take(64)
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether `start` (lowercase) opens with `phrase`, ending at a word boundary
/// unless the phrase ends in punctuation ("correct." does not open "correct me").
fn starts_with_phrase(start: &str, phrase: &str) -> bool {
    start.starts_with(phrase)
        && (phrase.ends_with(|c: char| !c.is_alphanumeric())
            || !start[phrase.len()..]
                .chars()
                .next()
                .is_some_and(char::is_alphanumeric))
}

/// Whether `text` opens with one of the lowercase `openers` (template literals).
fn opens_with(text: &str, openers: &[String]) -> bool {
    let start = lowercase_start(text);
    openers
        .iter()
        .any(|opener| starts_with_phrase(&start, opener))
}

/// Whether a sentence of `text` opens with one of the lowercase `prompts`
/// ("explain", "walk me through"): an imperative question.
fn prompts(text: &str, prompts: &[String]) -> bool {
    !prompts.is_empty()
        && crate::text::sentences(text).into_iter().any(|range| {
            let start = lowercase_start(&text[range]);
            prompts
                .iter()
                .any(|prompt| starts_with_phrase(&start, prompt))
        })
}

/// Every speaker's role, how it was decided and how surely.
struct Decision {
    roles: Vec<SpeakerRole>,
    method: Method,
    confidence: f64,
    evidence: String,
}

/// Gives every speaker a role. The user's names come first, then the file's
/// metadata, then speakers named after a role; the first of these to name the
/// interviewer or the candidate is the method. Whatever is still open is inferred:
/// the interviewer is the speaker who most opens with templates and asks, the
/// candidate the one who most often answers the interviewer.
fn decide(
    tallies: &[Tally],
    turns: &[NamedTurn],
    metadata: &[(String, SpeakerRole)],
    names: &SpeakerNames,
    rules: &InferenceRules,
) -> Result<Decision, ReadError> {
    let mut roles: Vec<Option<SpeakerRole>> = tallies
        .iter()
        .map(|t| (t.name == UNKNOWN_SPEAKER).then_some(SpeakerRole::Other))
        .collect();
    let mut method = None;
    let mut notes = Vec::new();
    let labels: Vec<(String, SpeakerRole)> = tallies
        .iter()
        .filter_map(|t| match SpeakerRole::from_name(&t.name) {
            Some(role @ (SpeakerRole::Interviewer | SpeakerRole::Candidate)) => {
                Some((t.name.clone(), role))
            }
            _ => None,
        })
        .collect();
    for (source, given) in [
        (Method::Option, names.assigned.as_slice()),
        (Method::Metadata, metadata),
        (Method::Labels, labels.as_slice()),
    ] {
        let mut named_main = false;
        for (index, tally) in tallies.iter().enumerate() {
            if roles[index].is_some() {
                continue;
            }
            if let Some(&(_, role)) = given.iter().find(|(name, _)| same_name(name, &tally.name)) {
                roles[index] = Some(role);
                named_main |= role != SpeakerRole::Other;
            }
        }
        if named_main && method.is_none() {
            method = Some(source);
        }
        // A name given for the interviewer or the candidate that nobody here answers
        // to is a mistake to report, not a reason to guess.
        let main_names: Vec<&str> = given
            .iter()
            .filter(|(_, role)| *role != SpeakerRole::Other)
            .map(|(name, _)| name.as_str())
            .collect();
        if source == Method::Option && !main_names.is_empty() && !named_main {
            let found: Vec<String> = tallies
                .iter()
                .filter(|t| t.name != UNKNOWN_SPEAKER)
                .map(|t| format!("'{}'", t.name))
                .collect();
            let given: Vec<String> = main_names.iter().map(|n| format!("'{n}'")).collect();
            return Err(ReadError::new(format!(
                "no speaker here is named {} (given with --interviewer, --candidate or \
                 --speaker-map); the speakers are {}",
                given.join(" or "),
                found.join(", ")
            )));
        }
    }
    for role in [SpeakerRole::Interviewer, SpeakerRole::Candidate] {
        let holders: Vec<&str> = tallies
            .iter()
            .zip(&roles)
            .filter(|(_, r)| **r == Some(role))
            .map(|(t, _)| t.name.as_str())
            .collect();
        if let [first, second, ..] = holders[..] {
            return Err(ReadError::new(format!(
                "speakers '{first}' and '{second}' are both named as the {}",
                role_word(role)
            )));
        }
    }
    let open = |roles: &[Option<SpeakerRole>]| -> Vec<usize> {
        (0..tallies.len()).filter(|&i| roles[i].is_none()).collect()
    };
    let mut confidence = 1.0;
    let mut inferred = false;
    if !roles.contains(&Some(SpeakerRole::Interviewer)) {
        let open = open(&roles);
        if let ([only], true) = (open.as_slice(), method.is_some()) {
            // The candidate is named and one speaker is left: no inference needed.
            roles[*only] = Some(SpeakerRole::Interviewer);
            notes.push(format!(
                "'{}' is the only other speaker",
                tallies[*only].name
            ));
        } else {
            let (interviewer, sure, why) = infer_interviewer(tallies, &open, rules)?;
            roles[interviewer] = Some(SpeakerRole::Interviewer);
            confidence = sure;
            inferred = true;
            notes.push(why);
        }
    }
    let interviewer = roles
        .iter()
        .position(|&r| r == Some(SpeakerRole::Interviewer))
        .unwrap_or_default();
    if !roles.contains(&Some(SpeakerRole::Candidate)) {
        let open = open(&roles);
        let answers = answers_to(interviewer, turns, tallies.len());
        let Some(&candidate) = open
            .iter()
            .max_by_key(|&&i| (answers[i], tallies[i].words, std::cmp::Reverse(i)))
        else {
            return Err(ReadError::new(format!(
                "no speaker is left to be the candidate after '{}'",
                tallies[interviewer].name
            )));
        };
        roles[candidate] = Some(SpeakerRole::Candidate);
        notes.push(format!(
            "'{}' answers the interviewer in {} of {} turns",
            tallies[candidate].name, answers[candidate], tallies[candidate].turns
        ));
    }
    if let Some(named) = method {
        let how = match named {
            Method::Option => "named on the command line",
            Method::Metadata => "named in the file's metadata",
            _ => "speakers are labelled by role",
        };
        notes.insert(0, how.to_string());
    }
    // An inferred interviewer makes the whole decision an inference.
    let method = match method {
        Some(named) if !inferred => named,
        _ => Method::Inferred,
    };
    Ok(Decision {
        roles: roles
            .into_iter()
            .map(|r| r.unwrap_or(SpeakerRole::Other))
            .collect(),
        method,
        confidence,
        evidence: notes.join("; "),
    })
}

/// Per speaker, how many of their turns come right after one of `interviewer`'s.
fn answers_to(interviewer: usize, turns: &[NamedTurn], speakers: usize) -> Vec<usize> {
    let mut answers = vec![0; speakers];
    for pair in turns.windows(2) {
        if pair[0].speaker == interviewer && pair[1].speaker != interviewer {
            answers[pair[1].speaker] += 1;
        }
    }
    answers
}

/// The open speaker with the highest interviewer score, the confidence and the
/// evidence; an error when the text does not single one out clearly enough.
///
/// Confidence is how far the runner-up's score falls below the winner's, as a share
/// of it: 1 when nobody else opens with a template or asks anything.
fn infer_interviewer(
    tallies: &[Tally],
    open: &[usize],
    rules: &InferenceRules,
) -> Result<(usize, f64, String), ReadError> {
    let mut ranked: Vec<usize> = open.to_vec();
    ranked.sort_by_key(|&i| {
        (
            std::cmp::Reverse(tallies[i].interviewer_score()),
            std::cmp::Reverse(tallies[i].words),
            i,
        )
    });
    let describe = |t: &Tally| {
        format!(
            "'{}' opened {} of {} turns with a response template and asked in {}",
            t.name, t.openers, t.turns, t.asks
        )
    };
    let Some(&winner) = ranked.first() else {
        return Err(ReadError::new("no speaker is left to be the interviewer"));
    };
    let top = tallies[winner].interviewer_score();
    let runner_up = ranked.get(1).map_or(0, |&i| tallies[i].interviewer_score());
    let confidence = if top > 0 {
        ((1.0 - runner_up as f64 / top as f64) * 100.0).round() / 100.0
    } else {
        0.0
    };
    let mut evidence = describe(&tallies[winner]);
    if let Some(&second) = ranked.get(1) {
        evidence.push_str("; ");
        evidence.push_str(&describe(&tallies[second]));
    }
    if confidence < rules.min_confidence || tallies[winner].signal_turns < rules.min_signal_turns {
        return Err(ReadError::new(format!(
            "cannot tell the interviewer from the candidate ({evidence}; confidence {confidence:.2}, \
             needs {:.2} and {} template or question turns): name one with --interviewer NAME \
             or --speaker-map",
            rules.min_confidence, rules.min_signal_turns
        )));
    }
    Ok((winner, confidence, evidence))
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
    let name = name.trim();
    name == UNKNOWN_SPEAKER || name.chars().count() <= 2 || is_speaker_label(name)
}

/// Whether `name` is a numbered speaker label as diarization writes it: "SPEAKER_00",
/// "Speaker 1", "Speaker A", "spk_0".
pub fn is_speaker_label(name: &str) -> bool {
    let lower = name.trim().to_ascii_lowercase();
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
            openers: vec![
                "correct.".into(),
                "incorrect.".into(),
                "next question.".into(),
            ],
            prompts: vec!["explain".into(), "walk me through".into()],
            ..InferenceRules::default()
        }
    }

    fn roles_of(pieces: Vec<Piece>) -> (String, String, Vec<String>) {
        let recording = Recording {
            pieces,
            ..Recording::default()
        };
        let t = attribute(recording, "s", &SpeakerNames::default(), &rules()).unwrap();
        let a = t.speakers.unwrap();
        let others = a.others.into_iter().map(|o| o.name).collect();
        (a.interviewer, a.candidate, others)
    }

    #[test]
    fn an_interviewer_who_prompts_beats_a_candidate_who_asks_back() {
        let (interviewer, candidate, _) = roles_of(vec![
            piece(Some("Dana"), "Explain overfitting.", 0),
            piece(
                Some("Sam"),
                "Do you mean in trees? It is memorising noise.",
                1,
            ),
            piece(Some("Dana"), "Correct. Walk me through L1 and L2.", 2),
            piece(Some("Sam"), "Should I cover both? L1 gives sparsity.", 3),
            piece(
                Some("Dana"),
                "Incorrect. Next question. Explain dropout.",
                4,
            ),
            piece(Some("Sam"), "It zeroes units at random.", 5),
        ]);
        assert_eq!((interviewer.as_str(), candidate.as_str()), ("Dana", "Sam"));
    }

    #[test]
    fn correct_me_if_i_am_wrong_is_not_a_template() {
        let (interviewer, _, _) = roles_of(vec![
            piece(Some("Dana"), "What is bias?", 0),
            piece(
                Some("Sam"),
                "Correct me if I'm wrong, error from assumptions.",
                1,
            ),
            piece(Some("Dana"), "Correct. What is variance?", 2),
            piece(
                Some("Sam"),
                "Correct me again: sensitivity to the sample.",
                3,
            ),
            piece(Some("Dana"), "Correct. Why does it matter?", 4),
            piece(Some("Sam"), "Correct, it drives overfitting.", 5),
        ]);
        assert_eq!(interviewer, "Dana");
    }

    #[test]
    fn unnamed_opening_speech_never_takes_a_role() {
        let (interviewer, candidate, others) = roles_of(vec![
            piece(
                None,
                "Recording in progress, this call is being transcribed for quality purposes today.",
                0,
            ),
            piece(Some("SPEAKER_00"), "What is overfitting?", 1),
            piece(Some("SPEAKER_01"), "Memorising.", 2),
            piece(Some("SPEAKER_00"), "Correct. Why?", 3),
            piece(Some("SPEAKER_01"), "Noise.", 4),
        ]);
        assert_eq!(
            (interviewer.as_str(), candidate.as_str()),
            ("SPEAKER_00", "SPEAKER_01")
        );
        assert_eq!(others, [UNKNOWN_SPEAKER]);
    }

    #[test]
    fn the_candidate_is_who_answers_not_who_talks_most() {
        let long = "Welcome everyone, I lead the team and wanted to say a few words about our \
                    mission, our roadmap for the next two years, the culture we are building and \
                    why this role matters so much to the organisation as a whole.";
        let (interviewer, candidate, others) = roles_of(vec![
            piece(Some("Morgan"), long, 0),
            piece(Some("Dana"), "Explain overfitting.", 1),
            piece(Some("Sam"), "Memorising noise.", 2),
            piece(Some("Dana"), "Correct. Explain dropout.", 3),
            piece(Some("Sam"), "Zeroing units.", 4),
            piece(Some("Morgan"), long, 5),
            piece(Some("Dana"), "Correct. Why L1?", 6),
            piece(Some("Sam"), "Sparsity.", 7),
        ]);
        assert_eq!((interviewer.as_str(), candidate.as_str()), ("Dana", "Sam"));
        assert_eq!(others, ["Morgan"]);
    }

    #[test]
    fn an_other_speaker_does_not_split_an_answer() {
        let mut recording = interview();
        recording
            .pieces
            .insert(2, piece(Some("Lee"), "Sorry, I have to drop off.", 1_500));
        recording.pieces[3].speaker = Some("Sam".into());
        let t = attribute(recording, "s", &SpeakerNames::default(), &rules()).unwrap();
        assert_eq!(t.turns.len(), 6);
        assert_eq!(
            t.turns[1].text,
            "It is when a model memorises noise. Regularisation helps."
        );
    }

    #[test]
    fn a_map_naming_only_others_leaves_the_roles_to_inference() {
        let mut recording = interview();
        recording
            .pieces
            .insert(1, piece(Some("Lee"), "Hi, I am shadowing.", 500));
        let names = SpeakerNames {
            assigned: vec![("Lee".into(), SpeakerRole::Other)],
        };
        let t = attribute(recording, "s", &names, &rules()).unwrap();
        let a = t.speakers.unwrap();
        assert_eq!(a.method, Method::Inferred);
        assert!(a.confidence < 1.0 || a.evidence.contains("asked"), "{a:?}");
        assert_eq!(a.interviewer, "Dana");
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
        assert_eq!(t.interviewer, None, "a role label is not a name");
        assert_eq!(t.speakers.unwrap().method, Method::Labels);
        assert_eq!(t.turns[0].role, Role::Candidate);

        let mut recording = interview();
        recording.interviewer = Some("sam".into());
        let t = attribute(recording, "s", &SpeakerNames::default(), &rules()).unwrap();
        let a = t.speakers.unwrap();
        assert_eq!(
            (a.method, a.interviewer.as_str()),
            (Method::Metadata, "Sam")
        );

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
