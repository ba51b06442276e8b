//! The documentation's examples are tests: README.md and every markdown file under
//! docs/ (see docs/development.md, "The examples in the docs are tests").
//!
//! - A ```console block runs: each `$ ` line (with its `> ` continuation lines) runs in
//!   bash, with `debrief` on the PATH, from a fresh folder per page where `fixtures/`,
//!   `docs/` and `rubric.yaml` are the repository's. stdout and stderr together must be
//!   the lines shown under it, in trycmd's syntax, matched by snapbox (trycmd's engine):
//!   `...` alone on a line stands for any lines, `[..]` for any text within a line. A
//!   command must exit 0, unless a `? CODE` line follows it or the next command is
//!   `echo $?` showing its code.
//! - A shell block that does not run says why on the line before it:
//!   `<!-- untested: REASON -->`. Its `debrief` commands must still name real
//!   subcommands and options, and so must those of any other block that holds one.
//! - A ```text block of `debrief SUB ...` lines is a synopsis: it names every option
//!   of `debrief SUB --help` and no other.
//! - Every relative link resolves to a file, and every `#anchor` to a heading.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;

use regex::Regex;

use crate::util::root;

/// README.md and every markdown file under docs/, in a stable order.
fn pages() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .expect("docs/ is readable")
            .map(|e| e.expect("a directory entry").path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "md") {
                out.push(path);
            }
        }
    }
    let mut pages = vec![root().join("README.md")];
    walk(&root().join("docs"), &mut pages);
    pages
}

/// A page's path as the messages show it.
fn name(page: &Path) -> String {
    page.strip_prefix(root())
        .unwrap_or(page)
        .display()
        .to_string()
}

/// One fenced code block.
struct Block {
    /// 1-based line of the opening fence.
    line: usize,
    /// The info string's first word (`console`, `sh`, `text`, ...; empty when none).
    lang: String,
    /// `<!-- untested: REASON -->` on the line before the fence.
    untested: Option<String>,
    /// The lines inside, with the fence's indentation taken off, and their line numbers.
    lines: Vec<(usize, String)>,
}

/// The fenced code blocks of a page.
fn blocks(text: &str) -> Vec<Block> {
    let marker = Regex::new(r"^<!--\s*untested:\s*(.+?)\s*-->$").unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let trimmed = lines[i].trim_start();
        let indent = lines[i].len() - trimmed.len();
        let ticks = trimmed.len() - trimmed.trim_start_matches('`').len();
        if ticks < 3 {
            i += 1;
            continue;
        }
        let fence = &trimmed[..ticks];
        let info = trimmed[ticks..].trim();
        let lang = info
            .split([',', ' '])
            .next()
            .unwrap_or_default()
            .to_string();
        let untested = i
            .checked_sub(1)
            .and_then(|p| marker.captures(lines[p].trim()))
            .map(|c| c[1].to_string());
        let start = i;
        let mut body = Vec::new();
        i += 1;
        while i < lines.len() && !lines[i].trim_start().starts_with(fence) {
            let line = lines[i];
            let cut = line.len() - line.trim_start().len();
            body.push((i + 1, line[cut.min(indent)..].to_string()));
            i += 1;
        }
        out.push(Block {
            line: start + 1,
            lang,
            untested,
            lines: body,
        });
        i += 1;
    }
    out
}

/// Whether a line is inside a fenced block, for each line of a page.
fn in_code(text: &str) -> Vec<bool> {
    let mut inside = vec![false; text.lines().count()];
    for block in blocks(text) {
        inside[block.line - 1] = true;
        for (n, _) in &block.lines {
            inside[n - 1] = true;
        }
        if let Some(close) = inside.get_mut(block.lines.last().map_or(block.line, |l| l.0)) {
            *close = true;
        }
    }
    inside
}

/// One `$ ` command of a console block and what it must print.
struct Step {
    line: usize,
    command: String,
    status: Option<i32>,
    expected: String,
}

