//! The yearly schedule: the twelve phases chained in order.

use super::resources::Calendar;
use super::systems::*;
use bevy_ecs::prelude::*;
use bevy_ecs::schedule::{IntoScheduleConfigs, SingleThreadedExecutor};
use bevy_ecs::system::ScheduleSystem;
use std::time::{Duration, Instant};

/// The phases of a year, in order.
#[derive(SystemSet, Debug, Clone, PartialEq, Eq, Hash)]
pub enum Phase {
    /// 1. Market.
    Market,
    /// 2. Policy.
    Policy,
    /// 3. Infrastructure.
    Infrastructure,
    /// 4. Investment.
    Investment,
    /// 5. Construction.
    Construction,
    /// 6. Production and sales.
    Production,
    /// 7. Fabless and design houses.
    Fabless,
    /// 8. MPE suppliers.
    Mpe,
    /// 9. R&D and learning.
    Rnd,
    /// 10. Talent.
    Talent,
    /// 11. Entry and exit.
    EntryExit,
    /// 12. Metrics.
    Metrics,
}

/// Builds the schedule of one simulated year. Single-threaded: runs are parallel
/// across worlds (rayon), never inside one.
pub fn year_schedule() -> Schedule {
    let mut schedule = Schedule::default();
    schedule.set_executor(SingleThreadedExecutor::new());
    schedule.configure_sets(
        (
            Phase::Market,
            Phase::Policy,
            Phase::Infrastructure,
            Phase::Investment,
            Phase::Construction,
            Phase::Production,
            Phase::Fabless,
            Phase::Mpe,
            Phase::Rnd,
            Phase::Talent,
            Phase::EntryExit,
            Phase::Metrics,
        )
            .chain(),
    );
    schedule.add_systems((
        market::market.in_set(Phase::Market),
        policy::policy.in_set(Phase::Policy),
        infrastructure::infrastructure.in_set(Phase::Infrastructure),
        investment::investment.in_set(Phase::Investment),
        construction::construction.in_set(Phase::Construction),
        production::production.in_set(Phase::Production),
        fabless::fabless.in_set(Phase::Fabless),
        mpe::mpe.in_set(Phase::Mpe),
        rnd::rnd.in_set(Phase::Rnd),
        talent::talent.in_set(Phase::Talent),
        entry_exit::entry_exit.in_set(Phase::EntryExit),
        metrics::metrics.in_set(Phase::Metrics),
    ));
    schedule
}

/// Runs every year of a built world.
pub fn run_years(world: &mut World, schedule: &mut Schedule, n_years: usize) {
    for _ in 0..n_years {
        schedule.run(world);
        let mut cal = world.resource_mut::<Calendar>();
        cal.year += 1;
        cal.index += 1;
    }
}

/// The phases' names, in schedule order.
pub const PHASE_NAMES: [&str; 12] = [
    "market",
    "policy",
    "infrastructure",
    "investment",
    "construction",
    "production",
    "fabless",
    "mpe",
    "rnd",
    "talent",
    "entry_exit",
    "metrics",
];

/// The year's phases as one schedule each, in the order of [`year_schedule`] (and of
/// [`PHASE_NAMES`]), so that each can be timed alone. Running them in turn is the same
/// as running the year's schedule: each phase's commands are applied before the next
/// phase starts in both (a test checks that the runs are identical).
pub fn phase_schedules() -> Vec<Schedule> {
    fn one<M>(system: impl IntoScheduleConfigs<ScheduleSystem, M>) -> Schedule {
        let mut schedule = Schedule::default();
        schedule.set_executor(SingleThreadedExecutor::new());
        schedule.add_systems(system);
        schedule
    }
    vec![
        one(market::market),
        one(policy::policy),
        one(infrastructure::infrastructure),
        one(investment::investment),
        one(construction::construction),
        one(production::production),
        one(fabless::fabless),
        one(mpe::mpe),
        one(rnd::rnd),
        one(talent::talent),
        one(entry_exit::entry_exit),
        one(metrics::metrics),
    ]
}

/// [`run_years`] over [`phase_schedules`], adding the wall time of each phase to
/// `times` (for benches and profiles: what each phase costs).
pub fn run_years_timed(
    world: &mut World,
    phases: &mut [Schedule],
    n_years: usize,
    times: &mut [Duration],
) {
    for _ in 0..n_years {
        for (schedule, t) in phases.iter_mut().zip(times.iter_mut()) {
            let start = Instant::now();
            schedule.run(world);
            *t += start.elapsed();
        }
        let mut cal = world.resource_mut::<Calendar>();
        cal.year += 1;
        cal.index += 1;
    }
}
