//! debrief grades finished machine-learning technical interviews in bulk.
//!
//! Data flows one way: [`batch`] finds input files and reads them with the
//! [`transcript`] readers; the [`scorers`] find evidence using the compiled
//! [`rubric`]; [`evaluation`] turns findings into scores and a recommendation;
//! [`report`] formats the results and [`sink`] writes them. [`run`] is the entry
//! point the binary calls.
#![warn(clippy::print_stdout, clippy::print_stderr, missing_docs)]

pub mod agreement;
pub mod batch;
pub mod cli;
pub mod evaluation;
pub mod exit;
pub mod labeled;
pub mod report;
pub mod reporter;
pub mod rubric;
pub mod scorers;
pub mod sink;
pub mod text;
pub mod transcript;

use std::path::Path;

use anyhow::{Context, Result};

use crate::cli::{Cli, Command};
use crate::reporter::Reporter;
use crate::rubric::CompiledRubric;
use crate::sink::Sink;

/// Runs a parsed command line; returns the process exit code.
pub fn run(cli: Cli) -> u8 {
    let result = match cli.command {
        Command::Grade(args) => grade(&args),
        Command::Audit(args) => audit(&args),
        Command::Eval(args) => eval(&args),
    };
    match result {
        Ok(code) => code,
        Err(error) if sink::is_broken_pipe(&error) => exit::SUCCESS,
        Err(error) => {
            let reporter = Reporter::new(false, 0);
            for line in format!("{error:#}").lines() {
                reporter.error(line);
            }
            exit::FATAL
        }
    }
}

fn grade(args: &cli::GradeArgs) -> Result<u8> {
    let options = args.to_options();
    let rubric = load_rubric(args.input.rubric.as_deref())?;
    let sink = match &options.output {
        Some(path) => Sink::file(path)?,
        None => Sink::stdout(),
    };
    let formatter = options.format.formatter();
    let outcome = batch::run(&options, &rubric, formatter, &mut |_| {}, sink)?;
    Ok(if outcome.failed > 0 {
        exit::SOME_INPUTS_FAILED
    } else {
        exit::SUCCESS
    })
}

fn audit(args: &cli::AuditArgs) -> Result<u8> {
    use report::audit::{BreachFormatter, InterviewerFormatter, InterviewerStats};
    let options = args
        .input
        .to_options(report::OutputFormat::Csv, args.output.clone(), None);
    let rubric = load_rubric(args.input.rubric.as_deref())?;
    let sink = match &options.output {
        Some(path) => Sink::file(path)?,
        None => Sink::stdout(),
    };
    let format = args.audit_format();
    let formatter: Box<dyn report::Formatter> = match args.by {
        Some(cli::AuditBy::Interviewer) => Box::new(InterviewerFormatter::new(
            format,
            rubric
                .rubric
                .compliance
                .rules
                .iter()
                .map(|r| r.id.clone())
                .collect(),
        )),
        None => Box::new(BreachFormatter::new(format)),
    };
    let mut stats = InterviewerStats::default();
    let outcome = batch::run(&options, &rubric, formatter, &mut |e| stats.add(e), sink)?;
    if let Some(threshold) = args.fail_under {
        let below: Vec<String> = stats
            .rows()
            .into_iter()
            .filter(|row| row.compliance < threshold)
            .map(|row| format!("{} {:.2}%", row.interviewer, row.compliance))
            .collect();
        if !below.is_empty() {
            reporter::Reporter::new(false, 0).error(&format!(
                "compliance below {threshold}%: {}",
                below.join(", ")
            ));
            return Ok(exit::GATE_FAILED);
        }
    }
    Ok(if outcome.failed > 0 {
        exit::SOME_INPUTS_FAILED
    } else {
        exit::SUCCESS
    })
}

fn eval(args: &cli::EvalArgs) -> Result<u8> {
    let rubric = load_rubric(args.rubric.as_deref())?;
    let cases = batch::grade_labeled(
        &args.paths,
        &rubric,
        args.level.map(|l| l.name()),
        args.jobs.map(usize::from),
    )?;
    let report = labeled::measure(&cases);
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
    Ok(exit::SUCCESS)
}

/// Loads the rubric at `path`, or the embedded default.
pub fn load_rubric(path: Option<&Path>) -> Result<CompiledRubric> {
    match path {
        None => rubric::load(rubric::DEFAULT_RUBRIC)
            .map_err(|e| anyhow::anyhow!("the embedded rubric is invalid:\n{e}")),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read rubric {}", path.display()))?;
            rubric::load(&text).map_err(|e| {
                let lines: Vec<String> = e
                    .problems
                    .iter()
                    .map(|p| format!("{}: {p}", path.display()))
                    .collect();
                anyhow::anyhow!("invalid rubric\n{}", lines.join("\n"))
            })
        }
    }
}
