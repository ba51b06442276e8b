//! `debrief grade`: grade transcripts, write evaluations, and compare with a baseline.

use anyhow::Result;

use super::{load_rubric, open_output, render_diff, warn_rubric};
use crate::{batch, cli, diff, evaluation, exit, interrupt, report, results};

pub(crate) fn run(args: &cli::GradeArgs) -> Result<u8> {
    interrupt::install();
    let options = args.to_options();
    if args.with_transcript
        && matches!(
            options.format,
            report::OutputFormat::Csv | report::OutputFormat::Table
        )
    {
        anyhow::bail!(
            "--with-transcript: CSV and the table have no place for the turns; \
             use --format json, jsonl or html"
        );
    }
    let rubric = load_rubric(args.input.rubric.as_deref())?;
    let baseline = match &args.baseline {
        Some(path) => Some(results::read(path).map_err(|e| anyhow::anyhow!("{e:#}"))?),
        None => None,
    };
    warn_rubric(&rubric, options.quiet);
    let sink = open_output(&options)?;
    let formatter = options.format.formatter();
    // With a baseline, keep what the diff needs of each evaluation (a few fields).
    let mut graded: Vec<results::Summary> = Vec::new();
    let mut keep = |e: &evaluation::Evaluation| {
        if baseline.is_some() {
            graded.push(results::Summary::of(e));
        }
    };
    let outcome = batch::run(&options, &rubric, formatter, &mut keep, sink)?;
    if let Some(base) = baseline {
        let mut report = diff::compare(&base.summaries(), &graded, args.tolerance);
        report.rubrics = Some(diff::RubricChange {
            base_sha256: base.rubric_sha256(),
            new_sha256: Some(crate::report::Provenance::new(&rubric).rubric.sha256),
            changed_keys: Vec::new(),
        });
        let text = render_diff(&report, args.diff_format)?;
        let mut stderr = std::io::stderr().lock();
        std::io::Write::write_all(&mut stderr, text.as_bytes())?;
        if report.moved() {
            return Ok(exit::GATE_FAILED);
        }
    }
    Ok(if outcome.failed > 0 {
        exit::SOME_INPUTS_FAILED
    } else {
        exit::SUCCESS
    })
}
