//! `debrief report` and `grade --format html`: one self-contained page, rendered for
//! real in headless Chromium.

use std::process::Command;

use crate::util::{debrief, temp_dir};

fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|name| {
            Command::new(name)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
}

#[test]
fn report_and_grade_html_agree_and_load_nothing_from_outside() {
    let dir = temp_dir();
    let results = dir.path().join("results.json");
    debrief([
        "grade",
        "fixtures/interviews",
        "fixtures/hostile",
        "-q",
        "--with-transcript",
        "-o",
        results.to_str().unwrap(),
    ])
    .output()
    .expect_code(0);
    let report = debrief(["report", results.to_str().unwrap()])
        .output()
        .expect_code(0)
        .stdout();
    let direct = debrief([
        "grade",
        "fixtures/interviews",
        "fixtures/hostile",
        "-q",
        "--format",
        "html",
    ])
    .output()
    .expect_code(0)
    .stdout();
    assert_eq!(report, direct, "the two routes give the same page");
    assert!(report.starts_with("<!DOCTYPE html>"));
    for forbidden in [
        "http://",
        "https://",
        "src=\"//",
        "<script>alert(1)</script>",
        "<img src=x",
    ] {
        assert!(
            !report.contains(forbidden),
            "the page contains {forbidden:?}"
        );
    }
    assert!(report.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    // One card per graded transcript, each with its transcript, folded.
    assert_eq!(report.matches("<article").count(), 16, "cards");
    assert_eq!(
        report
            .matches("<details class=\"transcript\" id=\"c-")
            .count(),
        16
    );
    debrief(["report", "no/such.json"]).output().expect_code(2);
}

/// Results written without `--with-transcript` (and older ones) still render: each
/// card says how to get the transcript, and its cited turns stay plain numbers.
#[test]
fn a_report_from_results_without_the_turns_says_how_to_get_them() {
    let dir = temp_dir();
    let results = dir.path().join("results.json");
    debrief([
        "grade",
        "fixtures/interviews",
        "-q",
        "-o",
        results.to_str().unwrap(),
    ])
    .output()
    .expect_code(0);
    let report = debrief(["report", results.to_str().unwrap()])
        .output()
        .expect_code(0)
        .stdout();
    assert_eq!(
        report
            .matches("<code>debrief grade --with-transcript</code>")
            .count(),
        report.matches("<article").count()
    );
    assert!(!report.contains("<details class=\"transcript\""));
    assert!(
        !report.contains("-t-"),
        "no link to a turn that is not there"
    );
    assert!(report.contains("(turn "), "cited turns are still shown");
}

/// The page grows by the same number of bytes for every transcript added: nothing in
/// it grows with the square of the batch. Measured on copies of one fixture.
#[test]
fn the_page_grows_linearly_with_the_transcripts() {
    let text = std::fs::read_to_string("fixtures/interviews/solid_senior_recsys.md").unwrap();
    let size = |copies: usize| -> f64 {
        let dir = temp_dir();
        for i in 0..copies {
            let copy = text.replace("id: solid_senior_recsys", &format!("id: copy-{i:02}"));
            crate::util::write(dir.path(), &format!("t{i:02}.md"), copy);
        }
        let page = debrief(["grade", "-q", "--format", "html"])
            .arg(dir.path())
            .output()
            .expect_code(0)
            .stdout();
        page.len() as f64
    };
    let (five, ten, twenty) = (size(5), size(10), size(20));
    let (first, second) = ((ten - five) / 5.0, (twenty - ten) / 10.0);
    assert!(
        (second / first - 1.0).abs() < 0.02,
        "bytes per transcript: {first} from 5 to 10, {second} from 10 to 20"
    );
    let ratio = twenty / ten;
    assert!(
        (1.8..2.0).contains(&ratio),
        "20 copies / 10 copies = {ratio}"
    );
}

#[test]
fn the_report_renders_in_a_real_browser() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must run the browser test: .ci/run installs chromium"
        );
        // Outside CI, a machine without chromium skips the browser half
        // (apt-get install chromium to run it).
        return;
    };
    let dir = temp_dir();
    let page = dir.path().join("report.html");
    debrief([
        "grade",
        "fixtures/interviews",
        "fixtures/hostile",
        "-q",
        "-o",
        page.to_str().unwrap(),
    ])
    .output()
    .expect_code(0);
    let profile = dir.path().join("profile");
    let run = |extra: &[&str], fragment: &str| {
        let mut command = Command::new(browser);
        command.args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
        ]);
        command.arg(format!("--user-data-dir={}", profile.display()));
        command.args(extra);
        command.arg(format!("file://{}{fragment}", page.display()));
        command.output().expect("chromium runs")
    };
    let dom = run(&["--dump-dom"], "");
    let html = String::from_utf8_lossy(&dom.stdout);
    let console = String::from_utf8_lossy(&dom.stderr);
    assert!(html.contains("Interview grades"), "{html}");
    assert!(html.contains("strong_staff_fraud"));
    assert!(html.contains("<svg"), "charts are drawn");
    // The script ran: it reveals the filter box, which the page ships hidden.
    let filter = html
        .split("<input")
        .nth(1)
        .and_then(|rest| rest.split('>').next())
        .expect("a filter input");
    assert!(
        !filter.contains("hidden"),
        "the script did not run: {filter}"
    );
    for error in ["Uncaught", "SyntaxError", "Refused to"] {
        assert!(!console.contains(error), "browser console: {console}");
    }
    // The transcripts are there, folded; the script added a box per row to compare.
    assert_eq!(html.matches("<details class=\"transcript\"").count(), 16);
    assert!(!html.contains("<details class=\"transcript\" id=\"c-0-turns\" open"));
    assert_eq!(
        html.matches("<input type=\"checkbox\"").count(),
        16,
        "{html}"
    );
    assert!(
        html.contains("<p id=\"compare-bar\"><button"),
        "the compare bar is shown"
    );
    assert!(html.contains("<div id=\"compare\" class=\"panel\" hidden"));

    // A cited turn: its link, its target, opened (by the browser or the script), the
    // quote marked.
    let (card, turn, quote) = first_red_flag();
    let anchor = format!("c-{card}-t-{turn}");
    assert!(html.contains(&format!("<a href=\"#{anchor}\">{turn}</a>")));
    let at_turn = run(&["--dump-dom"], &format!("#{anchor}"));
    let html = String::from_utf8_lossy(&at_turn.stdout);
    assert!(
        html.contains(&format!(
            "<details class=\"transcript\" id=\"c-{card}-turns\" open"
        )),
        "the link's transcript is opened"
    );
    let target = html
        .split(&format!("<li id=\"{anchor}\""))
        .nth(1)
        .and_then(|rest| rest.split("</li>").next())
        .expect("the link's target");
    let marked: Vec<&str> = target
        .split("<mark class=\"f\">")
        .skip(1)
        .filter_map(|m| m.split("</mark>").next())
        .collect();
    let quote = quote
        .trim_matches('…')
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    assert!(
        marked.iter().any(|m| m.contains(&quote)),
        "{quote:?} is not marked in {target}"
    );

    // Comparing: two to four cards side by side, more refused with a message.
    let compared = run(&["--dump-dom"], "#compare=0,3,7");
    let html = String::from_utf8_lossy(&compared.stdout);
    let panel = html
        .split("<div id=\"compare\" class=\"panel\">")
        .nth(1)
        .expect("the comparison is shown");
    assert!(panel.matches("<a href=\"#c-").count() >= 3);
    for part in ["c-scores", "c-rec", "c-strengths", "c-gaps"] {
        assert!(
            panel.matches(&format!("<div class=\"{part}\">")).count() >= 3,
            "{part}"
        );
    }
    assert!(html.contains("Comparing 3 candidates"));
    let refused = run(&["--dump-dom"], "#compare=0,1,2,3,4");
    let html = String::from_utf8_lossy(&refused.stdout);
    assert!(html.contains("At most 4 candidates can be compared side by side; 5 are ticked."));
    assert!(html.contains("<div id=\"compare\" class=\"panel\" hidden"));
    let shot = dir.path().join("report.png");
    let screenshot = run(
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1280,1600",
        ],
        "",
    );
    assert!(screenshot.status.success());
    let png = std::fs::read(&shot).expect("a screenshot");
    assert!(png.starts_with(b"\x89PNG") && png.len() > 10_000);
}

