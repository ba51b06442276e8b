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
    // One card per graded transcript.
    assert_eq!(report.matches("<article").count(), 16, "cards");
    debrief(["report", "no/such.json"]).output().expect_code(2);
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
    let run = |extra: &[&str]| {
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
        command.arg(format!("file://{}", page.display()));
        command.output().expect("chromium runs")
    };
    let dom = run(&["--dump-dom"]);
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
    let shot = dir.path().join("report.png");
    let screenshot = run(&[
        &format!("--screenshot={}", shot.display()),
        "--window-size=1280,1600",
    ]);
    assert!(screenshot.status.success());
    let png = std::fs::read(&shot).expect("a screenshot");
    assert!(png.starts_with(b"\x89PNG") && png.len() > 10_000);
}

/// A truncated or garbage results file is refused, not shown as an empty batch.
#[test]
fn report_refuses_results_that_are_not_evaluations() {
    let dir = crate::util::temp_dir();
    for (name, text, message) in [
        ("empty.json", "", "no evaluations"),
        ("array.json", "[]", "not an object"),
        ("null.json", "null", "not an object"),
        (
            "items.json",
            "{\"evaluations\": [1, \"x\"]}",
            "not an object",
        ),
        (
            "scores.json",
            "{\"evaluations\": [{\"id\": \"a\", \"scores\": {\"ml_fundamentals\": \"high\"}}]}",
            "is not a number",
        ),
    ] {
        let path = crate::util::write(dir.path(), name, text);
        let done = crate::util::debrief(["report", path.to_str().unwrap()])
            .output()
            .expect_code(2);
        assert!(done.stderr().contains(message), "{name}: {}", done.stderr());
    }
}
