//! `debrief rubric fit`: fits the level thresholds to a panel's verdicts, and says how
//! well thresholds fitted that way do on interviews they were not fitted on.
//!
//! The procedure, written down so a team can repeat it on its own labels:
//! 1. Grade every labeled transcript (`expect.recommendation`) with the rubric, the
//!    thresholds set aside: what remains is each interview's overall score (after
//!    its bounded penalties) and its *ceiling*, the highest recommendation the caps
//!    allow. Thresholds only decide below the ceiling.
//! 2. The model: four cut points on one scale (No, Neutral, Yes, Strong Yes) and an
//!    offset per level (the rubric's default level has none), so a level's
//!    threshold is cut + offset. Six numbers for three levels, few enough for a few
//!    dozen labeled interviews; the offsets carry the guide's calibration (more is
//!    expected of a principal than of a senior).
//! 3. Fit by coordinate ascent on a 0.01 grid, from the rubric's own thresholds:
//!    each interview scores 1 when the verdict is within its acceptable range, 0.5
//!    more when exact, and loses 0.25 per step outside it. Among equally good
//!    values a parameter takes the middle of the widest run, the largest margin
//!    from the interviews on either side; a run open to the end of the range (no
//!    interview beyond it) stops 0.15 past the last interview.
//! 4. Out-of-fold agreement: each PATH is one set; for each set, fit on the others
//!    and predict it. These held-out numbers, not the in-sample ones, estimate how
//!    the fitted thresholds do on new interviews.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::Serialize;

use crate::agreement::quadratic_weighted_kappa;
use crate::labeled::Case;
use crate::rubric::{CompiledRubric, Recommendation};

/// One labeled interview as the fit sees it.
#[derive(Debug, Clone)]
pub struct Point {
    /// Index of the set (PATH) it came from.
    pub set: usize,
    /// Transcript id.
    pub id: String,
    /// Level graded at.
    pub level: String,
    /// Overall score after the bounded penalties.
    pub overall: f64,
    /// The highest recommendation the caps allow.
    pub ceiling: Recommendation,
    /// The panel's verdict.
    pub want: Recommendation,
    /// Verdicts the panel would also accept (including `want`).
    pub acceptable: BTreeSet<Recommendation>,
}

/// Cut points on the common scale and an offset per level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Thresholds {
    /// Cut points for No, Neutral, Yes and Strong Yes, rising.
    pub cuts: [f64; 4],
    /// Added to every cut at a level; the default level's is 0.
    pub offsets: BTreeMap<String, f64>,
}

impl Thresholds {
    /// The rubric's thresholds in this form: the default level's cuts, and each
    /// other level's mean difference from them as its offset.
    pub fn from_rubric(rubric: &CompiledRubric) -> Thresholds {
        let rule = &rubric.rubric.recommendation;
        let cuts_of = |l: &crate::rubric::LevelRule| [l.no, l.neutral, l.yes, l.strong_yes];
        let base = rule
            .levels
            .get(&rule.default_level)
            .map_or([2.0, 3.0, 4.0, 4.5], cuts_of);
        let offsets = rule
            .levels
            .iter()
            .map(|(name, l)| {
                let cuts = cuts_of(l);
                let mean = (0..4).map(|i| cuts[i] - base[i]).sum::<f64>() / 4.0;
                (name.clone(), round2(mean))
            })
            .collect();
        Thresholds {
            cuts: base,
            offsets,
        }
    }

    /// The thresholds of `level`: no, neutral, yes, strong_yes.
    pub fn level(&self, level: &str) -> [f64; 4] {
        let offset = self.offsets.get(level).copied().unwrap_or(0.0);
        self.cuts.map(|c| round2(c + offset))
    }

    /// The recommendation for an interview.
    pub fn predict(&self, point: &Point) -> Recommendation {
        let cuts = self.level(&point.level);
        let rank = cuts.iter().filter(|&&c| point.overall >= c).count();
        Recommendation::from_rank(rank).min(point.ceiling)
    }
}

fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

/// Reads the points out of graded cases (graded with the thresholds set aside, so
/// each recommendation is the ceiling).
pub fn points(cases_by_set: &[Vec<Case>]) -> Vec<Point> {
    let mut points = Vec::new();
    for (set, cases) in cases_by_set.iter().enumerate() {
        for case in cases {
            let e = &case.evaluation;
            let (Ok(Some(expect)), Some(overall), Some(ceiling), Some(level)) =
                (&case.expect, e.overall, e.recommendation, &e.level)
            else {
                continue;
            };
            let Some(want) = expect.recommendation else {
                continue;
            };
            let mut acceptable: BTreeSet<Recommendation> =
                expect.acceptable.iter().copied().collect();
            acceptable.insert(want);
            points.push(Point {
                set,
                id: e.id.clone(),
                level: level.clone(),
                overall,
                ceiling,
                want,
                acceptable,
            });
        }
    }
    points
}

