//! `debrief audit` output: interviewer breaches, one row per breach or one row per
//! interviewer, as CSV, JSON or markdown (a CI step summary).
//!
//! Breach rows: `source, id, interviewer, turn, at, rule, quote, message`.
//! Interviewer rows: `interviewer, transcripts, interviewer_turns, breaches,
//! compliance` (pooled: 100 x checks passed / checks made, over all the interviewer's
//! transcripts; see the compliance scorer), then one column per rule with its count;
//! worst compliance first. Transcripts without an interviewer name pool under
//! `(unknown)`. Transcripts that failed to grade are reported on stderr, not here.

use std::collections::BTreeMap;
use std::io::Write as _;

use serde::Serialize;

use super::{Formatter, Provenance};
use crate::evaluation::{Evaluation, Status};
use crate::reporter::neutralise;

/// Output formats of `audit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditFormat {
    /// CSV with a header.
    Csv,
    /// One JSON document.
    Json,
    /// A markdown table.
    Markdown,
}

/// What `audit` writes: rows in a table format, or a CI system's format
/// ([`super::ci`]), whose grouping is fixed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditOutput {
    /// Rows per breach or per interviewer.
    Rows(AuditFormat),
    /// JUnit XML, one test case per interviewer.
    Junit,
    /// GitHub Actions annotations, one per breach.
    Github,
}

/// One breach row.
#[derive(Debug, Clone, Serialize)]
struct BreachRow<'a> {
    source: &'a str,
    id: &'a str,
    interviewer: Option<&'a str>,
    turn: usize,
    at: Option<&'a str>,
    rule: &'a str,
    quote: &'a str,
    message: &'a str,
}

const BREACH_COLUMNS: [&str; 8] = [
    "source",
    "id",
    "interviewer",
    "turn",
    "at",
    "rule",
    "quote",
    "message",
];

/// Streams one row per breach.
pub struct BreachFormatter {
    format: AuditFormat,
    rows: usize,
    transcripts: usize,
}

impl BreachFormatter {
    /// A formatter for `format`.
    pub fn new(format: AuditFormat) -> BreachFormatter {
        BreachFormatter {
            format,
            rows: 0,
            transcripts: 0,
        }
    }
}

impl Formatter for BreachFormatter {
    fn header(&mut self, provenance: &Provenance, out: &mut Vec<u8>) {
        match self.format {
            AuditFormat::Csv => csv_row(&BREACH_COLUMNS.map(String::from), out),
            AuditFormat::Json => {
                out.extend_from_slice(b"{\n  \"debrief\": ");
                out.extend_from_slice(
                    &serde_json::to_vec(&provenance.debrief).expect("serialises"),
                );
                out.extend_from_slice(b",\n  \"rubric\": ");
                out.extend_from_slice(&serde_json::to_vec(&provenance.rubric).expect("serialises"));
                out.extend_from_slice(b",\n  \"breaches\": [");
            }
            AuditFormat::Markdown => {
                out.extend_from_slice(b"## debrief audit: interviewer breaches\n\n");
                out.extend_from_slice(
                    b"| source | id | interviewer | turn | at | rule | quote | message |\n",
                );
                out.extend_from_slice(b"|---|---|---|---:|---|---|---|---|\n");
            }
        }
    }

    fn evaluation(&mut self, evaluation: &Evaluation, out: &mut Vec<u8>) {
        let Some(compliance) = &evaluation.compliance else {
            return;
        };
        self.transcripts += 1;
        for v in &compliance.violations {
            let row = BreachRow {
                source: &evaluation.source,
                id: &evaluation.id,
                interviewer: evaluation.interviewer.as_deref(),
                turn: v.turn,
                at: v.at.as_deref(),
                rule: &v.rule,
                quote: &v.quote,
                message: &v.message,
            };
            match self.format {
                AuditFormat::Csv => csv_row(
                    &[
                        row.source.to_string(),
                        row.id.to_string(),
                        row.interviewer.unwrap_or("").to_string(),
                        row.turn.to_string(),
                        row.at.unwrap_or("").to_string(),
                        row.rule.to_string(),
                        row.quote.to_string(),
                        row.message.to_string(),
                    ],
                    out,
                ),
                AuditFormat::Json => {
                    out.extend_from_slice(if self.rows == 0 {
                        b"\n    "
                    } else {
                        b",\n    "
                    });
                    out.extend_from_slice(&serde_json::to_vec(&row).expect("serialises"));
                }
                AuditFormat::Markdown => {
                    let _ = writeln!(
                        out,
                        "| {} | {} | {} | {} | {} | `{}` | {} | {} |",
                        cell(row.source),
                        cell(row.id),
                        cell(row.interviewer.unwrap_or("")),
                        row.turn,
                        row.at.unwrap_or(""),
                        row.rule,
                        cell(row.quote),
                        cell(row.message)
                    );
                }
            }
            self.rows += 1;
        }
    }

