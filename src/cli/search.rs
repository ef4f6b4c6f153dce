//! `megacluster search`: the lowest lever value at which a target is met with at least a
//! given probability, by bisection with common random numbers.

use super::tune_common::{Common, evaluator};
use crate::error::RunError;
use crate::output::export;
use crate::output::search::SearchFolder;
use crate::tune::search;
use crate::tune::{find_target, parse_range};
use std::path::PathBuf;

/// Runs per ensemble when `--runs` is not given.
const DEFAULT_RUNS: usize = 200;

/// Arguments of `search`.
#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// Scenario, runs, seed, output and overrides.
    #[command(flatten)]
    pub common: Common,
    /// The lever and its range: PATH=LO..HI.
    #[arg(long, value_name = "PATH=LO..HI")]
    pub lever: String,
    /// Target name (as in the scenario's `targets`).
    #[arg(long)]
    pub target: String,
    /// Probability the target must reach (0..1).
    #[arg(long)]
    pub probability: f64,
    /// Stop when the bracket is narrower than this (default: 1/100 of the range).
    #[arg(long)]
    pub tolerance: Option<f64>,
    /// Most bisection steps.
    #[arg(long, default_value = "10")]
    pub max_steps: usize,
}

/// Runs the command; returns the output folder.
pub fn run(args: &SearchArgs) -> Result<PathBuf, RunError> {
    if !(0.0..=1.0).contains(&args.probability) {
        return Err(RunError::Usage(format!(
            "--probability {} must be between 0 and 1",
            args.probability
        )));
    }
    let req = args.common.request(DEFAULT_RUNS, "search")?;
    let s = &req.scenario;
    let lever = parse_range(s, &args.lever)?;
    let ti = find_target(s, &args.target)?;
    let tname = s.targets[ti].name.clone();
    let tol = args
        .tolerance
        .unwrap_or((lever.hi - lever.lo) / 100.0)
        .max(1e-12);
    let dir = &req.out;
    crate::output::write::check_target(dir)?;
    let (ev, pb) = evaluator(&req, vec![lever.clone()], args.max_steps + 2);
    let res = search::run(&ev, ti, args.probability, tol, args.max_steps)?;
    pb.finish_and_clear();
    let folder = SearchFolder {
        req: &req,
        ev: &ev,
        lever: &lever,
        target: &tname,
        probability: args.probability,
        tolerance: tol,
        res: &res,
    };
    export::write(dir, &folder)?;
    if !req.quiet {
        println!("{}", folder.message());
        println!(
            "Wrote {} (search.csv, result.txt, settings.json, charts/search_curve)",
            dir.display()
        );
    }
    Ok(req.out)
}
