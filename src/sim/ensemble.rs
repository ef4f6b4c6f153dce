//! Ensembles: runs in parallel with rayon, gathered in run order, then aggregated.

use super::aggregate::{probability, sales_histogram, year_stats};
use super::results::*;
use super::run::{RunOutput, simulate};
use crate::error::RunError;
use crate::model::catalog;
use crate::model::setup::straight_distance;
use crate::scenario::Scenario;
use rayon::prelude::*;
use std::sync::Arc;

/// How to run an ensemble.
#[derive(Clone)]
pub struct EnsembleOptions {
    /// Number of runs.
    pub runs: usize,
    /// Ensemble seed.
    pub seed: u64,
    /// Worker threads (0 = all cores).
    pub threads: usize,
    /// Runs whose yearly values are kept for `metrics.csv` (the first `keep_runs` runs).
    pub keep_runs: usize,
    /// Called with the number of finished runs, for progress display.
    pub progress: Option<Arc<dyn Fn(usize) + Send + Sync>>,
}

/// An ensemble's statistics plus the kept runs' raw values.
#[derive(Debug, Clone)]
pub struct Ensemble {
    /// Statistics.
    pub result: EnsembleResult,
    /// Kept runs, in run order.
    pub kept: Vec<RunOutput>,
}

/// Runs an ensemble and aggregates it. Output does not depend on `threads`.
pub fn run_ensemble(
    scenario: &Arc<Scenario>,
    opts: &EnsembleOptions,
) -> Result<Ensemble, RunError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads)
        .build()
        .map_err(|e| RunError::Usage(format!("cannot start {} threads: {e}", opts.threads)))?;
    let done = std::sync::atomic::AtomicUsize::new(0);
    let outputs: Vec<RunOutput> = pool.install(|| {
        (0..opts.runs)
            .into_par_iter()
            .map(|r| {
                let out = simulate(scenario, opts.seed, r);
                let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                if let Some(p) = &opts.progress {
                    p(n);
                }
                out
            })
            .collect::<Result<Vec<_>, _>>()
    })?;
    let result = aggregate(scenario, opts.seed, &outputs);
    let kept = outputs.into_iter().take(opts.keep_runs).collect();
    Ok(Ensemble { result, kept })
}

/// Aggregates run outputs (in run order) into statistics.
pub fn aggregate(s: &Scenario, seed: u64, outputs: &[RunOutput]) -> EnsembleResult {
    let metrics = catalog::metrics(s);
    let n_m = metrics.len();
    let years: Vec<i32> = (s.start_year..=s.end_year).collect();
    let n_y = years.len();
    let mut column = vec![0.0; outputs.len()];
    let mut stats = vec![vec![YearStats::default(); n_y]; n_m];
    for (m, row) in stats.iter_mut().enumerate() {
        for (y, cell) in row.iter_mut().enumerate() {
            for (c, o) in column.iter_mut().zip(outputs) {
                *c = o.values[y * n_m + m];
            }
            *cell = year_stats(&mut column);
        }
    }
    let targets = s
        .targets
        .iter()
        .map(|t| {
            let m = metrics.iter().position(|d| d.name == t.metric).unwrap_or(0);
            let by_year: Vec<f64> = (0..n_y)
                .map(|y| {
                    let v: Vec<f64> = outputs.iter().map(|o| o.values[y * n_m + m]).collect();
                    probability(&v, t.comparison, t.value)
                })
                .collect();
            let yi = (t.year - s.start_year).clamp(0, n_y as i32 - 1) as usize;
            TargetResult {
                name: t.name.clone(),
                metric: t.metric.clone(),
                comparison: t.comparison,
                value: t.value,
                year: t.year,
                probability: by_year[yi],
                probability_by_year: by_year,
            }
        })
        .collect();
    let sites = s
        .sites
        .iter()
        .map(|x| SiteInfo {
            name: x.name.clone(),
            kind: x.kind.name().into(),
            x_km: x.x_km,
            y_km: x.y_km,
            in_cluster: x.in_cluster,
        })
        .collect();
    let decay = s.model.fabless.spillover_decay_km.central();
    let links = s
        .links
        .iter()
        .filter_map(|l| {
            let (a, b) = (s.site_index(&l.a)?, s.site_index(&l.b)?);
            let d = l.distance_km.unwrap_or_else(|| straight_distance(s, a, b));
            Some(LinkInfo {
                a,
                b,
                distance_km: d,
                weight: (-d / decay.max(1e-9)).exp(),
            })
        })
        .collect();
    let snapshot_years: Vec<i32> = {
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
    };
    let fabless_sales = snapshot_years
        .iter()
        .enumerate()
        .map(|(k, &year)| {
            let per_run: Vec<&[f64]> = outputs
                .iter()
                .map(|o| o.snapshots.get(k).map_or(&[][..], Vec::as_slice))
                .collect();
            sales_histogram(year, &per_run)
        })
        .collect();
    EnsembleResult {
        scenario: s.name.clone(),
        seed,
        runs: outputs.len(),
        years,
        metrics,
        stats,
        targets,
        sites,
        links,
        fabless_sales,
    }
}
