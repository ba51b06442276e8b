//! The statistics behind the adverse-impact report, written out here rather than
//! taken from a library so an auditor can read every step: the median, Fisher's
//! exact test on a 2x2 table (from log-factorials), and Student-t intervals for a
//! mean and for a difference of two means (Welch).
//!
//! Everything is deterministic: sums run in a fixed order, and the t quantile is
//! found by bisection with a fixed number of steps.

/// The median of `values` (the mean of the two middle values when their number is
/// even); `None` when there are none. NaNs are not expected: overall scores are
/// finite numbers.
pub fn median(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let middle = sorted.len() / 2;
    Some(if sorted.len() % 2 == 1 {
        sorted[middle]
    } else {
        (sorted[middle - 1] + sorted[middle]) / 2.0
    })
}

/// `ln(k!)` for every `k` up to a bound, by summing `ln(k)`: exact enough for any
/// table debrief meets (the error grows like `k * 1e-16`).
#[derive(Debug, Clone)]
pub struct LogFactorials(Vec<f64>);

impl LogFactorials {
    /// The table for `0..=n`.
    pub fn up_to(n: usize) -> LogFactorials {
        let mut table = Vec::with_capacity(n + 1);
        let mut sum = 0.0;
        table.push(0.0);
        for k in 1..=n {
            sum += (k as f64).ln();
            table.push(sum);
        }
        LogFactorials(table)
    }

    /// `ln(k!)`; a `k` beyond the table extends it on the fly (never in practice:
    /// the table is built for the whole sample).
    fn ln_factorial(&self, k: usize) -> f64 {
        match self.0.get(k) {
            Some(value) => *value,
            None => {
                let last = self.0.len() - 1;
                self.0[last] + (last + 1..=k).map(|i| (i as f64).ln()).sum::<f64>()
            }
        }
    }

    /// `ln(n choose k)`, for `k <= n`.
    fn ln_choose(&self, n: usize, k: usize) -> f64 {
        self.ln_factorial(n) - self.ln_factorial(k) - self.ln_factorial(n - k)
    }
}

/// Fisher's exact test, two-sided, on the table
///
/// ```text
///              counted   not counted
/// group 1        a           b
/// group 2        c           d
/// ```
///
/// With the margins fixed, the count in the top-left cell follows the
/// hypergeometric distribution; the p-value is the total probability of every
/// table no more probable than the one observed (the usual two-sided rule, with a
/// relative tolerance of 1e-7 so tables equally probable on paper are not lost to
/// rounding). 1 when the table says nothing (an empty row or column).
pub fn fisher_exact(a: usize, b: usize, c: usize, d: usize, table: &LogFactorials) -> f64 {
    let (row1, row2, column1) = (a + b, c + d, a + c);
    let n = row1 + row2;
    if row1 == 0 || row2 == 0 || column1 == 0 || column1 == n {
        return 1.0;
    }
    let ln_total = table.ln_choose(n, column1);
    let ln_probability =
        |x: usize| table.ln_choose(row1, x) + table.ln_choose(row2, column1 - x) - ln_total;
    let observed = ln_probability(a);
    let low = column1.saturating_sub(row2);
    let high = row1.min(column1);
    let p: f64 = (low..=high)
        .map(ln_probability)
        .filter(|&lp| lp <= observed + 1e-7)
        .map(f64::exp)
        .sum();
    p.min(1.0)
}

/// A point estimate with a two-sided interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// The estimate.
    pub value: f64,
    /// The interval's bounds, when there is enough data for one.
    pub interval: Option<(f64, f64)>,
}

/// The mean of `values` with its 95% Student-t interval (`mean ± t(0.975, n-1) ×
/// s / √n`); no interval under two values. `None` when there are none.
pub fn mean_interval(values: &[f64]) -> Option<Estimate> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    let mean = mean(values);
    let interval = (n >= 2).then(|| {
        let half = t_quantile(0.975, (n - 1) as f64) * (variance(values, mean) / n as f64).sqrt();
        (mean - half, mean + half)
    });
    Some(Estimate {
        value: mean,
        interval,
    })
}

