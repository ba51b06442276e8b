//! `debrief._debrief`: the Python extension over the debrief library.
//!
//! It holds no grading logic of its own: each method calls the same library
//! functions the command line calls and returns their JSON, which the pure-Python
//! layer (`python/debrief/__init__.py`) decodes, so a Python result is, field for
//! field, what `debrief grade --format jsonl` writes. Long work runs with the
//! interpreter detached (other Python threads go on), and no panic crosses into
//! Python: each call is guarded and a panic becomes a `DebriefError`.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::Arc;

use debrief::batch::{self, GradeOptions};
use debrief::evaluation::Evaluation;
use debrief::report::OutputFormat;
use debrief::rubric::CompiledRubric;
use debrief::scorers::compliance::ComplianceScorer;
use debrief::scorers::{Prepared, Scorer};
use debrief::transcript::{self, InputFormat, Limits, SpeakerNames};
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;

create_exception!(
    _debrief,
    DebriefError,
    PyException,
    "Base class of debrief's errors."
);
create_exception!(
    _debrief,
    TranscriptError,
    DebriefError,
    "A transcript could not be read or graded; the message is the CLI's."
);
create_exception!(
    _debrief,
    RubricError,
    DebriefError,
    "A rubric could not be read or is invalid; the message is the CLI's."
);

/// Runs `work` with the interpreter detached, turning a panic into a `DebriefError`.
fn guarded<T: Send>(py: Python<'_>, work: impl FnOnce() -> PyResult<T> + Send) -> PyResult<T> {
    py.detach(|| catch_unwind(AssertUnwindSafe(work)))
        .unwrap_or_else(|_| Err(DebriefError::new_err("internal error (a panic in debrief)")))
}

/// A compiled rubric: load once, then grade, audit and check turns with it from any
/// number of threads.
#[pyclass(frozen, module = "debrief._debrief", name = "Rubric")]
struct Rubric {
    compiled: Arc<CompiledRubric>,
}

impl Rubric {
    fn options(
        &self,
        paths: Vec<PathBuf>,
        jobs: Option<usize>,
        level: Option<String>,
    ) -> GradeOptions {
        GradeOptions {
            paths,
            input_format: None,
            format: OutputFormat::JsonLines,
            output: None,
            jobs,
            quiet: true,
            level,
            limits: Limits::default(),
            speakers: SpeakerNames::default(),
            shard: None,
            with_transcript: false,
        }
    }
}

fn to_json(evaluations: &[Evaluation]) -> PyResult<Vec<String>> {
    evaluations
        .iter()
        .map(|e| serde_json::to_string(e).map_err(|e| DebriefError::new_err(e.to_string())))
        .collect()
}

/// The evaluation of one transcript, or its error as a `TranscriptError`.
fn single(mut evaluations: Vec<Evaluation>, source: &str) -> PyResult<String> {
    if evaluations.len() != 1 {
        return Err(TranscriptError::new_err(format!(
            "{source}: holds {} transcripts; grade_files grades them all",
            evaluations.len()
        )));
    }
    let evaluation = evaluations.remove(0);
    if let Some(error) = &evaluation.error {
        return Err(TranscriptError::new_err(error.clone()));
    }
    serde_json::to_string(&evaluation).map_err(|e| DebriefError::new_err(e.to_string()))
}

#[pymethods]
impl Rubric {
    /// The rubric compiled into debrief.
    #[staticmethod]
    fn default(py: Python<'_>) -> PyResult<Rubric> {
        guarded(py, || {
            debrief::load_rubric(None)
                .map(|compiled| Rubric {
                    compiled: Arc::new(compiled),
                })
                .map_err(|e| RubricError::new_err(format!("{e:#}")))
        })
    }

    /// A rubric file, validated as `debrief rubric check` validates it.
    #[staticmethod]
    fn load(py: Python<'_>, path: PathBuf) -> PyResult<Rubric> {
        guarded(py, || {
            debrief::load_rubric(Some(&path))
                .map(|compiled| Rubric {
                    compiled: Arc::new(compiled),
                })
                .map_err(|e| RubricError::new_err(format!("{e:#}")))
        })
    }

    /// The rubric's name, version and sha256, as the JSON output's provenance.
    #[getter]
    fn provenance(&self) -> (String, String, String) {
        let info = debrief::report::Provenance::new(&self.compiled).rubric;
        (info.name, info.version, info.sha256)
    }

