//! Experiment designs in the unit cube: full grids, Latin hypercubes, Morris
//! trajectories and Saltelli's matrices for Sobol indices. Every design is a list of
//! points whose coordinates are fractions 0..1 of each parameter's range; it depends on
//! the seed alone.

use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

/// A full grid: `steps[i]` evenly spaced fractions along parameter `i` (0 and 1 included;
/// one step is the middle), the last parameter varying fastest.
pub fn grid(steps: &[usize]) -> Vec<Vec<f64>> {
    let axis = |n: usize| -> Vec<f64> {
        if n <= 1 {
            vec![0.5]
        } else {
            (0..n).map(|i| i as f64 / (n - 1) as f64).collect()
        }
    };
    let mut points = vec![Vec::new()];
    for &n in steps {
        let a = axis(n);
        points = points
            .into_iter()
            .flat_map(|p| {
                a.iter().map(move |&x| {
                    let mut q = p.clone();
                    q.push(x);
                    q
                })
            })
            .collect();
    }
    points
}

fn shuffle(v: &mut [usize], rng: &mut ChaCha8Rng) {
    for i in (1..v.len()).rev() {
        let j = rng.random_range(0..=i);
        v.swap(i, j);
    }
}

/// A Latin hypercube of `n` points in `k` dimensions: each parameter's range is cut into
/// `n` equal strata and every stratum holds exactly one point.
pub fn lhs(k: usize, n: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut points = vec![vec![0.0; k]; n];
    for d in 0..k {
        let mut perm: Vec<usize> = (0..n).collect();
        shuffle(&mut perm, &mut rng);
        for (i, p) in points.iter_mut().enumerate() {
            p[d] = (perm[i] as f64 + rng.random::<f64>()) / n as f64;
        }
    }
    points
}

/// Uniform random points (`n` × `k`).
pub fn uniform(k: usize, n: usize, rng: &mut ChaCha8Rng) -> Vec<Vec<f64>> {
    (0..n)
        .map(|_| (0..k).map(|_| rng.random::<f64>()).collect())
        .collect()
}

/// One Morris trajectory: `k + 1` points on a `levels`-level grid, each differing from the
/// previous one in one coordinate by `delta = levels / (2 (levels - 1))`; returns the
/// points and the coordinate changed at each step (with its sign).
pub fn morris_trajectory(
    k: usize,
    levels: usize,
    rng: &mut ChaCha8Rng,
) -> (Vec<Vec<f64>>, Vec<(usize, f64)>) {
    let levels = levels.max(2);
    let delta = levels as f64 / (2.0 * (levels - 1) as f64);
    // Start points from the lower half of the levels so that +delta stays inside.
    let starts = levels / 2;
    let mut x: Vec<f64> = (0..k)
        .map(|_| rng.random_range(0..starts.max(1)) as f64 / (levels - 1) as f64)
        .collect();
    let mut order: Vec<usize> = (0..k).collect();
    shuffle(&mut order, rng);
    let mut points = vec![x.clone()];
    let mut steps = Vec::with_capacity(k);
    for i in order {
        // Go up or down at random, staying inside the cube.
        let up = rng.random_bool(0.5);
        let d = if (up && x[i] + delta <= 1.0 + 1e-12) || x[i] - delta < -1e-12 {
            delta
        } else {
            -delta
        };
        x[i] = (x[i] + d).clamp(0.0, 1.0);
        points.push(x.clone());
        steps.push((i, d));
    }
    (points, steps)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grids_cover_the_corners() {
        let g = grid(&[3, 2]);
        assert_eq!(g.len(), 6);
        assert_eq!(g[0], vec![0.0, 0.0]);
        assert_eq!(g[5], vec![1.0, 1.0]);
        assert_eq!(grid(&[1]), vec![vec![0.5]]);
    }

    #[test]
    fn latin_hypercubes_fill_every_stratum_once() {
        let n = 10;
        let pts = lhs(3, n, 7);
        for d in 0..3 {
            let mut strata: Vec<usize> = pts.iter().map(|p| (p[d] * n as f64) as usize).collect();
            strata.sort_unstable();
            assert_eq!(strata, (0..n).collect::<Vec<_>>());
        }
        assert_eq!(pts, lhs(3, n, 7));
    }

    #[test]
    fn morris_steps_change_one_coordinate_by_delta() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let (pts, steps) = morris_trajectory(5, 4, &mut rng);
        assert_eq!(pts.len(), 6);
        for (w, (i, d)) in pts.windows(2).zip(&steps) {
            assert!((w[1][*i] - w[0][*i] - d).abs() < 1e-12);
            assert!((d.abs() - 4.0 / 6.0).abs() < 1e-12);
            assert!(w[1].iter().all(|x| (0.0..=1.0).contains(x)));
        }
    }
}
