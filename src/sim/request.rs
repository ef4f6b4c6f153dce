//! What a command runs, resolved: the scenario after `--set` and the runs, seed, threads
//! and output folder. `cli/request.rs` builds it from the arguments, the one place their
//! defaults are resolved; the tuning loops (`tune`) and the writers (`output`) read it.

use crate::scenario::Scenario;
use crate::scenario::paths::Override;
use std::path::PathBuf;

/// A scenario file loaded with its overrides, and the settings to run it with.
pub struct Request {
    /// The scenario after `--set`.
    pub scenario: Scenario,
    /// The overrides, with canonical paths.
    pub overrides: Vec<Override>,
    /// The file's text, to locate validation problems.
    pub text: String,
    /// The file's name for messages.
    pub name: String,
    /// Runs per ensemble.
    pub runs: usize,
    /// Seed.
    pub seed: u64,
    /// Worker threads (0 = all cores).
    pub threads: usize,
    /// Output folder.
    pub out: PathBuf,
    /// Print nothing but errors.
    pub quiet: bool,
}
