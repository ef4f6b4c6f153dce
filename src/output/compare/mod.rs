//! Comparing scenarios: ensembles of several scenarios (run now or read back from run
//! folders) turned into overlay charts, side-by-side target tables with Monte Carlo
//! noise, a parameter diff, tidy CSV and one self-contained `report.html`.
//!
//! One file per job: [`check`] decides whether the inputs can be compared and notes
//! what differs in shape, [`stats`] the intervals, [`targets`] the target table,
//! [`diff`] the parameter diff, [`csv_out`] the CSV files, [`report`] the HTML page
//! and [`files`] puts everything together.

pub mod check;
pub mod csv_out;
pub mod diff;
pub mod files;
pub mod headline;
pub mod report;
pub use crate::sim::stats;
pub mod targets;

use super::charts::overlay::Entry;
use crate::scenario::Scenario;
use crate::sim::results::EnsembleResult;
use std::path::PathBuf;

/// Where a compared scenario came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A scenario file, run for this comparison.
    File(PathBuf),
    /// A folder written by `megacluster run`, read back.
    Folder(PathBuf),
}

impl Source {
    /// "file scenarios/baseline.ron" / "run folder output/baseline".
    pub fn describe(&self) -> String {
        match self {
            Source::File(p) => format!("scenario file {} (run now)", p.display()),
            Source::Folder(p) => format!("run folder {} (read back)", p.display()),
        }
    }

    /// The path given.
    pub fn path(&self) -> &std::path::Path {
        match self {
            Source::File(p) | Source::Folder(p) => p,
        }
    }
}

/// One compared scenario.
#[derive(Debug, Clone)]
pub struct Input {
    /// Unique label in charts and tables.
    pub label: String,
    /// Where it came from.
    pub source: Source,
    /// Its ensemble result.
    pub result: EnsembleResult,
    /// The scenario as run, for the parameter diff; `None` when not available.
    pub scenario: Option<Scenario>,
}

/// Chart entries for inputs.
pub fn entries(inputs: &[Input]) -> Vec<Entry<'_>> {
    inputs
        .iter()
        .map(|i| Entry {
            label: &i.label,
            result: &i.result,
        })
        .collect()
}

/// Unique labels: the scenario names, with the file or folder name (then a number)
/// added where two inputs share a name.
pub fn labels(names: &[(String, PathBuf)]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (i, (name, path)) in names.iter().enumerate() {
        let dup = names
            .iter()
            .enumerate()
            .any(|(j, (n, _))| j != i && n == name);
        let mut label = if dup {
            let stem = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            if stem.is_empty() || stem == *name {
                name.clone()
            } else {
                format!("{name} ({stem})")
            }
        } else {
            name.clone()
        };
        let base = label.clone();
        let mut k = 2;
        while out.contains(&label) {
            label = format!("{base} #{k}");
            k += 1;
        }
        out.push(label);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_unique() {
        let l = labels(&[
            ("baseline".into(), "scenarios/baseline.ron".into()),
            ("baseline".into(), "output/old".into()),
            ("baseline".into(), "output/old".into()),
            ("x".into(), "x.ron".into()),
        ]);
        assert_eq!(l, ["baseline", "baseline (old)", "baseline (old) #2", "x"]);
    }
}
