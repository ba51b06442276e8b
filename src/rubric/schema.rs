//! The rubric's YAML schema: every rule that drives a score.
//!
//! Unknown keys are refused everywhere (`deny_unknown_fields`), so a typo in a
//! team's rubric is an error with a line and column rather than a silently
//! ignored rule. The commented default is the repository's `rubric.yaml`.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::vocabulary::{Dimension, Recommendation, Verdict};

/// A whole rubric.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rubric {
    /// The rubric's name, recorded in every output.
    pub name: String,
    /// The rubric's version, recorded in every output.
    pub version: String,
    /// What the rubric is for.
    #[serde(default)]
    pub description: Option<String>,
    /// The six scored dimensions.
    pub dimensions: Vec<DimensionSpec>,
    /// Concepts a strong answer shows, each feeding dimensions.
    pub concepts: Vec<Concept>,
    /// How a mention becomes credit: explanation markers, echo and stuffing rules.
    pub credit: Credit,
    /// Red flags and warning signs.
    pub red_flags: Vec<RedFlag>,
    /// NegEx-style trigger lists that decide whether a red-flag phrase is negated.
    pub negation: Negation,
    /// How production experience is told from hypothetical production talk.
    pub production_experience: ProductionExperience,
    /// How the Communication dimension is scored from the shape of the answers.
    pub communication: Communication,
    /// The interviewer's templates and breach rules.
    pub compliance: Compliance,
    /// How scores become a recommendation.
    pub recommendation: RecommendationRule,
    /// The guide's question bank.
    pub questions: QuestionBank,
    /// The four phases and their minutes.
    pub phases: Vec<Phase>,
    /// How an exchange's quality is computed.
    pub exchanges: ExchangeRule,
    /// How dimension scores combine exchanges and concept coverage.
    pub dimension_scoring: DimensionScoring,
    /// When an interview holds too little to decide on.
    #[serde(default)]
    pub assessment: AssessmentRule,
    /// Red flags the interview shows without a phrase stating them.
    pub derived_red_flags: DerivedRedFlags,
    /// The guide's ALWAYS list, checked per interview.
    pub coverage: Coverage,
    /// Timing checks where timestamps exist.
    pub timing: Timing,
    /// Textbook claims, to tell a right answer from a fluent wrong one.
    #[serde(default)]
    pub facts: Facts,
    /// A red flag stated as dismissing what guards against it ("I don't see the point
    /// of a validation set", "fairness is a non-issue"): frames of dismissal, met with
    /// each flag's `neglects`.
    #[serde(default)]
    pub dismissals: Dismissals,
    /// How the interviewer is told from the candidate when a file only names speakers.
    pub speakers: SpeakerInference,
}

/// How roles are inferred for transcripts that name speakers but not roles.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpeakerInference {
    /// Words that open an imperative question ("Explain ...", "Walk me through ...").
    pub prompts: Vec<String>,
    /// Below this confidence (0-1) an inference is refused as ambiguous.
    pub min_confidence: f64,
    /// The interviewer must open with a template or ask in at least this many turns.
    pub min_signal_turns: usize,
}

/// When an interview holds too little to decide on (`assessment: "insufficient"`);
/// all zero (every interview assessed) when the rubric has no `assessment` section.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssessmentRule {
    /// Fewer candidate words than this is insufficient.
    pub min_candidate_words: usize,
    /// Fewer answered questions from the guide's areas than this is insufficient.
    pub min_answered: usize,
    /// An answer counts when it has at least this many words.
    pub min_answer_words: usize,
}

/// How dimension scores combine exchanges and concept coverage.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DimensionScoring {
    /// Weight of the exchanges' mean score against concept coverage.
    pub exchange_weight: f64,
    /// The exchange score that maps to 1.
    pub score_for_1: f64,
    /// The exchange score that maps to 5.
    pub score_for_5: f64,
}

