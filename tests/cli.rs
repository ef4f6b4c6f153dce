//! The CLI on the shipped scenario files: outputs exist, agree with each other, are
//! deterministic at any thread count, and bad input gets a located error.

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::path::Path;

mod common;

fn run(file: &Path, out: &Path, extra: &[&str]) {
    run_n(file, out, 24, extra);
}

fn run_n(file: &Path, out: &Path, runs: usize, extra: &[&str]) {
    let mut cmd = Command::cargo_bin("megacluster").unwrap();
    cmd.arg("run")
        .arg(file)
        .arg("--out")
        .arg(out)
        .args(["--runs", &runs.to_string(), "--quiet"])
        .args(extra);
    cmd.assert().success();
}

/// Runs per shipped scenario: 24, except 2 for load-test scenarios (`stress-*`, about
/// 100,000 firms each), which would otherwise dominate a debug-build test run.
fn runs_for(file: &Path) -> usize {
    let stress = file
        .file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with("stress-"));
    if stress { 2 } else { 24 }
}

/// metrics.csv as (run, year, metric) -> value.
fn read_metrics(dir: &Path) -> BTreeMap<(usize, i32, String), f64> {
    let mut r = csv::Reader::from_path(dir.join("metrics.csv")).unwrap();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            (
                (
                    rec[0].parse().unwrap(),
                    rec[2].parse().unwrap(),
                    rec[3].to_string(),
                ),
                rec[4].parse().unwrap(),
            )
        })
        .collect()
}

#[test]
fn every_shipped_scenario_runs_and_its_outputs_agree() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    files.sort();
    assert!(files.len() >= 3, "baseline and at least two variants ship");
    for file in files {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let runs = runs_for(&file);
        run_n(&file, &out, runs, &["--keep-runs", "all"]);
        for f in [
            "summary.json",
            "metrics.csv",
            "percentiles.csv",
            "charts/fan_cluster_investment.png",
            "charts/fan_cluster_investment.svg",
            "charts/site_map.png",
            "charts/stacked_capacity_by_site.png",
            "charts/infra_power.png",
            "charts/infra_water.png",
            "charts/fan_fabless_1t_firms.png",
            "charts/fan_cluster_fabs.png",
            "charts/fan_cluster_entities.png",
        ] {
            assert!(out.join(f).is_file(), "{} lacks {f}", file.display());
        }
        let summary: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
        assert_eq!(summary["runs"], runs);
        let scenario = megacluster::scenario::load_file(&file).unwrap();
        let metrics = read_metrics(&out);
        // Each target's probability equals the share of runs in metrics.csv that meet it.
        for t in summary["targets"].as_array().unwrap() {
            let (metric, year, value) = (
                t["metric"].as_str().unwrap(),
                t["year"].as_i64().unwrap() as i32,
                t["value"].as_f64().unwrap(),
            );
            let met = (0..runs)
                .filter(|&r| {
                    let x = metrics[&(r, year, metric.to_string())];
                    if t["comparison"] == ">=" {
                        x >= value
                    } else {
                        x <= value
                    }
                })
                .count();
            assert!(
                (t["probability"].as_f64().unwrap() - met as f64 / runs as f64).abs() < 1e-12,
                "{metric} in {year}"
            );
            // With its 95 % Wilson interval, as the report and `compare` give it.
            let p = t["probability"].as_f64().unwrap();
            let ci = t["probability_ci95"].as_array().unwrap();
            let (lo, hi) = (ci[0].as_f64().unwrap(), ci[1].as_f64().unwrap());
            assert_eq!(
                (lo, hi),
                megacluster::output::compare::stats::wilson(p, runs)
            );
            assert!(
                0.0 <= lo && lo <= p && p <= hi && hi <= 1.0,
                "{metric}: {ci:?}"
            );
        }
        for ((_, _, metric), v) in &metrics {
            assert!(v.is_finite());
            if metric.contains("investment")
                || metric.starts_with("capacity")
                || metric.contains("sales")
            {
                assert!(*v >= 0.0, "{metric} = {v}");
            }
            if metric == "cluster_entities" {
                assert!(
                    *v <= f64::from(scenario.entity_cap),
                    "entities {v} above the cap"
                );
            }
        }
        // Cumulative investment never falls.
        for r in 0..runs {
            let series: Vec<f64> = (scenario.start_year..=scenario.end_year)
                .map(|y| metrics[&(r, y, "cluster_investment_krw_t".to_string())])
                .collect();
            assert!(series.windows(2).all(|w| w[1] >= w[0] - 1e-9));
        }
    }
}

#[test]
fn outputs_are_byte_identical_at_one_and_two_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let file = common::scenario_path("baseline");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    run(&file, &a, &["--threads", "1", "--keep-runs", "all"]);
    run(&file, &b, &["--threads", "2", "--keep-runs", "all"]);
    for f in [
        "summary.json",
        "metrics.csv",
        "percentiles.csv",
        "charts/fan_cluster_investment.svg",
        "charts/site_map.png",
    ] {
        assert_eq!(
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
            "{f} differs"
        );
    }
}

#[test]
fn a_misspelt_site_gets_a_located_error_with_a_suggestion_and_no_output() {
    let tmp = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(common::scenario_path("baseline"))
        .unwrap()
        .replace(
            "site: \"Cheongju\", size: Sme",
            "site: \"Cheongjoo\", size: Sme",
        );
    let file = tmp.path().join("typo.ron");
    std::fs::write(&file, text).unwrap();
    let out = tmp.path().join("out");
    let assert = Command::cargo_bin("megacluster")
        .unwrap()
        .arg("run")
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(stderr.contains("no site named `Cheongjoo`"), "{stderr}");
    assert!(stderr.contains("did you mean `Cheongju`?"), "{stderr}");
    assert!(stderr.contains("typo.ron:"), "{stderr}");
    assert!(!out.exists());
}

#[test]
fn command_line_mistakes_are_one_line_errors() {
    let missing = Command::cargo_bin("megacluster")
        .unwrap()
        .args(["run", "no/such/file.ron"])
        .assert()
        .failure();
    assert!(
        String::from_utf8_lossy(&missing.get_output().stderr).contains("cannot read scenario file")
    );
    Command::cargo_bin("megacluster")
        .unwrap()
        .args(["run", "scenarios/baseline.ron", "--runs", "0"])
        .assert()
        .failure();
    Command::cargo_bin("megacluster")
        .unwrap()
        .args(["run", "scenarios/baseline.ron", "--runs", "many"])
        .assert()
        .failure();
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("file");
    std::fs::write(&file, "x").unwrap();
    let a = Command::cargo_bin("megacluster")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["run", "scenarios/baseline.ron", "--runs", "2", "--out"])
        .arg(&file)
        .assert()
        .failure();
    assert!(String::from_utf8_lossy(&a.get_output().stderr).contains("existing file"));
}

/// Regression: `megacluster params FILE | head` closed the pipe early and the binary
/// reported "internal error ... Broken pipe". It now stops quietly with status 0.
#[test]
fn a_closed_output_pipe_is_not_an_internal_error() {
    use std::io::Read;
    use std::process::{Command as Std, Stdio};
    let mut child = Std::new(assert_cmd::cargo::cargo_bin("megacluster"))
        .args(["params", "scenarios/baseline.ron"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 64];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // The read end is dropped here: the rest of the listing meets a closed pipe.
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("internal error"), "{err}");
    assert!(out.status.success(), "{:?}: {err}", out.status);
}
