//! Statistics across runs: percentiles (linear interpolation between order statistics,
//! as numpy's default), means, target probabilities and pooled sales histograms.

use super::results::{Comparison, SalesHistogram, YearStats};
use crate::model::systems::metrics::ONE_TRILLION_KRW_B;

/// The `q`-quantile (0..1) of sorted values, interpolating linearly.
pub fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let h = q.clamp(0.0, 1.0) * (sorted.len() - 1) as f64;
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// p10, p50, p90 and mean of values (sorted in place).
pub fn year_stats(values: &mut [f64]) -> YearStats {
    values.sort_by(f64::total_cmp);
    let mean = if values.is_empty() {
        0.0
    } else {
        values.iter().sum::<f64>() / values.len() as f64
    };
    YearStats {
        p10: quantile_sorted(values, 0.1),
        p50: quantile_sorted(values, 0.5),
        p90: quantile_sorted(values, 0.9),
        mean,
    }
}

/// Share of values meeting a comparison.
pub fn probability(values: &[f64], cmp: Comparison, target: f64) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.iter().filter(|&&x| cmp.met(x, target)).count() as f64 / values.len() as f64
}

/// Log-spaced bin edges for sales from KRW 0.1B to KRW 100T (four bins per decade).
pub fn sales_edges() -> Vec<f64> {
    (0..=24)
        .map(|i| 10f64.powf(-1.0 + 0.25 * f64::from(i)))
        .collect()
}

/// A pooled histogram of sales over runs, counts divided by the number of runs.
pub fn sales_histogram(year: i32, per_run: &[&[f64]]) -> SalesHistogram {
    let edges = sales_edges();
    let mut counts = vec![0.0; edges.len() - 1];
    let mut above = 0.0;
    for sales in per_run {
        for &x in *sales {
            if x >= ONE_TRILLION_KRW_B {
                above += 1.0;
            }
            let k = edges
                .partition_point(|&e| e <= x)
                .saturating_sub(1)
                .min(counts.len() - 1);
            counts[k] += 1.0;
        }
    }
    let runs = per_run.len().max(1) as f64;
    counts.iter_mut().for_each(|c| *c /= runs);
    SalesHistogram {
        year,
        edges_krw_b: edges,
        counts,
        mean_at_or_above_1t: above / runs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate_like_numpy() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(quantile_sorted(&v, 0.5), 3.0);
        assert!((quantile_sorted(&v, 0.1) - 1.4).abs() < 1e-12);
        assert!((quantile_sorted(&v, 0.9) - 4.6).abs() < 1e-12);
        let mut w = vec![5.0, 1.0, 3.0];
        let s = year_stats(&mut w);
        assert_eq!((s.p50, s.mean), (3.0, 3.0));
    }

    #[test]
    fn histogram_counts_per_run_and_the_1t_line() {
        let a = [1.0, 1500.0, 2.0];
        let b = [900.0];
        let h = sales_histogram(2030, &[&a, &b]);
        assert_eq!(h.mean_at_or_above_1t, 0.5);
        assert!((h.counts.iter().sum::<f64>() - 2.0).abs() < 1e-12);
    }
}
