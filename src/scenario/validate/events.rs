//! Events (disruptions, shocks, controls abroad) and the targets runs are judged by.

use super::checker::{Checker, join};
use super::firms::firm_names;
use super::sites::site_names;
use crate::scenario::Scenario;
use crate::scenario::catalog;
use crate::scenario::limits::TARGET_MAX;
use crate::scenario::load::nearest;
use crate::scenario::locate::Seg;

/// Each event's years valid and in order, and what it names and changes in range.
pub(super) fn check_events(c: &mut Checker, s: &Scenario) {
    let site_names = site_names(s);
    let firm_names = firm_names(s);
    for (i, e) in s.events.iter().enumerate() {
        use crate::scenario::schema::EventKind as K;
        let p = path![F("events"), I(i)];
        let k = join(&p, &path![F("kind")]);
        let ctx = "event: ";
        c.year(&join(&p, &path![F("year")]), ctx, e.year);
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
            K::SiteDisruption { site, output_loss } => {
                c.reference(&join(&k, &path![F("site")]), ctx, "site", site, &site_names);
                c.range(
                    &join(&k, &path![F("output_loss")]),
                    ctx,
                    *output_loss,
                    0.0,
                    1.0,
                );
            }
            K::PledgeDelay { firm, years } => {
                c.reference(&join(&k, &path![F("firm")]), ctx, "firm", firm, &firm_names);
                if *years > 100 {
                    c.at(
                        &join(&k, &path![F("years")]),
                        format!("event: a pledge delay of {years} years; at most 100"),
                        None,
                    );
                }
            }
            K::ExportControl { sales_loss, .. } => c.range(
                &join(&k, &path![F("sales_loss")]),
                ctx,
                *sales_loss,
                0.0,
                1.0,
            ),
            K::DemandShock { factor, .. } => {
                c.range(&join(&k, &path![F("factor")]), ctx, *factor, 0.0, 100.0)
            }
            K::SubsidyAbroad {
                overseas_share_add, ..
            } => c.range(
                &join(&k, &path![F("overseas_share_add")]),
                ctx,
                *overseas_share_add,
                -1.0,
                1.0,
            ),
            K::EquipmentControl { build_slowdown } => c.range(
                &join(&k, &path![F("build_slowdown")]),
                ctx,
                *build_slowdown,
                0.0,
                10.0,
            ),
            K::CarbonBorder {
                cost_usd_per_wafer,
                market_share,
            } => {
                c.range(
                    &join(&k, &path![F("cost_usd_per_wafer")]),
                    ctx,
                    *cost_usd_per_wafer,
                    0.0,
                    1e5,
                );
                c.range(
                    &join(&k, &path![F("market_share")]),
                    ctx,
                    *market_share,
                    0.0,
                    1.0,
                );
            }
            K::FriendShoring {
                disruption_cut,
                equipment_relief,
                foreign_engineers,
            } => {
                for (f, v, hi) in [
                    ("disruption_cut", *disruption_cut, 1.0),
                    ("equipment_relief", *equipment_relief, 1.0),
                    ("foreign_engineers", *foreign_engineers, 1e7),
                ] {
                    c.range(&join(&k, &path![F(f)]), ctx, v, 0.0, hi);
                }
            }
        }
    }
}

/// Each target on a known metric, in a simulated year, with a value in range.
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
        if t.year < s.start_year || t.year > s.end_year {
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
        c.range(
            &join(&p, &path![F("value")]),
            &ctx,
            t.value,
            -TARGET_MAX,
            TARGET_MAX,
        );
    }
}
