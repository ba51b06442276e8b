//! `debrief impact` and `debrief report --groups`, on `fixtures/impact/` (whose
//! README gives the hand computation behind every number checked here).

use serde_json::Value;

use crate::util::{debrief, temp_dir, write};

const RESULTS: &str = "fixtures/impact/results.json";
const GROUPS: &str = "fixtures/impact/groups.csv";

fn impact(extra: &[&str]) -> crate::util::Run {
    let mut run = debrief(["impact", RESULTS, "--groups", GROUPS]);
    for arg in extra {
        run = run.arg(arg);
    }
    run
}

fn category<'a>(report: &'a Value, attributes: &[&str], values: &[&str]) -> &'a Value {
    report["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["attributes"] == serde_json::json!(attributes))
        .and_then(|g| {
            g["categories"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["values"] == serde_json::json!(values))
        })
        .unwrap_or_else(|| panic!("no {attributes:?} {values:?}"))
}

fn close(value: &Value, expected: f64) -> bool {
    (value.as_f64().unwrap() - expected).abs() < 1e-9
}

#[test]
fn json_rates_and_ratios_match_the_hand_computation() {
    let report = impact(&["--format", "json"]).output().expect_code(0).json();
    let counts = &report["counts"];
    assert_eq!(counts["evaluations"], 26);
    assert_eq!(counts["assessed"], 23);
    assert_eq!(counts["insufficient"], 1);
    assert_eq!(counts["failed"], 1);
    assert_eq!(counts["duplicates"], 1);
    assert_eq!(counts["selected"], 12);
    // Median 4.0 (m08 and f02 sit on it, so are not above): 10 above.
    assert_eq!(report["median_overall"], 4.0);
    assert_eq!(counts["above_median"], 10);
    let m = category(&report, &["sex"], &["M"]);
    let f = category(&report, &["sex"], &["F"]);
    assert_eq!(m["selection"]["flag"], "reference");
    assert!(close(&m["selection"]["rate"], 0.8) && close(&f["selection"]["rate"], 0.2));
    assert!(close(&f["selection"]["impact_ratio"], 0.25));
    // 2 × (1 + 100 + 2025) / C(20, 10).
    assert!(close(&f["selection"]["p_value"], 4252.0 / 184_756.0));
    assert_eq!(f["selection"]["flag"], "adverse");
    assert!(close(&m["scoring"]["rate"], 0.7) && close(&f["scoring"]["rate"], 0.1));
    assert!(close(&f["scoring"]["impact_ratio"], 1.0 / 7.0));
    // (45 + 1200 + 1200 + 45) / C(20, 8).
    assert!(close(&f["scoring"]["p_value"], 2490.0 / 125_970.0));
    let no = category(&report, &["english_first_language"], &["no"]);
    // 0.3 / (8/11) = 0.4125; (1 + 110 + 2475 + 19800 + 7425 + 550 + 11) / C(21, 11).
    assert!(close(&no["selection"]["impact_ratio"], 0.4125));
    assert!(close(&no["selection"]["p_value"], 30_372.0 / 352_716.0));
    assert_eq!(no["selection"]["flag"], "not_significant");
    // The intersection: F × no, 0 of 5, against M × yes, 5 of 5: p = 2 / C(10, 5).
    let f_no = category(&report, &["sex", "english_first_language"], &["F", "no"]);
    assert!(close(&f_no["selection"]["impact_ratio"], 0.0));
    assert!(close(&f_no["selection"]["p_value"], 2.0 / 252.0));
    assert_eq!(f_no["selection"]["flag"], "adverse");
    let unknown: Vec<(u64, u64)> = report["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["known"].as_u64().unwrap(), g["unknown"].as_u64().unwrap()))
        .collect();
    assert_eq!(unknown, [(20, 3), (21, 2), (20, 3)]);
    assert_eq!(
        report["ids"]["without_groups_row"],
        serde_json::json!(["n01", "n02"])
    );
    assert_eq!(
        report["ids"]["groups_rows_not_in_results"],
        serde_json::json!(["ghost"])
    );
    assert_eq!(report["findings"].as_array().unwrap().len(), 5);
    assert_eq!(
        report["inputs"]["rubric"]["sha256"],
        "5488e3c1b375db35d45a6930dfee2b0ebc4e45af256590d7c54e25bc488bfdfd"
    );
    // Communication: F's first-language speakers 4, 4, 3, 3, 3, the others 1 each
    // (one point under their other scores): 2.2; M's 3.6.
    let communication = &f["dimensions"]["communication"];
    assert!(close(&communication["mean"], 2.2));
    assert!(close(&communication["difference"], 2.2 - 3.6));
}

#[test]
fn markdown_is_the_default_with_findings_unknowns_and_an_appendix() {
    let md = impact(&[]).output().expect_code(0).stdout();
    assert!(md.starts_with("## debrief impact: adverse impact by group\n"));
    assert!(
        md.contains("**5 findings** (impact ratio below 0.8, at least 5 candidates, p < 0.05):")
    );
    assert!(md.contains(
        "- sex F: selection rate 20.0% (n 10) against 80.0% for M, ratio 0.25, p 0.0230"
    ));
    assert!(md.contains(
        "Counted apart, in no rate: 1 insufficient to assess, 1 failed to grade, 1 repeated id."
    ));
    assert!(md.contains("unknown in every table: `n01`, `n02`."));
    assert!(md.contains("20 candidates in a category, 3 unknown"));
    assert!(md.contains("| F | 10 | 2 | 20.0% | 0.25 | 0.0230 | **below 0.8** |"));
    assert!(md.contains("below 0.8, not significant (p >= 0.05)"));
    assert!(md.contains("### Audit appendix"));
    assert!(
        md.contains("sha256 `5488e3c1b375db35d45a6930dfee2b0ebc4e45af256590d7c54e25bc488bfdfd`")
    );
    assert!(md.contains("29 CFR 1607.4(D)"));
    assert!(md.contains("a score equal to the median is not above it"));
    // The same bytes every run.
    assert_eq!(md, impact(&[]).output().expect_code(0).stdout());
}

#[test]
fn csv_has_a_row_per_category_and_one_for_the_unknown() {
    let done = impact(&["--format", "csv"]).output().expect_code(0);
    let mut reader = csv::Reader::from_reader(done.0.stdout.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(&header[..4], ["attributes", "kind", "category", "n"]);
    assert!(header.contains(&"communication_difference_high".to_string()));
    assert_eq!(header.len(), 15 + 36);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    // sex: 2 + unknown, language: 2 + unknown, the intersection: 4 + unknown.
    assert_eq!(rows.len(), 11);
    let f = &rows[0];
    let share = (10.0f64 / 23.0).to_string();
    assert_eq!(
        f.iter().take(8).collect::<Vec<_>>(),
        [
            "sex",
            "category",
            "F",
            "10",
            share.as_str(),
            "2",
            "0.2",
            "0.25"
        ]
    );
    let p: f64 = f[8].parse().unwrap();
    assert!((p - 4252.0 / 184_756.0).abs() < 1e-12);
    assert_eq!(&f[9], "adverse");
    assert_eq!(
        rows[2].iter().take(4).collect::<Vec<_>>(),
        ["sex", "unknown", "", "3"]
    );
    assert_eq!(&rows[6][2], "F × no");
}

#[test]
fn fail_under_fails_the_gate_on_findings_only() {
    let done = impact(&["--fail-under", "0.8"]).output().expect_code(1);
    assert!(
        done.stdout().contains("### Audit appendix"),
        "the report is written"
    );
    let stderr = done.stderr();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("error: impact ratio below 0.8 with enough candidates: sex F:"));
    // Language alone: below 0.8 but not significant, so not a finding.
    impact(&[
        "--fail-under",
        "0.8",
        "--by",
        "english_first_language",
        "--no-intersections",
    ])
    .output()
    .expect_code(0);
    // Every category has 10 or fewer candidates: with a minimum of 11, nothing is a finding.
    impact(&["--fail-under", "0.8", "--min-count", "11"])
        .output()
        .expect_code(0);
    // A lower bar: F's ratios (0.25 and 0.14) are above 0.1, but F × no's (0) are not.
    let done = impact(&["--fail-under", "0.1", "--format", "json"])
        .output()
        .expect_code(1);
    let findings = done.json()["findings"].as_array().unwrap().clone();
    assert!(findings
        .iter()
        .all(|f| f["values"] == serde_json::json!(["F", "no"])));
    impact(&["--fail-under", "1.5"]).output().expect_code(2);
}

#[test]
fn select_sets_the_lowest_recommendation_selected() {
    let report = impact(&["--select", "strong yes", "--format", "json"])
        .output()
        .expect_code(0)
        .json();
    assert_eq!(report["counts"]["selected"], 2, "m01 and m02");
    assert_eq!(report["method"]["select"], "Strong Yes");
    let f = category(&report, &["sex"], &["F"]);
    // 0 of 10 against 2 of 10: Fisher p = 2 × 45 / 190, not significant.
    assert!(close(&f["selection"]["p_value"], 90.0 / 190.0));
    assert_eq!(f["selection"]["flag"], "not_significant");
    let done = impact(&["--select", "Maybe"]).output().expect_code(2);
    assert!(done.stderr().contains("'Maybe' is not a recommendation"));
}

#[test]
fn exclude_under_lists_small_categories_as_excluded() {
    // Each intersection cell is 5 of 23 (21.7%): under 25% they are all excluded.
    let report = impact(&["--exclude-under", "25", "--format", "json"])
        .output()
        .expect_code(0)
        .json();
    let cell = category(&report, &["sex", "english_first_language"], &["F", "no"]);
    assert_eq!(cell["excluded"], true);
    assert_eq!(cell["selection"]["flag"], "excluded");
    assert_eq!(cell["selection"]["impact_ratio"], Value::Null);
    assert_eq!(cell["n"], 5, "its number is still shown");
    let md = impact(&["--exclude-under", "25"])
        .output()
        .expect_code(0)
        .stdout();
    assert!(md.contains(
        "Excluded from the impact ratios (under 25% of the candidates): F × no, F × yes, M × no, M × yes."
    ));
}

#[test]
fn ids_missing_from_the_groups_are_counted_unknown() {
    let dir = temp_dir();
    let groups = write(dir.path(), "groups.csv", "id,sex\nm01,M\nf01,F\nf02,\n");
    let report = debrief(["impact", RESULTS, "--format", "json", "--groups"])
        .arg(&groups)
        .output()
        .expect_code(0)
        .json();
    assert_eq!(report["counts"]["without_groups_row"], 20);
    let sex = &report["groups"][0];
    assert_eq!(
        (sex["known"].as_u64(), sex["unknown"].as_u64()),
        (Some(2), Some(21))
    );
    assert_eq!(
        report["groups"].as_array().unwrap().len(),
        1,
        "one attribute, no pair"
    );
}

#[test]
fn a_bad_groups_file_is_one_line_naming_file_and_line() {
    let dir = temp_dir();
    for (text, expected) in [
        (
            "id,sex\nm01,M\nf01,F,extra\n",
            "line 3: 3 cells, but the header has 2",
        ),
        (
            "id,sex\nm01,M\nm01,F\n",
            "line 3: id \"m01\" again (first on line 2)",
        ),
        (
            "candidate,sex\nm01,M\n",
            "line 1: no \"id\" column (columns: candidate, sex)",
        ),
        ("id,sex\n,M\n", "line 2: no id"),
        ("", "empty: expected a header row with an \"id\" column"),
    ] {
        let groups = write(dir.path(), "groups.csv", text);
        let done = debrief(["impact", RESULTS, "--groups"])
            .arg(&groups)
            .output()
            .expect_code(2);
        let stderr = done.stderr();
        assert_eq!(stderr.lines().count(), 1, "{text:?}: {stderr}");
        assert_eq!(
            stderr.trim_end(),
            format!("error: {}: {expected}", groups.display()),
            "{text:?}"
        );
        assert!(done.stdout().is_empty());
    }
    let done = impact(&["--by", "nationality"]).output().expect_code(2);
    assert_eq!(
        done.stderr().trim_end(),
        "error: fixtures/impact/groups.csv: --by nationality: no such column \
         (columns: sex, english_first_language)"
    );
    let done = debrief(["impact", "no/such.json", "--groups", GROUPS])
        .output()
        .expect_code(2);
    assert!(done.stderr().contains("no/such.json"));
    let done = debrief(["impact", RESULTS, "--groups", "no/such.csv"])
        .output()
        .expect_code(2);
    assert!(done.stderr().contains("no/such.csv"));
}

#[test]
fn o_writes_the_format_its_extension_names_and_refuses_an_input() {
    let dir = temp_dir();
    for (name, starts) in [
        ("r.json", "{"),
        ("r.csv", "attributes,kind"),
        ("r.md", "## debrief impact"),
    ] {
        let out = dir.path().join(name);
        impact(&["-o", out.to_str().unwrap()])
            .output()
            .expect_code(0);
        let text = std::fs::read_to_string(&out).unwrap();
        assert!(text.starts_with(starts), "{name}: {text}");
    }
    let groups = write(dir.path(), "groups.csv", "id,sex\nm01,M\n");
    let done = debrief(["impact", RESULTS, "--groups"])
        .arg(&groups)
        .arg("-o")
        .arg(&groups)
        .output()
        .expect_code(2);
    assert!(done.stderr().contains("is one of the inputs"));
    assert_eq!(std::fs::read_to_string(&groups).unwrap(), "id,sex\nm01,M\n");
}

#[test]
fn report_with_groups_adds_the_impact_section() {
    let page = debrief(["report", RESULTS, "--groups", GROUPS])
        .output()
        .expect_code(0)
        .stdout();
    assert!(page.contains("<section id=\"impact\"><h2>Adverse impact</h2>"));
    assert!(page.contains("<a href=\"#impact\">Adverse impact</a>"));
    assert!(page.contains("<strong>5 findings</strong>"));
    assert!(page.contains("Audit appendix"));
    assert!(page.contains("29 CFR 1607.4(D)"));
    assert!(page.ends_with("</html>\n"));
    let plain = debrief(["report", RESULTS])
        .output()
        .expect_code(0)
        .stdout();
    assert!(!plain.contains("id=\"impact\""));
    // Impact options without --groups are a usage error.
    debrief(["report", RESULTS, "--by", "sex"])
        .output()
        .expect_code(2);
}

#[test]
fn reads_what_grade_writes() {
    let dir = temp_dir();
    let results = dir.path().join("results.jsonl");
    debrief([
        "grade",
        "fixtures/interviews",
        "-q",
        "-o",
        results.to_str().unwrap(),
    ])
    .output()
    .expect_code(0);
    let groups = write(
        dir.path(),
        "groups.csv",
        "id,team\nbatch-short-1,a\nbatch-short-2,b\nkeyword_stuffer,a\nnegation_traps,b\n\
         strong_staff_fraud,a\nweak_early_exit,b\n",
    );
    let report = debrief(["impact", "--format", "json", "--groups"])
        .arg(&groups)
        .arg(&results)
        .output()
        .expect_code(0)
        .json();
    let assessed = report["counts"]["assessed"].as_u64().unwrap();
    assert!(assessed >= 6, "{assessed}");
    assert_eq!(report["groups"][0]["known"], 6);
    assert_eq!(
        report["inputs"]["rubric"],
        Value::Null,
        "JSON Lines carry none"
    );
}
