//! The tuning commands on the shipped scenarios: params, --set, sweep, sensitivity,
//! search and watch. Ensembles are tiny (debug builds are slow); the numbers are not
//! checked, only that each command works, agrees with itself and fails helpfully.

use assert_cmd::Command;
use std::path::Path;
use std::time::{Duration, Instant};

mod common;
use common::{rows, stderr};

fn cmd() -> Command {
    let mut c = Command::cargo_bin("megacluster").unwrap();
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

fn stdout(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stdout).into_owned()
}

#[test]
fn params_lists_every_shipped_scenario_as_table_and_csv() {
    for name in ["baseline", "power-delay", "strong-support"] {
        let file = common::scenario_path(name);
        let a = cmd()
            .arg("params")
            .arg(&file)
            .args(["--format", "csv"])
            .assert()
            .success();
        let out = stdout(&a);
        let mut r = csv::Reader::from_reader(out.as_bytes());
        assert_eq!(
            r.headers().unwrap(),
            vec!["path", "value", "unit", "description"]
        );
        let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        assert!(rows.len() > 300, "{name}: {}", rows.len());
        for p in [
            "policy.tax_credit_large",
            "sites[\"Yongin National\"].power_mw",
            "groups.Fabless.count",
            "model.fabless.spillover_weight",
            "market.segments.Memory.trend_growth",
            "firms[\"SK hynix\"].revenue_krw_b",
        ] {
            assert!(rows.iter().any(|r| &r[0] == p), "{name} lacks {p}");
        }
        assert!(rows.iter().all(|r| !r[2].is_empty() && !r[3].is_empty()));
    }
    let a = cmd()
        .args(["params", "scenarios/baseline.ron", "--filter", "tax_credit"])
        .assert()
        .success();
    assert!(stdout(&a).contains("policy.tax_credit_sme"));
    // Regression: a filter that matches nothing printed an empty table and no hint.
    let a = cmd()
        .args(["params", "scenarios/baseline.ron", "--filter", "zzzz"])
        .assert()
        .success();
    assert!(stdout(&a).contains("no parameter path contains `zzzz`"));
}

#[test]
fn set_changes_results_is_recorded_and_bad_paths_or_values_fail_helpfully() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    let base = [
        "run",
        "scenarios/baseline.ron",
        "--runs",
        "8",
        "--quiet",
        "--out",
    ];
    cmd().args(base).arg(&a).assert().success();
    cmd()
        .args(base)
        .arg(&b)
        .args(["--set", "policy.tax_credit_large=0.5"])
        .args([
            "--set",
            "sites.Yongin_National.power_additions[0].year=2026",
        ])
        .args(["--set", "market.ai_demand_growth=Uniform(0.5, 0.8)"])
        .assert()
        .success();
    let pa = std::fs::read_to_string(a.join("percentiles.csv")).unwrap();
    let pb = std::fs::read_to_string(b.join("percentiles.csv")).unwrap();
    assert_ne!(pa, pb, "--set changed nothing");
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(b.join("summary.json")).unwrap()).unwrap();
    let o = &summary["overrides"];
    assert_eq!(o.as_array().unwrap().len(), 3);
    assert_eq!(
        o[1]["path"],
        "sites[\"Yongin National\"].power_additions[0].year"
    );
    assert_eq!(o[2]["value"], "Uniform(0.5, 0.8)");
    assert!(summary["targets"].is_array());

    let out = tmp.path().join("c");
    let e = cmd()
        .args(base)
        .arg(&out)
        .args(["--set", "policy.tax_credit_larg=0.2"])
        .assert()
        .code(2);
    let err = stderr(&e);
    assert!(
        err.contains("unknown parameter path `policy.tax_credit_larg`"),
        "{err}"
    );
    assert!(
        err.contains("did you mean `policy.tax_credit_large`"),
        "{err}"
    );
    assert!(!out.exists());
    let e = cmd()
        .args(base)
        .arg(&out)
        .args(["--set", "policy.tax_credit_large=1.5"])
        .assert()
        .code(2);
    assert!(
        stderr(&e).contains("it must be between 0 and 1"),
        "{}",
        stderr(&e)
    );
    let e = cmd()
        .args(base)
        .arg(&out)
        .args(["--set", "groups.Fabless.count=Uniform(1, 2)"])
        .assert()
        .code(2);
    assert!(stderr(&e).contains("whole number"), "{}", stderr(&e));
}