/// Red flags derived from the interview's shape.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DerivedRedFlags {
    /// A math prompt answered badly.
    pub failed_math_prompt: FailedMathPrompt,
    /// A full interview without production thinking.
    pub no_production_content: NoProductionContent,
    /// A bank question answered without one of its expected points.
    #[serde(default)]
    pub missed_points: Vec<MissedPoint>,
    /// An answer to a kind of question that holds a telling term.
    #[serde(default)]
    pub answers: Vec<AnswerRule>,
    /// The interviewer's correction names the error.
    #[serde(default)]
    pub corrections: Corrections,
}

/// Red flags named by the interviewer's correction: a reply with one of `verdicts`
/// (the INCORRECT and MOVING ON templates) whose error explanation (before
/// "Correct approach:") holds one of a flag's `cues`, to an answer that holds one of
/// its `answer_terms` (when it lists any), raises the flag as derived evidence.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Corrections {
    /// Template ids whose explanation is read.
    #[serde(default)]
    pub verdicts: Vec<String>,
    /// Where the error explanation ends.
    #[serde(default)]
    pub explanation_ends: Vec<String>,
    /// One rule per red flag.
    #[serde(default)]
    pub flags: Vec<CorrectionRule>,
}

/// One red flag a correction can name.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorrectionRule {
    /// The red flag raised.
    pub red_flag: String,
    /// Phrases in the interviewer's error explanation.
    pub cues: Vec<String>,
    /// Terms one of which the answer must hold (none: any answer); gapped terms and
    /// stems as in the answer rules (`'split*'`).
    #[serde(default)]
    pub answer_terms: Vec<String>,
}

/// "An answer to a question holding one of `question_cues` that says one of
/// `answer_terms` (not negated), and none of `unless_terms`, raises `red_flag`."
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerRule {
    /// The red flag raised.
    pub red_flag: String,
    /// Phrases in the interviewer's question.
    pub question_cues: Vec<String>,
    /// Phrases in the candidate's answer.
    pub answer_terms: Vec<String>,
    /// Phrases in the answer that clear it.
    #[serde(default)]
    pub unless_terms: Vec<String>,
}

/// "Answering `question` without `point` raises `red_flag`."
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MissedPoint {
    /// The bank question id.
    pub question: String,
    /// The expected point, by its text.
    pub point: String,
    /// The red flag raised.
    pub red_flag: String,
}

/// A math prompt answered with an exchange score below `score_below`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FailedMathPrompt {
    /// The red flag raised.
    pub red_flag: String,
    /// Exchange score (0-100) below which the prompt failed.
    pub score_below: f64,
    /// Patterns of a question asking how an algorithm works ("how does XGBoost
    /// build its trees?"): such a prompt fails like a math prompt, or when the
    /// interviewer's verdict on the answer is one of `mechanism_verdicts`.
    #[serde(default)]
    pub mechanism_cues: Vec<String>,
    /// Interviewer verdicts (template ids) that fail a mechanism prompt.
    #[serde(default)]
    pub mechanism_verdicts: Vec<String>,
    /// Interviewer verdicts (template ids) on an answer that explained: such a
    /// prompt never fails, and an admission of not knowing the math in the answer
    /// ("I don't remember the exact formula") is a hedge, reported as negated.
    #[serde(default)]
    pub explained_verdicts: Vec<String>,
    /// Answer quality (0-100) at or above which a prompt did not fail.
    #[serde(default = "no_quality_explains")]
    pub explained_quality: f64,
}

/// Without `explained_quality`, no quality is enough.
fn no_quality_explains() -> f64 {
    f64::INFINITY
}

/// At least `min_answers` answers and at most `max_points` concept points for `dimension`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoProductionContent {
    /// The red flag raised.
    pub red_flag: String,
    /// The dimension whose concepts count as production thinking.
    pub dimension: Dimension,
    /// Candidate answers that make a full interview.
    pub min_answers: usize,
    /// Concept points at or below which there was no production thinking.
    pub max_points: f64,
}

