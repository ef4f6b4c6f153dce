//! Sobol variance-based indices from Saltelli's design: matrices A and B of `n` random
//! points and, for each parameter i, A with column i taken from B (A_B^i); `n (k + 2)`
//! evaluations. The outcomes are centred first (their mean over the whole design
//! subtracted), as SALib and the literature do: Saltelli's first-order estimator is not
//! invariant to a constant added to the outcome, and uncentred its noise grows with the
//! outcome's mean. Then first-order indices use Saltelli's (2010) estimator
//! `S_i = mean(f(B) (f(A_B^i) - f(A))) / V`, total indices Jansen's
//! `ST_i = mean((f(A) - f(A_B^i))^2) / (2V)`, with `V` the variance of f(A) and f(B)
//! together (denominator 2n, as SALib's `np.var`), so the point estimates equal SALib's
//! `sobol.analyze` on the same design and outcomes; 95 % intervals from a percentile
//! bootstrap over the `n` base points.

use crate::tune::design::uniform;
use crate::tune::design_csv::Roles;
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

/// One parameter's indices with 95 % bootstrap intervals.
#[derive(Debug, Clone, PartialEq)]
pub struct SobolRow {
    /// Parameter path.
    pub path: String,
    /// First-order index.
    pub s1: f64,
    /// Its interval.
    pub s1_ci: (f64, f64),
    /// Total index.
    pub st: f64,
    /// Its interval.
    pub st_ci: (f64, f64),
}

/// Saltelli's design in the unit cube: A (n rows), B (n rows), then A_B^i for each i.
pub fn design(k: usize, n: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x0073_6f62_6f6c);
    let a = uniform(k, n, &mut rng);
    let b = uniform(k, n, &mut rng);
    let mut pts = a.clone();
    pts.extend(b.iter().cloned());
    for i in 0..k {
        for (ra, rb) in a.iter().zip(&b) {
            let mut p = ra.clone();
            p[i] = rb[i];
            pts.push(p);
        }
    }
    pts
}

/// The role of each point of [`design`]: `A` and `B` (the two base matrices) and
/// `AB_i` (A with column i, 0-based in parameter order, from B), with the base point
/// (row of A and B) it belongs to.
pub fn roles(k: usize, n: usize) -> Roles {
    let mut rows = Vec::with_capacity(n * (k + 2));
    for m in 0..k + 2 {
        let role = match m {
            0 => "A".to_string(),
            1 => "B".to_string(),
            i => format!("AB_{}", i - 2),
        };
        rows.extend((0..n).map(|j| vec![role.clone(), j.to_string()]));
    }
    Roles {
        columns: vec!["role".into(), "sample".into()],
        rows,
    }
}

/// Indices from centred outcomes `y` (see [`centred`]) over the base points `idx`.
fn estimate(k: usize, n: usize, y: &[f64], idx: &[usize]) -> (Vec<f64>, Vec<f64>) {
    let fa = |j: usize| y[j];
    let fb = |j: usize| y[n + j];
    let fab = |i: usize, j: usize| y[(2 + i) * n + j];
    let m = idx.len() as f64;
    let mean = idx.iter().map(|&j| fa(j) + fb(j)).sum::<f64>() / (2.0 * m);
    let var = idx
        .iter()
        .map(|&j| (fa(j) - mean).powi(2) + (fb(j) - mean).powi(2))
        .sum::<f64>()
        / (2.0 * m);
    if var <= 0.0 || !var.is_finite() {
        return (vec![0.0; k], vec![0.0; k]);
    }
    let s1 = (0..k)
        .map(|i| {
            idx.iter()
                .map(|&j| fb(j) * (fab(i, j) - fa(j)))
                .sum::<f64>()
                / m
                / var
        })
        .collect();
    let st = (0..k)
        .map(|i| {
            idx.iter()
                .map(|&j| (fa(j) - fab(i, j)).powi(2))
                .sum::<f64>()
                / (2.0 * m)
                / var
        })
        .collect();
    (s1, st)
}

/// The outcomes minus their mean over the whole design. Centring once, before the
/// bootstrap, is what SALib does; only S1 depends on it.
fn centred(y: &[f64]) -> Vec<f64> {
    let mean = y.iter().sum::<f64>() / y.len().max(1) as f64;
    y.iter().map(|v| v - mean).collect()
}

fn percentile(v: &mut [f64], q: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    crate::sim::aggregate::quantile_sorted(v, q)
}

