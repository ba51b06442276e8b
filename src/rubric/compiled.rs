//! The rubric compiled for scanning: phrase automata, the one-pass turn scan and
//! gated, size-limited regexes, built once at start-up (the embedded rubric's
//! regexes on first use) and shared read-only by every worker thread.

use std::ops::Range;

use super::gapped::{self, GappedTerms, Terms};
use super::patterns::{Compile, GateBuilder, LiteralGate, PatternList};
use super::schema::{Dismissals, Rubric, Template};
use super::{Path, Problem};
use crate::text::{normalize_phrase, PhraseMatcher};
use crate::text::{Occurrences, PhraseScan};
use crate::transcript::InferenceRules;

/// A rubric ready for scoring.
#[derive(Debug, Clone)]
pub struct CompiledRubric {
    /// The rubric as written.
    pub rubric: Rubric,
    /// sha256 of the rubric's YAML text.
    pub sha256: String,
    /// Problems that do not stop the rubric from loading.
    pub warnings: Vec<String>,
    /// Concept terms -> concept index.
    pub concept_terms: PhraseMatcher<usize>,
    /// Concept patterns: (concept index, regex).
    pub concept_patterns: PatternList<usize>,
    /// Explanation markers.
    pub explanation_markers: PhraseMatcher<()>,
    /// Reasons that explain nothing.
    pub vacuous_reasons: PhraseMatcher<()>,
    /// Red-flag phrases -> red-flag index.
    pub red_flag_phrases: PhraseMatcher<usize>,
    /// Red-flag patterns: (red-flag index, regex).
    pub red_flag_patterns: PatternList<usize>,
    /// Per red flag, a sentence dismissing one of its `neglects` (payload: the flag).
    pub dismissals: PatternList<usize>,
    /// Any of the `dismissals` frames: a turn without one needs no `dismissals` run.
    pub dismissal_frames: PatternList<()>,
    /// Negation triggers before a phrase.
    pub pre_triggers: PhraseMatcher<()>,
    /// Other people as a subject ([`crate::rubric::schema::Negation::others`]).
    pub others: PhraseMatcher<()>,
    /// What others say or would do ([`crate::rubric::schema::Negation::reporting`]).
    pub reporting: PhraseMatcher<()>,
    /// Negation triggers after a phrase.
    pub post_triggers: PhraseMatcher<()>,
    /// Phrases holding a trigger that do not negate.
    pub pseudo_triggers: PhraseMatcher<()>,
    /// Scope terminators.
    pub terminators: PhraseMatcher<()>,
    /// Scope terminators after a phrase.
    pub post_terminators: PhraseMatcher<()>,
    /// Bare negation words.
    pub simple_negations: PhraseMatcher<()>,
    /// Production work done.
    pub production_did: PatternList<()>,
    /// Production work imagined.
    pub production_would: PatternList<()>,
    /// `production_experience.denies`.
    pub production_denies: PatternList<()>,
    /// `production_experience.handed_over`.
    pub production_handed_over: PatternList<()>,
    /// Interviewer questions about the candidate's own past production work.
    pub production_asks: PatternList<()>,
    /// `production_experience.facts`.
    pub production_facts: PatternList<()>,
    /// `production_experience.hands_off`.
    pub production_hands_off: PatternList<()>,
    /// `production_experience.leading`.
    pub production_leading: PatternList<()>,
    /// `production_experience.managing`.
    pub production_managing: PatternList<()>,
    /// Evasive answer phrases.
    pub evasive_phrases: PhraseMatcher<()>,
    /// Compliance phrases -> rule index.
    pub compliance_phrases: PhraseMatcher<usize>,
    /// Compliance patterns: (rule index, regex).
    pub compliance_patterns: PatternList<usize>,
    /// The literals the patterns above require.
    pub pattern_literals: LiteralGate,
    /// The phrase lists read on whole turns, and the pattern literals, searched in
    /// one pass per turn ([`TurnList`] names the lists).
    pub turn_scan: PhraseScan,
    /// Templates with normalised literals.
    pub templates: Templates,
    /// Question cues -> the bank questions they point to.
    pub question_cues: PhraseMatcher<Vec<usize>>,
    /// Expected-point terms -> (question, point) pairs.
    pub point_terms: PhraseMatcher<Vec<(usize, usize)>>,
    /// Phrases that make an interviewer turn a math prompt.
    pub math_cues: PhraseMatcher<()>,
    /// Coverage cues -> coverage gap index.
    pub coverage_cues: PhraseMatcher<Vec<usize>>,
    /// Per `derived_red_flags.answers` rule: question cues, answer terms, unless terms.
    pub answer_rules: Vec<[Terms; 3]>,
    /// `facts.subjects`: phrase -> subject ids.
    pub fact_subjects: PhraseMatcher<Vec<usize>>,
    /// `facts.properties`: phrase -> property ids.
    pub fact_properties: PhraseMatcher<Vec<usize>>,
    /// `facts.subjects` named by gapped terms ("scal* .. before .. split").
    pub fact_subjects_gapped: GappedTerms,
    /// `facts.properties` named by gapped terms ("layer .. split* .. across").
    pub fact_properties_gapped: GappedTerms,
    /// `facts.reported`.
    pub fact_reported: PhraseMatcher<()>,
    /// `facts.negations`.
    pub fact_negations: PhraseMatcher<()>,
    /// `facts.claims` by (subject, property) index.
    pub fact_claims: std::collections::BTreeMap<(usize, usize), usize>,
    /// Per subject, the claim that doing it is a mistake (property `done`), if any.
    pub fact_done: Vec<Option<usize>>,
    /// `facts.condemned`.
    pub fact_condemned: PhraseMatcher<()>,
    /// `derived_red_flags.failed_math_prompt.mechanism_cues`, as one pattern.
    pub mechanism_cues: Option<regex::Regex>,
    /// `derived_red_flags.corrections`: per flag, its cues and its answer terms
    /// (gapped terms allowed, as in the answer rules).
    pub correction_rules: Vec<(PhraseMatcher<()>, Terms)>,
    /// How to tell the interviewer from the candidate in files that only name speakers.
    pub speaker_inference: InferenceRules,
}

