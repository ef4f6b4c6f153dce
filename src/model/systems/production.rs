//! Phase 6, production and sales: capacity × utilisation × yield × price gives each
//! fab's sales; utilisation follows the world's and the firm's technology (market
//! share follows competitiveness); export controls and site disruptions cut output;
//! part of domestic foundry output is booked by domestic fabless firms. Interest is
//! paid and spare cash repays debt.

use super::pay;
use crate::model::components::*;
use crate::model::resources::*;
use crate::scenario::{FirmKind, Segment};
use bevy_ecs::prelude::*;

/// Sales and operating costs of one year of a fab, KRW billions.
pub fn fab_year(
    kwpm: f64,
    ramp: f64,
    utilisation: f64,
    yield_rate: f64,
    yield_max: f64,
    price_usd: f64,
    price_index: f64,
    usd_krw: f64,
    margin0: f64,
    fixed_share: f64,
    loss: f64,
) -> (f64, f64, f64) {
    let running = kwpm * ramp;
    let output = running * utilisation * (1.0 - loss);
    let good = if yield_max > 0.0 {
        (yield_rate / yield_max).min(1.0)
    } else {
        0.0
    };
    let to_krw_b = krw_b_per_kwpm_usd(usd_krw);
    let revenue = output * good * price_usd * price_index * to_krw_b;
    let unit_cost = price_usd * (1.0 - margin0) * to_krw_b;
    let costs = unit_cost * (fixed_share * running + (1.0 - fixed_share) * output);
    (revenue, costs, output)
}

/// KRW billions per kwpm-year at USD 1 per wafer: 12,000 wafers a year × the exchange rate.
pub fn krw_b_per_kwpm_usd(usd_krw: f64) -> f64 {
    12_000.0 * usd_krw / 1e9
}

/// USD billions per kwpm-year at USD 1 per wafer.
pub const USD_B_PER_KWPM_USD: f64 = 12_000.0 / 1e9;

