//! Validation: turns a parsed scenario into one the model can trust, or reports every
//! problem found, each located at the offending value in the file, with a suggestion
//! where one is likely.
//!
//! What the model relies on and this module guarantees: all four market segments are
//! present; every site, firm and programme named anywhere exists; every number is finite
//! and within its range; every distribution can be drawn; years lie in 1950..=2200.

use super::locate::Seg;
use super::schema::Scenario;
use crate::error::ScenarioError;
use checker::Checker;

/// Most runs a scenario may ask for (the same bound as `--runs`).
const MAX_RUNS: usize = 10_000_000;

/// Builds a path from the top level: `path![F("firms"), I(2), F("kwpm")]`.
macro_rules! path {
    ($($seg:expr),* $(,)?) => {{
        #[allow(unused_imports)]
        use Seg::*;
        vec![$($seg),*]
    }};
}

mod checker;
mod events;
mod firms;
mod market;
mod pledges;
mod ranges;
mod sites;

/// Checks a parsed scenario; `text` and `name` locate problems, listed in the order
/// they appear in the file.
pub fn validate(s: &Scenario, text: &str, name: &str) -> Result<(), ScenarioError> {
    let mut c = Checker::new(text, name);
    check_years_and_runs(&mut c, s);
    ranges::check_ranges(&mut c, s);
    sites::check_sites(&mut c, s);
    sites::check_start_utilities(&mut c, s);
    sites::check_links(&mut c, s);
    firms::check_firms(&mut c, s);
    firms::check_groups(&mut c, s);
    pledges::check_pledges(&mut c, s);
    pledges::check_hubs(&mut c, s);
    market::check_market(&mut c, s);
    events::check_events(&mut c, s);
    events::check_targets(&mut c, s);
    check_entity_cap(&mut c, s);
    c.finish()
}

/// The simulated years valid and in order, and the number of runs in range.
fn check_years_and_runs(c: &mut Checker, s: &Scenario) {
    c.year(&path![F("start_year")], "", s.start_year);
    c.year(&path![F("end_year")], "", s.end_year);
    if s.end_year < s.start_year {
        c.at(
            &path![F("end_year")],
            format!(
                "end_year {} is before start_year {}",
                s.end_year, s.start_year
            ),
            Some("end_year must be at or after start_year".into()),
        );
    }
    if s.runs == 0 || s.runs > MAX_RUNS {
        c.at(
            &path![F("runs")],
            format!(
                "runs is {}, but it must be between 1 and {MAX_RUNS}",
                s.runs
            ),
            None,
        );
    }
}

/// Room under `entity_cap` for the firms already in the cluster at the start.
fn check_entity_cap(c: &mut Checker, s: &Scenario) {
    let start_in_cluster = s.starting_cluster_firms();
    if (s.entity_cap as usize) < start_in_cluster {
        c.at(
            &path![F("entity_cap")],
            format!(
                "entity_cap {} is below the {} firms already in the cluster at the start",
                s.entity_cap, start_in_cluster
            ),
            Some(format!("raise entity_cap to at least {start_in_cluster}")),
        );
    }
}
