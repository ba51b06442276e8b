//! The report's numbers against values computed by hand, each derivation written
//! beside its assertion.

use std::path::Path;

use serde_json::{json, Value};

use super::*;

/// An assessed evaluation; every dimension 3 except communication.
fn assessed(id: &str, recommendation: &str, overall: f64, communication: u8) -> Value {
    json!({
        "id": id, "status": "ok", "assessment": "assessed",
        "recommendation": recommendation, "overall": overall,
        "scores": {"ml_fundamentals": 3, "feature_engineering": 3, "model_selection": 3,
                   "production_readiness": 3, "math_foundation": 3,
                   "communication": communication}
    })
}

fn analyse_with(evaluations: Vec<Value>, groups: &str, options: &Options) -> ImpactReport {
    let file = crate::results::ResultsFile {
        debrief: Some(crate::provenance::ToolInfo {
            version: "0.1.0".into(),
        }),
        rubric: Some(crate::provenance::RubricInfo {
            name: "guide".into(),
            version: "1.0.0".into(),
            sha256: "ab12".into(),
        }),
        evaluations: evaluations
            .into_iter()
            .map(|e| serde_json::from_value(e).unwrap())
            .collect(),
    };
    let groups = Groups::parse(Path::new("groups.csv"), groups).unwrap();
    let results = Results {
        path: Path::new("results.json"),
        sha256: "00",
        file: &file,
    };
    analyse(results, &groups, options).unwrap()
}

fn category<'a>(report: &'a ImpactReport, attributes: &[&str], values: &[&str]) -> &'a Category {
    report
        .groups
        .iter()
        .find(|g| g.attributes == attributes)
        .unwrap_or_else(|| panic!("no group {attributes:?}"))
        .categories
        .iter()
        .find(|c| c.values == values)
        .unwrap_or_else(|| panic!("no category {values:?}"))
}

fn group<'a>(report: &'a ImpactReport, attributes: &[&str]) -> &'a Group {
    report
        .groups
        .iter()
        .find(|g| g.attributes == attributes)
        .unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

/// Ten candidates. Sex: M a1-a4, F b1-b4; u1 has no row, u2 an empty sex.
/// Language: en a1 a2 b1 b2 u2, fr a3 a4 b3 b4.
///
/// Overall scores sorted: 1, 2, 2.5, 3, 3, 3, 3, 4, 4.5, 5: the median is
/// (3 + 3) / 2 = 3, and only a1 (4), u1 (4.5) and a4 (5) are above it; the four
/// candidates at exactly 3 are not.
fn scenario() -> ImpactReport {
    analyse_with(
        vec![
            assessed("a1", "Yes", 4.0, 5),
            assessed("a2", "Strong Yes", 3.0, 4),
            assessed("a3", "No", 3.0, 4),
            assessed("a4", "Yes", 5.0, 3),
            assessed("b1", "Yes", 3.0, 2),
            assessed("b2", "Neutral", 2.0, 3),
            assessed("b3", "No", 1.0, 2),
            assessed("b4", "Strong No", 3.0, 1),
            assessed("u1", "Yes", 4.5, 4),
            assessed("u2", "No", 2.5, 3),
        ],
        "id,sex,lang\na1,M,en\na2,M,en\na3,M,fr\na4,M,fr\nb1,F,en\nb2,F,en\nb3,F,fr\nb4,F,fr\nu2,,en\nghost,F,en\n",
        &Options::default(),
    )
}