/// The rubric with every threshold at 0: grading with it gives each interview's
/// ceiling as its recommendation.
pub fn without_thresholds(rubric: &CompiledRubric) -> CompiledRubric {
    let mut open = rubric.clone();
    for level in open.rubric.recommendation.levels.values_mut() {
        level.no = f64::MIN;
        level.neutral = f64::MIN;
        level.yes = f64::MIN;
        level.strong_yes = f64::MIN;
    }
    open
}

fn score_one(thresholds: &Thresholds, point: &Point) -> f64 {
    let got = thresholds.predict(point);
    if point.acceptable.contains(&got) {
        1.0 + if got == point.want { 0.5 } else { 0.0 }
    } else {
        let distance = point
            .acceptable
            .iter()
            .map(|a| a.rank().abs_diff(got.rank()))
            .min()
            .unwrap_or(0);
        -0.25 * distance as f64
    }
}

fn objective(thresholds: &Thresholds, points: &[&Point]) -> f64 {
    points.iter().map(|p| score_one(thresholds, p)).sum()
}

/// How far past the last interview a cut with nothing beyond it is set.
const MARGIN: f64 = 0.15;

/// Which number a coordinate step moves.
#[derive(Clone)]
enum Parameter {
    Cut(usize),
    Offset(String),
}

/// Fits the thresholds to `points`, starting from `start`.
pub fn fit(points: &[&Point], start: &Thresholds, default_level: &str) -> Thresholds {
    let mut best = start.clone();
    let levels: BTreeSet<&str> = points.iter().map(|p| p.level.as_str()).collect();
    let mut parameters: Vec<Parameter> = (0..4).map(Parameter::Cut).collect();
    parameters.extend(
        levels
            .iter()
            .filter(|l| **l != default_level)
            .map(|l| Parameter::Offset(l.to_string())),
    );
    for _round in 0..25 {
        let before = best.clone();
        for parameter in &parameters {
            let (low, high) = match parameter {
                Parameter::Cut(i) => (
                    if *i == 0 {
                        0.5
                    } else {
                        best.cuts[i - 1] + 0.01
                    },
                    if *i == 3 {
                        5.5
                    } else {
                        best.cuts[i + 1] - 0.01
                    },
                ),
                Parameter::Offset(_) => (-1.5, 1.5),
            };
            let steps = ((high - low) / 0.01).round() as i64;
            let mut scored: Vec<(f64, f64)> = Vec::new();
            for step in 0..=steps.max(0) {
                let value = round2(low + step as f64 * 0.01);
                let mut candidate = best.clone();
                match parameter {
                    Parameter::Cut(i) => candidate.cuts[*i] = value,
                    Parameter::Offset(level) => {
                        candidate.offsets.insert(level.clone(), value);
                    }
                }
                scored.push((value, objective(&candidate, points)));
            }
            let Some(top) = scored.iter().map(|(_, s)| *s).reduce(f64::max) else {
                continue;
            };
            // The widest run of best values; its middle keeps the largest margin.
            let mut runs: Vec<(usize, usize)> = Vec::new();
            for (index, (_, score)) in scored.iter().enumerate() {
                if *score == top {
                    match runs.last_mut() {
                        Some((_, end)) if *end + 1 == index => *end = index,
                        _ => runs.push((index, index)),
                    }
                }
            }
            let Some(&(first, last)) = runs.iter().max_by_key(|(a, b)| (b - a, usize::MAX - a))
            else {
                continue;
            };
            // A run that reaches the end of the range has no data beyond it: keep a
            // fixed margin from the data instead of moving to the far end.
            let value = if last == scored.len() - 1 && first > 0 {
                round2((scored[first].0 + MARGIN).min(scored[last].0))
            } else if first == 0 && last < scored.len() - 1 {
                round2((scored[last].0 - MARGIN).max(scored[first].0))
            } else {
                scored[(first + last) / 2].0
            };
            match parameter {
                Parameter::Cut(i) => best.cuts[*i] = value,
                Parameter::Offset(level) => {
                    best.offsets.insert(level.clone(), value);
                }
            }
        }
        if best == before {
            break;
        }
    }
    best
}

/// Agreement of predictions with the panel.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Agreement {
    /// Interviews.
    pub n: usize,
    /// Within the acceptable range.
    pub within_acceptable: usize,
    /// The panel's own verdict.
    pub exact: usize,
    /// Quadratic weighted kappa against the panel's verdict.
    pub kappa: Option<f64>,
}

