//! The world market and its segments.

use super::SlotMut as S;
use super::visit::Visitor;
use crate::scenario::kinds::Segment;
use crate::scenario::market::{MarketSpec, SegmentSpec};

/// `market.*` and `market.segments.<segment>.*`.
pub(super) fn visit(v: &mut Visitor<'_>, m: &mut MarketSpec) {
    v.within("market", |v| {
        v.context("market: ".into());
        v.at(
            "usd_krw",
            S::F64(&mut m.usd_krw),
            "KRW per USD",
            "Exchange rate",
            1.0,
            1e5,
        );
        v.at(
            "world_fabless_usd_b",
            S::F64(&mut m.world_fabless_usd_b),
            "USD B",
            "World fabless sales in the start year (for Korea's share)",
            0.0,
            1e6,
        );
        v.at(
            "world_fabless_growth",
            S::Dist(&mut m.world_fabless_growth),
            "fraction/yr",
            "Yearly growth of world fabless sales",
            -0.5,
            1.0,
        );
        v.at(
            "ai_demand_growth",
            S::Dist(&mut m.ai_demand_growth),
            "fraction/yr",
            "Yearly growth of AI-chip demand",
            -0.5,
            2.0,
        );
        v.at(
            "ai_share_of_advanced_logic",
            S::F64(&mut m.ai_share_of_advanced_logic),
            "fraction",
            "Share of advanced-logic demand that is AI chips at the start",
            0.0,
            1.0,
        );
        v.at(
            "other_chips_usd_b",
            S::F64(&mut m.other_chips_usd_b),
            "USD B",
            "World sales of chips the segments do not model (analog, micro, discretes, opto, sensors) in the start year",
            0.0,
            1e6,
        );
        v.at(
            "other_chips_growth",
            S::Dist(&mut m.other_chips_growth),
            "fraction/yr",
            "Yearly trend growth of those sales (they follow the mature-logic cycle)",
            -0.5,
            1.0,
        );
        v.at(
            "domestic_mature_demand_kwpm",
            S::F64(&mut m.domestic_mature_demand_kwpm),
            "kwpm",
            "Korean demand for mature-node chips (automotive, appliances, domestic fabless) in the start year",
            0.0,
            1e7,
        );
        v.at(
            "domestic_mature_growth",
            S::Dist(&mut m.domestic_mature_growth),
            "fraction/yr",
            "Yearly growth of Korean mature-node demand",
            -0.5,
            1.0,
        );
        v.at(
            "exports_per_home_sales",
            S::F64(&mut m.exports_per_home_sales),
            "USD per USD",
            "Korea's chip exports per USD of chips made at home",
            0.0,
            10.0,
        );
        v.within("segments", |v| {
            for seg in Segment::ALL {
                if let Some(sp) = m.segments.get_mut(&seg) {
                    v.key(seg.name(), |v| segment(v, seg, sp));
                }
            }
        });
    });
}

