//! Can these results be compared, and what should the reader be told?
//!
//! Documented handling of inputs that differ in shape:
//! - **a metric with different units** in two inputs: an error (the folders come from
//!   incompatible versions of megacluster, and overlaying them would draw a wrong chart);
//! - **different years** (start or end): allowed; every series is drawn and written at
//!   its own years (matched by year, never by position), the x axis spans all of them,
//!   and a note says which scenario covers which years;
//! - **metrics recorded by some inputs only** (e.g. sites that exist in one scenario):
//!   charted and written for the inputs that record them; charts name the others;
//! - **targets defined differently** under one name: kept apart (a row and a panel for
//!   each definition) and noted; the difference from the first scenario is only given
//!   for the same definition;
//! - **different numbers of runs or seeds**: allowed and noted; intervals use each
//!   input's own number of runs.

use super::Input;
use crate::error::RunError;
use std::collections::BTreeMap;

/// Most inputs one comparison takes (one colour each).
pub const MAX_INPUTS: usize = crate::output::charts::overlay::MAX_SCENARIOS;

/// Checks that `inputs` can be compared; returns notes for the reader.
pub fn check(inputs: &[Input]) -> Result<Vec<String>, RunError> {
    if inputs.len() < 2 {
        return Err(RunError::Usage(
            "compare needs at least two scenario files or run folders".into(),
        ));
    }
    if inputs.len() > MAX_INPUTS {
        return Err(RunError::Usage(format!(
            "compare takes at most {MAX_INPUTS} scenarios (one colour each); {} given",
            inputs.len()
        )));
    }
    // metric -> (unit, first input having it)
    let mut units: BTreeMap<&str, (&str, &str)> = BTreeMap::new();
    for i in inputs {
        for m in &i.result.metrics {
            match units.get(m.name.as_str()) {
                Some((unit, first)) if *unit != m.unit => {
                    return Err(RunError::Input {
                        path: i.source.path().to_owned(),
                        message: format!(
                            "metric `{}` is in `{}` here but in `{unit}` in `{first}`: these results come from incompatible versions of megacluster; run both scenarios again with this one",
                            m.name, m.unit
                        ),
                    });
                }
                Some(_) => {}
                None => {
                    units.insert(&m.name, (&m.unit, &i.label));
                }
            }
        }
    }
    let mut notes = Vec::new();
    let span = |i: &Input| {
        (
            i.result.years.first().copied().unwrap_or(0),
            i.result.years.last().copied().unwrap_or(0),
        )
    };
    if inputs.iter().any(|i| span(i) != span(&inputs[0])) {
        let parts: Vec<String> = inputs
            .iter()
            .map(|i| format!("{} {}–{}", i.label, span(i).0, span(i).1))
            .collect();
        notes.push(format!(
            "The scenarios cover different years ({}); each is drawn and tabulated at its own years.",
            parts.join(", ")
        ));
    }
    let partial = units
        .keys()
        .filter(|m| inputs.iter().any(|i| i.result.metric_index(m).is_none()))
        .count();
    if partial > 0 {
        notes.push(format!(
            "{partial} metric(s) are recorded by some scenarios only (e.g. sites that exist in one of them); they are shown for the scenarios that record them."
        ));
    }
    if inputs
        .iter()
        .any(|i| i.result.runs != inputs[0].result.runs)
    {
        let parts: Vec<String> = inputs
            .iter()
            .map(|i| format!("{} {}", i.label, i.result.runs))
            .collect();
        notes.push(format!(
            "The numbers of runs differ ({}); each probability's interval uses its own.",
            parts.join(", ")
        ));
    }
    if inputs
        .iter()
        .any(|i| i.result.seed != inputs[0].result.seed)
    {
        notes.push(
            "The seeds differ: scenarios do not share random numbers run by run, so differences include more sampling noise (the intervals account for it)."
                .into(),
        );
    }
    let mut redefined: Vec<&str> = Vec::new();
    for i in inputs {
        for t in &i.result.targets {
            let differs = inputs.iter().any(|o| {
                o.result.targets.iter().any(|u| {
                    u.name == t.name
                        && (u.metric != t.metric
                            || u.comparison != t.comparison
                            || u.value != t.value
                            || u.year != t.year)
                })
            });
            if differs && !redefined.contains(&t.name.as_str()) {
                redefined.push(&t.name);
            }
        }
    }
    if !redefined.is_empty() {
        notes.push(format!(
            "Targets defined differently between scenarios are kept apart, one row per definition: {}.",
            redefined.join(", ")
        ));
    }
    let no_scenario: Vec<&str> = inputs
        .iter()
        .filter(|i| i.scenario.is_none())
        .map(|i| i.label.as_str())
        .collect();
    if !no_scenario.is_empty() {
        notes.push(format!(
            "No scenario.ron for {}: left out of the parameter diff.",
            no_scenario.join(", ")
        ));
    }
    Ok(notes)
}
