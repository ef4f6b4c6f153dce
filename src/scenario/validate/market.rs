//! The market: exchange rate, world demand and its growth, and all four segments.

use super::checker::{Checker, join};
use crate::scenario::Scenario;
use crate::scenario::kinds::Segment;
use crate::scenario::locate::Seg;

/// Every market number and distribution in range, and all four segments present.
pub(super) fn check_market(c: &mut Checker, s: &Scenario) {
    let m = &s.market;
    let p = path![F("market")];
    let ctx = "market: ";
    c.range(&join(&p, &path![F("usd_krw")]), ctx, m.usd_krw, 1.0, 1e5);
    c.range(
        &join(&p, &path![F("world_fabless_usd_b")]),
        ctx,
        m.world_fabless_usd_b,
        0.0,
        1e6,
    );
    c.range(
        &join(&p, &path![F("ai_share_of_advanced_logic")]),
        ctx,
        m.ai_share_of_advanced_logic,
        0.0,
        1.0,
    );
    c.dist(
        &join(&p, &path![F("world_fabless_growth")]),
        ctx,
        &m.world_fabless_growth,
        -0.5,
        1.0,
    );
    c.dist(
        &join(&p, &path![F("ai_demand_growth")]),
        ctx,
        &m.ai_demand_growth,
        -0.5,
        2.0,
    );
    for (f, v, lo, hi) in [
        ("other_chips_usd_b", m.other_chips_usd_b, 0.0, 1e6),
        (
            "domestic_mature_demand_kwpm",
            m.domestic_mature_demand_kwpm,
            0.0,
            1e7,
        ),
        (
            "exports_per_home_sales",
            m.exports_per_home_sales,
            0.0,
            10.0,
        ),
    ] {
        c.range(&join(&p, &[Seg::F(f)]), ctx, v, lo, hi);
    }
    for (f, d) in [
        ("other_chips_growth", &m.other_chips_growth),
        ("domestic_mature_growth", &m.domestic_mature_growth),
    ] {
        c.dist(&join(&p, &[Seg::F(f)]), ctx, d, -0.5, 1.0);
    }
    for seg in Segment::ALL {
        let Some(sp) = m.segments.get(&seg) else {
            c.at(
                &join(&p, &path![F("segments")]),
                format!("market segment `{}` is missing", seg.name()),
                Some("give all four: Memory, AdvancedLogic, MatureLogic, AdvancedPackaging".into()),
            );
            continue;
        };
        let q = join(&p, &[Seg::F("segments"), Seg::K(seg.name().to_owned())]);
        let ctx = format!("market segment {}: ", seg.name());
        for (f, v, lo, hi) in [
            ("demand_kwpm", sp.demand_kwpm, 0.0, 1e7),
            ("rest_of_world_kwpm", sp.rest_of_world_kwpm, 0.0, 1e7),
            ("cycle_period_years", sp.cycle_period_years, 0.5, 50.0),
            ("shock_sd", sp.shock_sd, 0.0, 2.0),
            ("shock_persistence", sp.shock_persistence, 0.0, 0.99),
            ("price_usd_per_wafer", sp.price_usd_per_wafer, 0.0, 1e6),
            ("price_index_start", sp.price_index_start, 0.01, 100.0),
            ("price_elasticity", sp.price_elasticity, 0.01, 100.0),
            (
                "rest_of_world_response",
                sp.rest_of_world_response,
                0.0,
                1.0,
            ),
            ("capex_krw_b_per_kwpm", sp.capex_krw_b_per_kwpm, 0.0, 1e5),
            ("capex_trend", sp.capex_trend, -0.5, 0.5),
            (
                "upgrade_capex_krw_b_per_kwpm",
                sp.upgrade_capex_krw_b_per_kwpm,
                0.0,
                1e4,
            ),
            ("module_kwpm", sp.module_kwpm, 0.1, 1e5),
            ("power_mw_per_kwpm", sp.power_mw_per_kwpm, 0.0, 1e4),
            ("water_ktd_per_kwpm", sp.water_ktd_per_kwpm, 0.0, 1e4),
            ("engineers_per_kwpm", sp.engineers_per_kwpm, 0.0, 1e5),
            ("operating_margin", sp.operating_margin, -1.0, 0.95),
            ("depreciation_share", sp.depreciation_share, 0.0, 0.9),
            ("foundry_share", sp.foundry_share, 0.0, 1.0),
        ] {
            c.range(&join(&q, &[Seg::F(f)]), &ctx, v, lo, hi);
        }
        for (f, d, lo, hi) in [
            ("trend_growth", &sp.trend_growth, -0.5, 1.0),
            ("cycle_amplitude", &sp.cycle_amplitude, 0.0, 0.9),
            ("cycle_phase_years", &sp.cycle_phase_years, -100.0, 100.0),
            ("build_years", &sp.build_years, 0.1, 20.0),
        ] {
            c.dist(&join(&q, &[Seg::F(f)]), &ctx, d, lo, hi);
        }
    }
}
