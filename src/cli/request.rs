//! What a command runs, resolved in one place: the scenario after `--set`, and the runs,
//! seed, threads and output folder, each from its flag or else its default.

use super::EnsembleArgs;
use crate::error::RunError;
use crate::output::partial::Manifest;
use crate::scenario::Scenario;
use crate::scenario::paths;
pub use crate::sim::Request;
use std::path::{Path, PathBuf};

/// The folder that outputs go under when `--out` is not given.
pub const OUTPUT_ROOT: &str = "output";

/// The default output folder `output/<rel>`.
pub fn default_out(rel: impl AsRef<Path>) -> PathBuf {
    Path::new(OUTPUT_ROOT).join(rel)
}

impl EnsembleArgs {
    /// `--runs`, else `default`.
    pub fn runs_or(&self, default: usize) -> usize {
        self.runs.map_or(default, |r| r as usize)
    }

    /// `--seed`, else `default`.
    pub fn seed_or(&self, default: u64) -> u64 {
        self.seed.unwrap_or(default)
    }

    /// `--threads`, else 0 (all cores).
    pub fn threads(&self) -> usize {
        self.threads.map_or(0, |t| t as usize)
    }

    /// `--out`, else `output/<rel>` with `rel` from `default_rel`.
    pub fn out_or(&self, default_rel: impl FnOnce() -> PathBuf) -> PathBuf {
        self.out
            .clone()
            .unwrap_or_else(|| default_out(default_rel()))
    }
}

impl Request {
    /// Loads `file` with `args`' overrides. Runs default to `default_runs`, else the
    /// scenario's `runs`; the seed to the scenario's; the output folder to
    /// `output/<default_rel(scenario)>`.
    pub fn load(
        file: &Path,
        args: &EnsembleArgs,
        default_runs: Option<usize>,
        default_rel: impl FnOnce(&Scenario) -> PathBuf,
    ) -> Result<Self, RunError> {
        let (scenario, overrides, text) = paths::load_with_overrides(file, &args.set)?;
        Ok(Request {
            runs: args.runs_or(default_runs.unwrap_or(scenario.runs)),
            seed: args.seed_or(scenario.seed),
            threads: args.threads(),
            out: args.out_or(|| default_rel(&scenario)),
            quiet: args.quiet,
            overrides,
            text,
            name: file.display().to_string(),
            scenario,
        })
    }

    /// The request a shard ran, from its manifest and scenario, for `merge` to write the
    /// whole job's folder `out`.
    pub fn of_shard(scenario: Scenario, m: &Manifest, out: PathBuf, quiet: bool) -> Self {
        Request {
            scenario,
            overrides: m.overrides.clone(),
            text: String::new(),
            name: m.file.clone(),
            runs: m.runs,
            seed: m.seed,
            threads: 0,
            out,
            quiet,
        }
    }
}