#[test]
fn selection_rates_and_ratios_by_hand() {
    let report = scenario();
    assert_eq!(report.counts.assessed, 10);
    // Yes or above: a1 a2 a4 b1 u1.
    assert_eq!(report.counts.selected, 5);
    let m = category(&report, &["sex"], &["M"]);
    let f = category(&report, &["sex"], &["F"]);
    // M: a1, a2 (Strong Yes counts), a4 of 4 = 0.75; F: b1 of 4 = 0.25.
    assert_eq!((m.n, m.selection.count), (4, 3));
    assert!(close(m.selection.rate, 0.75));
    assert_eq!(m.selection.flag, Flag::Reference);
    assert_eq!(m.selection.impact_ratio, Some(1.0));
    assert_eq!(m.selection.p_value, None);
    assert!(close(f.selection.rate, 0.25));
    // 0.25 / 0.75 = 1/3.
    assert!(close(f.selection.impact_ratio.unwrap(), 1.0 / 3.0));
    // Fisher on (1, 3; 3, 1): tables x = 0..4 have 1, 16, 36, 16, 1 chances in 70;
    // those no likelier than x = 1 sum to 34/70.
    assert!(close(f.selection.p_value.unwrap(), 34.0 / 70.0));
    // n 4 is under the minimum of 5: below 0.8 but not a finding.
    assert_eq!(f.selection.flag, Flag::TooFew);
    // Language: en a1 a2 b1 (u2 is No) of 5 = 0.6; fr a4 of 4 = 0.25.
    let en = category(&report, &["lang"], &["en"]);
    let fr = category(&report, &["lang"], &["fr"]);
    assert_eq!(
        (en.n, en.selection.count, fr.n, fr.selection.count),
        (5, 3, 4, 1)
    );
    assert!(close(fr.selection.impact_ratio.unwrap(), 0.25 / 0.6));
    // Fisher on (1, 3; 3, 2): 5, 40, 60, 20, 1 chances in 126; no likelier than 40:
    // 5 + 40 + 20 + 1 = 66.
    assert!(close(fr.selection.p_value.unwrap(), 66.0 / 126.0));
    assert!(report.findings.is_empty());
}

#[test]
fn scoring_rates_with_ties_at_the_median() {
    let report = scenario();
    assert_eq!(report.median_overall, Some(3.0));
    assert_eq!(
        report.counts.above_median, 3,
        "a1, u1, a4; not the four at 3"
    );
    let m = category(&report, &["sex"], &["M"]);
    let f = category(&report, &["sex"], &["F"]);
    // M: a1 and a4 (a2 and a3 sit at the median) = 0.5; F: b1 and b4 sit at the
    // median too, so none = 0.
    assert_eq!((m.scoring.count, f.scoring.count), (2, 0));
    assert_eq!(m.scoring.flag, Flag::Reference);
    assert_eq!(f.scoring.impact_ratio, Some(0.0));
    // Fisher on (0, 4; 2, 2): 6, 16, 6 chances in 28; 6 + 6 = 12.
    assert!(close(f.scoring.p_value.unwrap(), 12.0 / 28.0));
    // en: a1 of 5 = 0.2; fr: a4 of 4 = 0.25. fr is the highest; 0.2 / 0.25 is
    // exactly four fifths, which is not below 0.8.
    let en = category(&report, &["lang"], &["en"]);
    let fr = category(&report, &["lang"], &["fr"]);
    assert_eq!(fr.scoring.flag, Flag::Reference);
    assert_eq!(en.scoring.impact_ratio, Some(0.8));
    assert_eq!(en.scoring.flag, Flag::AtOrAbove);
}

#[test]
fn unknowns_are_counted_and_in_no_category() {
    let report = scenario();
    // u1 has no row; u2 has an empty sex but a language.
    let sex = group(&report, &["sex"]);
    assert_eq!((sex.known, sex.unknown), (8, 2));
    let lang = group(&report, &["lang"]);
    assert_eq!((lang.known, lang.unknown), (9, 1));
    assert_eq!(report.counts.without_groups_row, 1);
    assert_eq!(report.ids.without_groups_row, ["u1"]);
    // A row for an id no evaluation has is reported, not used.
    assert_eq!(report.ids.groups_rows_not_in_results, ["ghost"]);
    let names: Vec<String> = sex.categories.iter().map(Category::name).collect();
    assert_eq!(names, ["F", "M"]);
}

