//! One shard of an ensemble (`megacluster run --shard K/N`): the runs at given indices,
//! aggregated, and those below `keep_runs` kept in run order for the shard's rows.

use super::aggregate::Aggregate;
use super::ensemble::{Batch, aggregate_indices};
use super::run::RunOutput;
use crate::error::RunError;
use crate::scenario::Scenario;
use std::sync::Arc;

/// What a shard's runs gave.
pub struct ShardRuns {
    /// The aggregate of every run of the shard (flushed).
    pub aggregate: Aggregate,
    /// The kept runs, in run order.
    pub kept: Vec<RunOutput>,
}

/// Runs the runs `indices` (ascending) of `scenario` with `seed` on `threads` threads
/// (0 = all cores), calling `progress` with the number finished.
pub fn run_shard(
    scenario: &Scenario,
    seed: u64,
    indices: &[usize],
    keep_runs: usize,
    threads: usize,
    progress: &(dyn Fn(usize) + Send + Sync),
) -> Result<ShardRuns, RunError> {
    let mut kept = Vec::new();
    let mut aggregate = aggregate_indices(
        &Arc::new(scenario.clone()),
        &Batch {
            seed,
            threads,
            runs: indices,
            keep_runs,
            progress: Some(progress),
        },
        &mut |o| {
            kept.push(o);
            Ok(())
        },
        &|_| {},
    )?;
    aggregate.flush();
    Ok(ShardRuns { aggregate, kept })
}
