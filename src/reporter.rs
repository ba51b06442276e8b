//! The one voice on stderr: per-file errors, the progress bar and the summary.
//!
//! Transcript text can reach a message (an id, a path, a quote), so everything
//! written here passes through [`visible`]: control characters and ANSI escape
//! sequences are shown, not interpreted. The other outputs' guards live here too,
//! one per medium: [`markdown_text`] for markdown, [`neutralise`] for spreadsheet
//! cells.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Batches smaller than this show no progress bar.
const PROGRESS_MIN_INPUTS: usize = 5;

/// Reports to stderr.
pub struct Reporter {
    quiet: bool,
    progress: Option<ProgressBar>,
}

impl Reporter {
    /// A reporter; the progress bar appears only on a terminal, for more than a
    /// few inputs, without `--quiet`.
    pub fn new(quiet: bool, inputs: usize) -> Reporter {
        let show = !quiet
            && inputs >= PROGRESS_MIN_INPUTS
            && std::io::stderr().is_terminal()
            && std::env::var_os("CI").is_none();
        let progress = show.then(|| {
            let bar =
                ProgressBar::with_draw_target(Some(inputs as u64), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{bar:40} {pos}/{len} files {elapsed} {msg}")
                    .expect("the progress template is valid"),
            );
            bar
        });
        Reporter { quiet, progress }
    }

    /// One input file done.
    pub fn advance(&self) {
        if let Some(bar) = &self.progress {
            bar.inc(1);
        }
    }

    /// An error line; shown even with `--quiet`.
    pub fn error(&self, message: &str) {
        self.line(&format!("error: {}", visible(message)));
    }

    /// A warning line; hidden by `--quiet`.
    pub fn warning(&self, message: &str) {
        if !self.quiet {
            self.line(&format!("warning: {}", visible(message)));
        }
    }

    /// The closing summary; hidden by `--quiet`.
    pub fn summary(&self, graded: usize, failed: usize, elapsed: Duration) {
        if let Some(bar) = &self.progress {
            bar.finish_and_clear();
        }
        if !self.quiet {
            self.line(&format!(
                "debrief: graded {graded}, failed {failed}, elapsed {:.2}s",
                elapsed.as_secs_f64()
            ));
        }
    }

    fn line(&self, text: &str) {
        let write = || {
            let mut stderr = std::io::stderr().lock();
            let _ = writeln!(stderr, "{text}");
        };
        match &self.progress {
            Some(bar) => bar.suspend(write),
            None => write(),
        }
    }
}

/// Makes control characters, escape sequences and bidirectional overrides visible:
/// `\x1b` becomes `\u{1b}`, a newline `\n`, U+202E `\u{202e}`, so a hostile
/// transcript can neither drive the terminal nor reorder what it shows. Every
/// subcommand passes transcript-controlled text (ids, names, sources, quotes)
/// through this before it reaches a terminal or a text report.
pub fn visible(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control()
                || ('\u{80}'..='\u{9f}').contains(&c)
                || ('\u{202a}'..='\u{202e}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c)
                || c == '\u{200e}'
                || c == '\u{200f}'
                || c == '\u{061c}' =>
            {
                out.push_str(&format!("\\u{{{:x}}}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

/// [`visible`], then markdown's own characters escaped, so transcript text renders
/// as plain text in a markdown report: no heading, link, image, emphasis, table
/// break or raw HTML can come from it.
pub fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in visible(text).chars() {
        if matches!(
            ch,
            '\\' | '`'
                | '*'
                | '_'
                | '{'
                | '}'
                | '['
                | ']'
                | '('
                | ')'
                | '#'
                | '+'
                | '-'
                | '!'
                | '|'
                | '<'
                | '>'
                | '~'
        ) {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

/// Prefixes `'` to a cell a spreadsheet would read as a formula, and to every `=`,
/// `+`, `-` or `@` that opens a piece after a `;` or `,` (spaces aside): a spreadsheet
/// whose list separator is `;` splits an unquoted cell there, and each piece must
/// still read as text.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    const FORMULA: [char; 4] = ['=', '+', '-', '@'];
    let opens = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let after_separator = |i: usize| cell[..i].trim_end_matches(' ').ends_with([';', ',']);
    let inner: Vec<usize> = cell
        .char_indices()
        .filter(|&(i, c)| i > 0 && FORMULA.contains(&c) && after_separator(i))
        .map(|(i, _)| i)
        .collect();
    if !opens && inner.is_empty() {
        return std::borrow::Cow::Borrowed(cell);
    }
    let mut out = String::with_capacity(cell.len() + inner.len() + 1);
    if opens {
        out.push('\'');
    }
    let mut from = 0;
    for i in inner {
        out.push_str(&cell[from..i]);
        out.push('\'');
        from = i;
    }
    out.push_str(&cell[from..]);
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::visible;

    #[test]
    fn escapes_are_made_visible() {
        assert_eq!(visible("a\u{1b}[31mred\nb"), "a\\u{1b}[31mred\\nb");
        assert_eq!(visible("plain é"), "plain é");
        assert_eq!(visible("abc\u{202e}def"), "abc\\u{202e}def");
    }

    #[test]
    fn markdown_text_renders_as_plain_text() {
        assert_eq!(
            super::markdown_text("x\n## head ![i](http://e) <img onerror=1>"),
            "x\\\\n\\#\\# head \\!\\[i\\]\\(http://e\\) \\<img onerror=1\\>"
        );
    }
}
