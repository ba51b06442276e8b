//! The subcommands: one file each, every one a function from its parsed arguments
//! to an exit code. What several share (loading the rubric, writing to stdout,
//! refusing an output that is an input) lives here.

mod audit;
mod calibrate;
mod completions;
mod diff;
mod eval;
mod grade;
mod guard;
mod impact;
mod report;
mod rubric;
mod schema;

use std::path::Path;

use anyhow::{Context, Result};

use crate::cli::{self, Cli, Command};
use crate::reporter::Reporter;
use crate::rubric::CompiledRubric;
use crate::sink::Sink;
use crate::{exit, input, interrupt, sink};

/// Runs a parsed command line; returns the process exit code.
pub fn run(cli: Cli) -> u8 {
    input::set_max_input_bytes(cli.max_input_size);
    let result = match cli.command {
        Command::Grade(args) => grade::run(&args),
        Command::Audit(args) => audit::run(&args),
        Command::Report(args) => match &args.groups {
            Some(groups) => impact::report(&args, groups),
            None => report::run(&args),
        },
        Command::Diff(args) => diff::run(&args),
        Command::Calibrate(args) => calibrate::run(&args),
        Command::Rubric(command) => rubric::run(&command),
        Command::Eval(args) => eval::run(&args),
        Command::Impact(args) => impact::run(&args),
        Command::Guard(args) => guard::run(&args),
        Command::Completions { shell } => completions::completions(shell),
        Command::Man => completions::man(),
        Command::Schema => schema::run(),
    };
    match result {
        Ok(code) => code,
        Err(error) if sink::is_broken_pipe(&error) => exit::SUCCESS,
        Err(error) if error.downcast_ref::<interrupt::Interrupted>().is_some() => {
            Reporter::new(false, 0).error(&error.to_string());
            exit::INTERRUPTED
        }
        Err(error) => {
            let reporter = Reporter::new(false, 0);
            for line in format!("{error:#}").lines() {
                reporter.error(line);
            }
            exit::FATAL
        }
    }
}

pub(crate) fn render_diff(
    report: &crate::diff::DiffReport,
    format: cli::DiffFormat,
) -> Result<String> {
    Ok(match format {
        cli::DiffFormat::Text => crate::diff::render(report, false),
        cli::DiffFormat::Md => crate::diff::render(report, true),
        cli::DiffFormat::Json => serde_json::to_string_pretty(report)? + "\n",
        cli::DiffFormat::Junit => crate::diff::render_junit(report),
        cli::DiffFormat::Github => crate::diff::render_github(report),
    })
}

pub(crate) fn write_stdout(text: &str) -> Result<()> {
    let mut sink = Sink::stdout();
    sink.write(text.as_bytes())?;
    sink.finish()
}

pub(crate) fn warn_rubric(rubric: &CompiledRubric, quiet: bool) {
    let reporter = Reporter::new(quiet, 0);
    for warning in &rubric.warnings {
        reporter.warning(&format!("rubric: {warning}"));
    }
}

/// Where a batch writes: `-o` (refused when it is one of the inputs), else stdout.
pub(crate) fn open_output(options: &crate::batch::GradeOptions) -> Result<Sink> {
    if let Some(output) = &options.output {
        check_output_is_not_an_input(output, &options.paths, options.quiet)?;
    }
    match &options.output {
        Some(path) => Sink::file(path),
        None => Ok(Sink::stdout()),
    }
}

/// Refuses an `-o` that is one of the inputs (it would replace a transcript with
/// results); warns when it lies inside a graded folder (a later run reads it back).
pub(crate) fn check_output_is_not_an_input(
    output: &Path,
    inputs: &[std::path::PathBuf],
    quiet: bool,
) -> Result<()> {
    let Ok(out) = std::fs::canonicalize(output).or_else(|_| {
        // Not written yet: its folder, joined with its name.
        let parent = output.parent().filter(|p| !p.as_os_str().is_empty());
        std::fs::canonicalize(parent.unwrap_or(Path::new(".")))
            .map(|dir| dir.join(output.file_name().unwrap_or_default()))
    }) else {
        return Ok(());
    };
    for input in inputs {
        let Ok(input) = std::fs::canonicalize(input) else {
            continue;
        };
        if input == out {
            anyhow::bail!(
                "-o {} is one of the inputs: it would replace a transcript with results",
                output.display()
            );
        }
        if input.is_dir() && out.starts_with(&input) && !quiet {
            Reporter::new(false, 0).warning(&format!(
                "-o {} lies inside the graded folder {}: a later run will read it as a transcript",
                output.display(),
                input.display()
            ));
        }
    }
    Ok(())
}

/// The file a user may expect debrief to read: a `rubric.yaml` in the current
/// directory that differs from the embedded rubric is not used without `--rubric`,
/// and the user is told so (it is the same file in this repository's root).
const LOCAL_RUBRIC: &str = "rubric.yaml";

fn unused_local_rubric() -> Option<String> {
    let path = Path::new(LOCAL_RUBRIC);
    if !path.is_file() {
        return None;
    }
    let same = input::read_text(path).is_ok_and(|text| text == crate::rubric::DEFAULT_RUBRIC);
    (!same).then(|| {
        format!(
            "{LOCAL_RUBRIC} in the current directory is not used: without --rubric, debrief \
             uses the rubric compiled into it (--rubric {LOCAL_RUBRIC} uses that file)"
        )
    })
}

/// Loads the rubric at `path`, or the embedded default (with a warning when a
/// different `rubric.yaml` sits in the current directory).
pub fn load_rubric(path: Option<&Path>) -> Result<CompiledRubric> {
    match path {
        None => {
            let mut rubric = crate::rubric::load_default()
                .map_err(|e| anyhow::anyhow!("the embedded rubric is invalid:\n{e}"))?;
            rubric.warnings.extend(unused_local_rubric());
            Ok(rubric)
        }
        Some(path) => {
            let text = input::read_text(path).context("cannot read the rubric")?;
            crate::rubric::load(&text).map_err(|e| {
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