/// A console block's commands, in trycmd's syntax.
fn steps(block: &Block) -> Result<Vec<Step>, String> {
    let mut steps: Vec<Step> = Vec::new();
    let mut lines = block.lines.iter().peekable();
    while let Some((n, line)) = lines.next() {
        let Some(command) = line.strip_prefix("$ ") else {
            return Err(format!(
                "line {n}: a console block starts with a `$ ` command, not {line:?}"
            ));
        };
        let mut step = Step {
            line: *n,
            command: command.to_string(),
            status: None,
            expected: String::new(),
        };
        while let Some((_, more)) = lines.next_if(|(_, l)| l.starts_with("> ")) {
            step.command.push('\n');
            step.command.push_str(&more[2..]);
        }
        if let Some((m, code)) = lines.next_if(|(_, l)| l.starts_with("? ")) {
            step.status = Some(
                code[2..]
                    .trim()
                    .parse()
                    .map_err(|_| format!("line {m}: `? CODE` needs a number"))?,
            );
        }
        while let Some((_, out)) = lines.next_if(|(_, l)| !l.starts_with("$ ")) {
            step.expected.push_str(out);
            step.expected.push('\n');
        }
        steps.push(step);
    }
    Ok(steps)
}

/// A fresh folder to run a page's commands in, with the repository's files they use.
fn sandbox() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temp dir");
    for entry in ["fixtures", "docs", "rubric.yaml"] {
        std::os::unix::fs::symlink(root().join(entry), dir.path().join(entry))
            .expect("the sandbox links the repository's files");
    }
    dir
}

/// Runs one command in bash; its exit code and what it printed on stdout and stderr.
fn run(command: &str, dir: &Path) -> (i32, String) {
    let bin = Path::new(env!("CARGO_BIN_EXE_debrief"))
        .parent()
        .expect("the binary has a folder");
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut paths = vec![bin.to_path_buf()];
    paths.extend(std::env::split_paths(&path));
    let output = Command::new("bash")
        .arg("-c")
        .arg(format!("set -o pipefail\nexec 2>&1\n{command}"))
        .current_dir(dir)
        .env("PATH", std::env::join_paths(paths).expect("a PATH"))
        .env_remove("CI")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .expect("bash runs");
    let mut printed = String::from_utf8_lossy(&output.stdout).into_owned();
    printed.push_str(&String::from_utf8_lossy(&output.stderr));
    (output.status.code().unwrap_or(-1), printed)
}

/// Whether `actual` is what `expected` shows, with trycmd's `...` and `[..]`.
fn matches(what: &str, actual: &str, expected: &str) -> Result<(), String> {
    let tidy = |s: &str| format!("{}\n", s.trim_end_matches('\n'));
    snapbox::Assert::new()
        .normalize_paths(false)
        .palette(snapbox::report::Palette::plain())
        .try_eq(
            Some(&what),
            snapbox::Data::text(tidy(actual)),
            snapbox::Data::text(tidy(expected)),
        )
        .map_err(|e| e.to_string())
}

/// Runs every console block of one page; the problems found.
fn check_page_examples(page: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(page).expect("the page is readable");
    let dir = sandbox();
    let mut problems = Vec::new();
    for block in blocks(&text) {
        if block.lang != "console" || block.untested.is_some() {
            continue;
        }
        let steps = match steps(&block) {
            Ok(steps) => steps,
            Err(e) => {
                problems.push(format!("{}:{}: {e}", name(page), block.line));
                continue;
            }
        };
        // The command before: its line, exit code, and whether the page shows the code.
        let mut previous: Option<(usize, i32, bool)> = None;
        let unshown = |previous: Option<(usize, i32, bool)>, problems: &mut Vec<String>| {
            if let Some((line, code, false)) = previous {
                if code != 0 {
                    problems.push(format!(
                        "{}:{line}: exits {code}: show it (`echo $?` or `? {code}` under it)",
                        name(page)
                    ));
                }
            }
        };
        for step in steps {
            let at = format!("{}:{}", name(page), step.line);
            if step.command.trim() == "echo $?" {
                match previous {
                    Some((line, code, _)) => {
                        if step.expected.trim() != code.to_string() {
                            problems.push(format!(
                                "{at}: the command before exits {code}, not {}",
                                step.expected.trim()
                            ));
                        }
                        previous = Some((line, code, true));
                    }
                    None => problems.push(format!("{at}: `echo $?` follows no command")),
                }
                continue;
            }
            unshown(previous.take(), &mut problems);
            let (code, printed) = run(&step.command, dir.path());
            if let Err(diff) = matches(&at, &printed, &step.expected) {
                problems.push(format!(
                    "{at}: `{}` printed otherwise:\n{diff}",
                    step.command
                ));
            }
            if let Some(want) = step.status {
                if want != code {
                    problems.push(format!("{at}: exits {code}, the page says {want}"));
                }
            }
            previous = Some((step.line, code, step.status.is_some()));
        }
        unshown(previous, &mut problems);
    }
    problems
}

