//! `debrief report`: render a results file as the self-contained HTML report.

use anyhow::Result;

use crate::reporter::Reporter;
use crate::sink::Sink;
use crate::{cli, exit, report, results};

pub(crate) fn run(args: &cli::ReportArgs) -> Result<u8> {
    let results = match results::read(&args.results) {
        Ok(results) => results,
        Err(e) => {
            Reporter::new(false, 0).error(&format!("{e:#}"));
            return Ok(exit::FATAL);
        }
    };
    let mut sink = match &args.output {
        Some(path) => Sink::file(path)?,
        None => Sink::stdout(),
    };
    sink.write(report::html::render(&results).as_bytes())?;
    sink.finish()?;
    Ok(exit::SUCCESS)
}
