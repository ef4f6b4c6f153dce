//! `megacluster run`: load, simulate an ensemble, print the table, write the folder.
//!
//! Kept runs stream into `metrics.csv` in run order as their chunk finishes (so
//! `--keep-runs all` does not hold every run in memory); statistics are aggregated as
//! runs finish. Everything is written into a temporary folder renamed into place only
//! when complete.

use super::request::Request;
use super::{KeepRuns, RunArgs};
use crate::error::RunError;
use crate::output::{charts, csv_out, rows, summary, table, write};
use crate::scenario::Scenario;
use crate::scenario::paths::Override;
use crate::sim::results::EnsembleResult;
use crate::sim::{EnsembleOptions, run_ensemble_streaming};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Runs the command; returns the output folder.
pub fn run(args: &RunArgs) -> Result<PathBuf, RunError> {
    if args.shard.is_some() {
        if args.format != rows::RowFormat::Csv {
            return Err(RunError::Usage(
                "a shard keeps its runs' rows as CSV for merging: drop --format here and give `--format parquet` to `megacluster merge`".into(),
            ));
        }
        return super::shard::run(args);
    }
    let req = Request::load(&args.file, &args.ensemble, None, |s| PathBuf::from(&s.name))?;
    let (runs, seed, dir, quiet) = (req.runs, req.seed, req.out, req.quiet);
    let (scenario, overrides) = (Arc::new(req.scenario), req.overrides);
    write::check_target(&dir)?;
    let keep_runs = match args.keep_runs {
        KeepRuns::All => runs,
        KeepRuns::First(n) => n.min(runs),
    };
    let tmp = write::begin(&dir)?;
    let mut rows = rows::create(tmp.path(), &dir, args.format, &scenario, seed)?;
    let pb = super::progress::bar(runs, quiet);
    let opts = EnsembleOptions {
        runs,
        seed,
        threads: req.threads,
        keep_runs,
        progress: Some(super::progress::callback(&pb)),
    };
    let result = run_ensemble_streaming(&scenario, &opts, &mut |o| rows.write_run(&o))?;
    rows.finish()?;
    pb.finish_and_clear();
    write_result_files(&scenario, &overrides, &result, tmp.path(), &dir)?;
    write::commit(tmp, &dir)?;
    if !quiet {
        println!("{}", table::render(&result));
        println!(
            "Wrote {} (summary.json, {} with {} of {} runs, percentiles.csv, charts/)",
            dir.display(),
            args.format.file_name(),
            keep_runs,
            runs
        );
    }
    Ok(dir)
}

/// Writes every file of a run folder except `metrics.csv` (summary.json,
/// percentiles.csv, charts/, result.json, scenario.ron, report.html) into `tmp`, the
/// temporary folder of `dir`. Shared by `run` and `merge`, so both write the same bytes.
pub fn write_result_files(
    scenario: &Scenario,
    overrides: &[Override],
    result: &EnsembleResult,
    tmp: &Path,
    dir: &Path,
) -> Result<(), RunError> {
    let files: write::Files = vec![
        ("summary.json".into(), summary::to_json(result, overrides)),
        ("percentiles.csv".into(), csv_out::percentiles_csv(result)),
    ];
    write::put(tmp, &files)?;
    charts::render_all(result, &tmp.join("charts")).map_err(|e| RunError::Output {
        path: dir.join("charts"),
        message: e.to_string(),
    })?;
    // result.json and scenario.ron (read back by `compare`) and report.html.
    crate::output::run_report::write_extras(scenario, result, tmp)
}