#[test]
fn intersections_by_hand() {
    let report = scenario();
    let both = group(&report, &["sex", "lang"]);
    // u1 (no row) and u2 (no sex) are unknown in the intersection.
    assert_eq!((both.known, both.unknown), (8, 2));
    let names: Vec<String> = both.categories.iter().map(Category::name).collect();
    assert_eq!(names, ["F × en", "F × fr", "M × en", "M × fr"]);
    // Selected: F×en b1 of 2, F×fr none, M×en a1 a2 of 2, M×fr a4 of 2.
    let rates: Vec<(usize, f64)> = both
        .categories
        .iter()
        .map(|c| (c.selection.count, c.selection.rate))
        .collect();
    assert_eq!(rates, [(1, 0.5), (0, 0.0), (2, 1.0), (1, 0.5)]);
    let reference = category(&report, &["sex", "lang"], &["M", "en"]);
    assert_eq!(reference.selection.flag, Flag::Reference);
    let f_en = category(&report, &["sex", "lang"], &["F", "en"]);
    assert_eq!(f_en.selection.impact_ratio, Some(0.5));
    // Fisher on (1, 1; 2, 0): x = 1 and x = 2 each 2 chances in 4: p = 1.
    assert!(close(f_en.selection.p_value.unwrap(), 1.0));
    assert_eq!(f_en.selection.flag, Flag::TooFew);
    // Scoring: M×en (a1) and M×fr (a4) tie at 1/2 with 2 each; the first by value
    // is the reference, the other is at 1.0.
    let m_fr = category(&report, &["sex", "lang"], &["M", "fr"]);
    assert_eq!(reference.scoring.flag, Flag::Reference);
    assert_eq!(m_fr.scoring.impact_ratio, Some(1.0));
    assert_eq!(m_fr.scoring.flag, Flag::AtOrAbove);
    // Without intersections only the two attributes remain.
    let options = Options {
        intersections: false,
        ..Options::default()
    };
    let groups = "id,sex,lang\na1,M,en\n";
    let report = analyse_with(vec![assessed("a1", "Yes", 4.0, 3)], groups, &options);
    assert_eq!(report.groups.len(), 2);
}

#[test]
fn dimension_means_with_intervals_by_hand() {
    let report = scenario();
    let m = &category(&report, &["sex"], &["M"]).dimensions[&Dimension::Communication];
    let f = &category(&report, &["sex"], &["F"]).dimensions[&Dimension::Communication];
    // M: 5, 4, 4, 3: mean 4, s² = 2/3, t(0.975, 3) = 3.182446, half-width
    // 3.182446 × √(2/3) / 2 = 1.299228; the upper bound is clamped to 5.
    assert_eq!((m.n, m.mean), (4, 4.0));
    assert!((m.low.unwrap() - 2.700_772).abs() < 1e-5);
    assert_eq!(m.high, Some(5.0));
    // F: 2, 3, 2, 1: mean 2, same spread; the lower bound is clamped to 1.
    assert_eq!(f.mean, 2.0);
    assert_eq!(f.low, Some(1.0));
    assert!((f.high.unwrap() - 3.299_228).abs() < 1e-5);
    // M - F = 2; Welch: se = √(1/6 + 1/6), df = (1/3)² / (2 × (1/6)² / 3) = 6,
    // t(0.975, 6) = 2.446912, half-width 1.412735.
    assert_eq!(m.difference, Some(2.0));
    assert!((m.difference_low.unwrap() - 0.587_265).abs() < 1e-5);
    assert!((m.difference_high.unwrap() - 3.412_735).abs() < 1e-5);
    assert_eq!(f.difference, Some(-2.0));
    assert!((f.difference_low.unwrap() + 3.412_735).abs() < 1e-5);
    // Every other dimension is 3 for everyone: a zero-width interval.
    let flat = &category(&report, &["sex"], &["F"]).dimensions[&Dimension::MathFoundation];
    assert_eq!(
        (flat.mean, flat.low, flat.high, flat.difference),
        (3.0, Some(3.0), Some(3.0), Some(0.0))
    );
}

/// Sex: M 20 (16 selected), F 20 (4), G 5 (2), H 4 (0). Selected candidates score
/// 4, the others 2: the median of 27 twos and 22 fours is 2, so the scoring rates
/// equal the selection rates.
fn small_samples(options: &Options) -> ImpactReport {
    let mut evaluations = Vec::new();
    let mut groups = String::from("id,sex\n");
    for (sex, n, selected) in [("M", 20, 16), ("F", 20, 4), ("G", 5, 2), ("H", 4, 0)] {
        for i in 0..n {
            let id = format!("{sex}{i}");
            let (recommendation, overall) = if i < selected {
                ("Yes", 4.0)
            } else {
                ("No", 2.0)
            };
            evaluations.push(assessed(&id, recommendation, overall, 3));
            groups.push_str(&format!("{id},{sex}\n"));
        }
    }
    analyse_with(evaluations, &groups, options)
}

