//! Monte Carlo noise on target probabilities: Wilson score intervals on each
//! probability and Newcombe's hybrid score interval on the difference of two.
//!
//! A probability p estimated from n runs is a binomial proportion. The Wilson interval
//! stays inside 0..1 and behaves at p = 0 or 1, where the textbook p ± z·√(p(1−p)/n)
//! collapses to a point. The difference p₁ − p₂ gets Newcombe's method 10 (1998),
//! built from the two Wilson intervals; a difference "exceeds Monte Carlo noise" when
//! that 95 % interval excludes zero. The method treats the two ensembles as independent.
//! Scenarios compared with the same seed share random numbers run by run, which makes
//! their outcomes positively correlated, so the true interval of the difference is
//! narrower: the test is conservative (it may call a real difference noise, not the
//! reverse).

/// z for a two-sided 95 % interval: the 97.5 % quantile of the standard normal. The one
/// z of every 95 % interval the engine writes (reports, compare, sweep, search,
/// `summary.json`).
pub const Z95: f64 = 1.959_963_984_540_054;

/// Wilson score interval for `p` estimated from `n` runs (95 %). `(0, 1)` when `n == 0`.
///
/// The bounds are clamped exactly: at p = 0 the lower bound is 0 and at p = 1 the upper
/// bound is 1 (as they are mathematically; in floating point `centre - half` leaves
/// residues like 8.7e-19 or 0.9999999999999998), and the interval always holds `p`.
pub fn wilson(p: f64, n: usize) -> (f64, f64) {
    if n == 0 || !p.is_finite() {
        return (0.0, 1.0);
    }
    let p = p.clamp(0.0, 1.0);
    let n = n as f64;
    let z2 = Z95 * Z95;
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = Z95 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denom;
    let lo = if p == 0.0 {
        0.0
    } else {
        (centre - half).clamp(0.0, p)
    };
    let hi = if p == 1.0 {
        1.0
    } else {
        (centre + half).clamp(p, 1.0)
    };
    (lo, hi)
}

/// The difference `p1 - p2` with its 95 % interval (Newcombe's hybrid score method).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Difference {
    /// p1 − p2.
    pub diff: f64,
    /// Lower bound.
    pub low: f64,
    /// Upper bound.
    pub high: f64,
}

impl Difference {
    /// True when the interval excludes zero: the difference is larger than Monte Carlo noise.
    pub fn significant(&self) -> bool {
        self.low > 0.0 || self.high < 0.0
    }
}

/// Newcombe's interval for `p1 - p2` estimated from `n1` and `n2` runs.
pub fn difference(p1: f64, n1: usize, p2: f64, n2: usize) -> Difference {
    let (l1, u1) = wilson(p1, n1);
    let (l2, u2) = wilson(p2, n2);
    let diff = p1 - p2;
    Difference {
        diff,
        low: diff - ((p1 - l1).powi(2) + (u2 - p2).powi(2)).sqrt(),
        high: diff + ((u1 - p1).powi(2) + (p2 - l2).powi(2)).sqrt(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 5e-4
    }

    #[test]
    fn wilson_matches_published_values() {
        // Newcombe (1998), table I: 81/263 → 0.2553–0.3662; 0/10 → 0–0.2775.
        let (l, u) = wilson(81.0 / 263.0, 263);
        assert!(close(l, 0.2553) && close(u, 0.3662), "{l} {u}");
        let (l, u) = wilson(0.0, 10);
        assert!(l == 0.0 && close(u, 0.2775), "{u}");
        let (l, u) = wilson(1.0, 10);
        assert!(close(l, 0.7225) && close(u, 1.0), "{l} {u}");
        assert_eq!(wilson(0.5, 0), (0.0, 1.0));
    }

    #[test]
    fn wilson_bounds_are_exactly_zero_and_one_at_the_ends() {
        for n in [1, 3, 10, 300, 1000, 12_345, 1_000_000] {
            assert_eq!(wilson(0.0, n).0.to_bits(), 0.0_f64.to_bits(), "{n}");
            assert_eq!(wilson(1.0, n).1.to_bits(), 1.0_f64.to_bits(), "{n}");
            for k in 0..=n.min(50) {
                let p = k as f64 / n as f64;
                let (lo, hi) = wilson(p, n);
                assert!(
                    (0.0..=p).contains(&lo) && (p..=1.0).contains(&hi),
                    "{k}/{n}"
                );
            }
        }
    }

    #[test]
    fn newcombe_matches_published_values() {
        // Newcombe (1998), table II example (a): 56/70 − 48/80 → 0.0524 to 0.3339.
        let d = difference(56.0 / 70.0, 70, 48.0 / 80.0, 80);
        assert!(close(d.low, 0.0524) && close(d.high, 0.3339), "{d:?}");
        assert!(d.significant());
        // Example (c): 5/56 − 0/29 → −0.0381 to 0.1926: not significant.
        let d = difference(5.0 / 56.0, 56, 0.0, 29);
        assert!(close(d.low, -0.0381) && close(d.high, 0.1926), "{d:?}");
        assert!(!d.significant());
    }

    #[test]
    fn noise_shrinks_with_runs() {
        assert!(!difference(0.52, 100, 0.48, 100).significant());
        assert!(difference(0.52, 100_000, 0.48, 100_000).significant());
        assert!(!difference(0.0, 1000, 0.0, 1000).significant());
        assert!(difference(1.0, 1000, 0.0, 1000).significant());
    }
}
