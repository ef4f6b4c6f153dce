//! Atomic outputs: a run killed part-way never leaves a folder that looks complete, an
//! earlier complete output survives it untouched, and running again works.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_megacluster"))
}

fn baseline() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/baseline.ron")
}

fn run_ok(out: &Path, seed: &str) {
    let status = bin()
        .arg("run")
        .arg(baseline())
        .arg("--out")
        .arg(out)
        .args(["--runs", "3", "--quiet", "--seed", seed])
        .status()
        .unwrap();
    assert!(status.success());
}

/// Visible entries of a folder (hidden temporary folders do not look like outputs).
fn visible(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    v.sort();
    v
}

#[test]
fn a_killed_run_leaves_no_half_written_output_and_rerunning_works() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let fresh = tmp.path().join("fresh");
    run_ok(&out, "1");
    let before = std::fs::read(out.join("summary.json")).unwrap();
    for (target, wait_ms) in [(&out, 300), (&fresh, 300), (&out, 1500), (&fresh, 1500)] {
        let mut child = bin()
            .arg("run")
            .arg(baseline())
            .arg("--out")
            .arg(target)
            .args(["--runs", "100000", "--quiet", "--seed", "2"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(wait_ms));
        child.kill().unwrap();
        let _ = child.wait();
        // The earlier output is intact, and no new folder appeared beside it.
        assert_eq!(std::fs::read(out.join("summary.json")).unwrap(), before);
        assert!(!fresh.exists(), "a killed run left {}", fresh.display());
        assert_eq!(visible(tmp.path()), ["out"]);
    }
    // Running again works, over the earlier output and into a new folder.
    run_ok(&out, "3");
    run_ok(&fresh, "3");
    assert_ne!(std::fs::read(out.join("summary.json")).unwrap(), before);
    assert_eq!(
        std::fs::read(out.join("summary.json")).unwrap(),
        std::fs::read(fresh.join("summary.json")).unwrap()
    );
}
