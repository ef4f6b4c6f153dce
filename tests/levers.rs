//! Every policy lever moves the outcome it is for, by at least 2 % between the ends of
//! its studied range and in its direction (`megacluster levers --check` on the shipped
//! baseline), and the check catches a lever whose mechanism is cut.

use assert_cmd::Command;
use std::path::Path;

fn levers(out: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    levers_of("scenarios/baseline.ron", out, extra)
}

fn levers_of(file: &str, out: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    levers_runs(file, "100", out, extra)
}

fn levers_runs(file: &str, runs: &str, out: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("megacluster")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["levers", file, "--runs", runs, "-q", "--check"])
        .arg("--out")
        .arg(out)
        .args(extra)
        .assert()
}

#[test]
fn every_lever_of_the_baseline_moves_its_outcome() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("levers");
    let a = levers(&out, &[]);
    let stderr = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    a.success();
    let mut r = csv::Reader::from_path(out.join("levers.csv")).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    // Every lever but those whose mechanism the baseline switches off (they are checked
    // on their own scenario below).
    let levers = megacluster::tune::levers::LEVERS;
    assert_eq!(
        rows.len(),
        levers.iter().filter(|l| l.needs.is_none()).count(),
        "{stderr}"
    );
    for row in &rows {
        let change: f64 = row[7].parse().unwrap();
        let sign: f64 = row[4].parse().unwrap();
        assert!(
            change * sign >= 0.02,
            "{} moves {} by {change}",
            &row[0],
            &row[3]
        );
        assert_eq!(&row[8], "true");
    }
    for f in [
        "effects.csv",
        "levers.md",
        "settings.json",
        "charts/levers.png",
        "charts/levers.svg",
    ] {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    let md = std::fs::read_to_string(out.join("levers.md")).unwrap();
    assert!(
        md.contains("`overseas_share`") && !md.contains("(inert)"),
        "{md}"
    );
}

/// Cutting the mechanism behind a lever (support buys no growth) makes the check fail
/// and name the lever: the test above cannot pass with a disconnected lever. (The
/// support budget itself still moves the count of 1T firms a little with the growth cut:
/// the grants keep loss-making start-ups from running out of cash.)
#[test]
fn the_check_fails_when_a_mechanism_is_cut() {
    let tmp = tempfile::tempdir().unwrap();
    let a = levers(
        &tmp.path().join("cut"),
        &["--set", "model.fabless.support_growth_boost=0"],
    )
    .failure();
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    // The check ran and failed: exit code 1, as `--help` says (it was 2, a usage
    // mistake's code).
    assert_eq!(a.get_output().status.code(), Some(1), "{err}");
    assert!(err.contains("policy.support_per_project_krw_b"), "{err}");
    assert!(err.contains("do not act"), "{err}");
}

/// A lever whose mechanism the baseline leaves off acts in the scenario that switches it
/// on: technology protection in `leakage.ron` raises Korea's foundry share, and the state
/// holding company's terms in `state-holding.ron` move mature-logic capacity, each by at
/// least 2 % in its direction. Protection's effect is small (leaks hit ~1.5 % of firms a
/// year): +2.35 % of the 2042 foundry share at 3,000 runs of the scenario's seed, +2.02 %
/// and +2.75 % with seeds 11 and 12, +1.7 % of chip makers' sales (model of 2026-12-07,
/// Xoshiro256++ streams). Runs that diverge after a leak make it noisy: 1,000 runs of
/// the scenario's seed read +1.75 %. So `leakage.ron` is checked with 3,000 runs, of that
/// lever alone (`--lever`).
#[test]
fn conditional_levers_act_where_their_mechanism_is_on() {
    let levers = megacluster::tune::levers::LEVERS;
    let mut files: Vec<&str> = levers.iter().filter_map(|l| l.needs).map(|n| n.1).collect();
    files.sort_unstable();
    files.dedup();
    assert!(!files.is_empty());
    for file in files {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("levers");
        let runs = if file == "leakage.ron" { "3000" } else { "100" };
        // Only the levers that need this file: the others are checked on the baseline.
        let only: Vec<&str> = levers
            .iter()
            .filter(|l| l.needs.is_some_and(|n| n.1 == file))
            .flat_map(|l| ["--lever", l.path])
            .collect();
        levers_runs(&format!("scenarios/{file}"), runs, &out, &only).success();
        let mut r = csv::Reader::from_path(out.join("levers.csv")).unwrap();
        let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        for l in levers
            .iter()
            .filter(|l| l.needs.is_some_and(|n| n.1 == file))
        {
            let row = rows
                .iter()
                .find(|row| &row[0] == l.path)
                .unwrap_or_else(|| panic!("{} not studied on {file}", l.path));
            let change: f64 = row[7].parse().unwrap();
            assert!(
                change * l.sign >= 0.02,
                "{} moves {} by {change}",
                l.path,
                &row[3]
            );
        }
    }
}

/// `--lever` names a lever the scenario has; a misspelt one gets the nearest, and one
/// whose mechanism the scenario switches off gets the file it is studied on. Nothing is
/// written either way.
#[test]
fn an_unknown_or_switched_off_lever_is_refused_with_help() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("levers");
    for (lever, want) in [
        (
            "policy.tech_protecton",
            "it is not a lever\n  help: did you mean `policy.tech_protection`?",
        ),
        (
            "policy.tech_protection",
            "switched off in this scenario (needs model.rnd.leak_probability > 0)\n  help: study it on scenarios/leakage.ron",
        ),
    ] {
        let a = levers_runs("scenarios/baseline.ron", "5", &out, &["--lever", lever]).failure();
        let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
        assert_eq!(a.get_output().status.code(), Some(2), "{err}");
        assert!(err.contains(&format!("`--lever {lever}`")), "{err}");
        assert!(err.contains(want), "{err}");
        assert!(!out.exists());
    }
}