/// The lists of [`CompiledRubric::turn_scan`], searched in one pass over each turn:
/// `Occurrences::of(list as usize)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TurnList {
    /// [`CompiledRubric::concept_terms`].
    ConceptTerms,
    /// [`CompiledRubric::explanation_markers`].
    ExplanationMarkers,
    /// [`CompiledRubric::vacuous_reasons`].
    VacuousReasons,
    /// [`CompiledRubric::point_terms`].
    PointTerms,
    /// [`CompiledRubric::red_flag_phrases`].
    RedFlagPhrases,
    /// [`CompiledRubric::compliance_phrases`].
    CompliancePhrases,
    /// [`CompiledRubric::evasive_phrases`].
    EvasivePhrases,
    /// [`CompiledRubric::pattern_literals`].
    PatternLiterals,
    /// [`CompiledRubric::fact_subjects`].
    FactSubjects,
    /// [`CompiledRubric::fact_properties`].
    FactProperties,
    /// [`CompiledRubric::fact_reported`].
    FactReported,
    /// The pieces of [`CompiledRubric::fact_subjects_gapped`].
    FactSubjectPieces,
    /// The pieces of [`CompiledRubric::fact_properties_gapped`].
    FactPropertyPieces,
}

impl TurnList {
    /// How many lists there are.
    pub const COUNT: usize = 13;

    /// Every list, in scan order: `TurnList::ALL[list as usize] == list`.
    pub const ALL: [TurnList; TurnList::COUNT] = [
        TurnList::ConceptTerms,
        TurnList::ExplanationMarkers,
        TurnList::VacuousReasons,
        TurnList::PointTerms,
        TurnList::RedFlagPhrases,
        TurnList::CompliancePhrases,
        TurnList::EvasivePhrases,
        TurnList::PatternLiterals,
        TurnList::FactSubjects,
        TurnList::FactProperties,
        TurnList::FactReported,
        TurnList::FactSubjectPieces,
        TurnList::FactPropertyPieces,
    ];
}

/// Builds a matcher whose payload lists every owner of a phrase, so a phrase shared
/// by two questions points to both.
fn grouped<T: Clone>(
    pairs: impl Iterator<Item = (String, T)>,
) -> Result<PhraseMatcher<Vec<T>>, String> {
    PhraseMatcher::new(group(pairs))
}

/// Each normalised phrase with every owner it has.
fn group<T>(pairs: impl Iterator<Item = (String, T)>) -> Vec<(String, Vec<T>)> {
    let mut groups: std::collections::BTreeMap<String, Vec<T>> = std::collections::BTreeMap::new();
    for (phrase, owner) in pairs {
        groups
            .entry(normalize_phrase(&phrase))
            .or_default()
            .push(owner);
    }
    groups.into_iter().collect()
}

