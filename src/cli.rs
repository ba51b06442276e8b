//! Command-line arguments: the clap derive structs, turned once into the typed
//! options the library uses. No clap type reaches the core.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::batch::GradeOptions;
use crate::report::audit::{AuditFormat, AuditOutput};
use crate::report::OutputFormat;
use crate::rubric::Recommendation;
use crate::transcript::{InputFormat, SpeakerNames, SpeakerRole};

/// Grade finished machine-learning technical interviews in bulk.
///
/// debrief reads interview transcripts, scores the candidate against the rubric
/// (concepts, red flags, six 1-5 dimensions, a recommendation) and audits the
/// interviewer's template compliance.
#[derive(Debug, Parser)]
#[command(name = "debrief", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,

    /// Largest rubric, results, labels or groups file read, in bytes (transcripts
    /// have --max-file-size).
    #[arg(long, global = true, value_name = "BYTES", default_value_t = crate::input::DEFAULT_MAX_INPUT_BYTES)]
    pub max_input_size: u64,
}

/// debrief's commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Grade transcripts and write the final evaluations.
    Grade(GradeArgs),
    /// List interviewer breaches, per breach or per interviewer.
    Audit(AuditArgs),
    /// Render results as a self-contained HTML report.
    Report(ReportArgs),
    /// Compare two result files: flips, score changes, red flags, breaches, causes.
    Diff(DiffArgs),
    /// Agreement of results with a human panel's verdicts (kappa, confusion).
    Calibrate(CalibrateArgs),
    /// Check a rubric, or print the default one.
    #[command(subcommand)]
    Rubric(RubricCommand),
    /// Measure debrief against labeled transcripts (their `expect` key).
    Eval(EvalArgs),
    /// Adverse impact by group: selection and scoring rates and impact ratios per
    /// attribute the team supplies (four-fifths rule, NYC Local Law 144).
    Impact(ImpactArgs),
    /// Check interviewer messages before they are sent: JSON Lines requests
    /// `{"history": [...], "message": "..."}` on stdin, one JSON verdict per line on stdout.
    Guard(GuardArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), e.g. `debrief man > debrief.1`.
    Man,
    /// Print the JSON Schema of `grade --format json` output (each `--format jsonl`
    /// line is its `#/$defs/Evaluation`), e.g. `debrief schema > evaluation.json`.
    Schema,
}

/// `debrief guard`.
#[derive(Debug, clap::Args)]
pub struct GuardArgs {
    /// Rubric file; without it, the rubric compiled into debrief.
    #[arg(long, value_name = "FILE")]
    pub rubric: Option<PathBuf>,
}

/// `debrief rubric ...`.
#[derive(Debug, Subcommand)]
pub enum RubricCommand {
    /// Validate a rubric and report every problem with line and column.
    Check {
        /// The rubric file [default: the embedded rubric].
        file: Option<PathBuf>,
    },
    /// Print the embedded default rubric, commented, as a starting point.
    Print,
    /// Fit the level thresholds to a panel's verdicts (labeled transcripts, as for
    /// `eval`) and report how thresholds fitted that way do on sets left out.
    Fit(FitArgs),
}

/// `debrief rubric fit`.
#[derive(Debug, clap::Args)]
pub struct FitArgs {
    /// Labeled sets: each PATH (a folder or file) is one set, left out in turn.
    #[arg(required = true, value_name = "SET")]
    pub sets: Vec<PathBuf>,
    /// The rubric to fit [default: the embedded rubric].
    #[arg(long, value_name = "FILE")]
    pub rubric: Option<PathBuf>,
    /// Write the rubric with the fitted thresholds to FILE (comments kept).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Report format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ReportFormat,
    /// Worker threads [default: one per core].
    #[arg(long, value_name = "N")]
    pub jobs: Option<std::num::NonZeroUsize>,
}

/// `debrief report`.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Results (grade's JSON or JSON Lines).
    pub results: PathBuf,
    /// Write to FILE (atomically) instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Add an adverse-impact section: a CSV of transcript `id` and attribute columns.
    #[arg(long, value_name = "GROUPS.csv", help_heading = "Adverse impact")]
    pub groups: Option<PathBuf>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub impact: ImpactOptionsArgs,
}

