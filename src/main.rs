//! The `debrief` binary: parse arguments, run, exit with the documented code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = debrief::cli::Cli::parse();
    ExitCode::from(debrief::run(cli))
}
