//! `debrief audit`: interviewer breaches per breach or per interviewer, with a compliance gate.

use anyhow::Result;

use super::{load_rubric, open_output, warn_rubric};
use crate::reporter;
use crate::{batch, cli, exit, interrupt, report};

pub(crate) fn run(args: &cli::AuditArgs) -> Result<u8> {
    interrupt::install();
    use report::audit::{AuditOutput, BreachFormatter, InterviewerFormatter, InterviewerStats};
    use report::ci::{GithubFormatter, JunitFormatter};
    let options = args
        .input
        .to_options(report::OutputFormat::Csv, args.output.clone(), None);
    let rubric = load_rubric(args.input.rubric.as_deref())?;
    warn_rubric(&rubric, options.quiet);
    let sink = open_output(&options)?;
    let output = args.audit_output();
    let formatter: Box<dyn report::Formatter> = match (output, args.by) {
        (AuditOutput::Junit, _) => Box::new(JunitFormatter::new(args.fail_under)),
        (AuditOutput::Github, _) => Box::new(GithubFormatter::new(args.fail_under)),
        (AuditOutput::Rows(format), Some(cli::AuditBy::Interviewer)) => Box::new(
            InterviewerFormatter::new(
                format,
                rubric
                    .rubric
                    .compliance
                    .rules
                    .iter()
                    .map(|r| r.id.clone())
                    .collect(),
            )
            .with_gate(args.fail_under),
        ),
        (AuditOutput::Rows(format), None) => Box::new(BreachFormatter::new(format)),
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
