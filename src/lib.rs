//! debrief grades finished machine-learning technical interviews in bulk.
//!
//! Data flows one way: [`batch`] finds input files and reads them with the
//! [`transcript`] readers; the [`scorers`] find evidence using the compiled
//! [`rubric`]; [`evaluation`] turns findings into scores and a recommendation;
//! [`report`] formats the results and [`sink`] writes them. [`run`] is the entry
//! point the binary calls.
#![warn(clippy::print_stdout, clippy::print_stderr, missing_docs)]

pub mod batch;
pub mod cli;
pub mod evaluation;
pub mod exit;
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
    };
    match result {
        Ok(code) => code,
        Err(error) if sink::is_broken_pipe(&error) => exit::SUCCESS,
        Err(error) => {
            Reporter::new(false, 0).error(&format!("{error:#}"));
            exit::FATAL
        }
    }
}

fn grade(args: &cli::GradeArgs) -> Result<u8> {
    let options = args.to_options();
    let rubric = load_rubric(args.rubric.as_deref())?;
    let sink = match &options.output {
        Some(path) => Sink::file(path)?,
        None => Sink::stdout(),
    };
    let outcome = batch::run(&options, &rubric, sink)?;
    Ok(if outcome.failed > 0 {
        exit::SOME_INPUTS_FAILED
    } else {
        exit::SUCCESS
    })
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
