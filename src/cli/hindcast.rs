//! `megacluster hindcast`: run an ensemble and score it against observations.

use super::request::Request;
use crate::error::RunError;
use crate::output::export::{self, RunFiles};
use crate::output::hindcast::{self, HindcastFiles};
use crate::output::rows::{self, RowFormat};
use crate::output::write;
use crate::sim::EnsembleOptions;
use crate::sim::hindcast::Plan;
use crate::sim::observed;
use std::path::PathBuf;
use std::sync::Arc;

/// Arguments of `hindcast`.
#[derive(Debug, clap::Args)]
pub struct HindcastArgs {
    /// Scenario file (RON), e.g. scenarios/baseline.ron.
    pub file: PathBuf,
    /// Observations (CSV; the format is in data/README.md).
    #[arg(long, default_value = "data/observed.csv")]
    pub observed: PathBuf,
    /// Report observations of metrics the scenario does not record as "not modelled"
    /// instead of stopping with an error.
    #[arg(long)]
    pub skip_unknown: bool,
    /// Runs, seed, threads, output folder, overrides and quiet.
    #[command(flatten)]
    pub ensemble: super::EnsembleArgs,
}

/// Runs the command; returns the output folder.
pub fn run(args: &HindcastArgs) -> Result<PathBuf, RunError> {
    let e = &args.ensemble;
    let req = Request::load(&args.file, e, None, |s| {
        PathBuf::from(format!("hindcast_{}", s.name))
    })?;
    let (scenario, overrides, runs, seed, dir) =
        (req.scenario, req.overrides, req.runs, req.seed, req.out);
    let obs = observed::read_file(&args.observed)?;
    let plan = Plan::new(&scenario, obs, args.skip_unknown).map_err(|mut p| {
        p.push("use --skip-unknown to report such rows as not modelled and go on".into());
        RunError::Input {
            path: args.observed.clone(),
            message: p.join("\n  "),
        }
    })?;
    let scenario = Arc::new(scenario);
    write::check_target(&dir)?;
    let pb = super::progress::bar(runs, e.quiet);
    let opts = EnsembleOptions {
        runs,
        seed,
        threads: req.threads,
        keep_runs: 100.min(runs),
        progress: Some(super::progress::callback(&pb)),
    };
    let done = export::write_with(&dir, |tmp| {
        let mut rows = rows::create(tmp, &dir, RowFormat::Csv, &scenario, seed)?;
        let (result, scores) =
            crate::sim::hindcast::run(&scenario, &plan, &opts, &mut |o| rows.write_run(&o))?;
        rows.finish()?;
        pb.finish_and_clear();
        Ok(HindcastFiles {
            run: RunFiles {
                scenario: &scenario,
                overrides: &overrides,
                result,
            },
            scores,
        })
    })?;
    let scores = done.scores;
    if !e.quiet {
        println!(
            "megacluster hindcast · scenario `{}` · {} runs · seed {} · {}\n",
            scenario.name,
            runs,
            seed,
            args.observed.display()
        );
        print!("{}", hindcast::render_table(&scores));
        println!(
            "Wrote {} (hindcast.csv, report.html, charts/hindcast_*)",
            dir.display()
        );
    }
    Ok(dir)
}
