//! `run|sweep|sensitivity --shard K/N` and `merge`: merged shards equal the one-go folder
//! byte for byte (every file, charts included), mismatched, missing and duplicated shards
//! are refused with messages naming them, and a complete shard is skipped when run again.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

mod common;

const RUNS: &str = "5";

fn megacluster() -> Command {
    Command::cargo_bin("megacluster").unwrap()
}

/// `megacluster run baseline --runs 5 --keep-runs 3 --out OUT EXTRA...`; returns stdout.
fn run(out: &Path, extra: &[&str]) -> String {
    let assert = megacluster()
        .arg("run")
        .arg(common::scenario_path("baseline"))
        .arg("--out")
        .arg(out)
        .args(["--runs", RUNS, "--keep-runs", "3", "--threads", "2"])
        .args(extra)
        .assert()
        .success();
    String::from_utf8_lossy(&assert.get_output().stdout).into_owned()
}

fn shards(base: &Path, n: usize, extra: &[&str]) -> Vec<PathBuf> {
    (0..n)
        .map(|k| {
            let dir = base.join(format!("s{k}of{n}"));
            let spec = format!("{k}/{n}");
            let mut args = vec!["--quiet", "--shard", &spec];
            args.extend_from_slice(extra);
            run(&dir, &args);
            dir
        })
        .collect()
}

#[test]
fn merged_shards_equal_the_one_go_run_byte_for_byte() {
    let base = tempfile::tempdir().unwrap();
    let one = base.path().join("one");
    run(&one, &["--quiet"]);
    let want = common::files(&one);
    assert!(want.keys().any(|p| p.starts_with("charts")));
    assert!(want.contains_key(Path::new("report.html")));
    // 7 shards of 5 runs: two shards are empty.
    for n in [1, 2, 3, 7] {
        let mut dirs = shards(base.path(), n, &[]);
        dirs.reverse(); // order of the folders does not matter
        let merged = base.path().join(format!("merged{n}"));
        common::merge(&dirs, &merged).success();
        common::assert_same_files(&want, &merged, &format!("{n} shards"));
    }
}

#[test]
fn mismatched_missing_and_duplicated_shards_are_refused() {
    let base = tempfile::tempdir().unwrap();
    let dirs = shards(base.path(), 3, &[]);
    let other = base.path().join("other-seed");
    run(&other, &["--quiet", "--shard", "2/3", "--seed", "7"]);
    let out = base.path().join("merged");
    let mixed = common::merge(&[dirs[0].clone(), dirs[1].clone(), other.clone()], &out).failure();
    let err = String::from_utf8_lossy(&mixed.get_output().stderr).into_owned();
    assert!(err.contains("other-seed") && err.contains("seed"), "{err}");
    let missing = common::merge(&dirs[..2], &out).failure();
    let err = String::from_utf8_lossy(&missing.get_output().stderr).into_owned();
    assert!(err.contains("missing shard(s) 2 of 3"), "{err}");
    let dup = common::merge(
        &[
            dirs[0].clone(),
            dirs[1].clone(),
            dirs[1].clone(),
            dirs[2].clone(),
        ],
        &out,
    )
    .failure();
    let err = String::from_utf8_lossy(&dup.get_output().stderr).into_owned();
    assert!(
        err.contains("shard 1 of 3 is given 2 times") && err.contains("s1of3"),
        "{err}"
    );
    let shards4 = shards(base.path(), 4, &[]);
    let mixed_n = common::merge(&[dirs[0].clone(), shards4[1].clone()], &out).failure();
    let err = String::from_utf8_lossy(&mixed_n.get_output().stderr).into_owned();
    assert!(
        err.contains("s1of4") && err.contains("number of shards"),
        "{err}"
    );
    assert!(!out.exists());
}