/// Response templates with their literals normalised, plus the fixed phrases.
#[derive(Debug, Clone)]
pub struct Templates {
    /// Templates, longest opening literal first, so "Correct but incomplete." wins over "Correct.".
    pub templates: Vec<CompiledTemplate>,
    /// Normalised conclusion.
    pub conclusion: String,
    /// Normalised closing line.
    pub closing: String,
    /// Normalised time notices.
    pub time_notices: Vec<String>,
}

/// One template with normalised literals.
#[derive(Debug, Clone)]
pub struct CompiledTemplate {
    /// Template id.
    pub id: String,
    /// The verdict this template gives, if any.
    pub verdict: Option<crate::rubric::Verdict>,
    /// Slots: `Literal(normalised)` or `Text(description)`.
    pub slots: Vec<CompiledSlot>,
}

/// A normalised slot.
#[derive(Debug, Clone)]
pub enum CompiledSlot {
    /// Fixed words, normalised; `or_question` when a question may stand in for them.
    Literal {
        /// The words as written in the rubric.
        display: String,
        /// The words normalised.
        normalized: String,
        /// A question may stand in for this literal.
        or_question: bool,
        /// The conclusion may stand in for this literal.
        or_conclusion: bool,
        /// The literal may be left out.
        optional: bool,
    },
    /// Free text.
    Text(String),
}

impl CompiledRubric {
    /// True when a normalised sentence of `words` words naming `concepts` distinct
    /// concepts explains: it gives a real reason ([`Self::reasons`]), or it
    /// elaborates (at least `elaborated_min_words` words,
    /// `elaborated_words_per_concept` per concept).
    pub fn explains(&self, has_reason: bool, words: usize, concepts: usize) -> bool {
        let credit = &self.rubric.credit;
        has_reason
            || (words >= credit.elaborated_min_words
                && words >= credit.elaborated_words_per_concept * concepts.max(1))
    }

    /// Per sentence of normalised `text` (`sentences`, of `words` words each):
    /// whether it gives a real reason, that is it is long enough and holds an
    /// explanation marker that is not part of a vacuous reason ("because it's
    /// popular").
    /// `found` is the turn's [`Self::turn_scan`].
    pub fn reasons(
        &self,
        text: &str,
        sentences: &[Range<usize>],
        words: &[usize],
        found: &Occurrences,
    ) -> Vec<bool> {
        let credit = &self.rubric.credit;
        let markers = self
            .explanation_markers
            .group_by_sentence(text, sentences, || {
                let occurrences = found.of(TurnList::ExplanationMarkers as usize);
                self.explanation_markers.select(text, occurrences)
            });
        if markers.iter().all(Vec::is_empty) {
            return vec![false; sentences.len()];
        }
        let vacuous = self.vacuous_reasons.group_by_sentence(text, sentences, || {
            let occurrences = found.of(TurnList::VacuousReasons as usize);
            self.vacuous_reasons.select(text, occurrences)
        });
        markers
            .iter()
            .zip(&vacuous)
            .zip(words)
            .map(|((markers, vacuous), &words)| {
                words >= credit.min_explained_words
                    && markers
                        .iter()
                        .any(|m| !vacuous.iter().any(|v| v.start <= m.start && m.end <= v.end))
            })
            .collect()
    }

