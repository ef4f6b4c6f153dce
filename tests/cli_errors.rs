//! Command-line mistakes: each a short error (one line, plus clap's usage hint for bad
//! option values), a non-zero exit code, never a panic or a backtrace, and no output.

use std::path::Path;
use std::process::Command;

/// Runs the binary in the crate folder; returns (exit code, stderr).
fn run(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_megacluster"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("RUST_BACKTRACE", "1")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn assert_short_error(args: &[&str], expected: &str) {
    let (code, err) = run(args);
    assert_ne!(code, 0, "{args:?} succeeded");
    assert!(err.contains(expected), "{args:?}: {err}");
    assert!(
        !err.contains("panicked") && !err.contains("backtrace") && !err.contains("internal error"),
        "{args:?}: {err}"
    );
    let first = err.lines().next().unwrap_or("");
    assert!(first.starts_with("error: "), "{args:?}: {err}");
    let lines = err.lines().filter(|l| !l.trim().is_empty()).count();
    assert!(lines <= 2, "{args:?} printed {lines} lines: {err}");
}

#[test]
fn file_mistakes_are_one_line() {
    assert_short_error(&["run", "no/such/file.ron"], "cannot read scenario file");
    assert_short_error(&["check", "scenarios"], "a folder, not a scenario file");
}

#[test]
fn bad_option_values_say_what_is_allowed() {
    let b = "scenarios/baseline.ron";
    for runs in ["0", "-1", "many", "1.5", "99999999999"] {
        assert_short_error(
            &["run", b, "--runs", runs],
            "`--runs` must be a whole number from 1 to 10000000",
        );
    }
    // One parser for every command's --runs (sweep and the others once had clap's).
    for cmd in [
        &["compare", b, b][..],
        &["sweep", b, "--param", "policy.tax_credit_large=0.1..0.2"],
        &["sensitivity", b],
        &["hindcast", b],
    ] {
        let args: Vec<&str> = cmd.iter().copied().chain(["--runs", "0"]).collect();
        assert_short_error(
            &args,
            "`--runs` must be a whole number from 1 to 10000000 (at least one run)",
        );
    }
    assert_short_error(&["run", b, "--threads", "-2"], "`--threads` must be");
    assert_short_error(&["run", b, "--seed", "x"], "`--seed` must be");
    assert_short_error(
        &["run", b, "--keep-runs", "some"],
        "neither a number of runs nor `all`",
    );
}

#[test]
fn bad_output_places_are_refused_before_running() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("file");
    std::fs::write(&file, "x").unwrap();
    let b = "scenarios/baseline.ron";
    let f = file.to_str().unwrap();
    assert_short_error(&["run", b, "--runs", "2", "--out", f], "existing file");
    assert_short_error(
        &["run", b, "--runs", "2", "--out", "/proc/megacluster/out"],
        "cannot write",
    );
    // A folder that is not an earlier output is never replaced (it would be deleted).
    let precious = tmp.path().join("precious");
    std::fs::create_dir(&precious).unwrap();
    std::fs::write(precious.join("notes.txt"), "keep me").unwrap();
    assert_short_error(
        &["run", b, "--runs", "2", "--out", precious.to_str().unwrap()],
        "not an earlier megacluster output",
    );
    assert!(Path::new(&precious.join("notes.txt")).exists());
    // Regression: these exited with 1, other command-line mistakes with 2.
    for out in [f, precious.to_str().unwrap()] {
        assert_eq!(
            run(&["run", b, "--runs", "2", "--out", out]).0,
            2,
            "--out {out}"
        );
    }
}

#[test]
fn scenario_mistakes_exit_with_code_2_and_a_located_message() {
    let (code, err) = run(&["check", "tests/bad/unknown_references.ron"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("tests/bad/unknown_references.ron:152:56"),
        "{err}"
    );
    assert!(err.contains("did you mean `Pyeongtaek`?"), "{err}");
}