#[test]
fn the_small_sample_rule() {
    let report = small_samples(&Options::default());
    // F: 0.2 / 0.8 = 0.25 with n 20; Fisher on (4, 16; 16, 4) is
    // 2 × Σ_{x≤4} C(20,x)² / C(40,20) = 0.00036: a finding.
    let f = category(&report, &["sex"], &["F"]);
    assert!(close(f.selection.impact_ratio.unwrap(), 0.25));
    assert!((f.selection.p_value.unwrap() - 0.000_359_967).abs() < 1e-8);
    assert_eq!(f.selection.flag, Flag::Adverse);
    // G: 0.4 / 0.8 = 0.5 with n 5, the minimum; Fisher on (2, 3; 16, 4): tables
    // x = 0..5 have 190, 5700, 48450, 155040, 193800, 77520 chances in 480700, and
    // 190 + 5700 + 48450 = 54340 are no likelier: p = 0.113, not significant.
    let g = category(&report, &["sex"], &["G"]);
    assert!(close(g.selection.impact_ratio.unwrap(), 0.5));
    assert!(close(g.selection.p_value.unwrap(), 54_340.0 / 480_700.0));
    assert_eq!(g.selection.flag, Flag::NotSignificant);
    // H: 0 of 4, significant (p 0.0066) but under the minimum count.
    let h = category(&report, &["sex"], &["H"]);
    assert!(h.selection.p_value.unwrap() < ALPHA);
    assert_eq!(h.selection.flag, Flag::TooFew);
    // The same for scoring: two findings, both about F.
    assert_eq!(f.scoring.flag, Flag::Adverse);
    let findings: Vec<(Vec<String>, Measure)> = report
        .findings
        .iter()
        .map(|f| (f.values.clone(), f.measure))
        .collect();
    assert_eq!(
        findings,
        [
            (vec!["F".to_string()], Measure::Selection),
            (vec!["F".to_string()], Measure::Scoring)
        ]
    );
    assert_eq!(report.findings[0].reference, ["M"]);
    // A minimum of 4 makes H a finding; a threshold of 0.2 leaves only H (ratio 0).
    let lower = small_samples(&Options {
        min_count: 4,
        threshold: 0.2,
        ..Options::default()
    });
    let values: Vec<&str> = lower
        .findings
        .iter()
        .map(|f| f.values[0].as_str())
        .collect();
    assert_eq!(values, ["H", "H"]);
}

/// 100 candidates; `a`: 98 "big" and 2 "pair" (2%: kept); `b`: 99 "big" and 1
/// "solo" (1%: excluded). Even-numbered candidates and the solo one are selected.
fn exclusion(exclude_under: f64) -> ImpactReport {
    let mut evaluations = Vec::new();
    let mut groups = String::from("id,a,b\n");
    for i in 0..100 {
        let id = format!("c{i:03}");
        let selected = i % 2 == 0 || i == 99;
        evaluations.push(assessed(&id, if selected { "Yes" } else { "No" }, 3.0, 3));
        let a = if i < 2 { "pair" } else { "big" };
        let b = if i == 99 { "solo" } else { "big" };
        groups.push_str(&format!("{id},{a},{b}\n"));
    }
    let options = Options {
        exclude_under,
        ..Options::default()
    };
    analyse_with(evaluations, &groups, &options)
}

