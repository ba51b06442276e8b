//! `debrief impact`: adverse impact by group, from a results file and the team's
//! groups CSV, with a `--fail-under` gate; and `debrief report --groups`, the HTML
//! report with its adverse-impact section.

use std::io::Read as _;
use std::path::Path;

use anyhow::{bail, Context, Result};
use sha2::{Digest, Sha256};

use crate::impact::{self, Groups, ImpactReport};
use crate::reporter::Reporter;
use crate::results::ResultsFile;
use crate::sink::Sink;
use crate::{cli, exit, results};

pub(crate) fn run(args: &cli::ImpactArgs) -> Result<u8> {
    refuse_output_over_input(args.output.as_deref(), &[&args.results, &args.groups])?;
    let options = args.impact.to_options(args.fail_under);
    let (_, report) = analyse(&args.results, &args.groups, &options)?;
    write(
        args.output.as_deref(),
        &impact::render(&report, args.impact_format()),
    )?;
    if let Some(threshold) = args.fail_under {
        if !report.findings.is_empty() {
            let below: Vec<String> = report.findings.iter().map(|f| f.describe()).collect();
            Reporter::new(false, 0).error(&format!(
                "impact ratio below {threshold} with enough candidates: {}",
                below.join("; ")
            ));
            return Ok(exit::GATE_FAILED);
        }
    }
    Ok(exit::SUCCESS)
}

/// `debrief report RESULTS --groups GROUPS.csv`: the page with its impact section.
pub(crate) fn report(args: &cli::ReportArgs, groups: &Path) -> Result<u8> {
    refuse_output_over_input(args.output.as_deref(), &[&args.results, groups])?;
    let options = args.impact.to_options(None);
    let (results, report) = analyse(&args.results, groups, &options)?;
    write(
        args.output.as_deref(),
        &crate::report::html::render_with_impact(&results, Some(&report)),
    )?;
    Ok(exit::SUCCESS)
}

/// Reads both inputs and computes the report; every error names its file.
fn analyse(
    results_path: &Path,
    groups_path: &Path,
    options: &impact::Options,
) -> Result<(ResultsFile, ImpactReport)> {
    let file = results::read(results_path)?;
    let sha256 = file_sha256(results_path)?;
    let groups = Groups::read(groups_path)?;
    let results = impact::Results {
        path: results_path,
        sha256: &sha256,
        file: &file,
    };
    let report = impact::analyse(results, &groups, options)?;
    Ok((file, report))
}

fn write(output: Option<&Path>, text: &str) -> Result<()> {
    let mut sink = match output {
        Some(path) => Sink::file(path)?,
        None => Sink::stdout(),
    };
    sink.write(text.as_bytes())?;
    sink.finish()
}

/// sha256 of a file's bytes, read in pieces (a results file may be large).
fn file_sha256(path: &Path) -> Result<String> {
    let mut file =
        std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0; 64 * 1024];
    loop {
        let read = file
            .read(&mut buffer)
            .with_context(|| format!("cannot read {}", path.display()))?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
    }
    Ok(format!("{:x}", hasher.finalize()))
}

/// Refuses an `-o` that names an input: it would replace the results or the
/// groups with the report.
fn refuse_output_over_input(output: Option<&Path>, inputs: &[&Path]) -> Result<()> {
    let Some(output) = output else {
        return Ok(());
    };
    let Ok(out) = std::fs::canonicalize(output) else {
        return Ok(());
    };
    for input in inputs {
        if std::fs::canonicalize(input).is_ok_and(|input| input == out) {
            bail!(
                "-o {} is one of the inputs: it would replace {} with the report",
                output.display(),
                input.display()
            );
        }
    }
    Ok(())
}
