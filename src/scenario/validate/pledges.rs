//! Pledged fabs and R&D hubs: plans placed at sites.

use super::checker::{Checker, join};
use super::firms::firm_names;
use super::sites::site_names;
use crate::scenario::Scenario;
use crate::scenario::locate::Seg;

/// Pledges named once each, by firms and at sites that exist, with their years in order.
pub(super) fn check_pledges(c: &mut Checker, s: &Scenario) {
    c.unique(
        "pledge",
        s.pledges
            .iter()
            .enumerate()
            .map(|(i, p)| (p.name.as_str(), path![F("pledges"), I(i), F("name")]))
            .collect(),
    );
    let site_names = site_names(s);
    let firm_names = firm_names(s);
    for (i, pl) in s.pledges.iter().enumerate() {
        let p = path![F("pledges"), I(i)];
        let ctx = format!("pledge `{}`: ", pl.name);
        c.reference(
            &join(&p, &path![F("firm")]),
            &ctx,
            "firm",
            &pl.firm,
            &firm_names,
        );
        c.reference(
            &join(&p, &path![F("site")]),
            &ctx,
            "site",
            &pl.site,
            &site_names,
        );
        if pl.finish_year < pl.start_year {
            c.at(
                &join(&p, &path![F("finish_year")]),
                format!(
                    "{ctx}finish_year {} is before start_year {}",
                    pl.finish_year, pl.start_year
                ),
                Some("a pledge must start before it finishes".into()),
            );
        }
    }
}

/// Each hub at a site that exists, in an R&D programme the policy defines.
pub(super) fn check_hubs(c: &mut Checker, s: &Scenario) {
    let site_names = site_names(s);
    let programmes: Vec<&str> = s.policy.rnd_programmes.keys().map(String::as_str).collect();
    for (i, h) in s.rnd_hubs.iter().enumerate() {
        let p = path![F("rnd_hubs"), I(i)];
        let ctx = format!("hub `{}`: ", h.name);
        c.reference(
            &join(&p, &path![F("site")]),
            &ctx,
            "site",
            &h.site,
            &site_names,
        );
        c.reference(
            &join(&p, &path![F("programme")]),
            &ctx,
            "R&D programme",
            &h.programme,
            &programmes,
        );
    }
}
