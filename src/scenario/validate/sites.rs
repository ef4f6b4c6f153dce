//! Sites, with their land, power, water and talent, and the links between them.

use super::checker::{Checker, join};
use crate::scenario::Scenario;
use crate::scenario::limits::{
    ENGINEERS_MAX, LAND_HA_MAX, POWER_MW_MAX, PUBLIC_COST_KRW_B_MAX, WATER_KTD_MAX,
};
use crate::scenario::locate::Seg;

/// The sites' names, which firms, groups, pledges, hubs, links and events refer to.
pub(super) fn site_names(s: &Scenario) -> Vec<&str> {
    s.sites.iter().map(|x| x.name.as_str()).collect()
}

/// At least one site, each named once, with its place, resources and planned additions
/// in range.
pub(super) fn check_sites(c: &mut Checker, s: &Scenario) {
    if s.sites.is_empty() {
        c.at(
            &path![F("sites")],
            "a scenario needs at least one site".into(),
            Some("add a site such as Site(name: \"Pyeongtaek\", kind: ExistingComplex, x_km: 6.4, y_km: -60.6)".into()),
        );
    }
    c.unique(
        "site",
        s.sites
            .iter()
            .enumerate()
            .map(|(i, x)| (x.name.as_str(), path![F("sites"), I(i), F("name")]))
            .collect(),
    );
    for (i, site) in s.sites.iter().enumerate() {
        let p = path![F("sites"), I(i)];
        let ctx = format!("site `{}`: ", site.name);
        for (f, v) in [("x_km", site.x_km), ("y_km", site.y_km)] {
            c.range(&join(&p, &[Seg::F(f)]), &ctx, v, -2000.0, 2000.0);
        }
        for (f, v, hi) in [
            ("land_ha", site.land_ha, LAND_HA_MAX),
            ("power_mw", site.power_mw, POWER_MW_MAX),
            ("water_ktd", site.water_ktd, WATER_KTD_MAX),
            ("talent_engineers", site.talent_engineers, ENGINEERS_MAX),
        ] {
            c.range(&join(&p, &[Seg::F(f)]), &ctx, v, 0.0, hi);
        }
        for (f, v, hi) in [
            ("extra_tax_credit", site.extra_tax_credit, 1.0),
            ("mpe_incentive", site.mpe_incentive, 10.0),
            ("permit_speedup", site.permit_speedup, 1.0),
            ("land_discount", site.land_discount, 1.0),
        ] {
            c.range(&join(&p, &[Seg::F(f)]), &ctx, v, 0.0, hi);
        }
        c.dist(
            &join(&p, &path![F("talent_growth")]),
            &ctx,
            &site.talent_growth,
            -0.5,
            1.0,
        );
        for (list, adds, hi) in [
            ("power_additions", &site.power_additions, POWER_MW_MAX),
            ("water_additions", &site.water_additions, WATER_KTD_MAX),
        ] {
            for (k, add) in adds.iter().enumerate() {
                let q = join(&p, &[Seg::F(list), Seg::I(k)]);
                c.year(&join(&q, &path![F("year")]), &ctx, add.year);
                c.range(&join(&q, &path![F("amount")]), &ctx, add.amount, 0.0, hi);
                c.range(
                    &join(&q, &path![F("public_cost_krw_b")]),
                    &ctx,
                    add.public_cost_krw_b,
                    0.0,
                    PUBLIC_COST_KRW_B_MAX,
                );
                c.dist(
                    &join(&q, &path![F("delay_years")]),
                    &ctx,
                    &add.delay_years,
                    0.0,
                    50.0,
                );
            }
        }
    }
}

/// Each link joins two different sites that exist.
pub(super) fn check_links(c: &mut Checker, s: &Scenario) {
    let site_names = site_names(s);
    for (i, link) in s.links.iter().enumerate() {
        let p = path![F("links"), I(i)];
        let ctx = "link: ";
        c.reference(&join(&p, &path![F("a")]), ctx, "site", &link.a, &site_names);
        c.reference(&join(&p, &path![F("b")]), ctx, "site", &link.b, &site_names);
        if link.a == link.b {
            c.at(
                &join(&p, &path![F("b")]),
                format!("a link from `{}` to itself", link.a),
                Some("link two different sites".into()),
            );
        }
        if let Some(d) = link.distance_km {
            c.range(&join(&p, &path![F("distance_km")]), ctx, d, 0.0, 5000.0);
        }
    }
}
