//! Provenance: which debrief and which rubric made a results file, recorded in
//! every JSON document `grade` writes so a decision can be reproduced, and read back
//! by everything that reads results. Its own module so the writers ([`crate::report`])
//! and the readers ([`crate::results`], [`crate::impact`]) share it without
//! depending on each other.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Who made the output and with which rubric: recorded so a decision can be
/// reproduced later.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Provenance {
    /// debrief's own version.
    pub debrief: ToolInfo,
    /// The rubric used.
    pub rubric: RubricInfo,
}

/// `{"version"}` of debrief.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ToolInfo {
    /// Cargo package version.
    pub version: String,
}

/// `{"name", "version", "sha256"}` of the rubric.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RubricInfo {
    /// The rubric's name.
    pub name: String,
    /// The rubric's version.
    pub version: String,
    /// sha256 of the rubric's YAML text.
    pub sha256: String,
}

impl Provenance {
    /// Provenance for this build of debrief and `rubric`.
    pub fn new(rubric: &crate::rubric::CompiledRubric) -> Provenance {
        Provenance {
            debrief: ToolInfo {
                version: env!("CARGO_PKG_VERSION").to_string(),
            },
            rubric: RubricInfo {
                name: rubric.rubric.name.clone(),
                version: rubric.rubric.version.clone(),
                sha256: rubric.sha256.clone(),
            },
        }
    }
}