    /// Compiles a validated rubric; returns every pattern problem at once, each at
    /// the value it is about. `compile` says when its patterns compile ([`Compile`]).
    pub fn compile(
        rubric: Rubric,
        sha256: String,
        compile: Compile,
    ) -> Result<CompiledRubric, Vec<Problem>> {
        let mut problems = Vec::new();

        // Patterns, one gated list per rule family (see `patterns`).
        let mut gate = GateBuilder::default();
        let mut patterns = |rules: Vec<RulePatterns<'_, usize>>| {
            pattern_list(rules, compile, &mut gate, &mut problems)
        };
        let concept_patterns = patterns(rule_patterns(
            "concepts",
            rubric.concepts.iter().map(|c| (c.id.as_str(), &c.patterns)),
        ));
        let red_flag_rules = rule_patterns(
            "red_flags",
            rubric
                .red_flags
                .iter()
                .map(|f| (f.id.as_str(), &f.patterns)),
        );
        let dismissed = dismissal_patterns(&rubric);
        let dismissals = patterns(
            rubric
                .red_flags
                .iter()
                .zip(&dismissed)
                .enumerate()
                .filter(|(_, (_, list))| !list.is_empty())
                .map(|(index, (flag, list))| {
                    let at = Path::keys("red_flags").then(index).then("neglects");
                    (format!("red_flags.{}", flag.id), at, &list[..], index)
                })
                .collect(),
        );
        let red_flag_patterns = patterns(red_flag_rules);
        let compliance_patterns = patterns(rule_patterns(
            "compliance.rules",
            rubric
                .compliance
                .rules
                .iter()
                .map(|r| (r.id.as_str(), &r.patterns)),
        ));
        let frames = dismissal_frames(&rubric.dismissals);
        let dismissal_frames = pattern_list(
            vec![(
                "dismissals".to_string(),
                Path::keys("dismissals"),
                &frames[..],
                (),
            )],
            compile,
            &mut gate,
            &mut problems,
        );
        let production = &rubric.production_experience;
        let mut production_list = |key: &str, list: &[String]| {
            let owner = format!("production_experience.{key}");
            let at = Path::keys(&owner);
            pattern_list(
                vec![(owner, at, list, ())],
                compile,
                &mut gate,
                &mut problems,
            )
        };
        let production_did = production_list("did", &production.did);
        let production_would = production_list("would", &production.would);
        let production_denies = production_list("denies", &production.denies);
        let production_handed_over = production_list("handed_over", &production.handed_over);
        let production_asks = production_list("asks", &production.asks);
        let production_facts = production_list("facts", &production.facts);
        let production_hands_off = production_list("hands_off", &production.hands_off);
        let production_managing = production_list("managing", &production.managing);
        let production_leading = production_list("leading", &production.leading);
        let pattern_literals = gate.build();

        let mut matcher = |owner: &str, phrases: Vec<(String, usize)>| {
            PhraseMatcher::new(phrases).unwrap_or_else(|e| {
                problems.push(Problem::new(Path::keys(owner), format!("{owner}: {e}")));
                PhraseMatcher::new(Vec::new()).expect("an empty matcher builds")
            })
        };
        let concept_terms = matcher(
            "concepts",
            indexed(rubric.concepts.iter().map(|c| &c.terms)),
        );
        // The lists of the turn scan (below) build their own automata only when
        // searched apart: the scan's automaton holds their phrases.
        let red_flag_phrases =
            PhraseMatcher::new_in_scan(indexed(rubric.red_flags.iter().map(|r| &r.phrases)));
        let compliance_phrases =
            PhraseMatcher::new_in_scan(indexed(rubric.compliance.rules.iter().map(|r| &r.phrases)));
        let mut plain = |owner: &str, list: &[String]| -> PhraseMatcher<()> {
            PhraseMatcher::new(list.iter().map(|p| (p.clone(), ())).collect()).unwrap_or_else(|e| {
                problems.push(Problem::new(Path::keys(owner), format!("{owner}: {e}")));
                PhraseMatcher::new(Vec::new()).expect("an empty matcher builds")
            })
        };
        let in_scan = |list: &[String]| -> PhraseMatcher<()> {
            PhraseMatcher::new_in_scan(list.iter().map(|p| (p.clone(), ())).collect())
        };
        let explanation_markers = in_scan(&rubric.credit.explanation_markers);
        let vacuous_reasons = in_scan(&rubric.credit.vacuous_reasons);
        let pre_triggers = plain("negation.pre_triggers", &rubric.negation.pre_triggers);
        let others = plain("negation.others", &rubric.negation.others);
        let reporting = plain("negation.reporting", &rubric.negation.reporting);
        let post_triggers = plain("negation.post_triggers", &rubric.negation.post_triggers);
        let pseudo_triggers = plain("negation.pseudo_triggers", &rubric.negation.pseudo_triggers);
        let terminators = plain("negation.terminators", &rubric.negation.terminators);
        let post_terminators = plain(
            "negation.post_terminators",
            &rubric.negation.post_terminators,
        );
        let simple_negations = plain(
            "negation.simple_negations",
            &rubric.negation.simple_negations,
        );
        let evasive_phrases = in_scan(&rubric.communication.evasive_phrases);