    /// Grades one transcript given as JSON text (native or chat-log shape).
    #[pyo3(signature = (text, source, level=None))]
    fn grade_json(
        &self,
        py: Python<'_>,
        text: String,
        source: String,
        level: Option<String>,
    ) -> PyResult<String> {
        guarded(py, || {
            let options = self.options(Vec::new(), None, level);
            let evaluations =
                batch::grade_text(&text, InputFormat::Json, &source, &options, &self.compiled);
            single(evaluations, &source)
        })
    }

    /// Grades the transcripts of one file, in its order; errors are error records.
    #[pyo3(signature = (path, level=None))]
    fn grade_path(
        &self,
        py: Python<'_>,
        path: PathBuf,
        level: Option<String>,
    ) -> PyResult<Vec<String>> {
        guarded(py, || {
            let options = self.options(vec![path], Some(1), level);
            let evaluations = batch::grade_all(&options, &self.compiled)
                .map_err(|e| DebriefError::new_err(format!("{e:#}")))?;
            to_json(&evaluations)
        })
    }

    /// Grades files and folders in parallel; evaluations in input order, failures as
    /// error records, exactly as `debrief grade --format jsonl` writes them.
    #[pyo3(signature = (paths, jobs=None, level=None))]
    fn grade_files(
        &self,
        py: Python<'_>,
        paths: Vec<PathBuf>,
        jobs: Option<usize>,
        level: Option<String>,
    ) -> PyResult<Vec<String>> {
        if jobs == Some(0) {
            return Err(pyo3::exceptions::PyValueError::new_err(
                "jobs must be at least 1",
            ));
        }
        guarded(py, || {
            let options = self.options(paths, jobs, level);
            let evaluations = batch::grade_all(&options, &self.compiled)
                .map_err(|e| DebriefError::new_err(format!("{e:#}")))?;
            to_json(&evaluations)
        })
    }

    /// The breaches of one transcript given as JSON text, as `audit` lists them.
    fn audit_json(&self, py: Python<'_>, text: String, source: String) -> PyResult<String> {
        guarded(py, || {
            let read = self
                .options(Vec::new(), None, None)
                .read_options(&self.compiled);
            let parsed = transcript::parse(&text, InputFormat::Json, &source, &read);
            let [parsed] = <[_; 1]>::try_from(parsed).map_err(|_| {
                TranscriptError::new_err(format!("{source}: holds more than one transcript"))
            })?;
            let transcript = parsed
                .result
                .map_err(|e| TranscriptError::new_err(format!("{source}: {e}")))?;
            let prepared = Prepared::new(&transcript, &self.compiled);
            let findings = ComplianceScorer.score(&prepared, &self.compiled);
            serde_json::to_string(&findings.violations)
                .map_err(|e| DebriefError::new_err(e.to_string()))
        })
    }

    /// The guardrail: the breaches `message` would commit as the interviewer's next
    /// turn after `history` (a JSON array of turns or chat messages).
    fn check_turn_json(
        &self,
        py: Python<'_>,
        history: String,
        message: String,
    ) -> PyResult<String> {
        guarded(py, || {
            let history: Vec<serde_json::Value> = serde_json::from_str(&history).map_err(|e| {
                TranscriptError::new_err(format!("the history is not a list of turns: {e}"))
            })?;
            let check = debrief::guard::check_turn(&history, &message, &self.compiled)
                .map_err(TranscriptError::new_err)?;
            serde_json::to_string(&check).map_err(|e| DebriefError::new_err(e.to_string()))
        })
    }
}

/// The inputs `paths` name, as `debrief grade` finds them: files as given, folders
/// walked in sorted order keeping the files debrief reads.
#[pyfunction]
fn discover(py: Python<'_>, paths: Vec<PathBuf>) -> PyResult<Vec<String>> {
    guarded(py, || {
        Ok(batch::discover(&paths).iter().map(|i| i.source()).collect())
    })
}

/// The module: `Rubric`, `discover` and the exceptions.
#[pymodule]
fn _debrief(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<Rubric>()?;
    m.add_function(wrap_pyfunction!(discover, m)?)?;
    m.add("DebriefError", py.get_type::<DebriefError>())?;
    m.add("TranscriptError", py.get_type::<TranscriptError>())?;
    m.add("RubricError", py.get_type::<RubricError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
