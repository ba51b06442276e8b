//! The closed sets of the guide, each written once: the six scored dimensions, the
//! five recommendations, the three answer bands and the kinds of question.
//!
//! Everything else (the rubric's typed maps, the scorers, the evaluation, every
//! report and reader of debrief's own output) names these enums rather than
//! spelling their members as strings, so adding or renaming one is a change to
//! this file that the compiler then walks through the rest. Serde renames keep the
//! spelling of `rubric.yaml` and of the JSON output.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One of the guide's six scored dimensions (Final Evaluation Structure).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// ML Fundamentals.
    MlFundamentals,
    /// Feature Engineering.
    FeatureEngineering,
    /// Model Selection.
    ModelSelection,
    /// Production Readiness.
    ProductionReadiness,
    /// Math Foundation.
    MathFoundation,
    /// Communication.
    Communication,
}

impl Dimension {
    /// The six dimensions in output order (the guide's order).
    pub const ALL: [Dimension; 6] = [
        Dimension::MlFundamentals,
        Dimension::FeatureEngineering,
        Dimension::ModelSelection,
        Dimension::ProductionReadiness,
        Dimension::MathFoundation,
        Dimension::Communication,
    ];

    /// The keys of [`Dimension::ALL`], in that order.
    pub const KEYS: [&'static str; 6] = {
        let mut keys = [""; 6];
        let mut i = 0;
        while i < keys.len() {
            keys[i] = Dimension::ALL[i].key();
            i += 1;
        }
        keys
    };

    /// The key in `rubric.yaml` and the output (`ml_fundamentals`, ...).
    pub const fn key(self) -> &'static str {
        match self {
            Dimension::MlFundamentals => "ml_fundamentals",
            Dimension::FeatureEngineering => "feature_engineering",
            Dimension::ModelSelection => "model_selection",
            Dimension::ProductionReadiness => "production_readiness",
            Dimension::MathFoundation => "math_foundation",
            Dimension::Communication => "communication",
        }
    }

    /// The name a person reads ("ML fundamentals").
    pub const fn label(self) -> &'static str {
        match self {
            Dimension::MlFundamentals => "ML fundamentals",
            Dimension::FeatureEngineering => "Feature engineering",
            Dimension::ModelSelection => "Model selection",
            Dimension::ProductionReadiness => "Production readiness",
            Dimension::MathFoundation => "Math foundation",
            Dimension::Communication => "Communication",
        }
    }

    /// A short column heading ("ML", "Feat.").
    pub const fn short(self) -> &'static str {
        match self {
            Dimension::MlFundamentals => "ML",
            Dimension::FeatureEngineering => "Feat.",
            Dimension::ModelSelection => "Model",
            Dimension::ProductionReadiness => "Prod.",
            Dimension::MathFoundation => "Math",
            Dimension::Communication => "Comm.",
        }
    }

    /// Position in [`Dimension::ALL`].
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The dimension a key names, if any.
    pub fn from_key(key: &str) -> Option<Dimension> {
        Dimension::ALL.into_iter().find(|d| d.key() == key)
    }
}

impl fmt::Display for Dimension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// The guide's five recommendations, ordered from worst to best.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub enum Recommendation {
    /// Strong No.
    #[serde(rename = "Strong No")]
    StrongNo,
    /// No.
    No,
    /// Neutral.
    Neutral,
    /// Yes.
    Yes,
    /// Strong Yes.
    #[serde(rename = "Strong Yes")]
    StrongYes,
}

impl Recommendation {
    /// All five, worst first.
    pub const ALL: [Recommendation; 5] = [
        Recommendation::StrongNo,
        Recommendation::No,
        Recommendation::Neutral,
        Recommendation::Yes,
        Recommendation::StrongYes,
    ];

