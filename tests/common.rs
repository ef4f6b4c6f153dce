//! Helpers shared by the integration tests.
#![allow(dead_code)]

use megacluster::scenario::{Scenario, load_file};
use megacluster::sim::{EnsembleOptions, run_ensemble};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
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
pub fn rows(path: &Path) -> Vec<BTreeMap<String, String>> {
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

/// Every file under `dir`, by relative path.
pub fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(
                    p.strip_prefix(dir).unwrap().to_owned(),
                    std::fs::read(&p).unwrap(),
                );
            }
        }
    }
    out
}

/// Asserts that folder `dir` holds exactly the files of `want`, byte for byte.
pub fn assert_same_files(want: &BTreeMap<PathBuf, Vec<u8>>, dir: &Path, label: &str) {
    let got = files(dir);
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        want.keys().collect::<Vec<_>>(),
        "{label}"
    );
    for (path, bytes) in want {
        assert!(got[path] == *bytes, "{label}: {} differs", path.display());
    }
}

/// `megacluster merge DIRS --out OUT --quiet`.
pub fn merge(dirs: &[PathBuf], out: &Path) -> assert_cmd::assert::Assert {
    assert_cmd::Command::cargo_bin("megacluster")
        .unwrap()
        .arg("merge")
        .args(dirs)
        .arg("--out")
        .arg(out)
        .arg("--quiet")
        .assert()
}

/// Asserts that `c` fails with exit code 2 and a message containing `want`.
pub fn refused(c: &mut assert_cmd::Command, want: &str) {
    let e = c.assert().code(2);
    assert!(stderr(&e).contains(want), "want `{want}`: {}", stderr(&e));
}

/// Asserts that the chart SVG at `path` has a `<text>` reading each of `want` and, with
/// `years`, whole-year tick labels stepping over all of them: a chart that stops
/// drawing its title, axes, ticks or legend fails.
pub fn assert_chart_text(path: &Path, want: &[&str], years: Option<(i32, i32)>) {
    use megacluster::output::charts::check::{svg_texts, year_tick_step};
    let svg = std::fs::read_to_string(path).unwrap();
    let texts = svg_texts(&svg);
    for w in want {
        assert!(
            texts.iter().any(|t| t == w),
            "{} lacks {w:?}: {texts:?}",
            path.display()
        );
    }
    if let Some((first, last)) = years {
        assert!(
            year_tick_step(&texts, first, last).is_some(),
            "{}: year ticks in {texts:?}",
            path.display()
        );
    }
}
