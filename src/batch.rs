//! The batch: find the input files, grade them in parallel, write the results in
//! input order as they complete.
//!
//! Inputs are graded in windows of a few files per worker thread: each window is
//! graded in parallel (rayon, indexed `collect`, so order is kept), then written
//! before the next starts. Memory stays bounded by the window, not the batch, and
//! output is byte-identical whatever the thread count.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::evaluation::{self, Evaluation, Status};
use crate::report::{Formatter, OutputFormat, Provenance};
use crate::reporter::Reporter;
use crate::rubric::CompiledRubric;
use crate::sink::Sink;
use crate::transcript::{self, InputFormat, ReadOptions};

/// Files graded per worker thread per window.
const WINDOW_PER_THREAD: usize = 16;

/// One input to grade.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file (given, or found in a directory).
    File(PathBuf),
    /// Standard input (`-`).
    Stdin,
    /// A path that could not be used, and why.
    Unusable(PathBuf, String),
}

impl Input {
    /// The path as the output shows it.
    pub fn source(&self) -> String {
        match self {
            Input::File(path) | Input::Unusable(path, _) => path.display().to_string(),
            Input::Stdin => "-".to_string(),
        }
    }
}

/// What `grade` needs to know.
#[derive(Debug, Clone)]
pub struct GradeOptions {
    /// Paths as given (`-` is stdin).
    pub paths: Vec<PathBuf>,
    /// Forces the input format instead of detecting it.
    pub input_format: Option<InputFormat>,
    /// Output format.
    pub format: OutputFormat,
    /// Output file; stdout when `None`.
    pub output: Option<PathBuf>,
    /// Worker threads; rayon's default when `None`.
    pub jobs: Option<usize>,
    /// Only errors on stderr.
    pub quiet: bool,
    /// Level for transcripts that name none.
    pub level: Option<String>,
    /// Size limits on input.
    pub limits: transcript::Limits,
    /// Speaker roles given on the command line.
    pub speakers: transcript::SpeakerNames,
    /// Grade only part K of N (1-based) of the sorted inputs.
    pub shard: Option<(usize, usize)>,
    /// Carry each transcript's turns in its evaluation (`transcript`).
    pub with_transcript: bool,
}

impl GradeOptions {
    /// How to read the inputs: these options' limits and speaker names, with the
    /// rubric's rules for inferring speaker roles.
    pub fn read_options(&self, rubric: &CompiledRubric) -> ReadOptions {
        ReadOptions {
            limits: self.limits,
            names: self.speakers.clone(),
            inference: rubric.speaker_inference.clone(),
        }
    }
}

/// Part `k` of `n` (1-based) of `inputs`: contiguous, sizes differing by at most one,
/// so parts 1..n in order are the whole list in order.
pub fn shard<T>(inputs: Vec<T>, k: usize, n: usize) -> Vec<T> {
    let len = inputs.len();
    let start = len * (k - 1) / n;
    let end = len * k / n;
    inputs.into_iter().skip(start).take(end - start).collect()
}

/// Counts of a finished batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchOutcome {
    /// Transcripts graded.
    pub graded: usize,
    /// Transcripts (or files) that failed.
    pub failed: usize,
}

/// Expands paths into inputs: files as given, directories recursed in sorted
/// order keeping the files whose extension debrief reads
/// ([`InputFormat::from_path`]), directory loops cut.
pub fn discover(paths: &[PathBuf]) -> Vec<Input> {
    let mut inputs = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        match fs::metadata(path) {
            Ok(metadata) if metadata.is_dir() => walk(path, &mut inputs),
            Ok(_) => inputs.push(Input::File(path.clone())),
            Err(error) => inputs.push(Input::Unusable(path.clone(), io_reason(&error))),
        }
    }
    inputs
}

