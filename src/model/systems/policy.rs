//! Phase 2, policy: the values of every policy schedule in force this year.

use super::event_active;
use crate::model::resources::{Calendar, Derived, Drawn, PolicyNow, ScenarioRes};
use crate::scenario::Segment;
use crate::scenario::schema::EventKind;
use bevy_ecs::prelude::*;

/// Phase 2.
pub fn policy(
    cal: Res<Calendar>,
    scen: Res<ScenarioRes>,
    drawn: Res<Drawn>,
    derived: Res<Derived>,
    mut now: ResMut<PolicyNow>,
) {
    let p = &scen.0.policy;
    let y = cal.year;
    // Trade events in force: subsidies abroad (all segments or one), equipment export
    // controls, carbon border costs, friend-shoring.
    let mut abroad_add = [0.0; 4];
    let (mut slowdown, mut relief, mut carbon, mut friends) = (0.0, 0.0, 0.0, 0.0);
    for e in scen.0.events.iter().filter(|e| event_active(e, y)) {
        match e.kind {
            EventKind::SubsidyAbroad {
                overseas_share_add,
                segment,
            } => {
                for seg in Segment::ALL {
                    if segment.is_none_or(|x| x == seg) {
                        abroad_add[seg.index()] += overseas_share_add;
                    }
                }
            }
            EventKind::EquipmentControl { build_slowdown } => slowdown += build_slowdown,
            EventKind::CarbonBorder {
                cost_usd_per_wafer,
                market_share,
            } => carbon += cost_usd_per_wafer * market_share,
            EventKind::FriendShoring {
                equipment_relief,
                foreign_engineers,
                ..
            } => {
                relief = f64::max(relief, equipment_relief);
                friends += foreign_engineers;
            }
            _ => {}
        }
    }
    now.credit_large = p.tax_credit_large.at(y);
    now.credit_sme = p.tax_credit_sme.at(y);
    now.credit_incremental = p.tax_credit_incremental.at(y);
    now.infra_fund = p.infra_fund_krw_b.at(y);
    now.permit_timeout = p.permit_timeout_years.at(y);
    // Places funded `stem_lag_years` ago graduate now (before the first listed year the
    // first value holds: programmes running before the start).
    let lag = drawn.p.talent.stem_lag_years.round() as i32;
    now.talent_programme = p.talent_programme_engineers.at(y - lag);
    now.foreign_talent = p.foreign_talent_engineers.at(y) + friends;
    now.legacy_subsidy = p.legacy_capex_subsidy.at(y);
    now.mature_sourcing = p.mature_sourcing_share.at(y);
    now.fabless_support = p.fabless_support_krw_b.at(y);
    now.per_project = p.support_per_project_krw_b.at(y);
    let base = p.overseas_share.at(y);
    now.overseas_share = abroad_add.map(|add| (base + add).clamp(0.0, 1.0));
    let imported = (1.0 - derived.localisation).clamp(0.0, 1.0);
    now.equipment_slowdown = slowdown * imported * (1.0 - relief.clamp(0.0, 1.0));
    now.carbon_usd_per_wafer = carbon;
    now.tech_protection = p.tech_protection.at(y).clamp(0.0, 1.0);
    now.rnd_budgets.clear();
    now.rnd_budgets.extend(
        p.rnd_programmes
            .values()
            .map(|prog| prog.budget_krw_b.at(y)),
    );
}
