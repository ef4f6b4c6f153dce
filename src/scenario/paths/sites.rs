//! Sites (with their power and water additions) and the links between them.

use super::SlotMut as S;
use super::visit::Visitor;
use crate::scenario::limits::{
    ENGINEERS_MAX, LAND_HA_MAX, POWER_MW_MAX, PUBLIC_COST_KRW_B_MAX, WATER_KTD_MAX,
};
use crate::scenario::schema::{Addition, Scenario};

/// `sites.<name>.*` and `links["<a>/<b>"].*`.
pub(super) fn visit(v: &mut Visitor<'_>, s: &mut Scenario) {
    v.named(
        "sites",
        &mut s.sites,
        |site| site.name.clone(),
        |v, site| {
            v.context(format!("site `{}`: ", site.name));
            v.at(
                "x_km",
                S::F64(&mut site.x_km),
                "km",
                "Position east of Seoul City Hall",
                -2000.0,
                2000.0,
            );
            v.at(
                "y_km",
                S::F64(&mut site.y_km),
                "km",
                "Position north of Seoul City Hall (negative = south)",
                -2000.0,
                2000.0,
            );
            v.at(
                "land_ha",
                S::F64(&mut site.land_ha),
                "ha",
                "Land still available for new fabs and firms",
                0.0,
                LAND_HA_MAX,
            );
            v.at(
                "power_mw",
                S::F64(&mut site.power_mw),
                "MW",
                "Grid power available at the start",
                0.0,
                POWER_MW_MAX,
            );
            v.at(
                "water_ktd",
                S::F64(&mut site.water_ktd),
                "kt/day",
                "Industrial water available at the start",
                0.0,
                WATER_KTD_MAX,
            );
            v.at(
                "talent_engineers",
                S::F64(&mut site.talent_engineers),
                "engineers",
                "Semiconductor engineers living within reach at the start",
                0.0,
                ENGINEERS_MAX,
            );
            v.at(
                "talent_growth",
                S::Dist(&mut site.talent_growth),
                "fraction/yr",
                "Yearly growth of the local engineer pool",
                -0.5,
                1.0,
            );
            v.at(
                "extra_tax_credit",
                S::F64(&mut site.extra_tax_credit),
                "fraction of capex",
                "Extra investment tax credit at this site (opportunity zones)",
                0.0,
                1.0,
            );
            v.at(
                "mpe_incentive",
                S::F64(&mut site.mpe_incentive),
                "weight",
                "Pull of an MPE complex: entry weight 1 + this for MPE entrants, relocation chance mpe.relocation_rate x this",
                0.0,
                10.0,
            );
            v.at(
                "permit_speedup",
                S::F64(&mut site.permit_speedup),
                "fraction",
                "Share of a project's permit delay waived at this site (fast-track permits)",
                0.0,
                1.0,
            );
            v.at(
                "land_discount",
                S::F64(&mut site.land_discount),
                "fraction",
                "Share of the land price waived at this site: the state pays this share of the land of new fab projects and MPE plots here (at model.investment.land_price_krw_b_per_ha), and it pulls MPE suppliers like an mpe_incentive of model.mpe.land_pull x this",
                0.0,
                1.0,
            );
            for (what, adds, unit, hi) in [
                (
                    "power_additions",
                    &mut site.power_additions,
                    "MW",
                    POWER_MW_MAX,
                ),
                (
                    "water_additions",
                    &mut site.water_additions,
                    "kt/day",
                    WATER_KTD_MAX,
                ),
            ] {
                v.indexed(what, adds, |v, a| addition(v, a, unit, hi));
            }
        },
    );
    v.named(
        "links",
        &mut s.links,
        |link| format!("{}/{}", link.a, link.b),
        |v, link| {
            v.context("link: ".into());
            v.at(
                "distance_km",
                S::OptF64(&mut link.distance_km),
                "km",
                "Road distance (none = straight-line distance between positions)",
                0.0,
                5000.0,
            );
        },
    );
}

/// One planned power or water addition, `unit` being the resource's and `hi` its
/// largest amount.
fn addition(v: &mut Visitor<'_>, a: &mut Addition, unit: &'static str, hi: f64) {
    v.year("year", &mut a.year, "Planned year in service");
    v.at(
        "amount",
        S::F64(&mut a.amount),
        unit,
        "Amount added",
        0.0,
        hi,
    );
    v.at(
        "delay_years",
        S::Dist(&mut a.delay_years),
        "years",
        "Random delay beyond the plan, drawn once per run (before the permit timeout)",
        0.0,
        50.0,
    );
    v.at(
        "public_cost_krw_b",
        S::F64(&mut a.public_cost_krw_b),
        "KRW B",
        "Public cost, booked to the state in the year the addition comes into service",
        0.0,
        PUBLIC_COST_KRW_B_MAX,
    );
}