#[test]
fn sweeps_write_a_table_and_charts_and_do_not_depend_on_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let one = tmp.path().join("one");
    let args = [
        "sweep",
        "scenarios/strong-support.ron",
        "--param",
        "policy.tax_credit_large=0.1..0.3:3",
        "--runs",
        "6",
        "--quiet",
    ];
    cmd()
        .args(args)
        .arg("--out")
        .arg(&one)
        .args(["--threads", "1"])
        .assert()
        .success();
    let csv_text = std::fs::read_to_string(one.join("sweep.csv")).unwrap();
    let mut r = csv::Reader::from_reader(csv_text.as_bytes());
    assert_eq!(&r.headers().unwrap()[1], "policy.tax_credit_large");
    assert_eq!(r.records().count(), 3);
    for f in [
        "charts/sweep_probabilities.png",
        "charts/sweep_probabilities.svg",
        "settings.json",
    ] {
        assert!(one.join(f).is_file(), "{f}");
    }
    common::assert_chart_text(
        &one.join("charts/sweep_probabilities.svg"),
        &[
            "Target probabilities against policy.tax_credit_large",
            "Probability of meeting the target",
            "policy.tax_credit_large (fraction of capex)",
            "0%",
            "100%",
            "0.2",
            "95 % interval (Wilson)",
        ],
        None,
    );
    let two = tmp.path().join("two");
    cmd()
        .args(args)
        .arg("--out")
        .arg(&two)
        .args(["--threads", "2"])
        .assert()
        .success();
    assert_eq!(
        csv_text,
        std::fs::read_to_string(two.join("sweep.csv")).unwrap()
    );
    assert_eq!(
        std::fs::read(one.join("design.csv")).unwrap(),
        std::fs::read(two.join("design.csv")).unwrap()
    );

    let heat = tmp.path().join("heat");
    cmd()
        .args(["sweep", "scenarios/baseline.ron", "--runs", "4", "--quiet"])
        .args(["--param", "policy.tax_credit_large=0.1..0.3:2"])
        .args(["--param", "groups.Fabless.count=100..200:2"])
        .args(["--target", "5 new fabs in the cluster", "--out"])
        .arg(&heat)
        .assert()
        .success();
    assert!(
        heat.join("charts/heatmap_5_new_fabs_in_the_cluster.png")
            .is_file()
    );
    common::assert_chart_text(
        &heat.join("charts/heatmap_5_new_fabs_in_the_cluster.svg"),
        &[
            "P(5 new fabs in the cluster by 2042)",
            "policy.tax_credit_large (fraction of capex)",
            "0.1",
            "0.3",
            "0%",
            "100%",
            "P(met)",
        ],
        None,
    );

    let lhs = tmp.path().join("lhs");
    cmd()
        .args([
            "sweep",
            "scenarios/power-delay.ron",
            "--runs",
            "4",
            "--quiet",
        ])
        .args(["--param", "policy.tax_credit_large=0.1..0.3"])
        .args(["--param", "model.fabless.spillover_weight=0..0.5"])
        .args(["--param", "policy.permit_timeout_years=1..5"])
        .args(["--design", "lhs", "--samples", "4", "--out"])
        .arg(&lhs)
        .assert()
        .success();
    assert!(
        lhs.join("charts/sweep_policy_permit_timeout_years.png")
            .is_file()
    );
    assert_eq!(
        csv::Reader::from_path(lhs.join("sweep.csv"))
            .unwrap()
            .records()
            .count(),
        4
    );
}

