//! Model invariants as property tests: money is conserved (cash changes equal sales minus
//! costs and capex plus credits, grants, borrowing and entry, minus interest and exits),
//! capacity is never negative, the cluster never exceeds its entity cap.

use megacluster::model::components::{Fab, Finances, Firm};
use megacluster::model::resources::{Calendar, Ledger, Recorder};
use megacluster::model::schedule::year_schedule;
use megacluster::model::setup::build_world;
use proptest::prelude::*;
use std::sync::Arc;

mod common;

fn total_cash(world: &mut bevy_ecs::world::World) -> f64 {
    let mut q = world.query::<(&Firm, &Finances)>();
    q.iter(world).map(|(_, f)| f.cash).sum()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]
    #[test]
    fn money_is_conserved_and_capacity_stays_non_negative(seed in any::<u64>(), run in 0u64..1000) {
        let scenario = Arc::new(common::load("baseline"));
        let mut world = build_world(&scenario, seed, run);
        let mut schedule = year_schedule();
        for _ in 0..scenario.n_years() {
            let before = total_cash(&mut world);
            schedule.run(&mut world);
            let after = total_cash(&mut world);
            let f = world.resource::<Ledger>().flows;
            let expected = f.revenue - f.costs - f.capex + f.credits + f.grants - f.interest + f.net_borrowing + f.entry_cash - f.exit_cash;
            let scale = before.abs().max(after.abs()).max(1.0);
            prop_assert!(((after - before) - expected).abs() <= 1e-9 * scale, "cash moved {} but flows say {}", after - before, expected);
            let mut fabs = world.query::<&Fab>();
            for fab in fabs.iter(&world) {
                prop_assert!(fab.kwpm >= 0.0 && (0.0..=1.0).contains(&fab.ramp));
            }
            let mut firms = world.query::<&Finances>();
            for fin in firms.iter(&world) {
                prop_assert!(fin.debt >= -1e-9 && fin.revenue >= 0.0);
            }
            let mut cal = world.resource_mut::<Calendar>();
            cal.year += 1;
            cal.index += 1;
        }
        let rec = world.resource::<Recorder>();
        let m = megacluster::model::catalog::g::CLUSTER_ENTITIES;
        for y in 0..scenario.n_years() {
            prop_assert!(rec.values[y * rec.n_metrics + m] <= f64::from(scenario.entity_cap));
        }
    }
}
