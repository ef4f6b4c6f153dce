//! `megacluster compare` on the shipped scenarios and on run folders: every output is
//! written, the report is self-contained and holds every chart, reading a run folder
//! back gives the same numbers as running its scenario, the parameter diff lists exactly
//! the changed values, and mismatched folders get a documented handling or a clear error.

use assert_cmd::Command;
use megacluster::output::compare::diff::{Cell, diff};
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

/// Standard error with line wrapping undone, for matching messages.
fn stderr_of(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr)
        .split_whitespace()
        .filter(|w| *w != "│")
        .collect::<Vec<_>>()
        .join(" ")
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

#[test]
fn compare_shipped_scenario_files_and_the_same_as_run_folders() {
    let tmp = tempfile::tempdir().unwrap();
    let names = ["baseline", "strong-support", "power-delay"];
    let from_files = tmp.path().join("files");
    let assert = cmd()
        .arg("compare")
        .args(names.iter().map(|n| common::scenario_path(n)))
        .args(["--runs", "16", "--seed", "7", "--out"])
        .arg(&from_files)
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    // The terminal table names every scenario side by side.
    let header = stdout
        .lines()
        .find(|l| l.starts_with("Target "))
        .expect("target table header");
    for n in names {
        assert!(header.contains(n), "{header}");
    }
    assert!(stdout.contains("policy.tax_credit_large"), "{stdout}");
    for f in [
        "report.html",
        "comparison.csv",
        "targets.csv",
        "target_probabilities.csv",
        "parameter_diff.csv",
        "charts/compare_targets.png",
        "charts/compare_targets.svg",
        "charts/compare_cluster_investment_krw_t.png",
        "charts/compare_cluster_investment_krw_t.svg",
        "charts/compare_capacity_by_site.png",
        "charts/compare_capacity_by_site.svg",
    ] {
        assert!(from_files.join(f).is_file(), "no {f}");
    }
    let chart = |f: &str| from_files.join("charts").join(f);
    let years = Some((2023, 2042));
    common::assert_chart_text(
        &chart("compare_cluster_investment_krw_t.svg"),
        &["Year", "KRW 0", "Target", names[0], names[1]],
        years,
    );
    common::assert_chart_text(
        &chart("compare_targets.svg"),
        &[
            "Probability of meeting each target",
            "Target year",
            "0%",
            "100%",
        ],
        years,
    );
    common::assert_chart_text(
        &chart("compare_capacity_by_site.svg"),
        &["Thousand wafers per month", "Site", "0", names[0]],
        years,
    );
    assert_self_contained_report(&from_files);
    let html = read(&from_files.join("report.html"));
    for n in names {
        assert!(html.contains(n));
    }
    assert!(html.contains("policy.tax_credit_large"));
    let csv = read(&from_files.join("comparison.csv"));
    assert!(csv.starts_with("scenario,year,metric,unit,p10,p50,p90,mean\n"));
    for n in names {
        assert!(csv.contains(&format!("\n{n},2042,cluster_investment_krw_t,KRW T,")));
    }

    // The same scenarios run first, then compared from their folders: same numbers.
    let mut folders = Vec::new();
    for n in names {
        let dir = tmp.path().join(n);
        run(&common::scenario_path(n), &dir, &["--seed", "7"]);
        folders.push(dir);
    }
    let from_folders = tmp.path().join("folders");
    cmd()
        .arg("compare")
        .args(&folders)
        .args(["--quiet", "--out"])
        .arg(&from_folders)
        .assert()
        .success();
    assert_self_contained_report(&from_folders);
    for f in [
        "comparison.csv",
        "targets.csv",
        "target_probabilities.csv",
        "parameter_diff.csv",
        "charts/compare_targets.svg",
    ] {
        assert_eq!(
            read(&from_files.join(f)),
            read(&from_folders.join(f)),
            "{f} differs between files and folders"
        );
    }
    // A mix of a folder and a file works too.
    cmd()
        .arg("compare")
        .arg(&folders[0])
        .arg(common::scenario_path("strong-support"))
        .args(["--runs", "8", "--quiet", "--out"])
        .arg(tmp.path().join("mixed"))
        .assert()
        .success();
}

/// Edits the baseline text, panicking if the text to replace is not there.
fn edit(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "baseline lacks `{from}`");
    text.replacen(from, to, 1)
}

