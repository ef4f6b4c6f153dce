//! One test per bug, named after it, with a line saying what broke: in loading and
//! validation (inputs that crashed the fuzz target `fuzz/` or the mutation tests go here
//! too), and in the numbers written for people and tools (issue 18).

use megacluster::scenario::load_str;
use std::path::Path;

fn baseline() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/baseline.ron"))
        .unwrap()
}

fn problems(text: &str) -> String {
    match load_str(text, "r.ron") {
        Ok(_) => panic!("loads but should not"),
        Err(e) => megacluster::error::render(&e, false),
    }
}

/// `due += years as i32` in the model overflowed (a panic in debug builds) for a pledge
/// delay near i32::MAX years (and went negative above it); validation now bounds it.
#[test]
fn pledge_delay_of_billions_of_years_overflowed_the_due_year() {
    let text = baseline().replace(
        "events: [],",
        "events: [Event(year: 2030, kind: PledgeDelay(firm: \"SK hynix\", years: 2147483647))],",
    );
    assert!(problems(&text).contains("at most 100"));
}

/// Years were unchecked except the scenario's own, so i32 arithmetic on a pledge or an
/// addition year near i32::MAX could overflow in the model.
#[test]
fn years_near_i32_max_reached_the_model() {
    let text = baseline().replace(
        "start_year: 2029, finish_year: 2033)",
        "start_year: 2029, finish_year: 2147483647)",
    );
    assert!(problems(&text).contains("years must lie between 1950 and 2200"));
    let text = baseline().replace("Addition(year: 2029,", "Addition(year: -2147483648,");
    assert!(problems(&text).contains("years must lie between 1950 and 2200"));
}

/// The old location search marked the first `kwpm` after the firm's name, so a negative
/// capacity in Samsung's fourth fab was marked on its first fab.
#[test]
fn out_of_range_values_were_marked_on_the_first_lookalike() {
    let text = baseline().replace(
        "Fab(site: \"Pyeongtaek\", segment: AdvancedLogic, kwpm: 50.0)",
        "Fab(site: \"Pyeongtaek\", segment: AdvancedLogic, kwpm: -50.0)",
    );
    let Err(megacluster::error::ScenarioError::Invalid { problems, .. }) = load_str(&text, "r.ron")
    else {
        panic!("expected validation problems")
    };
    let line = text
        .lines()
        .position(|l| l.contains("kwpm: -50.0"))
        .unwrap()
        + 1;
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].line_col.0, line);
    assert!(problems[0].message.contains("`kwpm` is -50"));
}

/// The Wilson bound at p = 0 was written 0.0000000000000000008673617379884035 and at
/// p = 1 0.9999999999999998 (floating-point residues of centre ∓ half-width).
#[test]
fn wilson_bounds_at_zero_and_one_had_residues() {
    use megacluster::output::compare::stats::wilson;
    assert_eq!(wilson(0.0, 300).0.to_string(), "0");
    assert_eq!(wilson(1.0, 300).1.to_string(), "1");
}

/// `sweep` and `search` used z = 1.96 where `compare` and the report used 1.959964: the
/// same probability got two different intervals.
#[test]
fn sweep_and_search_used_another_z_than_compare() {
    for (p, n) in [(0.3, 7), (0.5, 200), (0.99, 1000)] {
        assert_eq!(
            megacluster::tune::wilson(p, n),
            megacluster::output::compare::stats::wilson(p, n)
        );
    }
    let (lo, _) = megacluster::tune::wilson(0.5, 100);
    // z = 1.959964: 0.40383153...; z = 1.96 gave 0.40382982...
    assert!((lo - 0.403_831_5).abs() < 1e-7, "{lo}");
}
