//! Agreement statistics between debrief and human labels: exact and within-one
//! agreement, Cohen's quadratic weighted kappa, precision and recall.

use serde::Serialize;

/// Cohen's kappa with quadratic weights over `categories` ordered classes, from
/// (rater A, rater B) pairs of class indexes. `None` when undefined (no pairs, or
/// both raters used a single class so chance agreement is total).
pub fn quadratic_weighted_kappa(pairs: &[(usize, usize)], categories: usize) -> Option<f64> {
    if pairs.is_empty() || categories < 2 {
        return None;
    }
    let k = categories;
    let mut observed = vec![vec![0.0_f64; k]; k];
    let mut rows = vec![0.0_f64; k];
    let mut cols = vec![0.0_f64; k];
    for &(a, b) in pairs {
        if a >= k || b >= k {
            return None;
        }
        observed[a][b] += 1.0;
        rows[a] += 1.0;
        cols[b] += 1.0;
    }
    let n = pairs.len() as f64;
    let (mut weighted_observed, mut weighted_expected) = (0.0, 0.0);
    for i in 0..k {
        for j in 0..k {
            let weight = ((i as f64 - j as f64) / (k as f64 - 1.0)).powi(2);
            weighted_observed += weight * observed[i][j];
            weighted_expected += weight * rows[i] * cols[j] / n;
        }
    }
    if weighted_expected == 0.0 {
        return if weighted_observed == 0.0 {
            Some(1.0)
        } else {
            None
        };
    }
    Some(1.0 - weighted_observed / weighted_expected)
}

/// Counts of a set comparison.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Counts {
    /// Predicted and labeled.
    pub true_positives: usize,
    /// Predicted, not labeled.
    pub false_positives: usize,
    /// Labeled, not predicted.
    pub false_negatives: usize,
}

impl Counts {
    /// tp / (tp + fp); 1 when nothing was predicted.
    pub fn precision(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_positives,
        )
    }

    /// tp / (tp + fn); 1 when nothing was labeled.
    pub fn recall(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_negatives,
        )
    }

    /// Adds another comparison's counts.
    pub fn add(&mut self, other: Counts) {
        self.true_positives += other.true_positives;
        self.false_positives += other.false_positives;
        self.false_negatives += other.false_negatives;
    }
}

fn ratio(numerator: usize, denominator: usize) -> f64 {
    if denominator == 0 {
        1.0
    } else {
        numerator as f64 / denominator as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfect_agreement_is_one() {
        let pairs = [(0, 0), (1, 1), (2, 2), (4, 4)];
        assert_eq!(quadratic_weighted_kappa(&pairs, 5), Some(1.0));
    }

    #[test]
    fn matches_a_worked_example() {
        // Two raters, three ordered classes. Observed matrix (rows A, columns B):
        // [[10, 2, 0], [3, 8, 1], [0, 2, 4]]; quadratic weights 0, 0.25, 1.
        // Weighted observed = 0.25*(2+3+1+2) = 2.0; marginals A = (12, 12, 6),
        // B = (13, 12, 5), n = 30; weighted expected = 8.2; kappa = 1 - 2/8.2.
        let mut pairs = Vec::new();
        let matrix = [[10, 2, 0], [3, 8, 1], [0, 2, 4]];
        for (a, row) in matrix.iter().enumerate() {
            for (b, &count) in row.iter().enumerate() {
                pairs.extend(std::iter::repeat_n((a, b), count));
            }
        }
        let kappa = quadratic_weighted_kappa(&pairs, 3).unwrap();
        assert!((kappa - (1.0 - 2.0 / 8.2)).abs() < 1e-12, "{kappa}");
    }

    #[test]
    fn matches_the_published_two_rater_example() {
        // Wikipedia, "Cohen's kappa": 50 grant proposals, two readers; both Yes 20,
        // A Yes / B No 5, A No / B Yes 10, both No 15; kappa = 0.4. With two ordered
        // classes the quadratic weights are those of plain kappa.
        let mut pairs = Vec::new();
        pairs.extend(std::iter::repeat_n((1, 1), 20));
        pairs.extend(std::iter::repeat_n((1, 0), 5));
        pairs.extend(std::iter::repeat_n((0, 1), 10));
        pairs.extend(std::iter::repeat_n((0, 0), 15));
        let kappa = quadratic_weighted_kappa(&pairs, 2).unwrap();
        assert!((kappa - 0.4).abs() < 1e-12, "{kappa}");
    }

    #[test]
    fn systematic_disagreement_is_negative() {
        let pairs = [(0, 4), (4, 0), (1, 3), (3, 1)];
        assert!(quadratic_weighted_kappa(&pairs, 5).unwrap() < 0.0);
    }

    #[test]
    fn precision_and_recall() {
        let counts = Counts {
            true_positives: 3,
            false_positives: 1,
            false_negatives: 2,
        };
        assert_eq!(counts.precision(), 0.75);
        assert_eq!(counts.recall(), 0.6);
        assert_eq!(Counts::default().precision(), 1.0);
    }
}
