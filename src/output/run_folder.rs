//! The files that let a run folder be read back without rerunning it: `result.json`
//! (the whole ensemble result) and `scenario.ron` (the scenario as run, every default
//! written out), and reading them again for `megacluster compare`.

use crate::error::RunError;
use crate::scenario::{Scenario, load_str};
use crate::sim::results::EnsembleResult;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// File name of the whole result.
pub const RESULT_FILE: &str = "result.json";
/// File name of the scenario as run.
pub const SCENARIO_FILE: &str = "scenario.ron";
/// Version of the `result.json` layout; bumped when a reader could misread an older one.
pub const FORMAT: u32 = 1;

/// `result.json`: the layout version, the program version and the result.
#[derive(Debug, Serialize, Deserialize)]
struct ResultFile {
    format: u32,
    megacluster: String,
    result: EnsembleResult,
}

/// `result.json` bytes.
pub fn result_json(r: &EnsembleResult) -> Vec<u8> {
    let file = ResultFile {
        format: FORMAT,
        megacluster: env!("CARGO_PKG_VERSION").into(),
        result: r.clone(),
    };
    let mut v = serde_json::to_vec(&file).unwrap_or_default();
    v.push(b'\n');
    v
}

pub use crate::scenario::load::scenario_ron;

/// A run folder read back.
#[derive(Debug, Clone)]
pub struct RunFolder {
    /// The folder.
    pub dir: PathBuf,
    /// The ensemble result.
    pub result: EnsembleResult,
    /// The scenario as run; `None` when `scenario.ron` is missing.
    pub scenario: Option<Scenario>,
}

fn folder_err(path: &Path, message: impl Into<String>) -> RunError {
    RunError::Input {
        path: path.to_owned(),
        message: message.into(),
    }
}

/// Reads a folder written by `megacluster run`.
pub fn read(dir: &Path) -> Result<RunFolder, RunError> {
    let path = dir.join(RESULT_FILE);
    let bytes = std::fs::read(&path).map_err(|e| {
        if dir.join("summary.json").is_file() {
            folder_err(
                dir,
                format!(
                    "this run folder has no {RESULT_FILE} (it was written by an older megacluster); run the scenario again with `megacluster run`"
                ),
            )
        } else {
            folder_err(
                &path,
                format!("not a run folder written by `megacluster run` ({e})"),
            )
        }
    })?;
    let file: ResultFile = serde_json::from_slice(&bytes)
        .map_err(|e| folder_err(&path, format!("cannot read the result: {e}")))?;
    if file.format != FORMAT {
        return Err(folder_err(
            &path,
            format!(
                "written in result format {} by megacluster {}; this megacluster reads format {FORMAT}: run the scenario again",
                file.format, file.megacluster
            ),
        ));
    }
    check_shape(&file.result).map_err(|m| folder_err(&path, m))?;
    let scenario_path = dir.join(SCENARIO_FILE);
    let scenario = match std::fs::read_to_string(&scenario_path) {
        Ok(text) => Some(load_str(&text, &scenario_path.display().to_string())?),
        Err(_) => None,
    };
    Ok(RunFolder {
        dir: dir.to_owned(),
        result: file.result,
        scenario,
    })
}

/// Checks that the statistics have one row per metric and one entry per year, so no
/// chart can misalign them.
fn check_shape(r: &EnsembleResult) -> Result<(), String> {
    if r.stats.len() != r.metrics.len() {
        return Err(format!(
            "{} metrics but statistics for {}",
            r.metrics.len(),
            r.stats.len()
        ));
    }
    if let Some((m, _)) = r
        .stats
        .iter()
        .enumerate()
        .find(|(_, s)| s.len() != r.years.len())
    {
        return Err(format!(
            "metric `{}` has {} years of statistics for {} simulated years",
            r.metrics[m].name,
            r.stats[m].len(),
            r.years.len()
        ));
    }
    if r.years.windows(2).any(|w| w[1] <= w[0]) {
        return Err("years are not in increasing order".into());
    }
    if let Some(t) = r
        .targets
        .iter()
        .find(|t| t.probability_by_year.len() != r.years.len())
    {
        return Err(format!(
            "target `{}` has probabilities for {} years, not {}",
            t.name,
            t.probability_by_year.len(),
            r.years.len()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scenario_ron_reads_back_equal_for_every_shipped_scenario() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let mut n = 0;
        for e in std::fs::read_dir(dir).unwrap() {
            let path = e.unwrap().path();
            if path.extension().is_none_or(|x| x != "ron") {
                continue;
            }
            let s = crate::scenario::load_file(&path).unwrap();
            let text = String::from_utf8(scenario_ron(&s)).unwrap();
            let again = load_str(&text, "scenario.ron")
                .unwrap_or_else(|e| panic!("{}: {e}\n{text}", path.display()));
            assert_eq!(again, s, "{}", path.display());
            n += 1;
        }
        assert!(n >= 3);
    }

    #[test]
    fn folders_that_are_not_run_folders_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let e = read(tmp.path()).unwrap_err().to_string();
        assert!(e.contains("not a run folder"), "{e}");
        std::fs::write(tmp.path().join(RESULT_FILE), b"{\"format\": 99}").unwrap();
        let e = read(tmp.path()).unwrap_err().to_string();
        assert!(e.contains("cannot read the result"), "{e}");
    }
}
