//! `megacluster run`: load, simulate an ensemble, print the table, write the folder.
//!
//! Kept runs stream into `metrics.csv` in run order as their chunk finishes (so
//! `--keep-runs all` does not hold every run in memory); statistics are aggregated as
//! runs finish. Everything is written into a temporary folder renamed into place only
//! when complete.

use super::{KeepRuns, RunArgs};
use crate::error::RunError;
use crate::model::catalog;
use crate::output::csv_out::MetricsCsv;
use crate::output::{charts, csv_out, summary, table, write};
use crate::scenario::paths;
use crate::sim::{EnsembleOptions, run_ensemble_streaming};
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
    let tmp = write::begin(&dir)?;
    let csv_path = tmp.path().join("metrics.csv");
    let csv_err = |e: &dyn std::fmt::Display| RunError::Output {
        path: dir.join("metrics.csv"),
        message: e.to_string(),
    };
    let file = std::fs::File::create(&csv_path).map_err(|e| csv_err(&e))?;
    let years: Vec<i32> = (scenario.start_year..=scenario.end_year).collect();
    let mut csv = MetricsCsv::new(
        std::io::BufWriter::with_capacity(1 << 16, file),
        seed,
        &years,
        catalog::metric_names(&scenario),
    )
    .map_err(|e| csv_err(&e))?;
    let pb = super::progress::bar(runs, args.quiet);
    let opts = EnsembleOptions {
        runs,
        seed,
        threads: args.threads.map_or(0, |t| t as usize),
        keep_runs,
        progress: Some(super::progress::callback(&pb)),
    };
    let result = run_ensemble_streaming(&scenario, &opts, &mut |o| {
        csv.write_run(&o).map_err(|e| csv_err(&e))
    })?;
    csv.finish().map_err(|e| csv_err(&e))?;
    pb.finish_and_clear();
    let files: write::Files = vec![
        (
            "summary.json".into(),
            paths::add_overrides_to_summary(summary::to_json(&result), &overrides),
        ),
        ("percentiles.csv".into(), csv_out::percentiles_csv(&result)),
    ];
    write::put(tmp.path(), &files)?;
    charts::render_all(&result, &tmp.path().join("charts")).map_err(|e| RunError::Output {
        path: dir.join("charts"),
        message: e.to_string(),
    })?;
    // result.json and scenario.ron (read back by `compare`) and report.html.
    crate::output::run_report::write_extras(&scenario, &result, tmp.path())?;
    write::commit(tmp, &dir)?;
    if !args.quiet {
        println!("{}", table::render(&result));
        println!(
            "Wrote {} (summary.json, metrics.csv with {} of {} runs, percentiles.csv, charts/)",
            dir.display(),
            keep_runs,
            runs
        );
    }
    Ok(dir)
}