#[test]
fn sensitivity_ranks_parameters_by_each_method() {
    let tmp = tempfile::tempdir().unwrap();
    for (method, chart, extra) in [
        ("oat", "tornado.png", vec![]),
        ("morris", "morris.png", vec!["--trajectories", "2"]),
        ("sobol", "sobol.png", vec!["--samples", "4"]),
    ] {
        let out = tmp.path().join(method);
        let a = cmd()
            .args(["sensitivity", "scenarios/baseline.ron", "--runs", "4"])
            .args([
                "--method",
                method,
                "--outcome",
                "cluster_investment_krw_t@2042",
            ])
            .args(["--param", "market.ai_demand_growth=0.1..0.5"])
            .args(["--param", "policy.tax_credit_large=0.1..0.3"])
            .args(extra)
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
        assert!(stdout(&a).contains("market.ai_demand_growth"));
        assert!(out.join("charts").join(chart).is_file(), "{method}");
        if method == "oat" {
            common::assert_chart_text(
                &out.join("charts/tornado.svg"),
                &[
                    "Mean cluster_investment_krw_t (KRW T)",
                    "market.ai_demand_growth [0.1..0.5]",
                    "parameter at the low end",
                ],
                None,
            );
        }
        let mut r = csv::Reader::from_path(out.join("ranking.csv")).unwrap();
        assert_eq!(&r.headers().unwrap()[0], "rank");
        assert_eq!(r.records().count(), 2, "{method}");
    }
    // Without --param: the file's distributions, one at a time.
    let out = tmp.path().join("default");
    cmd()
        .args([
            "sensitivity",
            "scenarios/baseline.ron",
            "--runs",
            "2",
            "--quiet",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let n = csv::Reader::from_path(out.join("ranking.csv"))
        .unwrap()
        .records()
        .count();
    assert!(n > 20, "{n} uncertain parameters");
    let e = cmd()
        .args([
            "sensitivity",
            "scenarios/baseline.ron",
            "--outcome",
            "no_such_metric@2030",
        ])
        .assert()
        .code(2);
    assert!(stderr(&e).contains("unknown metric"));
}

#[test]
fn search_reports_a_value_or_none_in_range_with_a_curve() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("s");
    let a = cmd()
        .args([
            "search",
            "scenarios/baseline.ron",
            "--runs",
            "6",
            "--max-steps",
            "3",
        ])
        .args(["--lever", "policy.tax_credit_large=0..0.5"])
        .args([
            "--target",
            "5 new fabs in the cluster",
            "--probability",
            "0.5",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let text = stdout(&a);
    assert!(text.contains("Lowest policy.tax_credit_large"), "{text}");
    assert!(out.join("charts/search_curve.png").is_file());
    assert!(
        csv::Reader::from_path(out.join("search.csv"))
            .unwrap()
            .records()
            .count()
            >= 1
    );
    let out = tmp.path().join("none");
    let a = cmd()
        .args(["search", "scenarios/baseline.ron", "--runs", "4", "--quiet"])
        .args(["--lever", "policy.tax_credit_sme=0..0.1"])
        .args([
            "--target",
            "10 fabless firms >= KRW 1T by 2030",
            "--probability",
            "0.99",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let _ = a;
    let result = std::fs::read_to_string(out.join("result.txt")).unwrap();
    assert!(result.starts_with("No value"), "{result}");
    let e = cmd()
        .args([
            "search",
            "scenarios/baseline.ron",
            "--lever",
            "policy.tax_credit_large=0..0.5",
        ])
        .args(["--target", "5 new fab", "--probability", "0.5"])
        .assert()
        .code(2);
    assert!(stderr(&e).contains("no target named"), "{}", stderr(&e));
}

fn wait_for(path: &Path, secs: u64) -> bool {
    let t = Instant::now();
    while t.elapsed() < Duration::from_secs(secs) {
        if path.exists() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

#[test]
fn watch_reruns_on_save_and_keeps_outputs_after_a_bad_save() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("w.ron");
    let text = std::fs::read_to_string(common::scenario_path("baseline")).unwrap();
    std::fs::write(&file, &text).unwrap();
    let out = tmp.path().join("out");
    let bin = assert_cmd::cargo::cargo_bin("megacluster");
    let child = std::process::Command::new(bin)
        .arg("run")
        .arg(&file)
        .args(["--runs", "6", "--watch", "--watch-limit", "2", "--out"])
        .arg(&out)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    assert!(
        wait_for(&out.join("summary.json"), 120),
        "first run wrote nothing"
    );
    std::thread::sleep(Duration::from_millis(700));
    std::fs::write(
        &file,
        text.replace("tax_credit_large: 0.15", "tax_credit_large: 7.5"),
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    assert!(
        out.join("summary.json").is_file(),
        "a bad save removed the outputs"
    );
    std::fs::write(
        &file,
        text.replace("tax_credit_large: 0.15", "tax_credit_large: 0.45"),
    )
    .unwrap();
    let output = child.wait_with_output().unwrap();
    let (so, se) = (
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    assert!(output.status.success(), "{so}\n{se}");
    assert!(se.contains("tax_credit_large"), "{se}");
    assert!(se.contains("last good outputs are kept"), "{se}");
    assert!(
        so.contains("Changed target probabilities") || so.contains("No target probability changed"),
        "{so}"
    );
}

/// `sensitivity` wrote neither the design points nor the outcome at each, so nothing
/// outside the engine could re-analyse it (the Sobol point order and the Morris steps
/// were only in the source). design.csv has them, the same at any thread count, and
/// the ranking can be recomputed from it.
#[test]
fn sensitivity_and_sweep_write_their_design_the_same_at_any_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    let outcome = "cluster_investment_krw_t@2042 mean";
    for (method, extra, points) in [
        ("oat", vec![], 5),
        ("morris", vec!["--trajectories", "2"], 6),
        ("sobol", vec!["--samples", "4"], 16),
    ] {
        let run = |threads: &str| {
            let out = tmp.path().join(format!("{method}{threads}"));
            cmd()
                .args(["sensitivity", "scenarios/baseline.ron", "--runs", "3"])
                .args(["--method", method, "--quiet", "--threads", threads])
                .args(["--outcome", "cluster_investment_krw_t@2042"])
                .args(["--param", "market.ai_demand_growth=0.1..0.5"])
                .args(["--param", "policy.tax_credit_large=0.1..0.3"])
                .args(&extra)
                .arg("--out")
                .arg(&out)
                .assert()
                .success();
            out
        };
        let (one, two) = (run("1"), run("2"));
        let design = std::fs::read(one.join("design.csv")).unwrap();
        assert_eq!(
            design,
            std::fs::read(two.join("design.csv")).unwrap(),
            "{method}"
        );
        let d = rows(&one.join("design.csv"));
        assert_eq!(d.len(), points, "{method}");
        for (i, r) in d.iter().enumerate() {
            assert_eq!(r["point"], i.to_string());
            assert_eq!(
                (r["runs"].as_str(), r["seed"].as_str()),
                ("3", "20230315"),
                "{method}"
            );
            assert!(r[outcome].parse::<f64>().is_ok(), "{method}: {r:?}");
            assert!(r["market.ai_demand_growth"].parse::<f64>().is_ok());
        }
        let ranking = rows(&one.join("ranking.csv"));
        let y = |i: usize| d[i][outcome].parse::<f64>().unwrap();
        match method {
            "oat" => {
                // base, then low and high of each parameter in turn.
                let roles: Vec<&str> = d.iter().map(|r| r["role"].as_str()).collect();
                assert_eq!(roles, ["base", "low", "high", "low", "high"]);
                for r in &ranking {
                    let i = d
                        .iter()
                        .position(|x| x["role"] == "low" && x["changed"] == r["path"]);
                    let lo: f64 = r["outcome_at_lo"].parse().unwrap();
                    assert_eq!(lo, y(i.unwrap()));
                }
            }
            "morris" => {
                // μ* from the rows of design.csv, as SALib's morris.analyze reads them.
                for r in &ranking {
                    let path = &r["path"];
                    let mut effects = Vec::new();
                    for i in 1..d.len() {
                        if d[i]["changed"] == *path && d[i]["step"] != "0" {
                            let dx = d[i][path.as_str()].parse::<f64>().unwrap()
                                - d[i - 1][path.as_str()].parse::<f64>().unwrap();
                            let (lo, hi) = if path == "market.ai_demand_growth" {
                                (0.1, 0.5)
                            } else {
                                (0.1, 0.3)
                            };
                            effects.push((y(i) - y(i - 1)) / (dx / (hi - lo)));
                        }
                    }
                    let mu_star = effects.iter().map(|e: &f64| e.abs()).sum::<f64>() / 2.0;
                    let want: f64 = r["mu_star"].parse().unwrap();
                    assert!(
                        (mu_star - want).abs() <= 1e-9 * want.abs().max(1.0),
                        "{path}"
                    );
                }
            }
            _ => {
                let count = |role: &str| d.iter().filter(|r| r["role"] == role).count();
                assert_eq!(
                    [count("A"), count("B"), count("AB_0"), count("AB_1")],
                    [4; 4]
                );
                // AB_0 is A with parameter 0 from B.
                for j in 0..4 {
                    let at = |role: &str| {
                        d.iter()
                            .find(|r| r["role"] == role && r["sample"] == j.to_string())
                            .unwrap()
                    };
                    let (a, b, ab) = (at("A"), at("B"), at("AB_0"));
                    assert_eq!(ab["market.ai_demand_growth"], b["market.ai_demand_growth"]);
                    assert_eq!(ab["policy.tax_credit_large"], a["policy.tax_credit_large"]);
                }
            }
        }
    }
    // A sweep: grid levels, and the outcomes of sweep.csv.
    let out = tmp.path().join("sweep");
    cmd()
        .args(["sweep", "scenarios/baseline.ron", "--runs", "3", "--quiet"])
        .args(["--param", "policy.tax_credit_large=0.1..0.3:3"])
        .args(["--param", "market.ai_demand_growth=0.1..0.5:2"])
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let d = rows(&out.join("design.csv"));
    let s = rows(&out.join("sweep.csv"));
    assert_eq!(d.len(), 6);
    for (r, t) in d.iter().zip(&s) {
        assert_eq!(r["role"], "grid");
        let p = r.keys().find(|k| k.starts_with("P(")).unwrap();
        assert_eq!(r[p], t[p]);
        assert_eq!(r["policy.tax_credit_large"], t["policy.tax_credit_large"]);
    }
    let levels: Vec<(String, String)> = d
        .iter()
        .map(|r| {
            (
                r["policy.tax_credit_large level"].clone(),
                r["market.ai_demand_growth level"].clone(),
            )
        })
        .collect();
    assert_eq!(levels[0], ("0".into(), "0".into()));
    assert_eq!(levels[5], ("2".into(), "1".into()));
}
