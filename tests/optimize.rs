//! `megacluster optimize` on the baseline: a small search writes its Pareto set, charts
//! and chosen scenarios; the same at any thread count; each chosen scenario, run as it
//! is, gives the probabilities the search reported; bad input fails helpfully.

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::path::Path;

mod common;
use common::{files, rows, stderr};

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

/// The arguments of a small search (2 generations after the first) with `extra`.
fn small(extra: &[&str]) -> Command {
    let mut c = cmd();
    c.args([
        "optimize",
        "scenarios/baseline.ron",
        "--runs",
        "4",
        "--quiet",
    ])
    .args(["--population", "5", "--generations", "2"])
    .args(["--lever", "policy.tax_credit_large=0..0.3"])
    .args(["--lever", "policy.tax_credit_sme=0..0.5"])
    .args(["--target", ENTITIES])
    .args(extra);
    c
}

#[test]
fn shards_of_each_generation_merged_and_resumed_equal_one_go() {
    let tmp = tempfile::tempdir().unwrap();
    let one = tmp.path().join("one");
    small(&["--threads", "2", "--out"])
        .arg(&one)
        .assert()
        .success();
    for n in [2usize, 3] {
        let state = tmp.path().join(format!("state-{n}"));
        for g in 0..3 {
            let parts: Vec<_> = (0..n)
                .map(|k| tmp.path().join(format!("n{n}-g{g}-k{k}")))
                .collect();
            for (k, part) in parts.iter().enumerate() {
                let mut c = small(&["--threads", &(1 + k % 2).to_string()]);
                if g > 0 {
                    c.arg("--resume").arg(&state);
                }
                c.args(["--shard", &format!("{k}/{n}"), "--out"])
                    .arg(part)
                    .assert()
                    .success();
            }
            common::merge(&parts, &state).success();
            let last = g == 2;
            assert_eq!(state.join("pareto.csv").is_file(), last, "generation {g}");
        }
        assert_eq!(files(&one), files(&state), "{n} shards differ from one go");
    }
    // A one-go run resumed from the state after generation 0 also ends where one go does.
    let parts: Vec<_> = (0..2)
        .map(|k| tmp.path().join(format!("n2-g0-k{k}")))
        .collect();
    let after0 = tmp.path().join("after0");
    common::merge(&parts, &after0).success();
    let resumed = tmp.path().join("resumed");
    small(&["--resume"])
        .arg(&after0)
        .arg("--out")
        .arg(&resumed)
        .assert()
        .success();
    assert_eq!(files(&one), files(&resumed));
}

#[test]
fn mismatched_resumes_and_merges_fail_with_a_message() {
    let tmp = tempfile::tempdir().unwrap();
    let p = |name: &str| tmp.path().join(name);
    for k in 0..2 {
        small(&["--shard", &format!("{k}/2"), "--out"])
            .arg(p(&format!("g0-{k}")))
            .assert()
            .success();
    }
    let e = small(&["--shard", "2/2", "--out"])
        .arg(p("x"))
        .assert()
        .code(2);
    assert!(stderr(&e).contains("shard 2 of 2"), "{}", stderr(&e));
    // Resuming a shard's partial folder, a missing folder, other settings.
    let e = small(&["--resume"]).arg(p("g0-0")).assert().code(2);
    assert!(stderr(&e).contains("merge the shards"), "{}", stderr(&e));
    let e = small(&["--resume"]).arg(p("missing")).assert().code(2);
    assert!(stderr(&e).contains("no such folder"), "{}", stderr(&e));
    common::merge(&[p("g0-0"), p("g0-1")], &p("state")).success();
    let e = small(&["--seed", "9", "--resume"])
        .arg(p("state"))
        .assert()
        .code(2);
    assert!(stderr(&e).contains("its seed"), "{}", stderr(&e));
    let e = small(&["--lever", "policy.fabless_support_krw_b=0..500", "--resume"])
        .arg(p("state"))
        .assert()
        .code(2);
    assert!(stderr(&e).contains("`levers`"), "{}", stderr(&e));
    // A corrupt state is refused, not resumed.
    let bad = p("bad");
    std::fs::create_dir(&bad).unwrap();
    std::fs::copy(p("state/manifest.json"), bad.join("manifest.json")).unwrap();
    std::fs::write(bad.join("evaluations.csv"), "generation,index\n0,x\n").unwrap();
    let e = small(&["--resume"]).arg(&bad).assert().code(2);
    assert!(stderr(&e).contains("evaluations.csv"), "{}", stderr(&e));
    // Shards of different generations do not merge, and nothing is written.
    small(&["--shard", "1/2", "--resume"])
        .arg(p("state"))
        .arg("--out")
        .arg(p("g1-1"))
        .assert()
        .success();
    let e = cmd()
        .args(["merge", "--out"])
        .arg(p("merged"))
        .arg(p("g0-0"))
        .arg(p("g1-1"))
        .assert()
        .code(2);
    assert!(stderr(&e).contains("round"), "{}", stderr(&e));
    assert!(!p("merged").exists());
}
