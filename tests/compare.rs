//! Run folders hold what `compare` needs: a self-contained report with every chart,
//! the whole result and the scenario as run.

use assert_cmd::Command;
use megacluster::scenario::load_str;
use std::path::Path;

mod common;

fn cmd() -> Command {
    let mut c = Command::cargo_bin("megacluster").unwrap();
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

fn run(file: &Path, out: &Path, extra: &[&str]) {
    cmd()
        .arg("run")
        .arg(file)
        .arg("--out")
        .arg(out)
        .args(["--runs", "16", "--quiet"])
        .args(extra)
        .assert()
        .success();
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The report embeds every chart of `dir/charts` and refers to nothing outside itself.
fn assert_self_contained_report(dir: &Path) {
    let html = read(&dir.join("report.html"));
    let mut svgs = 0;
    for e in std::fs::read_dir(dir.join("charts")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "svg") {
            svgs += 1;
            let stem = p.file_stem().unwrap().to_string_lossy().to_string();
            assert!(
                html.contains(&format!("<figure id=\"{stem}\">")),
                "{} lacks chart {stem}",
                dir.display()
            );
        }
    }
    assert!(svgs >= 3, "only {svgs} charts in {}", dir.display());
    assert_eq!(html.matches("<figure").count(), svgs);
    assert_eq!(html.matches("<svg").count(), svgs);
    for bad in [
        "http://", "https://", "src=", "<script", "<link", "url(", "@import",
    ] {
        assert!(!html.contains(bad), "report has `{bad}`");
    }
    assert!(html.starts_with("<!DOCTYPE html>") && html.trim_end().ends_with("</html>"));
}

#[test]
fn run_writes_a_report_and_files_to_read_it_back() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("baseline");
    run(&common::scenario_path("baseline"), &out, &[]);
    assert_self_contained_report(&out);
    let html = read(&out.join("report.html"));
    assert!(html.contains("KRW 300T private investment in the cluster"));
    assert!(out.join("result.json").is_file());
    // scenario.ron is the scenario as run: it loads and equals the original.
    let again = load_str(&read(&out.join("scenario.ron")), "scenario.ron").unwrap();
    assert_eq!(again, common::load("baseline"));
}
