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
pub mod calibrate;
pub mod cli;
pub mod diff;
pub mod evaluation;
pub mod exit;
pub mod fit;
pub mod input;
pub mod interrupt;
pub mod labeled;
pub mod report;
pub mod reporter;
pub mod results;
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
        Command::Report(args) => report_command(&args),
        Command::Diff(args) => diff_command(&args),
        Command::Calibrate(args) => calibrate_command(&args),
        Command::Rubric(command) => rubric_command(&command),
        Command::Eval(args) => eval(&args),
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

fn grade(args: &cli::GradeArgs) -> Result<u8> {
    interrupt::install();
    let options = args.to_options();
    let rubric = load_rubric(args.input.rubric.as_deref())?;
    let baseline = match &args.baseline {
        Some(path) => Some(results::read(path).map_err(|e| anyhow::anyhow!("{e:#}"))?),
        None => None,
    };
    warn_rubric(&rubric, options.quiet);
    if let Some(output) = &options.output {
        check_output_is_not_an_input(output, &options.paths, options.quiet)?;
    }
    let sink = match &options.output {
        Some(path) => Sink::file(path)?,
        None => Sink::stdout(),
    };
    let formatter = options.format.formatter();
    // With a baseline, keep what the diff needs of each evaluation (a few fields).
    let mut graded: Vec<results::Summary> = Vec::new();
    let mut keep = |e: &evaluation::Evaluation| {
        if baseline.is_some() {
            if let Ok(value) = serde_json::to_value(e) {
                if let Ok(summary) = results::summarize(&value) {
                    graded.push(summary);
                }
            }
        }
    };
    let outcome = batch::run(&options, &rubric, formatter, &mut keep, sink)?;
    if let Some(base) = baseline {
        let report = diff::compare(&base, &graded, args.tolerance);
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

fn render_diff(report: &diff::DiffReport, format: cli::DiffFormat) -> Result<String> {
    Ok(match format {
        cli::DiffFormat::Text => diff::render(report, false),
        cli::DiffFormat::Md => diff::render(report, true),
        cli::DiffFormat::Json => serde_json::to_string_pretty(report)? + "\n",
    })
}

fn write_stdout(text: &str) -> Result<()> {
    let mut sink = Sink::stdout();
    sink.write(text.as_bytes())?;
    sink.finish()
}

fn warn_rubric(rubric: &CompiledRubric, quiet: bool) {
    let reporter = Reporter::new(quiet, 0);
    for warning in &rubric.warnings {
        reporter.warning(&format!("rubric: {warning}"));
    }
}

fn report_command(args: &cli::ReportArgs) -> Result<u8> {
    let document = match results::read_document(&args.results) {
        Ok(document) => document,
        Err(e) => {
            Reporter::new(false, 0).error(&format!("{e:#}"));
            return Ok(exit::FATAL);
        }
    };
    let mut sink = match &args.output {
        Some(path) => Sink::file(path)?,
        None => Sink::stdout(),
    };
    sink.write(report::html::render(&document).as_bytes())?;
    sink.finish()?;
    Ok(exit::SUCCESS)
}

fn diff_command(args: &cli::DiffArgs) -> Result<u8> {
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

fn calibrate_command(args: &cli::CalibrateArgs) -> Result<u8> {
    let loaded = results::read(&args.results)
        .and_then(|r| calibrate::read_labels(&args.labels).map(|l| (r, l)));
    let (results, labels) = match loaded {
        Ok(pair) => pair,
        Err(e) => {
            Reporter::new(false, 0).error(&format!("{e:#}"));
            return Ok(exit::FATAL);
        }
    };
    let report = calibrate::calibrate(&results, &labels);
    let text = match args.format {
        cli::DiffFormat::Text => calibrate::render(&report, false),
        cli::DiffFormat::Md => calibrate::render(&report, true),
        cli::DiffFormat::Json => serde_json::to_string_pretty(&report)? + "\n",
    };
    write_stdout(&text)?;
    if let Some(min) = args.min_kappa {
        let kappa = report.overall.recommendation.quadratic_weighted_kappa;
        if kappa.is_none_or(|k| k < min) {
            Reporter::new(false, 0).error(&format!(
                "recommendation kappa {} is below {min}",
                kappa.map_or("undefined".to_string(), |k| format!("{k:.3}"))
            ));
            return Ok(exit::GATE_FAILED);
        }
    }
    Ok(exit::SUCCESS)
}

fn rubric_command(command: &cli::RubricCommand) -> Result<u8> {
    match command {
        cli::RubricCommand::Fit(args) => fit_command(args),
        cli::RubricCommand::Print => {
            write_stdout(rubric::DEFAULT_RUBRIC)?;
            Ok(exit::SUCCESS)
        }
        cli::RubricCommand::Check { file } => {
            let (name, text) = match file {
                Some(path) => (
                    path.display().to_string(),
                    input::read_text(path).context("cannot read the rubric")?,
                ),
                None => (
                    "(embedded rubric)".to_string(),
                    rubric::DEFAULT_RUBRIC.to_string(),
                ),
            };
            let diagnostics = rubric::check(&text);
            let mut out = String::new();
            for d in &diagnostics {
                out.push_str(&format!("{name}: {d}\n"));
            }
            let errors = diagnostics.iter().filter(|d| d.error).count();
            out.push_str(&format!(
                "{name}: {errors} errors, {} warnings\n",
                diagnostics.len() - errors
            ));
            write_stdout(&out)?;
            Ok(if errors > 0 {
                exit::FATAL
            } else {
                exit::SUCCESS
            })
        }
    }
}

fn fit_command(args: &cli::FitArgs) -> Result<u8> {
    let rubric = load_rubric(args.rubric.as_deref())?;
    let text = match &args.rubric {
        Some(path) => input::read_text(path).context("cannot read the rubric")?,
        None => rubric::DEFAULT_RUBRIC.to_string(),
    };
    let open = fit::without_thresholds(&rubric);
    let mut cases = Vec::new();
    for set in &args.sets {
        cases.push(batch::grade_labeled(
            std::slice::from_ref(set),
            &open,
            None,
            args.jobs.map(usize::from),
        )?);
    }
    let points = fit::points(&cases);
    let names = args.sets.iter().map(|p| p.display().to_string()).collect();
    let report = fit::report(names, &points, &rubric);
    if let Some(path) = &args.output {
        let mut sink = Sink::file(path)?;
        sink.write(fit::write_thresholds(&text, &report.fitted).as_bytes())?;
        sink.finish()?;
    }
    let out = match args.format {
        cli::ReportFormat::Text => fit::render(&report),
        cli::ReportFormat::Json => serde_json::to_string_pretty(&report)? + "\n",
    };
    write_stdout(&out)?;
    Ok(exit::SUCCESS)
}

fn audit(args: &cli::AuditArgs) -> Result<u8> {
    interrupt::install();
    use report::audit::{BreachFormatter, InterviewerFormatter, InterviewerStats};
    let options = args
        .input
        .to_options(report::OutputFormat::Csv, args.output.clone(), None);
    let rubric = load_rubric(args.input.rubric.as_deref())?;
    if let Some(output) = &options.output {
        check_output_is_not_an_input(output, &options.paths, options.quiet)?;
    }
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

/// Refuses an `-o` that is one of the inputs (it would replace a transcript with
/// results); warns when it lies inside a graded folder (a later run reads it back).
fn check_output_is_not_an_input(
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

/// Loads the rubric at `path`, or the embedded default.
pub fn load_rubric(path: Option<&Path>) -> Result<CompiledRubric> {
    match path {
        None => rubric::load_default()
            .map_err(|e| anyhow::anyhow!("the embedded rubric is invalid:\n{e}")),
        Some(path) => {
            let text = input::read_text(path).context("cannot read the rubric")?;
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
