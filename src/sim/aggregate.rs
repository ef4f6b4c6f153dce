//! Statistics across runs: percentiles (linear interpolation between order statistics,
//! as numpy's default), means, target probabilities and pooled sales histograms.
//!
//! [`Aggregate`] gathers them as runs finish, in memory that does not grow with the
//! number of runs: a [`Sketch`] per (metric, year), exact integer counts of runs meeting
//! each target in each year, and integer counts of firms per sales bin. Its
//! [`Aggregate::merge`] is exact and order-independent, so partial aggregates of
//! threads, chunks or machines merge into the same bytes as one aggregate of every run.

use super::results::{
    Comparison, EnsembleResult, LinkInfo, SalesHistogram, SiteInfo, TargetResult, YearStats,
};
use super::run::RunOutput;
use super::sketch::{Scratch, Sketch, sort_total};
use crate::model::catalog;
use crate::model::setup::straight_distance;
use crate::numbers::KRW_B_PER_T;
use crate::scenario::{Resolved, Scenario};

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
            if x >= KRW_B_PER_T {
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

/// Sales bin of a firm's sales among `edges` (values below the first edge go to the
/// first bin, above the last to the last).
fn sales_bin(edges: &[f64], x: f64) -> usize {
    edges
        .partition_point(|&e| e <= x)
        .saturating_sub(1)
        .min(edges.len() - 2)
}

/// A target as the aggregate counts it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
struct TargetCount {
    metric: usize,
    comparison: Comparison,
    value: f64,
}

/// Runs buffered before their values go into the sketches, a cell at a time.
const BATCH: usize = 64;

/// Statistics of an ensemble gathered run by run; see the module documentation.
///
/// Values are buffered for [`BATCH`] runs, then sorted and merged into each cell's
/// sketch in one pass (cache-friendly); buffered runs count in every comparison,
/// merge and result as if added.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Aggregate {
    n_metrics: usize,
    n_years: usize,
    runs: u64,
    /// `cells[m * n_years + y]`.
    cells: Vec<Sketch>,
    targets: Vec<TargetCount>,
    /// `met[t * n_years + y]`: runs meeting target `t` in year `y`.
    met: Vec<u64>,
    snapshot_years: Vec<i32>,
    edges: Vec<f64>,
    /// Per snapshot year: firms in each sales bin, summed over runs.
    sales_counts: Vec<Vec<u64>>,
    /// Per snapshot year: firms at or above KRW 1T, summed over runs.
    sales_above: Vec<u64>,
    /// Values of runs not yet in the sketches, run after run, each run's as
    /// `values[year * n_metrics + metric]`.
    pending: Vec<f64>,
}

impl PartialEq for Aggregate {
    fn eq(&self, other: &Self) -> bool {
        let (mut a, mut b) = (self.clone(), other.clone());
        a.flush();
        b.flush();
        a.cells == b.cells
            && (a.n_metrics, a.n_years, a.runs) == (b.n_metrics, b.n_years, b.runs)
            && a.targets == b.targets
            && a.met == b.met
            && a.snapshot_years == b.snapshot_years
            && a.sales_counts == b.sales_counts
            && a.sales_above == b.sales_above
    }
}

/// Years whose fabless sales distribution is kept: years of `fabless_1t_firms` targets
/// and the last year.
pub fn snapshot_years(s: &Scenario) -> Vec<i32> {
    let mut v: Vec<i32> = s
        .targets
        .iter()
        .filter(|t| t.metric == "fabless_1t_firms")
        .map(|t| t.year)
        .collect();
    v.push(s.end_year);
    v.sort_unstable();
    v.dedup();
    v
}

impl Aggregate {
    /// An empty aggregate for runs of `s`.
    pub fn new(s: &Scenario) -> Self {
        let n_metrics = catalog::count(s);
        let n_years = s.n_years();
        let names = catalog::metric_names(s);
        let targets: Vec<TargetCount> = s
            .targets
            .iter()
            .map(|t| TargetCount {
                metric: names.iter().position(|n| *n == t.metric).unwrap_or(0),
                comparison: t.comparison,
                value: t.value,
            })
            .collect();
        let snapshot_years = snapshot_years(s);
        let edges = sales_edges();
        Aggregate {
            n_metrics,
            n_years,
            runs: 0,
            cells: vec![Sketch::default(); n_metrics * n_years],
            met: vec![0; targets.len() * n_years],
            targets,
            sales_counts: vec![vec![0; edges.len() - 1]; snapshot_years.len()],
            sales_above: vec![0; snapshot_years.len()],
            snapshot_years,
            edges,
            pending: Vec::new(),
        }
    }

    /// Puts buffered runs into the sketches.
    pub fn flush(&mut self) {
        let cells = self.n_metrics * self.n_years;
        if self.pending.is_empty() || cells == 0 {
            return;
        }
        let runs = self.pending.len() / cells;
        let (n_m, n_y) = (self.n_metrics, self.n_years);
        let mut column = Vec::with_capacity(runs);
        let mut ordered = Vec::with_capacity(runs);
        let mut scratch = Scratch::default();
        for (c, cell) in self.cells.iter_mut().enumerate() {
            // Cell c is metric c / n_y in year c % n_y; runs are buffered as they come
            // (year-major rows).
            let at = (c % n_y) * n_m + c / n_y;
            column.clear();
            column.extend((0..runs).map(|r| self.pending[r * cells + at]));
            sort_total(&mut column, &mut ordered);
            cell.add_sorted_with(&column, &mut scratch);
        }
        self.pending.clear();
    }

    /// Number of runs added.
    pub fn runs(&self) -> u64 {
        self.runs
    }