#[test]
fn every_console_example_prints_what_the_page_shows() {
    let problems = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for page in pages() {
            let problems = &problems;
            scope.spawn(move || {
                let found = check_page_examples(&page);
                problems.lock().unwrap().extend(found);
            });
        }
    });
    let problems = problems.into_inner().unwrap();
    assert!(
        problems.is_empty(),
        "{} doc example(s) differ from what debrief does:\n\n{}",
        problems.len(),
        problems.join("\n\n")
    );
}

/// The `debrief ...` commands in a block's text, continuation lines joined and
/// comments dropped.
fn commands_in(lines: &[(usize, String)], synopsis: bool) -> Vec<(usize, String)> {
    let mut logical: Vec<(usize, String)> = Vec::new();
    let mut continued = false;
    for (n, line) in lines {
        let line = match line.find(" #") {
            Some(at) => &line[..at],
            None if line.trim_start().starts_with('#') => "",
            None => line.as_str(),
        };
        let indented = line.starts_with(char::is_whitespace) && !line.trim().is_empty();
        let joins = continued || (synopsis && indented && !logical.is_empty());
        continued = line.trim_end().ends_with('\\');
        let line = line.trim_end().trim_end_matches('\\');
        match logical.last_mut() {
            Some((_, text)) if joins => {
                text.push(' ');
                text.push_str(line.trim());
            }
            _ => logical.push((*n, line.trim().to_string())),
        }
    }
    let splitter = Regex::new(r"\|\||&&|[|;]|\$\(").unwrap();
    let mut commands = Vec::new();
    for (n, text) in logical {
        // A synopsis's `|` separates values, not commands.
        let pieces: Vec<&str> = if synopsis {
            vec![text.as_str()]
        } else {
            splitter.split(&text).collect()
        };
        for piece in pieces {
            let piece = piece.trim();
            let piece = piece
                .strip_prefix("$ ")
                .or_else(|| piece.strip_prefix("- run:"))
                .or_else(|| piece.strip_prefix("run:"))
                .unwrap_or(piece)
                .trim();
            if piece.starts_with("debrief ") {
                commands.push((n, piece.to_string()));
            }
        }
    }
    commands
}

/// A subcommand's options from its help: long name to short letter.
fn options(path: &[String]) -> Result<BTreeMap<String, Option<char>>, String> {
    let output = Command::new(env!("CARGO_BIN_EXE_debrief"))
        .args(path)
        .arg("--help")
        .output()
        .expect("debrief runs");
    if !output.status.success() {
        return Err(format!("`debrief {}` is no command", path.join(" ")));
    }
    let help = String::from_utf8_lossy(&output.stdout).into_owned();
    let line = Regex::new(r"(?m)^ {2}(?:-([a-zA-Z]), |    )--([a-z][a-z0-9-]*)").unwrap();
    Ok(line
        .captures_iter(&help)
        .map(|c| {
            let short = c.get(1).and_then(|s| s.as_str().chars().next());
            (c[2].to_string(), short)
        })
        .collect())
}

