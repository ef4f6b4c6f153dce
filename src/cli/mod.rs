//! The command line: declarations here, one file per command.

pub mod calibrate;
pub mod compare;
pub mod discover;
pub mod explore;
pub mod generations;
pub mod hindcast;
pub mod levers;
pub mod merge;
pub mod optimize;
pub mod params;
pub mod progress;
pub mod request;
pub mod run;
pub mod search;
pub mod sensitivity;
pub mod shard;
pub mod sweep;
pub mod tune_common;
pub mod watch;

use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// megacluster: simulate a semiconductor mega-cluster from a scenario file.
#[derive(Debug, Parser)]
#[command(name = "megacluster", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run an ensemble of a scenario: summary table, CSV, JSON and charts.
    Run(RunArgs),
    /// Compare scenarios: overlay charts, side-by-side tables, a parameter diff and a report.
    Compare(CompareArgs),
    /// Check a scenario file without running it.
    Check {
        /// Scenario file (RON).
        file: PathBuf,
        /// Override a scenario value: PATH=VALUE (repeatable), as in `run`; checks the
        /// scenario with the overrides applied.
        #[arg(long = "set", value_name = "PATH=VALUE")]
        set: Vec<String>,
    },
    /// List the metrics a scenario records (names for targets and CSV filters).
    Metrics {
        /// Scenario file (RON).
        file: PathBuf,
    },
    /// List every tunable numeric parameter: path (for --set), value, unit, meaning.
    Params(params::ParamsArgs),
    /// Run an ensemble at each point of a grid or Latin hypercube over parameters.
    Sweep(sweep::SweepArgs),
    /// Rank parameters by influence on an outcome (one at a time, Morris or Sobol).
    Sensitivity(sensitivity::SensitivityArgs),
    /// Merge partial folders written by `run|sweep|sensitivity|discover|optimize|calibrate --shard K/N` into the
    /// folder of the whole job, byte for byte as in one go.
    Merge(merge::MergeArgs),
    /// Find the lowest lever value that meets a target with a given probability.
    Search(search::SearchArgs),
    /// The cheapest lever mixes that meet targets: NSGA-II over several levers, minimising
    /// a cost (public cost by default) and maximising or requiring target probabilities.
    Optimize(optimize::OptimizeArgs),
    /// Scenario discovery: the conditions (a box of parameter ranges, found by PRIM over
    /// a Latin hypercube) under which a target fails, or is met.
    Discover(discover::DiscoverArgs),
    /// Compare an ensemble with observations (data/observed.csv): coverage, PIT, CRPS.
    Hindcast(hindcast::HindcastArgs),
    /// Fit uncertain parameters to observations (approximate Bayesian computation,
    /// ABC-SMC): posterior, charts and a calibrated scenario file.
    Calibrate(calibrate::CalibrateArgs),
    /// Run every policy lever at both ends of its studied range: what it moves, and
    /// whether it moves its own outcome (`--check` fails when one does not).
    Levers(levers::LeversArgs),
    /// A local page whose controls rerun the ensemble and redraw the bands and target
    /// probabilities (127.0.0.1 only).
    Explore(explore::ExploreArgs),
}

/// Arguments of `run`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Scenario file (RON), e.g. scenarios/baseline.ron.
    pub file: PathBuf,
    /// Runs, seed, threads, output folder (default: output/<scenario name>/), overrides
    /// and quiet.
    #[command(flatten)]
    pub ensemble: EnsembleArgs,
    /// Runs whose yearly values go to metrics.csv: a number (the first N runs) or `all`.
    #[arg(long, default_value = "100")]
    pub keep_runs: KeepRuns,
    /// File format of the kept runs' rows: `csv` (metrics.csv) or `parquet`
    /// (metrics.parquet: the same rows, columnar and compressed, for pandas, polars and
    /// DuckDB; use it with `--keep-runs all`).
    #[arg(long, default_value = "csv", value_name = "csv|parquet")]
    pub format: crate::output::rows::RowFormat,
    /// Run only shard K of N (0-based, K in 0..N): the runs r with r % N == K, written
    /// as a partial folder (default output/<name>/shard-K-of-N/) for `megacluster merge`.
    /// `auto` reads SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT, or JOB_COMPLETION_INDEX
    /// with --shard-count. A complete partial folder with the same manifest is skipped.
    #[arg(long, value_name = "K/N|auto")]
    pub shard: Option<String>,
    /// Number of shards for `--shard auto` with JOB_COMPLETION_INDEX (Kubernetes).
    #[arg(long, value_name = "N")]
    pub shard_count: Option<usize>,
    /// Rerun whenever the scenario file is saved, printing changed target probabilities.
    #[arg(long)]
    pub watch: bool,
    /// Stop watching after this many reruns (for tests).
    #[arg(long, hide = true)]
    pub watch_limit: Option<usize>,
}

/// Arguments of `compare`.
#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    /// Two to eight scenario files (run now, all with the same runs and seed) or folders
    /// written by `megacluster run` (read back, not rerun); the first is the reference.
    #[arg(required = true, num_args = 1..)]
    pub inputs: Vec<PathBuf>,
    /// Runs, seed, threads, output folder, overrides and quiet.
    #[command(flatten)]
    pub ensemble: EnsembleArgs,
}

/// Ensemble options of every command that runs the model. Each number has one parser,
/// `count`, whose message says what is allowed in words.
#[derive(Debug, Clone, clap::Args)]
pub struct EnsembleArgs {
    /// Override a scenario value before running: PATH=VALUE (repeatable; `megacluster
    /// params FILE` lists paths; run folders given to `compare` are not changed).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Runs per ensemble (each scenario file, or each point of a design, is one ensemble;
    /// default: the scenario's `runs` for run, compare and hindcast, the command's own for
    /// the others).
    #[arg(long, allow_hyphen_values = true, value_parser = count("runs", MAX_RUNS))]
    pub runs: Option<u64>,
    /// Ensemble seed, the same for every ensemble (default: the (first) scenario file's
    /// `seed`).
    #[arg(long, allow_hyphen_values = true, value_parser = count("seed", u64::MAX))]
    pub seed: Option<u64>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, allow_hyphen_values = true, value_parser = count("threads", 1024))]
    pub threads: Option<u64>,
    /// Output folder (default: a folder under output/ named after the scenario and, but
    /// for run, the command).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Most runs per ensemble.
pub const MAX_RUNS: u64 = 10_000_000;

/// A parser for a whole number from 1 (0 for the seed) to `max` whose message says what
/// is allowed in words (clap's own says "invalid digit found in string" for `-1`).
fn count(what: &'static str, max: u64) -> impl Fn(&str) -> Result<u64, String> + Clone {
    move |s: &str| {
        let min = u64::from(what != "seed");
        match s.trim().parse::<u64>() {
            Ok(n) if n >= min && n <= max => Ok(n),
            _ => Err(format!(
                "`--{what}` must be a whole number from {min} to {max}{}",
                if what == "runs" && s.trim() == "0" {
                    " (at least one run)"
                } else {
                    ""
                }
            )),
        }
    }
}

/// How many runs `metrics.csv` keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeepRuns {
    /// The first N runs.
    First(usize),
    /// Every run.
    All,
}

impl std::str::FromStr for KeepRuns {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.eq_ignore_ascii_case("all") {
            return Ok(KeepRuns::All);
        }
        s.parse::<usize>()
            .map(KeepRuns::First)
            .map_err(|_| format!("`{s}` is neither a number of runs nor `all`"))
    }
}
