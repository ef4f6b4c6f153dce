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
    let to_krw_b = 12_000.0 * usd_krw / 1e9;
    let revenue = output * good * price_usd * price_index * to_krw_b;
    let unit_cost = price_usd * (1.0 - margin0) * to_krw_b;
    let costs = unit_cost * (fixed_share * running + (1.0 - fixed_share) * output);
    (revenue, costs, output)
}

/// Phase 6.
pub fn production(
    cal: Res<Calendar>,
    scen: Res<ScenarioRes>,
    drawn: Res<Drawn>,
    mut market: ResMut<MarketState>,
    mut ledger: ResMut<Ledger>,
    mut derived: ResMut<Derived>,
    mut firms: Query<(&Firm, &mut Finances, &Tech)>,
    fabs: Query<&Fab>,
) {
    let s = &*scen.0;
    let p = &drawn.p;
    for (firm, mut fin, _) in &mut firms {
        fin.revenue_prev = fin.revenue;
        if firm.kind.is_manufacturer() {
            fin.revenue = 0.0;
            fin.profit = 0.0;
        }
    }
    let mut out = [0.0; 4];
    let mut booked = 0.0;
    for fab in &fabs {
        let Ok((firm, mut fin, tech)) = firms.get_mut(fab.firm) else {
            continue;
        };
        let i = fab.segment.index();
        let sp = &s.market.segments[&fab.segment];
        let st = &market.seg[i];
        let u = (st.utilisation * tech.level.powf(p.market.competitiveness_exponent)).min(1.0);
        let loss = fab.site.map_or(0.0, |x| market.site_loss[x]);
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
        fin.revenue += revenue;
        fin.profit += revenue - costs;
        ledger.flows.revenue += revenue;
        ledger.flows.costs += costs;
        if fab.site.is_some() {
            out[i] += output;
            if firm.kind == FirmKind::Foundry
                && matches!(fab.segment, Segment::AdvancedLogic | Segment::MatureLogic)
            {
                booked += output * p.production.foundry_domestic_share;
            }
        }
    }
    for seg in Segment::ALL {
        market.seg[seg.index()].domestic_output = out[seg.index()];
    }
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
    for (firm, mut fin, _) in &mut firms {
        if firm.kind.is_manufacturer() {
            let profit = fin.profit;
            fin.cash += profit;
            if fin.cash < 0.0 {
                let short = -fin.cash;
                fin.cash = 0.0;
                pay(&mut fin, short, &mut ledger.flows);
            }
        }
        let interest = fin.debt * rate;
        if interest > 0.0 {
            ledger.flows.interest += interest;
            pay(&mut fin, interest, &mut ledger.flows);
        }
        // Cash above a quarter of a year's sales repays debt.
        let spare = fin.cash - 0.25 * fin.revenue;
        if spare > 0.0 && fin.debt > 0.0 {
            let repay = spare.min(fin.debt);
            fin.cash -= repay;
            fin.debt -= repay;
            ledger.flows.net_borrowing -= repay;
        }
    }
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