fn agreement(pairs: &[(&Point, Recommendation)]) -> Agreement {
    let kappa_pairs: Vec<(usize, usize)> = pairs
        .iter()
        .map(|(p, got)| (p.want.rank(), got.rank()))
        .collect();
    Agreement {
        n: pairs.len(),
        within_acceptable: pairs
            .iter()
            .filter(|(p, got)| p.acceptable.contains(got))
            .count(),
        exact: pairs.iter().filter(|(p, got)| p.want == *got).count(),
        kappa: quadratic_weighted_kappa(&kappa_pairs, 5),
    }
}

/// What `rubric fit` reports.
#[derive(Debug, Clone, Serialize)]
pub struct FitReport {
    /// The set names, in PATH order.
    pub sets: Vec<String>,
    /// The rubric's own thresholds.
    pub current: Thresholds,
    /// Fitted on every set.
    pub fitted: Thresholds,
    /// The rubric's thresholds on every set (in-sample for whatever they were tuned on).
    pub current_agreement: Agreement,
    /// The fitted thresholds on the sets they were fitted on.
    pub in_sample: Agreement,
    /// Per set, fitted on the other sets.
    pub out_of_fold: Vec<Agreement>,
    /// All sets' out-of-fold predictions pooled.
    pub out_of_fold_pooled: Agreement,
    /// Out-of-fold misses: "set: id: expected X (acceptable ...), got Y".
    pub out_of_fold_misses: Vec<String>,
}

/// Fits on everything and leaves each set out in turn.
pub fn report(sets: Vec<String>, points: &[Point], rubric: &CompiledRubric) -> FitReport {
    let default_level = rubric.rubric.recommendation.default_level.as_str();
    let current = Thresholds::from_rubric(rubric);
    let all: Vec<&Point> = points.iter().collect();
    let fitted = fit(&all, &current, default_level);
    fn with<'p>(t: &Thresholds, ps: &[&'p Point]) -> Vec<(&'p Point, Recommendation)> {
        ps.iter().map(|p| (*p, t.predict(p))).collect()
    }
    let mut out_of_fold = Vec::new();
    let mut pooled: Vec<(&Point, Recommendation)> = Vec::new();
    let mut misses = Vec::new();
    for (set, name) in sets.iter().enumerate() {
        let train: Vec<&Point> = points.iter().filter(|p| p.set != set).collect();
        let test: Vec<&Point> = points.iter().filter(|p| p.set == set).collect();
        let thresholds = fit(&train, &current, default_level);
        let predicted = with(&thresholds, &test);
        for (p, got) in &predicted {
            if !p.acceptable.contains(got) {
                let acceptable: Vec<&str> = p.acceptable.iter().map(|r| r.label()).collect();
                misses.push(format!(
                    "{}: {}: expected {} (acceptable {}), got {}",
                    name,
                    p.id,
                    p.want,
                    acceptable.join(", "),
                    got
                ));
            }
        }
        out_of_fold.push(agreement(&predicted));
        pooled.extend(predicted);
    }
    FitReport {
        current_agreement: agreement(&with(&current, &all)),
        in_sample: agreement(&with(&fitted, &all)),
        out_of_fold,
        out_of_fold_pooled: agreement(&pooled),
        out_of_fold_misses: misses,
        sets,
        current,
        fitted,
    }
}

/// `rubric_yaml` with each level's four thresholds replaced by `thresholds`'s,
/// everything else (comments included) kept.
pub fn write_thresholds(rubric_yaml: &str, thresholds: &Thresholds) -> String {
    let mut out = String::with_capacity(rubric_yaml.len());
    let mut in_levels = false;
    let mut level: Option<String> = None;
    for line in rubric_yaml.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if indent == 2 && trimmed.starts_with("levels:") {
            in_levels = true;
        } else if in_levels
            && indent <= 2
            && !trimmed.trim().is_empty()
            && !trimmed.starts_with('#')
        {
            in_levels = false;
            level = None;
        } else if in_levels && indent == 4 && trimmed.trim_end().ends_with(':') {
            level = Some(trimmed.trim_end().trim_end_matches(':').to_string());
        }
        let replaced = match (&level, in_levels && indent == 6) {
            (Some(name), true) => {
                let cuts = thresholds.level(name);
                ["no", "neutral", "yes", "strong_yes"]
                    .iter()
                    .zip(cuts)
                    .find(|(key, _)| trimmed.starts_with(&format!("{key}:")))
                    .map(|(key, cut)| {
                        let newline = if line.ends_with('\n') { "\n" } else { "" };
                        format!("{}{key}: {cut:?}{newline}", &line[..indent])
                    })
            }
            _ => None,
        };
        out.push_str(replaced.as_deref().unwrap_or(line));
    }
    out
}

