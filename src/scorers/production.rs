//! Production experience: has the candidate deployed or monitored models, or only
//! talked about what they would do?
//!
//! "yes" needs ownership and something concrete: a candidate sentence matching a
//! `production_experience.did` pattern ("we deployed", "at my last company I led the
//! team that built it"), not negated, in an answer that also holds a concrete
//! production fact (`facts`: traffic, latency, an incident, a cadence, monitoring
//! they ran) or telling several things done, and no denial or hand-off in the same
//! answer; or an answer to a question about their own past work (`asks`: "How was
//! your model deployed?") with production content, a fact and no denial. "no" when
//! the production talk is only hypothetical: `would` patterns ("I would deploy"),
//! denials ("I haven't deployed"), or production content in answer to a production
//! question with nothing described as done; "unclear" when there is no production
//! talk at all, or only claims with nothing concrete behind them ("we deployed on
//! Kubeflow with a feature store").
//!
//! Managing is not doing: a claim about standups, hiring or the roadmap
//! (`managing`) does not count. A denial of any work of their own (`denies`: "I've
//! never deployed a model", "I haven't been in the code for years") says no,
//! confidently. Work handed over in an answer (`handed_over`: "that part's the
//! platform team") voids that answer's claims and says no. Once the candidate says the
//! hands-on work was someone else's (`hands_off`: "the hands-on side was my
//! engineers"), only claims in the first person singular count. Leading at an
//! organisation's scale (`leading`: "I run a group of forty people across three
//! teams", "four teams under me", "my org") makes what "we" did the organisation's:
//! without a claim or a denial of their own, the experience is unclear, not yes.

use schemars::JsonSchema;
use serde::Serialize;

use super::{red_flags::is_negated, Evidence, Prepared, Scorer};
use crate::rubric::{CompiledRubric, PresentLiterals};
use crate::transcript::Role;

/// The production-experience scorer.
pub struct ProductionScorer;

/// The answer to "has the candidate deployed or monitored production models?".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ProductionExperience {
    /// Described production work they did.
    Yes,
    /// All production talk is hypothetical, or they say they have none.
    No,
    /// No production talk either way.
    Unclear,
}

/// The verdict and the sentences behind it.
#[derive(Debug, Clone)]
pub struct ProductionFindings {
    /// The verdict.
    pub experience: ProductionExperience,
    /// Sentences describing production work done.
    pub did: Vec<Evidence>,
    /// Sentences describing hypothetical production work, or denying any.
    pub would: Vec<Evidence>,
    /// Production work an organisation the candidate leads did ("we shipped it",
    /// from someone who runs forty people): not theirs to claim, not denied either.
    pub organisation: Vec<Evidence>,
    /// Work said to be someone else's: hands-on work left to others ("the hands-on
    /// side was my engineers") or handed over ("that part's the platform team").
    pub handed_over: Vec<Evidence>,
    /// Statements that they have no production work of their own ("I've never
    /// deployed a model").
    pub denied: Vec<Evidence>,
}

impl Scorer for ProductionScorer {
    type Findings = ProductionFindings;

