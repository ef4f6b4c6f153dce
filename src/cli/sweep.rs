//! `megacluster sweep`: an ensemble at each point of a grid or Latin hypercube over
//! parameters; `sweep.csv` and charts (line with bands, heat map, per-parameter scatters).

use super::request::Request;
use super::shard::{self, Evaluated, ShardArgs};
use super::tune_common::Common;
use crate::error::RunError;
use crate::output::export;
use crate::output::partial::{Kind, Spec};
use crate::output::sweep::SweepFolder;
use crate::sim::results::EnsembleResult;
use crate::tune::sweep::{self, Design, Plan, SweepPoint, SweepSpec, plan};
use crate::tune::{ParamRange, precise};
use std::path::PathBuf;

/// Runs per point when `--runs` is not given.
const DEFAULT_RUNS: usize = 200;

/// Arguments of `sweep`.
#[derive(Debug, clap::Args)]
pub struct SweepArgs {
    /// Scenario, runs, seed, output and overrides.
    #[command(flatten)]
    pub common: Common,
    /// A parameter and its range: PATH=LO..HI:STEPS (repeatable; STEPS defaults to 5).
    #[arg(long = "param", value_name = "PATH=LO..HI:STEPS", required = true)]
    pub params: Vec<String>,
    /// Design over the parameters.
    #[arg(long, value_enum, default_value = "grid")]
    pub design: Design,
    /// Points of a Latin hypercube design.
    #[arg(long, default_value = "20", value_parser = clap::value_parser!(u64).range(2..=100_000))]
    pub samples: u64,
    /// Target whose probability the heat map and per-parameter charts show (default: the first).
    #[arg(long)]
    pub target: Option<String>,
    /// Sharding over design points.
    #[command(flatten)]
    pub shard: ShardArgs,
}

impl SweepArgs {
    /// What determines the design and outputs, for a shard's manifest.
    pub fn spec(&self) -> SweepSpec {
        SweepSpec {
            params: self.params.clone(),
            design: format!("{:?}", self.design).to_lowercase(),
            samples: (self.design == Design::Lhs).then_some(self.samples),
            target: self.target.clone(),
        }
    }
}

/// Runs the command; returns the output folder (a shard's partial folder with `--shard`).
pub fn run(args: &SweepArgs) -> Result<PathBuf, RunError> {
    let shard = args.shard.parse();
    let req = (args.common).request(DEFAULT_RUNS, &shard::folder(Kind::Sweep, &shard))?;
    let spec = args.spec();
    let plan = plan(&req.scenario, &spec, req.seed)?;
    let shard = shard?;
    if shard.is_none() {
        crate::output::write::check_target(&req.out)?;
    }
    let d = shard::Design {
        kind: Kind::Sweep,
        spec: Spec::Sweep(spec),
        params: plan.params.clone(),
        points: &plan.points,
    };
    match shard::eval_design(&req, shard, &d, &sweep::trim)? {
        Evaluated::Shard(partial) => Ok(partial),
        Evaluated::All(results) => {
            write(&req, &plan, results)?;
            Ok(req.out)
        }
    }
}

/// Writes the folder of a sweep from the (trimmed) results of its shards, in point
/// order: `megacluster merge`.
pub fn merge(
    req: &Request,
    spec: &SweepSpec,
    results: Vec<EnsembleResult>,
) -> Result<(), RunError> {
    let plan = plan(&req.scenario, spec, req.seed)?;
    shard::check_point_count(results.len(), plan.points.len())?;
    write(req, &plan, results)
}

/// Writes the folder and says what it holds.
fn write(req: &Request, plan: &Plan, results: Vec<EnsembleResult>) -> Result<(), RunError> {
    let folder = SweepFolder::new(req, plan, results);
    export::write(&req.out, &folder)?;
    if !req.quiet {
        print_table(&plan.params, &folder.points, plan.target);
        println!(
            "Wrote {} (sweep.csv and design.csv with {} points x {} runs, settings.json, charts/)",
            req.out.display(),
            folder.points.len(),
            req.runs
        );
    }
    Ok(())
}

fn print_table(params: &[ParamRange], results: &[SweepPoint], target: Option<usize>) {
    let Some(t) = target else { return };
    let name = results
        .first()
        .and_then(|r| r.result.targets.get(t))
        .map_or(String::new(), |t| t.name.clone());
    let head: Vec<String> = params.iter().map(|p| p.path.clone()).collect();
    println!("{}  P({name})", head.join("  "));
    for r in results.iter().take(60) {
        let vals: Vec<String> = r
            .values
            .iter()
            .zip(&head)
            .map(|(v, h)| format!("{:>w$}", precise(*v), w = h.len()))
            .collect();
        let p = r.result.targets.get(t).map_or(0.0, |t| t.probability);
        println!("{}  {:>6}", vals.join("  "), crate::numbers::probability(p));
    }
    if results.len() > 60 {
        println!("... {} more points in sweep.csv", results.len() - 60);
    }
}