        let mut answer_problems = Vec::new();
        let answer_rules: Vec<[Terms; 3]> = rubric
            .derived_red_flags
            .answers
            .iter()
            .enumerate()
            .map(|(i, rule)| {
                [
                    ("question_cues", &rule.question_cues),
                    ("answer_terms", &rule.answer_terms),
                    ("unless_terms", &rule.unless_terms),
                ]
                .map(|(key, list)| {
                    Terms::new(list, rubric.facts.gap_words).unwrap_or_else(|e| {
                        answer_problems.push(Problem::new(
                            path!["derived_red_flags", "answers", i, key],
                            format!("derived_red_flags.answers: {e}"),
                        ));
                        Terms::new(&[], 0).expect("an empty list compiles")
                    })
                })
            })
            .collect();
        let correction_rules: Vec<(PhraseMatcher<()>, Terms)> = rubric
            .derived_red_flags
            .corrections
            .flags
            .iter()
            .enumerate()
            .map(|(i, rule)| {
                let terms =
                    Terms::new(&rule.answer_terms, rubric.facts.gap_words).unwrap_or_else(|e| {
                        answer_problems.push(Problem::new(
                            path![
                                "derived_red_flags",
                                "corrections",
                                "flags",
                                i,
                                "answer_terms"
                            ],
                            format!("derived_red_flags.corrections: {e}"),
                        ));
                        Terms::new(&[], 0).expect("an empty list compiles")
                    });
                (plain("derived_red_flags.corrections", &rule.cues), terms)
            })
            .collect();
        let facts = &rubric.facts;
        let fact_matcher = |list: &[crate::rubric::FactTerm]| {
            PhraseMatcher::new_in_scan(group(
                list.iter()
                    .enumerate()
                    .flat_map(|(i, t)| t.terms.iter().map(move |term| (term.clone(), i)))
                    .filter(|(term, _)| !gapped::is_gapped(term)),
            ))
        };
        let gapped_matcher = |list: &[crate::rubric::FactTerm]| {
            GappedTerms::new(
                list.iter()
                    .enumerate()
                    .flat_map(|(i, t)| t.terms.iter().map(move |term| (term.as_str(), i))),
                facts.gap_words,
            )
        };
        let fact_subjects = fact_matcher(&facts.subjects);
        let fact_properties = fact_matcher(&facts.properties);
        let fact_subjects_gapped = gapped_matcher(&facts.subjects);
        let fact_properties_gapped = gapped_matcher(&facts.properties);
        let fact_reported =
            PhraseMatcher::new_in_scan(facts.reported.iter().map(|p| (p.clone(), ())).collect());
        let fact_negations = plain("facts.negations", &facts.negations);
        let index_of =
            |list: &[crate::rubric::FactTerm], id: &str| list.iter().position(|t| t.id == id);
        let fact_claims = facts
            .claims
            .iter()
            .enumerate()
            .filter_map(|(c, claim)| {
                Some((
                    (
                        index_of(&facts.subjects, &claim.subject)?,
                        index_of(&facts.properties, &claim.property)?,
                    ),
                    c,
                ))
            })
            .collect();
        let done = index_of(&facts.properties, "done");
        let fact_done = (0..facts.subjects.len())
            .map(|subject| {
                done.and_then(|d| {
                    facts.claims.iter().position(|c| {
                        index_of(&facts.subjects, &c.subject) == Some(subject)
                            && index_of(&facts.properties, &c.property) == Some(d)
                    })
                })
            })
            .collect();
        let fact_condemned = plain("facts.condemned", &facts.condemned);
        let cues = &rubric.derived_red_flags.failed_math_prompt.mechanism_cues;
        let mechanism_cues = (!cues.is_empty()).then(|| {
            let joined = cues
                .iter()
                .map(|c| format!("(?:{c})"))
                .collect::<Vec<_>>()
                .join("|");
            regex::Regex::new(&joined)
        });
        let math_cues = plain("exchanges.math_cues", &rubric.exchanges.math_cues);
        let bank = &rubric.questions.bank;
        let question_cues = grouped(
            bank.iter()
                .enumerate()
                .flat_map(|(q, question)| question.cues.iter().map(move |c| (c.clone(), q))),
        )
        .unwrap_or_else(|e| {
            problems.push(Problem::new(
                path!["questions", "bank"],
                format!("questions: {e}"),
            ));
            PhraseMatcher::new(Vec::new()).expect("an empty matcher builds")
        });
        let point_terms =
            PhraseMatcher::new_in_scan(group(bank.iter().enumerate().flat_map(|(q, question)| {
                question
                    .expected
                    .iter()
                    .enumerate()
                    .flat_map(move |(p, point)| {
                        point.terms.iter().map(move |t| (t.clone(), (q, p)))
                    })
            })));
        let coverage_cues = grouped(
            rubric
                .coverage
                .gaps
                .iter()
                .enumerate()
                .flat_map(|(g, gap)| gap.cues.iter().map(move |c| (c.clone(), g))),
        )
        .unwrap_or_else(|e| {
            problems.push(Problem::new(
                path!["coverage", "gaps"],
                format!("coverage: {e}"),
            ));
            PhraseMatcher::new(Vec::new()).expect("an empty matcher builds")
        });
        let mut turn_lists: Vec<Vec<&[u8]>> = vec![Vec::new(); TurnList::COUNT];
        turn_lists[TurnList::ConceptTerms as usize] = phrases(concept_terms.phrases());
        turn_lists[TurnList::ExplanationMarkers as usize] = phrases(explanation_markers.phrases());
        turn_lists[TurnList::VacuousReasons as usize] = phrases(vacuous_reasons.phrases());
        turn_lists[TurnList::PointTerms as usize] = phrases(point_terms.phrases());
        turn_lists[TurnList::RedFlagPhrases as usize] = phrases(red_flag_phrases.phrases());
        turn_lists[TurnList::CompliancePhrases as usize] = phrases(compliance_phrases.phrases());
        turn_lists[TurnList::EvasivePhrases as usize] = phrases(evasive_phrases.phrases());
        turn_lists[TurnList::PatternLiterals as usize] = pattern_literals.literals();
        turn_lists[TurnList::FactSubjects as usize] = phrases(fact_subjects.phrases());
        turn_lists[TurnList::FactProperties as usize] = phrases(fact_properties.phrases());
        turn_lists[TurnList::FactReported as usize] = phrases(fact_reported.phrases());
        turn_lists[TurnList::FactSubjectPieces as usize] = phrases(fact_subjects_gapped.phrases());
        turn_lists[TurnList::FactPropertyPieces as usize] =
            phrases(fact_properties_gapped.phrases());
        let turn_scan = PhraseScan::new(&turn_lists).unwrap_or_else(|e| {
            problems.push(Problem::new(Path::default(), format!("phrase lists: {e}")));
            PhraseScan::new(&[]).expect("an empty scan builds")
        });
        let templates = Templates::compile(&rubric);
        let speaker_inference = speaker_inference(&rubric);
        problems.extend(answer_problems);
        let mechanism_cues = match mechanism_cues {
            Some(Err(e)) => {
                // The cue at fault, when one fails alone.
                let list = path!["derived_red_flags", "failed_math_prompt", "mechanism_cues"];
                let at = match cues.iter().position(|c| regex::Regex::new(c).is_err()) {
                    Some(j) => list.then(j),
                    None => list,
                };
                problems.push(Problem::new(
                    at,
                    format!("derived_red_flags.failed_math_prompt.mechanism_cues: {e}"),
                ));
                None
            }
            other => other.and_then(Result::ok),
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(CompiledRubric {
            rubric,
            sha256,
            warnings: Vec::new(),
            concept_terms,
            concept_patterns,
            explanation_markers,
            vacuous_reasons,
            red_flag_phrases,
            red_flag_patterns,
            dismissals,
            dismissal_frames,
            pre_triggers,
            others,
            reporting,
            post_triggers,
            pseudo_triggers,
            terminators,
            post_terminators,
            simple_negations,
            production_did,
            production_would,
            production_denies,
            production_handed_over,
            production_asks,
            production_facts,
            production_hands_off,
            production_managing,
            production_leading,
            evasive_phrases,
            compliance_phrases,
            compliance_patterns,
            pattern_literals,
            turn_scan,
            templates,
            question_cues,
            point_terms,
            math_cues,
            coverage_cues,
            answer_rules,
            correction_rules,
            fact_subjects,
            fact_properties,
            fact_subjects_gapped,
            fact_properties_gapped,
            fact_reported,
            fact_negations,
            fact_claims,
            fact_done,
            fact_condemned,
            mechanism_cues,
            speaker_inference,
        })
    }
}

