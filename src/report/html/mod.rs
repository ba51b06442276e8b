//! The HTML report: the results of `debrief grade` as one self-contained page a hiring
//! committee can open, mail or print. It owns the page's layout, its stylesheet, the SVG
//! charts (drawn here, no library) and the small script that sorts, filters and
//! compares the candidates and opens a folded transcript when a link points into it.
//!
//! The page renders typed [`Evaluation`]s: those `grade --format html` has just made,
//! or those [`crate::results`] reads from a results file (`debrief report`), where a
//! field an older debrief did not write reads as empty and anything of the wrong type
//! is refused before the page is made. What the results do not hold is shown as
//! absent (`–`).
//!
//! Sections: an overview (graded and failed counts, the failed inputs with their
//! errors, the recommendations as a bar chart, each dimension's 1-5 distribution), with
//! `report --groups` an adverse-impact section ([`crate::impact`]: findings, rates and
//! impact ratios per attribute and intersection, mean scores per dimension, the audit
//! appendix), a sortable, filterable table of candidates (with the script, a box per
//! row to compare two to four cards side by side), the interviewers' compliance worst
//! first, one card per graded transcript, and a footer with the provenance. A card
//! ends with the evidence behind its scores and, when the results carry the turns,
//! the transcript view (`html/transcript.rs`), to which every turn the card cites links.
//!
//! Safety and portability: every string taken from the results goes through one
//! `escape` function; anchors are built from positions (`c-3`, `c-3-t-5` for turn 5 of
//! card 3), never from ids. The page names
//! no URL: styles, charts and script are inline, the fonts are the system's, and a
//! Content-Security-Policy allows nothing else to load or run (the style and the script
//! are allowed by their sha256). Without JavaScript everything still reads; sorting,
//! filtering and comparing are lost, and a folded transcript is opened by hand before
//! its links land. Output is deterministic: no clock, and per-interviewer pools
//! are kept in a `BTreeMap`. Its size is linear in the transcripts: each adds its row,
//! its card and its turns, nothing that grows with the others.
//!
//! [`Evaluation`]: crate::evaluation::Evaluation

use std::collections::BTreeMap;
use std::fmt::Write as _;

use sha2::{Digest, Sha256};

use crate::evaluation::{Assessment, Evaluation, ExchangeOut, ScoreEvidence, Status};
use crate::impact::prose::{self, Span};
use crate::impact::{p_text, Flag, ImpactReport, Measure};
use crate::results::ResultsFile;
use crate::rubric::{Band, Dimension, Recommendation};
use crate::scorers::production::ProductionExperience;
use crate::transcript::Attribution;

mod transcript;

use transcript::Turns;

/// The guide's recommendations, worst first: chart order and sort rank.
const RECOMMENDATIONS: [&str; 5] = Recommendation::LABELS;

/// Bar colour per recommendation, in [`RECOMMENDATIONS`] order.
const RECOMMENDATION_COLOURS: [&str; 5] = ["#b42318", "#dc6803", "#667085", "#3b8a3e", "#146c2e"];

/// The six dimensions: result key, label, short column heading.
const DIMENSIONS: [(&str, &str, &str); 6] = {
    let mut rows = [("", "", ""); 6];
    let mut i = 0;
    while i < rows.len() {
        let d = Dimension::ALL[i];
        rows[i] = (d.key(), d.label(), d.short());
        i += 1;
    }
    rows
};

/// An evaluation and its position in the results, which names its card (`c-3`).
type Indexed<'a> = (usize, &'a Evaluation);

/// Shown where a value is absent.
const ABSENT: &str = "–";

