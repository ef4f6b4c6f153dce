//! Partial result folders written by `megacluster run --shard K/N` and read back by
//! `megacluster merge`: `manifest.json` (what was run and which runs it covers),
//! `aggregate.json` (the shard's exact, mergeable [`Aggregate`]), `scenario.ron` (the
//! scenario as run, after overrides) and `metrics.csv` (the shard's kept runs).

use crate::error::RunError;
use crate::scenario::Scenario;
use crate::scenario::paths::Override;
use crate::sim::Aggregate;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Format of partial folders; bumped when their contents change.
pub const FORMAT: u32 = 1;
/// The manifest's file name; written last, so a folder with it is complete.
pub const MANIFEST: &str = "manifest.json";
/// The aggregate's file name.
pub const AGGREGATE: &str = "aggregate.json";
/// The scenario's file name.
pub const SCENARIO: &str = "scenario.ron";

/// What a shard ran.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`FORMAT`].
    pub format: u32,
    /// megacluster version that wrote it.
    pub megacluster: String,
    /// Scenario name.
    pub scenario: String,
    /// [`scenario_hash`] of the scenario after overrides.
    pub scenario_hash: String,
    /// The `--set` overrides.
    pub overrides: Vec<Override>,
    /// Ensemble seed.
    pub seed: u64,
    /// Runs of the whole (unsharded) ensemble.
    pub runs: usize,
    /// Runs kept in `metrics.csv` by the whole ensemble (the first `keep_runs`).
    pub keep_runs: usize,
    /// This shard, 0-based.
    pub shard: usize,
    /// Number of shards.
    pub shards: usize,
    /// The run indices covered, in words.
    pub covers: String,
    /// Number of runs covered.
    pub covered_runs: usize,
}

/// A stable hash (64-bit FNV-1a, hex) of a scenario serialised with serde_json.
pub fn scenario_hash(s: &Scenario) -> String {
    let bytes = serde_json::to_vec(s).unwrap_or_default();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// Run indices of shard `k` of `n` among `runs`: r with r % n == k.
pub fn shard_runs(runs: usize, k: usize, n: usize) -> impl Iterator<Item = usize> {
    (k..runs).step_by(n.max(1))
}

/// `covers` text of shard `k` of `n`.
pub fn covers(runs: usize, k: usize, n: usize) -> String {
    format!("runs r in 0..{runs} with r % {n} == {k}")
}

fn input_err(path: &Path, message: impl Into<String>) -> RunError {
    RunError::Input {
        path: path.to_owned(),
        message: message.into(),
    }
}

/// Reads a partial folder's manifest.
pub fn read_manifest(dir: &Path) -> Result<Manifest, RunError> {
    let path = dir.join(MANIFEST);
    let bytes = std::fs::read(&path).map_err(|e| {
        input_err(
            dir,
            format!("not a complete partial folder written by `megacluster run --shard` (no {MANIFEST}: {e})"),
        )
    })?;
    let m: Manifest = serde_json::from_slice(&bytes)
        .map_err(|e| input_err(&path, format!("cannot read the manifest: {e}")))?;
    if m.format != FORMAT {
        return Err(input_err(
            &path,
            format!(
                "partial format {} (this megacluster reads {FORMAT})",
                m.format
            ),
        ));
    }
    Ok(m)
}

/// Reads a partial folder's aggregate.
pub fn read_aggregate(dir: &Path) -> Result<Aggregate, RunError> {
    let path = dir.join(AGGREGATE);
    let bytes = std::fs::read(&path).map_err(|e| input_err(&path, e.to_string()))?;
    serde_json::from_slice(&bytes)
        .map_err(|e| input_err(&path, format!("cannot read the aggregate: {e}")))
}

/// Reads a partial folder's scenario.
pub fn read_scenario(dir: &Path) -> Result<Scenario, RunError> {
    let path = dir.join(SCENARIO);
    let text = std::fs::read_to_string(&path).map_err(|e| input_err(&path, e.to_string()))?;
    Ok(crate::scenario::load_str(
        &text,
        &path.display().to_string(),
    )?)
}
