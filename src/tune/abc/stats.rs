//! Weighted statistics of particle populations, the distance and its scales.

use super::*;

/// Standard normal distribution function (Abramowitz and Stegun 7.1.26 for erf,
/// absolute error below 1.5e-7).
pub fn normal_cdf(z: f64) -> f64 {
    let x = z.abs() / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.327_591_1 * x);
    let poly = t
        * (0.254_829_592
            + t * (-0.284_496_736
                + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
    let erf = 1.0 - poly * (-x * x).exp();
    if z >= 0.0 {
        0.5 * (1.0 + erf)
    } else {
        0.5 * (1.0 - erf)
    }
}

/// The `q` quantile of `xs` (linear between order statistics; infinities allowed).
pub fn quantile(xs: &[f64], q: f64) -> f64 {
    let mut v: Vec<f64> = xs.iter().copied().filter(|x| !x.is_nan()).collect();
    if v.is_empty() {
        return f64::INFINITY;
    }
    v.sort_by(f64::total_cmp);
    let h = q.clamp(0.0, 1.0) * (v.len() - 1) as f64;
    let (i, f) = (h.floor() as usize, h.fract());
    if f == 0.0 || i + 1 >= v.len() {
        v[i]
    } else {
        v[i] + f * (v[i + 1] - v[i])
    }
}

/// Weighted mean and variance of parameter `d`.
pub fn weighted_mean_var(ps: &[Particle], d: usize) -> (f64, f64) {
    let w: f64 = ps.iter().map(|p| p.weight).sum();
    if w <= 0.0 {
        return (f64::NAN, f64::NAN);
    }
    let mean = ps.iter().map(|p| p.weight * p.values[d]).sum::<f64>() / w;
    let var = ps
        .iter()
        .map(|p| p.weight * (p.values[d] - mean).powi(2))
        .sum::<f64>()
        / w;
    (mean, var)
}

/// Weighted `q` quantile of parameter `d`: the smallest value whose cumulative weight
/// reaches `q`.
pub fn weighted_quantile(ps: &[Particle], d: usize, q: f64) -> f64 {
    let mut v: Vec<(f64, f64)> = ps.iter().map(|p| (p.values[d], p.weight)).collect();
    v.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total: f64 = v.iter().map(|x| x.1).sum();
    let mut acc = 0.0;
    for (x, w) in &v {
        acc += w;
        if acc >= q * total {
            return *x;
        }
    }
    v.last().map_or(f64::NAN, |x| x.0)
}

/// Weighted correlation of parameters `a` and `b` (0 when either does not vary).
pub fn weighted_correlation(ps: &[Particle], a: usize, b: usize) -> f64 {
    let (ma, va) = weighted_mean_var(ps, a);
    let (mb, vb) = weighted_mean_var(ps, b);
    let w: f64 = ps.iter().map(|p| p.weight).sum();
    if !(va > 0.0 && vb > 0.0) || w <= 0.0 {
        return 0.0;
    }
    let cov = ps
        .iter()
        .map(|p| p.weight * (p.values[a] - ma) * (p.values[b] - mb))
        .sum::<f64>()
        / w;
    cov / (va * vb).sqrt()
}

/// A triangular distribution `(lo, mode, hi)` inside `[min, max]` with mean `mean` and
/// standard deviation about `sd`: a symmetric triangle of half-width √6·sd (whose
/// standard deviation is exactly `sd`) around the mean, cut to `[min, max]`, with the
/// mode then moved so that the mean stays `(lo + mode + hi) / 3`; when even a mode at the
/// cut bound cannot keep the mean, the other end is brought in (narrower than asked).
pub fn fit_triangular(mean: f64, sd: f64, min: f64, max: f64) -> (f64, f64, f64) {
    let half = 6f64.sqrt() * sd.max(0.0);
    let mean = mean.clamp(min, max);
    let (lo, hi) = ((mean - half).max(min), (mean + half).min(max));
    let mode = 3.0 * mean - lo - hi;
    if mode < lo {
        // Cut at the bottom: the mode at the bound and the top brought in keep the mean.
        (lo, lo, (3.0 * mean - 2.0 * lo).clamp(lo, hi))
    } else if mode > hi {
        ((3.0 * mean - 2.0 * hi).clamp(lo, hi), hi, hi)
    } else {
        (lo, mode, hi)
    }
}

/// Per observation, the spread used to make its score scale-free: the standard deviation
/// of `pooled[i]` (every run of every generation-0 particle: the prior predictive
/// distribution); 0 when it does not vary (the observation then carries no information
/// about the parameters and [`distance`] leaves it out).
pub fn scales(pooled: &[Vec<f64>]) -> Vec<f64> {
    pooled
        .iter()
        .map(|xs| {
            let v: Vec<f64> = xs.iter().copied().filter(|x| x.is_finite()).collect();
            if v.len() < 2 {
                return 0.0;
            }
            let m = v.iter().sum::<f64>() / v.len() as f64;
            let sd = (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() - 1) as f64).sqrt();
            // Rounding leaves a tiny spread in values that are all the same.
            if sd <= 1e-12 * m.abs().max(1e-300) {
                0.0
            } else {
                sd
            }
        })
        .collect()
}

/// The distance of a particle: the mean over observations with a positive scale of the
/// CRPS of its ensemble against the observation divided by that scale (NaN CRPS, from an
/// observation undefined in every run, counts as infinitely far).
pub fn distance(crps: &[f64], scales: &[f64]) -> f64 {
    let terms: Vec<f64> = crps
        .iter()
        .zip(scales)
        .filter(|(_, s)| **s > 0.0)
        .map(|(c, s)| if c.is_nan() { f64::INFINITY } else { c / s })
        .collect();
    if terms.is_empty() {
        return 0.0;
    }
    terms.iter().sum::<f64>() / terms.len() as f64
}
