//! `megacluster run`: load, simulate an ensemble, print the table, write the folder.
//!
//! Kept runs stream into `metrics.csv` in run order as their chunk finishes (so
//! `--keep-runs all` does not hold every run in memory); statistics are aggregated as
//! runs finish. Everything is written into a temporary folder renamed into place only
//! when complete.

use super::request::Request;
use super::{KeepRuns, RunArgs};
use crate::error::RunError;
use crate::output::export::{self, RunFiles};
use crate::output::{rows, table, write};
use crate::sim::{EnsembleOptions, run_ensemble_streaming};
use std::path::PathBuf;
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
    let pb = super::progress::bar(runs, quiet);
    let opts = EnsembleOptions {
        runs,
        seed,
        threads: req.threads,
        keep_runs,
        progress: Some(super::progress::callback(&pb)),
    };
    let done = export::write_with(&dir, |tmp| {
        let mut rows = rows::create(tmp, &dir, args.format, &scenario, seed)?;
        let result = run_ensemble_streaming(&scenario, &opts, &mut |o| rows.write_run(&o))?;
        rows.finish()?;
        pb.finish_and_clear();
        Ok(RunFiles {
            scenario: &scenario,
            overrides: &overrides,
            result,
        })
    })?;
    let result = done.result;
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
