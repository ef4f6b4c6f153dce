//! The strategy's trade, leakage and scenario mechanisms act, in the direction they must,
//! and every strategy scenario file differs from the baseline beyond Monte Carlo noise on
//! at least one of its targets (`compare` at 300 runs, as the README shows).

use assert_cmd::Command;
use megacluster::scenario::Scenario;
use megacluster::scenario::kinds::Segment;
use megacluster::scenario::schema::{EventKind, EventSpec};

mod common;
use common::{load, mean};

const RUNS: usize = 60;

fn with_event(kind: EventKind, year: i32) -> Scenario {
    let mut s = load("baseline");
    s.events.push(EventSpec {
        year,
        until: Some(s.end_year),
        kind,
    });
    s
}

/// Equipment export controls slow home projects: build delays appear and home advanced-logic
/// capacity in 2030 falls.
#[test]
fn equipment_controls_slow_home_projects() {
    let base = load("baseline");
    let hit = with_event(
        EventKind::EquipmentControl {
            build_slowdown: 1.5,
        },
        2024,
    );
    assert_eq!(mean(&base, RUNS, "equipment_delay_years", 2042), 0.0);
    assert!(mean(&hit, RUNS, "equipment_delay_years", 2042) > 5.0);
    let (b, h) = (
        mean(&base, RUNS, "cluster_investment_krw_t", 2030),
        mean(&hit, RUNS, "cluster_investment_krw_t", 2030),
    );
    assert!(
        h < b,
        "cluster investment by 2030: {h} with controls, {b} without"
    );
    // Friend-shoring that relieves all of it brings the delays back to zero.
    let mut relieved = hit.clone();
    relieved.events.push(EventSpec {
        year: 2023,
        until: Some(2042),
        kind: EventKind::FriendShoring {
            disruption_cut: 0.0,
            equipment_relief: 1.0,
            foreign_engineers: 0.0,
        },
    });
    assert_eq!(mean(&relieved, RUNS, "equipment_delay_years", 2042), 0.0);
}

/// A carbon border cost is paid by home fabs and makes home modules pay less: home
/// investment by 2030 falls (about 9 %: KRW 651T to 590T at 1,000 runs), and the cost,
/// the same per wafer for every segment, is a larger part of a memory or packaging
/// wafer's margin (USD 400 of a 4,500 × 35 % memory margin, of a 12,000 × 30 % one for
/// advanced logic), so home memory capacity in 2042 falls (-7 %) while advanced logic
/// takes the land, power and talent it leaves (+14 %). By 2042 the two cancel in
/// cumulative home investment (KRW 1,526T and 1,528T at 1,000 runs): the test asked for
/// a lower 2042 figure until 2026-12-07, which held at 60 runs by chance (-0.2 % at
/// 1,000 runs with the ChaCha8 streams).
#[test]
fn a_carbon_border_cost_is_paid_and_holds_back_home_investment() {
    let base = load("baseline");
    let hit = with_event(
        EventKind::CarbonBorder {
            cost_usd_per_wafer: 400.0,
            market_share: 1.0,
        },
        2024,
    );
    assert!(mean(&hit, RUNS, "carbon_border_cost_krw_t", 2042) > 1.0);
    let at = |s: &Scenario, m: &str, year: i32| mean(s, RUNS, m, year);
    let (b, h) = (
        at(&base, "investment_krw_t", 2030),
        at(&hit, "investment_krw_t", 2030),
    );
    assert!(
        h < 0.95 * b,
        "home investment by 2030: {h} with the cost, {b} without"
    );
    let m = "capacity_kwpm.Memory";
    let (b, h) = (at(&base, m, 2042), at(&hit, m, 2042));
    assert!(
        h < 0.97 * b,
        "home memory capacity 2042: {h} with, {b} without"
    );
    let m = "capacity_kwpm.AdvancedLogic";
    let (b, h) = (at(&base, m, 2042), at(&hit, m, 2042));
    assert!(
        h > 1.05 * b,
        "home advanced logic 2042: {h} with, {b} without"
    );
}