/// One rule's patterns: `(owner, where the list is, patterns, payload)`; the owner
/// ("red_flags.leakage") names the rule in errors.
type RulePatterns<'r, T> = (String, Path, &'r [String], T);

/// The patterns of a section's rules, given as `(id, patterns)`, with the rule index
/// as payload; rules without patterns are left out.
/// Per red flag, the patterns of a sentence dismissing what the flag neglects:
/// a `dismissals.before` frame, then within `window_words` words one of its
/// `neglects`; or one of them, then an `after` frame. Empty for a flag that
/// neglects nothing, or when there are no frames.
fn dismissal_patterns(rubric: &Rubric) -> Vec<Vec<String>> {
    let frames = &rubric.dismissals;
    let alternation = |list: &[String]| list.join("|");
    let gap = format!("(?:[^\\s.?!;:]+\\s+){{0,{}}}", frames.window_words);
    rubric
        .red_flags
        .iter()
        .map(|flag| {
            if flag.neglects.is_empty() {
                return Vec::new();
            }
            let neglected = flag
                .neglects
                .iter()
                .map(|phrase| regex::escape(&normalize_phrase(phrase)))
                .collect::<Vec<_>>()
                .join("|");
            let mut list = Vec::new();
            if !frames.before.is_empty() {
                list.push(format!(
                    "\\b(?:{})\\s+{gap}(?:{neglected})\\b",
                    alternation(&frames.before)
                ));
            }
            if !frames.after.is_empty() {
                list.push(format!(
                    "\\b(?:{neglected})\\s+{gap}(?:{})\\b",
                    alternation(&frames.after)
                ));
            }
            list
        })
        .collect()
}