/// The subcommand path and the options a command line names.
fn parse(command: &str) -> (Vec<String>, BTreeSet<String>, BTreeSet<char>) {
    let words: Vec<&str> = command.split_whitespace().skip(1).collect();
    let mut path = vec![words.first().copied().unwrap_or_default().to_string()];
    if path[0] == "rubric" {
        if let Some(sub) = words.get(1) {
            path.push(sub.to_string());
        }
    }
    let long = Regex::new(r"(?:^|[\s\[(])--([a-z][a-z0-9-]*)").unwrap();
    let short = Regex::new(r"(?:^|[\s\[(])-([a-zA-Z])(?:[\s\]=]|$)").unwrap();
    let longs = long
        .captures_iter(command)
        .map(|c| c[1].to_string())
        .collect();
    let shorts = short
        .captures_iter(command)
        .filter_map(|c| c[1].chars().next())
        .collect();
    (path, longs, shorts)
}

/// Options every command has, documented once rather than in each synopsis.
const COMMON: [&str; 3] = ["help", "version", "max-input-size"];

#[test]
fn every_shell_block_runs_or_says_why_not_and_names_real_options() {
    let mut problems = Vec::new();
    for page in pages() {
        let text = std::fs::read_to_string(&page).expect("the page is readable");
        for block in blocks(&text) {
            let at = format!("{}:{}", name(&page), block.line);
            let shell = matches!(block.lang.as_str(), "console" | "sh" | "bash" | "shell");
            if block.lang.is_empty() {
                problems.push(format!(
                    "{at}: say what the block is (```console to run it, ```text, ```json, ...)"
                ));
                continue;
            }
            if block.lang == "console" && block.untested.is_none() {
                continue; // runs in every_console_example_prints_what_the_page_shows
            }
            let synopsis = block.lang == "text";
            let commands = commands_in(&block.lines, synopsis);
            if block.untested.is_none() && !synopsis && (shell || !commands.is_empty()) {
                problems.push(format!(
                    "{at}: a ```{} block of commands either runs (```console) or says why it \
                     cannot on the line before it: <!-- untested: REASON -->",
                    block.lang
                ));
            }
            for (line, command) in commands {
                let at = format!("{}:{line}", name(&page));
                let (path, longs, shorts) = parse(&command);
                let known = match options(&path) {
                    Ok(known) => known,
                    Err(e) => {
                        problems.push(format!("{at}: {e}"));
                        continue;
                    }
                };
                for flag in &longs {
                    if !known.contains_key(flag) {
                        problems.push(format!(
                            "{at}: `debrief {}` has no --{flag}",
                            path.join(" ")
                        ));
                    }
                }
                for letter in &shorts {
                    if !known.values().any(|s| *s == Some(*letter)) {
                        problems.push(format!(
                            "{at}: `debrief {}` has no -{letter}",
                            path.join(" ")
                        ));
                    }
                }
                if synopsis {
                    for (flag, letter) in &known {
                        let named =
                            longs.contains(flag) || letter.is_some_and(|l| shorts.contains(&l));
                        if !named && !COMMON.contains(&flag.as_str()) {
                            problems.push(format!(
                                "{at}: the synopsis of `debrief {}` leaves out --{flag}",
                                path.join(" ")
                            ));
                        }
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// GitHub's anchor for a heading.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ' '))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The anchors of a page's headings (outside code blocks), repeats numbered as GitHub does.
fn anchors(page: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(page).expect("the page is readable");
    let code = in_code(&text);
    let heading = Regex::new(r"^#{1,6}\s+(.*?)\s*#*\s*$").unwrap();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut out = BTreeSet::new();
    for (i, line) in text.lines().enumerate() {
        if code[i] {
            continue;
        }
        if let Some(c) = heading.captures(line) {
            let base = slug(&c[1]);
            let count = seen.entry(base.clone()).or_insert(0);
            out.insert(if *count == 0 {
                base.clone()
            } else {
                format!("{base}-{count}")
            });
            *count += 1;
        }
    }
    out
}

#[test]
fn every_relative_link_in_the_docs_resolves() {
    let link = Regex::new(r"\]\(([^)\s]+)(?:\s+[^)]*)?\)").unwrap();
    let code_span = Regex::new(r"`[^`]*`").unwrap();
    let repository = root().canonicalize().expect("the repository exists");
    let mut problems = Vec::new();
    let mut checked = 0;
    for page in pages() {
        let text = std::fs::read_to_string(&page).expect("the page is readable");
        let code = in_code(&text);
        for (i, line) in text.lines().enumerate() {
            if code[i] {
                continue;
            }
            let line = code_span.replace_all(line, "``");
            for c in link.captures_iter(&line) {
                let target = &c[1];
                if target.contains("://") || target.starts_with("mailto:") {
                    continue;
                }
                checked += 1;
                let at = format!("{}:{}", name(&page), i + 1);
                let (file, anchor) = match target.split_once('#') {
                    Some((file, anchor)) => (file, Some(anchor)),
                    None => (target, None),
                };
                let resolved = if file.is_empty() {
                    page.clone()
                } else {
                    page.parent().expect("a page has a folder").join(file)
                };
                match resolved.canonicalize() {
                    Ok(real) if real.starts_with(&repository) => {}
                    Ok(_) => problems.push(format!("{at}: {target} leaves the repository")),
                    Err(_) => {
                        problems.push(format!("{at}: {target}: no such file"));
                        continue;
                    }
                }
                if let Some(anchor) = anchor {
                    if resolved.extension().is_none_or(|e| e != "md") {
                        problems.push(format!(
                            "{at}: {target}: an anchor into a file that is not markdown"
                        ));
                    } else if !anchors(&resolved).contains(anchor) {
                        problems.push(format!(
                            "{at}: {target}: no heading has the anchor #{anchor}"
                        ));
                    }
                }
            }
        }
    }
    assert!(
        checked > 50,
        "only {checked} links found: is the pattern right?"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_doc_checks_read_markdown_as_github_does() {
    assert_eq!(
        slug("`debrief diff`, `debrief calibrate`: rubric changes under control"),
        "debrief-diff-debrief-calibrate-rubric-changes-under-control"
    );
    assert_eq!(slug("Who is the interviewer"), "who-is-the-interviewer");
    assert_eq!(
        slug("`debrief guard`, for agents not written in Python"),
        "debrief-guard-for-agents-not-written-in-python"
    );
    let block = &blocks("text\n\n  <!-- untested: why -->\n  ```sh\n  a\n    b\n  ```\n")[0];
    assert_eq!(block.untested.as_deref(), Some("why"));
    assert_eq!(block.lang, "sh");
    assert_eq!(block.lines, [(5, "a".to_string()), (6, "  b".to_string())]);
    let commands = commands_in(
        &[
            (1, "- run: |".to_string()),
            (2, "    debrief grade x --quiet \\".to_string()),
            (3, "      --baseline b.json 2>> out  # gate".to_string()),
            (
                4,
                "cat t.md | debrief grade - --input-format markdown".to_string(),
            ),
        ],
        false,
    );
    assert_eq!(
        commands,
        [
            (
                2,
                "debrief grade x --quiet --baseline b.json 2>> out".to_string()
            ),
            (4, "debrief grade - --input-format markdown".to_string()),
        ]
    );
}

#[test]
fn the_readme_keeps_the_two_set_up_commands() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let block = blocks(&readme)
        .into_iter()
        .find(|b| b.lines.iter().any(|(_, l)| l.starts_with("make run ")))
        .expect("README.md shows `make run`");
    let commands: Vec<&str> = block
        .lines
        .iter()
        .filter_map(|(_, l)| l.split_whitespace().take(2).last())
        .collect();
    assert_eq!(commands, ["run", "test"], "README.md's set-up block");
    // The README says `make run` runs this command on the whole folder.
    let makefile = std::fs::read_to_string(root().join("Makefile")).expect("Makefile");
    assert!(
        makefile.contains("grade fixtures/interviews --format csv"),
        "make run no longer runs `debrief grade fixtures/interviews --format csv`: update README.md"
    );
}
