//! Options shared by `sweep`, `sensitivity` and `search`, and their common steps.

use super::EnsembleArgs;
use super::request::Request;
use crate::error::RunError;
use crate::output::charts::{self, Chart};
use crate::output::write;
use crate::tune::{Evaluator, ParamRange};
use std::path::{Path, PathBuf};

/// Options of every tuning command.
#[derive(Debug, Clone, clap::Args)]
pub struct Common {
    /// Scenario file (RON), e.g. scenarios/baseline.ron.
    pub file: PathBuf,
    /// Runs, seed, threads, output folder, overrides and quiet.
    #[command(flatten)]
    pub ensemble: EnsembleArgs,
}

impl Common {
    /// The request: the file with `--set`, `--runs` else `default_runs`, `--out` else
    /// output/<scenario>/<folder>.
    pub fn request(&self, default_runs: usize, folder: &str) -> Result<Request, RunError> {
        Request::load(&self.file, &self.ensemble, Some(default_runs), |s| {
            Path::new(&s.name).join(folder)
        })
    }
}

/// An evaluator of `params` for `req`, with a progress bar over `ensembles` ensembles.
pub fn evaluator(
    req: &Request,
    params: Vec<ParamRange>,
    ensembles: usize,
) -> (Evaluator<'_>, super::progress::Progress) {
    let mut ev = req.evaluator(params);
    let pb = super::progress::bar(req.runs * ensembles.max(1), req.quiet);
    ev.progress = Some(super::progress::callback(&pb));
    (ev, pb)
}

/// Renders charts into `dir` (PNG and SVG each).
pub fn put_charts<C: Chart + Sync>(list: &[C], dir: &Path) -> Result<(), RunError> {
    std::fs::create_dir_all(dir).map_err(|e| RunError::Output {
        path: dir.to_owned(),
        message: e.to_string(),
    })?;
    for c in list {
        charts::write_chart(c, dir).map_err(|e| RunError::Output {
            path: dir.join(c.stem()),
            message: e.to_string(),
        })?;
    }
    Ok(())
}

/// Writes `files` and the charts drawn by `draw` into `dir` atomically.
pub fn write_folder(
    dir: &Path,
    files: &write::Files,
    draw: &dyn Fn(&Path) -> Result<(), RunError>,
) -> Result<(), RunError> {
    let tmp = write::begin(dir)?;
    write::put(tmp.path(), files)?;
    draw(&tmp.path().join("charts"))?;
    write::commit(tmp, dir)
}

/// `settings.json`: what was run, for reproducing it.
pub fn settings_json(
    command: &str,
    l: &Request,
    ev: &Evaluator,
    extra: serde_json::Value,
) -> Vec<u8> {
    let params: Vec<serde_json::Value> = ev
        .params
        .iter()
        .map(|p| serde_json::json!({"path": p.path, "lo": p.lo, "hi": p.hi, "base": p.base}))
        .collect();
    let v = serde_json::json!({
        "command": command,
        "scenario": l.scenario.name,
        "file": l.name,
        "seed": ev.seed,
        "runs_per_ensemble": ev.runs,
        "version": env!("CARGO_PKG_VERSION"),
        "overrides": l.overrides,
        "parameters": params,
        "settings": extra,
    });
    let mut out = serde_json::to_vec_pretty(&v).unwrap_or_default();
    out.push(b'\n');
    out
}