/// The one pattern of any dismissal frame, before or after (none without frames).
fn dismissal_frames(frames: &Dismissals) -> Vec<String> {
    let all: Vec<&str> = frames
        .before
        .iter()
        .chain(&frames.after)
        .map(String::as_str)
        .collect();
    if all.is_empty() {
        return Vec::new();
    }
    vec![format!("\\b(?:{})\\b", all.join("|"))]
}

fn rule_patterns<'r>(
    section: &str,
    rules: impl Iterator<Item = (&'r str, &'r Vec<String>)>,
) -> Vec<RulePatterns<'r, usize>> {
    rules
        .enumerate()
        .filter(|(_, (_, patterns))| !patterns.is_empty())
        .map(|(index, (id, patterns))| {
            let at = Path::keys(section).then(index).then("patterns");
            (format!("{section}.{id}"), at, &patterns[..], index)
        })
        .collect()
}

/// One gated list of every pattern of `rules`. When some do not compile (the list is
/// then empty), each pattern is compiled alone to report every one that fails at its
/// own place.
fn pattern_list<T: Copy + Send + Sync>(
    rules: Vec<RulePatterns<'_, T>>,
    compile: Compile,
    gate: &mut GateBuilder,
    problems: &mut Vec<Problem>,
) -> PatternList<T> {
    let specs = rules
        .iter()
        .flat_map(|(owner, _, patterns, payload)| {
            patterns
                .iter()
                .map(|p| (owner.clone(), p.clone(), *payload))
        })
        .collect();
    PatternList::new(specs, compile, gate).unwrap_or_else(|_| {
        for (owner, at, patterns, _) in &rules {
            for (j, pattern) in patterns.iter().enumerate() {
                let alone = vec![(owner.clone(), pattern.clone(), ())];
                if let Err(failed) =
                    PatternList::new(alone, Compile::Now, &mut GateBuilder::default())
                {
                    let at = at.clone().then(j);
                    problems.extend(failed.into_iter().map(|m| Problem::new(at.clone(), m)));
                }
            }
        }
        PatternList::empty()
    })
}

/// `(phrase, index of its list)` for every phrase of every list.
fn indexed<'r>(lists: impl Iterator<Item = &'r Vec<String>>) -> Vec<(String, usize)> {
    lists
        .enumerate()
        .flat_map(|(index, list)| list.iter().map(move |p| (p.clone(), index)))
        .collect()
}

/// Phrases as the bytes a [`PhraseScan`] searches for.
fn phrases(list: &[String]) -> Vec<&[u8]> {
    list.iter().map(String::as_bytes).collect()
}

/// The rules for inferring speaker roles: the openers are each template's first
/// literal and the conclusion's first sentence, lowercased, with their punctuation
/// ("correct." opens "Correct. Next ..." but not "Correct me if ...").
fn speaker_inference(rubric: &Rubric) -> InferenceRules {
    let opener = |text: &str| text.trim().to_lowercase();
    let mut openers: Vec<String> = rubric
        .compliance
        .templates
        .iter()
        .filter_map(|t| t.slots.first()?.literal.as_deref().map(opener))
        .chain(
            rubric
                .compliance
                .conclusion
                .split_inclusive(['.', '?', '!'])
                .next()
                .map(opener),
        )
        .filter(|o| !o.is_empty())
        .collect();
    openers.sort();
    openers.dedup();
    InferenceRules {
        openers,
        prompts: rubric
            .speakers
            .prompts
            .iter()
            .map(|p| p.trim().to_lowercase())
            .filter(|p| !p.is_empty())
            .collect(),
        min_confidence: rubric.speakers.min_confidence,
        min_signal_turns: rubric.speakers.min_signal_turns,
    }
}

