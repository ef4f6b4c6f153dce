//! Phase 5, construction: projects are paid for year by year (tax credits refunded as
//! capex is paid; a firm that cannot finance a year's payment stalls the project);
//! finished projects start only within their site's power and water headroom (the wait
//! is recorded as an infrastructure delay); running fabs ramp up, slowed by talent
//! shortage, and learn yield.

use super::investment::credit_rate;
use super::{debt_room, pay};
use crate::model::components::*;
use crate::model::resources::*;
use crate::scenario::{Scenario, Segment};
use bevy_ecs::entity::EntityHashMap;
use bevy_ecs::prelude::*;

/// Phase 5.
pub fn construction(
    cal: Res<Calendar>,
    scen: Res<ScenarioRes>,
    drawn: Res<Drawn>,
    mut ledger: ResMut<Ledger>,
    mut commands: Commands,
    mut firms: Query<(&Firm, &mut Finances)>,
    policy: Res<PolicyNow>,
    mut projects: Query<(Entity, &mut Project)>,
    mut fabs: Query<(Entity, &mut Fab)>,
    mut sites: Query<&mut Site>,
) {
    let s = &*scen.0;
    let year = cal.year;
    let c = drawn.p.construction;
    let n = s.sites.len();
    let mut shortage = vec![0.0; n];
    let mut power_head = vec![0.0; n];
    let mut water_head = vec![0.0; n];
    for site in &sites {
        shortage[site.index] = site.shortage;
        power_head[site.index] = site.power_supply_mw;
        water_head[site.index] = site.water_supply_ktd;
    }
    let per = |seg: Segment| {
        let sp = &s.market.segments[&seg];
        (sp.power_mw_per_kwpm, sp.water_ktd_per_kwpm)
    };
    // The same for every fab: computed once.
    let learning = (-c.yield_learning).exp();
    for (e, mut fab) in &mut fabs {
        // Nothing reads change ticks: writes skip them.
        let fab = fab.bypass_change_detection();
        // A planned closure: the line stops after its last year.
        if fab.until.is_some_and(|u| year > u) {
            fab.kwpm = 0.0;
            commands.entity(e).despawn();
            continue;
        }
        if let Some(i) = fab.site {
            let (pw, wt) = per(fab.segment);
            power_head[i] -= fab.kwpm * pw;
            water_head[i] -= fab.kwpm * wt;
        }
        if fab.ramp < 1.0 {
            let slow = (1.0 - c.shortage_ramp_penalty * fab.site.map_or(0.0, |i| shortage[i]))
                .clamp(0.0, 1.0);
            fab.ramp = (fab.ramp + slow / c.ramp_years).min(1.0);
        }
        fab.yield_rate = c.yield_max - (c.yield_max - fab.yield_rate) * learning;
    }
    let leverage = drawn.p.investment.leverage_limit;
    let mut site_paid = vec![0.0; n];
    // Upgrade capex of running fabs at home (node migration): investment without new capacity.
    for (_, fab) in &fabs {
        let Some(i) = fab.site else { continue };
        let amount =
            fab.kwpm * fab.ramp * s.market.segments[&fab.segment].upgrade_capex_krw_b_per_kwpm;
        let Ok((firm, mut fin)) = firms.get_mut(fab.firm) else {
            continue;
        };
        if amount <= 0.0 || amount > fin.cash + debt_room(&fin, leverage) {
            continue;
        }
        let credit = amount * credit_rate(firm.size, &policy, s.sites[i].extra_tax_credit);
        pay_capex(&mut fin, &mut ledger, amount, credit);
        record_capex(&mut ledger, &mut site_paid, s, Some(i), fab.segment, amount);
    }
    let mut paid_by_firm: EntityHashMap<f64> = EntityHashMap::default();
    let mut finished: Vec<Project> = Vec::new();
    for (e, mut pr) in &mut projects {
        let remaining = pr.capex - pr.paid;
        if remaining > 1e-9 {
            let years_left = (pr.ready_year - year).max(1) as f64;
            let payment = remaining / years_left;
            let Ok((_, mut fin)) = firms.get_mut(pr.firm) else {
                commands.entity(e).despawn();
                continue;
            };
            let credit = payment * pr.credit_rate;
            let subsidy = payment * pr.subsidy_rate;
            let land = payment * pr.land_rate;
            // The state holding company's equity share of the payment.
            let equity = payment * pr.state_rate;
            if payment - credit - subsidy - land - equity > fin.cash + debt_room(&fin, leverage) {
                // Financing limit: the project stalls a year.
                pr.ready_year += 1;
                continue;
            }
            pay_capex(&mut fin, &mut ledger, payment, credit);
            if subsidy > 0.0 {
                fin.cash += subsidy;
                ledger.flows.grants += subsidy;
                ledger.legacy_subsidy += subsidy;
            }
            if land > 0.0 {
                fin.cash += land;
                ledger.flows.grants += land;
                ledger.land_subsidy += land;
            }
            if equity > 0.0 {
                fin.cash += equity;
                ledger.flows.grants += equity;
                ledger.state_coinvest += equity;
            }
            pr.paid += payment;
            *paid_by_firm.entry(pr.firm).or_default() += payment;
            record_capex(&mut ledger, &mut site_paid, s, pr.site, pr.segment, payment);
        }
        if year < pr.ready_year || pr.capex - pr.paid > 1e-6 {
            continue;
        }
        if let Some(i) = pr.site {
            let (pw, wt) = per(pr.segment);
            if pr.kwpm * pw > power_head[i] + 1e-9 || pr.kwpm * wt > water_head[i] + 1e-9 {
                pr.waited += 1;
                ledger.infra_delay_years += 1.0;
                continue;
            }
            power_head[i] -= pr.kwpm * pw;
            water_head[i] -= pr.kwpm * wt;
        }
        commands.entity(e).despawn();
        finished.push(*pr);
    }
    // A finished module joins the owner's fab of the same segment at the site while that
    // fab stays within `max_fab_kwpm` (ramp and yield become capacity-weighted averages);
    // otherwise, and for pledged fabs, it is a new fab.
    let mut new_fabs: Vec<Fab> = Vec::new();
    for pr in finished {
        let joins = |fab: &mut Fab| {
            let fits = pr.pledge.is_none()
                && fab.firm == pr.firm
                && fab.site == pr.site
                && fab.segment == pr.segment
                && fab.kwpm + pr.kwpm <= c.max_fab_kwpm;
            if fits {
                let total = fab.kwpm + pr.kwpm;
                fab.state_take = (fab.state_take * fab.kwpm + pr.state_take * pr.kwpm) / total;
                fab.ramp = fab.ramp * fab.kwpm / total;
                fab.yield_rate = (fab.yield_rate * fab.kwpm + c.yield_start * pr.kwpm) / total;
                fab.kwpm = total;
            }
            fits
        };
        let joined = new_fabs.iter_mut().any(joins)
            || fabs
                .iter_mut()
                .any(|(_, mut f)| f.kwpm > 0.0 && joins(&mut f));
        if !joined {
            let in_cluster = pr.site.is_some_and(|i| s.sites[i].in_cluster) && pr.segment.is_fab();
            new_fabs.push(Fab {
                firm: pr.firm,
                site: pr.site,
                segment: pr.segment,
                kwpm: pr.kwpm,
                ramp: 0.0,
                yield_rate: c.yield_start,
                in_cluster,
                until: None,
                state_take: pr.state_take,
            });
        }
    }
    for fab in new_fabs {
        commands.spawn(fab);
    }
    // Incremental credit history: last three years of capex per firm.
    for (firm, paid) in &paid_by_firm {
        if let Ok((_, mut fin)) = firms.get_mut(*firm) {
            fin.capex_history = [fin.capex_history[1], fin.capex_history[2], *paid];
        }
    }
    ledger.site_investment.resize(n, 0.0);
    for (i, v) in site_paid.into_iter().enumerate() {
        ledger.site_investment[i] += v;
    }
    let mut power = vec![0.0; n];
    let mut water = vec![0.0; n];
    for (_, fab) in &fabs {
        if let Some(i) = fab.site {
            let (pw, wt) = per(fab.segment);
            power[i] += fab.kwpm * fab.ramp * pw;
            water[i] += fab.kwpm * fab.ramp * wt;
        }
    }
    for mut site in &mut sites {
        site.power_demand_mw = power[site.index];
        site.water_demand_ktd = water[site.index];
    }
}

/// Pays capex out of a firm's cash (borrowing what cash cannot cover) and refunds the tax
/// credit, recording both flows.
fn pay_capex(fin: &mut Finances, ledger: &mut Ledger, amount: f64, credit: f64) {
    pay(fin, amount, &mut ledger.flows);
    fin.cash += credit;
    ledger.flows.capex += amount;
    ledger.flows.credits += credit;
    ledger.tax_credits += credit;
}

/// Adds capex paid at a site (or abroad, `None`) to the cumulative investment totals.
fn record_capex(
    ledger: &mut Ledger,
    site_paid: &mut [f64],
    s: &Scenario,
    site: Option<usize>,
    segment: Segment,
    amount: f64,
) {
    let Some(i) = site else {
        ledger.investment_abroad += amount;
        return;
    };
    ledger.investment += amount;
    ledger.capex_now += amount;
    site_paid[i] += amount;
    if s.sites[i].in_cluster {
        ledger.cluster_investment += amount;
    }
    if segment == Segment::AdvancedPackaging {
        ledger.packaging_investment += amount;
    }
}