/// Indices from outputs `y` of [`design`] (same order), with `boot` bootstrap resamples.
pub fn indices(paths: &[String], n: usize, y: &[f64], boot: usize, seed: u64) -> Vec<SobolRow> {
    let k = paths.len();
    let y = &centred(y);
    let all: Vec<usize> = (0..n).collect();
    let (s1, st) = estimate(k, n, y, &all);
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x626f_6f74);
    let mut b1 = vec![Vec::with_capacity(boot); k];
    let mut bt = vec![Vec::with_capacity(boot); k];
    for _ in 0..boot {
        let idx: Vec<usize> = (0..n).map(|_| rng.random_range(0..n)).collect();
        let (a, b) = estimate(k, n, y, &idx);
        for i in 0..k {
            b1[i].push(a[i]);
            bt[i].push(b[i]);
        }
    }
    let mut rows: Vec<SobolRow> = (0..k)
        .map(|i| SobolRow {
            path: paths[i].clone(),
            s1: s1[i],
            s1_ci: (percentile(&mut b1[i], 0.025), percentile(&mut b1[i], 0.975)),
            st: st[i],
            st_ci: (percentile(&mut bt[i], 0.025), percentile(&mut bt[i], 0.975)),
        })
        .collect();
    rows.sort_by(|a, b| b.st.total_cmp(&a.st).then_with(|| a.path.cmp(&b.path)));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::PI;

    /// The Ishigami function (a = 7, b = 0.1) on [-π, π]^3, whose indices are known:
    /// S = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424, 0.2437).
    fn ishigami(u: &[f64]) -> f64 {
        let x: Vec<f64> = u.iter().map(|v| -PI + 2.0 * PI * v).collect();
        x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin()
    }

    #[test]
    fn ishigami_indices_match_the_analytic_values() {
        let n = 20_000;
        let pts = design(3, n, 11);
        let y: Vec<f64> = pts.iter().map(|p| ishigami(p)).collect();
        let paths = ["x1", "x2", "x3"].map(String::from).to_vec();
        let rows = indices(&paths, n, &y, 100, 11);
        let get = |p: &str| rows.iter().find(|r| r.path == p).unwrap().clone();
        let want = [
            ("x1", 0.3139, 0.5576),
            ("x2", 0.4424, 0.4424),
            ("x3", 0.0, 0.2437),
        ];
        for (p, s1, st) in want {
            let r = get(p);
            assert!((r.s1 - s1).abs() < 0.03, "{p}: S1 {} vs {s1}", r.s1);
            assert!((r.st - st).abs() < 0.03, "{p}: ST {} vs {st}", r.st);
            assert!(r.s1_ci.0 <= r.s1 && r.s1 <= r.s1_ci.1);
            assert!(
                r.st_ci.0 - 0.02 <= st && st <= r.st_ci.1 + 0.02,
                "{p}: {:?}",
                r.st_ci
            );
        }
        assert_eq!(rows[0].path, "x1");
    }

    #[test]
    fn a_constant_added_to_the_outcome_leaves_the_indices_unchanged() {
        // Uncentred, Saltelli's S1 estimator moved by 20 · mean(f(A_B^i) − f(A)) / V,
        // about ±0.05 at this n: noise that grows with the outcome's mean.
        let n = 4_000;
        let pts = design(3, n, 5);
        let y: Vec<f64> = pts.iter().map(|p| ishigami(p)).collect();
        let shifted: Vec<f64> = y.iter().map(|v| v + 20.0).collect();
        let paths = ["x1", "x2", "x3"].map(String::from).to_vec();
        let rows = indices(&paths, n, &y, 200, 5);
        let moved = indices(&paths, n, &shifted, 200, 5);
        let want = [
            ("x1", 0.3139, 0.5576),
            ("x2", 0.4424, 0.4424),
            ("x3", 0.0, 0.2437),
        ];
        for (p, s1, st) in want {
            let a = rows.iter().find(|r| r.path == p).unwrap();
            let b = moved.iter().find(|r| r.path == p).unwrap();
            assert!(
                (a.s1 - b.s1).abs() < 1e-9 && (a.st - b.st).abs() < 1e-9,
                "{p}"
            );
            assert!(
                b.s1_ci.0 - 0.01 <= s1 && s1 <= b.s1_ci.1 + 0.01,
                "{p}: {b:?}"
            );
            assert!(
                b.st_ci.0 - 0.01 <= st && st <= b.st_ci.1 + 0.01,
                "{p}: {b:?}"
            );
            assert!(
                (b.s1 - s1).abs() < 0.06 && (b.st - st).abs() < 0.06,
                "{p}: {b:?}"
            );
        }
    }
}
