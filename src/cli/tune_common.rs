//! Options shared by `sweep`, `sensitivity` and `search`, and their common steps.

use super::EnsembleArgs;
use crate::error::RunError;
use crate::output::charts::{self, Chart};
use crate::output::write;
use crate::scenario::Scenario;
use crate::scenario::paths::{self, Override};
use crate::tune::Evaluator;
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

/// A loaded scenario with its overrides and text.
pub struct Loaded {
    /// The scenario after `--set`.
    pub scenario: Scenario,
    /// The overrides.
    pub overrides: Vec<Override>,
    /// The file's text.
    pub text: String,
    /// The file's name for messages.
    pub name: String,
}

impl Common {
    /// Loads the file and applies `--set`.
    pub fn load(&self) -> Result<Loaded, RunError> {
        let (scenario, overrides, text) =
            paths::load_with_overrides(&self.file, &self.ensemble.set)?;
        Ok(Loaded {
            scenario,
            overrides,
            text,
            name: self.file.display().to_string(),
        })
    }

    /// The output folder: `--out` or output/<scenario>/<command>.
    pub fn dir(&self, s: &Scenario, command: &str) -> PathBuf {
        self.ensemble
            .out
            .clone()
            .unwrap_or_else(|| PathBuf::from("output").join(&s.name).join(command))
    }

    /// Runs per ensemble and seed: `--runs` (else `default_runs`) and `--seed` (else the
    /// scenario's).
    pub fn runs_seed(&self, s: &Scenario, default_runs: usize) -> (usize, u64) {
        (
            self.ensemble.runs.map_or(default_runs, |r| r as usize),
            self.ensemble.seed.unwrap_or(s.seed),
        )
    }

    /// An evaluator with this command's runs, seed, threads and a progress bar over
    /// `ensembles` ensembles.
    pub fn evaluator<'a>(
        &self,
        l: &'a Loaded,
        params: Vec<crate::tune::ParamRange>,
        default_runs: usize,
        ensembles: usize,
    ) -> (Evaluator<'a>, super::progress::Progress) {
        let (runs, seed) = self.runs_seed(&l.scenario, default_runs);
        let mut ev = Evaluator::new(&l.scenario, params, runs, seed, &l.text, &l.name);
        ev.threads = self.ensemble.threads.map_or(0, |t| t as usize);
        let pb = super::progress::bar(runs * ensembles.max(1), self.ensemble.quiet);
        ev.progress = Some(super::progress::callback(&pb));
        (ev, pb)
    }
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
    l: &Loaded,
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