/// Every input below `dir`, depth first in name order (walkdir, following links): a
/// directory loop is reported once and cut, an unreadable entry fails alone.
fn walk(dir: &Path, inputs: &mut Vec<Input>) {
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let path = error.path().unwrap_or(dir).to_path_buf();
                if error.loop_ancestor().is_some() {
                    inputs.push(Input::Unusable(
                        path,
                        "directory loop (a symlink back to a parent); not followed".into(),
                    ));
                } else if error.depth() == 0
                    || InputFormat::from_path(&path).is_some()
                    || path.is_symlink()
                    || path.is_dir()
                {
                    let reason = error
                        .io_error()
                        .map_or_else(|| error.to_string(), io_reason);
                    inputs.push(Input::Unusable(path, reason));
                }
                continue;
            }
        };
        let child = entry.path();
        let file_type = entry.file_type();
        if file_type.is_dir() || InputFormat::from_path(child).is_none() || is_documentation(child)
        {
            continue;
        }
        if file_type.is_file() {
            inputs.push(Input::File(child.to_path_buf()));
        } else {
            // A FIFO, socket or device met in a folder would block or never end:
            // it fails alone, unopened. Named on the command line, it is read.
            inputs.push(Input::Unusable(
                child.to_path_buf(),
                "not a regular file (a FIFO, socket or device) found in a folder: \
                 skipped unopened; name it explicitly to read it"
                    .to_string(),
            ));
        }
    }
}

/// Whether a file met in a folder is documentation rather than a transcript: its
/// stem is written in capitals (`README.md`, `FIRST-MEASUREMENTS.md`, `NOTES.txt`),
/// as a project's notes are. Named on the command line, it is graded like any file.
fn is_documentation(path: &Path) -> bool {
    path.file_stem()
        .and_then(|stem| stem.to_str())
        .is_some_and(|stem| {
            stem.chars().any(|c| c.is_ascii_uppercase())
                && stem.chars().all(|c| {
                    c.is_ascii_uppercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.')
                })
        })
}

fn io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => {
            let text = error.to_string();
            match text.find(" (os error") {
                Some(cut) => text[..cut].to_string(),
                None => text,
            }
        }
    }
}