/// What the interviewer must always do.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Coverage {
    /// Topics the interviewer must probe.
    pub gaps: Vec<CoverageGap>,
    /// Red flags the interviewer must challenge.
    pub unchallenged_red_flags: Vec<UnchallengedFlag>,
    /// Templates that count as challenging a claim.
    pub challenging_templates: Vec<String>,
}

/// A topic the interviewer must probe.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoverageGap {
    /// Gap id in the output.
    pub id: String,
    /// What was missed.
    pub message: String,
    /// Phrases in an interviewer turn that probe the topic.
    pub cues: Vec<String>,
}

/// A red flag the interviewer must not let pass.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnchallengedFlag {
    /// Gap id in the output.
    pub id: String,
    /// The red flag.
    pub red_flag: String,
    /// What was missed.
    pub message: String,
}

/// Timing checks.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Timing {
    /// The interview's length.
    pub max_minutes: u64,
    /// Minutes past its phase's end after which a bank question is over budget.
    pub phase_overrun_minutes: u64,
    /// An incorrect exchange longer than this needs "Moving on.".
    pub moving_on_after_minutes: u64,
    /// An exchange longer than this needs the first notice.
    pub first_notice_minutes: u64,
    /// The first notice.
    pub first_notice: String,
    /// An exchange longer than this needs the second notice.
    pub second_notice_minutes: u64,
    /// The second notice.
    pub second_notice: String,
    /// The moving-on phrase.
    pub moving_on: String,
}

/// The question bank and how a question is recognised.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionBank {
    /// Cue hits an interviewer turn needs to ask a bank question.
    pub min_cues: usize,
    /// The questions.
    pub bank: Vec<Question>,
}

/// One bank question.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Stable id (`q2_regularization`).
    pub id: String,
    /// What the question is about, for strengths and gaps.
    pub title: String,
    /// The guide's number, 1-12.
    pub number: u8,
    /// fundamental, standard or advanced.
    pub tier: String,
    /// The phase the guide places it in.
    pub phase: u8,
    /// The dimensions its answer is evidence for.
    pub dimensions: Vec<Dimension>,
    /// Phrases that identify the question in an interviewer's turn.
    pub cues: Vec<String>,
    /// The guide's expected points.
    pub expected: Vec<ExpectedPoint>,
}

/// One expected point of a bank question.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedPoint {
    /// The point, as reported in `covered` and `missing`.
    pub point: String,
    /// Terms that show it.
    pub terms: Vec<String>,
}

/// One interview phase.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phase {
    /// 1-4.
    pub number: u8,
    /// Name.
    pub name: String,
    /// Minute the phase starts.
    pub start_minute: u64,
    /// Minute the phase ends.
    pub end_minute: u64,
}

/// Exchange quality parameters.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExchangeRule {
    /// Quality above this is the "high" band.
    pub high: f64,
    /// Quality from this up to `high` is "incomplete"; below, "incorrect".
    pub incomplete: f64,
    /// Points for coverage.
    pub coverage_weight: f64,
    /// Points for reasoning.
    pub reasoning_weight: f64,
    /// Points for specificity (numbers, named techniques).
    pub specificity_weight: f64,
    /// Points for substance.
    pub substance_weight: f64,
    /// Words for full substance.
    pub substance_words: usize,
    /// Concept points for full coverage on a non-bank or math question, at most.
    pub concept_points_target: f64,
    /// Concept points for full coverage per part of the question.
    pub concept_points_per_part: f64,
    /// Points for relevance to the question.
    pub relevance_weight: f64,
    /// New content words an answer needs for full relevance.
    pub relevance_new_words: usize,
    /// Points taken per red flag in the answer.
    pub red_flag_penalty: f64,
    /// Points taken for an evasive answer.
    pub evasive_penalty: f64,
    /// Phrases that make an interviewer turn a math prompt.
    pub math_cues: Vec<String>,
    /// Weight of the interviewer's verdict in an exchange's score.
    pub interviewer_verdict_weight: f64,
    /// The value of each verdict template, by template id.
    pub verdict_values: BTreeMap<String, f64>,
    /// A bank question counts as fully covered at this share of its points.
    pub full_coverage_share: f64,
    /// A sentence that explains nothing and names more points than this is a list.
    pub list_points_above: usize,
    /// Share a point earns when it only appears in such a list.
    pub listed_point_share: f64,
}

