//! `megacluster optimize` on the baseline: a small search writes its Pareto set, charts
//! and chosen scenarios; the same at any thread count; each chosen scenario, run as it
//! is, gives the probabilities the search reported; bad input fails helpfully.

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::path::Path;

mod common;
use common::{rows, stderr};

fn cmd() -> Command {
    let mut c = Command::cargo_bin("megacluster").unwrap();
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

const ENTITIES: &str = "150 entities in the cluster";

fn optimize(out: &Path, threads: &str) {
    cmd()
        .args([
            "optimize",
            "scenarios/baseline.ron",
            "--runs",
            "12",
            "--quiet",
        ])
        .args([
            "--population",
            "6",
            "--generations",
            "1",
            "--threads",
            threads,
        ])
        .args(["--lever", "policy.tax_credit_large=0..0.3"])
        .args(["--lever", "policy.tax_credit_sme=0..0.5"])
        .args(["--target", ENTITIES, "--thresholds", "0.5"])
        .arg("--out")
        .arg(out)
        .assert()
        .success();
}

#[test]
fn a_small_search_writes_a_non_dominated_set_and_runnable_choices() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    optimize(&a, "1");
    optimize(&b, "2");
    for f in ["pareto.csv", "evaluations.csv", "result.txt"] {
        assert_eq!(
            std::fs::read_to_string(a.join(f)).unwrap(),
            std::fs::read_to_string(b.join(f)).unwrap(),
            "{f} depends on threads"
        );
    }
    for c in ["pareto_front", "front_levers"] {
        assert!(a.join(format!("charts/{c}.png")).is_file(), "{c}");
    }
    let p = format!("P({ENTITIES})");
    let all = rows(&a.join("evaluations.csv"));
    assert_eq!(all.len(), 12);
    let front = rows(&a.join("pareto.csv"));
    assert!(!front.is_empty());
    let num = |r: &BTreeMap<String, String>, k: &str| r[k].parse::<f64>().unwrap();
    for f in &front {
        for e in &all {
            assert!(
                !(num(e, "cost") < num(f, "cost") && num(e, &p) > num(f, &p)),
                "{f:?} is dominated by {e:?}"
            );
        }
    }
    // Cost is the public cost: the mix with the highest large-firm credit is never the
    // cheapest one.
    let cheapest = all
        .iter()
        .min_by(|x, y| num(x, "cost").total_cmp(&num(y, "cost")))
        .unwrap();
    let dearest_credit = all
        .iter()
        .max_by(|x, y| {
            num(x, "policy.tax_credit_large").total_cmp(&num(y, "policy.tax_credit_large"))
        })
        .unwrap();
    assert!(num(cheapest, "cost") < num(dearest_credit, "cost"));
    // Each chosen mix, run as a scenario file with the same runs (and the file's seed,
    // which the search used), gives the probability and cost the search reported.
    let chosen = rows(&a.join("chosen.csv"));
    assert!(!chosen.is_empty(), "no mix reaches 50 %");
    for c in &chosen {
        let run_out = tmp.path().join("run");
        cmd()
            .arg("run")
            .arg(a.join(&c["scenario"]))
            .args(["--runs", "12", "--quiet", "--out"])
            .arg(&run_out)
            .assert()
            .success();
        let summary: serde_json::Value =
            serde_json::from_slice(&std::fs::read(run_out.join("summary.json")).unwrap()).unwrap();
        let got = summary["targets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"] == ENTITIES)
            .unwrap()["probability"]
            .as_f64()
            .unwrap();
        assert_eq!(got, num(c, &p), "{c:?}");
        let cost = rows(&run_out.join("percentiles.csv"))
            .into_iter()
            .find(|r| r["year"] == "2042" && r["metric"] == "public_cost_pv_krw_t")
            .unwrap();
        let (run_cost, want) = (num(&cost, "mean"), num(c, "cost"));
        assert!(
            (run_cost - want).abs() <= 1e-6 * want.abs(),
            "{run_cost} vs {want}"
        );
    }
}

#[test]
fn bad_levers_targets_and_thresholds_fail_with_a_message() {
    let base = || {
        let mut c = cmd();
        c.args(["optimize", "scenarios/baseline.ron", "--runs", "2"]);
        c
    };
    let e = base()
        .args([
            "--lever",
            "policy.tax_credit_large=0..3",
            "--target",
            ENTITIES,
        ])
        .assert()
        .code(2);
    assert!(stderr(&e).contains("out of range"), "{}", stderr(&e));
    let e = base()
        .args(["--lever", "policy.tax_credit_large=0..0.3"])
        .args(["--target", "150 entity in the cluster"])
        .assert()
        .code(2);
    assert!(stderr(&e).contains("did you mean"), "{}", stderr(&e));
    let e = base()
        .args(["--lever", "policy.tax_credit_large=0..0.3"])
        .args(["--target", &format!("{ENTITIES}:1.5")])
        .assert()
        .code(2);
    assert!(stderr(&e).contains("between 0 and 1"), "{}", stderr(&e));
    let e = base()
        .args(["--lever", "policy.tax_credit_large=0..0.3"])
        .args(["--target", ENTITIES, "--cost", "public_cost"])
        .assert()
        .code(2);
    assert!(stderr(&e).contains("unknown metric"), "{}", stderr(&e));
}