/// `debrief impact`.
#[derive(Debug, clap::Args)]
pub struct ImpactArgs {
    /// Results (grade's JSON or JSON Lines).
    pub results: PathBuf,
    /// The team's groups: a CSV of transcript `id` and attribute columns (sex,
    /// race_ethnicity, ...); debrief never infers them.
    #[arg(long, value_name = "GROUPS.csv")]
    pub groups: PathBuf,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub impact: ImpactOptionsArgs,
    /// Output format [default: from -o's extension, else md].
    #[arg(long, value_enum, help_heading = "Output")]
    pub format: Option<ImpactFormatArg>,
    /// Write to FILE (atomically) instead of stdout.
    #[arg(short, long, value_name = "FILE", help_heading = "Output")]
    pub output: Option<PathBuf>,
    /// Exit 1 when a category with enough candidates has an impact ratio below R
    /// with p < 0.05; R is also the threshold the report flags at [default: 0.8].
    #[arg(long, value_name = "R", value_parser = parse_ratio, help_heading = "Gate")]
    pub fail_under: Option<f64>,
}

/// What `impact` and `report --groups` compute.
#[derive(Debug, clap::Args)]
pub struct ImpactOptionsArgs {
    /// An attribute column to analyse (repeat for several) [default: every column
    /// but `id`].
    #[arg(
        long = "by",
        value_name = "COLUMN",
        requires = "groups",
        help_heading = "Adverse impact"
    )]
    pub by: Vec<String>,
    /// The lowest recommendation that counts as selected (Strong No, No, Neutral, Yes,
    /// Strong Yes).
    #[arg(long, value_name = "RECOMMENDATION", default_value = "Yes", value_parser = parse_recommendation, requires = "groups", help_heading = "Adverse impact")]
    pub select: Recommendation,
    /// A category needs this many candidates before a low ratio is a finding.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 5,
        requires = "groups",
        help_heading = "Adverse impact"
    )]
    pub min_count: usize,
    /// Categories under PERCENT of the assessed candidates get no impact ratio
    /// (listed as excluded; 0 keeps every category).
    #[arg(long, value_name = "PERCENT", default_value_t = 2.0, value_parser = parse_percent, requires = "groups", help_heading = "Adverse impact")]
    pub exclude_under: f64,
    /// Analyse each attribute alone, not each intersection of two.
    #[arg(long, requires = "groups", help_heading = "Adverse impact")]
    pub no_intersections: bool,
}

/// Formats of the adverse-impact report.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ImpactFormatArg {
    /// Markdown with an audit appendix, for a CI step summary.
    Md,
    /// One CSV row per category.
    Csv,
    /// One JSON document.
    Json,
}

fn parse_recommendation(text: &str) -> Result<Recommendation, String> {
    let wanted: String = text
        .trim()
        .chars()
        .map(|c| if c == '-' || c == '_' { ' ' } else { c })
        .collect();
    Recommendation::ALL
        .into_iter()
        .find(|r| r.label().eq_ignore_ascii_case(&wanted))
        .ok_or_else(|| {
            format!(
                "'{text}' is not a recommendation (expected one of: {})",
                Recommendation::LABELS.join(", ")
            )
        })
}

fn parse_ratio(text: &str) -> Result<f64, String> {
    let value: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("'{text}' is not a number"))?;
    if value > 0.0 && value <= 1.0 {
        Ok(value)
    } else {
        Err(format!(
            "{value} is not an impact ratio above 0 and at most 1"
        ))
    }
}

impl ImpactOptionsArgs {
    /// The typed options; `threshold` is `--fail-under` when given.
    pub fn to_options(&self, threshold: Option<f64>) -> crate::impact::Options {
        crate::impact::Options {
            by: self.by.clone(),
            select: self.select,
            threshold: threshold.unwrap_or(crate::impact::FOUR_FIFTHS),
            min_count: self.min_count,
            exclude_under: self.exclude_under,
            intersections: !self.no_intersections,
        }
    }
}

impl ImpactArgs {
    /// The report's format: `--format`, else `-o`'s extension, else markdown.
    pub fn impact_format(&self) -> crate::impact::Format {
        use crate::impact::Format;
        match self.format {
            Some(ImpactFormatArg::Md) => Format::Markdown,
            Some(ImpactFormatArg::Csv) => Format::Csv,
            Some(ImpactFormatArg::Json) => Format::Json,
            None => self
                .output
                .as_deref()
                .and_then(Format::from_extension)
                .unwrap_or(Format::Markdown),
        }
    }
}

