//! `debrief eval`: measure debrief against labeled transcripts.

use anyhow::Result;

use super::{load_rubric, warn_rubric};
use crate::sink::Sink;
use crate::{batch, cli, exit, labeled};

pub(crate) fn run(args: &cli::EvalArgs) -> Result<u8> {
    let rubric = load_rubric(args.rubric.as_deref())?;
    warn_rubric(&rubric, false);
    let cases = batch::grade_labeled(
        &args.paths,
        &rubric,
        args.level.map(|l| l.name()),
        args.jobs.map(usize::from),
    )?;
    let report = labeled::measure(&cases);
    // Like grade: a transcript that could not be graded, or labels that could not be
    // read, make the measure partial, which a gate must see.
    let code = if report.failures.is_empty() {
        exit::SUCCESS
    } else {
        exit::SOME_INPUTS_FAILED
    };
    let text = match args.format {
        cli::ReportFormat::Text => labeled::render_text(&report),
        cli::ReportFormat::Json => {
            let mut json = serde_json::to_string_pretty(&report)?;
            json.push('\n');
            json
        }
    };
    let mut sink = Sink::stdout();
    sink.write(text.as_bytes())?;
    sink.finish()?;
    Ok(code)
}