impl Templates {
    /// Drops leading time notices ("5min remaining.") from normalised text.
    pub fn strip_time_notices<'t>(&self, text: &'t str) -> &'t str {
        let mut body = text.trim_start();
        loop {
            let before = body;
            for notice in &self.time_notices {
                if let Some(rest) = body.strip_prefix(notice.as_str()) {
                    body = rest.trim_start_matches(['.', '!', ',', ' ']);
                }
            }
            if body == before {
                return body;
            }
        }
    }

    fn compile(rubric: &Rubric) -> Templates {
        let compliance = &rubric.compliance;
        let mut templates: Vec<CompiledTemplate> =
            compliance.templates.iter().map(compile_template).collect();
        templates.sort_by_key(|t| {
            std::cmp::Reverse(match t.slots.first() {
                Some(CompiledSlot::Literal { normalized, .. }) => normalized.len(),
                _ => 0,
            })
        });
        Templates {
            templates,
            conclusion: normalize_phrase(&compliance.conclusion),
            closing: normalize_phrase(&compliance.closing),
            time_notices: compliance
                .time_notices
                .iter()
                .map(|n| normalize_phrase(n))
                .collect(),
        }
    }
}

fn compile_template(template: &Template) -> CompiledTemplate {
    CompiledTemplate {
        id: template.id.clone(),
        verdict: template.verdict,
        slots: template
            .slots
            .iter()
            .map(|slot| match (&slot.literal, &slot.text) {
                (Some(literal), _) => CompiledSlot::Literal {
                    display: literal.clone(),
                    normalized: normalize_phrase(literal),
                    or_question: slot.or_question,
                    or_conclusion: slot.or_conclusion,
                    optional: slot.optional,
                },
                (None, text) => CompiledSlot::Text(text.clone().unwrap_or_default()),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use proptest::prelude::*;

    use super::*;
    use crate::text::Hit;

    fn rubric() -> &'static CompiledRubric {
        static RUBRIC: OnceLock<CompiledRubric> = OnceLock::new();
        RUBRIC.get_or_init(|| crate::rubric::load(crate::rubric::DEFAULT_RUBRIC).unwrap())
    }

    /// The words texts are built from: every phrase of the scanned lists, and
    /// punctuation that makes or breaks whole words and sentences.
    fn words() -> &'static Vec<String> {
        static WORDS: OnceLock<Vec<String>> = OnceLock::new();
        WORDS.get_or_init(|| {
            let r = rubric();
            let mut words: Vec<String> = [
                r.concept_terms.phrases(),
                r.explanation_markers.phrases(),
                r.vacuous_reasons.phrases(),
                r.point_terms.phrases(),
                r.red_flag_phrases.phrases(),
                r.compliance_phrases.phrases(),
                r.evasive_phrases.phrases(),
            ]
            .concat();
            words.extend([".", ",", "s", "es", "x", "not", "?", "-"].map(String::from));
            words
        })
    }

    fn spans<T>(hits: &[Hit<'_, T>]) -> Vec<(usize, usize, *const T)> {
        hits.iter()
            .map(|h| (h.start, h.end, h.payload as *const T))
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        /// One scan of a turn gives every list the hits its own automaton finds.
        #[test]
        fn one_scan_gives_each_list_its_own_hits(
            picks in proptest::collection::vec(any::<prop::sample::Index>(), 0..30),
            glue in proptest::collection::vec(prop::sample::select(vec![" ", "", " ", ". "]), 30),
        ) {
            let words = words();
            let mut text = String::new();
            for (pick, glue) in picks.iter().zip(&glue) {
                text.push_str(&words[pick.index(words.len())]);
                text.push_str(glue);
            }
            let r = rubric();
            let found = r.turn_scan.scan(&text);
            // Each list's hits from the scan, against its own automaton's.
            macro_rules! same_hits {
                ($($matcher:ident: $list:ident),*) => {$(
                    let scanned = r.$matcher.select(&text, found.of(TurnList::$list as usize));
                    prop_assert_eq!(spans(&scanned), spans(&r.$matcher.find_all(&text)));
                )*};
            }
            same_hits!(
                concept_terms: ConceptTerms,
                explanation_markers: ExplanationMarkers,
                vacuous_reasons: VacuousReasons,
                point_terms: PointTerms,
                red_flag_phrases: RedFlagPhrases,
                compliance_phrases: CompliancePhrases,
                evasive_phrases: EvasivePhrases
            );
        }
    }
}
