//! `audit` for CI systems: JUnit XML (one test case per interviewer) and GitHub
//! Actions workflow commands (one annotation per breach).
//!
//! With `--fail-under PERCENT`, an interviewer below it is a failed test case and
//! their breaches are `::error` annotations; otherwise every test case passes, with
//! the breaches in its `system-out`, and breaches are `::warning` annotations, as
//! `audit` exits 0 without a gate. Both are written at the end: a verdict needs the
//! interviewer's pooled compliance over every transcript.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write as _;

use super::audit::InterviewerStats;
use super::{Formatter, Provenance};
use crate::evaluation::{Evaluation, Status};

/// One breach, as a CI annotation needs it.
struct Breach {
    source: String,
    id: String,
    interviewer: String,
    turn: usize,
    rule: String,
    quote: String,
    message: String,
}

/// What both formats collect.
#[derive(Default)]
struct Collected {
    stats: InterviewerStats,
    breaches: Vec<Breach>,
}

impl Collected {
    fn add(&mut self, e: &Evaluation) {
        self.stats.add(e);
        let (Status::Ok, Some(compliance)) = (e.status, &e.compliance) else {
            return;
        };
        let interviewer = e.interviewer.clone().unwrap_or_else(|| "(unknown)".into());
        self.breaches
            .extend(compliance.violations.iter().map(|v| Breach {
                source: e.source.clone(),
                id: e.id.clone(),
                interviewer: interviewer.clone(),
                turn: v.turn,
                rule: v.rule.clone(),
                quote: v.quote.clone(),
                message: v.message.clone(),
            }));
    }

    /// The interviewers below the gate, read once from the pooled rows.
    fn failing(&self, gate: Option<f64>) -> BTreeSet<String> {
        let Some(threshold) = gate else {
            return BTreeSet::new();
        };
        self.stats
            .rows()
            .into_iter()
            .filter(|r| r.compliance < threshold)
            .map(|r| r.interviewer.clone())
            .collect()
    }
}

/// JUnit XML: a test suite of one test case per interviewer.
pub struct JunitFormatter {
    gate: Option<f64>,
    collected: Collected,
}

impl JunitFormatter {
    /// A formatter; `gate` is `--fail-under`.
    pub fn new(gate: Option<f64>) -> JunitFormatter {
        JunitFormatter {
            gate,
            collected: Collected::default(),
        }
    }
}

/// Text for XML content and attribute values; control characters XML forbids are
/// written as `\u{..}`.
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 allows no other control characters, even escaped.
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {
                out.push_str(&format!("\\u{{{:04x}}}", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}

impl Formatter for JunitFormatter {
    fn header(&mut self, _: &Provenance, _: &mut Vec<u8>) {}

    fn evaluation(&mut self, evaluation: &Evaluation, _: &mut Vec<u8>) {
        self.collected.add(evaluation);
    }

    fn footer(&mut self, out: &mut Vec<u8>) {
        let rows = self.collected.stats.rows();
        let failing = self.collected.failing(self.gate);
        let failures = failing.len();
        // Each interviewer's breaches, grouped once.
        let mut lines: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for b in &self.collected.breaches {
            lines
                .entry(b.interviewer.as_str())
                .or_default()
                .push(format!(
                    "{} turn {} {}: \"{}\"",
                    b.id, b.turn, b.rule, b.quote
                ));
        }
        let _ = writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
        let _ = writeln!(
            out,
            r#"<testsuites name="debrief audit" tests="{}" failures="{failures}">"#,
            rows.len()
        );
        let _ = writeln!(
            out,
            r#"  <testsuite name="interviewer compliance" tests="{}" failures="{failures}">"#,
            rows.len()
        );
        for row in rows {
            let name = xml(&row.interviewer);
            let _ = writeln!(
                out,
                r#"    <testcase classname="debrief.audit" name="{name}">"#
            );
            if failing.contains(&row.interviewer) {
                let threshold = self.gate.unwrap_or_default();
                let _ = writeln!(
                    out,
                    r#"      <failure message="compliance {:.2}% is below {threshold}%" type="compliance">{} breaches in {} transcripts</failure>"#,
                    row.compliance, row.breaches, row.transcripts
                );
            }
            let breaches = lines
                .get(row.interviewer.as_str())
                .map_or(&[][..], Vec::as_slice);
            let _ = writeln!(
                out,
                "      <system-out>compliance {:.2}%\n{}</system-out>",
                row.compliance,
                xml(&breaches.join("\n"))
            );
            let _ = writeln!(out, "    </testcase>");
        }
        let _ = writeln!(out, "  </testsuite>\n</testsuites>");
    }
}

/// GitHub Actions workflow commands: one annotation per breach.
pub struct GithubFormatter {
    gate: Option<f64>,
    collected: Collected,
}

impl GithubFormatter {
    /// A formatter; `gate` is `--fail-under`.
    pub fn new(gate: Option<f64>) -> GithubFormatter {
        GithubFormatter {
            gate,
            collected: Collected::default(),
        }
    }
}

/// A workflow command's message: `%`, CR and LF escaped as GitHub documents.
pub fn github_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value: also `:` and `,`.
pub fn github_property(text: &str) -> String {
    github_data(text).replace(':', "%3A").replace(',', "%2C")
}

impl Formatter for GithubFormatter {
    fn header(&mut self, _: &Provenance, _: &mut Vec<u8>) {}

    fn evaluation(&mut self, evaluation: &Evaluation, _: &mut Vec<u8>) {
        self.collected.add(evaluation);
    }

    fn footer(&mut self, out: &mut Vec<u8>) {
        let failing = self.collected.failing(self.gate);
        for b in &self.collected.breaches {
            let level = if failing.contains(&b.interviewer) {
                "error"
            } else {
                "warning"
            };
            let _ = writeln!(
                out,
                "::{level} file={},title={}::{}",
                github_property(&b.source),
                github_property(&format!("{} ({})", b.rule, b.interviewer)),
                github_data(&format!(
                    "{} turn {}: \"{}\" ({})",
                    b.id, b.turn, b.quote, b.message
                ))
            );
        }
        for row in self.collected.stats.rows() {
            if failing.contains(&row.interviewer) {
                let _ = writeln!(
                    out,
                    "::error title={}::compliance {:.2}% is below {}%",
                    github_property(&format!("debrief audit: {}", row.interviewer)),
                    row.compliance,
                    self.gate.unwrap_or_default()
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_for_xml_and_workflow_commands() {
        assert_eq!(
            xml("a<b & \"c\"\u{1}"),
            "a&lt;b &amp; &quot;c&quot;\\u{0001}"
        );
        assert_eq!(github_data("50%\nnext"), "50%25%0Anext");
        assert_eq!(github_property("a:b,c"), "a%3Ab%2Cc");
    }
}