    fn footer(&mut self, out: &mut Vec<u8>) {
        match self.format {
            AuditFormat::Csv => {}
            AuditFormat::Json => {
                out.extend_from_slice(if self.rows == 0 {
                    b"]\n}\n"
                } else {
                    b"\n  ]\n}\n"
                });
            }
            AuditFormat::Markdown => {
                let _ = writeln!(
                    out,
                    "\n{} breaches in {} transcripts.",
                    self.rows, self.transcripts
                );
            }
        }
    }
}

/// Compliance pooled per interviewer.
#[derive(Debug, Clone, Default, Serialize)]
pub struct InterviewerRow {
    /// The interviewer's name or agent id.
    pub interviewer: String,
    /// Transcripts graded.
    pub transcripts: usize,
    /// Interviewer turns read.
    pub interviewer_turns: usize,
    /// Breaches.
    pub breaches: usize,
    /// Breaches per rule.
    pub breaches_by_rule: BTreeMap<String, usize>,
    /// 100 x checks passed / checks made, over all transcripts, to two decimals.
    pub compliance: f64,
    #[serde(skip)]
    checks: usize,
    #[serde(skip)]
    passed: usize,
    /// The first breach of each rule, in input order, for the gate's report.
    #[serde(skip)]
    examples: Vec<Example>,
}

/// One breach quoted in a failed gate's report.
#[derive(Debug, Clone)]
struct Example {
    rule: String,
    id: String,
    turn: usize,
    quote: String,
}

/// Breaches quoted per failing interviewer in the gated markdown report.
const EXAMPLES_PER_INTERVIEWER: usize = 3;

/// Accumulates [`InterviewerRow`]s.
#[derive(Debug, Clone, Default)]
pub struct InterviewerStats {
    rows: BTreeMap<String, InterviewerRow>,
}

impl InterviewerStats {
    /// Adds one graded transcript.
    pub fn add(&mut self, evaluation: &Evaluation) {
        let (Status::Ok, Some(compliance)) = (evaluation.status, &evaluation.compliance) else {
            return;
        };
        let name = evaluation
            .interviewer
            .clone()
            .unwrap_or_else(|| "(unknown)".into());
        let row = self.rows.entry(name.clone()).or_default();
        row.interviewer = name;
        row.transcripts += 1;
        row.interviewer_turns += compliance.interviewer_turns;
        row.breaches += compliance.violations.len();
        for v in &compliance.violations {
            *row.breaches_by_rule.entry(v.rule.clone()).or_default() += 1;
            if row.examples.len() < EXAMPLES_PER_INTERVIEWER
                && row.examples.iter().all(|e| e.rule != v.rule)
            {
                row.examples.push(Example {
                    rule: v.rule.clone(),
                    id: evaluation.id.clone(),
                    turn: v.turn,
                    quote: v.quote.clone(),
                });
            }
        }
        row.checks += compliance.checks;
        row.passed += compliance.passed;
        row.compliance = if row.checks == 0 {
            100.0
        } else {
            (10_000.0 * row.passed as f64 / row.checks as f64).round() / 100.0
        };
    }

    /// Rows, worst compliance first, then most breaches, then by name.
    pub fn rows(&self) -> Vec<&InterviewerRow> {
        let mut rows: Vec<&InterviewerRow> = self.rows.values().collect();
        rows.sort_by(|a, b| {
            a.compliance
                .total_cmp(&b.compliance)
                .then(b.breaches.cmp(&a.breaches))
                .then(a.interviewer.cmp(&b.interviewer))
        });
        rows
    }
}

/// Collects and writes one row per interviewer at the end.
pub struct InterviewerFormatter {
    format: AuditFormat,
    rules: Vec<String>,
    stats: InterviewerStats,
    provenance: Option<Provenance>,
    gate: Option<f64>,
}

impl InterviewerFormatter {
    /// A formatter for `format`; `rules` are the rubric's compliance rule ids, one
    /// column each.
    pub fn new(format: AuditFormat, rules: Vec<String>) -> InterviewerFormatter {
        InterviewerFormatter {
            format,
            rules,
            stats: InterviewerStats::default(),
            provenance: None,
            gate: None,
        }
    }

    /// With `audit --fail-under THRESHOLD`: markdown opens with the gate's verdict
    /// and quotes the breaches of every interviewer below it.
    pub fn with_gate(mut self, threshold: Option<f64>) -> InterviewerFormatter {
        self.gate = threshold;
        self
    }
}

impl Formatter for InterviewerFormatter {
    fn header(&mut self, provenance: &Provenance, _: &mut Vec<u8>) {
        self.provenance = Some(provenance.clone());
    }

