//! One run: build the world, step every year, return the recorded metrics.

use crate::error::RunError;
use crate::model::catalog;
use crate::model::resources::Recorder;
use crate::model::schedule::{run_years, year_schedule};
use crate::model::setup::build_world;
use crate::scenario::Scenario;
use std::sync::Arc;

/// What one run produces.
#[derive(Debug, Clone, PartialEq)]
pub struct RunOutput {
    /// Run index.
    pub run: usize,
    /// `values[year_index * n_metrics + metric]`.
    pub values: Vec<f64>,
    /// Fabless and design-house sales (KRW B) in each snapshot year.
    pub snapshots: Vec<Vec<f64>>,
}

/// Simulates run `run` of a scenario with ensemble seed `seed`. The result depends on
/// (scenario, seed, run) alone.
pub fn simulate(scenario: &Arc<Scenario>, seed: u64, run: usize) -> Result<RunOutput, RunError> {
    let mut world = build_world(scenario, seed, run as u64);
    let mut schedule = year_schedule();
    run_years(&mut world, &mut schedule, scenario.n_years());
    let rec = world.remove_resource::<Recorder>().unwrap_or_default();
    if let Some(pos) = rec.values.iter().position(|v| !v.is_finite()) {
        let n = rec.n_metrics.max(1);
        let names = catalog::metric_names(scenario);
        return Err(RunError::NonFinite {
            run,
            seed,
            year: scenario.start_year + (pos / n) as i32,
            metric: names.get(pos % n).cloned().unwrap_or_default(),
        });
    }
    Ok(RunOutput {
        run,
        values: rec.values,
        snapshots: rec.snapshots,
    })
}