/// The difference of means `mean(first) - mean(second)` with its 95% Welch
/// interval: standard error `√(s₁²/n₁ + s₂²/n₂)`, degrees of freedom by
/// Welch-Satterthwaite. No interval unless both sides have two values or more; a
/// zero-width interval when neither varies. `None` when a side is empty.
pub fn difference_interval(first: &[f64], second: &[f64]) -> Option<Estimate> {
    if first.is_empty() || second.is_empty() {
        return None;
    }
    let (m1, m2) = (mean(first), mean(second));
    let value = m1 - m2;
    let interval = (first.len() >= 2 && second.len() >= 2).then(|| {
        let v1 = variance(first, m1) / first.len() as f64;
        let v2 = variance(second, m2) / second.len() as f64;
        let se = (v1 + v2).sqrt();
        if se == 0.0 {
            return (value, value);
        }
        let df = (v1 + v2).powi(2)
            / (v1 * v1 / (first.len() - 1) as f64 + v2 * v2 / (second.len() - 1) as f64);
        let half = t_quantile(0.975, df) * se;
        (value - half, value + half)
    });
    Some(Estimate { value, interval })
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

/// The sample variance (divisor `n - 1`); call with two values or more.
fn variance(values: &[f64], mean: f64) -> f64 {
    values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (values.len() - 1) as f64
}

/// The `p` quantile of Student's t with `df` degrees of freedom (`df > 0`, `p` in
/// 0.5..1), by bisection on the distribution function.
pub fn t_quantile(p: f64, df: f64) -> f64 {
    let mut high = 1.0;
    while t_cdf(high, df) < p && high < 1e12 {
        high *= 2.0;
    }
    let mut low = 0.0;
    for _ in 0..200 {
        let middle = (low + high) / 2.0;
        if t_cdf(middle, df) < p {
            low = middle;
        } else {
            high = middle;
        }
    }
    (low + high) / 2.0
}

/// Student's t distribution function at `t >= 0`: `1 - I_x(df/2, 1/2) / 2` with
/// `x = df / (df + t²)`.
fn t_cdf(t: f64, df: f64) -> f64 {
    1.0 - 0.5 * incomplete_beta(df / 2.0, 0.5, df / (df + t * t))
}

/// The regularised incomplete beta function `I_x(a, b)`, by its continued fraction
/// (modified Lentz), using the symmetry `I_x(a, b) = 1 - I_{1-x}(b, a)` where the
/// fraction converges slowly.
fn incomplete_beta(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let ln_front = ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln();
    if x < (a + 1.0) / (a + b + 2.0) {
        ln_front.exp() * beta_fraction(a, b, x) / a
    } else {
        1.0 - ln_front.exp() * beta_fraction(b, a, 1.0 - x) / b
    }
}

fn beta_fraction(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let mut c = 1.0;
    let mut d = 1.0 - (a + b) * x / (a + 1.0);
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..=300 {
        let m = f64::from(m);
        let even = m * (b - m) * x / ((a + 2.0 * m - 1.0) * (a + 2.0 * m));
        for coefficient in [
            even,
            -(a + m) * (a + b + m) * x / ((a + 2.0 * m) * (a + 2.0 * m + 1.0)),
        ] {
            d = 1.0 + coefficient * d;
            if d.abs() < TINY {
                d = TINY;
            }
            c = 1.0 + coefficient / c;
            if c.abs() < TINY {
                c = TINY;
            }
            d = 1.0 / d;
            h *= d * c;
        }
        if (d * c - 1.0).abs() < 1e-15 {
            break;
        }
    }
    h
}

/// `ln Γ(x)` for `x > 0` (Lanczos, g = 7, nine coefficients; about 15 digits).
fn ln_gamma(x: f64) -> f64 {
    const COEFFICIENTS: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection: Γ(x) Γ(1 - x) = π / sin(πx).
        return (std::f64::consts::PI / (std::f64::consts::PI * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut sum = COEFFICIENTS[0];
    for (i, c) in COEFFICIENTS.iter().enumerate().skip(1) {
        sum += c / (x + i as f64);
    }
    let t = x + 7.5;
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + sum.ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tolerance: f64) -> bool {
        (a - b).abs() <= tolerance
    }

    #[test]
    fn median_of_odd_even_and_tied_samples() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[3.0]), Some(3.0));
        assert_eq!(median(&[4.0, 1.0, 3.0]), Some(3.0));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(&[2.0, 3.0, 3.0, 3.0, 5.0, 1.0]), Some(3.0));
    }

    #[test]
    fn log_factorials_are_exact_for_small_numbers() {
        let table = LogFactorials::up_to(10);
        assert!(close(table.ln_factorial(5), 120f64.ln(), 1e-12));
        assert!(close(table.ln_factorial(10), 3_628_800f64.ln(), 1e-12));
        assert!(close(table.ln_factorial(12), 479_001_600f64.ln(), 1e-12));
        assert!(close(table.ln_choose(10, 3), 120f64.ln(), 1e-12));
    }

    #[test]
    fn fisher_matches_published_values() {
        let table = LogFactorials::up_to(100);
        // Fisher's tea-tasting table: 3 of 4 right each way, two-sided p = 34/70.
        assert!(close(fisher_exact(3, 1, 1, 3, &table), 34.0 / 70.0, 1e-12));
        // Wikipedia's example (1, 9; 11, 3): p = 0.002759.
        assert!(close(fisher_exact(1, 9, 11, 3, &table), 0.002_759, 1e-6));
        // By hand: (0, 5; 5, 0) has probability 1 / C(10, 5) = 1/252 each way.
        assert!(close(fisher_exact(0, 5, 5, 0, &table), 2.0 / 252.0, 1e-12));
        // Identical rows are no evidence at all.
        assert!(close(fisher_exact(2, 2, 2, 2, &table), 1.0, 1e-12));
        assert_eq!(fisher_exact(0, 0, 3, 4, &table), 1.0);
        assert_eq!(fisher_exact(0, 3, 0, 4, &table), 1.0);
        // Symmetric in the rows.
        assert!(close(
            fisher_exact(7, 3, 2, 8, &table),
            fisher_exact(2, 8, 7, 3, &table),
            1e-12
        ));
    }

    #[test]
    fn t_quantiles_match_the_tables() {
        for (df, expected) in [
            (1.0, 12.7062),
            (2.0, 4.3027),
            (5.0, 2.5706),
            (10.0, 2.2281),
            (30.0, 2.0423),
            (1000.0, 1.9623),
        ] {
            let t = t_quantile(0.975, df);
            assert!(close(t, expected, 1e-4), "df {df}: {t}");
        }
        assert!(close(
            ln_gamma(0.5),
            std::f64::consts::PI.sqrt().ln(),
            1e-12
        ));
        assert!(close(ln_gamma(10.0), 362_880f64.ln(), 1e-10));
    }

    #[test]
    fn mean_interval_by_hand() {
        // 2, 4, 6: mean 4, s = 2, t(0.975, 2) = 4.3027, half-width 4.3027 × 2 / √3.
        let estimate = mean_interval(&[2.0, 4.0, 6.0]).unwrap();
        assert_eq!(estimate.value, 4.0);
        let (low, high) = estimate.interval.unwrap();
        let half = 4.302_653 * 2.0 / 3f64.sqrt();
        assert!(close(low, 4.0 - half, 1e-5) && close(high, 4.0 + half, 1e-5));
        assert_eq!(mean_interval(&[3.0]).unwrap().interval, None);
        assert_eq!(mean_interval(&[]), None);
    }

    #[test]
    fn welch_difference_by_hand() {
        // (1, 2, 3) against (4, 5, 6): difference -3, each variance 1, se √(2/3),
        // df = (2/3)² / (2 × (1/3)² / 2) = 4.
        let estimate = difference_interval(&[1.0, 2.0, 3.0], &[4.0, 5.0, 6.0]).unwrap();
        assert_eq!(estimate.value, -3.0);
        let (low, high) = estimate.interval.unwrap();
        let half = 2.776_445 * (2.0f64 / 3.0).sqrt();
        assert!(close(low, -3.0 - half, 1e-5) && close(high, -3.0 + half, 1e-5));
        let flat = difference_interval(&[3.0, 3.0], &[2.0, 2.0]).unwrap();
        assert_eq!(flat.interval, Some((1.0, 1.0)));
        assert_eq!(
            difference_interval(&[3.0], &[2.0, 4.0]).unwrap().interval,
            None
        );
        assert_eq!(difference_interval(&[], &[2.0]), None);
    }
}
