//! `megacluster calibrate`: it recovers known parameter values from synthetic
//! observations (simulation-based calibration, the standard check), writes its folder
//! with a calibrated scenario that loads, gives the same bytes at any thread count, and
//! refuses a bad `--param` with a message naming it. Ensembles are tiny (debug builds are
//! slow); `examples/calibrate_recovery.rs` runs the recovery check at full size.

use assert_cmd::Command;
use megacluster::scenario::paths::NewValue;
use megacluster::sim::hindcast::Plan;
use megacluster::sim::{observed, simulate};
use megacluster::tune::abc::{Particle, weighted_quantile};
use megacluster::tune::calibrate::{observed_span, synthetic_observations};
use megacluster::tune::parse_range;
use std::path::Path;
use std::sync::Arc;

mod common;

fn cmd() -> Command {
    let mut c = Command::cargo_bin("megacluster").unwrap();
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

/// The final generation of a `posterior.csv`: its parameter names and particles.
fn final_generation(dir: &Path) -> (Vec<String>, Vec<Particle>) {
    let text = std::fs::read_to_string(dir.join("posterior.csv")).unwrap();
    megacluster::cli::calibrate::final_generation(&text).unwrap()
}

#[test]
fn calibration_recovers_known_values_from_synthetic_observations() {
    let truth = [
        ("market.segments.Memory.trend_growth", "0.0..0.1", 0.03),
        ("market.ai_demand_growth", "0.1..0.5", 0.38),
        ("model.market.competitiveness_exponent", "1..5", 3.2),
    ];
    let cells = [
        ("world_logic_sales_usd_b", 2024),
        ("world_logic_sales_usd_b", 2026),
        ("world_memory_sales_usd_b", 2024),
        ("world_memory_sales_usd_b", 2026),
        ("firm_sales_krw_t.SK hynix", 2025),
        ("firm_sales_krw_t.Samsung Electronics", 2025),
        ("memory_world_share", 2026),
        ("price_index.Memory", 2025),
    ];
    // The chip cycles' phases move 2024-2026 sales far more than these parameters do;
    // they are fixed (in the data and in the calibration alike) so that a tiny CI-sized
    // ensemble can tell the parameters apart. The example runs the check without this.
    let pins = [
        "market.segments.Memory.cycle_phase_years=3",
        "market.segments.AdvancedLogic.cycle_phase_years=3",
        "market.segments.MatureLogic.cycle_phase_years=3",
    ];
    let mut s = common::load("baseline");
    for pin in pins {
        let (path, value) = pin.split_once('=').unwrap();
        megacluster::scenario::paths::set(&mut s, path, &NewValue::Text(value.into())).unwrap();
    }
    let params: Vec<_> = truth
        .iter()
        .map(|(p, r, _)| parse_range(&s, &format!("{p}={r}")).unwrap())
        .collect();
    let values: Vec<f64> = truth.iter().map(|t| t.2).collect();
    // Another seed than the calibration's: the data are not the particles' own runs.
    let csv = synthetic_observations(&s, &params, &values, &cells, 40, 7).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let obs = tmp.path().join("synthetic.csv");
    std::fs::write(&obs, csv).unwrap();
    let out = tmp.path().join("out");
    let mut c = cmd();
    c.arg("calibrate")
        .arg(common::scenario_path("baseline"))
        .arg("--observed")
        .arg(&obs)
        .args(["--particles", "60", "--runs-per-particle", "6"])
        .args([
            "--generations",
            "3",
            "--predictive-runs",
            "20",
            "--quiet",
            "--out",
        ])
        .arg(&out);
    for (p, r, _) in truth {
        c.args(["--param", &format!("{p}={r}")]);
    }
    for pin in pins {
        c.args(["--set", pin]);
    }
    c.assert().success();
    let (names, post) = final_generation(&out);
    assert_eq!(names.len(), 3);
    let mut narrower = 0;
    for (d, p) in params.iter().enumerate() {
        let (lo, hi) = (
            weighted_quantile(&post, d, 0.05),
            weighted_quantile(&post, d, 0.95),
        );
        println!(
            "{}: truth {}, posterior 90 % interval {lo:.4}..{hi:.4}, prior {}..{}",
            p.path, values[d], p.lo, p.hi
        );
        assert!(
            (lo..=hi).contains(&values[d]),
            "{}: {} outside the posterior's 90 % interval {lo}..{hi}",
            p.path,
            values[d]
        );
        if hi - lo < 0.7 * 0.9 * (p.hi - p.lo) {
            narrower += 1;
        }
    }
    assert!(narrower >= 1, "no posterior is narrower than its prior");
}

#[test]
fn the_observed_years_come_out_as_in_the_whole_run() {
    let s = common::load("baseline");
    let obs = observed::read_file(&Path::new(env!("CARGO_MANIFEST_DIR")).join("data/observed.csv"))
        .unwrap();
    let plan = Plan::new(&s, obs, true).unwrap();
    let cut = observed_span(&s, &plan);
    assert!(cut.end_year < s.end_year);
    let n = megacluster::scenario::catalog::count(&s);
    assert_eq!(n, megacluster::scenario::catalog::count(&cut));
    let years = (cut.end_year - cut.start_year + 1) as usize;
    let (whole, cut) = (Arc::new(s), Arc::new(cut));
    for run in 0..2 {
        let a = simulate(&whole, 11, run).unwrap();
        let b = simulate(&cut, 11, run).unwrap();
        assert_eq!(b.values.len(), years * n);
        let same = a.values[..years * n]
            .iter()
            .zip(&b.values)
            .all(|(x, y)| x == y || (x.is_nan() && y.is_nan()));
        assert!(same, "run {run} differs in the observed years");
    }
}

#[test]
fn the_folder_is_written_the_same_at_any_thread_count_and_its_scenario_loads() {
    let tmp = tempfile::tempdir().unwrap();
    let run = |threads: &str| {
        let out = tmp.path().join(format!("t{threads}"));
        cmd()
            .arg("calibrate")
            .arg(common::scenario_path("baseline"))
            .args(["--skip-unknown", "--particles", "10", "--runs", "2"])
            .args(["--generations", "2", "--threads", threads, "--quiet"])
            .args(["--predictive-runs", "20"])
            .args(["--param", "market.ai_demand_growth=0.1..0.5"])
            .args(["--param", "model.investment.capex_factor=0.7..1.5"])
            .args(["--set", "policy.tax_credit_large=0.2", "--out"])
            .arg(&out)
            .assert()
            .success();
        out
    };
    let (one, two) = (run("1"), run("2"));
    for f in [
        "posterior.csv",
        "result.txt",
        "settings.json",
        "calibrated.ron",
        "charts/calibrate_market_ai_demand_growth.png",
        "charts/calibrate_model_investment_capex_factor.svg",
        "charts/calibrate_pair.png",
        "charts/calibrate_predictive.png",
        "charts/calibrate_predictive.svg",
        "predictive.csv",
        "report.html",
    ] {
        assert!(one.join(f).is_file(), "{f} missing");
    }
    common::assert_chart_text(
        &one.join("charts/calibrate_predictive.svg"),
        &["prior", "posterior", "observed value"],
        None,
    );
    common::assert_chart_text(
        &one.join("charts/calibrate_model_investment_capex_factor.svg"),
        &[
            "model.investment.capex_factor",
            "Probability density",
            "prior (uniform)",
            "posterior (weighted particles)",
            "0",
        ],
        None,
    );
    for f in [
        "posterior.csv",
        "calibrated.ron",
        "predictive.csv",
        "result.txt",
    ] {
        assert_eq!(
            std::fs::read(one.join(f)).unwrap(),
            std::fs::read(two.join(f)).unwrap(),
            "{f} differs between 1 and 2 threads"
        );
    }
    // The predictive check: one row per modelled observation, drawn and reported.
    let pred = common::rows(&one.join("predictive.csv"));
    assert!(pred.len() >= 10, "{pred:?}");
    let svg = std::fs::read_to_string(one.join("charts/calibrate_predictive.svg")).unwrap();
    let report = std::fs::read_to_string(one.join("report.html")).unwrap();
    assert!(svg.contains("Prior and posterior predictive against the observations"));
    // Both escape markup; the SVG writes an apostrophe as &apos;, the report as &#39;.
    let escaped = |s: &str, apos: &str| s.replace('>', "&gt;").replace('\'', apos);
    for row in &pred {
        let name = &row["observation"];
        assert!(
            svg.contains(&escaped(name, "&apos;")),
            "{name} not in the chart"
        );
        assert!(
            report.contains(&escaped(name, "&#39;")),
            "{name} not in the report"
        );
        for k in ["covered_prior", "covered_posterior"] {
            assert!(row[k] == "0" || row[k] == "1", "{row:?}");
        }
    }
    for section in [
        "id=\"posterior\"",
        "id=\"predictive\"",
        "market.ai_demand_growth",
        "<svg",
    ] {
        assert!(report.contains(section), "report.html lacks {section}");
    }
    assert!(!report.contains("<script") && !report.contains("https://"));
    let result = std::fs::read_to_string(one.join("result.txt")).unwrap();
    assert!(
        result.contains("Predictive check (20 runs each"),
        "{result}"
    );
    let ron = std::fs::read_to_string(one.join("calibrated.ron")).unwrap();
    assert!(ron.contains("name: \"baseline-calibrated\""));
    assert!(ron.contains("ai_demand_growth: Triangular("), "{ron}");
    // The --set override is carried into the calibrated file.
    let s = megacluster::scenario::load_str(&ron, "calibrated.ron").unwrap();
    let credit = megacluster::scenario::paths::get(&s, "policy.tax_credit_large").unwrap();
    assert_eq!(credit.value, "0.2");
    cmd()
        .arg("check")
        .arg(one.join("calibrated.ron"))
        .assert()
        .success();
}

#[test]
fn a_bad_param_is_refused_with_a_message_naming_it() {
    let tmp = tempfile::tempdir().unwrap();
    for (arg, want) in [
        ("market.ai_demand_growt=0.1..0.5", "did you mean"),
        ("market.ai_demand_growth=0.5..0.1", "LO <= HI"),
        ("market.ai_demand_growth=0.3..0.3", "LO < HI"),
        ("market.ai_demand_growth", "PATH=LO..HI"),
    ] {
        let a = cmd()
            .arg("calibrate")
            .arg(common::scenario_path("baseline"))
            .args(["--param", arg, "--out"])
            .arg(tmp.path().join("x"))
            .assert()
            .failure()
            .code(2);
        let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
        assert!(err.contains(want), "`{arg}`: {err}");
    }
    assert!(!tmp.path().join("x").exists());
}

/// A small calibration (3 generations of 10 particles x 2 runs) with `extra`.
fn small(extra: &[&str]) -> Command {
    let mut c = cmd();
    c.arg("calibrate")
        .arg(common::scenario_path("baseline"))
        .args(["--skip-unknown", "--particles", "10", "--runs", "2"])
        .args(["--generations", "3", "--predictive-runs", "20", "--quiet"])
        .args(["--param", "market.ai_demand_growth=0.1..0.5"])
        .args(["--param", "model.investment.capex_factor=0.7..1.5"])
        .args(extra);
    c
}

/// Shards every round into `n` partial folders under `tmp` (`tag` in their names) and
/// merges each into `state`, until the calibration is done; returns the rounds.
fn shard_to_the_end(tmp: &Path, tag: &str, n: usize, state: &Path) -> usize {
    for round in 0..40 {
        let parts: Vec<_> = (0..n)
            .map(|k| tmp.join(format!("{tag}-r{round}-k{k}")))
            .collect();
        for (k, part) in parts.iter().enumerate() {
            let mut c = small(&["--threads", &(1 + k % 2).to_string()]);
            if round > 0 {
                c.arg("--resume").arg(state);
            }
            c.args(["--shard", &format!("{k}/{n}"), "--out"])
                .arg(part)
                .assert()
                .success();
        }
        common::merge(&parts, state).success();
        if state.join("posterior.csv").is_file() {
            return round + 1;
        }
    }
    panic!("the calibration did not end in 40 rounds");
}

#[test]
fn shards_of_each_round_merged_and_resumed_equal_one_go() {
    let tmp = tempfile::tempdir().unwrap();
    let one = tmp.path().join("one");
    small(&["--threads", "2", "--out"])
        .arg(&one)
        .assert()
        .success();
    let want = common::files(&one);
    for f in ["evaluations.csv", "scales.csv", "manifest.json"] {
        assert!(one.join(f).is_file(), "{f} missing");
    }
    for n in [2usize, 3] {
        let state = tmp.path().join(format!("state-{n}"));
        let rounds = shard_to_the_end(tmp.path(), &format!("n{n}"), n, &state);
        // Generations 1 and 2 each took more than one round here, so rounds that start
        // inside a generation are merged too.
        assert!(rounds > 3, "{rounds} rounds");
        common::assert_same_files(&want, &state, &format!("{n} shards"));
    }
    // One go resumed from the state after generation 0 also ends where one go does.
    let parts: Vec<_> = (0..2)
        .map(|k| tmp.path().join(format!("n2-r0-k{k}")))
        .collect();
    let after0 = tmp.path().join("after0");
    common::merge(&parts, &after0).success();
    assert!(!after0.join("posterior.csv").exists());
    let resumed = tmp.path().join("resumed");
    small(&["--threads", "1", "--resume"])
        .arg(&after0)
        .arg("--out")
        .arg(&resumed)
        .assert()
        .success();
    common::assert_same_files(&want, &resumed, "resumed after generation 0");
    // A shard of a finished calibration has nothing to do.
    small(&["--shard", "0/2", "--resume"])
        .arg(&one)
        .arg("--out")
        .arg(tmp.path().join("none"))
        .assert()
        .success();
    assert!(!tmp.path().join("none").exists());
}

#[test]
fn mismatched_resumes_and_merges_fail_with_a_message() {
    let tmp = tempfile::tempdir().unwrap();
    let p = |name: &str| tmp.path().join(name);
    for k in 0..2 {
        small(&["--shard", &format!("{k}/2"), "--out"])
            .arg(p(&format!("g0-{k}")))
            .assert()
            .success();
    }
    let x = p("x");
    let refused = |extra: &[&str], dir: &Path, want: &str| {
        common::refused(
            small(extra).arg("--resume").arg(dir).arg("--out").arg(&x),
            want,
        );
    };
    common::refused(small(&["--shard", "3/2", "--out"]).arg(&x), "shard 3 of 2");
    // Resuming a shard's partial folder, a missing folder, other settings.
    refused(&[], &p("g0-0"), "merge the shards");
    refused(&[], &p("missing"), "no such folder");
    common::merge(&[p("g0-0"), p("g0-1")], &p("state")).success();
    for (extra, want) in [
        (&["--seed", "9"][..], "its seed"),
        (&["--set", "policy.tax_credit_large=0.2"][..], "scenario"),
        (&["--quantile", "0.4"][..], "`quantile`"),
        (
            &["--param", "market.segments.Memory.trend_growth=0..0.1"][..],
            "`params`",
        ),
    ] {
        refused(extra, &p("state"), want);
    }
    // Another version's folder, and a corrupt one, are refused, not resumed.
    let old = p("old");
    std::fs::create_dir(&old).unwrap();
    for f in ["evaluations.csv", "scales.csv"] {
        std::fs::copy(p("state").join(f), old.join(f)).unwrap();
    }
    let manifest = std::fs::read_to_string(p("state/manifest.json")).unwrap();
    let version = format!("\"megacluster\": \"{}\"", env!("CARGO_PKG_VERSION"));
    assert!(manifest.contains(&version));
    std::fs::write(
        old.join("manifest.json"),
        manifest.replace(&version, "\"megacluster\": \"0.0.1\""),
    )
    .unwrap();
    refused(&[], &old, "megacluster version");
    let bad = p("bad");
    std::fs::create_dir(&bad).unwrap();
    std::fs::copy(p("state/manifest.json"), bad.join("manifest.json")).unwrap();
    std::fs::copy(p("state/scales.csv"), bad.join("scales.csv")).unwrap();
    let text = std::fs::read_to_string(p("state/evaluations.csv")).unwrap();
    std::fs::write(bad.join("evaluations.csv"), text.replacen(",0.", ",9.", 1)).unwrap();
    refused(&[], &bad, "evaluations.csv");
    // Shards of different rounds do not merge, and nothing is written.
    small(&["--shard", "1/2", "--resume"])
        .arg(p("state"))
        .arg("--out")
        .arg(p("g1-1"))
        .assert()
        .success();
    common::refused(
        cmd()
            .args(["merge", "--out"])
            .arg(p("merged"))
            .arg(p("g0-0"))
            .arg(p("g1-1")),
        "round",
    );
    assert!(!p("merged").exists());
    assert!(!x.exists());
}