/// `debrief diff`.
#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The baseline results (grade's JSON or JSON Lines).
    pub base: PathBuf,
    /// The new results.
    pub new: PathBuf,
    /// Score changes of at most this many points do not count as movement.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub tolerance: i64,
    /// Report format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: DiffFormat,
    /// The two runs' rubric files, to name the keys that changed between them.
    #[arg(long, num_args = 2, value_names = ["BASE_RUBRIC", "NEW_RUBRIC"])]
    pub rubrics: Option<Vec<PathBuf>>,
}

/// `debrief calibrate`.
#[derive(Debug, clap::Args)]
pub struct CalibrateArgs {
    /// Results (grade's JSON or JSON Lines).
    pub results: PathBuf,
    /// The panel's verdicts: `id` or `source`, `recommendation`, optional score columns.
    #[arg(long, value_name = "LABELS.csv")]
    pub labels: PathBuf,
    /// Exit 1 when the recommendation's weighted kappa is below K.
    #[arg(long, value_name = "K")]
    pub min_kappa: Option<f64>,
    /// Report format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: CalibrateFormat,
}

/// Formats of the diff and calibration reports.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DiffFormat {
    /// Plain text.
    Text,
    /// Markdown, for a CI step summary or a PR comment.
    Md,
    /// JSON.
    Json,
    /// JUnit XML: one test case per transcript, failed when it moved.
    Junit,
    /// GitHub Actions annotations: an error per transcript that moved.
    Github,
}

/// Formats of `calibrate`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CalibrateFormat {
    /// Plain text.
    Text,
    /// Markdown, for a CI step summary or a PR comment.
    Md,
    /// JSON.
    Json,
}

/// Inputs, rubric and execution, shared by the commands that read transcripts.
#[derive(Debug, clap::Args)]
pub struct InputArgs {
    /// Transcript files and directories (recursed, sorted; .json, .jsonl, .md, .vtt, .srt,
    /// .txt); `-` reads stdin.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Rubric file; without it, the rubric compiled into debrief.
    #[arg(long, value_name = "FILE", help_heading = "Grading")]
    pub rubric: Option<PathBuf>,

    /// Input format, instead of detecting it from the extension and content.
    #[arg(long, value_enum, help_heading = "Input")]
    pub input_format: Option<InputFormatArg>,

    /// Largest input file read, in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 64 * 1024 * 1024, help_heading = "Input")]
    pub max_file_size: u64,

    /// Most turns in one transcript.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 20_000,
        help_heading = "Input"
    )]
    pub max_turns: usize,

    /// Longest turn, in bytes (at most 1 GiB).
    #[arg(long, value_name = "BYTES", default_value_t = 1024 * 1024, value_parser = clap::value_parser!(u64).range(1..=crate::transcript::MAX_TURN_BYTES as u64), help_heading = "Input")]
    pub max_turn_length: u64,

    /// The interviewer's speaker name in captions, exports and speech-to-text files
    /// (repeat for several; names compare case-insensitively).
    #[arg(long, value_name = "NAME", help_heading = "Speakers")]
    pub interviewer: Vec<String>,

    /// The candidate's speaker name (repeat for several).
    #[arg(long, value_name = "NAME", help_heading = "Speakers")]
    pub candidate: Vec<String>,

    /// Roles of speaker names or labels: "A=interviewer,B=candidate,C=other".
    #[arg(long, value_name = "MAP", value_parser = parse_speaker_map, help_heading = "Speakers")]
    pub speaker_map: Vec<Vec<(String, SpeakerRole)>>,

    /// Worker threads [default: one per core].
    #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..), help_heading = "Performance")]
    pub jobs: Option<u16>,

    /// Only print errors on stderr.
    #[arg(short, long, help_heading = "Output")]
    pub quiet: bool,

    /// Grade only the K-th of N equal, contiguous parts of the sorted inputs; the
    /// outputs of parts 1..N, concatenated in order, equal one run's JSON Lines.
    #[arg(long, value_name = "K/N", value_parser = parse_shard, help_heading = "Performance")]
    pub shard: Option<(usize, usize)>,
}

fn parse_speaker_map(text: &str) -> Result<Vec<(String, SpeakerRole)>, String> {
    let map = SpeakerNames::parse_map(text)?;
    if map.is_empty() {
        return Err("the map is empty; expected NAME=ROLE pairs".to_string());
    }
    Ok(map)
}

