//! `megacluster run`: load, simulate an ensemble, print the table, write the folder.

use super::{KeepRuns, RunArgs};
use crate::error::RunError;
use crate::output::{charts, csv_out, summary, table, write};
use crate::scenario::paths;
use crate::sim::{EnsembleOptions, run_ensemble};
use std::path::PathBuf;
use std::sync::Arc;

/// Runs the command; returns the output folder.
pub fn run(args: &RunArgs) -> Result<PathBuf, RunError> {
    let (scenario, overrides, _) = paths::load_with_overrides(&args.file, &args.set)?;
    let scenario = Arc::new(scenario);
    let runs = args.runs.map_or(scenario.runs, |r| r as usize);
    let seed = args.seed.unwrap_or(scenario.seed);
    let dir = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join(&scenario.name));
    write::check_target(&dir)?;
    let keep_runs = match args.keep_runs {
        KeepRuns::All => runs,
        KeepRuns::First(n) => n.min(runs),
    };
    let pb = super::progress::bar(runs, args.quiet);
    let opts = EnsembleOptions {
        runs,
        seed,
        threads: args.threads.map_or(0, |t| t as usize),
        keep_runs,
        progress: Some(super::progress::callback(&pb)),
    };
    let ens = run_ensemble(&scenario, &opts)?;
    pb.finish_and_clear();
    let tmp = write::begin(&dir)?;
    let files: write::Files = vec![
        (
            "summary.json".into(),
            paths::add_overrides_to_summary(summary::to_json(&ens.result), &overrides),
        ),
        (
            "percentiles.csv".into(),
            csv_out::percentiles_csv(&ens.result),
        ),
        (
            "metrics.csv".into(),
            csv_out::metrics_csv(&ens.result, &ens.kept),
        ),
    ];
    write::put(tmp.path(), &files)?;
    charts::render_all(&ens.result, &tmp.path().join("charts")).map_err(|e| RunError::Output {
        path: dir.join("charts"),
        message: e.to_string(),
    })?;
    // result.json and scenario.ron (read back by `compare`) and report.html.
    crate::output::run_report::write_extras(&scenario, &ens.result, tmp.path())?;
    write::commit(tmp, &dir)?;
    if !args.quiet {
        println!("{}", table::render(&ens.result));
        println!(
            "Wrote {} (summary.json, metrics.csv with {} of {} runs, percentiles.csv, charts/)",
            dir.display(),
            keep_runs,
            runs
        );
    }
    Ok(dir)
}