#[test]
fn a_complete_shard_is_skipped_and_auto_reads_the_environment() {
    let base = tempfile::tempdir().unwrap();
    let dir = base.path().join("shard");
    megacluster()
        .arg("run")
        .arg(common::scenario_path("baseline"))
        .arg("--out")
        .arg(&dir)
        .args(["--runs", RUNS, "--shard", "auto", "--quiet"])
        .env("SLURM_ARRAY_TASK_ID", "1")
        .env("SLURM_ARRAY_TASK_COUNT", "2")
        .assert()
        .success();
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["shard"], 1);
    assert_eq!(manifest["shards"], 2);
    assert_eq!(manifest["covered_runs"], 2);
    let before = std::fs::metadata(dir.join("aggregate.json"))
        .unwrap()
        .modified()
        .unwrap();
    let again = megacluster()
        .arg("run")
        .arg(common::scenario_path("baseline"))
        .arg("--out")
        .arg(&dir)
        .args(["--runs", RUNS, "--shard", "1/2"])
        .assert()
        .success();
    let out = String::from_utf8_lossy(&again.get_output().stdout).into_owned();
    assert!(out.contains("already complete"), "{out}");
    let after = std::fs::metadata(dir.join("aggregate.json"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(before, after);
    // Kubernetes: JOB_COMPLETION_INDEX with --shard-count.
    let k8s = base.path().join("k8s");
    megacluster()
        .arg("run")
        .arg(common::scenario_path("baseline"))
        .arg("--out")
        .arg(&k8s)
        .args([
            "--runs",
            RUNS,
            "--shard",
            "auto",
            "--shard-count",
            "3",
            "--quiet",
        ])
        .env_remove("SLURM_ARRAY_TASK_ID")
        .env_remove("SLURM_ARRAY_TASK_COUNT")
        .env("JOB_COMPLETION_INDEX", "2")
        .assert()
        .success();
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(k8s.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(
        (manifest["shard"].clone(), manifest["shards"].clone()),
        (2.into(), 3.into())
    );
}

// ---- sweep and sensitivity: shards by design point ----

/// A 2 x 2 grid over two parameters (a heat map), 2 runs per point.
const SWEEP: &[&str] = &[
    "sweep",
    "--param",
    "policy.tax_credit_large=0.1..0.3:2",
    "--param",
    "market.ai_demand_growth=0.05..0.2:2",
    "--runs",
    "2",
];

/// `megacluster ARGS baseline --out OUT EXTRA...`; returns the assertion.
fn tune(args: &[&str], out: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    megacluster()
        .arg(args[0])
        .arg(common::scenario_path("baseline"))
        .args(&args[1..])
        .arg("--out")
        .arg(out)
        .args(["--threads", "2"])
        .args(extra)
        .assert()
}

fn tune_shards(args: &[&str], base: &Path, n: usize, extra: &[&str]) -> Vec<PathBuf> {
    (0..n)
        .map(|k| {
            let dir = base.join(format!("{}-s{k}of{n}", args[0]));
            let spec = format!("{k}/{n}");
            let mut more = vec!["--quiet", "--shard", &spec];
            more.extend_from_slice(extra);
            tune(args, &dir, &more).success();
            dir
        })
        .collect()
}

/// Shards of `args` merged for each N in `ns` equal the one-go folder, every file.
fn check_merged_equal_one_go(args: &[&str], ns: &[usize]) {
    let base = tempfile::tempdir().unwrap();
    let one = base.path().join("one");
    tune(args, &one, &["--quiet"]).success();
    let want = common::files(&one);
    // The design for re-analysis comes out of the merge too.
    assert!(want.contains_key(Path::new("design.csv")), "{args:?}");
    assert!(
        want.keys().any(|p| p.starts_with("charts")),
        "{args:?}: {:?}",
        want.keys()
    );
    for &n in ns {
        let mut dirs = tune_shards(args, base.path(), n, &[]);
        dirs.reverse(); // order of the folders does not matter
        let merged = base.path().join(format!("merged{n}"));
        common::merge(&dirs, &merged).success();
        common::assert_same_files(&want, &merged, &format!("{args:?}, {n} shards"));
    }
}

#[test]
fn merged_sweep_shards_equal_the_one_go_sweep_byte_for_byte() {
    // 4 points: 6 shards leave two empty.
    check_merged_equal_one_go(SWEEP, &[1, 2, 3, 6]);
    // One parameter: line charts; a Latin hypercube: scatter charts.
    check_merged_equal_one_go(
        &[
            "sweep",
            "--param",
            "policy.tax_credit_large=0.1..0.3:3",
            "--runs",
            "2",
        ],
        &[2],
    );
    check_merged_equal_one_go(
        &[
            "sweep",
            "--param",
            "policy.tax_credit_large=0.1..0.3",
            "--param",
            "market.ai_demand_growth=0.05..0.2",
            "--design",
            "lhs",
            "--samples",
            "3",
            "--runs",
            "2",
        ],
        &[2],
    );
}

#[test]
fn merged_sensitivity_shards_equal_the_one_go_analysis_byte_for_byte() {
    let two = [
        "--param",
        "policy.tax_credit_large=0.1..0.3",
        "--param",
        "market.ai_demand_growth=0.05..0.2",
        "--runs",
        "2",
    ];
    // OAT over two parameters: 5 points; 7 shards leave two empty.
    let mut oat = vec!["sensitivity", "--method", "oat"];
    oat.extend_from_slice(&two);
    check_merged_equal_one_go(&oat, &[1, 2, 7]);
    // Morris, 2 trajectories: 6 points.
    let mut morris = vec!["sensitivity", "--method", "morris", "--trajectories", "2"];
    morris.extend_from_slice(&two);
    check_merged_equal_one_go(&morris, &[3, 8]);
    // Sobol, 4 base samples: 16 points.
    let mut sobol = vec!["sensitivity", "--method", "sobol", "--samples", "4"];
    sobol.extend_from_slice(&two);
    check_merged_equal_one_go(&sobol, &[3, 17]);
}

#[test]
fn mismatched_and_missing_sweep_shards_are_refused() {
    let base = tempfile::tempdir().unwrap();
    let dirs = tune_shards(SWEEP, base.path(), 2, &[]);
    let out = base.path().join("merged");
    let err = |a: assert_cmd::assert::Assert| {
        String::from_utf8_lossy(&a.failure().get_output().stderr).into_owned()
    };
    // Another range of a parameter: another design.
    let other_spec = base.path().join("other-spec");
    let mut args = SWEEP.to_vec();
    args[2] = "policy.tax_credit_large=0.1..0.4:2";
    tune(&args, &other_spec, &["--quiet", "--shard", "1/2"]).success();
    let e = err(common::merge(&[dirs[0].clone(), other_spec], &out));
    assert!(
        e.contains("other-spec") && e.contains("sweep settings"),
        "{e}"
    );
    // Other overrides.
    let other_set = base.path().join("other-set");
    tune(
        SWEEP,
        &other_set,
        &[
            "--quiet",
            "--shard",
            "1/2",
            "--set",
            "policy.tax_credit_sme=0.2",
        ],
    )
    .success();
    let e = err(common::merge(&[dirs[0].clone(), other_set], &out));
    assert!(e.contains("other-set") && e.contains("overrides"), "{e}");
    // Another kind of job.
    let run_shard = base.path().join("run-shard");
    run(&run_shard, &["--quiet", "--shard", "1/2"]);
    let e = err(common::merge(&[dirs[0].clone(), run_shard], &out));
    assert!(
        e.contains("run-shard") && e.contains("`run`") && e.contains("`sweep`"),
        "{e}"
    );
    // A missing shard.
    let e = err(common::merge(&dirs[..1], &out));
    assert!(
        e.contains("missing shard(s) 1 of 2") && e.contains("megacluster sweep --shard"),
        "{e}"
    );
    assert!(!out.exists());
}

#[test]
fn a_complete_sweep_shard_is_skipped() {
    let base = tempfile::tempdir().unwrap();
    let dir = base.path().join("shard");
    megacluster()
        .arg("sweep")
        .arg(common::scenario_path("baseline"))
        .args(&SWEEP[1..])
        .arg("--out")
        .arg(&dir)
        .args(["--shard", "auto", "--quiet"])
        .env("SLURM_ARRAY_TASK_ID", "1")
        .env("SLURM_ARRAY_TASK_COUNT", "3")
        .assert()
        .success();
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["kind"], "sweep");
    assert_eq!(manifest["points"], 4);
    assert_eq!(manifest["covered_points"], serde_json::json!([1]));
    let modified = || {
        std::fs::metadata(dir.join("points.json"))
            .unwrap()
            .modified()
            .unwrap()
    };
    let before = modified();
    let again = tune(SWEEP, &dir, &["--shard", "1/3"]).success();
    let out = String::from_utf8_lossy(&again.get_output().stdout).into_owned();
    assert!(out.contains("already complete"), "{out}");
    assert_eq!(before, modified());
}

#[test]
fn mismatched_and_missing_sensitivity_shards_are_refused() {
    let base = tempfile::tempdir().unwrap();
    let oat = [
        "sensitivity",
        "--method",
        "oat",
        "--param",
        "policy.tax_credit_large=0.1..0.3",
        "--runs",
        "1",
    ];
    let dirs = tune_shards(&oat, base.path(), 2, &[]);
    let out = base.path().join("merged");
    let other = base.path().join("other-method");
    let mut morris = oat.to_vec();
    morris[2] = "morris";
    tune(&morris, &other, &["--quiet", "--shard", "1/2"]).success();
    let e = String::from_utf8_lossy(
        &common::merge(&[dirs[0].clone(), other], &out)
            .failure()
            .get_output()
            .stderr,
    )
    .into_owned();
    assert!(
        e.contains("other-method") && e.contains("sensitivity settings"),
        "{e}"
    );
    let e = String::from_utf8_lossy(
        &common::merge(&dirs[1..], &out)
            .failure()
            .get_output()
            .stderr,
    )
    .into_owned();
    assert!(
        e.contains("missing shard(s) 0 of 2") && e.contains("megacluster sensitivity --shard"),
        "{e}"
    );
    // Merged twice into the same folder: the second replaces the first.
    common::merge(&dirs, &out).success();
    common::merge(&dirs, &out).success();
    assert!(out.join("ranking.csv").is_file());
}