/// Grades every input and writes the results; returns the counts.
///
/// Inputs go in windows of 16 files per thread: a window is
/// graded in parallel while the previous one is formatted and written, so output
/// keeps input order, memory stays bounded by two windows, and formatting (JSON
/// costs something) overlaps grading instead of stalling it.
pub fn run(
    options: &GradeOptions,
    rubric: &CompiledRubric,
    formatter: Box<dyn Formatter>,
    observe: &mut (dyn FnMut(&Evaluation) + Send),
    sink: Sink,
) -> Result<BatchOutcome> {
    let started = Instant::now();
    let mut inputs = discover(&options.paths);
    if let Some((k, n)) = options.shard {
        inputs = shard(inputs, k, n);
    }
    let reporter = Reporter::new(options.quiet, inputs.len());
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(jobs) = options.jobs {
        pool = pool.num_threads(jobs);
    }
    let pool = pool.build().context("cannot start worker threads")?;
    let window = pool.current_num_threads().max(1) * WINDOW_PER_THREAD;
    let read = options.read_options(rubric);

    let mut writer = Writer {
        formatter,
        sink,
        buffer: Vec::with_capacity(64 * 1024),
        outcome: BatchOutcome {
            graded: 0,
            failed: 0,
        },
        ids: BTreeMap::new(),
        reporter: &reporter,
        observe,
    };
    writer
        .formatter
        .header(&Provenance::new(rubric), &mut writer.buffer);
    let mut previous: Option<Window> = None;
    // One step: grade the next window while the previous one is written.
    let mut step = |grade: &(dyn Fn() -> Window + Sync), writer: &mut Writer| -> Result<()> {
        if crate::interrupt::requested() {
            // Dropping the sink removes its temporary file; the old output stays.
            return Err(crate::interrupt::Interrupted.into());
        }
        let (graded, written) = pool.install(|| {
            rayon::join(grade, || {
                previous.take().map_or(Ok(()), |done| writer.write(done))
            })
        });
        written?;
        previous = Some(graded);
        Ok(())
    };
    let mut next = 0;
    while next < inputs.len() {
        if streams(&inputs[next], options.input_format) {
            // A JSON Lines file goes line window by line window, so memory follows
            // the window, not the file (which may hold a whole archive).
            let input = &inputs[next];
            next += 1;
            let decoded = match decode(input, options.input_format, &read) {
                Ok(decoded) => decoded,
                Err(loaded) => {
                    let failed = failed_input(loaded);
                    step(&|| Window::files(vec![failed.clone()]), &mut writer)?;
                    continue;
                }
            };
            let lines = numbered_lines(&decoded);
            let windows: Vec<&[Line<'_>]> = lines.chunks(window * LINES_PER_FILE).collect();
            if windows.is_empty() {
                step(&|| Window::files(vec![Vec::new()]), &mut writer)?;
            }
            for (index, part) in windows.iter().enumerate() {
                let last = index + 1 == windows.len();
                let grade = || Window {
                    evaluations: vec![part
                        .par_iter()
                        .flat_map_iter(|line| grade_line(line, &decoded, options, &read, rubric))
                        .collect()],
                    inputs_done: usize::from(last),
                };
                step(&grade, &mut writer)?;
            }
        } else {
            let end = inputs[next..]
                .iter()
                .take(window)
                .position(|i| streams(i, options.input_format))
                .map_or((next + window).min(inputs.len()), |at| next + at);
            let chunk = &inputs[next..end];
            next = end;
            let grade = || {
                Window::files(
                    chunk
                        .par_iter()
                        .map(|input| grade_input(input, options, &read, rubric))
                        .collect(),
                )
            };
            step(&grade, &mut writer)?;
        }
    }
    if let Some(done) = previous {
        writer.write(done)?;
    }
    if crate::interrupt::requested() {
        return Err(crate::interrupt::Interrupted.into());
    }
    let outcome = writer.finish()?;
    reporter.summary(outcome.graded, outcome.failed, started.elapsed());
    Ok(outcome)
}

/// JSON Lines lines graded per window, per file a window would otherwise hold.
const LINES_PER_FILE: usize = 16;

/// What one step of a batch graded: per input (or part of a JSON Lines file), its
/// evaluations, and how many inputs it finished (for the progress bar).
struct Window {
    evaluations: Vec<Vec<Evaluation>>,
    inputs_done: usize,
}

impl Window {
    /// Whole inputs, one list of evaluations each.
    fn files(evaluations: Vec<Vec<Evaluation>>) -> Window {
        Window {
            inputs_done: evaluations.len(),
            evaluations,
        }
    }
}

/// One line of a JSON Lines file: its 0-based index, and its text or why it is not
/// valid text.
enum Line<'a> {
    Text(usize, &'a str),
    Invalid(usize, &'a transcript::ReadError),
}

/// The non-blank lines of a decoded JSON Lines file and its undecodable ones, in
/// line order.
fn numbered_lines(decoded: &Decoded) -> Vec<Line<'_>> {
    let mut lines: Vec<Line<'_>> = decoded
        .text
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(index, line)| Line::Text(index, line))
        .collect();
    if !decoded.bad_lines.is_empty() {
        lines.extend(
            decoded
                .bad_lines
                .iter()
                .map(|(number, error)| Line::Invalid(number - 1, error)),
        );
        lines.sort_by_key(|line| match line {
            Line::Text(index, _) | Line::Invalid(index, _) => *index,
        });
    }
    lines
}

/// Parses and grades one line of a JSON Lines file, as [`grade_input`] grades it.
fn grade_line(
    line: &Line<'_>,
    decoded: &Decoded,
    options: &GradeOptions,
    read: &ReadOptions,
    rubric: &CompiledRubric,
) -> Vec<Evaluation> {
    let parsed = match line {
        Line::Text(index, text) => transcript::parse_json_line(text, &decoded.stem, *index, read),
        Line::Invalid(index, error) => transcript::Parsed {
            fallback_id: format!("{}:{}", decoded.stem, index + 1),
            result: Err((*error).clone()),
        },
    };
    grade_parsed(
        vec![parsed],
        &decoded.source,
        decoded.sha256.as_deref(),
        options,
        rubric,
    )
}

