//! Events (disruptions, shocks, controls abroad) and the targets runs are judged by.

use super::checker::{Checker, join};
use super::firms::firm_names;
use super::sites::site_names;
use crate::scenario::Scenario;
use crate::scenario::catalog;
use crate::scenario::limits::YEARS;
use crate::scenario::load::nearest;
use crate::scenario::locate::Seg;

/// Each event's last year valid and in order, and what it names defined.
pub(super) fn check_events(c: &mut Checker, s: &Scenario) {
    let site_names = site_names(s);
    let firm_names = firm_names(s);
    for (i, e) in s.events.iter().enumerate() {
        use crate::scenario::schema::EventKind as K;
        let p = path![F("events"), I(i)];
        let k = join(&p, &path![F("kind")]);
        let ctx = "event: ";
        if let Some(until) = e.until {
            c.year(&join(&p, &path![F("until")]), ctx, until);
            if until < e.year {
                c.at(
                    &join(&p, &path![F("until")]),
                    format!("event: until {until} is before its year {}", e.year),
                    Some("`until` is the last year in force and must not precede `year`".into()),
                );
            }
        }
        match &e.kind {
            K::SiteDisruption { site, .. } => {
                c.reference(&join(&k, &path![F("site")]), ctx, "site", site, &site_names);
            }
            K::PledgeDelay { firm, .. } => {
                c.reference(&join(&k, &path![F("firm")]), ctx, "firm", firm, &firm_names);
            }
            _ => {}
        }
    }
}

/// Each target on a known metric, in a simulated year.
pub(super) fn check_targets(c: &mut Checker, s: &Scenario) {
    // Metric names depend on the sites only, so they are safe to list even when other
    // parts of the scenario are wrong.
    let metrics = catalog::metric_names(s);
    for (i, t) in s.targets.iter().enumerate() {
        let p = path![F("targets"), I(i)];
        let ctx = format!("target `{}`: ", t.name);
        if !metrics.iter().any(|m| m == &t.metric) {
            let help = nearest(&t.metric, metrics.iter().map(String::as_str)).map_or_else(
                || {
                    "run `megacluster metrics FILE` or see scenarios/README.md for the metric names"
                        .to_owned()
                },
                |b| format!("did you mean `{b}`?"),
            );
            c.at(
                &join(&p, &path![F("metric")]),
                format!("{ctx}unknown metric `{}`", t.metric),
                Some(help),
            );
        }
        // A year no scenario may name is reported with the other ranges.
        let named = YEARS.contains(&t.year);
        if named && (t.year < s.start_year || t.year > s.end_year) {
            c.at(
                &join(&p, &path![F("year")]),
                format!(
                    "{ctx}year {} is outside the simulated years {}..{}",
                    t.year, s.start_year, s.end_year
                ),
                Some(format!(
                    "use a year from {} to {}",
                    s.start_year, s.end_year
                )),
            );
        }
    }
}
