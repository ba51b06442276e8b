//! `debrief diff`: compare two results files; exits 1 when anything moved. The
//! rubrics behind the runs are compared too: their sha256 from the results files,
//! and, with `--rubrics`, the keys that changed.

use anyhow::Result;

use super::{render_diff, write_stdout};
use crate::reporter::Reporter;
use crate::{cli, diff, exit, input, results};

pub(crate) fn run(args: &cli::DiffArgs) -> Result<u8> {
    let loaded = (|| -> Result<_> {
        let base = results::read(&args.base)?;
        let new = results::read(&args.new)?;
        let mut rubrics = diff::RubricChange {
            base_sha256: base.rubric_sha256(),
            new_sha256: new.rubric_sha256(),
            changed_keys: Vec::new(),
        };
        if let Some([before, after]) = args.rubrics.as_deref() {
            rubrics.changed_keys =
                diff::rubric_keys_changed(&input::read_text(before)?, &input::read_text(after)?);
        }
        Ok((base, new, rubrics))
    })();
    let (base, new, rubrics) = match loaded {
        Ok(loaded) => loaded,
        Err(e) => {
            Reporter::new(false, 0).error(&format!("{e:#}"));
            return Ok(exit::FATAL);
        }
    };
    let mut report = diff::compare(&base.summaries(), &new.summaries(), args.tolerance);
    report.rubrics = Some(rubrics);
    write_stdout(&render_diff(&report, args.format)?)?;
    Ok(if report.moved() {
        exit::GATE_FAILED
    } else {
        exit::SUCCESS
    })
}
