//! Ensembles: runs in parallel with rayon, aggregated as they finish.
//!
//! Each worker thread adds its runs to its own [`Aggregate`]; the partial aggregates
//! merge exactly and order-independently at the end, so statistics do not depend on the
//! thread count or on which thread ran which run, and memory does not grow with the
//! number of runs. Only the kept runs (the first `keep_runs`, a documented sample) are
//! passed on, in run order, a chunk at a time.

use super::aggregate::Aggregate;
use super::results::EnsembleResult;
use super::run::{RunOutput, SimulatorPool};
use crate::error::RunError;
use crate::scenario::Scenario;
use rayon::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

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

/// Kept runs are handed on in chunks of this many runs, bounding the memory they hold.
const KEEP_CHUNK: usize = 512;

/// Runs an ensemble and aggregates it; the first `keep_runs` runs are returned in
/// memory. Output does not depend on `threads`.
pub fn run_ensemble(
    scenario: &Arc<Scenario>,
    opts: &EnsembleOptions,
) -> Result<Ensemble, RunError> {
    let mut kept = Vec::new();
    let result = run_ensemble_streaming(scenario, opts, &mut |o| {
        kept.push(o);
        Ok(())
    })?;
    Ok(Ensemble { result, kept })
}

/// Runs an ensemble and aggregates it, handing each of the first `keep_runs` runs to
/// `sink` in run order as soon as its chunk is done (at most [`KEEP_CHUNK`] runs are
/// held at a time). Output does not depend on `threads`.
pub fn run_ensemble_streaming(
    scenario: &Arc<Scenario>,
    opts: &EnsembleOptions,
    sink: &mut dyn FnMut(RunOutput) -> Result<(), RunError>,
) -> Result<EnsembleResult, RunError> {
    let agg = aggregate_runs(scenario, opts, sink)?;
    Ok(agg.result(scenario, opts.seed))
}

/// Runs an ensemble into an [`Aggregate`] (for merging partial ensembles).
pub fn aggregate_runs(
    scenario: &Arc<Scenario>,
    opts: &EnsembleOptions,
    sink: &mut dyn FnMut(RunOutput) -> Result<(), RunError>,
) -> Result<Aggregate, RunError> {
    aggregate_runs_observed(scenario, opts, sink, &|_| {})
}

/// [`aggregate_runs`], also showing every run to `observe` as it finishes (on the
/// worker thread, in any order: `observe` files values by `RunOutput::run`). The
/// hindcast collects the few values it scores this way.
pub fn aggregate_runs_observed(
    scenario: &Arc<Scenario>,
    opts: &EnsembleOptions,
    sink: &mut dyn FnMut(RunOutput) -> Result<(), RunError>,
    observe: &(dyn Fn(&RunOutput) + Sync),
) -> Result<Aggregate, RunError> {
    let runs: Vec<usize> = (0..opts.runs).collect();
    aggregate_indices(
        scenario,
        &Batch {
            seed: opts.seed,
            threads: opts.threads,
            runs: &runs,
            keep_runs: opts.keep_runs,
            progress: opts.progress.as_deref(),
        },
        sink,
        observe,
    )
}

/// Some runs of an ensemble: all of them, or one shard's (`megacluster run --shard`).
pub struct Batch<'a> {
    /// Ensemble seed.
    pub seed: u64,
    /// Worker threads (0 = all cores).
    pub threads: usize,
    /// The run indices, ascending.
    pub runs: &'a [usize],
    /// Runs below this index are handed to the sink.
    pub keep_runs: usize,
    /// Called with the number of finished runs, for progress display.
    pub progress: Option<&'a (dyn Fn(usize) + Send + Sync)>,
}

/// Runs the runs of `batch` into an [`Aggregate`], handing those below `keep_runs` to
/// `sink` in run order a chunk at a time and showing every run to `observe`. Output does
/// not depend on `threads`.
pub fn aggregate_indices(
    scenario: &Arc<Scenario>,
    batch: &Batch,
    sink: &mut dyn FnMut(RunOutput) -> Result<(), RunError>,
    observe: &(dyn Fn(&RunOutput) + Sync),
) -> Result<Aggregate, RunError> {
    // One thread runs on the caller's thread, with no pool of its own: a caller that
    // evaluates many small ensembles in parallel (calibrate) must not block its rayon
    // workers on other pools, where they would steal its next ensembles recursively.
    let pool = if batch.threads == 1 {
        None
    } else {
        Some(
            rayon::ThreadPoolBuilder::new()
                .num_threads(batch.threads)
                .build()
                .map_err(|e| {
                    RunError::Usage(format!("cannot start {} threads: {e}", batch.threads))
                })?,
        )
    };
    let template = Aggregate::new(scenario);
    let parts: Vec<Mutex<Aggregate>> =
        (0..pool.as_ref().map_or(1, |p| p.current_num_threads()).max(1))
            .map(|_| Mutex::new(template.clone()))
            .collect();
    let sims = SimulatorPool::new(scenario, parts.len());
    let done = AtomicUsize::new(0);
    let kept: Mutex<Vec<RunOutput>> = Mutex::new(Vec::new());
    let keep = batch.keep_runs;
    // The runs handed on are a prefix of the ascending indices.
    let kept_len = batch.runs.partition_point(|&r| r < keep);
    let mut start = 0;
    while start < batch.runs.len() {
        // Chunks that hold kept runs are small; the rest of the batch is one chunk.
        let end = if start < kept_len {
            (start + KEEP_CHUNK).min(kept_len)
        } else {
            batch.runs.len()
        };
        let one = |&r: &usize| {
            let out = sims.simulate(batch.seed, r)?;
            observe(&out);
            let slot = rayon::current_thread_index().unwrap_or(0) % parts.len();
            parts[slot]
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .add(&out);
            if r < keep {
                kept.lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .push(out);
            }
            let n = done.fetch_add(1, Ordering::Relaxed) + 1;
            if let Some(p) = batch.progress {
                p(n);
            }
            Ok::<(), RunError>(())
        };
        let chunk_runs = &batch.runs[start..end];
        match &pool {
            Some(pool) => pool.install(|| chunk_runs.par_iter().try_for_each(one))?,
            None => chunk_runs.iter().try_for_each(one)?,
        }
        let mut chunk = std::mem::take(
            &mut *kept
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        chunk.sort_by_key(|o| o.run);
        for o in chunk {
            sink(o)?;
        }
        start = end;
    }
    let mut total = template;
    for p in parts {
        total.merge(
            &p.into_inner()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
    }
    Ok(total)
}

/// Aggregates run outputs into statistics (all at once; ensembles aggregate as runs
/// finish instead).
pub fn aggregate(s: &Scenario, seed: u64, outputs: &[RunOutput]) -> EnsembleResult {
    let mut agg = Aggregate::new(s);
    for o in outputs {
        agg.add(o);
    }
    agg.result(s, seed)
}