/// The error evaluation of an input that could not be read.
fn failed_input(loaded: Loaded) -> Vec<Evaluation> {
    let reason = loaded.parsed.err().unwrap_or_default();
    vec![Evaluation::failed(
        &loaded.source,
        &loaded.stem,
        format!("{}: {reason}", loaded.source),
        loaded.sha256,
    )]
}

/// The writing end of a batch: formats graded windows in input order, counts them,
/// reports errors and duplicate ids, and streams the bytes to the sink.
struct Writer<'a, 'o> {
    formatter: Box<dyn Formatter>,
    sink: Sink,
    buffer: Vec<u8>,
    outcome: BatchOutcome,
    /// Each id seen, with the source it was first seen in.
    ids: BTreeMap<String, String>,
    reporter: &'a Reporter,
    observe: &'o mut (dyn FnMut(&Evaluation) + Send),
}

impl Writer<'_, '_> {
    /// Writes one graded window: per input (or per part of a JSON Lines file), its
    /// evaluations.
    fn write(&mut self, window: Window) -> Result<()> {
        for _ in 0..window.inputs_done {
            self.reporter.advance();
        }
        for evaluations in window.evaluations {
            for evaluation in evaluations {
                match evaluation.status {
                    Status::Ok => self.outcome.graded += 1,
                    Status::Error => {
                        self.outcome.failed += 1;
                        self.reporter
                            .error(evaluation.error.as_deref().unwrap_or("failed"));
                    }
                }
                if let Some(first) = self.ids.get(&evaluation.id) {
                    self.reporter.warning(&format!(
                        "duplicate id '{}' in {} (first seen in {first}); both kept",
                        evaluation.id, evaluation.source
                    ));
                } else {
                    self.ids
                        .insert(evaluation.id.clone(), evaluation.source.clone());
                }
                (self.observe)(&evaluation);
                self.formatter.evaluation(&evaluation, &mut self.buffer);
            }
            self.sink
                .write(&self.buffer)
                .context("cannot write output")?;
            self.buffer.clear();
        }
        Ok(())
    }

    /// Writes the footer and commits the output; returns the counts.
    fn finish(mut self) -> Result<BatchOutcome> {
        self.formatter.footer(&mut self.buffer);
        self.sink
            .write(&self.buffer)
            .context("cannot write output")?;
        self.sink.finish()?;
        Ok(self.outcome)
    }
}

/// One input read and parsed: its transcripts, or why it could not be read.
pub struct Loaded {
    /// The path as the output shows it.
    pub source: String,
    /// The file stem, the default id.
    pub stem: String,
    /// sha256 of the bytes, when they could be read.
    pub sha256: Option<String>,
    /// The transcripts in the file, or the one-line reason it could not be read.
    pub parsed: Result<Vec<transcript::Parsed>, String>,
}

/// Reads, decodes and parses one input.
pub fn load(input: &Input, input_format: Option<InputFormat>, read: &ReadOptions) -> Loaded {
    let decoded = match decode(input, input_format, read) {
        Ok(decoded) => decoded,
        Err(loaded) => return loaded,
    };
    let mut parsed = transcript::parse(&decoded.text, decoded.format, &decoded.stem, read);
    if !decoded.bad_lines.is_empty() {
        let line_of = |p: &transcript::Parsed| {
            p.fallback_id
                .rsplit(':')
                .next()
                .and_then(|n| n.parse::<usize>().ok())
                .unwrap_or(0)
        };
        parsed.extend(
            decoded
                .bad_lines
                .into_iter()
                .map(|(line, error)| transcript::Parsed {
                    fallback_id: format!("{}:{line}", decoded.stem),
                    result: Err(error),
                }),
        );
        parsed.sort_by_key(line_of);
    }
    Loaded {
        source: decoded.source,
        stem: decoded.stem,
        sha256: decoded.sha256,
        parsed: Ok(parsed),
    }
}