    fn evaluation(&mut self, evaluation: &Evaluation, _: &mut Vec<u8>) {
        self.stats.add(evaluation);
    }

    fn footer(&mut self, out: &mut Vec<u8>) {
        let rows = self.stats.rows();
        let count = |row: &InterviewerRow, rule: &str| {
            row.breaches_by_rule
                .get(rule)
                .copied()
                .unwrap_or(0)
                .to_string()
        };
        match self.format {
            AuditFormat::Csv => {
                let mut header: Vec<String> = [
                    "interviewer",
                    "transcripts",
                    "interviewer_turns",
                    "breaches",
                    "compliance",
                ]
                .map(String::from)
                .to_vec();
                header.extend(self.rules.iter().cloned());
                csv_row(&header, out);
                for row in rows {
                    let mut cells = vec![
                        row.interviewer.clone(),
                        row.transcripts.to_string(),
                        row.interviewer_turns.to_string(),
                        row.breaches.to_string(),
                        format!("{:.2}", row.compliance),
                    ];
                    cells.extend(self.rules.iter().map(|r| count(row, r)));
                    csv_row(&cells, out);
                }
            }
            AuditFormat::Json => {
                #[derive(Serialize)]
                struct Document<'a> {
                    debrief: &'a crate::provenance::ToolInfo,
                    rubric: &'a crate::provenance::RubricInfo,
                    interviewers: Vec<&'a InterviewerRow>,
                }
                let provenance = self.provenance.as_ref().expect("header came first");
                let document = Document {
                    debrief: &provenance.debrief,
                    rubric: &provenance.rubric,
                    interviewers: rows,
                };
                out.extend_from_slice(&serde_json::to_vec_pretty(&document).expect("serialises"));
                out.push(b'\n');
            }
            AuditFormat::Markdown => {
                let _ = writeln!(out, "## debrief audit: compliance by interviewer\n");
                if let Some(threshold) = self.gate {
                    gate_headline(&rows, threshold, out);
                }
                let _ = writeln!(
                    out,
                    "| interviewer | transcripts | interviewer turns | breaches | compliance | breaches by rule |"
                );
                let _ = writeln!(out, "|---|---:|---:|---:|---:|---|");
                for row in &rows {
                    let by_rule: Vec<String> = row
                        .breaches_by_rule
                        .iter()
                        .map(|(rule, n)| format!("`{rule}` {n}"))
                        .collect();
                    let _ = writeln!(
                        out,
                        "| {} | {} | {} | {} | {:.2}% | {} |",
                        cell(&row.interviewer),
                        row.transcripts,
                        row.interviewer_turns,
                        row.breaches,
                        row.compliance,
                        by_rule.join(", ")
                    );
                }
                if let Some(threshold) = self.gate {
                    for row in rows.iter().filter(|r| r.compliance < threshold) {
                        let _ = writeln!(
                            out,
                            "\n### {} ({:.2}%)\n",
                            cell(&row.interviewer),
                            row.compliance
                        );
                        for e in &row.examples {
                            let _ = writeln!(
                                out,
                                "- `{}` in {}, turn {}: \"{}\"",
                                e.rule,
                                cell(&e.id),
                                e.turn,
                                cell(&e.quote)
                            );
                        }
                    }
                }
            }
        }
    }
}

/// The gate's one-line verdict: passed or failed, the threshold, the worst interviewer.
fn gate_headline(rows: &[&InterviewerRow], threshold: f64, out: &mut Vec<u8>) {
    let failing = rows.iter().filter(|r| r.compliance < threshold).count();
    let Some(worst) = rows.first() else {
        let _ = writeln!(
            out,
            "**Gate passed** at {threshold}%: no interviewer graded.\n"
        );
        return;
    };
    let worst = format!("{} {:.2}%", cell(&worst.interviewer), worst.compliance);
    let _ = if failing > 0 {
        writeln!(
            out,
            "**Gate failed**: {failing} of {} interviewers below {threshold}%; worst: {worst}. \
             Failing interviewers come first, and their breaches are quoted below the table.\n",
            rows.len()
        )
    } else {
        writeln!(
            out,
            "**Gate passed**: all {} interviewers at or above {threshold}%; lowest: {worst}.\n",
            rows.len()
        )
    };
}

fn csv_row(cells: &[String], out: &mut Vec<u8>) {
    let mut writer = csv::WriterBuilder::new().from_writer(out);
    writer
        .write_record(cells.iter().map(|c| neutralise(c).into_owned()))
        .expect("writing CSV to memory cannot fail");
    writer.flush().expect("flushing CSV to memory cannot fail");
}

/// A markdown table cell: transcript text rendered as plain text (markdown and HTML
/// escaped, control characters made visible), white space folded.
fn cell(value: &str) -> String {
    crate::reporter::markdown_text(&value.split_whitespace().collect::<Vec<_>>().join(" "))
}
