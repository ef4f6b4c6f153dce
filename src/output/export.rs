//! The one way a command writes its folder. An [`Export`] puts its files into the
//! temporary folder of the target; [`write`] (or [`write_with`], when files stream in
//! while the command runs) makes the folder appear complete or not at all (see
//! [`super::write`]). `run` and `merge` export a run folder, `compare` a comparison,
//! `sweep`, `sensitivity`, `search`, `discover`, `levers`, `optimize` and `calibrate`
//! their files and charts; `merge` writes each command's folder through the same exporter
//! as the command itself, so the bytes agree.

use super::charts::{self, Chart};
use super::write::{self, Files, out_err};
use crate::error::RunError;
use crate::scenario::Scenario;
use crate::scenario::paths::Override;
use crate::sim::Request;
use crate::sim::results::EnsembleResult;
use crate::tune::Evaluator;
use std::path::Path;

/// Something that writes the files of an output folder.
pub trait Export {
    /// Writes the files into `tmp`, the temporary folder of `dir` (`dir` names the files
    /// in errors).
    fn write_into(&self, tmp: &Path, dir: &Path) -> Result<(), RunError>;
}

/// Writes the folder `dir` of `e` atomically.
pub fn write(dir: &Path, e: &dyn Export) -> Result<(), RunError> {
    write_with(dir, |_| Ok(e)).map(|_| ())
}

/// Writes the folder `dir` atomically: `stream` writes into the temporary folder first
/// (rows of runs as they finish) and returns the exporter of the rest, which is returned
/// once the folder is in place.
pub fn write_with<E: Export>(
    dir: &Path,
    stream: impl FnOnce(&Path) -> Result<E, RunError>,
) -> Result<E, RunError> {
    let tmp = write::begin(dir)?;
    let e = stream(tmp.path())?;
    e.write_into(tmp.path(), dir)?;
    write::commit(tmp, dir)?;
    Ok(e)
}

impl<E: Export + ?Sized> Export for &E {
    fn write_into(&self, tmp: &Path, dir: &Path) -> Result<(), RunError> {
        (**self).write_into(tmp, dir)
    }
}

/// Files as they are.
impl Export for Files {
    fn write_into(&self, tmp: &Path, _dir: &Path) -> Result<(), RunError> {
        write::put(tmp, self)
    }
}

/// Files and the charts drawn into `charts/` by a function: the folder of a tuning
/// command.
pub struct Folder<'a> {
    /// Files at the top of the folder.
    pub files: &'a Files,
    /// Draws the charts into the folder it is given.
    pub charts: &'a dyn Fn(&Path) -> Result<(), RunError>,
}

impl Export for Folder<'_> {
    fn write_into(&self, tmp: &Path, _dir: &Path) -> Result<(), RunError> {
        write::put(tmp, self.files)?;
        (self.charts)(&tmp.join("charts"))
    }
}

/// A run folder's files besides the kept runs' rows: summary.json, percentiles.csv,
/// charts/, result.json and scenario.ron (read back by `compare`) and report.html.
/// `run`, `hindcast` and `merge` write it, so all three write the same bytes.
pub struct RunFiles<'a> {
    /// The scenario as run.
    pub scenario: &'a Scenario,
    /// Its `--set` overrides.
    pub overrides: &'a [Override],
    /// The ensemble's result.
    pub result: EnsembleResult,
}

impl Export for RunFiles<'_> {
    fn write_into(&self, tmp: &Path, dir: &Path) -> Result<(), RunError> {
        let files: Files = vec![
            (
                "summary.json".into(),
                super::summary::to_json(&self.result, self.overrides),
            ),
            (
                "percentiles.csv".into(),
                super::csv_out::percentiles_csv(&self.result),
            ),
        ];
        write::put(tmp, &files)?;
        charts::render_all(&self.result, &tmp.join("charts"))
            .map_err(|e| out_err(&dir.join("charts"), e))?;
        super::run_report::write_extras(self.scenario, &self.result, tmp)
    }
}

/// Renders charts into `dir` (PNG and SVG each).
pub fn put_charts<C: Chart + Sync>(list: &[C], dir: &Path) -> Result<(), RunError> {
    std::fs::create_dir_all(dir).map_err(|e| out_err(dir, e))?;
    for c in list {
        charts::write_chart(c, dir).map_err(|e| out_err(&dir.join(c.stem()), e))?;
    }
    Ok(())
}

/// `settings.json` of a tuning command: what was run, for reproducing it.
pub fn settings_json(
    command: &str,
    req: &Request,
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
        "scenario": req.scenario.name,
        "file": req.name,
        "seed": ev.seed,
        "runs_per_ensemble": ev.runs,
        "version": env!("CARGO_PKG_VERSION"),
        "overrides": req.overrides,
        "parameters": params,
        "settings": extra,
    });
    let mut out = serde_json::to_vec_pretty(&v).unwrap_or_default();
    out.push(b'\n');
    out
}