/// Subsidies abroad for one segment pull that segment's capacity abroad.
#[test]
fn subsidies_abroad_for_one_segment_pull_that_segment() {
    let base = load("baseline");
    let hit = with_event(
        EventKind::SubsidyAbroad {
            overseas_share_add: 0.4,
            segment: Some(Segment::AdvancedLogic),
        },
        2024,
    );
    let m = "capacity_abroad_kwpm.AdvancedLogic";
    let (b, h) = (mean(&base, RUNS, m, 2042), mean(&hit, RUNS, m, 2042));
    assert!(h > b * 1.2, "advanced logic abroad: {h} with, {b} without");
}

/// Friend-shoring admits foreign engineers and makes disruptions rarer.
#[test]
fn friend_shoring_adds_engineers_and_cuts_disruptions() {
    let mut base = load("baseline");
    base.model.infra.disruption_probability = megacluster::scenario::dist::Dist::Value(0.6);
    let mut hit = base.clone();
    hit.events.push(EventSpec {
        year: 2024,
        until: Some(2042),
        kind: EventKind::FriendShoring {
            disruption_cut: 1.0,
            equipment_relief: 0.0,
            foreign_engineers: 3000.0,
        },
    });
    let (b, h) = (
        mean(&base, RUNS, "engineers_supply", 2030),
        mean(&hit, RUNS, "engineers_supply", 2030),
    );
    assert!(h > b, "engineer supply: {h} with, {b} without");
    let (b, h) = (
        mean(&base, RUNS, "manufacturing_sales_krw_t", 2030),
        mean(&hit, RUNS, "manufacturing_sales_krw_t", 2030),
    );
    assert!(
        h > b,
        "chip makers' sales: {h} without disruptions, {b} with"
    );
}

/// Leaks cost technology and so sales; protection prevents them.
#[test]
fn leaks_cost_sales_and_protection_prevents_them() {
    use megacluster::scenario::dist::Dist;
    let base = load("baseline");
    let mut leaky = base.clone();
    leaky.model.rnd.leak_probability = Dist::Value(0.2);
    leaky.model.rnd.leak_loss = Dist::Value(0.2);
    let mut guarded = leaky.clone();
    guarded.policy.tech_protection = megacluster::scenario::schedule::Schedule::Constant(1.0);
    assert_eq!(mean(&base, RUNS, "tech_leaks", 2042), 0.0);
    assert!(mean(&leaky, RUNS, "tech_leaks", 2042) > 100.0);
    assert_eq!(mean(&guarded, RUNS, "tech_leaks", 2042), 0.0);
    let m = "manufacturing_sales_krw_t";
    let (b, l) = (mean(&base, RUNS, m, 2035), mean(&leaky, RUNS, m, 2035));
    assert!(l < b, "chip makers' sales: {l} with leaks, {b} without");
}

/// An MPE complex at the national complex pulls suppliers there (within the entity cap)
/// and raises localisation once its fabs run; fast-track permits cut permit delays.
#[test]
fn an_mpe_complex_pulls_suppliers_and_fast_track_permits_cut_delays() {
    let base = load("baseline");
    let mut hub = base.clone();
    let yongin = hub
        .sites
        .iter_mut()
        .find(|x| x.name == "Yongin National")
        .unwrap();
    yongin.mpe_incentive = 2.0;
    yongin.permit_speedup = 1.0;
    assert_eq!(mean(&base, RUNS, "mpe_relocations", 2042), 0.0);
    assert!(mean(&hub, RUNS, "mpe_relocations", 2042) > 20.0);
    assert!(mean(&hub, RUNS, "cluster_entities", 2042) <= f64::from(hub.entity_cap));
    let (b, h) = (
        mean(&base, RUNS, "mpe_localisation", 2042),
        mean(&hub, RUNS, "mpe_localisation", 2042),
    );
    assert!(h > b, "localisation: {h} with the complex, {b} without");
    let (b, h) = (
        mean(&base, RUNS, "permit_delay_years", 2042),
        mean(&hub, RUNS, "permit_delay_years", 2042),
    );
    assert!(
        h < b,
        "permit delays: {h} with fast-track permits, {b} without"
    );
}

