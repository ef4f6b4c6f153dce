//! Uncertain values: a number, or a distribution drawn once per run.

use rand::RngExt;
use rand_distr::{Distribution, LogNormal, Normal, Triangular};
use serde::{Deserialize, Serialize};

/// A scenario value that may be uncertain. Written in RON as a plain number
/// (`0.15`) or as one of `Fixed(x)`, `Uniform(lo, hi)`, `Normal(mean, sd)`,
/// `LogNormal(median, sigma)` (sigma of the log) or `Triangular(lo, mode, hi)`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Dist {
    /// A plain number: the same in every run.
    Value(f64),
    /// A named distribution.
    Named(NamedDist),
}

/// The named distributions a scenario may use.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum NamedDist {
    /// Always this value.
    Fixed(f64),
    /// Uniform on `[lo, hi]`.
    Uniform(f64, f64),
    /// Normal with mean and standard deviation.
    Normal(f64, f64),
    /// Log-normal given by its median and the standard deviation of its log.
    LogNormal(f64, f64),
    /// Triangular with lower bound, mode and upper bound.
    Triangular(f64, f64, f64),
}

impl Default for Dist {
    fn default() -> Self {
        Dist::Value(0.0)
    }
}

impl From<f64> for Dist {
    fn from(v: f64) -> Self {
        Dist::Value(v)
    }
}

impl Dist {
    /// Draws one value. A validated distribution never fails to draw; should the
    /// parameters be impossible anyway, the central value is returned.
    pub fn draw<R: rand::Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match *self {
            Dist::Value(v) | Dist::Named(NamedDist::Fixed(v)) => v,
            Dist::Named(NamedDist::Uniform(lo, hi)) => {
                if hi > lo {
                    rng.random_range(lo..=hi)
                } else {
                    lo
                }
            }
            Dist::Named(NamedDist::Normal(m, sd)) => {
                Normal::new(m, sd).map_or(m, |d| d.sample(rng))
            }
            Dist::Named(NamedDist::LogNormal(median, sigma)) => {
                LogNormal::new(median.ln(), sigma).map_or(median, |d| d.sample(rng))
            }
            Dist::Named(NamedDist::Triangular(lo, mode, hi)) => {
                Triangular::new(lo, hi, mode).map_or(mode, |d| d.sample(rng))
            }
        }
    }

    /// The central value: the number itself, the mean, or the median of a log-normal.
    pub fn central(&self) -> f64 {
        match *self {
            Dist::Value(v) | Dist::Named(NamedDist::Fixed(v)) => v,
            Dist::Named(NamedDist::Uniform(lo, hi)) => 0.5 * (lo + hi),
            Dist::Named(NamedDist::Normal(m, _)) | Dist::Named(NamedDist::LogNormal(m, _)) => m,
            Dist::Named(NamedDist::Triangular(lo, mode, hi)) => (lo + mode + hi) / 3.0,
        }
    }

    /// True when the value differs between runs.
    pub fn is_uncertain(&self) -> bool {
        !matches!(self, Dist::Value(_) | Dist::Named(NamedDist::Fixed(_)))
    }

    /// Smallest and largest value the distribution can take (normal and log-normal:
    /// the 0.1 % and 99.9 % quantiles), for range checks.
    pub fn support(&self) -> (f64, f64) {
        match *self {
            Dist::Value(v) | Dist::Named(NamedDist::Fixed(v)) => (v, v),
            Dist::Named(NamedDist::Uniform(lo, hi))
            | Dist::Named(NamedDist::Triangular(lo, _, hi)) => (lo, hi),
            Dist::Named(NamedDist::Normal(m, sd)) => (m - 3.09 * sd, m + 3.09 * sd),
            Dist::Named(NamedDist::LogNormal(med, s)) => {
                (med * (-3.09 * s).exp(), med * (3.09 * s).exp())
            }
        }
    }

    /// Why the distribution's parameters are impossible, if they are.
    pub fn problem(&self) -> Option<String> {
        let finite = |xs: &[f64]| xs.iter().all(|x| x.is_finite());
        match *self {
            Dist::Value(v) | Dist::Named(NamedDist::Fixed(v)) if !v.is_finite() => {
                Some("the value is not a finite number".into())
            }
            Dist::Named(NamedDist::Uniform(lo, hi)) if !finite(&[lo, hi]) || hi < lo => Some(
                format!("Uniform({lo}, {hi}) needs finite bounds with lo <= hi"),
            ),
            Dist::Named(NamedDist::Normal(m, sd)) if !finite(&[m, sd]) || sd < 0.0 => Some(
                format!("Normal({m}, {sd}) needs a finite mean and a standard deviation >= 0"),
            ),
            Dist::Named(NamedDist::LogNormal(med, s))
                if !finite(&[med, s]) || med <= 0.0 || s < 0.0 =>
            {
                Some(format!(
                    "LogNormal({med}, {s}) needs a median > 0 and a log standard deviation >= 0"
                ))
            }
            Dist::Named(NamedDist::Triangular(lo, mode, hi))
                if !(finite(&[lo, mode, hi]) && lo <= mode && mode <= hi) =>
            {
                Some(format!(
                    "Triangular({lo}, {mode}, {hi}) needs lo <= mode <= hi"
                ))
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn plain_numbers_and_named_distributions_parse() {
        let v: Vec<Dist> =
            ron::from_str("[1, 2.5, Uniform(1, 2), LogNormal(3, 0.5), Triangular(0, 1, 4)]")
                .unwrap();
        assert_eq!(v[0], Dist::Value(1.0));
        assert_eq!(v[2], Dist::Named(NamedDist::Uniform(1.0, 2.0)));
        assert!(v[3].is_uncertain() && !v[1].is_uncertain());
    }

    #[test]
    fn draws_stay_inside_the_support() {
        let mut rng = rand::rngs::ChaCha8Rng::seed_from_u64(1);
        let d = Dist::Named(NamedDist::Triangular(1.0, 2.0, 5.0));
        for _ in 0..1000 {
            let x = d.draw(&mut rng);
            assert!((1.0..=5.0).contains(&x));
        }
        let u = Dist::Named(NamedDist::Uniform(3.0, 3.5));
        let mean: f64 = (0..4000).map(|_| u.draw(&mut rng)).sum::<f64>() / 4000.0;
        assert!((mean - 3.25).abs() < 0.02, "{mean}");
    }

    #[test]
    fn impossible_parameters_are_named() {
        assert!(
            Dist::Named(NamedDist::Uniform(2.0, 1.0))
                .problem()
                .is_some()
        );
        assert!(
            Dist::Named(NamedDist::LogNormal(-1.0, 0.3))
                .problem()
                .is_some()
        );
        assert!(Dist::Value(f64::NAN).problem().is_some());
        assert!(Dist::Named(NamedDist::Normal(1.0, 0.2)).problem().is_none());
    }
}
