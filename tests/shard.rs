//! `run --shard K/N` and `merge`: merged shards equal the one-go run byte for byte (every
//! file, charts included), mismatched, missing and duplicated shards are refused with
//! messages naming them, and a complete shard is skipped when run again.

use assert_cmd::Command;
use std::collections::BTreeMap;
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

fn merge(dirs: &[PathBuf], out: &Path) -> assert_cmd::assert::Assert {
    megacluster()
        .arg("merge")
        .args(dirs)
        .arg("--out")
        .arg(out)
        .arg("--quiet")
        .assert()
}

/// Every file under `dir`, by relative path.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
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
    let want = files(&one);
    assert!(want.keys().any(|p| p.starts_with("charts")));
    assert!(want.contains_key(Path::new("report.html")));
    // 7 shards of 5 runs: two shards are empty.
    for n in [1, 2, 3, 7] {
        let mut dirs = shards(base.path(), n, &[]);
        dirs.reverse(); // order of the folders does not matter
        let merged = base.path().join(format!("merged{n}"));
        merge(&dirs, &merged).success();
        let got = files(&merged);
        assert_eq!(
            got.keys().collect::<Vec<_>>(),
            want.keys().collect::<Vec<_>>(),
            "{n} shards"
        );
        for (path, bytes) in &want {
            assert!(
                got[path] == *bytes,
                "{n} shards: {} differs",
                path.display()
            );
        }
    }
}

#[test]
fn mismatched_missing_and_duplicated_shards_are_refused() {
    let base = tempfile::tempdir().unwrap();
    let dirs = shards(base.path(), 3, &[]);
    let other = base.path().join("other-seed");
    run(&other, &["--quiet", "--shard", "2/3", "--seed", "7"]);
    let out = base.path().join("merged");
    let mixed = merge(&[dirs[0].clone(), dirs[1].clone(), other.clone()], &out).failure();
    let err = String::from_utf8_lossy(&mixed.get_output().stderr).into_owned();
    assert!(err.contains("other-seed") && err.contains("seed"), "{err}");
    let missing = merge(&dirs[..2], &out).failure();
    let err = String::from_utf8_lossy(&missing.get_output().stderr).into_owned();
    assert!(err.contains("missing shard(s) 2 of 3"), "{err}");
    let dup = merge(
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
    let mixed_n = merge(&[dirs[0].clone(), shards4[1].clone()], &out).failure();
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