const STYLE: &str = r#"
:root { color-scheme: light; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1200px; padding: 1rem 1.25rem 3rem; color: var(--fg); background: #fff;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
h1 { font-size: 1.6rem; margin: .5rem 0 .25rem; }
h2 { font-size: 1.3rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; margin-top: 2rem; }
h3 { font-size: 1.1rem; margin: .25rem 0 .5rem; }
h4 { font-size: .95rem; margin: 1rem 0 .35rem; }
nav a { margin-right: 1rem; }
a { color: #0b57d0; }
code { font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: var(--soft); font-weight: 600; white-space: nowrap; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.scroll { overflow-x: auto; }
.panels { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 1rem; align-items: start; }
.panel.wide { grid-column: 1 / -1; }
.panel, .card { min-width: 0; border: 1px solid var(--line); border-radius: 8px; padding: .75rem 1rem; background: #fff; }
.panel h3 { font-size: 1rem; }
.card { margin: 1rem 0; }
.card:target { outline: 2px solid #0b57d0; }
.cols { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 1rem; }
code.rule { white-space: nowrap; overflow-wrap: normal; }
.meta { display: grid; grid-template-columns: max-content 1fr; gap: .1rem .75rem; margin: .25rem 0; }
.meta dt { color: var(--muted); }
.meta dd { margin: 0; }
svg { display: block; max-width: 100%; height: auto; }
svg text { font: 12px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; fill: var(--fg); }
svg .grid { stroke: var(--line); }
.pill { display: inline-block; padding: 0 .5rem; border: 1px solid currentColor; border-radius: 999px;
  font-size: .8rem; font-weight: 600; white-space: nowrap; }
.rec-0 { color: #b42318; } .rec-1 { color: #b54708; } .rec-2 { color: #475467; }
.rec-3 { color: #2f6f32; } .rec-4 { color: #146c2e; }
.band-high { color: #166534; background: #dcfce7; }
.band-incomplete { color: #854d0e; background: #fef9c3; }
.band-incorrect { color: #991b1b; background: #fee2e2; }
.quote { font-style: italic; }
.adverse { color: #b42318; font-weight: 600; }
table.impact td.num, table.impact th { white-space: nowrap; }
.none, .note { color: var(--muted); }
details > summary { cursor: pointer; }
details.transcript > summary, details.evidence > summary { font-weight: 600; margin: 1rem 0 .35rem; }
.turns { list-style: none; padding: 0; margin: .25rem 0; }
.turns li { padding: .3rem .6rem; margin: .3rem 0; border-left: 3px solid var(--line); }
.turns li.ca { border-left-color: #4e79a7; background: var(--soft); }
.turns li:target { outline: 2px solid #0b57d0; }
.turns p { margin: 0; }
.turns .who { font-size: .85rem; color: var(--muted); }
.turns .who b { color: var(--fg); }
.turns .ex { margin-left: .5rem; }
.turns .said { white-space: pre-wrap; overflow-wrap: anywhere; }
mark { background: #fde68a; color: inherit; }
mark.f { background: #fecaca; }
#compare-bar button { font: inherit; padding: .3rem .9rem; margin-right: .5rem; }
th.pick, td.pick { width: 1%; text-align: center; }
.compare-grid { display: grid; grid-auto-flow: column; grid-template-rows: repeat(5, auto);
  grid-auto-columns: minmax(14rem, 1fr); gap: .25rem 1.25rem; overflow-x: auto; }
.compare-grid > * { min-width: 0; }
.compare-grid > h4 { margin: .25rem 0; }
.filter { margin: .5rem 0; }
#filter { width: 100%; max-width: 24rem; padding: .4rem .6rem; font: inherit; border: 1px solid var(--line); border-radius: 6px; }
#candidates th, #candidates td { padding: .3rem .4rem; }
#candidates th { white-space: normal; vertical-align: bottom; }
#candidates td.id { overflow-wrap: anywhere; min-width: 8rem; }
table.js th { cursor: pointer; }
th[aria-sort=ascending]::after { content: " \25B2"; }
th[aria-sort=descending]::after { content: " \25BC"; }
footer { margin-top: 3rem; padding-top: .5rem; border-top: 1px solid var(--line); color: var(--muted); font-size: .85rem; }
@media (max-width: 600px) {
  body { padding: .5rem .75rem 2rem; font-size: 14px; }
  .panels, .cols { grid-template-columns: 1fr; }
  .scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; }
  #candidates { min-width: 760px; }
  .card .scroll > table { min-width: 560px; }
  .meta { grid-template-columns: 1fr; }
  .meta dd { margin-bottom: .25rem; }
}
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; color: #000; }
  nav, .filter, #filter, .top, #compare-bar, .pick { display: none; }
  .card, .panel, tr, svg { break-inside: avoid; page-break-inside: avoid; }
  .card { border-color: #888; }
  h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  table { font-size: 8pt; }
  th, td { padding: .15rem .25rem; }
  th { background: none; white-space: normal; }
  a { color: inherit; text-decoration: none; }
  .scroll { overflow: visible; }
}
"#;

const SCRIPT: &str = r##"
(function () {
  var MOST = 4;
  var table = document.getElementById("candidates");
  if (table) { candidates(table); }
  turns();

  // The candidates table: a column of boxes to compare, the filter, sorting.
  function candidates(table) {
    var body = table.tBodies[0];
    var headRow = table.tHead.rows[0];
    compare(body, headRow);
    var heads = headRow.cells;
    table.className += " js";
    var filter = document.getElementById("filter");
    if (filter) {
      filter.hidden = false;
      filter.addEventListener("input", function () {
        var query = filter.value.trim().toLowerCase();
        for (var i = 0; i < body.rows.length; i++) {
          var row = body.rows[i];
          row.hidden = query !== "" && row.textContent.toLowerCase().indexOf(query) < 0;
        }
      });
    }
    function key(cell) {
      var value = cell.getAttribute("data-sort");
      if (value !== null && value !== "" && !isNaN(value)) { return Number(value); }
      return (value !== null ? value : cell.textContent).trim().toLowerCase();
    }
    function sortBy(index) {
      var head = heads[index];
      var dir = head.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
      for (var i = 0; i < heads.length; i++) { heads[i].removeAttribute("aria-sort"); }
      head.setAttribute("aria-sort", dir);
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = key(a.cells[index]);
        var y = key(b.cells[index]);
        var order = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
        return dir === "ascending" ? order : -order;
      });
      for (var j = 0; j < rows.length; j++) { body.appendChild(rows[j]); }
    }
    Array.prototype.forEach.call(heads, function (head, index) {
      if (head.className === "pick") { return; }
      head.tabIndex = 0;
      head.addEventListener("click", function () { sortBy(index); });
      head.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sortBy(index); }
      });
    });
  }

  // Tick 2 to 4 rows, press Compare: their cards' scores, recommendation and basis,
  // strengths and gaps side by side. The choice is kept in the address (#compare=0,3).
  function compare(body, headRow) {
    var bar = document.getElementById("compare-bar");
    var button = document.getElementById("compare-button");
    var status = document.getElementById("compare-status");
    var panel = document.getElementById("compare");
    var grid = document.getElementById("compare-grid");
    if (!bar || !button || !status || !panel || !grid) { return; }
    var head = document.createElement("th");
    head.className = "pick";
    head.title = "Tick 2 to " + MOST + " rows, then press Compare";
    head.setAttribute("aria-label", "Compare");
    head.textContent = "\u21c4";
    headRow.insertBefore(head, headRow.firstChild);
    var boxes = [];
    for (var i = 0; i < body.rows.length; i++) {
      var row = body.rows[i];
      var link = row.querySelector("a[href^='#c-']");
      var cell = row.insertCell(0);
      cell.className = "pick";
      if (!link) { continue; }
      var box = document.createElement("input");
      box.type = "checkbox";
      box.value = link.getAttribute("href").slice(3);
      box.setAttribute("aria-label", "Compare " + link.textContent);
      cell.appendChild(box);
      boxes.push(box);
    }
    bar.hidden = false;
    function ticked() {
      var picked = [];
      for (var i = 0; i < boxes.length; i++) { if (boxes[i].checked) { picked.push(boxes[i].value); } }
      return picked;
    }
    function refused(count) {
      if (count < 2) { return "Tick 2 to " + MOST + " rows to compare their cards."; }
      if (count > MOST) { return "At most " + MOST + " candidates can be compared side by side; " + count + " are ticked."; }
      return "";
    }
    function show(picked) {
      var cards = [];
      for (var i = 0; i < picked.length; i++) {
        var card = document.getElementById("c-" + picked[i]);
        if (card && cards.indexOf(card) < 0) { cards.push(card); }
      }
      var refusal = refused(cards.length);
      if (refusal) {
        status.textContent = refusal;
        return false;
      }
      grid.textContent = "";
      cards.forEach(function (card) {
        var title = document.createElement("h4");
        var link = document.createElement("a");
        link.href = "#" + card.id;
        link.textContent = card.querySelector("h3").textContent;
        title.appendChild(link);
        grid.appendChild(title);
        ["c-rec", "c-scores", "c-strengths", "c-gaps"].forEach(function (part) {
          var block = card.querySelector("." + part);
          grid.appendChild(block ? block.cloneNode(true) : document.createElement("div"));
        });
      });
      for (var j = 0; j < boxes.length; j++) { boxes[j].checked = picked.indexOf(boxes[j].value) >= 0; }
      panel.hidden = false;
      status.textContent = "Comparing " + cards.length + " candidates below.";
      return true;
    }
    function fromAddress() {
      var match = /^#compare=([0-9,]+)$/.exec(location.hash);
      if (match && show(match[1].split(",").filter(Boolean))) { panel.scrollIntoView(); }
    }
    button.addEventListener("click", function () {
      var picked = ticked();
      if (show(picked)) {
        location.hash = "compare=" + picked.join(",");
        panel.scrollIntoView();
      }
    });
    window.addEventListener("hashchange", fromAddress);
    fromAddress();
  }

  // A link to a turn opens the folded transcript it is in, then goes there.
  function turns() {
    function reveal(id) {
      var target = id ? document.getElementById(id) : null;
      var opened = false;
      for (var node = target; node; node = node.parentNode) {
        if (node.tagName === "DETAILS" && !node.open) { node.open = true; opened = true; }
      }
      return opened ? target : null;
    }
    document.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a[href^='#']") : null;
      if (link) { reveal(link.getAttribute("href").slice(1)); }
    });
    function fromAddress() {
      var target = reveal(location.hash.slice(1));
      if (target) { target.scrollIntoView(); }
    }
    window.addEventListener("hashchange", fromAddress);
    fromAddress();
  }
})();
"##;

/// Renders grade results (the evaluations of a batch, with the debrief and rubric that
/// made them when known) as one self-contained HTML page. The same results always give
/// the same bytes.
pub fn render(results: &ResultsFile) -> String {
    render_with_impact(results, None)
}

/// [`render`], with the adverse-impact section after the overview when `impact` is
/// given (`debrief report --groups`).
pub fn render_with_impact(results: &ResultsFile, impact: Option<&ImpactReport>) -> String {
    let evaluations = &results.evaluations;
    // Positions are kept from the whole list, so anchors do not depend on filtering.
    let (failed, graded): (Vec<Indexed>, Vec<Indexed>) = evaluations
        .iter()
        .enumerate()
        .partition(|(_, e)| e.status == Status::Error);
    let mut out = String::with_capacity(16_384 + 8_192 * evaluations.len());
    head(
        &mut out,
        results,
        graded.len() + failed.len(),
        impact.is_some(),
    );
    overview(&mut out, &graded, &failed);
    if let Some(report) = impact {
        impact_section(&mut out, report);
    }
    candidates(&mut out, &graded);
    interviewer_compliance(&mut out, &graded);
    out.push_str("<section id=\"cards\"><h2>Transcripts</h2>\n");
    if graded.is_empty() {
        out.push_str("<p class=\"none\">No graded transcripts.</p>\n");
    }
    for &(index, evaluation) in &graded {
        card(&mut out, index, evaluation);
    }
    out.push_str("</section>\n");
    footer(&mut out, results);
    out
}

/// HTML-escapes text for element content and quoted attributes. Control characters
/// other than tab and line breaks are made visible (`\u{1b}`), not passed through. A
/// `/` before another `/` is written `&#47;`: it reads the same, but no text from the
/// results puts `http://` or `//host` into the page's bytes, for scanners that look.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => out.push_str("&#47;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

/// Escaped text, or [`ABSENT`].
fn shown(value: Option<&str>) -> String {
    value.map_or_else(|| ABSENT.to_string(), escape)
}

/// Text that is there: `None` for an empty string, as an older results file's
/// missing `source` reads.
fn present(text: &str) -> Option<&str> {
    (!text.is_empty()).then_some(text)
}

/// A number written as the results file writes it (`4.0`, `0.83`).
fn json_number(x: f64) -> String {
    serde_json::Number::from_f64(x).map_or_else(|| ABSENT.to_string(), |n| n.to_string())
}

/// A number without a needless `.0`.
fn number_text(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// The score of the dimension at `index` in [`DIMENSIONS`], when there is one.
fn score(evaluation: &Evaluation, index: usize) -> Option<u8> {
    evaluation.scores?.to_array()[index]
}

/// A 1-5 score as an index 0-4, when it is one.
fn score_index(score: Option<u8>) -> Option<usize> {
    score
        .filter(|s| (1..=5).contains(s))
        .map(|s| usize::from(s) - 1)
}

/// Production experience as the results write it (`yes`, `no`, `unclear`).
fn production_experience(evaluation: &Evaluation) -> Option<&'static str> {
    evaluation.production_experience.map(|p| match p {
        ProductionExperience::Yes => "yes",
        ProductionExperience::No => "no",
        ProductionExperience::Unclear => "unclear",
    })
}

/// An evaluation's recommendation as a coloured pill; "Insufficient" for an
/// interview too thin to assess; else [`ABSENT`].
fn recommendation_pill(evaluation: &Evaluation) -> String {
    if evaluation.assessment == Some(Assessment::Insufficient) {
        return "<span class=\"pill\">Insufficient</span>".to_string();
    }
    let Some(recommendation) = evaluation.recommendation else {
        return ABSENT.to_string();
    };
    format!(
        "<span class=\"pill rec-{}\">{}</span>",
        recommendation.rank(),
        escape(recommendation.label())
    )
}

/// A CSP source allowing exactly `source` as an inline style or script.
fn csp_hash(source: &str) -> String {
    use base64::Engine as _;
    let digest = Sha256::digest(source.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

fn head(out: &mut String, results: &ResultsFile, transcripts: usize, impact: bool) {
    let rubric = results
        .rubric
        .as_ref()
        .map_or("unknown rubric", |rubric| rubric.name.as_str());
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src {}; script-src {}; base-uri 'none'; form-action 'none'\">\n\
         <title>debrief: {transcripts} transcripts, {}</title>\n<style>{STYLE}</style>\n</head>\n\
         <body>\n<header>\n<h1>Interview grades</h1>\n<p class=\"note\">{transcripts} \
         transcripts graded against {}.</p>\n<nav><a href=\"#overview\">Overview</a>{}\
         <a href=\"#candidates\">Candidates</a><a href=\"#interviewers\">Interviewers</a>\
         <a href=\"#cards\">Transcripts</a></nav>\n\
         </header>\n",
        csp_hash(STYLE),
        csp_hash(SCRIPT),
        escape(rubric),
        escape(rubric),
        if impact {
            "<a href=\"#impact\">Adverse impact</a>"
        } else {
            ""
        },
    );
}

fn overview(out: &mut String, graded: &[Indexed], failed: &[Indexed]) {
    let _ = write!(
        out,
        "<section id=\"overview\"><h2>Overview</h2>\n<p><strong>{}</strong> graded, \
         <strong>{}</strong> failed.</p>\n<div class=\"panels\">\n",
        graded.len(),
        failed.len()
    );
    recommendation_chart(out, graded);
    dimension_distribution(out, graded);
    let _ = writeln!(
        out,
        "<div class=\"panel wide\"><h3 id=\"failed\">Failed ({})</h3>",
        failed.len()
    );
    if failed.is_empty() {
        out.push_str("<p class=\"none\">Every input was graded.</p>\n");
    } else {
        out.push_str(
            "<div class=\"scroll\"><table class=\"failed\"><thead><tr><th>ID</th><th>Source</th>\
             <th>Error</th></tr></thead><tbody>\n",
        );
        for (_, evaluation) in failed {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td><code>{}</code></td><td>{}</td></tr>",
                escape(&evaluation.id),
                shown(present(&evaluation.source)),
                shown(evaluation.error.as_deref())
            );
        }
        out.push_str("</tbody></table></div>\n");
    }
    out.push_str("</div>\n</div>\n</section>\n");
}

/// Vertical bars, one per recommendation, with its count.
fn recommendation_chart(out: &mut String, graded: &[Indexed]) {
    let mut counts = [0usize; 5];
    let mut other = 0;
    for (_, evaluation) in graded {
        match evaluation.recommendation {
            Some(recommendation) => counts[recommendation.rank()] += 1,
            None => other += 1,
        }
    }
    let max = counts.iter().copied().max().unwrap_or(0).max(1);
    let summary: Vec<String> = RECOMMENDATIONS
        .iter()
        .zip(counts)
        .map(|(label, n)| format!("{label} {n}"))
        .collect();
    let _ = write!(
        out,
        "<div class=\"panel\"><h3>Recommendations</h3>\n<svg id=\"recommendations\" \
         viewBox=\"0 0 420 172\" width=\"420\" height=\"172\" role=\"img\">\
         <title>Recommendations: {}</title>\n",
        summary.join(", ")
    );
    for (rank, (label, count)) in RECOMMENDATIONS.iter().zip(counts).enumerate() {
        let height = if count == 0 {
            0
        } else {
            (count * 120 / max).max(2)
        };
        let x = rank * 84 + 12;
        let y = 140 - height;
        let _ = writeln!(
            out,
            "<rect x=\"{x}\" y=\"{y}\" width=\"60\" height=\"{height}\" fill=\"{}\"/>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{count}</text>\
             <text x=\"{}\" y=\"160\" text-anchor=\"middle\">{label}</text>",
            RECOMMENDATION_COLOURS[rank],
            x + 30,
            y - 6,
            x + 30
        );
    }
    out.push_str("<line class=\"grid\" x1=\"0\" y1=\"140.5\" x2=\"420\" y2=\"140.5\"/></svg>\n");
    if other > 0 {
        let _ = writeln!(
            out,
            "<p class=\"note\">{other} graded without a known recommendation.</p>"
        );
    }
    out.push_str("</div>\n");
}

/// Per dimension, how many transcripts scored 1..5, the mean and a small histogram.
fn dimension_distribution(out: &mut String, graded: &[Indexed]) {
    out.push_str(
        "<div class=\"panel\"><h3>Scores by dimension</h3>\n<div class=\"scroll\">\
         <table class=\"dist\"><thead><tr><th>Dimension</th><th class=\"num\">1</th>\
         <th class=\"num\">2</th><th class=\"num\">3</th><th class=\"num\">4</th>\
         <th class=\"num\">5</th><th class=\"num\">Mean</th><th></th></tr></thead><tbody>\n",
    );
    for (dimension, (_, label, _)) in DIMENSIONS.into_iter().enumerate() {
        let mut counts = [0usize; 5];
        for (_, evaluation) in graded {
            if let Some(i) = score_index(score(evaluation, dimension)) {
                counts[i] += 1;
            }
        }
        let n: usize = counts.iter().sum();
        let mean = if n == 0 {
            ABSENT.to_string()
        } else {
            let total: usize = counts.iter().enumerate().map(|(i, c)| (i + 1) * c).sum();
            format!("{:.2}", total as f64 / n as f64)
        };
        let _ = write!(out, "<tr><td>{label}</td>");
        for count in counts {
            let _ = write!(out, "<td class=\"num\">{count}</td>");
        }
        let max = counts.iter().copied().max().unwrap_or(0).max(1);
        let _ = write!(
            out,
            "<td class=\"num\">{mean}</td><td><svg viewBox=\"0 0 60 20\" width=\"60\" \
             height=\"20\" role=\"img\"><title>{label}: {}</title>",
            counts.map(|c| c.to_string()).join(", ")
        );
        for (i, count) in counts.iter().enumerate() {
            let height = if *count == 0 {
                0
            } else {
                (count * 18 / max).max(1)
            };
            let _ = write!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"10\" height=\"{height}\" fill=\"#4e79a7\"/>",
                i * 12,
                20 - height
            );
        }
        out.push_str("</svg></td></tr>\n");
    }
    out.push_str("</tbody></table></div></div>\n");
}

/// Compliance pooled over one interviewer's transcripts.
#[derive(Default)]
struct Pool {
    transcripts: usize,
    breaches: usize,
    /// Transcripts whose compliance counts its checks (results from before the count
    /// read 0 checks, and a count made is at least 1).
    counted: usize,
    checks: f64,
    passed: f64,
    /// The scores' sum.
    score_sum: f64,
}

impl Pool {
    /// 100 x passed / checks when every transcript counts its checks, else the mean score.
    fn compliance(&self) -> f64 {
        if self.counted > 0 && self.counted == self.transcripts {
            100.0 * self.passed / self.checks
        } else {
            self.score_sum / self.transcripts as f64
        }
    }
}

/// One row per interviewer (or `(unknown)`), worst compliance first.
fn interviewer_compliance(out: &mut String, graded: &[Indexed]) {
    let mut pools: BTreeMap<String, Pool> = BTreeMap::new();
    for (_, evaluation) in graded {
        let Some(compliance) = &evaluation.compliance else {
            continue;
        };
        let name = evaluation
            .interviewer
            .clone()
            .unwrap_or_else(|| "(unknown)".into());
        let pool = pools.entry(name).or_default();
        pool.transcripts += 1;
        pool.breaches += compliance.violations.len();
        if compliance.checks > 0 {
            pool.counted += 1;
            pool.checks += compliance.checks as f64;
            pool.passed += compliance.passed as f64;
        }
        pool.score_sum += f64::from(compliance.score);
    }
    let mut rows: Vec<(&String, &Pool, f64)> = pools
        .iter()
        .map(|(name, pool)| (name, pool, pool.compliance()))
        .collect();
    // Worst first; then most breaches, then name.
    rows.sort_by(|a, b| {
        a.2.total_cmp(&b.2)
            .then(b.1.breaches.cmp(&a.1.breaches))
            .then(a.0.cmp(b.0))
    });
    out.push_str(
        "<section id=\"interviewers\"><h2>Interviewer compliance</h2>\n\
         <p class=\"note\">Worst first; interviewers with no breach are folded below.</p>\n",
    );
    if rows.is_empty() {
        out.push_str("<p class=\"none\">No compliance data.</p></section>\n");
        return;
    }
    let (clean, breached): (Vec<_>, Vec<_>) = rows
        .into_iter()
        .partition(|(_, pool, c)| pool.breaches == 0 && *c >= 100.0);
    let table = |out: &mut String, rows: &[(&String, &Pool, f64)]| {
        out.push_str(
            "<div class=\"scroll\"><table class=\"interviewers\"><thead><tr><th>Interviewer</th>\
             <th class=\"num\">Transcripts</th><th class=\"num\">Breaches</th>\
             <th class=\"num\">Compliance</th></tr></thead><tbody>\n",
        );
        for (name, pool, compliance) in rows {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
                 <td class=\"num\">{compliance:.2}%</td></tr>",
                escape(name),
                pool.transcripts,
                pool.breaches,
            );
        }
        out.push_str("</tbody></table></div>\n");
    };
    if breached.is_empty() {
        out.push_str("<p class=\"none\">No interviewer breached the templates.</p>\n");
    } else {
        table(out, &breached);
    }
    if !clean.is_empty() {
        let _ = writeln!(
            out,
            "<details><summary>{} interviewer{} with no breach (100%)</summary>",
            clean.len(),
            if clean.len() == 1 { "" } else { "s" }
        );
        table(out, &clean);
        out.push_str("</details>\n");
    }
    out.push_str("</section>\n");
}

/// Spans of the impact report's prose as HTML: everything escaped, codes in `<code>`.
fn spans_html(spans: &[Span]) -> String {
    spans
        .iter()
        .map(|span| match span {
            Span::Plain(text) | Span::Team(text) => escape(text),
            Span::Code(text) => format!("<code>{}</code>", escape(text)),
        })
        .collect()
}

/// The adverse-impact section: the findings, who was counted, one panel per
/// attribute and intersection (rates, impact ratios, flags, then the mean score per
/// dimension), and the audit appendix.
fn impact_section(out: &mut String, report: &ImpactReport) {
    out.push_str("<section id=\"impact\"><h2>Adverse impact</h2>\n");
    let rule = escape(&prose::finding_rule(report));
    if report.findings.is_empty() {
        let _ = writeln!(out, "<p><strong>No finding</strong> ({rule}).</p>");
    } else {
        let count = report.findings.len();
        let _ = writeln!(
            out,
            "<p class=\"adverse\"><strong>{count} finding{}</strong> ({rule}):</p>\n<ul class=\"findings\">",
            if count == 1 { "" } else { "s" }
        );
        for finding in &report.findings {
            let _ = writeln!(out, "<li>{}</li>", spans_html(&prose::finding(finding)));
        }
        out.push_str("</ul>\n");
    }
    let _ = writeln!(out, "<p>{}</p>", spans_html(&prose::population(report)));
    out.push_str("<div class=\"panels\">\n");
    for group in &report.groups {
        let _ = writeln!(
            out,
            "<div class=\"panel wide\"><h3>{}</h3>\n<p class=\"note\">{}</p>",
            escape(&group.name()),
            spans_html(&prose::group_note(report, group))
        );
        if group.categories.is_empty() {
            out.push_str("<p class=\"none\">No candidate has a known value.</p></div>\n");
            continue;
        }
        out.push_str(
            "<div class=\"scroll\"><table class=\"impact\"><thead><tr><th></th><th></th>\
             <th colspan=\"5\">Selection</th><th colspan=\"5\">Scoring (above the median)</th></tr>\
             <tr><th>Category</th><th class=\"num\">n</th>",
        );
        for _ in [Measure::Selection, Measure::Scoring] {
            out.push_str(
                "<th class=\"num\">Count</th><th class=\"num\">Rate</th>\
                 <th class=\"num\">Impact ratio</th><th class=\"num\">p</th><th>Flag</th>",
            );
        }
        out.push_str("</tr></thead><tbody>\n");
        for category in &group.categories {
            let _ = write!(
                out,
                "<tr><td>{}</td><td class=\"num\">{}</td>",
                escape(&category.name()),
                category.n
            );
            for measure in [Measure::Selection, Measure::Scoring] {
                let rate = category.rate(measure);
                let _ = write!(
                    out,
                    "<td class=\"num\">{}</td><td class=\"num\">{:.1}%</td>\
                     <td class=\"num\">{}</td><td class=\"num\">{}</td><td{}>{}</td>",
                    rate.count,
                    rate.rate * 100.0,
                    rate.impact_ratio
                        .map_or_else(|| ABSENT.to_string(), |r| format!("{r:.2}")),
                    rate.p_value.map_or_else(|| ABSENT.to_string(), p_text),
                    if rate.flag == Flag::Adverse {
                        " class=\"adverse\""
                    } else {
                        ""
                    },
                    escape(&rate.flag.describe(&report.method))
                );
            }
            out.push_str("</tr>\n");
        }
        out.push_str(
            "</tbody></table></div>\n<h4>Mean score per dimension [95% interval]; \
             &Delta; its difference from the other categories</h4>\n<div class=\"scroll\">\
             <table class=\"impact dimensions\"><thead><tr><th>Category</th>",
        );
        for (_, label, short) in DIMENSIONS {
            let _ = write!(
                out,
                "<th class=\"num\"><abbr title=\"{label}\">{short}</abbr></th>"
            );
        }
        out.push_str("</tr></thead><tbody>\n");
        for category in &group.categories {
            let _ = write!(out, "<tr><td>{}</td>", escape(&category.name()));
            for d in Dimension::ALL {
                let cell = category.dimensions.get(&d).map_or_else(
                    || ABSENT.to_string(),
                    |m| match m.difference_text() {
                        Some(difference) => format!(
                            "{}<br><span class=\"note\">&Delta; {}</span>",
                            m.mean_text(),
                            difference
                        ),
                        None => m.mean_text(),
                    },
                );
                let _ = write!(out, "<td class=\"num\">{cell}</td>");
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody></table></div></div>\n");
    }
    out.push_str(
        "</div>\n<h3 id=\"impact-appendix\">Audit appendix</h3>\n<ul class=\"appendix\">\n",
    );
    for note in prose::appendix(report) {
        let _ = writeln!(
            out,
            "<li><strong>{}</strong>: {}</li>",
            note.title,
            spans_html(&note.spans)
        );
    }
    out.push_str("</ul>\n</section>\n");
}

/// The sortable, filterable table: one row per graded transcript, linking to its card.
fn candidates(out: &mut String, graded: &[Indexed]) {
    out.push_str("<section id=\"candidates-section\"><h2>Candidates</h2>\n");
    if graded.is_empty() {
        out.push_str("<p class=\"none\">No graded transcripts.</p></section>\n");
        return;
    }
    out.push_str(
        "<p class=\"filter\"><input type=\"search\" id=\"filter\" placeholder=\"Filter rows\" \
         aria-label=\"Filter candidates\" autocomplete=\"off\" hidden></p>\n\
         <p id=\"compare-bar\" hidden><button type=\"button\" id=\"compare-button\">Compare</button>\
         <span id=\"compare-status\" role=\"status\">Tick 2 to 4 rows to compare their cards \
         side by side.</span></p>\n\
         <div class=\"scroll\"><table id=\"candidates\" class=\"sortable\"><thead><tr>\
         <th>ID</th><th>Candidate</th><th>Interviewer</th><th>Level</th>",
    );
    for (_, label, short) in DIMENSIONS {
        let _ = write!(
            out,
            "<th class=\"num\"><abbr title=\"{label}\">{short}</abbr></th>"
        );
    }
    out.push_str(
        "<th class=\"num\">Overall</th><th>Recommendation</th><th>Production</th><th class=\"num\">Red flags</th>\
         <th class=\"num\">Compliance</th></tr></thead>\n<tbody>\n",
    );
    for &(index, evaluation) in graded {
        let _ = write!(
            out,
            "<tr><td class=\"id\"><a href=\"#c-{index}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td>",
            escape(&evaluation.id),
            shown(evaluation.candidate.as_deref()),
            shown(evaluation.interviewer.as_deref()),
            shown(evaluation.level.as_deref())
        );
        for dimension in 0..DIMENSIONS.len() {
            numeric_cell(out, score(evaluation, dimension).map(f64::from));
        }
        numeric_cell(out, evaluation.overall);
        let _ = write!(
            out,
            "<td data-sort=\"{}\">{}</td><td>{}</td>",
            evaluation.recommendation.map_or(-1, |r| r.rank() as i64),
            recommendation_pill(evaluation),
            shown(production_experience(evaluation))
        );
        numeric_cell(out, Some(evaluation.red_flags.len() as f64));
        numeric_cell(
            out,
            evaluation.compliance.as_ref().map(|c| f64::from(c.score)),
        );
        out.push_str("</tr>\n");
    }
    out.push_str(
        "</tbody></table></div>\n<div id=\"compare\" class=\"panel\" hidden><h3>Comparison</h3>\
         \n<div id=\"compare-grid\" class=\"compare-grid\"></div></div>\n</section>\n",
    );
}

/// A right-aligned number that sorts as one; absent values sort first.
fn numeric_cell(out: &mut String, value: Option<f64>) {
    match value {
        Some(x) => {
            let shown = number_text(x);
            let _ = write!(out, "<td class=\"num\" data-sort=\"{shown}\">{shown}</td>");
        }
        None => {
            let _ = write!(out, "<td class=\"num\" data-sort=\"-1\">{ABSENT}</td>");
        }
    }
}

/// For a recording, who was taken for whom, how and how surely, with the evidence as a
/// tooltip; nothing for transcripts labelled by role.
fn speaker_roles(out: &mut String, speakers: Option<&Attribution>) {
    let Some(speakers) = speakers else {
        return;
    };
    let others: Vec<String> = speakers
        .others
        .iter()
        .map(|o| format!("{} ({} turns)", escape(&o.name), o.turns))
        .collect();
    let _ = write!(
        out,
        "<dt>Speaker roles</dt><dd title=\"{}\">{}, confidence {}: interviewer {}, candidate {}{}</dd>",
        escape(&speakers.evidence),
        speakers.method.name(),
        json_number(speakers.confidence),
        escape(&speakers.interviewer),
        escape(&speakers.candidate),
        if others.is_empty() {
            String::new()
        } else {
            format!("; not scored: {}", others.join(", "))
        },
    );
}

/// One graded transcript: metadata, scores chart, recommendation, narrative, red flags,
/// factual errors, breaches, exchanges, the evidence behind the scores and the
/// transcript, every cited turn linked to it when the transcript is there.
fn card(out: &mut String, index: usize, evaluation: &Evaluation) {
    let turns = Turns::of(index, evaluation);
    let candidate = evaluation.candidate.as_deref().unwrap_or("(no name)");
    let _ = write!(
        out,
        "<article class=\"card\" id=\"c-{index}\">\n<h3><code>{}</code> {}</h3>\n\
         <dl class=\"meta\"><dt>Interviewer</dt><dd>{}</dd><dt>Level</dt><dd>{}</dd>\
         <dt>Source</dt><dd><code>{}</code></dd><dt>Production experience</dt><dd>{}</dd>\
         <dt>Overall</dt><dd>{}</dd>",
        escape(&evaluation.id),
        escape(candidate),
        shown(evaluation.interviewer.as_deref()),
        shown(evaluation.level.as_deref()),
        shown(present(&evaluation.source)),
        shown(production_experience(evaluation)),
        shown(evaluation.overall.map(json_number).as_deref()),
    );
    speaker_roles(out, evaluation.speakers.as_ref());
    // The four blocks a comparison shows side by side are classed `c-*`.
    out.push_str("</dl>\n<div class=\"cols\">\n<div class=\"c-scores\"><h4>Scores</h4>\n");
    score_chart(out, evaluation);
    let overall = evaluation
        .overall
        .map(|x| format!(" <span class=\"note\">overall {}</span>", number_text(x)))
        .unwrap_or_default();
    let _ = write!(
        out,
        "</div>\n<div class=\"c-rec\"><h4>Recommendation</h4>\n<p>{}{overall}</p>\n",
        recommendation_pill(evaluation)
    );
    text_list(
        out,
        &evaluation.recommendation_basis,
        "No basis given.",
        &turns,
    );
    out.push_str(
        "</div>\n</div>\n<div class=\"cols\">\n<div class=\"c-strengths\"><h4>Strengths</h4>\n",
    );
    text_list(out, &evaluation.strengths, "None listed.", &turns);
    out.push_str("</div>\n<div class=\"c-gaps\"><h4>Gaps</h4>\n");
    text_list(out, &evaluation.gaps, "None listed.", &turns);
    out.push_str("</div>\n</div>\n");

    let flags = &evaluation.red_flags;
    let _ = writeln!(out, "<h4>Red flags ({})</h4>", flags.len());
    table(
        out,
        &["Flag", "Turn", "Quote"],
        flags,
        "None raised.",
        |flag| {
            vec![
                format!("<code class=\"rule\">{}</code>", escape(&flag.id)),
                turns.cell(Some(flag.turn)),
                escape(&flag.quote),
            ]
        },
    );

    let errors = &evaluation.factual_errors;
    if !errors.is_empty() {
        let _ = writeln!(out, "<h4>Factual errors ({})</h4>", errors.len());
        table(
            out,
            &["Turn", "Quote", "Claim", "In fact"],
            errors,
            "None.",
            |error| {
                vec![
                    turns.cell(Some(error.turn)),
                    escape(&error.quote),
                    escape(&error.claim),
                    escape(&error.instead),
                ]
            },
        );
    }

    let compliance = evaluation.compliance.as_ref();
    let breaches = compliance.map_or(&[][..], |c| c.violations.as_slice());
    let _ = write!(
        out,
        "<h4>Compliance: {}",
        compliance.map_or_else(|| ABSENT.to_string(), |c| c.score.to_string())
    );
    // Results from before the count read 0 checks; a count made is at least 1.
    if let Some(c) = compliance.filter(|c| c.checks > 0) {
        let _ = write!(out, " ({} of {} checks passed)", c.passed, c.checks);
    }
    let _ = writeln!(out, ", {} breaches</h4>", breaches.len());
    table(
        out,
        &["Rule", "Turn", "Quote", "Message"],
        breaches,
        "No breaches.",
        |breach| {
            let mut turn = turns.cell(Some(breach.turn));
            if let Some(when) = &breach.at {
                let _ = write!(turn, " ({})", escape(when));
            }
            vec![
                format!("<code class=\"rule\">{}</code>", escape(&breach.rule)),
                turn,
                escape(&breach.quote),
                escape(&breach.message),
            ]
        },
    );

    let exchanges = &evaluation.exchanges;
    let _ = writeln!(out, "<h4>Exchanges ({})</h4>", exchanges.len());
    table(
        out,
        &[
            "Turn",
            "Question",
            "Phase",
            "Quality",
            "Band",
            "Interviewer verdict",
        ],
        exchanges,
        "No exchanges.",
        |exchange| {
            vec![
                turns.cell(Some(exchange.question_turn)),
                question(exchange),
                exchange.phase.to_string(),
                exchange.quality.to_string(),
                band_pill(exchange.band),
                shown(exchange.interviewer_verdict.as_deref()),
            ]
        },
    );
    evidence(out, evaluation, &turns);
    transcript::view(out, index, evaluation);
    out.push_str(
        "<p class=\"top\"><a href=\"#candidates\">Back to the table</a></p>\n</article>\n",
    );
}

/// The question an exchange asks: its bank id, else its kind.
fn question(exchange: &ExchangeOut) -> String {
    match &exchange.question_id {
        Some(id) => format!("<code>{}</code>", escape(id)),
        None => exchange.question_kind.key().to_string(),
    }
}

/// An exchange's band as a coloured pill.
fn band_pill(band: Band) -> String {
    let band = band.key();
    format!("<span class=\"pill band-{band}\">{band}</span>")
}

/// What moved each dimension's score (dimension by dimension, in the page's order),
/// and the sentences behind production experience, folded: one row per piece, its
/// turn linked.
fn evidence(out: &mut String, evaluation: &Evaluation, turns: &Turns) {
    let by_dimension = &evaluation.evidence;
    let mut groups: Vec<(String, &[ScoreEvidence])> = Vec::new();
    for (key, label, _) in DIMENSIONS {
        if let Some(pieces) = by_dimension.get(key) {
            groups.push((label.to_string(), pieces));
        }
    }
    for (key, pieces) in by_dimension {
        if !DIMENSIONS.iter().any(|(known, _, _)| known == key) {
            groups.push((escape(key), pieces));
        }
    }
    groups.retain(|(_, pieces)| !pieces.is_empty());
    let production = &evaluation.production_evidence;
    let count = groups.iter().map(|(_, pieces)| pieces.len()).sum::<usize>() + production.len();
    if count == 0 {
        return;
    }
    let _ = writeln!(
        out,
        "<details class=\"evidence\"><summary>Evidence behind the scores ({count})</summary>"
    );
    if !groups.is_empty() {
        out.push_str(
            "<div class=\"scroll\"><table><thead><tr><th>Turn</th><th>Quote</th>\
             <th>Rule and effect</th></tr></thead><tbody>\n",
        );
        for (label, pieces) in groups {
            let _ = writeln!(
                out,
                "<tr><th colspan=\"3\">{label} ({})</th></tr>",
                pieces.len()
            );
            // One row per sentence, with every rule it counted for: a sentence that
            // shows five concepts is quoted once, not five times.
            let mut rows: Vec<(&ScoreEvidence, Vec<&ScoreEvidence>)> = Vec::new();
            for piece in pieces {
                let same = |(first, _): &&mut (&ScoreEvidence, Vec<&ScoreEvidence>)| {
                    first.turn == piece.turn && first.quote == piece.quote
                };
                match rows.iter_mut().find(same) {
                    Some((_, more)) => more.push(piece),
                    None => rows.push((piece, vec![piece])),
                }
            }
            for (first, all) in rows {
                let rules: Vec<String> = all
                    .iter()
                    .map(|piece| {
                        format!(
                            "<code class=\"rule\">{}</code> {:+.2}",
                            escape(&piece.rule),
                            piece.effect
                        )
                    })
                    .collect();
                let _ = writeln!(
                    out,
                    "<tr><td>{}</td><td class=\"quote\">{}</td><td>{}</td></tr>",
                    turns.cell(first.turn),
                    escape(&first.quote),
                    rules.join("<br>")
                );
            }
        }
        out.push_str("</tbody></table></div>\n");
    }
    if !production.is_empty() {
        let _ = writeln!(
            out,
            "<h4>Production experience: {}</h4>",
            shown(production_experience(evaluation))
        );
        table(out, &["Turn", "Quote"], production, "None.", |piece| {
            vec![turns.cell(Some(piece.turn)), escape(&piece.quote)]
        });
    }
    out.push_str("</details>\n");
}

/// Horizontal bars on a 1-5 scale, one per dimension, each labelled.
fn score_chart(out: &mut String, evaluation: &Evaluation) {
    const LABEL: usize = 150;
    const UNIT: usize = 40;
    const ROW: usize = 24;
    let bottom = DIMENSIONS.len() * ROW + 4;
    let width = LABEL + 5 * UNIT + 30;
    let summary: Vec<String> = DIMENSIONS
        .iter()
        .enumerate()
        .map(|(dimension, (_, label, _))| {
            let score = score(evaluation, dimension);
            format!("{label} {}", shown(score.map(|s| s.to_string()).as_deref()))
        })
        .collect();
    let _ = writeln!(
        out,
        "<svg class=\"scores\" viewBox=\"0 0 {width} {}\" width=\"{width}\" height=\"{}\" \
         role=\"img\"><title>Scores: {}</title>",
        bottom + 20,
        bottom + 20,
        summary.join(", ")
    );
    for k in 1..=5 {
        let x = LABEL + k * UNIT;
        let _ = write!(
            out,
            "<line class=\"grid\" x1=\"{x}.5\" y1=\"0\" x2=\"{x}.5\" y2=\"{bottom}\"/>\
             <text x=\"{x}\" y=\"{}\" text-anchor=\"middle\">{k}</text>",
            bottom + 15
        );
    }
    out.push('\n');
    for (row, (_, label, _)) in DIMENSIONS.iter().enumerate() {
        let y = row * ROW + 4;
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{label}</text>",
            LABEL - 8,
            y + 13
        );
        let score = score(evaluation, row);
        match score {
            Some(s) => {
                let x = f64::from(s);
                let length = (x.clamp(0.0, 5.0) * UNIT as f64).round() as usize;
                let colour = score_index(score).map_or("#667085", |i| RECOMMENDATION_COLOURS[i]);
                let _ = writeln!(
                    out,
                    "<rect x=\"{LABEL}\" y=\"{y}\" width=\"{length}\" height=\"16\" \
                     fill=\"{colour}\"/><text x=\"{}\" y=\"{}\">{}</text>",
                    LABEL + length + 4,
                    y + 13,
                    number_text(x)
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "<text x=\"{}\" y=\"{}\">{ABSENT}</text>",
                    LABEL + 4,
                    y + 13
                );
            }
        }
    }
    out.push_str("</svg>\n");
}

/// A bulleted list of strings, or `empty` when there are none; the turns each cites
/// are linked.
fn text_list(out: &mut String, lines: &[String], empty: &str, turns: &Turns) {
    if lines.is_empty() {
        let _ = writeln!(out, "<p class=\"none\">{empty}</p>");
        return;
    }
    out.push_str("<ul>\n");
    for line in lines {
        let _ = writeln!(out, "<li>{}</li>", turns.prose(line));
    }
    out.push_str("</ul>\n");
}

/// A table of `rows`, each turned into already-escaped cells by `cells`; `empty` when
/// there are none.
fn table<T>(
    out: &mut String,
    headings: &[&str],
    rows: &[T],
    empty: &str,
    cells: impl Fn(&T) -> Vec<String>,
) {
    if rows.is_empty() {
        let _ = writeln!(out, "<p class=\"none\">{empty}</p>");
        return;
    }
    out.push_str("<div class=\"scroll\"><table><thead><tr>");
    for heading in headings {
        let _ = write!(out, "<th>{heading}</th>");
    }
    out.push_str("</tr></thead><tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for (i, cell) in cells(row).iter().enumerate() {
            let class = if headings.get(i) == Some(&"Quote") {
                " class=\"quote\""
            } else {
                ""
            };
            let _ = write!(out, "<td{class}>{cell}</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody></table></div>\n");
}

fn footer(out: &mut String, results: &ResultsFile) {
    let debrief = results.debrief.as_ref();
    let rubric = results.rubric.as_ref();
    let _ = write!(
        out,
        "<footer><p>Graded by debrief {} with the rubric {} {} (sha256 <code>{}</code>).</p>\
         </footer>\n<script>{SCRIPT}</script>\n</body>\n</html>\n",
        shown(debrief.map(|d| d.version.as_str())),
        shown(rubric.map(|r| r.name.as_str())),
        shown(rubric.map(|r| r.version.as_str())),
        shown(rubric.map(|r| r.sha256.as_str())),
    );
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::*;

    /// The page of results written as JSON, read as `debrief report` reads them.
    fn page(results: &Value) -> String {
        render(&crate::results::parse(&results.to_string()).unwrap())
    }

    const HOSTILE_NAME: &str = "<script>alert(1)</script>";
    const HOSTILE_QUOTE: &str = "<img src=x onerror=alert(1)>";

    fn results() -> Value {
        json!({
            "debrief": {"version": "0.1.0"},
            "rubric": {"name": "ml-interview-guide", "version": "1.0.0", "sha256": "ab12"},
            "evaluations": [
                {
                    "source": "interviews/ana.json", "id": "t-17", "status": "ok", "error": null,
                    "candidate": "Ana Ruiz", "interviewer": "agent-v2", "level": "staff",
                    "scores": {"ml_fundamentals": 5, "feature_engineering": 4,
                               "model_selection": 4, "production_readiness": 5,
                               "math_foundation": 3, "communication": 4},
                    "overall": 4.31, "recommendation": "Yes",
                    "recommendation_basis": ["overall 4.31 at level staff gives Yes"],
                    "strengths": ["Explained regularization with a reason (turn 1)."],
                    "gaps": ["Did not cover PR-AUC (turns 4-5): http://evil.test/x.js"],
                    "production_experience": "yes",
                    "red_flags": [],
                    "exchanges": [
                        {"question_turn": 0, "answer_turns": [1], "question_id": "q1_metrics",
                         "question_kind": "bank", "phase": 1, "quality": 90, "band": "high",
                         "covered": [], "missing": [],
                         "interviewer_verdict": "correct"},
                        {"question_turn": 2, "answer_turns": [], "question_id": null,
                         "question_kind": "math", "phase": 2, "quality": 70, "band": "incomplete",
                         "covered": [], "missing": [], "interviewer_verdict": null},
                        {"question_turn": 4, "answer_turns": [], "question_id": "q3_imbalance",
                         "question_kind": "bank",
                         "phase": 2, "quality": 40, "band": "incorrect", "interviewer_verdict": "incorrect",
                         "covered": [], "missing": []}
                    ],
                    "compliance": {"score": 90, "checks": 10, "passed": 9, "violations": [
                        {"rule": "hint", "turn": 4, "at": "00:07:20",
                         "quote": "Have you thought about a bandit?",
                         "message": "a hint toward the solution"}
                    ]},
                    "evidence": {"ml_fundamentals": [
                        {"turn": 1, "quote": "Regularization <b>matters</b> & so does…",
                         "effect": 0.3, "rule": "concept:regularization"},
                        {"turn": 1, "quote": "Regularization <b>matters</b> & so does…",
                         "effect": 0.05, "rule": "concept:pr_auc"},
                        {"turn": null, "quote": "5 answers", "effect": 0.5, "rule": "shape"}
                    ]},
                    "transcript": {"turns": [
                        {"turn": 0, "role": "interviewer", "speaker": null, "at": "00:00:05",
                         "text": "Which metric would you pick?"},
                        {"turn": 1, "role": "candidate", "speaker": "Ana", "at": null,
                         "text": "Regularization <b>matters</b> & so does PR-AUC."},
                        {"turn": 2, "role": "interviewer", "text": "Go on."},
                        {"turn": 3, "role": "candidate", "text": "PR-AUC, since positives are rare."},
                        {"turn": 4, "role": "interviewer", "speaker": "Interviewer", "at": "00:07:20",
                         "text": "Hmm. Have you  thought about\na bandit? Think again."}
                    ]}
                },
                {
                    "source": "interviews/x.md", "id": HOSTILE_QUOTE, "status": "ok",
                    "candidate": HOSTILE_NAME, "interviewer": null, "level": "senior",
                    "scores": {"ml_fundamentals": 1, "feature_engineering": 2,
                               "model_selection": 1, "production_readiness": 1,
                               "math_foundation": 2, "communication": 2},
                    "recommendation": "Strong No",
                    "recommendation_basis": [HOSTILE_NAME],
                    "strengths": [], "gaps": [HOSTILE_QUOTE],
                    "production_experience": "no",
                    "red_flags": [{"id": "accuracy_is_enough", "turn": 3, "quote": HOSTILE_QUOTE}],
                    "exchanges": [],
                    "compliance": {"score": 50, "violations": [
                        {"rule": "teaching", "turn": 2, "quote": HOSTILE_NAME, "message": "'quoted' & \"double\""}
                    ]}
                },
                {
                    "source": "bad/empty.json", "id": "broken", "status": "error",
                    "error": "bad/empty.json: the file is empty"
                }
            ]
        })
    }

    #[test]
    fn renders_every_section() {
        let html = page(&results());
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.ends_with("</html>\n"));
        assert!(html.contains("<table"));
        assert!(html.contains("<strong>2</strong> graded, <strong>1</strong> failed"));
        assert_eq!(html.matches("<article class=\"card\"").count(), 2);
        assert!(html.contains("id=\"c-0\"") && html.contains("href=\"#c-0\""));
        assert!(html.contains("id=\"c-1\"") && html.contains("href=\"#c-1\""));
        assert!(!html.contains("id=\"c-2\""), "a failed input has no card");
        let failed = &html[html.find("id=\"failed\"").unwrap()..];
        assert!(failed.contains("broken") && failed.contains("bad/empty.json: the file is empty"));
        assert!(html.contains("Graded by debrief 0.1.0 with the rubric ml-interview-guide 1.0.0"));
        assert!(html.contains("<code>ab12</code>"));
        for band in ["band-high", "band-incomplete", "band-incorrect"] {
            assert!(html.contains(band), "{band}");
        }
        assert!(
            html.contains("4</a> (00:07:20)"),
            "a breach's turn shows its time"
        );
        assert!(html.contains("(9 of 10 checks passed)"));
    }

    /// The part of `html` from `start` to the first `end` after it.
    fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
        let from = html.find(start).unwrap_or_else(|| panic!("{start}"));
        let rest = &html[from..];
        &rest[..rest.find(end).unwrap_or_else(|| panic!("{end}"))]
    }

    #[test]
    fn the_transcript_view_links_cited_turns_and_marks_their_quotes() {
        let html = page(&results());
        // Folded by default, every turn anchored by position.
        let view = between(
            &html,
            "<details class=\"transcript\" id=\"c-0-turns\">",
            "</details>",
        );
        assert_eq!(view.matches("<li id=\"c-0-t-").count(), 5);
        assert!(view.contains("<summary>Transcript (5 turns)</summary>"));
        // The turns the card cites link to them: prose, breaches, exchanges, evidence.
        let card = between(&html, "<article class=\"card\" id=\"c-0\">", "</article>");
        assert!(card.contains("with a reason (<a href=\"#c-0-t-1\">turn 1</a>)."));
        assert!(card.contains("<td><a href=\"#c-0-t-4\">4</a> (00:07:20)</td>"));
        assert!(card.contains("<td><a href=\"#c-0-t-0\">0</a></td><td><code>q1_metrics</code>"));
        // Evidence: a sentence that counted for two rules is one row.
        assert!(card.contains("<summary>Evidence behind the scores (3)</summary>"));
        assert!(card.contains(
            "<tr><td><a href=\"#c-0-t-1\">1</a></td><td class=\"quote\">Regularization \
             &lt;b&gt;matters&lt;/b&gt; &amp; so does…</td><td><code class=\"rule\">\
             concept:regularization</code> +0.30<br><code class=\"rule\">concept:pr_auc</code> \
             +0.05</td></tr>"
        ));
        assert!(card.contains("<tr><td>–</td><td class=\"quote\">5 answers</td>"));
        // A range links to its first turn, even when it runs past the transcript.
        assert!(card.contains("(<a href=\"#c-0-t-4\">turns 4-5</a>)"));
        // Speaker, time, the exchange's assessment, and the quotes marked, escaped.
        let question = between(view, "<li id=\"c-0-t-0\"", "</li>");
        assert!(question.contains("<b>0</b> Interviewer · agent-v2 <time>00:00:05</time>"));
        assert!(question.contains("asks <code>q1_metrics</code>, phase 1"));
        let answer = between(view, "<li id=\"c-0-t-1\"", "</li>");
        assert!(answer.contains("<b>1</b> Candidate · Ana"), "{answer}");
        assert!(answer.contains(
            "<span class=\"pill band-high\">high</span> quality 90, interviewer: correct"
        ));
        assert!(answer.contains(
            "<mark>Regularization &lt;b&gt;matters&lt;/b&gt; &amp; so does</mark> PR-AUC."
        ));
        let breach = between(view, "<li id=\"c-0-t-4\"", "</li>");
        assert!(
            breach.contains("<b>4</b> Interviewer · agent-v2 <time>"),
            "{breach}"
        );
        assert!(breach.contains("breach <code class=\"rule\">hint</code>"));
        assert!(breach.contains(
            "Hmm. <mark class=\"f\">Have you  thought about\na bandit?</mark> Think again."
        ));
        assert!(!between(view, "<li id=\"c-0-t-2\"", "</li>").contains("<mark"));
        // A card whose results carry no turns says how to get them, and links nothing.
        let other = between(&html, "<article class=\"card\" id=\"c-1\">", "</article>");
        assert!(other.contains("<code>debrief grade --with-transcript</code>"));
        assert!(
            !other.contains("href=\"#c-1-t-") && !other.contains("<details class=\"transcript\"")
        );
    }

    #[test]
    fn the_compare_control_and_panel_are_there_for_the_script() {
        let html = page(&results());
        let section = between(&html, "<section id=\"candidates-section\">", "</section>");
        assert!(section.contains("<p id=\"compare-bar\" hidden><button type=\"button\" id=\"compare-button\">Compare</button>"));
        assert!(section.contains("<div id=\"compare\" class=\"panel\" hidden>"));
        assert!(SCRIPT.contains("var MOST = 4;"));
        // The blocks the script copies side by side, in every card.
        for part in ["c-scores", "c-rec", "c-strengths", "c-gaps"] {
            assert_eq!(
                html.matches(&format!("<div class=\"{part}\">")).count(),
                2,
                "{part}"
            );
            assert!(SCRIPT.contains(&format!("\"{part}\"")), "{part}");
        }
    }

    #[test]
    fn recommendation_chart_has_the_five_labels_in_order_with_counts() {
        let html = page(&results());
        let start = html.find("<svg id=\"recommendations\"").unwrap();
        let chart = &html[start..start + html[start..].find("</svg>").unwrap()];
        let mut from = 0;
        for (label, count) in RECOMMENDATIONS.iter().zip([1, 0, 0, 1, 0]) {
            let needle = format!(">{count}</text><text x=\"");
            let at = from + chart[from..].find(&needle).unwrap();
            let label_at = at + chart[at..].find(&format!(">{label}</text>")).unwrap();
            from = label_at;
        }
    }

    #[test]
    fn interviewers_are_pooled_worst_first() {
        let html = page(&results());
        let unknown = html.find("<tr><td>(unknown)</td>").unwrap();
        let agent = html.find("<tr><td>agent-v2</td>").unwrap();
        assert!(unknown < agent, "50% comes before 90%");
        assert!(html.contains("<td class=\"num\">50.00%</td>"));
        assert!(html.contains("<td class=\"num\">90.00%</td>"));
    }

    /// Candidates come first, with whom they were interviewed by and their overall;
    /// the interviewer table follows, and interviewers with no breach are folded.
    #[test]
    fn candidates_first_with_interviewer_and_overall_then_interviewers() {
        let html = page(&results());
        let candidates = html.find("<table id=\"candidates\"").unwrap();
        let interviewers = html.find("<section id=\"interviewers\">").unwrap();
        assert!(candidates < interviewers);
        assert!(html[..candidates]
            .find("<table class=\"interviewers\"")
            .is_none());
        assert!(html.contains("<th>ID</th><th>Candidate</th><th>Interviewer</th><th>Level</th>"));
        assert!(html.contains("<th class=\"num\">Overall</th><th>Recommendation</th>"));
        assert!(html.contains("<td>agent-v2</td><td>staff</td>"), "{html}");
        let mut clean = results();
        for evaluation in clean["evaluations"].as_array_mut().unwrap() {
            if let Some(compliance) = evaluation.get_mut("compliance") {
                if compliance.is_object() {
                    *compliance = serde_json::json!(
                        {"score": 100, "checks": 4, "passed": 4, "violations": []}
                    );
                }
            }
        }
        let html = page(&clean);
        assert!(
            html.contains("No interviewer breached the templates."),
            "{html}"
        );
        assert!(html.contains("with no breach (100%)</summary>"), "{html}");
    }

    #[test]
    fn dimension_distribution_counts_scores() {
        let html = page(&results());
        assert!(html.contains(
            "<tr><td>ML fundamentals</td><td class=\"num\">1</td><td class=\"num\">0</td>\
             <td class=\"num\">0</td><td class=\"num\">0</td><td class=\"num\">1</td>\
             <td class=\"num\">3.00</td>"
        ));
    }

    #[test]
    fn escapes_every_interpolated_string() {
        let html = page(&results());
        assert!(!html.contains(HOSTILE_NAME));
        assert!(!html.contains("<img"));
        assert_eq!(
            html.matches("<script").count(),
            1,
            "only the page's own script"
        );
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
        assert!(html.contains("&#39;quoted&#39; &amp; &quot;double&quot;"));
        assert_eq!(escape("&<>\"'"), "&amp;&lt;&gt;&quot;&#39;");
        assert_eq!(escape("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(
            escape("see https://x.test/a ///"),
            "see https:&#47;/x.test/a &#47;&#47;/"
        );
    }

    #[test]
    fn names_no_external_url() {
        let html = page(&results());
        for needle in [
            "http://",
            "https://",
            " src=\"//",
            "//cdn",
            "@import",
            "url(",
        ] {
            assert!(!html.contains(needle), "{needle}");
        }
        assert!(html.contains("default-src 'none'"));
    }

    #[test]
    fn has_the_filter_and_the_sort_script() {
        let html = page(&results());
        assert!(html.contains("<input type=\"search\" id=\"filter\""));
        assert!(html.contains("<table id=\"candidates\""));
        assert!(html.contains("function sortBy(index)"));
        assert!(html.contains("@media print"));
        assert!(html.contains("@media (max-width: 600px)"));
        let csp = format!(
            "style-src {}; script-src {}",
            csp_hash(STYLE),
            csp_hash(SCRIPT)
        );
        assert!(html.contains(&csp));
        assert!(html.contains(&format!("<style>{STYLE}</style>")));
        assert!(html.contains(&format!("<script>{SCRIPT}</script>")));
    }

    #[test]
    fn the_csp_hash_is_the_base64_sha256_of_the_source() {
        assert_eq!(
            csp_hash(""),
            "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
        );
    }

    /// Results from an older debrief, or written by hand, leave fields out: the page
    /// shows them as absent. (A field of the wrong type is refused by the reader.)
    #[test]
    fn renders_what_older_results_leave_out() {
        let sparse = [
            json!({"id": "bare"}),
            json!({"evaluations": [{"id": "a", "status": "error"}]}),
            json!({"debrief": {"version": "0.0.1"}, "evaluations": [
                {"id": "a"}, {"id": "b", "status": "ok"}, {"id": "c", "error": "no status"},
                {"id": "d", "recommendation": null, "assessment": "insufficient"},
                {"id": "e", "scores": {"communication": 5}, "recommendation": "Yes",
                 "red_flags": [{"id": "f", "turn": 99, "quote": "not in any turn"}],
                 "compliance": {"score": 80, "violations": [
                     {"rule": "hint", "turn": 1, "quote": "q", "message": "m"}]},
                 "exchanges": [{"question_turn": 7, "answer_turns": [8], "question_id": null,
                    "question_kind": "other", "phase": 2, "quality": 40, "band": "incorrect",
                    "covered": [], "missing": []}],
                 "evidence": {"maths": [{"turn": null, "quote": "q", "effect": -0.5, "rule": "r"}]},
                 "transcript": {"turns": [{"turn": 0, "role": "candidate", "text": "hi"}]}},
                {"id": "f", "interviewer": "b", "compliance": {"checks": 4, "passed": 3}}
            ]}),
        ];
        for value in &sparse {
            let html = page(value);
            assert!(html.ends_with("</html>\n"), "{value}");
        }
        let html = page(&sparse[2]);
        assert!(html.contains("<strong>5</strong> graded, <strong>1</strong> failed"));
        assert!(
            html.contains("Graded by debrief 0.0.1 with the rubric – – (sha256 <code>–</code>)")
        );
        let card = between(&html, "<article class=\"card\" id=\"c-4\">", "</article>");
        assert!(
            card.contains("<dt>Source</dt><dd><code>–</code></dd>"),
            "{card}"
        );
        assert!(
            card.contains("<h4>Compliance: 80, 1 breaches</h4>"),
            "{card}"
        );
        assert!(
            card.contains("<tr><th colspan=\"3\">maths (1)</th></tr>"),
            "{card}"
        );
        let other = between(&html, "<article class=\"card\" id=\"c-5\">", "</article>");
        assert!(other.contains("<h4>Compliance: 0 (3 of 4 checks passed), 0 breaches</h4>"));
    }

    #[test]
    fn is_deterministic() {
        assert_eq!(page(&results()), page(&results()));
    }

    #[test]
    fn the_impact_section_shows_the_team_file_escaped() {
        let document = json!({"evaluations": [
            {"id": "a", "status": "ok", "recommendation": "Yes", "overall": 4.0,
             "scores": {"communication": 4}},
            {"id": "b", "status": "ok", "recommendation": "No", "overall": 2.0,
             "scores": {"communication": 2}},
            {"id": HOSTILE_QUOTE, "status": "ok", "recommendation": "No", "overall": 2.0}
        ]});
        let groups = crate::impact::Groups::parse(
            std::path::Path::new("g.csv"),
            "id,<b>sex</b>\na,<img src=x onerror=alert(1)>\nb,M\n",
        )
        .unwrap();
        let file = crate::results::parse(&document.to_string()).unwrap();
        let results = crate::impact::Results {
            path: std::path::Path::new("r.json"),
            sha256: "00",
            file: &file,
        };
        let report =
            crate::impact::analyse(results, &groups, &crate::impact::Options::default()).unwrap();
        let html = render_with_impact(&file, Some(&report));
        assert!(html.contains("<section id=\"impact\"><h2>Adverse impact</h2>"));
        assert!(html.contains("<a href=\"#impact\">Adverse impact</a>"));
        assert!(!html.contains("<img") && !html.contains("<b>"));
        assert!(html.contains("<h3>&lt;b&gt;sex&lt;/b&gt;</h3>"));
        assert!(html.contains("<td>&lt;img src=x onerror=alert(1)&gt;</td>"));
        // The id with no groups row is listed, as code, escaped.
        assert!(html.contains("<code>&lt;img src=x onerror=alert(1)&gt;</code>"));
        assert_eq!(html.matches("<script").count(), 1);
        assert!(html.contains("Audit appendix") && html.contains("29 CFR 1607.4(D)"));
        assert!(!render(&file).contains("id=\"impact\""));
        assert_eq!(html, render_with_impact(&file, Some(&report)));
    }

    /// What the page spells out itself is spelled as the results write it.
    #[test]
    fn spells_values_as_the_results_do() {
        for p in [
            ProductionExperience::Yes,
            ProductionExperience::No,
            ProductionExperience::Unclear,
        ] {
            let e = Evaluation {
                production_experience: Some(p),
                ..Evaluation::default()
            };
            assert_eq!(
                serde_json::to_value(p).unwrap().as_str(),
                production_experience(&e)
            );
        }
        for role in [
            crate::transcript::Role::Interviewer,
            crate::transcript::Role::Candidate,
        ] {
            assert_eq!(serde_json::to_value(role).unwrap(), role.key());
        }
        assert_eq!(json_number(4.0), "4.0");
        assert_eq!(json_number(0.83), "0.83");
    }

    #[test]
    fn dimensions_follow_the_vocabulary() {
        let keys = DIMENSIONS.map(|(key, _, _)| key);
        assert_eq!(keys, Dimension::KEYS);
    }
}