#[test]
fn the_parameter_diff_lists_exactly_the_changed_values() {
    let base_text = std::fs::read_to_string(common::scenario_path("baseline")).unwrap();
    let a = load_str(&base_text, "a.ron").unwrap();
    // Known changes: a policy rate becomes a schedule, one pledge's capacity, a model
    // coefficient (absent from the file, so its default changes), the description and
    // runs (not parameters). And the two first pledges swap places (not a change).
    let mut text = edit(
        &base_text,
        "tax_credit_large: 0.15,",
        "tax_credit_large: {2023: 0.15, 2026: 0.25},",
    );
    text = edit(
        &text,
        "segment: Memory, kwpm: 120.0, capex_krw_b: 30000.0, start_year: 2028",
        "segment: Memory, kwpm: 140.0, capex_krw_b: 30000.0, start_year: 2028",
    );
    text = edit(&text, "runs: 1000,", "runs: 50,");
    let mut b = load_str(&text, "b.ron").unwrap();
    b.description = "changed".into();
    b.pledges.swap(0, 1);
    b.model = {
        let mut m = b.model.clone();
        let mut v = serde_json::to_value(&m).unwrap();
        let (group, field) = v
            .as_object()
            .unwrap()
            .iter()
            .find_map(|(g, x)| {
                x.as_object()?
                    .iter()
                    .find(|(_, y)| y.is_f64())
                    .map(|(f, _)| (g.clone(), f.clone()))
            })
            .expect("a numeric model coefficient");
        let old = v[&group][&field].as_f64().unwrap();
        v[&group][&field] = serde_json::json!(old + 1.0);
        m = serde_json::from_value(v).unwrap();
        m
    };
    let rows = diff(&[Some(&a), Some(&b)]);
    let paths: Vec<&str> = rows.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(paths.len(), 3, "{paths:?}");
    assert!(paths.contains(&"policy.tax_credit_large"), "{paths:?}");
    assert!(
        paths.contains(&"pledges[SK hynix Yongin fab 2].kwpm"),
        "{paths:?}"
    );
    assert!(paths.iter().any(|p| p.starts_with("model.")), "{paths:?}");
    let rate = rows
        .iter()
        .find(|r| r.path == "policy.tax_credit_large")
        .unwrap();
    assert_eq!(rate.values[0], Cell::Value("0.15".into()));
    assert_eq!(
        rate.values[1],
        Cell::Value("{2023: 0.15, 2026: 0.25}".into())
    );
    let kwpm = rows
        .iter()
        .find(|r| r.path == "pledges[SK hynix Yongin fab 2].kwpm")
        .unwrap();
    assert_eq!(
        kwpm.values,
        [Cell::Value("120.0".into()), Cell::Value("140.0".into())]
    );
    // A scenario not available is marked, the others still compared.
    let rows3 = diff(&[Some(&a), None, Some(&b)]);
    assert_eq!(rows3.len(), 3);
    assert!(rows3.iter().all(|r| r.values[1] == Cell::Unavailable));
    // Identical scenarios: no difference.
    assert!(diff(&[Some(&a), Some(&a.clone())]).is_empty());
}

#[test]
fn mismatched_run_folders_are_handled_or_refused_clearly() {
    let tmp = tempfile::tempdir().unwrap();
    let base_text = std::fs::read_to_string(common::scenario_path("baseline")).unwrap();
    let short = tmp.path().join("short.ron");
    std::fs::write(
        &short,
        edit(&base_text, "end_year: 2042,", "end_year: 2035,")
            .replace("name: \"baseline\"", "name: \"short\"")
            .replace("year: 2042)", "year: 2035)"),
    )
    .unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    run(&common::scenario_path("baseline"), &a, &[]);
    run(&short, &b, &[]);

    // Different end years: compared at their own years, with a note.
    let out = tmp.path().join("ab");
    let assert = cmd()
        .arg("compare")
        .arg(&a)
        .arg(&b)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    assert!(stdout.contains("cover different years"), "{stdout}");
    let csv = read(&out.join("comparison.csv"));
    assert!(csv.contains("\nbaseline,2042,cluster_investment_krw_t,"));
    assert!(csv.contains("\nshort,2035,cluster_investment_krw_t,"));
    assert!(!csv.contains("\nshort,2036,"));
    // Its targets moved to 2035 are other targets than the baseline's 2042 ones: kept
    // apart (no difference computed between them), and the report says so.
    let html = read(&out.join("report.html"));
    assert!(html.contains("cover different years"));
    assert!(html.contains("defined differently"));
    let targets = read(&out.join("targets.csv"));
    let short_2035: Vec<&str> = targets
        .lines()
        .filter(|l| l.starts_with("short,KRW 300T"))
        .collect();
    assert_eq!(short_2035.len(), 1, "{targets}");
    assert!(short_2035[0].contains(",2035,") && short_2035[0].ends_with(",,,,"));
    assert_self_contained_report(&out);

    // A metric whose unit differs: refused, naming the folder.
    let bad = tmp.path().join("bad");
    copy_dir(&b, &bad);
    let json =
        read(&bad.join("result.json")).replacen("\"unit\":\"KRW T\"", "\"unit\":\"USD B\"", 1);
    std::fs::write(bad.join("result.json"), json).unwrap();
    let assert = cmd()
        .arg("compare")
        .arg(&a)
        .arg(&bad)
        .arg("--out")
        .arg(tmp.path().join("x"))
        .assert()
        .code(2);
    let stderr = stderr_of(&assert);
    assert!(stderr.contains("incompatible"), "{stderr}");
    assert!(stderr.contains("bad"), "{stderr}");
    assert!(!tmp.path().join("x").exists());

    // Statistics that do not match the years: refused, never drawn.
    let broken = tmp.path().join("broken");
    copy_dir(&b, &broken);
    let mut v: serde_json::Value =
        serde_json::from_str(&read(&broken.join("result.json"))).unwrap();
    v["result"]["years"].as_array_mut().unwrap().pop();
    std::fs::write(broken.join("result.json"), v.to_string()).unwrap();
    let assert = cmd().arg("compare").arg(&a).arg(&broken).assert().code(2);
    let stderr = stderr_of(&assert);
    assert!(stderr.contains("years of statistics"), "{stderr}");

    // A folder from before result.json existed: told to rerun.
    let old = tmp.path().join("old");
    copy_dir(&b, &old);
    std::fs::remove_file(old.join("result.json")).unwrap();
    let assert = cmd().arg("compare").arg(&a).arg(&old).assert().code(2);
    let stderr = stderr_of(&assert);
    assert!(stderr.contains("older megacluster"), "{stderr}");

    // One input, or a folder that is not a run folder: clear errors.
    let assert = cmd().arg("compare").arg(&a).assert().code(2);
    assert!(stderr_of(&assert).contains("at least two"));
    let assert = cmd()
        .arg("compare")
        .arg(&a)
        .arg(tmp.path())
        .assert()
        .code(2);
    assert!(stderr_of(&assert).contains("not a run folder"));
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        if p.is_file() {
            std::fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
        }
    }
}
