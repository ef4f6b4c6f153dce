//! `megacluster sensitivity`: ranks parameters by their influence on an outcome (the
//! ensemble mean of a metric in a year): tornado (OAT), μ*/σ (Morris) or Sobol indices.

use super::request::Request;
use super::shard::{self, Evaluated, ShardArgs};
use super::tune_common::Common;
use crate::error::RunError;
use crate::output::partial::{Kind, Spec};
use crate::output::{export, sensitivity};
use crate::tune::sensitivity::{Method, Plan, SensitivitySpec, plan};
use std::path::PathBuf;

/// Runs per ensemble when `--runs` is not given.
const DEFAULT_RUNS: usize = 50;

/// Arguments of `sensitivity`.
#[derive(Debug, clap::Args)]
pub struct SensitivityArgs {
    /// Scenario, runs, seed, output and overrides.
    #[command(flatten)]
    pub common: Common,
    /// Outcome: METRIC@YEAR, its ensemble mean (default: the first target's metric and year).
    #[arg(long)]
    pub outcome: Option<String>,
    /// Method.
    #[arg(long, value_enum, default_value = "oat")]
    pub method: Method,
    /// Parameters and ranges PATH=LO..HI (repeatable; default: every distribution in the
    /// file drawn once per run, over its support).
    #[arg(long = "param", value_name = "PATH=LO..HI")]
    pub params: Vec<String>,
    /// Morris trajectories.
    #[arg(long, default_value = "10", value_parser = clap::value_parser!(u64).range(2..=10_000))]
    pub trajectories: u64,
    /// Sobol base samples N (N (k + 2) ensembles).
    #[arg(long, default_value = "64", value_parser = clap::value_parser!(u64).range(4..=1_000_000))]
    pub samples: u64,
    /// Sharding over design points (the ensembles of the method's design).
    #[command(flatten)]
    pub shard: ShardArgs,
}

impl SensitivityArgs {
    /// What determines the design and outputs, for a shard's manifest.
    pub fn spec(&self) -> SensitivitySpec {
        SensitivitySpec {
            method: format!("{:?}", self.method).to_lowercase(),
            outcome: self.outcome.clone(),
            params: self.params.clone(),
            trajectories: (self.method == Method::Morris).then_some(self.trajectories),
            samples: (self.method == Method::Sobol).then_some(self.samples),
        }
    }
}

/// Runs the command; returns the output folder (a shard's partial folder with `--shard`).
pub fn run(args: &SensitivityArgs) -> Result<PathBuf, RunError> {
    let shard = args.shard.parse();
    let req = (args.common).request(DEFAULT_RUNS, &shard::folder(Kind::Sensitivity, &shard))?;
    let spec = args.spec();
    let plan = plan(&req.scenario, &spec, req.seed)?;
    let shard = shard?;
    if shard.is_none() {
        crate::output::write::check_target(&req.out)?;
    }
    let d = shard::Design {
        kind: Kind::Sensitivity,
        spec: Spec::Sensitivity(spec),
        params: plan.params.clone(),
        points: &plan.points,
    };
    let outcome = plan.outcome.clone();
    match shard::eval_design(&req, shard, &d, &|r| outcome.value(&r))? {
        Evaluated::Shard(partial) => Ok(partial),
        Evaluated::All(ys) => {
            write(&req, &plan, &ys)?;
            Ok(req.out)
        }
    }
}

/// Writes the folder of a sensitivity analysis from the outcomes of its shards, in
/// point order: `megacluster merge`.
pub fn merge(req: &Request, spec: &SensitivitySpec, ys: &[f64]) -> Result<(), RunError> {
    let plan = plan(&req.scenario, spec, req.seed)?;
    shard::check_point_count(ys.len(), plan.points.len())?;
    write(req, &plan, ys)
}

/// Writes the folder and prints the ranking.
fn write(req: &Request, plan: &Plan, ys: &[f64]) -> Result<(), RunError> {
    let ranking = sensitivity::ranking(req, plan, ys);
    export::write(&req.out, &ranking)?;
    if !req.quiet {
        println!(
            "Influence on {} ({:?}, {} parameters):",
            plan.outcome.label(),
            plan.method,
            plan.params.len()
        );
        for l in ranking.lines.iter().take(25) {
            println!("  {l}");
        }
        println!(
            "Wrote {} (ranking.csv, design.csv, settings.json, charts/)",
            req.out.display()
        );
    }
    Ok(())
}
