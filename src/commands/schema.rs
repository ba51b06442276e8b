//! `debrief schema`: the JSON Schema of `grade`'s JSON output, generated from the
//! output types (see [`crate::report::json_schema`]); `make schema` writes it to
//! `docs/schema/evaluation.json`.

use anyhow::Result;

use super::write_stdout;
use crate::{exit, report};

pub(crate) fn run() -> Result<u8> {
    write_stdout(&report::json_schema())?;
    Ok(exit::SUCCESS)
}