#[test]
fn categories_under_two_percent_are_excluded_and_listed() {
    let report = exclusion(2.0);
    let pair = category(&report, &["a"], &["pair"]);
    assert!(!pair.excluded, "exactly 2% is not under 2%");
    assert!(close(pair.share, 0.02));
    let solo = category(&report, &["b"], &["solo"]);
    assert!(solo.excluded);
    // Its number and rate are still shown; it has no ratio and is never the highest,
    // though its rate (1 of 1) is.
    assert_eq!((solo.n, solo.selection.rate), (1, 1.0));
    assert_eq!(solo.selection.impact_ratio, None);
    assert_eq!(solo.selection.flag, Flag::Excluded);
    let big = category(&report, &["b"], &["big"]);
    assert_eq!(big.selection.flag, Flag::Reference);
    // Kept, the solo candidate becomes the highest: big's ratio is 50/99.
    let report = exclusion(0.0);
    let big = category(&report, &["b"], &["big"]);
    assert!(close(big.selection.impact_ratio.unwrap(), 50.0 / 99.0));
    // Fisher on (50, 49; 1, 0): with one candidate on the other side, p = 1.
    assert_eq!(big.selection.flag, Flag::NotSignificant);
    let report = exclusion(3.0);
    assert!(category(&report, &["a"], &["pair"]).excluded);
}

#[test]
fn no_ratio_when_no_one_is_selected() {
    let report = analyse_with(
        vec![
            assessed("a", "No", 2.0, 3),
            assessed("b", "Neutral", 3.0, 3),
        ],
        "id,sex\na,F\nb,M\n",
        &Options::default(),
    );
    for c in &group(&report, &["sex"]).categories {
        assert_eq!(c.selection.flag, Flag::NoRate);
        assert_eq!(c.selection.impact_ratio, None);
    }
    // The median is 2.5: b is above it.
    assert_eq!(
        category(&report, &["sex"], &["M"]).scoring.flag,
        Flag::Reference
    );
    // --select Neutral counts b.
    let report = analyse_with(
        vec![
            assessed("a", "No", 2.0, 3),
            assessed("b", "Neutral", 3.0, 3),
        ],
        "id,sex\na,F\nb,M\n",
        &Options {
            select: Recommendation::Neutral,
            ..Options::default()
        },
    );
    assert_eq!(report.counts.selected, 1);
}

#[test]
fn insufficient_failed_and_repeated_are_counted_apart() {
    let report = analyse_with(
        vec![
            assessed("a", "Yes", 4.0, 3),
            json!({"id": "thin", "status": "ok", "assessment": "insufficient",
                   "recommendation": null, "overall": null}),
            json!({"id": "broken", "status": "error", "error": "broken.json: empty"}),
            assessed("a", "No", 1.0, 3),
            assessed("b", "No", 2.0, 3),
        ],
        "id,sex\na,F\nb,M\nthin,F\nbroken,M\n",
        &Options::default(),
    );
    let c = &report.counts;
    assert_eq!(
        (
            c.evaluations,
            c.assessed,
            c.insufficient,
            c.failed,
            c.duplicates
        ),
        (5, 2, 1, 1, 1)
    );
    assert_eq!(report.ids.insufficient, ["thin"]);
    assert_eq!(report.ids.failed, ["broken"]);
    assert_eq!(report.ids.duplicates, ["a"]);
    assert_eq!(group(&report, &["sex"]).known, 2);
    assert!(report.ids.groups_rows_not_in_results.is_empty());
}

#[test]
fn renders_every_format_and_escapes_team_text() {
    let report = analyse_with(
        vec![assessed("a", "Yes", 4.0, 3), assessed("b", "No", 2.0, 3)],
        "id,=team|x\na,<img src=x>\nb,# heading\n",
        &Options::default(),
    );
    let md = render(&report, Format::Markdown);
    assert!(md.starts_with("## debrief impact"));
    assert!(md.contains("### =team\\|x"));
    assert!(md.contains("\\<img src=x\\>") && !md.replace("\\<", "").contains("<img"));
    assert!(md.contains("| \\# heading |"));
    assert!(md.contains("29 CFR 1607.4(D)") && md.contains("6 RCNY 5-300"));
    assert!(md.contains("sha256 `ab12`"));
    assert!(md.contains("What this does not show"));
    let csv = render(&report, Format::Csv);
    let mut reader = ::csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(reader.headers().unwrap().len(), 15 + 36);
    let rows: Vec<::csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3, "two categories and the unknown row");
    assert_eq!(&rows[0][0], "'=team|x");
    assert_eq!(&rows[2][1], "unknown");
    let json: Value = serde_json::from_str(&render(&report, Format::Json)).unwrap();
    assert_eq!(
        json["groups"][0]["categories"][0]["selection"]["flag"],
        "too_few"
    );
    assert_eq!(json["method"]["select"], "Yes");
    assert_eq!(json["inputs"]["rubric"]["sha256"], "ab12");
    assert_eq!(
        json["groups"][0]["categories"][0]["dimensions"]["communication"]["mean"],
        3.0
    );
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    for format in [Format::Markdown, Format::Csv, Format::Json] {
        assert_eq!(render(&scenario(), format), render(&scenario(), format));
    }
}