/// The first red flag of the page's results: its card, turn and quote.
fn first_red_flag() -> (usize, u64, String) {
    let results = debrief([
        "grade",
        "fixtures/interviews",
        "fixtures/hostile",
        "-q",
        "--format",
        "json",
    ])
    .output()
    .expect_code(0)
    .json();
    results["evaluations"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .find_map(|(card, e)| {
            let flag = e["red_flags"].as_array()?.first()?;
            Some((
                card,
                flag["turn"].as_u64()?,
                flag["quote"].as_str()?.to_string(),
            ))
        })
        .expect("a fixture with a red flag")
}

/// A truncated or garbage results file is refused, not shown as an empty batch.
#[test]
fn report_refuses_results_that_are_not_evaluations() {
    let dir = crate::util::temp_dir();
    for (name, text, message) in [
        ("empty.json", "", "no evaluations"),
        ("array.json", "[]", "line 1: not a JSON evaluation: not an object"),
        ("null.json", "null", "line 1: not a JSON evaluation: not an object"),
        (
            "items.json",
            "{\"evaluations\": [1, \"x\"]}",
            "items.json: invalid type: integer `1`, expected an evaluation object at line 1 column 18",
        ),
        (
            "scores.json",
            "{\"evaluations\": [{\"id\": \"a\", \"scores\": {\"ml_fundamentals\": \"high\"}}]}",
            "scores.json: invalid type: string \"high\", expected a score from 1 to 5 (or null) at line 1 column 65",
        ),
    ] {
        let path = crate::util::write(dir.path(), name, text);
        let done = crate::util::debrief(["report", path.to_str().unwrap()])
            .output()
            .expect_code(2);
        assert!(done.stderr().contains(message), "{name}: {}", done.stderr());
    }
}