/// `compare baseline.ron X --runs 300` finds a target of X whose probability differs from
/// the baseline's beyond Monte Carlo noise, for every strategy scenario file; the
/// baseline is measured against X's targets too.
#[test]
fn every_strategy_scenario_differs_from_the_baseline_beyond_noise() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("cmp");
    for name in [
        "trade-shock",
        "leakage",
        "regional-complexes",
        "state-holding",
        "strategy-2025",
        "ai-boom",
        "memory-bust",
    ] {
        // The same --out each time: a comparison's folder is replaced by the next.
        Command::cargo_bin("megacluster")
            .unwrap()
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["compare", "scenarios/baseline.ron"])
            .arg(format!("scenarios/{name}.ron"))
            .args(["--runs", "300", "--quiet", "--out"])
            .arg(&out)
            .assert()
            .success();
        let mut rdr = csv::Reader::from_path(out.join("targets.csv")).unwrap();
        let head = rdr.headers().unwrap().clone();
        let col = |n: &str| head.iter().position(|h| h == n).unwrap();
        let (sc, target, noise) = (col("scenario"), col("target"), col("exceeds_noise"));
        let own = load(name);
        let beyond: Vec<String> = rdr
            .records()
            .map(Result::unwrap)
            .filter(|r| r[sc] == *own.name && &r[noise] == "true")
            .map(|r| r[target].to_string())
            .collect();
        assert!(
            !beyond.is_empty(),
            "{name}: no target differs from the baseline beyond noise"
        );
        // Its own targets were measured on the baseline as well.
        let baseline_rows = csv::Reader::from_path(out.join("targets.csv"))
            .unwrap()
            .records()
            .map(Result::unwrap)
            .filter(|r| &r[sc] == "baseline")
            .count();
        assert!(baseline_rows >= own.targets.len(), "{name}");
    }
}

/// Public cost is every outlay the model books, less the state's returns, and its present
/// value discounts the later years: the identity holds for ensemble means, the present
/// value is below the sum after the first year, and equals it at a zero rate.
#[test]
fn public_cost_sums_every_outlay_and_discounts_later_years() {
    let s = load("state-holding");
    let parts = [
        "tax_credits_krw_t",
        "gov_rnd_krw_t",
        "gov_infra_krw_t",
        "fabless_support_krw_t",
        "legacy_subsidy_krw_t",
        "state_coinvest_krw_t",
    ];
    let year = 2035;
    let sum: f64 = parts.iter().map(|m| mean(&s, RUNS, m, year)).sum::<f64>()
        - mean(&s, RUNS, "state_returns_krw_t", year);
    let cost = mean(&s, RUNS, "public_cost_krw_t", year);
    assert!(
        (cost - sum).abs() < 1e-9 * cost.abs().max(1.0),
        "{cost} vs {sum}"
    );
    assert!(mean(&s, RUNS, "state_coinvest_krw_t", year) > 1.0);
    let pv = mean(&s, RUNS, "public_cost_pv_krw_t", year);
    assert!(pv < cost && pv > 0.5 * cost, "present value {pv} of {cost}");
    let mut flat = s.clone();
    flat.model.public.discount_rate = megacluster::scenario::dist::Dist::Value(0.0);
    let pv0 = mean(&flat, RUNS, "public_cost_pv_krw_t", year);
    assert!((pv0 - cost).abs() < 1e-9 * cost, "{pv0} vs {cost}");
}
