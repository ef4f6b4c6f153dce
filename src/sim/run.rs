//! One run: build the world, step every year, return the recorded metrics.

use crate::error::RunError;
use crate::model::catalog;
use crate::model::resources::Recorder;
use crate::model::schedule::{phase_schedules, run_years, run_years_timed, year_schedule};
use crate::model::setup::{clear, new_world, populate};
use crate::scenario::{Resolved, Scenario};
use crate::sim::sketch::EXACT_MAX;
use bevy_ecs::prelude::*;
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

impl RunOutput {
    /// Firm-years the run simulated: `entities_total` summed over its years
    /// (`n_metrics` values a year, as [`catalog::count`] gives them).
    pub fn firm_years(&self, n_metrics: usize) -> f64 {
        self.values
            .chunks_exact(n_metrics.max(1))
            .map(|row| row[catalog::g::ENTITIES])
            .sum()
    }
}

/// Simulates run `run` of a scenario with ensemble seed `seed`. The result depends on
/// (scenario, seed, run) alone.
pub fn simulate(scenario: &Arc<Scenario>, seed: u64, run: usize) -> Result<RunOutput, RunError> {
    Simulator::new(scenario).run(seed, run)
}

/// Runs one scenario again and again, reusing one world and one schedule: the
/// schedule is built and initialised once, and the world's tables keep their memory
/// between runs. Each worker thread of an ensemble owns one. A run's result is the same
/// as [`simulate`]'s, whatever ran before it.
pub struct Simulator {
    scenario: Arc<Scenario>,
    /// The scenario's names resolved once, for every run.
    refs: Arc<Resolved>,
    world: World,
    schedule: Schedule,
    /// The phases as separate schedules, for [`Simulator::run_timed`] (made when first
    /// needed).
    phases: Option<Vec<Schedule>>,
    used: bool,
}

impl Simulator {
    /// A simulator for `scenario`.
    pub fn new(scenario: &Arc<Scenario>) -> Self {
        Self {
            scenario: Arc::clone(scenario),
            refs: Arc::new(Resolved::new(scenario)),
            world: new_world(),
            schedule: year_schedule(),
            phases: None,
            used: false,
        }
    }

    /// Simulates run `run` with ensemble seed `seed`.
    pub fn run(&mut self, seed: u64, run: usize) -> Result<RunOutput, RunError> {
        self.start(seed, run);
        run_years(&mut self.world, &mut self.schedule, self.scenario.n_years());
        self.finish(seed, run)
    }

    /// [`Simulator::run`] with the phases run one at a time, adding each phase's wall
    /// time to `times` (in the order of [`crate::model::schedule::PHASE_NAMES`]); the
    /// result is the same as `run`'s. For benches and profiles.
    pub fn run_timed(
        &mut self,
        seed: u64,
        run: usize,
        times: &mut [std::time::Duration],
    ) -> Result<RunOutput, RunError> {
        self.start(seed, run);
        let phases = self.phases.get_or_insert_with(phase_schedules);
        run_years_timed(&mut self.world, phases, self.scenario.n_years(), times);
        self.finish(seed, run)
    }

    /// Empties the world of the last run, if any, and populates it for this one.
    fn start(&mut self, seed: u64, run: usize) {
        if self.used {
            clear(&mut self.world);
        }
        self.used = true;
        populate(
            &mut self.world,
            &self.scenario,
            &self.refs,
            seed,
            run as u64,
        );
    }

    /// Takes the recorded metrics out of the world after a run, refusing values an
    /// aggregate cannot hold exactly.
    fn finish(&mut self, seed: u64, run: usize) -> Result<RunOutput, RunError> {
        let scenario = &self.scenario;
        let rec = self.world.remove_resource::<Recorder>().unwrap_or_default();
        if let Some(pos) = rec
            .values
            .iter()
            .position(|v| v.is_nan() || v.abs() > EXACT_MAX)
        {
            let n = rec.n_metrics.max(1);
            let names = catalog::metric_names(scenario);
            let year = scenario.start_year + (pos / n) as i32;
            let metric = names.get(pos % n).cloned().unwrap_or_default();
            let value = rec.values[pos];
            return Err(if value.is_finite() {
                RunError::OutOfRange {
                    run,
                    seed,
                    year,
                    metric,
                    value,
                    limit: EXACT_MAX,
                }
            } else {
                RunError::NonFinite {
                    run,
                    seed,
                    year,
                    metric,
                }
            });
        }
        Ok(RunOutput {
            run,
            values: rec.values,
            snapshots: rec.snapshots,
        })
    }
}

/// One [`Simulator`] per worker thread of a rayon pool, made when the thread first
/// needs it.
pub struct SimulatorPool {
    scenario: Arc<Scenario>,
    slots: Vec<std::sync::Mutex<Option<Simulator>>>,
}

impl SimulatorPool {
    /// A pool for `threads` worker threads.
    pub fn new(scenario: &Arc<Scenario>, threads: usize) -> Self {
        Self {
            scenario: Arc::clone(scenario),
            slots: (0..threads.max(1))
                .map(|_| std::sync::Mutex::new(None))
                .collect(),
        }
    }

    /// Simulates run `run` on the calling thread's simulator.
    pub fn simulate(&self, seed: u64, run: usize) -> Result<RunOutput, RunError> {
        let slot = rayon::current_thread_index().unwrap_or(0) % self.slots.len();
        let mut sim = self.slots[slot]
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        sim.get_or_insert_with(|| Simulator::new(&self.scenario))
            .run(seed, run)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load::load_file;

    /// A reused world gives each run exactly what a new world gives it, in any order.
    #[test]
    fn reused_world_matches_new_world() {
        let s = Arc::new(load_file(std::path::Path::new("scenarios/baseline.ron")).unwrap());
        let mut sim = Simulator::new(&s);
        for r in [3, 0, 7, 3, 1] {
            let reused = sim.run(11, r).unwrap();
            let fresh = simulate(&s, 11, r).unwrap();
            assert_eq!(reused, fresh, "run {r}");
        }
    }

    /// Phases run one schedule at a time give the runs of the year's one schedule, bit
    /// for bit, and every phase takes some time.
    #[test]
    fn timed_phases_match_the_year_schedule() {
        let s = Arc::new(load_file(std::path::Path::new("scenarios/baseline.ron")).unwrap());
        let mut sim = Simulator::new(&s);
        let mut times = [std::time::Duration::ZERO; 12];
        for r in [0, 5, 2] {
            let timed = sim.run_timed(11, r, &mut times).unwrap();
            let plain = sim.run(11, r).unwrap();
            assert_eq!(timed, plain, "run {r}");
        }
        assert!(times.iter().all(|t| !t.is_zero()), "{times:?}");
    }
}
