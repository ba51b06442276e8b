//! `debrief guard`: the guardrail as a long-running process, for interviewer agents not
//! written in Python. One JSON Lines request per message on stdin, one verdict line per
//! request on stdout, flushed each time; a bad request gets an error line and the
//! process goes on. Exits 3 at the end of input when any request line was bad.

use anyhow::Result;

use super::{load_rubric, warn_rubric};
use crate::{cli, exit, guard};

pub(crate) fn run(args: &cli::GuardArgs) -> Result<u8> {
    let rubric = load_rubric(args.rubric.as_deref())?;
    warn_rubric(&rubric, false);
    let served = guard::serve(std::io::stdin().lock(), std::io::stdout().lock(), &rubric)?;
    Ok(if served.failed > 0 {
        exit::SOME_INPUTS_FAILED
    } else {
        exit::SUCCESS
    })
}