/// The report as text.
pub fn render(report: &FitReport) -> String {
    let mut out = String::new();
    let line = |a: &Agreement| {
        format!(
            "n {}, within acceptable {}/{} ({:.0}%), exact {}, kappa {}",
            a.n,
            a.within_acceptable,
            a.n,
            100.0 * a.within_acceptable as f64 / a.n.max(1) as f64,
            a.exact,
            a.kappa.map_or("undefined".into(), |k| format!("{k:.2}"))
        )
    };
    let levels = |t: &Thresholds| -> String {
        t.offsets
            .keys()
            .map(|l| {
                let c = t.level(l);
                format!(
                    "{l}: no {} neutral {} yes {} strong_yes {}",
                    c[0], c[1], c[2], c[3]
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    let _ = writeln!(out, "rubric thresholds:  {}", levels(&report.current));
    let _ = writeln!(
        out,
        "  on every set:     {}",
        line(&report.current_agreement)
    );
    let _ = writeln!(out, "fitted thresholds:  {}", levels(&report.fitted));
    let _ = writeln!(out, "  in sample:        {}", line(&report.in_sample));
    let _ = writeln!(
        out,
        "out of fold (each set predicted by thresholds fitted on the others):"
    );
    for (name, a) in report.sets.iter().zip(&report.out_of_fold) {
        let _ = writeln!(out, "  {name}: {}", line(a));
    }
    let _ = writeln!(out, "  pooled: {}", line(&report.out_of_fold_pooled));
    if !report.out_of_fold_misses.is_empty() {
        let _ = writeln!(out, "out-of-fold misses:");
        for miss in &report.out_of_fold_misses {
            let _ = writeln!(out, "  {miss}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(set: usize, level: &str, overall: f64, want: Recommendation) -> Point {
        Point {
            set,
            id: format!("{level}-{overall}"),
            level: level.into(),
            overall,
            ceiling: Recommendation::StrongYes,
            want,
            acceptable: [want].into_iter().collect(),
        }
    }

    #[test]
    fn fits_cuts_between_the_verdicts_with_the_widest_margin() {
        use Recommendation::*;
        let points = [
            point(0, "senior", 1.5, StrongNo),
            point(0, "senior", 2.5, No),
            point(0, "senior", 3.5, Neutral),
            point(1, "senior", 4.1, Yes),
            point(1, "senior", 4.7, StrongYes),
        ];
        let refs: Vec<&Point> = points.iter().collect();
        let start = Thresholds {
            cuts: [2.0, 3.0, 4.5, 4.9],
            offsets: [("senior".to_string(), 0.0)].into_iter().collect(),
        };
        let fitted = fit(&refs, &start, "senior");
        for p in &points {
            assert_eq!(fitted.predict(p), p.want, "{p:?} with {fitted:?}");
        }
        // Yes sits between 3.5 and 4.1: the middle of the gap, not its edge.
        assert!((fitted.cuts[2] - 3.8).abs() <= 0.06, "{fitted:?}");
    }

    #[test]
    fn a_cap_is_a_ceiling_the_thresholds_cannot_lift() {
        let mut p = point(0, "staff", 4.9, Recommendation::StrongYes);
        p.ceiling = Recommendation::Neutral;
        let t = Thresholds {
            cuts: [2.0, 3.0, 4.0, 4.5],
            offsets: BTreeMap::new(),
        };
        assert_eq!(t.predict(&p), Recommendation::Neutral);
    }

    #[test]
    fn writes_thresholds_into_the_rubric_text_keeping_comments() {
        let yaml = "recommendation:\n  levels:\n    # senior\n    senior:\n      strong_yes: 4.9\n      yes: 4.3\n      neutral: 3.3\n      no: 2.2\n    staff:\n      strong_yes: 4.8\n      yes: 4.2\n      neutral: 3.2\n      no: 2.3\n      requires_production_experience: true\n  red_flag_count_caps: []\n";
        let t = Thresholds {
            cuts: [2.0, 3.0, 4.0, 4.5],
            offsets: [("senior".to_string(), 0.0), ("staff".to_string(), 0.1)]
                .into_iter()
                .collect(),
        };
        let written = write_thresholds(yaml, &t);
        assert!(
            written.contains("    # senior\n    senior:\n      strong_yes: 4.5\n      yes: 4.0\n")
        );
        assert!(written.contains("    staff:\n      strong_yes: 4.6\n      yes: 4.1\n      neutral: 3.1\n      no: 2.1\n      requires_production_experience: true\n"));
        assert!(written.ends_with("  red_flag_count_caps: []\n"));
    }
}
