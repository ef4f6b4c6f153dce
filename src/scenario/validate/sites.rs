//! Sites, with their land, power, water and talent, and the links between them.

use super::checker::{Checker, join};
use crate::scenario::Scenario;
use crate::scenario::locate::Seg;

/// The sites' names, which firms, groups, pledges, hubs, links and events refer to.
pub(super) fn site_names(s: &Scenario) -> Vec<&str> {
    s.sites.iter().map(|x| x.name.as_str()).collect()
}

/// At least one site, each named once.
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
    }
}

/// Each site's power and water at the start cover what the fabs running there at the
/// start draw at full output: they run, so they have them. (A shortage is an event,
/// `SiteDisruption`, not a start below demand, which the model would never act on: a
/// site short from the first year only stops new modules there.)
pub(super) fn check_start_utilities(c: &mut Checker, s: &Scenario) {
    let mut power = vec![0.0; s.sites.len()];
    let mut water = vec![0.0; s.sites.len()];
    for fab in s.firms.iter().flat_map(|f| &f.fabs) {
        let running = fab.until.is_none_or(|u| u >= s.start_year);
        let site = s.sites.iter().position(|x| x.name == fab.site);
        if let (true, Some(i), Some(sp)) = (running, site, s.market.segments.get(&fab.segment)) {
            power[i] += fab.kwpm * sp.power_mw_per_kwpm;
            water[i] += fab.kwpm * sp.water_ktd_per_kwpm;
        }
    }
    for (i, site) in s.sites.iter().enumerate() {
        for (field, have, need, unit) in [
            ("power_mw", site.power_mw, power[i], "MW of power"),
            (
                "water_ktd",
                site.water_ktd,
                water[i],
                "thousand tonnes a day of water",
            ),
        ] {
            // A relative margin for rounding in the per-wafer coefficients' sums.
            // A negative or non-finite supply is reported by the range checks already.
            if have.is_finite() && have >= 0.0 && need.is_finite() && need > have * (1.0 + 1e-9) {
                let need = crate::numbers::shortest_within(need, need * 1e-12);
                c.at(
                    &path![F("sites"), I(i), F(field)],
                    format!(
                        "site `{}` starts with {have} {unit}, less than the {need} its fabs \
                         draw at the start (their kwpm times the segments' `{}_per_kwpm`)",
                        site.name, field
                    ),
                    Some(format!(
                        "raise `{field}` to at least {need}: running fabs have what they use \
                         (a shortage at the start is a `SiteDisruption` event)"
                    )),
                );
            }
        }
    }
}
