//! Helpers shared by the integration tests.
#![allow(dead_code)]

use megacluster::scenario::{Scenario, load_file};
use megacluster::sim::{EnsembleOptions, run_ensemble};
use std::path::PathBuf;
use std::sync::Arc;

/// Path of a shipped scenario.
pub fn scenario_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios")
        .join(format!("{name}.ron"))
}

/// A shipped scenario, loaded and validated.
pub fn load(name: &str) -> Scenario {
    load_file(&scenario_path(name)).expect("shipped scenario loads")
}

/// Mean of a metric in a year over an ensemble of `runs` runs.
pub fn mean(s: &Scenario, runs: usize, metric: &str, year: i32) -> f64 {
    let s = Arc::new(s.clone());
    let ens = run_ensemble(
        &s,
        &EnsembleOptions {
            runs,
            seed: s.seed,
            threads: 0,
            keep_runs: 0,
            progress: None,
        },
    )
    .expect("runs");
    let m = ens.result.metric_index(metric).expect("metric exists");
    let y = ens.result.year_index(year).expect("year simulated");
    ens.result.stats[m][y].mean
}

/// Rows of a CSV file as maps from header to value.
pub fn rows(path: &std::path::Path) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let head: Vec<String> = r.headers().unwrap().iter().map(str::to_owned).collect();
    r.records()
        .map(|rec| {
            head.iter()
                .cloned()
                .zip(rec.unwrap().iter().map(str::to_owned))
                .collect()
        })
        .collect()
}

/// stderr of a command with miette's wrapping undone (frame characters and line breaks
/// removed), for matching messages.
pub fn stderr(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr)
        .replace('│', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