mod properties {
    use proptest::prelude::*;

    use super::*;

    /// A candidate: a recommendation rank, an overall score in tenths, a sex and a
    /// language (`None` for an empty cell), and whether the groups file has a row.
    fn candidate() -> impl Strategy<Value = (usize, u8, Option<u8>, Option<u8>, bool)> {
        (
            0usize..5,
            10u8..=50,
            proptest::option::of(0u8..3),
            proptest::option::of(0u8..2),
            any::<bool>(),
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn any_bytes_in_a_groups_file_never_panic(text in ".{0,200}") {
            if let Ok(groups) = Groups::parse(Path::new("g.csv"), &text) {
                let _ = groups.select(&[]);
            }
        }

        #[test]
        fn rates_and_ratios_stay_in_range_and_add_up(
            candidates in proptest::collection::vec(candidate(), 0..40),
            min_count in 0usize..8,
            exclude_under in 0.0f64..20.0,
        ) {
            let mut evaluations = Vec::new();
            let mut groups = String::from("id,sex,lang\n");
            for (i, (rank, overall, sex, lang, row)) in candidates.iter().enumerate() {
                let id = format!("c{i}");
                let label = Recommendation::from_rank(*rank).label();
                evaluations.push(assessed(&id, label, f64::from(*overall) / 10.0, 3));
                if *row {
                    let cell = |v: &Option<u8>| v.map_or(String::new(), |v| format!("v{v}"));
                    groups.push_str(&format!("{id},{},{}\n", cell(sex), cell(lang)));
                }
            }
            let options = Options { min_count, exclude_under, ..Options::default() };
            let report = analyse_with(evaluations, &groups, &options);
            prop_assert_eq!(report.groups.len(), 3);
            for group in &report.groups {
                let n: usize = group.categories.iter().map(|c| c.n).sum();
                prop_assert_eq!(n, group.known);
                prop_assert_eq!(group.known + group.unknown, candidates.len());
                for measure in [Measure::Selection, Measure::Scoring] {
                    let references = group
                        .categories
                        .iter()
                        .filter(|c| c.rate(measure).flag == Flag::Reference)
                        .count();
                    prop_assert!(references <= 1);
                    for category in &group.categories {
                        let rate = category.rate(measure);
                        prop_assert!((0.0..=1.0).contains(&rate.rate));
                        prop_assert!(rate.count <= category.n);
                        if let Some(ratio) = rate.impact_ratio {
                            prop_assert!((0.0..=1.0).contains(&ratio), "{}", ratio);
                            prop_assert_eq!(references, 1);
                        }
                        if let Some(p) = rate.p_value {
                            prop_assert!((0.0..=1.0 + 1e-12).contains(&p), "{}", p);
                        }
                        prop_assert_eq!(category.excluded, rate.flag == Flag::Excluded);
                        if rate.flag == Flag::Adverse {
                            prop_assert!(category.n >= min_count);
                        }
                    }
                }
                for category in &group.categories {
                    for mean in category.dimensions.values() {
                        prop_assert!((1.0..=5.0).contains(&mean.mean));
                        if let (Some(low), Some(high)) = (mean.low, mean.high) {
                            prop_assert!(low <= mean.mean + 1e-9 && mean.mean <= high + 1e-9);
                        }
                    }
                }
            }
            for format in [Format::Markdown, Format::Csv, Format::Json] {
                prop_assert!(!render(&report, format).is_empty());
            }
        }
    }
}