/// One scored dimension.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DimensionSpec {
    /// Key in the output's `scores` (`ml_fundamentals`, ...).
    pub id: Dimension,
    /// Human name ("ML Fundamentals").
    pub name: String,
    /// Concept points at which the dimension reaches 5.
    #[serde(default = "default_full_credit")]
    pub full_credit: f64,
}

fn default_full_credit() -> f64 {
    5.0
}

/// A concept: its surface forms and what it is evidence of.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Concept {
    /// Stable id, used in output and in references.
    pub id: String,
    /// Name used in strengths and gaps.
    pub name: String,
    /// Phrases and synonyms (matched normalised, whole words, plural-tolerant).
    #[serde(default)]
    pub terms: Vec<String>,
    /// Regular expressions over normalised text, for forms a phrase list cannot hold.
    #[serde(default)]
    pub patterns: Vec<String>,
    /// Dimensions this concept is evidence for.
    pub dimensions: Vec<Dimension>,
    /// Points one credited mention is worth.
    #[serde(default = "default_weight")]
    pub weight: f64,
    /// One of the guide's EXCELLENT KEYWORDS.
    #[serde(default)]
    pub excellent: bool,
}

fn default_weight() -> f64 {
    1.0
}

/// When a mention earns credit.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Credit {
    /// Words and phrases that make a sentence explanatory (a reason, mechanism, trade-off).
    pub explanation_markers: Vec<String>,
    /// A sentence of at least this many words can explain by elaboration.
    pub elaborated_min_words: usize,
    /// Words per named concept an elaborating sentence needs.
    pub elaborated_words_per_concept: usize,
    /// Without an explanation, a sentence credits at most this many concepts.
    pub bare_concepts_per_sentence: usize,
    /// Share of full points a concept earns when mentioned without explanation.
    pub bare_mention_share: f64,
    /// At most this share of a dimension's `full_credit` can come from bare mentions.
    pub bare_points_cap: f64,
    /// An explanatory sentence has at least this many words.
    pub min_explained_words: usize,
    /// Reasons that explain nothing ("because it's popular"): a sentence whose only
    /// reason is one of these is not explanatory.
    pub vacuous_reasons: Vec<String>,
}

/// A red flag or warning sign.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RedFlag {
    /// Stable id (`accuracy_is_enough`, ...).
    pub id: String,
    /// Human name.
    pub name: String,
    /// Phrases that state the flag.
    #[serde(default)]
    pub phrases: Vec<String>,
    /// Regular expressions over normalised text that state the flag.
    #[serde(default)]
    pub patterns: Vec<String>,
    /// What the flag neglects, as plain phrases ("validation set", "fairness"): a
    /// candidate sentence that dismisses one (see [`Dismissals`]) states the flag.
    #[serde(default)]
    pub neglects: Vec<String>,
    /// Points taken from each named dimension.
    pub lowers: BTreeMap<Dimension, f64>,
    /// The highest recommendation a transcript with this flag can get.
    #[serde(default)]
    pub cap: Option<Recommendation>,
}

/// Frames in which a candidate dismisses a safeguard, for every red flag's
/// `neglects`: `before` one ("never bothered with", "don't see the point of") or
/// `after` one ("is overkill", "is not our job"), within `window_words` words in one
/// sentence. Regular-expression fragments over normalised text.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dismissals {
    /// Frames that come before the safeguard ("we never bothered with").
    #[serde(default)]
    pub before: Vec<String>,
    /// Frames that come after it ("is a waste of time").
    #[serde(default)]
    pub after: Vec<String>,
    /// How many words may stand between the frame and the safeguard.
    #[serde(default)]
    pub window_words: usize,
}

