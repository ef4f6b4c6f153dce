//! One shard of an ensemble (`megacluster run --shard K/N`): the runs at given indices,
//! aggregated, and those below `keep_runs` kept in run order for the shard's rows.

use super::aggregate::Aggregate;
use super::run::{RunOutput, SimulatorPool};
use crate::error::RunError;
use crate::scenario::Scenario;
use rayon::prelude::*;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// What a shard's runs gave.
pub struct ShardRuns {
    /// The aggregate of every run of the shard (flushed).
    pub aggregate: Aggregate,
    /// The kept runs, in run order.
    pub kept: Vec<RunOutput>,
}

/// Runs the runs `indices` of `scenario` with `seed` on `threads` threads (0 = all
/// cores), calling `progress` with the number finished.
pub fn run_shard(
    scenario: &Scenario,
    seed: u64,
    indices: &[usize],
    keep_runs: usize,
    threads: usize,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<ShardRuns, RunError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| RunError::Usage(format!("cannot start the threads: {e}")))?;
    let done = AtomicUsize::new(0);
    let kept: Mutex<Vec<RunOutput>> = Mutex::new(Vec::new());
    let template = Aggregate::new(scenario);
    let shared = Arc::new(scenario.clone());
    let sims = SimulatorPool::new(&shared, pool.current_num_threads());
    let mut aggregate = pool.install(|| {
        indices
            .par_iter()
            .try_fold(
                || template.clone(),
                |mut agg, &r| {
                    let out = sims.simulate(seed, r)?;
                    agg.add(&out);
                    if r < keep_runs {
                        kept.lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner)
                            .push(out);
                    }
                    progress(done.fetch_add(1, Ordering::Relaxed) + 1);
                    Ok::<Aggregate, RunError>(agg)
                },
            )
            .try_reduce(
                || template.clone(),
                |mut a, b| {
                    a.merge(&b);
                    Ok(a)
                },
            )
    })?;
    aggregate.flush();
    let mut kept = kept
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    kept.sort_by_key(|o| o.run);
    Ok(ShardRuns { aggregate, kept })
}