    fn score(&self, prepared: &Prepared<'_>, rubric: &CompiledRubric) -> ProductionFindings {
        let mut did = Vec::new();
        let mut would = Vec::new();
        let rule = &rubric.rubric.production_experience;
        let production_concepts = |turn: usize| {
            prepared.facts[turn]
                .concept_terms
                .iter()
                .any(|&(concept, _, _)| {
                    rubric.rubric.concepts[concept]
                        .dimensions
                        .iter()
                        .any(|d| d == &rule.dimension)
                })
        };
        // "The hands-on side was my engineers", "I've never deployed a model": the
        // candidate's own claims must then be their own, in the first person singular.
        let mut hands_off_turns = std::collections::BTreeSet::new();
        let mut handed_over = Vec::new();
        let mut denied = Vec::new();
        for turn in prepared.turns_of(Role::Candidate) {
            let text = prepared.turns[turn].text.as_str();
            let literals = &prepared.facts[turn].literals;
            for (patterns, list) in [
                (&rubric.production_hands_off, &mut handed_over),
                (&rubric.production_denies, &mut denied),
            ] {
                for ((), range) in patterns.find_all(text, literals) {
                    if !is_negated(text, range.clone(), rubric) {
                        hands_off_turns.insert(turn);
                        push_unique(
                            list,
                            Evidence {
                                turn,
                                quote: prepared.quote(turn, range),
                            },
                        );
                    }
                }
            }
        }
        let hands_off = !hands_off_turns.is_empty();
        // "I run a group of forty people across three teams": what "we" did is then
        // the organisation's, and so is a claim in the sentence that says so. Per
        // candidate turn, the sentences that state leading, read once.
        let mut leads_organisation = false;
        let mut leading_sentences = std::collections::BTreeMap::new();
        for turn in prepared.turns_of(Role::Candidate) {
            let text = prepared.turns[turn].text.as_str();
            let found = rubric
                .production_leading
                .find_all(text, &prepared.facts[turn].literals);
            let sentences: Vec<std::ops::Range<usize>> = found
                .into_iter()
                .map(|((), range)| {
                    leads_organisation |= !is_negated(text, range.clone(), rubric);
                    crate::scorers::sentence_of(text, range.start)
                })
                .collect();
            leading_sentences.insert(turn, sentences);
        }
        let mut organisation = Vec::new();
        for turn in prepared.turns_of(Role::Candidate) {
            let text = prepared.turns[turn].text.as_str();
            let question_turn = (0..turn)
                .rev()
                .find(|&t| prepared.transcript.turns[t].role == Role::Interviewer);
            let question = question_turn.map_or("", |t| prepared.turns[t].text.as_str());
            let talks_production = production_concepts(turn);
            // An answer with production content to a question about the candidate's
            // own past work ("How was your model deployed?") describes that work,
            // unless it denies having any.
            // With no question, `asks` patterns still meet the empty text: one that
            // matches nothing ("(tell me )?") counts, as it always has.
            let no_literals = PresentLiterals::default();
            let question_literals =
                question_turn.map_or(&no_literals, |t| &prepared.facts[t].literals);
            let asked_about_experience =
                rubric.production_asks.is_match(question, question_literals);
            let literals = &prepared.facts[turn].literals;
            let hand_overs = rubric.production_handed_over.find_all(text, literals);
            let hands_over = !hand_overs.is_empty();
            let hypothetical = rubric.production_would.is_match(text, literals);
            let denies_own = denied.iter().any(|e| e.turn == turn);
            let denies = hands_off_turns.contains(&turn) || hands_over || hypothetical;
            // A claim about managing ("I ran the standups and the hiring") is not
            // production work; after a hands-off admission, neither is one the team
            // did ("we shipped it"), though it still tells what a leader's
            // organisation did.
            let leading = &leading_sentences[&turn];
            let (mut claims, organisation_claims): (Vec<_>, Vec<_>) = rubric
                .production_did
                .find_all(text, literals)
                .into_iter()
                .filter(|((), range)| {
                    let sentence = &text[crate::scorers::sentence_of(text, range.start)];
                    !rubric.production_managing.is_match(sentence, literals)
                })
                .partition(|((), range)| {
                    !leads_organisation
                        || (text[range.clone()].starts_with("i ")
                            && !leading.iter().any(|s| s.contains(&range.start)))
                });
            claims.retain(|((), range)| !hands_off || text[range.clone()].starts_with("i "));
            if !(denies_own || hands_over || hypothetical) {
                for ((), range) in organisation_claims {
                    if !is_negated(text, range.clone(), rubric) {
                        push_unique(
                            &mut organisation,
                            Evidence {
                                turn,
                                quote: prepared.quote(turn, range),
                            },
                        );
                    }
                }
            }
            // Concrete: a production fact, or a narrative of several things done
            // ("I wrote the endpoint, built the image and got it running"). Read only
            // where a claim or an answer about their own work needs it.
            let needs_fact = !claims.is_empty() || (asked_about_experience && talks_production);
            let concrete = needs_fact
                && (claims.len() >= 2 || rubric.production_facts.is_match(text, literals));
            // An answer about "our" work from someone leading an organisation needs a
            // claim of their own.
            let own_answer = !leads_organisation || !claims.is_empty();
            if asked_about_experience && talks_production && concrete && !denies && own_answer {
                push_unique(
                    &mut did,
                    Evidence {
                        turn,
                        quote: prepared.first_sentence(turn),
                    },
                );
            }
            // Production talk in answer to a production question, with nothing done,
            // is hypothetical.
            if talks_production
                && !asked_about_experience
                && question_turn.is_some_and(production_concepts)
            {
                push_unique(
                    &mut would,
                    Evidence {
                        turn,
                        quote: prepared.first_sentence(turn),
                    },
                );
            }
            for ((), range) in claims {
                let evidence = Evidence {
                    turn,
                    quote: prepared.quote(turn, range.clone()),
                };
                // A claim beside a denial or a hand-off ("I built the models and a
                // separate team deploys them") is not production work of their own.
                if is_negated(text, range, rubric) || denies {
                    push_unique(&mut would, evidence);
                } else if concrete {
                    push_unique(&mut did, evidence);
                }
            }
            for ((), range) in rubric.production_would.find_all(text, literals) {
                push_unique(
                    &mut would,
                    Evidence {
                        turn,
                        quote: prepared.quote(turn, range),
                    },
                );
            }
            for ((), range) in hand_overs {
                if !is_negated(text, range.clone(), rubric) {
                    push_unique(
                        &mut handed_over,
                        Evidence {
                            turn,
                            quote: prepared.quote(turn, range),
                        },
                    );
                }
            }
        }
        for list in [
            &mut did,
            &mut would,
            &mut organisation,
            &mut handed_over,
            &mut denied,
        ] {
            list.sort_by_key(|e| e.turn);
        }
        // A denial of any work of their own says no, whatever their organisation
        // shipped. Work the organisation they lead did leaves it open, even when the
        // hands-on part was their engineers'. Work handed over and production talk
        // that is only hypothetical say no.
        let experience = if !did.is_empty() {
            ProductionExperience::Yes
        } else if !denied.is_empty() {
            ProductionExperience::No
        } else if !organisation.is_empty() {
            ProductionExperience::Unclear
        } else if !would.is_empty() || !handed_over.is_empty() {
            ProductionExperience::No
        } else {
            ProductionExperience::Unclear
        };
        ProductionFindings {
            experience,
            did,
            would,
            organisation,
            handed_over,
            denied,
        }
    }
}

