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

/// A `run` into `out` stopped by the test hook at `stage` (see `output::write`).
fn stopped_run(out: &Path, stage: &str, seed: &str) -> Command {
    let mut c = bin();
    c.arg("run")
        .arg(baseline())
        .arg("--out")
        .arg(out)
        .args(["--runs", "3", "--quiet", "--seed", seed])
        .env("MEGACLUSTER_TEST_STOP", stage)
        .stdout(Stdio::null());
    c
}

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_file() {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            out.push((name, std::fs::read(&p).unwrap()));
        }
    }
    out.sort();
    out
}

/// Writing an output has three windows: files going into the hidden temporary folder,
/// all written but not renamed, renamed but the earlier output not yet removed. A kill in
/// any of them (the hook aborts the process there, as SIGKILL would: no clean-up) leaves
/// either the earlier complete output or the new complete one, never a partial folder;
/// and the next run takes over the dead process's lock and works.
#[test]
fn a_kill_at_every_stage_of_writing_leaves_a_complete_folder_or_none() {
    let tmp = tempfile::tempdir().unwrap();
    let reference = tmp.path().join("reference");
    run_ok(&reference, "5");
    let new = files(&reference);
    std::fs::remove_dir_all(&reference).unwrap();
    for stage in ["writing", "written", "renamed"] {
        for earlier in [false, true] {
            let out = tmp.path().join("out");
            let _ = std::fs::remove_dir_all(&out);
            if earlier {
                run_ok(&out, "1");
            }
            let before = earlier.then(|| files(&out));
            let status = stopped_run(&out, &format!("{stage}:abort"), "5")
                .stderr(Stdio::null())
                .status()
                .unwrap();
            assert!(!status.success(), "{stage}: the hook did not stop the run");
            let what = format!("killed at {stage}, earlier output: {earlier}");
            if stage == "renamed" {
                assert_eq!(files(&out), new, "{what}");
            } else if let Some(before) = before {
                assert_eq!(files(&out), before, "{what}");
            } else {
                assert!(!out.exists(), "{what}: {:?}", visible(&out));
            }
            assert_eq!(
                visible(tmp.path()),
                if out.exists() { vec!["out"] } else { vec![] },
                "{what}"
            );
            // The dead writer's lock and temporary folder do not stop the next run.
            run_ok(&out, "5");
            assert_eq!(files(&out), new, "{what}");
            let hidden: Vec<String> = std::fs::read_dir(tmp.path())
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with('.'))
                .collect();
            assert!(hidden.is_empty(), "{what}: left {hidden:?}");
        }
    }
}

/// Two `run`s into the same `--out` at once both exited 0 and the later silently
/// replaced the other's folder. Now the second is refused, naming the first's pid.
#[test]
fn a_second_writer_of_the_same_folder_is_refused_with_the_first_ones_pid() {
    use std::io::{BufRead, BufReader};
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let mut first = stopped_run(&out, "written:pause", "1")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(first.stderr.take().unwrap());
    let mut line = String::new();
    err.read_line(&mut line).unwrap();
    assert_eq!(line.trim(), "paused at written");
    let second = bin()
        .arg("run")
        .arg(baseline())
        .arg("--out")
        .arg(&out)
        .args(["--runs", "3", "--quiet"])
        .output()
        .unwrap();
    let _ = first.kill();
    let _ = first.wait();
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(!second.status.success());
    assert!(
        stderr.contains(&format!("another megacluster process (pid {})", first.id())),
        "{stderr}"
    );
    assert!(!out.exists());
    // The first was killed: its lock is stale and taken over.
    run_ok(&out, "1");
    assert!(!tmp.path().join(".out.lock").exists());
}
