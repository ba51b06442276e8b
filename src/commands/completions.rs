//! `debrief completions SHELL` and `debrief man`: a completion script and a man page,
//! both generated from the clap definition, so they never drift from the flags.

use anyhow::Result;
use clap::CommandFactory;

use super::write_stdout;
use crate::{cli, exit};

pub(crate) fn completions(shell: clap_complete::Shell) -> Result<u8> {
    let mut command = cli::Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "debrief", &mut script);
    write_stdout(&String::from_utf8_lossy(&script))?;
    Ok(exit::SUCCESS)
}

pub(crate) fn man() -> Result<u8> {
    let mut page = Vec::new();
    clap_mangen::Man::new(cli::Cli::command()).render(&mut page)?;
    write_stdout(&String::from_utf8_lossy(&page))?;
    Ok(exit::SUCCESS)
}