/// One input read and decoded, not yet parsed.
struct Decoded {
    source: String,
    stem: String,
    sha256: Option<String>,
    /// The text, line endings made `\n`.
    text: String,
    /// JSON Lines lines that are not valid text, each failing alone.
    bad_lines: Vec<(usize, transcript::ReadError)>,
    format: InputFormat,
}

/// Reads and decodes one input; what could not be read is returned as a [`Loaded`]
/// holding the reason.
fn decode(
    input: &Input,
    input_format: Option<InputFormat>,
    read: &ReadOptions,
) -> Result<Decoded, Loaded> {
    let source = input.source();
    let stem = match input {
        Input::File(path) | Input::Unusable(path, _) => path
            .file_stem()
            .map_or_else(|| source.clone(), |s| s.to_string_lossy().into_owned()),
        Input::Stdin => "stdin".to_string(),
    };
    let mut failed = Loaded {
        source: source.clone(),
        stem: stem.clone(),
        sha256: None,
        parsed: Err(String::new()),
    };
    let bytes = match read_input(input, read.limits.max_file_size) {
        Ok(bytes) => bytes,
        Err(reason) => {
            failed.parsed = Err(reason);
            return Err(failed);
        }
    };
    let sha256 = Some(format!("{:x}", Sha256::digest(&bytes)));
    failed.sha256 = sha256.clone();
    let path = match input {
        Input::File(path) => Some(path.as_path()),
        _ => None,
    };
    // JSON Lines promise that a bad line fails alone, whatever makes it bad.
    let json_lines = is_json_lines(input, input_format);
    let (text, bad_lines) = match transcript::decode_text(&bytes) {
        Ok(text) => (text, Vec::new()),
        Err(_) if json_lines && !bytes.is_empty() => transcript::decode_lines(&bytes),
        Err(error) => {
            failed.parsed = Err(error.to_string());
            return Err(failed);
        }
    };
    drop(bytes);
    // Old Mac line endings (a lone CR, which WebVTT allows) read as line breaks.
    let text = if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    };
    if text.trim().is_empty() && bad_lines.is_empty() {
        failed.parsed = Err("the file holds only white space".into());
        return Err(failed);
    }
    let format = input_format.unwrap_or_else(|| InputFormat::detect(path, &text));
    Ok(Decoded {
        source,
        stem,
        sha256,
        text,
        bad_lines,
        format,
    })
}

/// Whether `input` is known to be JSON Lines before it is read (its extension, or
/// `--input-format jsonl`): each line is then its own transcript, and a bad line
/// fails alone.
fn is_json_lines(input: &Input, input_format: Option<InputFormat>) -> bool {
    let path = match input {
        Input::File(path) => Some(path.as_path()),
        _ => None,
    };
    input_format.or_else(|| path.and_then(InputFormat::from_path)) == Some(InputFormat::JsonLines)
}

/// A JSON Lines file larger than this streams line window by line window; smaller
/// ones are graded whole, alongside other files, which keeps the workers busy.
const STREAM_ABOVE_BYTES: u64 = 256 * 1024;

/// Whether a batch streams `input`: JSON Lines from stdin, or a JSON Lines file over
/// [`STREAM_ABOVE_BYTES`]. Memory then follows the window, not the file.
fn streams(input: &Input, input_format: Option<InputFormat>) -> bool {
    is_json_lines(input, input_format)
        && match input {
            Input::File(path) => fs::metadata(path).is_ok_and(|m| m.len() > STREAM_ABOVE_BYTES),
            Input::Stdin => true,
            Input::Unusable(..) => false,
        }
}

