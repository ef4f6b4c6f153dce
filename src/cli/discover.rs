//! `megacluster discover`: scenario discovery. A Latin hypercube over the uncertain
//! parameters (or `--param` ranges), an ensemble at every point, and PRIM on the points
//! where a target fails (or is met): the box of conditions under which it does.

use super::EnsembleArgs;
use super::request::Request;
use super::shard::{self, Evaluated, ShardArgs};
use super::tune_common::{Common, evaluator};
use crate::error::RunError;
use crate::output::discover::DiscoverFolder;
use crate::output::export;
use crate::output::partial::{Kind, Spec};
use crate::tune::discover::{self, DiscoverSpec, Plan, plan};
use std::path::PathBuf;

/// Arguments of `discover`.
#[derive(Debug, clap::Args)]
pub struct DiscoverArgs {
    /// Scenario file (RON), e.g. scenarios/baseline.ron.
    pub file: PathBuf,
    /// Target name (as in the scenario's `targets`).
    #[arg(long)]
    pub target: String,
    /// Look for the conditions under which the target fails (the default).
    #[arg(long, conflicts_with = "meets")]
    pub fails: bool,
    /// Look for the conditions under which the target is met.
    #[arg(long)]
    pub meets: bool,
    /// A parameter and its range, PATH=LO..HI (repeatable; policy levers too); default:
    /// every distribution drawn once per run, over its support.
    #[arg(long = "param", value_name = "PATH=LO..HI")]
    pub params: Vec<String>,
    /// Points of the Latin hypercube.
    #[arg(long, default_value = "500", value_parser = clap::value_parser!(u64).range(10..=100_000))]
    pub points: u64,
    /// Runs at each point: a point is a case of interest when the share of its runs
    /// meeting the target is below one half (`--fails`) or at least one half (`--meets`).
    #[arg(long, visible_alias = "runs", default_value = "1", value_parser = super::count("runs-per-point", 100_000))]
    pub runs_per_point: u64,
    /// Pick the box of highest coverage whose density reaches this share (0..1);
    /// default: the last box of the peeling trajectory, as EMA Workbench and `prim` do.
    #[arg(long)]
    pub threshold: Option<f64>,
    /// Share of the box's points peeled off at each step.
    #[arg(long, default_value = "0.05")]
    pub alpha: f64,
    /// Smallest share of the points a box may hold.
    #[arg(long, default_value = "0.05")]
    pub mass_min: f64,
    /// Paste after peeling (widen the box again while that raises its density).
    #[arg(long)]
    pub paste: bool,
    /// Override a scenario value before running: PATH=VALUE (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Seed of the design and of every point's ensemble (default: the scenario's `seed`).
    #[arg(long, allow_hyphen_values = true, value_parser = super::count("seed", u64::MAX))]
    pub seed: Option<u64>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, allow_hyphen_values = true, value_parser = super::count("threads", 1024))]
    pub threads: Option<u64>,
    /// Output folder (default: output/<scenario>/discover/).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
    /// Sharding over design points.
    #[command(flatten)]
    pub shard: ShardArgs,
}

impl DiscoverArgs {
    /// What determines the design and the analysis, for a shard's manifest.
    pub fn spec(&self) -> DiscoverSpec {
        DiscoverSpec {
            target: self.target.clone(),
            meets: self.meets,
            params: self.params.clone(),
            points: self.points,
            alpha: self.alpha,
            mass_min: self.mass_min,
            paste: self.paste,
            threshold: self.threshold,
        }
    }
}

/// Runs the command; returns the output folder (a shard's partial folder with `--shard`).
pub fn run(args: &DiscoverArgs) -> Result<PathBuf, RunError> {
    let spec = args.spec();
    let shard = args.shard.parse();
    let common = Common {
        file: args.file.clone(),
        ensemble: EnsembleArgs {
            set: args.set.clone(),
            runs: Some(args.runs_per_point),
            seed: args.seed,
            threads: args.threads,
            out: args.out.clone(),
            quiet: args.quiet,
        },
    };
    let req = common.request(1, &shard::folder(Kind::Discover, &shard))?;
    let plan = plan(&req, &spec)?;
    let shard = shard?;
    if shard.is_none() {
        crate::output::write::check_target(&req.out)?;
    }
    let d = shard::Design {
        kind: Kind::Discover,
        spec: Spec::Discover(spec.clone()),
        params: plan.params.clone(),
        points: &plan.points,
    };
    let eval = |indices: &[usize]| probabilities(&req, &plan, indices);
    match shard::eval_design_with(&req, shard, &d, &eval)? {
        Evaluated::Shard(partial) => Ok(partial),
        Evaluated::All(probability) => {
            write(&req, &spec, plan, probability)?;
            Ok(req.out)
        }
    }
}

/// Writes the folder of a discovery from the target's probability at every point of
/// its shards, in point order: `megacluster merge`.
pub fn merge(req: &Request, spec: &DiscoverSpec, probability: Vec<f64>) -> Result<(), RunError> {
    let plan = plan(req, spec)?;
    shard::check_point_count(probability.len(), plan.points.len())?;
    write(req, spec, plan, probability)
}

/// Runs PRIM, writes the folder and prints what was found.
fn write(
    req: &Request,
    spec: &DiscoverSpec,
    plan: Plan,
    probability: Vec<f64>,
) -> Result<(), RunError> {
    let target = plan.target;
    let folder = DiscoverFolder {
        req,
        spec,
        target,
        d: discover::discover(plan, spec, probability)?,
    };
    export::write(&req.out, &folder)?;
    if !req.quiet {
        print!("{}", folder.message());
        println!(
            "Wrote {} (trajectory.csv, boxes.csv, points.csv, result.txt, settings.json, charts/)",
            req.out.display()
        );
    }
    Ok(())
}

/// The target's probability at the design points `indices`, in that order. The points
/// run in parallel, each ensemble on one thread ([`crate::tune::Evaluator::eval_each`]).
fn probabilities(req: &Request, plan: &Plan, indices: &[usize]) -> Result<Vec<f64>, RunError> {
    let (ev, pb) = evaluator(req, plan.params.clone(), indices.len());
    let points: Vec<Vec<f64>> = indices.iter().map(|&i| plan.points[i].clone()).collect();
    let ti = plan.target;
    let out = ev.eval_each(&points, &|s, o| {
        let r = crate::sim::run_ensemble(s, o)?.result;
        Ok(r.targets.get(ti).map_or(f64::NAN, |t| t.probability))
    })?;
    pb.finish_and_clear();
    Ok(out)
}
