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
