//! Random variates the yearly systems draw in their per-firm loops, where the generic
//! samplers of `rand_distr` cost more than the rest of the loop.

use bevy_ecs::prelude::Resource;
use rand::RngExt;

/// The generator of a run's draws ([`crate::model::setup::run_rng`]).
pub type RunStream = rand::rngs::Xoshiro256PlusPlus;

/// The fabless growth shock: a Student-t variable with `dof` degrees of freedom clamped
/// to ±`clamp`, drawn by inversion from a table of its quantiles.
///
/// The table holds the clamped t's quantiles at the probabilities `i / CELLS`, and a
/// draw interpolates linearly between the two around one uniform variate: one uniform
/// and a few arithmetic operations, where an exact draw (Bailey's polar method) takes
/// at least two uniforms, a logarithm, an `exp_m1` and a square root. The drawn
/// distribution has the table's probability at every table point, so its CDF is within
/// `1 / CELLS` of the clamped t's wherever the table's quantiles are (the tests check
/// them against scipy's, and draws against the t's intervals, tails and variance).
///
/// The quantiles come from the t density integrated by Simpson's rule on a fine grid
/// over [0, clamp] (the density's constant from the log-gamma function), inverted by
/// linear interpolation between grid points, and mirrored. A table depends on
/// (`dof`, `clamp`) alone; worlds keep theirs between runs and rebuild it only when a run
/// draws other values (0.8 M instructions, callgrind: a fourteenth of a run).
#[derive(Resource, Debug, Clone)]
pub struct ShockTable {
    dof: f64,
    clamp: f64,
    q: Vec<f64>,
}

impl ShockTable {
    /// Probability cells of the table (its quantiles are at `i / CELLS`, `i = 0..=CELLS`).
    pub const CELLS: usize = 4096;
    /// Intervals of the fine grid the density is integrated on.
    const GRID: usize = 2048;

    /// The table of the t distribution with `dof` degrees of freedom clamped to
    /// ±`clamp`. A `dof` or `clamp` that is not positive gives a shock of 0.
    pub fn new(dof: f64, clamp: f64) -> Self {
        let mut q = vec![0.0; Self::CELLS + 1];
        if dof > 0.0 && clamp > 0.0 && dof.is_finite() && clamp.is_finite() {
            let h = clamp / Self::GRID as f64;
            let c = (ln_gamma((dof + 1.0) / 2.0) - ln_gamma(dof / 2.0)).exp()
                / (dof * std::f64::consts::PI).sqrt();
            let pow = -(dof + 1.0) / 2.0;
            let pdf = |t: f64| c * (1.0 + t * t / dof).powf(pow);
            // cdf[k] = P(T <= k h), k = 0..=GRID.
            let mut cdf = Vec::with_capacity(Self::GRID + 1);
            cdf.push(0.5);
            let (mut at, mut sum) = (pdf(0.0), 0.5);
            for k in 1..=Self::GRID {
                let (a, b) = ((k - 1) as f64 * h, k as f64 * h);
                let end = pdf(b);
                sum += h / 6.0 * (at + 4.0 * pdf(0.5 * (a + b)) + end);
                cdf.push(sum);
                at = end;
            }
            let half = Self::CELLS / 2;
            let mut k = 0;
            for i in half + 1..=Self::CELLS {
                let p = i as f64 / Self::CELLS as f64;
                while k < Self::GRID && cdf[k + 1] <= p {
                    k += 1;
                }
                let t = if k >= Self::GRID {
                    clamp
                } else {
                    let span = cdf[k + 1] - cdf[k];
                    let f = if span > 0.0 { (p - cdf[k]) / span } else { 0.0 };
                    (k as f64 + f) * h
                };
                q[i] = t.min(clamp);
                q[Self::CELLS - i] = -q[i];
            }
            // The clamp's mass sits at the ends.
            q[Self::CELLS] = clamp;
            q[0] = -clamp;
        }
        ShockTable { dof, clamp, q }
    }

    /// Whether this is the table of (`dof`, `clamp`), to the bit.
    pub fn is_for(&self, dof: f64, clamp: f64) -> bool {
        self.dof.to_bits() == dof.to_bits() && self.clamp.to_bits() == clamp.to_bits()
    }

    /// One draw: the interpolated quantile at one uniform variate.
    #[inline]
    pub fn draw(&self, rng: &mut impl rand::Rng) -> f64 {
        let x = rng.random::<f64>() * Self::CELLS as f64;
        // x < CELLS, so i + 1 <= CELLS.
        let i = (x as usize).min(Self::CELLS - 1);
        let (a, b) = (self.q[i], self.q[i + 1]);
        a + (x - i as f64) * (b - a)
    }

    /// The quantile at `i / CELLS`.
    pub fn quantile(&self, i: usize) -> f64 {
        self.q[i]
    }
}