    /// The labels of [`Recommendation::ALL`], worst first.
    pub const LABELS: [&'static str; 5] = {
        let mut labels = [""; 5];
        let mut i = 0;
        while i < labels.len() {
            labels[i] = Recommendation::ALL[i].label();
            i += 1;
        }
        labels
    };

    /// The label as written in the guide.
    pub const fn label(self) -> &'static str {
        match self {
            Recommendation::StrongNo => "Strong No",
            Recommendation::No => "No",
            Recommendation::Neutral => "Neutral",
            Recommendation::Yes => "Yes",
            Recommendation::StrongYes => "Strong Yes",
        }
    }

    /// 0 (Strong No) to 4 (Strong Yes).
    pub const fn rank(self) -> usize {
        self as usize
    }

    /// The recommendation of a rank, clamped to 0-4.
    pub fn from_rank(rank: usize) -> Recommendation {
        Recommendation::ALL[rank.min(Recommendation::ALL.len() - 1)]
    }

    /// The recommendation a label names, if any.
    pub fn from_label(label: &str) -> Option<Recommendation> {
        Recommendation::ALL.into_iter().find(|r| r.label() == label)
    }
}

impl fmt::Display for Recommendation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The guide's answer bands: >80% correct and well-justified, 60-80% correct but
/// incomplete, <60% incorrect.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Band {
    /// Above the rubric's `high` quality.
    High,
    /// From `incomplete` up to `high`.
    Incomplete,
    /// Below `incomplete`.
    Incorrect,
}

impl Band {
    /// The output spelling.
    pub const fn key(self) -> &'static str {
        match self {
            Band::High => "high",
            Band::Incomplete => "incomplete",
            Band::Incorrect => "incorrect",
        }
    }
}

impl fmt::Display for Band {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// An interviewer's verdict on an answer, as a response template gives it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// "Correct."
    Correct,
    /// "Correct but incomplete."
    Incomplete,
    /// "Incorrect." (and "Moving on.")
    Incorrect,
}

impl Verdict {
    /// The output spelling.
    pub const fn key(self) -> &'static str {
        match self {
            Verdict::Correct => "correct",
            Verdict::Incomplete => "incomplete",
            Verdict::Incorrect => "incorrect",
        }
    }

    /// The band an answer given this verdict belongs in.
    pub fn band(self) -> Band {
        match self {
            Verdict::Correct => Band::High,
            Verdict::Incomplete => Band::Incomplete,
            Verdict::Incorrect => Band::Incorrect,
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// What kind of question opens an exchange, as the output names it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum QuestionKind {
    /// One of the guide's bank questions.
    Bank,
    /// "Explain the mathematical foundation of ...".
    Math,
    /// Any other question.
    Other,
}

impl QuestionKind {
    /// The output spelling.
    pub const fn key(self) -> &'static str {
        match self {
            QuestionKind::Bank => "bank",
            QuestionKind::Math => "math",
            QuestionKind::Other => "other",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_through_serde() {
        for d in Dimension::ALL {
            let json = serde_json::to_string(&d).unwrap();
            assert_eq!(json, format!("\"{}\"", d.key()));
            assert_eq!(Dimension::from_key(d.key()), Some(d));
            assert_eq!(Dimension::ALL[d.index()], d);
        }
        for r in Recommendation::ALL {
            let json = serde_json::to_string(&r).unwrap();
            assert_eq!(json, format!("\"{}\"", r.label()));
            assert_eq!(Recommendation::from_rank(r.rank()), r);
            assert_eq!(Recommendation::from_label(r.label()), Some(r));
        }
        for b in [Band::High, Band::Incomplete, Band::Incorrect] {
            assert_eq!(serde_json::to_string(&b).unwrap(), format!("\"{b}\""));
        }
    }

    #[test]
    fn an_unknown_dimension_is_rejected_by_serde() {
        let err = serde_json::from_str::<Dimension>("\"maths\"").unwrap_err();
        assert!(err.to_string().contains("unknown variant"), "{err}");
    }
}
