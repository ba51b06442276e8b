//! `debrief calibrate`: agreement of results with a panel's labels, with a kappa gate.

use anyhow::Result;

use super::write_stdout;
use crate::reporter::Reporter;
use crate::{calibrate, cli, exit, results};

pub(crate) fn run(args: &cli::CalibrateArgs) -> Result<u8> {
    let loaded = results::read(&args.results)
        .and_then(|r| calibrate::read_labels(&args.labels).map(|l| (r.summaries(), l)));
    let (results, labels) = match loaded {
        Ok(pair) => pair,
        Err(e) => {
            Reporter::new(false, 0).error(&format!("{e:#}"));
            return Ok(exit::FATAL);
        }
    };
    let report = calibrate::calibrate(&results, &labels);
    let text = match args.format {
        cli::CalibrateFormat::Text => calibrate::render(&report, false),
        cli::CalibrateFormat::Md => calibrate::render(&report, true),
        cli::CalibrateFormat::Json => serde_json::to_string_pretty(&report)? + "\n",
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
