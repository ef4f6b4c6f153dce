//! Phase 1, market: demand grows by trend, cycle and shock; the rest of the world adds
//! capacity towards demand; prices respond to demand over supply; events and site
//! disruptions apply.

use super::event_active;
use crate::model::components::{Fab, Site};
use crate::model::resources::*;
use crate::scenario::Segment;
use crate::scenario::schema::EventKind;
use bevy_ecs::prelude::*;
use rand::RngExt;
use rand_distr::{Distribution, StandardNormal};
use std::f64::consts::TAU;

/// Phase 1.
pub fn market(
    cal: Res<Calendar>,
    scen: Res<ScenarioRes>,
    drawn: Res<Drawn>,
    mut market: ResMut<MarketState>,
    mut ledger: ResMut<Ledger>,
    mut rng: ResMut<RunRng>,
    fabs: Query<&Fab>,
    sites: Query<&Site>,
) {
    let s = &scen.0;
    let p = &drawn.p.market;
    let k = cal.index as f64;
    ledger.flows = Flows::default();
    ledger.capex_now = 0.0;
    ledger.state_committed_now = 0.0;
    let mut home = [0.0; 4];
    let mut abroad = [0.0; 4];
    for fab in &fabs {
        let eff = fab.kwpm * fab.ramp;
        if fab.site.is_some() {
            home[fab.segment.index()] += eff
        } else {
            abroad[fab.segment.index()] += eff
        }
    }
    let first = cal.index == 0;
    if !first {
        let decay = (-(k - 1.0) / p.ai_growth_decay_years.max(0.1)).exp();
        let base = drawn.segments[Segment::AdvancedLogic.index()].trend_growth;
        market.ai_growth_now = base + (drawn.ai_growth - base) * decay;
        market.ai_index *= 1.0 + market.ai_growth_now;
        market.rest_fabless_usd_b *= 1.0 + drawn.world_fabless_growth;
    }
    // Chips the segments do not model, and Korean mature-node demand, follow the trend
    // and the mature-logic cycle (automotive, appliances and industry buy both).
    let mature = drawn.segments[Segment::MatureLogic.index()];
    let mature_cycle = |k: f64| {
        1.0 + mature.cycle_amplitude
            * (TAU * (k + mature.cycle_phase)
                / s.market.segments[&Segment::MatureLogic].cycle_period_years)
                .sin()
    };
    let cycle_ratio = mature_cycle(k) / mature_cycle(0.0).max(1e-9);
    market.other_chips_usd_b =
        s.market.other_chips_usd_b * (1.0 + drawn.other_chips_growth).powf(k) * cycle_ratio;
    market.domestic_mature_kwpm = s.market.domestic_mature_demand_kwpm
        * (1.0 + drawn.domestic_mature_growth).powf(k)
        * cycle_ratio;
    let ai_share = s.market.ai_share_of_advanced_logic;
    let ai_index = market.ai_index;
    for seg in Segment::ALL {
        let i = seg.index();
        let sp = &s.market.segments[&seg];
        let d = drawn.segments[i];
        let st = &mut market.seg[i];
        let plain = sp.demand_kwpm * (1.0 + d.trend_growth).powf(k);
        st.trend = if seg == Segment::AdvancedLogic {
            plain * (1.0 - ai_share) + sp.demand_kwpm * ai_share * ai_index
        } else {
            plain
        };
        let z: f64 = StandardNormal.sample(&mut rng.0);
        st.shock = sp.shock_persistence * st.shock + sp.shock_sd * z;
        let cycle = d.cycle_amplitude * (TAU * (k + d.cycle_phase) / sp.cycle_period_years).sin();
        let mut factor = 1.0;
        st.sales_loss = 0.0;
        for e in s.events.iter().filter(|e| event_active(e, cal.year)) {
            match &e.kind {
                EventKind::DemandShock { segment, factor: f } if *segment == seg => factor *= f,
                EventKind::ExportControl {
                    segment,
                    sales_loss,
                } if *segment == seg => st.sales_loss = st.sales_loss.max(*sales_loss),
                _ => {}
            }
        }
        st.demand = (st.trend * (1.0 + cycle) * st.shock.exp() * factor).max(0.0);
        let supply_before = (st.rest_of_world + home[i] + abroad[i]).max(1e-9);
        if !first {
            // The rest of the world plans to keep its share of the capacity trend demand needs.
            // The rest of the world keeps pace with trend growth and closes part of its share
            // of the gap between the capacity trend demand needs and the supply in place.
            let gap = (st.trend / p.target_utilisation - supply_before) * st.rest_of_world
                / supply_before;
            let response = if gap > 0.0 {
                sp.rest_of_world_response
            } else {
                p.rest_of_world_cut_share * sp.rest_of_world_response
            };
            st.rest_of_world =
                (st.rest_of_world * (1.0 + d.trend_growth) + response * gap).max(0.0);
        }
        st.domestic = home[i];
        st.supply = (st.rest_of_world + home[i] + abroad[i]).max(1e-9);
        st.utilisation = (st.demand / st.supply).min(1.0);
        if !first {
            let ratio = st.demand / (st.supply * p.target_utilisation);
            st.price = ratio
                .powf(1.0 / sp.price_elasticity)
                .clamp(p.price_floor, p.price_cap);
        }
        st.capex_per_kwpm = sp.capex_krw_b_per_kwpm
            * drawn.p.investment.capex_factor
            * (1.0 - sp.capex_trend).powf(k);
    }
    for v in market.site_loss.iter_mut() {
        *v = 0.0;
    }
    for (e, refs) in s.events.iter().zip(&scen.1.events) {
        if event_active(e, cal.year)
            && let EventKind::SiteDisruption { output_loss, .. } = &e.kind
            && let Some(i) = refs.site
        {
            market.site_loss[i] = (market.site_loss[i] + output_loss).min(1.0);
        }
    }
    // Friend-shoring partnerships in force make supply disruptions rarer.
    let cut = s
        .events
        .iter()
        .filter(|e| event_active(e, cal.year))
        .filter_map(|e| match e.kind {
            EventKind::FriendShoring { disruption_cut, .. } => Some(disruption_cut),
            _ => None,
        })
        .fold(0.0, f64::max)
        .clamp(0.0, 1.0);
    let disruption_probability = drawn.p.infra.disruption_probability * (1.0 - cut);
    let mut has_fabs = vec![false; s.sites.len()];
    for fab in &fabs {
        if let Some(i) = fab.site {
            has_fabs[i] = true;
        }
    }
    for site in &sites {
        if has_fabs[site.index] && rng.0.random::<f64>() < disruption_probability {
            market.site_loss[site.index] =
                (market.site_loss[site.index] + drawn.p.infra.disruption_output_loss).min(1.0);
        }
    }
}
