//! The command line: declarations here, one file per command.

pub mod compare;
pub mod progress;
pub mod run;

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
    },
    /// List the metrics a scenario records (names for targets and CSV filters).
    Metrics {
        /// Scenario file (RON).
        file: PathBuf,
    },
}

/// Arguments of `run`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Scenario file (RON), e.g. scenarios/baseline.ron.
    pub file: PathBuf,
    /// Number of runs (default: the scenario's `runs`).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    pub runs: Option<u64>,
    /// Ensemble seed (default: the scenario's `seed`).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=1024))]
    pub threads: Option<u64>,
    /// Output folder (default: output/<scenario name>/).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Runs whose yearly values go to metrics.csv: a number (the first N runs) or `all`.
    #[arg(long, default_value = "100")]
    pub keep_runs: KeepRuns,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Arguments of `compare`.
#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    /// Two to eight scenario files (run now, all with the same runs and seed) or folders
    /// written by `megacluster run` (read back, not rerun); the first is the reference.
    #[arg(required = true, num_args = 1..)]
    pub inputs: Vec<PathBuf>,
    /// Runs of each scenario file (default: the first scenario file's `runs`).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    pub runs: Option<u64>,
    /// Seed of every scenario file's ensemble (default: the first scenario file's `seed`).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=1024))]
    pub threads: Option<u64>,
    /// Output folder (default: output/compare_<first>_vs_<second>...).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
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
