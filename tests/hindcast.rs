//! `megacluster hindcast` on the shipped baseline and observations: the outputs, thread
//! independence, and located errors for bad observation files.

use assert_cmd::Command;
use std::path::Path;

mod common;

fn hindcast(out: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("megacluster")
        .unwrap()
        .arg("hindcast")
        .arg("scenarios/baseline.ron")
        .arg("--out")
        .arg(out)
        .args(extra)
        .assert()
}

fn csv_rows(path: &Path) -> Vec<csv::StringRecord> {
    let mut r = csv::Reader::from_path(path).unwrap();
    r.records().map(Result::unwrap).collect()
}

/// Every shipped observation gets a row, scored or "not modelled"; the charts and the
/// report section exist; the scores do not depend on the thread count.
#[test]
fn baseline_with_skip_unknown_writes_table_csv_charts_and_report() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    let out = hindcast(&a, &["--runs", "30", "--threads", "1", "--skip-unknown"]).success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(stdout.contains("Coverage: "), "{stdout}");
    assert!(stdout.contains("memory_world_share"), "{stdout}");
    hindcast(
        &b,
        &[
            "--runs",
            "30",
            "--threads",
            "2",
            "--skip-unknown",
            "--quiet",
        ],
    )
    .success();
    let csv_a = std::fs::read(a.join("hindcast.csv")).unwrap();
    assert_eq!(csv_a, std::fs::read(b.join("hindcast.csv")).unwrap());
    let rows = csv_rows(&a.join("hindcast.csv"));
    let shipped = csv_rows(Path::new("data/observed.csv"));
    assert_eq!(rows.len(), shipped.len());
    let scored: Vec<_> = rows.iter().filter(|r| &r[16] == "modelled").collect();
    assert!(!scored.is_empty());
    for r in &scored {
        let pit: f64 = r[13].parse().unwrap();
        let crps: f64 = r[14].parse().unwrap();
        assert!((0.0..=1.0).contains(&pit) && crps >= 0.0, "{r:?}");
        let stem = format!(
            "hindcast_{:03}_",
            shipped
                .iter()
                .position(|s| s[1] == r[1] && s[2] == r[2] && s[6] == r[3])
                .unwrap()
                + 2
        );
        let charts: Vec<_> = std::fs::read_dir(a.join("charts"))
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().starts_with(&stem))
            .collect();
        assert_eq!(charts.len(), 2, "png and svg for {stem}");
        let svg = charts
            .iter()
            .find(|e| e.path().extension().is_some_and(|x| x == "svg"));
        // The chart runs from the start to six years after the observation.
        let year: i32 = r[2].parse().unwrap();
        common::assert_chart_text(
            &svg.unwrap().path(),
            &["Year", "Median of runs", "10–90 % of runs"],
            Some((2023, (year + 6).min(2042))),
        );
    }
    let report = std::fs::read_to_string(a.join("report.html")).unwrap();
    assert!(report.contains("<h2 id=\"hindcast\">Hindcast</h2>"));
    assert!(report.contains("Coverage: "));
}

/// The hindcast of issue 11: the baseline's 10–90 % band covers at least 80 % of the
/// shipped observations, every one of them modelled.
#[test]
fn baseline_covers_at_least_80_percent_of_the_observations() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("h");
    hindcast(&out, &["--runs", "200", "--quiet"]).success();
    let rows = csv_rows(&out.join("hindcast.csv"));
    assert!(rows.iter().all(|r| &r[16] == "modelled"), "{rows:?}");
    let covered = rows.iter().filter(|r| &r[12] == "true").count();
    assert!(
        covered as f64 >= 0.8 * rows.len() as f64,
        "{covered} of {} covered",
        rows.len()
    );
}

const HEAD: &str = "quantity,metric,year,value,low,high,kind,base_year,unit,source\n";

/// An observation of a metric the scenario lacks stops the command (exit 2) with the
/// file, the line, the metric and a suggestion; nothing is written.
#[test]
fn an_unknown_metric_is_an_error_naming_the_line() {
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("obs.csv");
    std::fs::write(
        &csv,
        format!("{HEAD}Share,memory_world_share,2023,60,55,65,level,,%,s\nTypo,memory_wrld_share,2024,60,,,level,,%,s\n"),
    )
    .unwrap();
    let out = tmp.path().join("h");
    let a = hindcast(&out, &["--runs", "2", "--observed", csv.to_str().unwrap()]).code(2);
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(err.contains("obs.csv"), "{err}");
    assert!(err.contains("line 3"), "{err}");
    assert!(err.contains("`memory_wrld_share`"), "{err}");
    assert!(err.contains("did you mean `memory_world_share`"), "{err}");
    assert!(err.contains("--skip-unknown"), "{err}");
    assert!(!out.exists());
    // With --skip-unknown the same file runs and reports the row as not modelled.
    let a = hindcast(
        &out,
        &[
            "--runs",
            "2",
            "--skip-unknown",
            "--observed",
            csv.to_str().unwrap(),
        ],
    )
    .success();
    let stdout = String::from_utf8_lossy(&a.get_output().stdout).into_owned();
    assert!(stdout.contains("not modelled"), "{stdout}");
    assert!(stdout.contains("1 not modelled"), "{stdout}");
}

/// Malformed rows get `line N:` messages, all at once, and never a panic.
#[test]
fn malformed_observations_get_line_numbers() {
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("bad.csv");
    std::fs::write(
        &csv,
        format!("{HEAD}A,memory_world_share,20x3,60,,,level,,%,s\nB,memory_world_share,2024,,,,level,,%,s\n\"C,unclosed\n"),
    )
    .unwrap();
    let a = hindcast(
        &tmp.path().join("h"),
        &["--runs", "2", "--observed", csv.to_str().unwrap()],
    )
    .code(2);
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(err.contains("bad.csv"), "{err}");
    assert!(err.contains("line 2:") && err.contains("line 3:"), "{err}");
    assert!(!err.contains("internal error"), "{err}");
}