/// NegEx-style negation detection.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Negation {
    /// Words before a phrase that negate it ("not", "never", "no").
    pub pre_triggers: Vec<String>,
    /// Words after a phrase that reject it ("is a myth", "is wrong").
    pub post_triggers: Vec<String>,
    /// Phrases that contain a trigger but do not negate ("not only").
    pub pseudo_triggers: Vec<String>,
    /// Words that end a trigger's scope ("but", "however").
    pub terminators: Vec<String>,
    /// Words that end a post-trigger's scope after a phrase (no comma: "X, and that's
    /// not true" rejects X).
    pub post_terminators: Vec<String>,
    /// Bare negation words; they do not undo a phrase that already holds one.
    pub simple_negations: Vec<String>,
    /// Other people as the subject of a sentence ("my colleague", "people", "they"):
    /// with one of `reporting` right after, what follows is their view, not the
    /// candidate's ("the product lead said a black box was fine").
    #[serde(default)]
    pub others: Vec<String>,
    /// What others say, want or would do ("said", "suggested", "would"); counts only
    /// within three words after one of `others`.
    #[serde(default)]
    pub reporting: Vec<String>,
    /// Tags that end a statement with a question mark ("..., you know?", "..., right?"):
    /// after a comma, they leave the sentence a statement, not a question.
    #[serde(default)]
    pub tag_questions: Vec<String>,
    /// How many words before the phrase a pre-trigger may stand.
    pub window_before: usize,
    /// How many words after the phrase a post-trigger may stand.
    pub window_after: usize,
}

/// Telling production experience from hypothetical production talk.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductionExperience {
    /// Patterns for production work the candidate did ("we deployed").
    pub did: Vec<String>,
    /// Patterns for production work described as hypothetical ("I would deploy").
    pub would: Vec<String>,
    /// The candidate says they have no production work of their own ("I've never
    /// deployed a model", "I haven't written code in years"): a confident no, and
    /// then only claims in the first person singular count.
    #[serde(default)]
    pub denies: Vec<String>,
    /// Work handed to someone else in one answer ("I hand the notebook over to
    /// engineering", "that part's the platform team"): claims in that answer do not
    /// count, and without work of their own the experience is unclear, not no.
    #[serde(default)]
    pub handed_over: Vec<String>,
    /// Patterns of an interviewer question about the candidate's own past work.
    pub asks: Vec<String>,
    /// Patterns of concrete production facts (traffic, latency, incidents, a
    /// cadence, monitoring the candidate ran): a `did` hit counts only in an answer
    /// that holds one, so a claim with nothing concrete behind it stays unclear.
    #[serde(default)]
    pub facts: Vec<String>,
    /// The candidate says the hands-on work was someone else's ("the hands-on side
    /// was my engineers", "I'm more on the strategy side"): then only claims in the
    /// first person singular count, and without one the experience is unclear.
    #[serde(default)]
    pub hands_off: Vec<String>,
    /// What a claim is about when it is managing, not production work ("I ran the
    /// standups and the hiring"): such a claim does not count.
    #[serde(default)]
    pub managing: Vec<String>,
    /// Statements of leading work at an organisation's scale ("I run a group of forty
    /// people across three teams", "four teams under me", "my org"): then what "we"
    /// did is the organisation's, and without a claim of their own the candidate's
    /// experience is unclear.
    #[serde(default)]
    pub leading: Vec<String>,
    /// The dimension whose concepts are production content.
    pub dimension: Dimension,
    /// Points added to Production Readiness when the candidate has done production work.
    pub readiness_bonus: f64,
}

