//! Output formats for graded evaluations. Formatters turn evaluations into bytes;
//! they never write files or print, so every format is testable on its own. The
//! batch layer hands the bytes to one [`crate::sink::Sink`].
//!
//! A formatter is streamed: `header` once, `evaluation` per transcript in input
//! order, `footer` once, so no format needs the whole batch in memory.

pub mod audit;
pub mod ci;
mod csv;
pub mod html;
mod json;
mod schema;
mod table;

use crate::evaluation::Evaluation;
use crate::results::ResultsFile;

pub use self::csv::CsvFormatter;
pub use self::json::{JsonFormatter, JsonLinesFormatter, Results};
pub use self::schema::json_schema;
pub use self::table::TableFormatter;
pub use crate::provenance::{Provenance, RubricInfo, ToolInfo};

/// A streaming output format.
pub trait Formatter: Send {
    /// Bytes before the first evaluation.
    fn header(&mut self, provenance: &Provenance, out: &mut Vec<u8>);
    /// Bytes for one evaluation.
    fn evaluation(&mut self, evaluation: &Evaluation, out: &mut Vec<u8>);
    /// Bytes after the last evaluation.
    fn footer(&mut self, out: &mut Vec<u8>);
}

/// The output formats of `grade`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// One document with provenance and all evaluations.
    Json,
    /// A self-contained HTML report (the whole batch is kept until the end).
    Html,
    /// One evaluation per line.
    JsonLines,
    /// One row per transcript.
    Csv,
    /// A compact table for a terminal.
    Table,
}

impl OutputFormat {
    /// The format implied by an output file's extension.
    pub fn from_extension(path: &std::path::Path) -> Option<OutputFormat> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "json" => Some(OutputFormat::Json),
            "jsonl" | "ndjson" => Some(OutputFormat::JsonLines),
            "csv" => Some(OutputFormat::Csv),
            "html" | "htm" => Some(OutputFormat::Html),
            _ => None,
        }
    }

    /// A fresh formatter for this format.
    pub fn formatter(self) -> Box<dyn Formatter> {
        match self {
            OutputFormat::Json => Box::new(JsonFormatter::default()),
            OutputFormat::JsonLines => Box::new(JsonLinesFormatter),
            OutputFormat::Csv => Box::new(CsvFormatter),
            OutputFormat::Html => Box::new(HtmlFormatter::default()),
            OutputFormat::Table => Box::new(TableFormatter::default()),
        }
    }
}

/// Collects the batch and renders the HTML report at the end: the page's overview
/// needs every evaluation. The page is made from the evaluations themselves, as
/// `debrief report` makes it from the same evaluations read back.
#[derive(Debug, Default)]
pub struct HtmlFormatter {
    results: ResultsFile,
}

impl Formatter for HtmlFormatter {
    fn header(&mut self, provenance: &Provenance, _: &mut Vec<u8>) {
        self.results.debrief = Some(provenance.debrief.clone());
        self.results.rubric = Some(provenance.rubric.clone());
    }

    fn evaluation(&mut self, evaluation: &Evaluation, _: &mut Vec<u8>) {
        self.results.evaluations.push(evaluation.clone());
    }

    fn footer(&mut self, out: &mut Vec<u8>) {
        let results = std::mem::take(&mut self.results);
        out.extend_from_slice(html::render(&results).as_bytes());
    }
}

/// Formats a whole batch at once (tests and small batches).
pub fn render(
    format: OutputFormat,
    provenance: &Provenance,
    evaluations: &[Evaluation],
) -> Vec<u8> {
    let mut formatter = format.formatter();
    let mut out = Vec::new();
    formatter.header(provenance, &mut out);
    for evaluation in evaluations {
        formatter.evaluation(evaluation, &mut out);
    }
    formatter.footer(&mut out);
    out
}
