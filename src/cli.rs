//! Command-line arguments: the clap derive structs, turned once into the typed
//! options the library uses. No clap type reaches the core.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::batch::GradeOptions;
use crate::report::OutputFormat;
use crate::transcript::InputFormat;

/// Grade finished machine-learning technical interviews in bulk.
///
/// debrief reads interview transcripts, scores the candidate against the rubric
/// (keywords and concepts, red flags, six 1-5 dimensions, a recommendation) and
/// audits the interviewer's template compliance.
#[derive(Debug, Parser)]
#[command(name = "debrief", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// debrief's commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Grade transcripts and write the final evaluations.
    Grade(GradeArgs),
}

/// `debrief grade`.
#[derive(Debug, clap::Args)]
pub struct GradeArgs {
    /// Transcript files and directories (recursed, sorted; .json, .jsonl, .md); `-` reads stdin.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Rubric file; without it, the rubric compiled into debrief.
    #[arg(long, value_name = "FILE", help_heading = "Grading")]
    pub rubric: Option<PathBuf>,

    /// Level for transcripts whose metadata names none [default: the rubric's].
    #[arg(long, value_enum, help_heading = "Grading")]
    pub level: Option<Level>,

    /// Output format [default: from -o's extension, else json].
    #[arg(long, value_enum, help_heading = "Output")]
    pub format: Option<Format>,

    /// Write to FILE (atomically) instead of stdout.
    #[arg(short, long, value_name = "FILE", help_heading = "Output")]
    pub output: Option<PathBuf>,

    /// Only print errors on stderr.
    #[arg(short, long, help_heading = "Output")]
    pub quiet: bool,

    /// Input format, instead of detecting it from the extension and content.
    #[arg(long, value_enum, help_heading = "Input")]
    pub input_format: Option<InputFormatArg>,

    /// Largest input file read, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 64 * 1024 * 1024, help_heading = "Input")]
    pub max_file_size: u64,

    /// Worker threads [default: one per core].
    #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..), help_heading = "Performance")]
    pub jobs: Option<u16>,
}

/// Output formats.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    /// One JSON document with provenance.
    Json,
    /// One JSON evaluation per line.
    Jsonl,
    /// One CSV row per transcript.
    Csv,
}

/// Input formats.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum InputFormatArg {
    /// Native or chat-log JSON.
    Json,
    /// JSON Lines, one transcript per line.
    Jsonl,
    /// Markdown with speaker labels.
    Markdown,
}

/// Interview levels of the guide's Difficulty Calibration.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Level {
    /// 3-5 years.
    Senior,
    /// 6-8 years.
    Staff,
    /// 9+ years.
    Principal,
}

impl GradeArgs {
    /// The typed options for the batch.
    pub fn to_options(&self) -> GradeOptions {
        let format = match self.format {
            Some(Format::Json) => OutputFormat::Json,
            Some(Format::Jsonl) => OutputFormat::JsonLines,
            Some(Format::Csv) => OutputFormat::Csv,
            None => self
                .output
                .as_deref()
                .and_then(OutputFormat::from_extension)
                .unwrap_or(OutputFormat::Json),
        };
        GradeOptions {
            paths: self.paths.clone(),
            input_format: self.input_format.map(|f| match f {
                InputFormatArg::Json => InputFormat::Json,
                InputFormatArg::Jsonl => InputFormat::JsonLines,
                InputFormatArg::Markdown => InputFormat::Markdown,
            }),
            format,
            output: self.output.clone(),
            jobs: self.jobs.map(usize::from),
            quiet: self.quiet,
            level: self.level.map(|l| {
                match l {
                    Level::Senior => "senior",
                    Level::Staff => "staff",
                    Level::Principal => "principal",
                }
                .to_string()
            }),
            max_file_size: self.max_file_size,
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        super::Cli::command().debug_assert();
    }
}