/// Reads, parses and grades one input; every failure becomes an error evaluation.
pub fn grade_input(
    input: &Input,
    options: &GradeOptions,
    read: &ReadOptions,
    rubric: &CompiledRubric,
) -> Vec<Evaluation> {
    let loaded = load(input, options.input_format, read);
    match &loaded.parsed {
        Ok(_) => {
            let parsed = loaded.parsed.unwrap_or_default();
            grade_parsed(
                parsed,
                &loaded.source,
                loaded.sha256.as_deref(),
                options,
                rubric,
            )
        }
        Err(_) => failed_input(loaded),
    }
}

/// Parses and grades transcripts held in memory (`text` in `format`), as
/// [`grade_input`] grades a file: `source` names them in the output and in errors.
pub fn grade_text(
    text: &str,
    format: InputFormat,
    source: &str,
    options: &GradeOptions,
    rubric: &CompiledRubric,
) -> Vec<Evaluation> {
    let read = options.read_options(rubric);
    let parsed = transcript::parse(text, format, source, &read);
    grade_parsed(parsed, source, None, options, rubric)
}

/// Grades what was parsed out of one input; every failure becomes an error evaluation.
fn grade_parsed(
    parsed: Vec<transcript::Parsed>,
    source: &str,
    sha256: Option<&str>,
    options: &GradeOptions,
    rubric: &CompiledRubric,
) -> Vec<Evaluation> {
    parsed
        .into_iter()
        .map(|parsed| {
            let graded = parsed.result.map_err(|e| e.to_string()).and_then(|t| {
                let mut graded = evaluation::grade(
                    &t,
                    rubric,
                    source,
                    sha256.map(str::to_string),
                    options.level.as_deref(),
                )?;
                if options.with_transcript {
                    graded.transcript = Some(evaluation::TranscriptOut::of(&t));
                }
                Ok(graded)
            });
            graded.unwrap_or_else(|reason| {
                Evaluation::failed(
                    source,
                    &parsed.fallback_id,
                    format!("{source}: {reason}"),
                    sha256.map(str::to_string),
                )
            })
        })
        .collect()
}

/// Grades every input `options.paths` names (folders walked as [`discover`] walks
/// them, `options.shard` applied) on `options.jobs` threads, and returns the
/// evaluations in input order: what [`run`] writes, as values.
pub fn grade_all(options: &GradeOptions, rubric: &CompiledRubric) -> Result<Vec<Evaluation>> {
    let mut inputs = discover(&options.paths);
    if let Some((k, n)) = options.shard {
        inputs = shard(inputs, k, n);
    }
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(jobs) = options.jobs {
        pool = pool.num_threads(jobs);
    }
    let pool = pool.build().context("cannot start worker threads")?;
    let read = options.read_options(rubric);
    let graded: Vec<Vec<Evaluation>> = pool.install(|| {
        inputs
            .par_iter()
            .map(|input| grade_input(input, options, &read, rubric))
            .collect()
    });
    Ok(graded.into_iter().flatten().collect())
}

