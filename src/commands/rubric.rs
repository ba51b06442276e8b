//! `debrief rubric check|print|fit`: validate, print or fit the rubric.

use anyhow::{Context, Result};

use super::{load_rubric, write_stdout};
use crate::sink::Sink;
use crate::{batch, cli, exit, fit, input, rubric};

pub(crate) fn run(command: &cli::RubricCommand) -> Result<u8> {
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