/// Scoring the shape of answers.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Communication {
    /// Dimension this feeds.
    pub dimension: Dimension,
    /// Starting score.
    pub base: f64,
    /// Answers shorter than this many words are terse.
    pub terse_below_words: usize,
    /// Answers longer than this many words ramble.
    pub rambling_above_words: usize,
    /// Added in proportion to the share of answers that give a reason.
    pub justified_bonus: f64,
    /// Added in proportion to the share of answers with numbers.
    pub quantified_bonus: f64,
    /// Taken in proportion to the share of terse answers.
    pub terse_penalty: f64,
    /// Taken in proportion to the share of rambling answers.
    pub rambling_penalty: f64,
    /// Taken per evasive answer.
    pub evasive_penalty: f64,
    /// The most evasive answers that count.
    pub evasive_cap: usize,
    /// Phrases of an evasive answer ("I'm not sure").
    pub evasive_phrases: Vec<String>,
}

/// Interviewer template compliance.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Compliance {
    /// The required conclusion.
    pub conclusion: String,
    /// The closing line after the candidate's questions.
    pub closing: String,
    /// Time notices that may stand alone or open a turn.
    pub time_notices: Vec<String>,
    /// Response templates as ordered slots.
    pub templates: Vec<Template>,
    /// Phrase and pattern rules.
    pub rules: Vec<ComplianceRule>,
    /// Declarative words outside template slots above which a turn is teaching.
    pub teaching_max_words: usize,
    /// Words in a template's explanation slot above which it is teaching.
    pub teaching_max_slot_words: usize,
    /// A short candidate turn opening with one of these asks the interviewer
    /// something ("Sorry, could you repeat that") instead of answering: no response
    /// template is due in the reply.
    #[serde(default)]
    pub clarifying_openers: Vec<String>,
    /// At most this many words make such a turn short.
    #[serde(default = "default_clarifying_max_words")]
    pub clarifying_max_words: usize,
}

fn default_clarifying_max_words() -> usize {
    30
}

/// A response template: ordered slots.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    /// Stable id (`correct`, `incomplete`, ...).
    pub id: String,
    /// What the interviewer's verdict is when this template is used, if it is one.
    #[serde(default)]
    pub verdict: Option<Verdict>,
    /// The slots in order.
    pub slots: Vec<Slot>,
}

/// One slot of a template: a fixed phrase, or free text between fixed phrases.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Slot {
    /// The fixed words of the slot (e.g. `Correct approach:`).
    #[serde(default)]
    pub literal: Option<String>,
    /// Free text the interviewer fills in (e.g. `error explanation`).
    #[serde(default)]
    pub text: Option<String>,
    /// A literal slot that a question may stand in for.
    #[serde(default)]
    pub or_question: bool,
    /// A literal slot that the conclusion may stand in for.
    #[serde(default)]
    pub or_conclusion: bool,
    /// A literal slot that may be left out (the guide's own INCORRECT example has no
    /// "Correct approach:" label); when present it must still come in order.
    #[serde(default)]
    pub optional: bool,
}

/// A phrase or pattern rule over interviewer turns.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComplianceRule {
    /// Rule id used in output (`forbidden_phrase`, `hint`, ...).
    pub id: String,
    /// Why it is a breach, shown in messages.
    pub message: String,
    /// Phrases.
    #[serde(default)]
    pub phrases: Vec<String>,
    /// Regular expressions over normalised text.
    #[serde(default)]
    pub patterns: Vec<String>,
}

/// How the six scores become a recommendation.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecommendationRule {
    /// Weight of each dimension in the overall score.
    pub weights: BTreeMap<Dimension, f64>,
    /// Thresholds and minimums per level.
    pub levels: BTreeMap<String, LevelRule>,
    /// The level assumed when neither the transcript nor `--level` names one.
    pub default_level: String,
    /// Caps by number of red flags raised.
    pub red_flag_count_caps: Vec<CountCap>,
    /// The cap when the interviewer concludes after few answers (phase 1).
    pub early_conclusion: EarlyConclusion,
    /// Added to the overall score when the interview reached a phase: `{3: 0.1}`.
    pub progression_bonus: BTreeMap<u8, f64>,
    /// What a dimension nothing assessed counts as in the overall score.
    pub unassessed_value: f64,
    /// Weight of the mean exchange score (on the 1-5 scale) against the weighted
    /// mean of the dimensions in the overall score.
    pub answer_weight: f64,
    /// Taken from the overall score for each distinct red flag derived from the
    /// interview's shape rather than stated (derived flags never cap).
    #[serde(default)]
    pub derived_flag_penalty: f64,
    /// At most this much in all for derived flags.
    #[serde(default)]
    pub derived_flag_penalty_max: f64,
    /// Taken from the overall score when a level requires production experience and
    /// the candidate's is "unclear" (only a confident "no" caps).
    #[serde(default)]
    pub production_unclear_penalty: f64,
}