/// `market.segments.<segment>.*`.
fn segment(v: &mut Visitor<'_>, seg: Segment, sp: &mut SegmentSpec) {
    v.context(format!("market segment {}: ", seg.name()));
    v.at(
        "demand_kwpm",
        S::F64(&mut sp.demand_kwpm),
        "kwpm",
        "World demand at the start",
        0.0,
        1e7,
    );
    v.at(
        "rest_of_world_kwpm",
        S::F64(&mut sp.rest_of_world_kwpm),
        "kwpm",
        "Capacity of firms not modelled (rest of the world) at the start",
        0.0,
        1e7,
    );
    v.at(
        "trend_growth",
        S::Dist(&mut sp.trend_growth),
        "fraction/yr",
        "Trend growth of demand",
        -0.5,
        1.0,
    );
    v.at(
        "cycle_amplitude",
        S::Dist(&mut sp.cycle_amplitude),
        "fraction of demand",
        "Amplitude of the chip cycle",
        0.0,
        0.9,
    );
    v.at(
        "cycle_period_years",
        S::F64(&mut sp.cycle_period_years),
        "years",
        "Cycle period",
        0.5,
        50.0,
    );
    v.at(
        "cycle_phase_years",
        S::Dist(&mut sp.cycle_phase_years),
        "years",
        "Cycle phase at the start (0 = at the trend, rising)",
        -100.0,
        100.0,
    );
    v.at(
        "shock_sd",
        S::F64(&mut sp.shock_sd),
        "log",
        "Standard deviation of the yearly demand shock",
        0.0,
        2.0,
    );
    v.at(
        "shock_persistence",
        S::F64(&mut sp.shock_persistence),
        "-",
        "Persistence of demand shocks (AR(1) coefficient)",
        0.0,
        0.99,
    );
    v.at(
        "price_usd_per_wafer",
        S::F64(&mut sp.price_usd_per_wafer),
        "USD",
        "Sales per wafer at price index 1",
        0.0,
        1e6,
    );
    v.at(
        "price_index_start",
        S::F64(&mut sp.price_index_start),
        "index",
        "Price index at the start (1 = normal)",
        0.01,
        100.0,
    );
    v.at(
        "price_elasticity",
        S::F64(&mut sp.price_elasticity),
        "-",
        "Price response to demand/supply: index = (demand/supply)^(1/elasticity)",
        0.01,
        100.0,
    );
    v.at(
        "rest_of_world_response",
        S::F64(&mut sp.rest_of_world_response),
        "fraction/yr",
        "How fast the rest of the world adds capacity towards demand (share of the gap)",
        0.0,
        1.0,
    );
    v.at(
        "capex_krw_b_per_kwpm",
        S::F64(&mut sp.capex_krw_b_per_kwpm),
        "KRW B per kwpm",
        "Capex per unit of new capacity",
        0.0,
        1e5,
    );
    v.at(
        "upgrade_capex_krw_b_per_kwpm",
        S::F64(&mut sp.upgrade_capex_krw_b_per_kwpm),
        "KRW B per kwpm per yr",
        "Yearly capex to keep running capacity at the frontier",
        0.0,
        1e4,
    );
    v.at(
        "capex_trend",
        S::F64(&mut sp.capex_trend),
        "fraction/yr",
        "Yearly decline of capex per unit of capacity (negative = rise)",
        -0.5,
        0.5,
    );
    v.at(
        "module_kwpm",
        S::F64(&mut sp.module_kwpm),
        "kwpm",
        "Size of one construction module",
        0.1,
        1e5,
    );
    v.at(
        "power_mw_per_kwpm",
        S::F64(&mut sp.power_mw_per_kwpm),
        "MW per kwpm",
        "Power drawn at full output",
        0.0,
        1e4,
    );
    v.at(
        "water_ktd_per_kwpm",
        S::F64(&mut sp.water_ktd_per_kwpm),
        "kt/day per kwpm",
        "Water drawn at full output",
        0.0,
        1e4,
    );
    v.at(
        "engineers_per_kwpm",
        S::F64(&mut sp.engineers_per_kwpm),
        "engineers per kwpm",
        "Engineers needed per unit of capacity",
        0.0,
        1e5,
    );
    v.at(
        "operating_margin",
        S::F64(&mut sp.operating_margin),
        "fraction of sales",
        "Operating margin at price index 1",
        -1.0,
        0.95,
    );
    v.at(
        "depreciation_share",
        S::F64(&mut sp.depreciation_share),
        "fraction of sales",
        "Depreciation at price index 1 (in the margin, not a cash cost)",
        0.0,
        0.9,
    );
    v.at(
        "foundry_share",
        S::F64(&mut sp.foundry_share),
        "fraction",
        "Share of the rest of the world's sales in the segment made by foundries",
        0.0,
        1.0,
    );
    v.at(
        "build_years",
        S::Dist(&mut sp.build_years),
        "years",
        "Construction time from ground-breaking to first wafers",
        0.1,
        20.0,
    );
}
