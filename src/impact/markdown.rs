//! The adverse-impact report as markdown, fit for a CI step summary: the findings
//! first, then one table of rates per attribute and intersection with the mean
//! scores per dimension below it, and an audit appendix saying what was computed,
//! on how many, with which rule and threshold, and from which files and rubric.
//!
//! Attribute names, categories and ids come from the team's files: they pass
//! through [`crate::reporter::markdown_text`], so none can open a heading, a link
//! or raw HTML.

use std::fmt::Write as _;

use super::prose::{self, Span};
use super::{p_text, Category, Flag, Group, ImpactReport, Measure};
use crate::reporter::markdown_text;
use crate::rubric::Dimension;

/// Renders the report.
pub fn render(report: &ImpactReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## debrief impact: adverse impact by group\n");
    findings(&mut out, report);
    let _ = writeln!(out, "{}\n", spans(&prose::population(report)));
    for group in &report.groups {
        table(&mut out, report, group);
    }
    appendix(&mut out, report);
    out
}

fn findings(out: &mut String, report: &ImpactReport) {
    let rule = prose::finding_rule(report);
    if report.findings.is_empty() {
        let _ = writeln!(out, "**No finding** ({rule}).\n");
        return;
    }
    let count = report.findings.len();
    let _ = writeln!(
        out,
        "**{count} finding{}** ({rule}):\n",
        if count == 1 { "" } else { "s" }
    );
    for finding in &report.findings {
        let _ = writeln!(out, "- {}", spans(&prose::finding(finding)));
    }
    out.push('\n');
}

/// Spans as markdown: team text escaped, codes in backticks.
fn spans(spans: &[Span]) -> String {
    spans
        .iter()
        .map(|span| match span {
            Span::Plain(text) => text.clone(),
            Span::Team(text) => markdown_text(text),
            Span::Code(text) => format!("`{}`", code(text)),
        })
        .collect()
}

fn table(out: &mut String, report: &ImpactReport, group: &Group) {
    let _ = writeln!(out, "### {}\n", markdown_text(&group.name()));
    out.push_str(&spans(&prose::group_note(report, group)));
    out.push_str("\n\n");
    if group.categories.is_empty() {
        out.push_str("No candidate has a known value.\n\n");
        return;
    }
    out.push_str(
        "| category | n | selected | selection rate | impact ratio | p | flag | above median | \
         scoring rate | impact ratio | p | flag |\n|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---|\n",
    );
    for category in &group.categories {
        let _ = write!(
            out,
            "| {} | {} |",
            markdown_text(&category.name()),
            category.n
        );
        for measure in [Measure::Selection, Measure::Scoring] {
            let rate = category.rate(measure);
            let flag = rate.flag.describe(&report.method);
            let _ = write!(
                out,
                " {} | {:.1}% | {} | {} | {} |",
                rate.count,
                rate.rate * 100.0,
                rate.impact_ratio
                    .map_or("–".to_string(), |r| format!("{r:.2}")),
                rate.p_value.map_or("–".to_string(), p_text),
                if rate.flag == Flag::Adverse {
                    format!("**{flag}**")
                } else {
                    flag
                }
            );
        }
        out.push('\n');
    }
    out.push_str(
        "\nMean score per dimension [95% interval], and Δ its difference from the other \
         categories [95% interval]:\n\n| category |",
    );
    for d in Dimension::ALL {
        let _ = write!(out, " {} |", d.label());
    }
    out.push_str("\n|---|");
    out.push_str(&"---|".repeat(Dimension::ALL.len()));
    out.push('\n');
    for category in &group.categories {
        let _ = write!(out, "| {} |", markdown_text(&category.name()));
        for d in Dimension::ALL {
            let _ = write!(out, " {} |", dimension_cell(category, d));
        }
        out.push('\n');
    }
    out.push('\n');
}

fn dimension_cell(category: &Category, d: Dimension) -> String {
    let Some(mean) = category.dimensions.get(&d) else {
        return "–".to_string();
    };
    match mean.difference_text() {
        Some(difference) => format!("{} Δ {difference}", mean.mean_text()),
        None => mean.mean_text(),
    }
}

fn appendix(out: &mut String, report: &ImpactReport) {
    let _ = writeln!(out, "### Audit appendix\n");
    for note in prose::appendix(report) {
        let _ = writeln!(out, "- **{}**: {}", note.title, spans(&note.spans));
    }
}

/// Text for inside a code span: backticks and line breaks would end or break it.
fn code(text: &str) -> String {
    crate::reporter::visible(&text.replace('`', "'"))
}