/// Thresholds on the weighted overall score, and dimension minimums, for one level.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelRule {
    /// Overall score at or above which the verdict is Strong Yes.
    pub strong_yes: f64,
    /// ... Yes.
    pub yes: f64,
    /// ... Neutral.
    pub neutral: f64,
    /// ... No; below it, Strong No.
    pub no: f64,
    /// Dimension scores a Yes or Strong Yes requires at this level.
    #[serde(default)]
    pub minimum_for_yes: BTreeMap<Dimension, u8>,
    /// A Yes or Strong Yes at this level requires production experience "yes".
    #[serde(default)]
    pub requires_production_experience: bool,
}

/// "At least `count` red flags caps the recommendation at `cap`."
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CountCap {
    /// Number of distinct red flags.
    pub count: usize,
    /// The cap.
    pub cap: Recommendation,
}

/// An interview concluded early in phase 1.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EarlyConclusion {
    /// Concluded after at most this many candidate answers.
    pub max_answers: usize,
    /// And, where the transcript has timestamps, before this many minutes.
    pub before_minutes: u64,
    /// Verdict templates that show the candidate was failing; one must precede the
    /// conclusion for it to count as early.
    pub failing_verdicts: Vec<String>,
    /// The cap.
    pub cap: Recommendation,
}

/// Claims as data: what holds, and what does not, of the concepts the guide touches.
/// A candidate sentence that names a `subject` and then, within `window_words` words,
/// one of its `properties` asserts it (denies it, with a negation between them); a
/// claim whose `holds` disagrees is a factual error.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Facts {
    /// Words between a subject and its property, at most.
    #[serde(default)]
    pub window_words: usize,
    /// Words allowed between two pieces of a gapped term (`"layer .. split* .. across"`).
    #[serde(default)]
    pub gap_words: usize,
    /// Points taken from the quality of the exchange a factual error is in.
    #[serde(default)]
    pub quality_penalty: f64,
    /// Points taken from the claim's dimension, once per claim.
    #[serde(default)]
    pub dimension_penalty: f64,
    /// Words that report a view as someone else's: such a sentence is not a claim.
    #[serde(default)]
    pub reported: Vec<String>,
    /// Words that deny a property besides the rubric's simple negations ("rarely").
    #[serde(default)]
    pub negations: Vec<String>,
    /// Words that call a procedure named in the sentence a mistake ("leaks",
    /// "optimistic"): the candidate describes it to warn, not as their own step.
    #[serde(default)]
    pub condemned: Vec<String>,

    /// What claims are about.
    #[serde(default)]
    pub subjects: Vec<FactTerm>,
    /// What is claimed of them.
    #[serde(default)]
    pub properties: Vec<FactTerm>,
    /// Whether each property holds of each subject.
    #[serde(default)]
    pub claims: Vec<Claim>,
}

/// A subject or property and the words that name it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FactTerm {
    /// Stable id.
    pub id: String,
    /// Surface forms, matched as whole words after normalisation; a gapped term
    /// (`"layer .. split* .. across"`) lets a few words stand between its pieces
    /// ([`crate::rubric::gapped`]).
    pub terms: Vec<String>,
}

/// "`property` holds (or not) of `subject`".
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    /// A subject id.
    pub subject: String,
    /// A property id.
    pub property: String,
    /// Whether the property holds of the subject.
    pub holds: bool,
    /// What holds instead, for the report.
    pub instead: String,
    /// The dimension a factual error here counts against.
    pub dimension: Dimension,
}