/// Phase 6.
///
/// Each fab's utilisation is the world's times the firm's technology (capped at 1);
/// home mature-logic fabs of foundries also fill with the Korean mature-node demand
/// booked at home (the sourcing share); a site's talent shortage costs output. Cash
/// is operating profit plus depreciation (capex was paid when built). The rest of the
/// world sells what world demand leaves, so world sales and Korean firms' shares are
/// outputs, not inputs.
pub fn production(
    cal: Res<Calendar>,
    scen: Res<ScenarioRes>,
    drawn: Res<Drawn>,
    policy: Res<PolicyNow>,
    mut market: ResMut<MarketState>,
    mut ledger: ResMut<Ledger>,
    mut derived: ResMut<Derived>,
    mut firms: Query<(&Firm, &mut Finances, &Tech)>,
    fabs: Query<&Fab>,
    sites: Query<&Site>,
) {
    let s = &*scen.0;
    let p = &drawn.p;
    // Internal iteration (`for_each`) walks each table once, cheaper than `next()` per
    // row; nothing reads change ticks, so writes skip them.
    firms.iter_mut().for_each(|(firm, mut fin, _)| {
        let fin = fin.bypass_change_detection();
        fin.revenue_prev = fin.revenue;
        if firm.kind.is_manufacturer() {
            fin.revenue = 0.0;
            fin.profit = 0.0;
            fin.cash_flow = 0.0;
        }
    });
    let n_sites = s.sites.len();
    let mut shortage = vec![0.0; n_sites];
    for site in &sites {
        shortage[site.index] = site.shortage;
    }
    // Korean mature-node demand booked at home foundries, spread over their capacity.
    let mut home_mature = 0.0;
    for fab in &fabs {
        if fab.site.is_some()
            && fab.segment == Segment::MatureLogic
            && firms
                .get(fab.firm)
                .is_ok_and(|(f, _, _)| f.kind == FirmKind::Foundry)
        {
            home_mature += fab.kwpm * fab.ramp;
        }
    }
    let booked_mature = (market.domestic_mature_kwpm * policy.mature_sourcing).min(home_mature);
    derived.mature_booked_kwpm = booked_mature;
    let fill = booked_mature / home_mature.max(1e-9);
    let to_krw_b = krw_b_per_kwpm_usd(s.market.usd_krw);
    let mut out = [0.0; 4];
    let mut abroad = [0.0; 4];
    let mut firms_usd = [0.0; 4];
    let mut foundry_usd = [0.0; 4];
    let mut booked = 0.0;
    let mut home_usd = 0.0;
    derived.fab_sales_by_site.clear();
    derived.fab_sales_by_site.resize(n_sites, 0.0);
    for fab in &fabs {
        let Ok((firm, mut fin, tech)) = firms.get_mut(fab.firm) else {
            continue;
        };
        let fin = fin.bypass_change_detection();
        let i = fab.segment.index();
        let sp = &s.market.segments[&fab.segment];
        let st = &market.seg[i];
        let mut u = (st.utilisation * tech.level.powf(p.market.competitiveness_exponent)).min(1.0);
        if fab.site.is_some()
            && fab.segment == Segment::MatureLogic
            && firm.kind == FirmKind::Foundry
        {
            u += (1.0 - u) * fill;
        }
        let loss = fab.site.map_or(0.0, |x| {
            (market.site_loss[x] + p.production.shortage_output_penalty * shortage[x]).min(1.0)
        });
        let (mut revenue, costs, output) = fab_year(
            fab.kwpm,
            fab.ramp,
            u,
            fab.yield_rate,
            p.construction.yield_max,
            sp.price_usd_per_wafer,
            st.price,
            s.market.usd_krw,
            sp.operating_margin,
            p.production.fixed_cost_share,
            loss,
        );
        revenue *= 1.0 - st.sales_loss;
        // A carbon border cost on what home fabs export into the levying market.
        let carbon = if fab.site.is_some() && fab.segment.is_fab() {
            output * policy.carbon_usd_per_wafer * to_krw_b
        } else {
            0.0
        };
        let costs = costs + carbon;
        ledger.carbon_cost += carbon;
        // The state holding company's part of the operating profit (booked with costs in
        // the money flows: it leaves the firm).
        let take = (revenue - costs).max(0.0) * fab.state_take;
        let costs = costs + take;
        ledger.state_returns += take;
        let depreciation =
            fab.kwpm * fab.ramp * sp.price_usd_per_wafer * to_krw_b * sp.depreciation_share;
        fin.revenue += revenue;
        fin.profit += revenue - costs;
        fin.cash_flow += revenue - costs + depreciation;
        ledger.flows.revenue += revenue;
        // Depreciation is in the margin's costs but is not paid out: cash costs only.
        ledger.flows.costs += costs - depreciation;
        let usd = revenue / s.market.usd_krw;
        firms_usd[i] += usd;
        if firm.kind == FirmKind::Foundry && fab.segment.is_fab() && fab.segment != Segment::Memory
        {
            // Foundry sales as trackers count them: wafers at foundry value, without the
            // design value of the firm's own chips.
            let own_designs = match firm.origin {
                FirmOrigin::Named(k) => s.firms[k].design_value_share,
                FirmOrigin::Group { .. } | FirmOrigin::Entrant(..) => 0.0,
            };
            foundry_usd[i] += usd * (1.0 - own_designs);
        }
        if let Some(x) = fab.site {
            out[i] += output;
            derived.fab_sales_by_site[x] += revenue;
            if fab.segment.is_fab() {
                home_usd += usd;
            }
            if firm.kind == FirmKind::Foundry
                && matches!(fab.segment, Segment::AdvancedLogic | Segment::MatureLogic)
            {
                booked += output * p.production.foundry_domestic_share;
            }
        } else {
            abroad[i] += output;
        }
    }
    for seg in Segment::ALL {
        let i = seg.index();
        let sp = &s.market.segments[&seg];
        let st = &mut market.seg[i];
        st.domestic_output = out[i];
        st.abroad_output = abroad[i];
        // The rest of the world supplies what demand leaves, within its capacity.
        st.rest_output = (st.demand - out[i] - abroad[i]).clamp(0.0, st.rest_of_world);
        let rest_usd = st.rest_output * sp.price_usd_per_wafer * st.price * USD_B_PER_KWPM_USD;
        st.firms_sales_usd_b = firms_usd[i];
        st.korean_foundry_sales_usd_b = foundry_usd[i];
        st.foundry_sales_usd_b = foundry_usd[i] + rest_usd * sp.foundry_share;
        st.world_sales_usd_b = st.firms_sales_usd_b + rest_usd;
    }
    derived.home_chip_sales_usd_b = home_usd;
    derived.booked_foundry_prev = if cal.index == 0 {
        booked
    } else {
        derived.booked_foundry
    };
    derived.booked_foundry = booked;
    if cal.index == 0 {
        derived.booked_foundry_start = booked;
    }
    let rate = p.investment.interest_rate;
    let flows = &mut ledger.flows;
    firms.iter_mut().for_each(|(firm, mut fin, _)| {
        let fin = fin.bypass_change_detection();
        if firm.kind.is_manufacturer() {
            let flow = fin.cash_flow;
            fin.cash += flow;
            if fin.cash < 0.0 {
                let short = -fin.cash;
                fin.cash = 0.0;
                pay(fin, short, flows);
            }
        }
        let interest = fin.debt * rate;
        if interest > 0.0 {
            flows.interest += interest;
            pay(fin, interest, flows);
        }
        // Cash above the buffer repays debt.
        let spare = fin.cash - p.production.cash_buffer_share * fin.revenue;
        if spare > 0.0 && fin.debt > 0.0 {
            let repay = spare.min(fin.debt);
            fin.cash -= repay;
            fin.debt -= repay;
            flows.net_borrowing -= repay;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::fab_year;

    #[test]
    fn sales_scale_with_price_and_costs_stay_when_idle() {
        let (r1, c1, _) = fab_year(
            100.0, 1.0, 0.9, 0.9, 0.9, 4500.0, 1.0, 1305.0, 0.35, 0.5, 0.0,
        );
        let (r2, _, _) = fab_year(
            100.0, 1.0, 0.9, 0.9, 0.9, 4500.0, 0.5, 1305.0, 0.35, 0.5, 0.0,
        );
        assert!((r1 - 2.0 * r2).abs() < 1e-9);
        // 100 kwpm at USD 4,500 and 90 % utilisation: about KRW 6.3T a year.
        assert!((r1 - 6343.0).abs() < 5.0, "{r1}");
        let (r0, c0, _) = fab_year(
            100.0, 1.0, 0.0, 0.9, 0.9, 4500.0, 1.0, 1305.0, 0.35, 0.5, 0.0,
        );
        assert_eq!(r0, 0.0);
        assert!(c0 > 0.0 && c0 < c1);
    }
}
