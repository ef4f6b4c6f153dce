//! Phase 2, policy: the values of every policy schedule in force this year.

use super::event_active;
use crate::model::resources::{Calendar, Drawn, PolicyNow, ScenarioRes};
use crate::scenario::schema::EventKind;
use bevy_ecs::prelude::*;

/// Phase 2.
pub fn policy(
    cal: Res<Calendar>,
    scen: Res<ScenarioRes>,
    drawn: Res<Drawn>,
    mut now: ResMut<PolicyNow>,
) {
    let p = &scen.0.policy;
    let y = cal.year;
    let abroad_add: f64 = scen
        .0
        .events
        .iter()
        .filter(|e| event_active(e, y))
        .filter_map(|e| match e.kind {
            EventKind::SubsidyAbroad { overseas_share_add } => Some(overseas_share_add),
            _ => None,
        })
        .sum();
    now.credit_large = p.tax_credit_large.at(y);
    now.credit_sme = p.tax_credit_sme.at(y);
    now.credit_incremental = p.tax_credit_incremental.at(y);
    now.infra_fund = p.infra_fund_krw_b.at(y);
    now.permit_timeout = p.permit_timeout_years.at(y);
    // Places funded `stem_lag_years` ago graduate now (before the first listed year the
    // first value holds: programmes running before the start).
    let lag = drawn.p.talent.stem_lag_years.round() as i32;
    now.talent_programme = p.talent_programme_engineers.at(y - lag);
    now.foreign_talent = p.foreign_talent_engineers.at(y);
    now.legacy_subsidy = p.legacy_capex_subsidy.at(y);
    now.mature_sourcing = p.mature_sourcing_share.at(y);
    now.fabless_support = p.fabless_support_krw_b.at(y);
    now.per_project = p.support_per_project_krw_b.at(y);
    now.overseas_share = (p.overseas_share.at(y) + abroad_add).clamp(0.0, 1.0);
    now.rnd_budgets.clear();
    now.rnd_budgets.extend(
        p.rnd_programmes
            .values()
            .map(|prog| prog.budget_krw_b.at(y)),
    );
}