impl ProductionFindings {
    /// The sentences behind the verdict: the work done for yes; for no the denials,
    /// else the work handed over and the hypothetical talk; for unclear the work the
    /// candidate's organisation did.
    pub fn basis(&self) -> Vec<Evidence> {
        match self.experience {
            ProductionExperience::Yes => self.did.clone(),
            ProductionExperience::No if !self.denied.is_empty() => self.denied.clone(),
            ProductionExperience::No => {
                let mut basis = Vec::new();
                for evidence in self.handed_over.iter().chain(&self.would) {
                    push_unique(&mut basis, evidence.clone());
                }
                basis.sort_by_key(|e| e.turn);
                basis
            }
            ProductionExperience::Unclear => self.organisation.clone(),
        }
    }
}

fn push_unique(list: &mut Vec<Evidence>, evidence: Evidence) {
    if !list.contains(&evidence) {
        list.push(evidence);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rubric::{load, DEFAULT_RUBRIC};
    use crate::transcript::{self, InputFormat, ReadOptions};

    /// An `asks` pattern that matches the empty text still counts for an answer with
    /// no question before it (the literal gate must not skip it).
    #[test]
    fn an_asks_pattern_matching_nothing_still_meets_a_missing_question() {
        let yaml = DEFAULT_RUBRIC.replacen("  asks:\n", "  asks:\n    - '(?:tell me )?'\n", 1);
        let rubric = load(&yaml).unwrap();
        let json = r#"{"turns": [
            {"speaker": "candidate", "text": "Our monitoring dashboard tracked latency and alerting for the service: p99 under 40 ms."},
            {"speaker": "interviewer", "text": "Explain the bias variance tradeoff."},
            {"speaker": "candidate", "text": "Bias is error from wrong assumptions and variance is sensitivity to the training data."}
        ]}"#;
        let parsed = transcript::parse(json, InputFormat::Json, "t", &ReadOptions::default());
        let transcript = parsed.into_iter().next().unwrap().result.unwrap();
        let prepared = Prepared::new(&transcript, &rubric);
        let findings = ProductionScorer.score(&prepared, &rubric);
        assert_eq!(findings.did.first().map(|e| e.turn), Some(0));
    }

    fn experience(answer: &str) -> ProductionExperience {
        let rubric = crate::rubric::load_default().unwrap();
        let transcript =
            crate::scorers::question_and_answer("How was your last model deployed?", answer);
        let prepared = Prepared::new(&transcript, &rubric);
        ProductionScorer.score(&prepared, &rubric).experience
    }

    /// Ownership plus something concrete is "yes"; a claim with nothing concrete
    /// behind it is not; a claim beside a hand-off is "no".
    #[test]
    fn yes_needs_ownership_and_a_concrete_fact() {
        use ProductionExperience::*;
        assert_eq!(
            experience("I owned the ranking service; we cut p99 from 280 to 70 ms after I moved scoring in-process."),
            Yes
        );
        assert_eq!(
            experience(
                "At my last company I led the team that built it, about 400 experiments a quarter."
            ),
            Yes
        );
        assert_ne!(
            experience(
                "We deployed on Kubeflow with KServe, a feature store, Prometheus and Grafana."
            ),
            Yes
        );
        assert_eq!(
            experience("I built the models and a separate team deployed them, so I know serving from reading."),
            No
        );
    }

    /// Terse and non-native accounts: a number in words is a concrete fact, and "I
    /// maintain it" is a claim of one's own.
    #[test]
    fn terse_and_non_native_accounts_are_yes() {
        use ProductionExperience::*;
        assert_eq!(
            experience(
                "FastAPI on Kubernetes, two replicas, features from Redis. I own the alerts."
            ),
            Yes
        );
        assert_eq!(
            experience("It run every night as batch job and write score to database for the call center. I build it and I maintain it since one year."),
            Yes
        );
    }

    /// A first-person past-tense story about something live counts whatever its verb;
    /// research and offline work, however concrete, do not.
    #[test]
    fn a_live_story_in_any_verb_is_yes_and_research_is_not() {
        use ProductionExperience::*;
        assert_eq!(
            experience("Profile first. We took a query encoder from 420 to 70 ms p99 that way."),
            Yes
        );
        assert_ne!(
            experience(
                "During my PhD I trained a 1.3B model on 64 A100s, research, not production."
            ),
            Yes
        );
        assert_ne!(
            experience("We measured macro-F1 by language: 0.81 for German, 0.62 for Portuguese."),
            Yes
        );
    }

    /// Managing is not doing: claims about the team's rituals do not count, and once
    /// the hands-on work is said to be someone else's only "I ..." claims do.
    #[test]
    fn a_manager_who_left_the_hands_on_work_to_others_is_not_yes() {
        use ProductionExperience::*;
        assert_ne!(
            experience("I set the roadmap and I ran the standups and the hiring for two years."),
            Yes
        );
        assert_eq!(
            experience("We shipped it to 2 million users with a p99 of 40 ms. The hands-on side, the pipelines and the serving, was my engineers."),
            No
        );
        assert_eq!(
            experience("The hands-on side was mostly my engineers, but I wrote the drift alerts myself and was on call when p99 spiked to 900 ms."),
            Yes
        );
        assert_eq!(
            experience(
                "That part's the platform team. I hand over the notebook and they deploy it."
            ),
            No
        );
    }

    /// A leader's organisation shipping leaves their own experience open, even when
    /// the hands-on part was their engineers'; saying they have done none says no.
    #[test]
    fn a_denial_says_no_and_a_leaders_hands_off_work_stays_unclear() {
        use ProductionExperience::*;
        let shipped = "I run a group of forty people across three teams, and we shipped the ranking service to 2 million users at 40 ms p99.";
        assert_eq!(
            experience(&format!("{shipped} The hands-on side was my engineers.")),
            Unclear
        );
        assert_eq!(
            experience(&format!(
                "{shipped} I haven't written production code in years."
            )),
            No
        );
        assert_eq!(
            experience("Honestly I haven't deployed a model myself; we shipped the churn scores weekly to 3 million users."),
            No
        );
    }
}
