//! debrief grades finished machine-learning technical interviews in bulk.
//!
//! Data flows one way: [`batch`] finds input files and reads them with the
//! [`transcript`] readers; the [`scorers`] find evidence using the compiled
//! [`rubric`]; [`evaluation`] turns findings into scores and a recommendation;
//! [`report`] formats the results and [`sink`] writes them. [`run`] is the entry
//! point the binary calls; each subcommand is one file under `src/commands/`.
#![warn(clippy::print_stdout, clippy::print_stderr, missing_docs)]

pub mod agreement;
pub mod batch;
pub mod calibrate;
pub mod cli;
mod commands;
pub mod diff;
pub mod evaluation;
pub mod exit;
pub mod fit;
pub mod guard;
pub mod impact;
pub mod input;
pub mod interrupt;
pub mod labeled;
pub mod provenance;
pub mod report;
pub mod reporter;
pub mod results;
pub mod rubric;
pub mod scorers;
pub mod sink;
pub mod text;
pub mod transcript;

pub use commands::{load_rubric, run};