/// ln Γ(x) for x > 0: Lanczos's approximation (g = 7, nine coefficients; relative
/// error below 1e-14), with the reflection formula below 0.5.
pub fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const C: [f64; 9] = [
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
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = C[0];
    let t = x + G + 0.5;
    for (i, &c) in C.iter().enumerate().skip(1) {
        a += c / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

#[cfg(test)]
mod tests {
    use super::{ShockTable, ln_gamma};
    use rand::SeedableRng;

    #[test]
    fn ln_gamma_matches_known_values() {
        let pi = std::f64::consts::PI;
        for (x, want) in [
            (0.5, 0.5 * pi.ln()),
            (1.0, 0.0),
            (1.5, (0.5 * pi.sqrt()).ln()),
            (2.0, 0.0),
            (5.0, 24f64.ln()),
            (10.5, 13.940_625_219_403_763),
            (500.0, 2_605.115_850_361_734),
        ] {
            let got = ln_gamma(x);
            assert!(
                (got - want).abs() < 1e-12 * want.abs().max(1.0),
                "{x}: {got} {want}"
            );
        }
    }

    /// Quantiles of the t distribution (scipy.stats.t.ppf 1.17, kept as fixtures) at table
    /// points: the table's are within 1e-5 of them (the fine grid's interpolation).
    #[test]
    fn quantiles_match_the_t_distribution() {
        let n = ShockTable::CELLS as f64;
        // (dof, probability, scipy's quantile)
        let fixtures = [
            (3.0, 0.75, 0.764_892_328_404_344_4),
            (3.0, 0.875, 1.422_625_281_461_808_3),
            (3.0, 0.9375, 2.113_086_729_236_426_4),
            (3.0, 0.968_75, 2.900_044_118_829_957_7),
            (3.0, 0.992_187_5, 4.972_709_168_874_873),
            (3.0, 0.996_093_75, 6.375_247_589_032_784),
            (1.0, 0.75, 1.0),
            (1.0, 0.875, 2.414_213_562_373_095),
            (10.0, 0.968_75, 2.095_961_364_751_093),
            (1000.0, 0.968_75, 1.864_815_668_552_501_7),
        ];
        for (dof, p, want) in fixtures {
            let t = ShockTable::new(dof, 8.0);
            let i = (p * n).round() as usize;
            assert_eq!(i as f64 / n, p, "{p} is not a table point");
            let got = t.quantile(i);
            assert!(
                (got - want).abs() < 1e-5 * want.max(1.0),
                "t({dof}) at {p}: {got} against {want}"
            );
            assert_eq!(t.quantile(ShockTable::CELLS - i), -got);
        }
        // Beyond the clamp: t(1) exceeds 8 with probability 0.0396 on each side.
        let t = ShockTable::new(1.0, 8.0);
        assert_eq!(t.quantile(ShockTable::CELLS - 100), 8.0);
        assert!(t.quantile(ShockTable::CELLS - 200) < 8.0);
        assert_eq!(t.quantile(ShockTable::CELLS / 2), 0.0);
        // No shock without degrees of freedom.
        assert!((0..=ShockTable::CELLS).all(|i| ShockTable::new(0.0, 8.0).quantile(i) == 0.0));
    }

    /// Draws have the clamped t's distribution: P(|T| < 2.353) = 0.90 for t(3), the
    /// tails near the clamp, the variance of the clamped t(3),
    /// mean 0; with many degrees of freedom a standard normal.
    #[test]
    fn draws_have_the_clamped_t_distribution() {
        let mut rng = super::RunStream::seed_from_u64(7);
        let n = 400_000;
        let t = ShockTable::new(3.0, 8.0);
        let x: Vec<f64> = (0..n).map(|_| t.draw(&mut rng)).collect();
        let share = |f: &dyn Fn(f64) -> bool| x.iter().filter(|&&v| f(v)).count() as f64 / n as f64;
        assert!((share(&|v| v.abs() < 2.353_363) - 0.90).abs() < 0.003);
        assert!((share(&|v| v.abs() < 5.840_909) - 0.99).abs() < 0.001);
        assert!(x.iter().all(|v| v.abs() <= 8.0));
        // P(|T| > 7.9) = 0.004228 for t(3) (scipy).
        let ends = share(&|v| v.abs() > 7.9);
        assert!((ends - 0.004_228).abs() < 0.0006, "{ends}");
        let mean = x.iter().sum::<f64>() / n as f64;
        let var = x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n as f64;
        assert!(mean.abs() < 0.01, "{mean}");
        // Variance of t(3) clamped to ±8 (scipy's quad): 2.4587.
        assert!((var - 2.4587).abs() < 0.05, "{var}");
        let z = ShockTable::new(1e6, 8.0);
        let within = (0..n).filter(|_| z.draw(&mut rng).abs() < 1.96).count() as f64 / n as f64;
        assert!((within - 0.95).abs() < 0.003, "{within}");
    }
}