/// Grades labeled transcripts for `debrief eval`: every transcript with its labels,
/// in input order.
pub fn grade_labeled(
    paths: &[PathBuf],
    rubric: &CompiledRubric,
    level: Option<&str>,
    jobs: Option<usize>,
) -> Result<Vec<crate::labeled::Case>> {
    let inputs = discover(paths);
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(jobs) = jobs {
        pool = pool.num_threads(jobs);
    }
    let pool = pool.build().context("cannot start worker threads")?;
    let read = ReadOptions {
        inference: rubric.speaker_inference.clone(),
        ..ReadOptions::default()
    };
    let per_input: Vec<Vec<crate::labeled::Case>> = pool.install(|| {
        inputs
            .par_iter()
            .map(|input| {
                let loaded = load(input, None, &read);
                let source = loaded.source.as_str();
                let sidecar = match input {
                    Input::File(path) => crate::labeled::read_sidecar(path),
                    _ => None,
                };
                let parsed = match loaded.parsed {
                    Ok(parsed) => parsed,
                    Err(reason) => {
                        return vec![crate::labeled::Case {
                            evaluation: Evaluation::failed(
                                source,
                                &loaded.stem,
                                format!("{source}: {reason}"),
                                loaded.sha256.clone(),
                            ),
                            expect: sidecar.transpose().map_err(|e| e.to_string()),
                        }]
                    }
                };
                parsed
                    .into_iter()
                    .map(|parsed| match parsed.result {
                        Ok(transcript) => {
                            let expect = match &transcript.labels {
                                None => sidecar.clone().transpose(),
                                Some(value) => serde_json::from_value(value.clone())
                                    .map(Some)
                                    .map_err(|e| e.to_string()),
                            };
                            let labeled_level = expect
                                .as_ref()
                                .ok()
                                .and_then(|e: &Option<crate::labeled::Expect>| e.as_ref())
                                .and_then(|e| e.level.as_deref());
                            let evaluation = evaluation::grade(
                                &transcript,
                                rubric,
                                source,
                                loaded.sha256.clone(),
                                labeled_level.or(level),
                            )
                            .unwrap_or_else(|reason| {
                                Evaluation::failed(
                                    source,
                                    &transcript.id,
                                    format!("{source}: {reason}"),
                                    loaded.sha256.clone(),
                                )
                            });
                            crate::labeled::Case { evaluation, expect }
                        }
                        Err(error) => crate::labeled::Case {
                            evaluation: Evaluation::failed(
                                source,
                                &parsed.fallback_id,
                                format!("{source}: {error}"),
                                loaded.sha256.clone(),
                            ),
                            expect: Ok(None),
                        },
                    })
                    .collect()
            })
            .collect()
    });
    Ok(per_input.into_iter().flatten().collect())
}

fn read_input(input: &Input, limit: u64) -> Result<Vec<u8>, String> {
    let too_big = || format!("larger than the {limit}-byte limit (--max-file-size)");
    match input {
        Input::Unusable(_, reason) => Err(reason.clone()),
        Input::File(path) => {
            let file = fs::File::open(path).map_err(|e| io_reason(&e))?;
            let metadata = file.metadata().map_err(|e| io_reason(&e))?;
            if metadata.is_dir() {
                return Err("is a directory".into());
            }
            if metadata.len() > limit {
                return Err(too_big());
            }
            read_limited(file, limit).map_err(|e| e.unwrap_or_else(too_big))
        }
        Input::Stdin => {
            read_limited(std::io::stdin().lock(), limit).map_err(|e| e.unwrap_or_else(too_big))
        }
    }
}

/// Reads at most `limit` bytes; `Err(None)` when there was more.
fn read_limited(reader: impl Read, limit: u64) -> Result<Vec<u8>, Option<String>> {
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Some(io_reason(&e)))?;
    if bytes.len() as u64 > limit {
        return Err(None);
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::shard;

    #[test]
    fn shards_partition_the_inputs_in_order() {
        for len in 0..20 {
            for n in 1..7 {
                let all: Vec<usize> = (0..len).collect();
                let joined: Vec<usize> = (1..=n).flat_map(|k| shard(all.clone(), k, n)).collect();
                assert_eq!(joined, all, "len {len}, n {n}");
                for k in 1..=n {
                    let size = shard(all.clone(), k, n).len();
                    assert!(size == len / n || size == len / n + 1);
                }
            }
        }
    }
}

#[cfg(test)]
mod documentation_tests {
    use super::is_documentation;
    use std::path::Path;

    #[test]
    fn capitalised_names_are_documentation() {
        for name in [
            "README.md",
            "FIRST-MEASUREMENTS.md",
            "NOTES.txt",
            "dir/CHANGES_2.md",
        ] {
            assert!(is_documentation(Path::new(name)), "{name}");
        }
        for name in ["interview.md", "Dana_Reyes.vtt", "q01.json", "123.txt"] {
            assert!(!is_documentation(Path::new(name)), "{name}");
        }
    }
}
