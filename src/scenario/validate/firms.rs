//! Named firms and the groups of generated firms.

use super::checker::{Checker, join};
use super::sites::site_names;
use crate::scenario::Scenario;
use crate::scenario::locate::Seg;

/// Most firms a scenario may start with (named plus generated).
const MAX_START_FIRMS: u64 = 1_000_000;

/// The named firms' names, which pledges and events refer to.
pub(super) fn firm_names(s: &Scenario) -> Vec<&str> {
    s.firms.iter().map(|f| f.name.as_str()).collect()
}

/// Firms and groups named once each; every firm at sites that exist, its fabs' last
/// years valid.
pub(super) fn check_firms(c: &mut Checker, s: &Scenario) {
    let mut names: Vec<(&str, Vec<Seg>)> = s
        .firms
        .iter()
        .enumerate()
        .map(|(i, f)| (f.name.as_str(), path![F("firms"), I(i), F("name")]))
        .collect();
    names.extend(
        s.groups
            .iter()
            .enumerate()
            .map(|(i, g)| (g.name.as_str(), path![F("groups"), I(i), F("name")])),
    );
    c.unique("firm or group", names);
    let site_names = site_names(s);
    for (i, f) in s.firms.iter().enumerate() {
        let p = path![F("firms"), I(i)];
        let ctx = format!("firm `{}`: ", f.name);
        c.reference(
            &join(&p, &path![F("site")]),
            &ctx,
            "site",
            &f.site,
            &site_names,
        );
        for (k, fab) in f.fabs.iter().enumerate() {
            let q = join(&p, &path![F("fabs"), I(k)]);
            c.reference(
                &join(&q, &path![F("site")]),
                &ctx,
                "site",
                &fab.site,
                &site_names,
            );
            if let Some(y) = fab.until {
                c.year(&join(&q, &path![F("until")]), &ctx, y);
            }
        }
        for (k, e) in f.expansion_sites.iter().enumerate() {
            let q = join(&p, &path![F("expansion_sites"), I(k)]);
            c.reference(&q, &ctx, "site", e, &site_names);
        }
    }
}

/// Each group spread over sites that exist with some positive weight; and not too many
/// firms at the start in all.
pub(super) fn check_groups(c: &mut Checker, s: &Scenario) {
    let site_names = site_names(s);
    let mut start_firms = s.firms.len() as u64;
    for (i, g) in s.groups.iter().enumerate() {
        let p = path![F("groups"), I(i)];
        let ctx = format!("group `{}`: ", g.name);
        for site in g.sites.keys() {
            c.reference(
                &join(&p, &[Seg::F("sites"), Seg::KeyOf(site.clone())]),
                &ctx,
                "site",
                site,
                &site_names,
            );
        }
        let total: f64 = g.sites.values().sum();
        if total.is_nan() || total <= 0.0 {
            c.at(
                &join(&p, &path![F("sites")]),
                format!("{ctx}no site has a positive weight"),
                Some("give at least one site a weight above 0, e.g. {\"Pangyo\": 1.0}".into()),
            );
        }
        start_firms += u64::from(g.count);
    }
    if start_firms > MAX_START_FIRMS {
        c.at(
            &path![F("groups")],
            format!(
                "the scenario starts with {start_firms} firms; at most {MAX_START_FIRMS} are supported"
            ),
            Some("lower the groups' `count`".into()),
        );
    }
}