fn parse_shard(text: &str) -> Result<(usize, usize), String> {
    let (k, n) = text
        .split_once('/')
        .ok_or_else(|| format!("'{text}' is not K/N"))?;
    let k: usize = k
        .trim()
        .parse()
        .map_err(|_| format!("'{k}' is not a number"))?;
    let n: usize = n
        .trim()
        .parse()
        .map_err(|_| format!("'{n}' is not a number"))?;
    if n == 0 || k == 0 || k > n {
        return Err(format!("shard {k}/{n}: need 1 <= K <= N"));
    }
    Ok((k, n))
}

/// `debrief grade`.
#[derive(Debug, clap::Args)]
pub struct GradeArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub input: InputArgs,

    /// Level for transcripts whose metadata names none [default: the rubric's].
    #[arg(long, value_enum, help_heading = "Grading")]
    pub level: Option<Level>,

    /// Output format [default: from -o's extension, else json].
    #[arg(long, value_enum, help_heading = "Output")]
    pub format: Option<Format>,

    /// Write to FILE (atomically) instead of stdout.
    #[arg(short, long, value_name = "FILE", help_heading = "Output")]
    pub output: Option<PathBuf>,

    /// Include each transcript's turns in JSON and JSON Lines (`transcript`), so
    /// `debrief report` can show them; the HTML format always includes them.
    #[arg(long, help_heading = "Output")]
    pub with_transcript: bool,

    /// Compare with these earlier results; the diff goes to stderr, exit 1 if anything moved.
    #[arg(long, value_name = "BASE.json", help_heading = "Gate")]
    pub baseline: Option<PathBuf>,

    /// Score changes of at most this many points do not count against the baseline.
    #[arg(long, default_value_t = 0, value_name = "N", help_heading = "Gate")]
    pub tolerance: i64,

    /// Format of the baseline diff on stderr.
    #[arg(long, value_enum, default_value = "text", help_heading = "Gate")]
    pub diff_format: DiffFormat,
}

/// `debrief audit`.
#[derive(Debug, clap::Args)]
pub struct AuditArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub input: InputArgs,

    /// One row per interviewer (worst compliance first) instead of one per breach.
    #[arg(long, value_enum, value_name = "WHAT", help_heading = "Output")]
    pub by: Option<AuditBy>,

    /// Output format [default: from -o's extension, else csv].
    #[arg(long, value_enum, help_heading = "Output")]
    pub format: Option<AuditFormatArg>,

    /// Write to FILE (atomically) instead of stdout.
    #[arg(short, long, value_name = "FILE", help_heading = "Output")]
    pub output: Option<PathBuf>,

    /// Exit 1 when an interviewer's pooled compliance is below PERCENT.
    #[arg(long, value_name = "PERCENT", value_parser = parse_percent, help_heading = "Gate")]
    pub fail_under: Option<f64>,
}

/// `debrief eval`.
#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// Labeled transcript files and directories.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Rubric file; without it, the rubric compiled into debrief.
    #[arg(long, value_name = "FILE")]
    pub rubric: Option<PathBuf>,

    /// Level for transcripts whose metadata names none.
    #[arg(long, value_enum)]
    pub level: Option<Level>,

    /// Report format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ReportFormat,

    /// Worker threads [default: one per core].
    #[arg(short, long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
}

/// Output formats of `grade`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    /// One JSON document with provenance.
    Json,
    /// One JSON evaluation per line.
    Jsonl,
    /// One CSV row per transcript.
    Csv,
    /// A self-contained HTML report.
    Html,
    /// A compact table for reading in a terminal (the default when stdout is one).
    Table,
}

/// Output formats of `audit`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum AuditFormatArg {
    /// CSV with a header.
    Csv,
    /// One JSON document.
    Json,
    /// A markdown table, for a CI step summary.
    Md,
    /// JUnit XML: one test case per interviewer, failed when below --fail-under.
    Junit,
    /// GitHub Actions annotations: one per breach (errors for interviewers below --fail-under).
    Github,
}

/// How `audit` groups its rows.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum AuditBy {
    /// One row per interviewer.
    Interviewer,
}

/// Formats of a report.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ReportFormat {
    /// Plain text.
    Text,
    /// JSON.
    Json,
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
    /// WebVTT captions (Zoom, Teams).
    Vtt,
    /// SubRip subtitles.
    Srt,
    /// Plain-text meeting export (Otter, Teams, Google Meet).
    Text,
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

