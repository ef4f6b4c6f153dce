//! Morris elementary effects: `r` trajectories of `k + 1` points; each step changes one
//! parameter by Δ (in fractions of its range). μ* (mean absolute effect) ranks influence;
//! σ (standard deviation of the effects) shows interactions or non-linearity.

use crate::tune::design::morris_trajectory;
use crate::tune::design_csv::Roles;
use rand::SeedableRng;
use rand::rngs::ChaCha8Rng;

/// One parameter's Morris statistics (effects per unit fraction of its range).
#[derive(Debug, Clone, PartialEq)]
pub struct MorrisRow {
    /// Parameter path.
    pub path: String,
    /// Mean effect.
    pub mu: f64,
    /// Mean absolute effect.
    pub mu_star: f64,
    /// Standard deviation of the effects.
    pub sigma: f64,
}

/// μ, μ* and σ from effects per parameter.
pub fn stats(paths: &[String], effects: &[Vec<f64>]) -> Vec<MorrisRow> {
    let mut rows: Vec<MorrisRow> = paths
        .iter()
        .zip(effects)
        .map(|(path, e)| {
            let n = e.len().max(1) as f64;
            let mu = e.iter().sum::<f64>() / n;
            let mu_star = e.iter().map(|x| x.abs()).sum::<f64>() / n;
            let var = if e.len() > 1 {
                e.iter().map(|x| (x - mu).powi(2)).sum::<f64>() / (n - 1.0)
            } else {
                0.0
            };
            MorrisRow {
                path: path.clone(),
                mu,
                mu_star,
                sigma: var.sqrt(),
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        b.mu_star
            .total_cmp(&a.mu_star)
            .then_with(|| a.path.cmp(&b.path))
    });
    rows
}

/// A trajectory's steps: the coordinate changed at each step and its signed Δ.
pub type Steps = Vec<(usize, f64)>;

/// The design: `r` trajectories (levels = 4) of `k + 1` unit-cube points each, one
/// after the other, and each trajectory's steps (coordinate changed, signed Δ).
pub fn design(k: usize, r: usize, seed: u64) -> (Vec<Vec<f64>>, Vec<Steps>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x6d6f_7272_6973);
    let mut points = Vec::with_capacity(r * (k + 1));
    let mut steps = Vec::with_capacity(r);
    for _ in 0..r {
        let (pts, st) = morris_trajectory(k, 4, &mut rng);
        points.extend(pts);
        steps.push(st);
    }
    (points, steps)
}

/// The role of each point of [`design`]: its trajectory, its step along it (0 = the
/// start) and the parameter changed to reach it (none at the start).
pub fn roles(paths: &[String], steps: &[Steps]) -> Roles {
    let mut rows = Vec::new();
    for (t, st) in steps.iter().enumerate() {
        rows.push(vec![
            "start".into(),
            t.to_string(),
            "0".into(),
            String::new(),
        ]);
        for (j, (i, _)) in st.iter().enumerate() {
            rows.push(vec![
                "step".into(),
                t.to_string(),
                (j + 1).to_string(),
                paths[*i].clone(),
            ]);
        }
    }
    Roles {
        columns: vec![
            "role".into(),
            "trajectory".into(),
            "step".into(),
            "changed".into(),
        ],
        rows,
    }
}

/// Effects per parameter from the outputs `ys` at the points of [`design`].
pub fn effects_of(k: usize, steps: &[Steps], ys: &[f64]) -> Vec<Vec<f64>> {
    let mut eff = vec![Vec::with_capacity(steps.len()); k];
    for (t, st) in steps.iter().enumerate() {
        let ys = &ys[t * (k + 1)..];
        for (j, (i, d)) in st.iter().enumerate() {
            eff[*i].push((ys[j + 1] - ys[j]) / d);
        }
    }
    eff
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn morris_ranks_a_linear_function_by_its_slopes() {
        // As `sensitivity --method morris` does: the design, the function at its points, the effects.
        let (pts, steps) = design(3, 10, 1);
        let ys: Vec<f64> = pts
            .iter()
            .map(|x| 5.0 * x[0] + 1.0 * x[1] + 0.0 * x[2])
            .collect();
        let eff = effects_of(3, &steps, &ys);
        let rows = stats(&["a".into(), "b".into(), "c".into()], &eff);
        assert_eq!(rows[0].path, "a");
        assert!((rows[0].mu_star - 5.0).abs() < 1e-9 && rows[0].sigma < 1e-9);
        assert!((rows[1].mu_star - 1.0).abs() < 1e-9);
        assert!(rows[2].mu_star.abs() < 1e-12);
    }
}
