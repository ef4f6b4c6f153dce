//! Random variates the yearly systems draw in their per-firm loops, where the generic
//! samplers of `rand_distr` cost more than the rest of the loop.

use rand::RngExt;

/// A Student-t variate with `dof` degrees of freedom, by Bailey's polar method (R. W.
/// Bailey, "Polar generation of random variates with the t-distribution", Mathematics of
/// Computation 62 (1994) 779-781): exact, one logarithm, one exponential and one square root per draw
/// instead of a normal and a gamma variate. `neg_two_over_dof` is `-2 / dof`. Returns 0
/// when `dof` is not positive.
pub fn student_t(rng: &mut impl rand::Rng, dof: f64, neg_two_over_dof: f64) -> f64 {
    if dof.is_nan() || dof <= 0.0 {
        return 0.0;
    }
    loop {
        let u = 2.0 * rng.random::<f64>() - 1.0;
        let v = 2.0 * rng.random::<f64>() - 1.0;
        let w = u * u + v * v;
        if w > 0.0 && w <= 1.0 {
            // w^(-2/dof) - 1 as exp_m1 of a logarithm: cheaper than powf, and exact
            // for large dof where w^(-2/dof) is close to 1.
            return u * (dof * (neg_two_over_dof * w.ln()).exp_m1() / w).sqrt();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::student_t;
    use rand::SeedableRng;

    fn draws(dof: f64, n: usize) -> Vec<f64> {
        let mut rng = rand::rngs::ChaCha8Rng::seed_from_u64(7);
        (0..n)
            .map(|_| student_t(&mut rng, dof, -2.0 / dof))
            .collect()
    }

    /// Quantiles and variance match the t distribution's (t(5): P(|T| < 2.015) = 0.90,
    /// P(|T| < 4.032) = 0.99, variance 5/3).
    #[test]
    fn matches_the_t_distribution() {
        let n = 200_000;
        let x = draws(5.0, n);
        let within = |c: f64| x.iter().filter(|v| v.abs() < c).count() as f64 / n as f64;
        assert!((within(2.015) - 0.90).abs() < 0.004, "{}", within(2.015));
        assert!((within(4.032) - 0.99).abs() < 0.0015, "{}", within(4.032));
        let mean = x.iter().sum::<f64>() / n as f64;
        let var = x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n as f64;
        assert!(mean.abs() < 0.01, "{mean}");
        assert!((var - 5.0 / 3.0).abs() < 0.06, "{var}");
    }

    /// With many degrees of freedom it is a standard normal: P(|Z| < 1.96) = 0.95.
    #[test]
    fn many_degrees_of_freedom_give_a_normal() {
        let n = 100_000;
        let x = draws(1e6, n);
        let within = x.iter().filter(|v| v.abs() < 1.96).count() as f64 / n as f64;
        assert!((within - 0.95).abs() < 0.004, "{within}");
        assert_eq!(draws(0.0, 3), vec![0.0; 3]);
    }
}
