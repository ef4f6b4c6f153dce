//! The truncated Gaussian kernel that moves particles between generations.

use super::*;

/// The truncated Gaussian kernel of a generation.
pub(super) struct Kernel<'a> {
    bounds: &'a [(f64, f64)],
    sd: Vec<f64>,
    /// Per previous particle: the log of its kernel's mass inside the box.
    log_mass: Vec<f64>,
}

impl<'a> Kernel<'a> {
    pub(super) fn new(bounds: &'a [(f64, f64)], prev: &Generation) -> Self {
        let sd: Vec<f64> = (0..bounds.len())
            .map(|d| {
                let (_, var) = weighted_mean_var(&prev.particles, d);
                let width = bounds[d].1 - bounds[d].0;
                // A collapsed dimension still moves a little, so the weights stay finite.
                (2.0 * var).sqrt().max(width * 1e-6)
            })
            .collect();
        let log_mass = prev
            .particles
            .iter()
            .map(|p| {
                (0..bounds.len())
                    .map(|d| {
                        let (lo, hi) = bounds[d];
                        let m = p.values[d];
                        (normal_cdf((hi - m) / sd[d]) - normal_cdf((lo - m) / sd[d]))
                            .max(1e-300)
                            .ln()
                    })
                    .sum()
            })
            .collect();
        Self {
            bounds,
            sd,
            log_mass,
        }
    }

    pub(super) fn inside(&self, x: &[f64]) -> bool {
        x.iter()
            .zip(self.bounds)
            .all(|(v, &(lo, hi))| (lo..=hi).contains(v))
    }

    /// Moves `from` inside the box: redraws up to 1,000 times, then clamps.
    pub(super) fn perturb(&self, from: &[f64], rng: &mut ChaCha8Rng) -> Vec<f64> {
        for _ in 0..1000 {
            let x: Vec<f64> = from
                .iter()
                .zip(&self.sd)
                .map(|(m, s)| {
                    let z: f64 = StandardNormal.sample(rng);
                    m + s * z
                })
                .collect();
            if self.inside(&x) {
                return x;
            }
        }
        from.iter()
            .zip(self.bounds)
            .map(|(v, &(lo, hi))| v.clamp(lo, hi))
            .collect()
    }

    /// ln Σⱼ wⱼ Kⱼ(x) up to a constant common to every x (summed in the log domain, so
    /// a point far from every particle does not underflow to a zero density).
    pub(super) fn log_mixture(&self, prev: &Generation, x: &[f64]) -> f64 {
        let terms: Vec<f64> = prev
            .particles
            .iter()
            .zip(&self.log_mass)
            .map(|(p, lm)| {
                let q: f64 = x
                    .iter()
                    .zip(&p.values)
                    .zip(&self.sd)
                    .map(|((a, b), s)| ((a - b) / s).powi(2))
                    .sum();
                p.weight.ln() - 0.5 * q - lm
            })
            .collect();
        let top = terms.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        top + terms.iter().map(|t| (t - top).exp()).sum::<f64>().ln()
    }
}