impl Level {
    /// The level's name in the rubric.
    pub fn name(self) -> &'static str {
        match self {
            Level::Senior => "senior",
            Level::Staff => "staff",
            Level::Principal => "principal",
        }
    }
}

fn parse_percent(text: &str) -> Result<f64, String> {
    let value: f64 = text
        .trim_end_matches('%')
        .parse()
        .map_err(|_| format!("'{text}' is not a number"))?;
    if (0.0..=100.0).contains(&value) {
        Ok(value)
    } else {
        Err(format!("{value} is not a percentage from 0 to 100"))
    }
}

impl InputArgs {
    /// The roles given to speaker names: `--speaker-map` first, then `--interviewer`
    /// and `--candidate`.
    pub fn speaker_names(&self) -> SpeakerNames {
        let mut assigned: Vec<(String, SpeakerRole)> =
            self.speaker_map.iter().flatten().cloned().collect();
        assigned.extend(
            self.interviewer
                .iter()
                .map(|n| (n.clone(), SpeakerRole::Interviewer)),
        );
        assigned.extend(
            self.candidate
                .iter()
                .map(|n| (n.clone(), SpeakerRole::Candidate)),
        );
        SpeakerNames { assigned }
    }

    /// The typed options for a batch writing `format` to `output`.
    pub fn to_options(
        &self,
        format: OutputFormat,
        output: Option<PathBuf>,
        level: Option<Level>,
    ) -> GradeOptions {
        GradeOptions {
            paths: self.paths.clone(),
            input_format: self.input_format.map(|f| match f {
                InputFormatArg::Json => InputFormat::Json,
                InputFormatArg::Jsonl => InputFormat::JsonLines,
                InputFormatArg::Markdown => InputFormat::Markdown,
                InputFormatArg::Vtt => InputFormat::Vtt,
                InputFormatArg::Srt => InputFormat::Srt,
                InputFormatArg::Text => InputFormat::Text,
            }),
            format,
            output,
            jobs: self.jobs.map(usize::from),
            quiet: self.quiet,
            shard: self.shard,
            level: level.map(|l| l.name().to_string()),
            limits: crate::transcript::Limits {
                max_file_size: self.max_file_size,
                max_turns: self.max_turns,
                max_turn_bytes: self.max_turn_length as usize,
            },
            speakers: self.speaker_names(),
            with_transcript: false,
        }
    }
}

impl GradeArgs {
    /// The typed options for the batch.
    pub fn to_options(&self) -> GradeOptions {
        let format = match self.format {
            Some(Format::Json) => OutputFormat::Json,
            Some(Format::Jsonl) => OutputFormat::JsonLines,
            Some(Format::Csv) => OutputFormat::Csv,
            Some(Format::Html) => OutputFormat::Html,
            Some(Format::Table) => OutputFormat::Table,
            None => match self.output.as_deref() {
                Some(path) => OutputFormat::from_extension(path).unwrap_or(OutputFormat::Json),
                // A person at a terminal gets a table; a pipe or a file gets JSON.
                None if std::io::IsTerminal::is_terminal(&std::io::stdout()) => OutputFormat::Table,
                None => OutputFormat::Json,
            },
        };
        let mut options = self
            .input
            .to_options(format, self.output.clone(), self.level);
        // The report's transcript view needs the turns; JSON carries them on request.
        options.with_transcript = self.with_transcript || format == OutputFormat::Html;
        options
    }
}

impl AuditArgs {
    /// The audit's output: `--format`, else `-o`'s extension, else CSV rows.
    pub fn audit_output(&self) -> AuditOutput {
        match self.format {
            Some(AuditFormatArg::Csv) => AuditOutput::Rows(AuditFormat::Csv),
            Some(AuditFormatArg::Json) => AuditOutput::Rows(AuditFormat::Json),
            Some(AuditFormatArg::Md) => AuditOutput::Rows(AuditFormat::Markdown),
            Some(AuditFormatArg::Junit) => AuditOutput::Junit,
            Some(AuditFormatArg::Github) => AuditOutput::Github,
            None => match self
                .output
                .as_deref()
                .and_then(|p| p.extension())
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase)
                .as_deref()
            {
                Some("json") => AuditOutput::Rows(AuditFormat::Json),
                Some("md" | "markdown") => AuditOutput::Rows(AuditFormat::Markdown),
                Some("xml") => AuditOutput::Junit,
                _ => AuditOutput::Rows(AuditFormat::Csv),
            },
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
