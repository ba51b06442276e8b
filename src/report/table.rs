//! A compact table for a person at a terminal: what `grade` prints when stdout is a
//! terminal and no format is asked for (or with `--format table`).
//!
//! One line per transcript, at most 80 columns: id, candidate, level, recommendation,
//! overall, the six scores (in [`Dimension::ALL`] order, abbreviated in the header)
//! and interviewer compliance; a failed transcript shows its error instead. Long
//! cells are cut with `…`; control characters are made visible. It ends with a line
//! saying how to get data (JSON, JSON Lines, CSV) or the HTML report.

use std::io::Write;

use super::{Formatter, Provenance};
use crate::evaluation::{Assessment, Evaluation, Status};
use crate::rubric::Dimension;

/// Column widths, in characters.
const ID: usize = 17;
const CANDIDATE: usize = 13;
const LEVEL: usize = 6;
const RECOMMENDATION: usize = 12;

/// Streams the table.
#[derive(Debug, Default)]
pub struct TableFormatter {
    graded: usize,
    failed: usize,
}

/// `text` in exactly `width` characters: cut with `…`, or padded.
fn fit(text: &str, width: usize) -> String {
    let text = crate::reporter::visible(text);
    let count = text.chars().count();
    if count > width {
        let mut cut: String = text.chars().take(width.saturating_sub(1)).collect();
        cut.push('…');
        cut
    } else {
        format!("{text}{}", " ".repeat(width - count))
    }
}

/// The header's name for a dimension: two letters.
fn short(dimension: Dimension) -> &'static str {
    match dimension {
        Dimension::MlFundamentals => "ML",
        Dimension::FeatureEngineering => "FE",
        Dimension::ModelSelection => "MS",
        Dimension::ProductionReadiness => "PR",
        Dimension::MathFoundation => "MA",
        Dimension::Communication => "CO",
    }
}

impl Formatter for TableFormatter {
    fn header(&mut self, _: &Provenance, out: &mut Vec<u8>) {
        let scores: Vec<&str> = Dimension::ALL.iter().map(|&d| short(d)).collect();
        let _ = writeln!(
            out,
            "{} {} {} {} {:>5} {} {:>4}",
            fit("id", ID),
            fit("candidate", CANDIDATE),
            fit("level", LEVEL),
            fit("verdict", RECOMMENDATION),
            "all",
            scores.join(" "),
            "cmpl"
        );
    }

    fn evaluation(&mut self, e: &Evaluation, out: &mut Vec<u8>) {
        let id = fit(&e.id, ID);
        if e.status == Status::Error {
            self.failed += 1;
            let error = e.error.as_deref().unwrap_or("failed");
            let _ = writeln!(out, "{id} error: {}", fit(error, 80 - ID - 8));
            return;
        }
        self.graded += 1;
        let verdict = match (e.assessment, e.recommendation) {
            (Some(Assessment::Insufficient), _) => "insufficient",
            (_, Some(recommendation)) => recommendation.label(),
            (_, None) => "",
        };
        let level = e.level.as_deref().unwrap_or("");
        let level = match level {
            "principal" => "princ",
            other => other,
        };
        let scores: Vec<String> = match e.scores {
            Some(scores) => scores
                .to_array()
                .iter()
                .map(|v| v.map_or(" -".to_string(), |v| format!("{v:>2}")))
                .collect(),
            None => vec![" -".to_string(); 6],
        };
        let compliance = e
            .compliance
            .as_ref()
            .map_or(String::new(), |c| format!("{}%", c.score));
        let _ = writeln!(
            out,
            "{id} {} {} {} {:>5} {} {:>4}",
            fit(e.candidate.as_deref().unwrap_or(""), CANDIDATE),
            fit(level, LEVEL),
            fit(verdict, RECOMMENDATION),
            e.overall.map_or(String::new(), |o| format!("{o:.2}")),
            scores.join(" "),
            compliance
        );
    }

    fn footer(&mut self, out: &mut Vec<u8>) {
        let legend: Vec<String> = Dimension::ALL
            .iter()
            .map(|&d| format!("{} {}", short(d), d.label()))
            .collect();
        let _ = writeln!(
            out,
            "\n{} graded, {} failed. all: overall; cmpl: interviewer compliance.\n{},\n{}.\n\
             For data: --format json, jsonl or csv; for the report: -o report.html.",
            self.graded,
            self.failed,
            legend[..3].join(", "),
            legend[3..].join(", ")
        );
    }
}