    /// Adds one run's output.
    pub fn add(&mut self, o: &RunOutput) {
        self.runs += 1;
        let (n_m, n_y) = (self.n_metrics, self.n_years);
        // Buffer the run's rows as they are (year-major, whole rows only, missing
        // years 0); flush reads them by cell.
        let start = self.pending.len();
        let rows = (o.values.len() / n_m.max(1)).min(n_y);
        self.pending.extend_from_slice(&o.values[..rows * n_m]);
        self.pending.resize(start + n_m * n_y, 0.0);
        if self.pending.len() >= BATCH * n_m * n_y {
            self.flush();
        }
        for (t, tc) in self.targets.iter().enumerate() {
            for y in 0..n_y {
                if o.values
                    .get(y * n_m + tc.metric)
                    .is_some_and(|&x| tc.comparison.met(x, tc.value))
                {
                    self.met[t * n_y + y] += 1;
                }
            }
        }
        for (k, counts) in self.sales_counts.iter_mut().enumerate() {
            for &x in o.snapshots.get(k).map_or(&[][..], Vec::as_slice) {
                if x >= KRW_B_PER_T {
                    self.sales_above[k] += 1;
                }
                counts[sales_bin(&self.edges, x)] += 1;
            }
        }
    }

    /// Adds every run of `other` (an aggregate of the same scenario): the result equals,
    /// byte for byte, one aggregate of all runs added in any order.
    pub fn merge(&mut self, other: &Aggregate) {
        assert_eq!(
            (self.n_metrics, self.n_years, self.targets.len()),
            (other.n_metrics, other.n_years, other.targets.len()),
            "aggregates of different scenarios"
        );
        self.flush();
        self.runs += other.runs;
        for (a, b) in self.cells.iter_mut().zip(&other.cells) {
            a.merge(b);
        }
        if !other.pending.is_empty() {
            self.pending.extend_from_slice(&other.pending);
            self.flush();
        }
        for (a, b) in self.met.iter_mut().zip(&other.met) {
            *a += b;
        }
        for (a, b) in self.sales_counts.iter_mut().zip(&other.sales_counts) {
            for (x, y) in a.iter_mut().zip(b) {
                *x += y;
            }
        }
        for (a, b) in self.sales_above.iter_mut().zip(&other.sales_above) {
            *a += b;
        }
    }

    /// The sketch of metric `m` in year index `y` (after [`Aggregate::flush`]).
    pub fn cell(&self, m: usize, y: usize) -> &Sketch {
        &self.cells[m * self.n_years + y]
    }

    /// Heap bytes held by the sketches (for memory accounting).
    pub fn heap_bytes(&self) -> usize {
        self.cells.iter().map(Sketch::heap_bytes).sum()
    }

    /// The statistics of the runs added so far.
    pub fn result(&self, s: &Scenario, seed: u64) -> EnsembleResult {
        if !self.pending.is_empty() {
            let mut done = self.clone();
            done.flush();
            return done.result(s, seed);
        }
        let n_y = self.n_years;
        let stats = (0..self.n_metrics)
            .map(|m| {
                (0..n_y)
                    .map(|y| {
                        let c = self.cell(m, y);
                        YearStats {
                            p10: c.quantile(0.1),
                            p50: c.quantile(0.5),
                            p90: c.quantile(0.9),
                            mean: c.mean(),
                        }
                    })
                    .collect()
            })
            .collect();
        let runs = self.runs;
        let share = |k: u64| {
            if runs == 0 {
                0.0
            } else {
                k as f64 / runs as f64
            }
        };
        let targets = s
            .targets
            .iter()
            .enumerate()
            .map(|(t, spec)| {
                let by_year: Vec<f64> = (0..n_y).map(|y| share(self.met[t * n_y + y])).collect();
                let yi = (spec.year - s.start_year).clamp(0, n_y as i32 - 1) as usize;
                TargetResult {
                    name: spec.name.clone(),
                    metric: spec.metric.clone(),
                    comparison: spec.comparison,
                    value: spec.value,
                    year: spec.year,
                    probability: by_year[yi],
                    probability_by_year: by_year,
                }
            })
            .collect();
        let per_run = runs.max(1) as f64;
        let fabless_sales = self
            .snapshot_years
            .iter()
            .enumerate()
            .map(|(k, &year)| SalesHistogram {
                year,
                edges_krw_b: self.edges.clone(),
                counts: self.sales_counts[k]
                    .iter()
                    .map(|&c| c as f64 / per_run)
                    .collect(),
                mean_at_or_above_1t: self.sales_above[k] as f64 / per_run,
            })
            .collect();
        EnsembleResult {
            scenario: s.name.clone(),
            seed,
            runs: runs as usize,
            years: (s.start_year..=s.end_year).collect(),
            metrics: catalog::metrics(s),
            stats,
            targets,
            sites: site_infos(s),
            links: link_infos(s),
            fabless_sales,
        }
    }
}

fn site_infos(s: &Scenario) -> Vec<SiteInfo> {
    s.sites
        .iter()
        .map(|x| SiteInfo {
            name: x.name.clone(),
            kind: x.kind.name().into(),
            x_km: x.x_km,
            y_km: x.y_km,
            in_cluster: x.in_cluster,
        })
        .collect()
}

fn link_infos(s: &Scenario) -> Vec<LinkInfo> {
    let decay = s.model.fabless.spillover_decay_km.central();
    s.links
        .iter()
        .zip(Resolved::new(s).links)
        .filter_map(|(l, ab)| {
            let (a, b) = ab?;
            let d = l.distance_km.unwrap_or_else(|| straight_distance(s, a, b));
            Some(LinkInfo {
                a,
                b,
                distance_km: d,
                weight: (-d / decay.max(1e-9)).exp(),
            })
        })
        .collect()
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
