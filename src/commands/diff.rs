//! `debrief diff`: compare two results files; exits 1 when anything moved.

use anyhow::Result;

use super::{render_diff, write_stdout};
use crate::reporter::Reporter;
use crate::{cli, diff, exit, results};

pub(crate) fn run(args: &cli::DiffArgs) -> Result<u8> {
    let (base, new) = match (results::read(&args.base), results::read(&args.new)) {
        (Ok(base), Ok(new)) => (base, new),
        (Err(e), _) | (_, Err(e)) => {
            Reporter::new(false, 0).error(&format!("{e:#}"));
            return Ok(exit::FATAL);
        }
    };
    let report = diff::compare(&base, &new, args.tolerance);
    write_stdout(&render_diff(&report, args.format)?)?;
    Ok(if report.moved() {
        exit::GATE_FAILED
    } else {
        exit::SUCCESS
    })
}
