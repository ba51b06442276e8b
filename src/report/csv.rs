//! CSV output: one row per transcript, a header, fixed columns.
//!
//! Columns: `source, id, status, error, candidate, interviewer, level,
//! ml_fundamentals, feature_engineering, model_selection, production_readiness,
//! math_foundation, communication, overall, assessment, recommendation,
//! production_experience, strengths, gaps, red_flag_count, compliance_score,
//! violation_count, speaker_roles, speaker_confidence`. Strengths and gaps are joined with " | ".
//! Graded fields are empty for a transcript that failed.
//!
//! Cells are neutralised against spreadsheet formula injection as OWASP recommends:
//! a text cell starting with `=`, `+`, `-`, `@`, tab or carriage return gets a
//! leading `'`, so a spreadsheet shows it as text instead of evaluating it.

use super::{Formatter, Provenance};
use crate::evaluation::Evaluation;
use crate::reporter::neutralise;
use crate::rubric::Dimension;

/// The header row: the file and whom it is about, the six scores in
/// [`Dimension::ALL`] order, then the verdict and the rest.
pub const COLUMNS: [&str; 24] = {
    const BEFORE: [&str; 7] = [
        "source",
        "id",
        "status",
        "error",
        "candidate",
        "interviewer",
        "level",
    ];
    const AFTER: [&str; 11] = [
        "overall",
        "assessment",
        "recommendation",
        "production_experience",
        "strengths",
        "gaps",
        "red_flag_count",
        "compliance_score",
        "violation_count",
        "speaker_roles",
        "speaker_confidence",
    ];
    let mut columns = [""; 24];
    let mut i = 0;
    while i < columns.len() {
        columns[i] = if i < BEFORE.len() {
            BEFORE[i]
        } else if i < BEFORE.len() + Dimension::KEYS.len() {
            Dimension::KEYS[i - BEFORE.len()]
        } else {
            AFTER[i - BEFORE.len() - Dimension::KEYS.len()]
        };
        i += 1;
    }
    columns
};

/// Streams CSV rows.
#[derive(Debug, Default)]
pub struct CsvFormatter;

impl CsvFormatter {
    fn row(&mut self, cells: &[String], out: &mut Vec<u8>) {
        let mut writer = csv::WriterBuilder::new().from_writer(out);
        writer
            .write_record(cells.iter().map(|c| neutralise(c).into_owned()))
            .expect("writing CSV to memory cannot fail");
        writer.flush().expect("flushing CSV to memory cannot fail");
    }
}

impl Formatter for CsvFormatter {
    fn header(&mut self, _: &Provenance, out: &mut Vec<u8>) {
        let header: Vec<String> = COLUMNS.iter().map(|c| c.to_string()).collect();
        self.row(&header, out);
    }

    fn evaluation(&mut self, e: &Evaluation, out: &mut Vec<u8>) {
        let text = |value: Option<&str>| value.unwrap_or("").to_string();
        let mut cells = vec![
            e.source.clone(),
            e.id.clone(),
            match e.status {
                crate::evaluation::Status::Ok => "ok".into(),
                crate::evaluation::Status::Error => "error".into(),
            },
            text(e.error.as_deref()),
            text(e.candidate.as_deref()),
            text(e.interviewer.as_deref()),
            text(e.level.as_deref()),
        ];
        match e.scores {
            Some(scores) => cells.extend(
                scores
                    .to_array()
                    .iter()
                    .map(|v| v.map(|v| v.to_string()).unwrap_or_default()),
            ),
            None => cells.extend(std::iter::repeat_n(String::new(), 6)),
        }
        cells.push(e.overall.map_or(String::new(), |o| format!("{o:.2}")));
        cells.push(text(e.assessment.map(|a| match a {
            crate::evaluation::Assessment::Assessed => "assessed",
            crate::evaluation::Assessment::Insufficient => "insufficient",
        })));
        cells.push(text(e.recommendation.map(|r| r.label())));
        cells.push(text(e.production_experience.map(|p| match p {
            crate::scorers::production::ProductionExperience::Yes => "yes",
            crate::scorers::production::ProductionExperience::No => "no",
            crate::scorers::production::ProductionExperience::Unclear => "unclear",
        })));
        cells.push(e.strengths.join(" | "));
        cells.push(e.gaps.join(" | "));
        let graded = e.compliance.as_ref();
        cells.push(graded.map_or(String::new(), |_| e.red_flags.len().to_string()));
        cells.push(graded.map_or(String::new(), |c| c.score.to_string()));
        cells.push(graded.map_or(String::new(), |c| c.violations.len().to_string()));
        let speakers = e.speakers.as_ref();
        cells.push(speakers.map_or(String::new(), |s| {
            format!(
                "{}: interviewer={}; candidate={}",
                s.method.name(),
                s.interviewer,
                s.candidate
            )
        }));
        cells.push(speakers.map_or(String::new(), |s| format!("{:.2}", s.confidence)));
        self.row(&cells, out);
    }

    fn footer(&mut self, _: &mut Vec<u8>) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neutralises_formula_cells() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("\tx"), "'\tx");
        assert_eq!(neutralise("plain"), "plain");
        assert_eq!(neutralise("x;=cmd|' /C calc'!A0"), "x;'=cmd|' /C calc'!A0");
        assert_eq!(neutralise("a, @SUM(A1); +1"), "a, '@SUM(A1); '+1");
        assert_eq!(neutralise("AUC 0.91, recall 0.8"), "AUC 0.91, recall 0.8");
    }
}
