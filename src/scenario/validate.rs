//! Validation: turns a parsed scenario into one the model can trust, or reports every
//! problem found, each located at the offending value in the file, with a suggestion
//! where one is likely.
//!
//! What the model relies on and this module guarantees: all four market segments are
//! present; every site, firm and programme named anywhere exists; every number is finite
//! and within its range; every distribution can be drawn; years lie in 1950..=2200.

use super::catalog;
use super::dist::Dist;
use super::kinds::Segment;
use super::load::{nearest, problem};
use super::locate::{self, Node, Seg};
use super::schema::Scenario;
use crate::error::{Problem, ScenarioError};
use crate::numbers::for_message;
use crate::scenario::limits::{
    ENGINEERS_MAX, LAND_HA_MAX, POWER_MW_MAX, PUBLIC_COST_KRW_B_MAX, TARGET_MAX, WATER_KTD_MAX,
};

/// Years any date in a scenario may take.
const YEARS: std::ops::RangeInclusive<i32> = 1950..=2200;
/// Most firms a scenario may start with (named plus generated).
const MAX_START_FIRMS: u64 = 1_000_000;
/// Most problems listed: each carries the file's text, and a file with thousands of
/// wrong values is better fixed a hundred at a time than rendered at once.
const MAX_PROBLEMS: usize = 100;
/// Most runs a scenario may ask for (the same bound as `--runs`).
const MAX_RUNS: usize = 10_000_000;

/// Builds a path from the top level: `path![F("firms"), I(2), F("kwpm")]`.
macro_rules! path {
    ($($seg:expr),* $(,)?) => {{
        #[allow(unused_imports)]
        use Seg::*;
        vec![$($seg),*]
    }};
}

/// `base` followed by more steps.
fn join(base: &[Seg], more: &[Seg]) -> Vec<Seg> {
    base.iter().chain(more).cloned().collect()
}

/// Collects located problems.
struct Checker<'a> {
    text: &'a str,
    name: &'a str,
    root: Node,
    problems: Vec<Problem>,
    /// Problems found beyond `MAX_PROBLEMS`.
    more: usize,
}

impl Checker<'_> {
    /// Records a problem at the value `path` leads to; when the value is not written in
    /// the file (a default), at the nearest enclosing value.
    fn at(&mut self, path: &[Seg], message: String, help: Option<String>) {
        if self.problems.len() >= MAX_PROBLEMS {
            self.more += 1;
            return;
        }
        let (node, found) = self.root.find(path, self.text);
        let (offset, len, label) = if found {
            let single_line = self
                .text
                .get(node.start..node.end)
                .is_some_and(|t| !t.contains('\n'));
            if single_line && node.end > node.start {
                (node.start, node.end - node.start, "this value")
            } else {
                (node.head.0, node.head.1 - node.head.0, "here")
            }
        } else {
            let label = if path.is_empty() {
                "here"
            } else {
                "in this entry (the value is not written here: its default applies)"
            };
            (node.head.0, node.head.1.saturating_sub(node.head.0), label)
        };
        self.problems.push(problem(
            self.text,
            self.name,
            offset,
            len.max(1),
            message,
            label,
            help,
        ));
    }

    fn reference(&mut self, path: &[Seg], ctx: &str, what: &str, found: &str, valid: &[&str]) {
        if valid.contains(&found) {
            return;
        }
        let mut unique: Vec<&str> = Vec::new();
        for v in valid {
            if !unique.contains(v) {
                unique.push(v);
            }
        }
        let valid = &unique[..];
        let help = match nearest(found, valid.iter().copied()) {
            Some(best) => format!("did you mean `{best}`?"),
            None if valid.is_empty() => format!("the scenario defines no {what}"),
            None => format!("known {what}s: {}", list(valid)),
        };
        self.at(path, format!("{ctx}no {what} named `{found}`"), Some(help));
    }

    fn range(&mut self, path: &[Seg], ctx: &str, value: f64, lo: f64, hi: f64) {
        if value.is_finite() && value >= lo && value <= hi {
            return;
        }
        let field = field_of(path);
        let allowed = allowed(lo, hi);
        let what = if value.is_nan() {
            "not a number (NaN)".to_owned()
        } else if value.is_infinite() {
            "infinite".to_owned()
        } else {
            for_message(value)
        };
        self.at(
            path,
            format!("{ctx}`{field}` is {what}, but it must be {allowed}"),
            Some(format!("use a finite number {allowed}")),
        );
    }

    fn year(&mut self, path: &[Seg], ctx: &str, year: i32) {
        if !YEARS.contains(&year) {
            let field = field_of(path);
            self.at(
                path,
                format!(
                    "{ctx}`{field}` is {year}, but years must lie between {} and {}",
                    YEARS.start(),
                    YEARS.end()
                ),
                None,
            );
        }
    }

    fn dist(&mut self, path: &[Seg], ctx: &str, d: &Dist, lo: f64, hi: f64) {
        let field = field_of(path);
        if let Some(why) = d.problem() {
            self.at(
                path,
                format!("{ctx}`{field}`: {why}"),
                Some(format!("values of `{field}` must lie {}", allowed(lo, hi))),
            );
            return;
        }
        let (a, b) = d.support();
        if a < lo || b > hi {
            let shown = if d.is_uncertain() {
                format!("can take values from {a:.4} to {b:.4}")
            } else {
                format!("is {a}")
            };
            self.at(
                path,
                format!(
                    "{ctx}`{field}` {shown}, but it must be {}",
                    allowed(lo, hi)
                ),
                Some(if d.is_uncertain() {
                    format!(
                        "narrow the distribution so that every value it can take is {} (normal and log-normal: 99.8 % of draws)",
                        allowed(lo, hi)
                    )
                } else {
                    format!("use a number {}", allowed(lo, hi))
                }),
            );
        }
    }

    /// Reports every name used a second time; `names` gives each name with its path.
    fn unique(&mut self, what: &str, names: Vec<(&str, Vec<Seg>)>) {
        let mut seen: Vec<&str> = Vec::new();
        for (n, path) in names {
            if seen.contains(&n) {
                self.at(
                    &path,
                    format!("two {what}s are named `{n}`"),
                    Some(format!("give each {what} its own name")),
                );
            }
            seen.push(n);
        }
    }
}

fn field_of(path: &[Seg]) -> String {
    match path.last() {
        Some(Seg::F(f)) => (*f).to_owned(),
        Some(Seg::K(k) | Seg::KeyOf(k)) => {
            let f = path.iter().rev().find_map(|s| match s {
                Seg::F(f) => Some(*f),
                _ => None,
            });
            format!("{}[{k}]", f.unwrap_or(""))
        }
        Some(Seg::I(i)) => format!("item {}", i + 1),
        None => "value".to_owned(),
    }
}

fn allowed(lo: f64, hi: f64) -> String {
    match (lo.is_finite(), hi.is_finite()) {
        (true, true) => format!("between {} and {}", for_message(lo), for_message(hi)),
        (true, false) => format!("at least {}", for_message(lo)),
        (false, true) => format!("at most {}", for_message(hi)),
        (false, false) => "a finite number".to_owned(),
    }
}

fn list(names: &[&str]) -> String {
    if names.len() > 12 {
        format!("{}, ... ({} in all)", names[..12].join(", "), names.len())
    } else {
        names.join(", ")
    }
}

/// Checks a parsed scenario; `text` and `name` locate problems.
pub fn validate(s: &Scenario, text: &str, name: &str) -> Result<(), ScenarioError> {
    let mut c = Checker {
        text,
        name,
        root: locate::read(text),
        problems: Vec::new(),
        more: 0,
    };
    c.year(&path![F("start_year")], "", s.start_year);
    c.year(&path![F("end_year")], "", s.end_year);
    if s.end_year < s.start_year {
        c.at(
            &path![F("end_year")],
            format!(
                "end_year {} is before start_year {}",
                s.end_year, s.start_year
            ),
            Some("end_year must be at or after start_year".into()),
        );
    }
    if s.runs == 0 || s.runs > MAX_RUNS {
        c.at(
            &path![F("runs")],
            format!(
                "runs is {}, but it must be between 1 and {MAX_RUNS}",
                s.runs
            ),
            None,
        );
    }
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
    let site_names: Vec<&str> = s.sites.iter().map(|x| x.name.as_str()).collect();
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
    let firm_names: Vec<&str> = s.firms.iter().map(|f| f.name.as_str()).collect();
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
            c.range(&join(&q, &path![F("kwpm")]), &ctx, fab.kwpm, 0.0, 1e6);
            if let Some(y) = fab.until {
                c.year(&join(&q, &path![F("until")]), &ctx, y);
            }
        }
        for (k, plant) in f.plants_abroad.iter().enumerate() {
            let q = join(&p, &path![F("plants_abroad"), I(k)]);
            c.range(&join(&q, &path![F("kwpm")]), &ctx, plant.kwpm, 0.0, 1e6);
        }
        for (k, e) in f.expansion_sites.iter().enumerate() {
            let q = join(&p, &path![F("expansion_sites"), I(k)]);
            c.reference(&q, &ctx, "site", e, &site_names);
        }
        for (field, v) in [
            ("revenue_krw_b", f.revenue_krw_b),
            ("cash_krw_b", f.cash_krw_b),
            ("debt_krw_b", f.debt_krw_b),
        ] {
            c.range(&join(&p, &[Seg::F(field)]), &ctx, v, 0.0, 1e7);
        }
        c.range(
            &join(&p, &path![F("tech_level")]),
            &ctx,
            f.tech_level,
            0.0,
            5.0,
        );
        c.range(
            &join(&p, &path![F("ai_exposure")]),
            &ctx,
            f.ai_exposure,
            0.0,
            1.0,
        );
        if let Some(m) = f.operating_margin {
            c.range(&join(&p, &path![F("operating_margin")]), &ctx, m, -1.0, 1.0);
        }
    }
    let mut start_firms = s.firms.len() as u64;
    for (i, g) in s.groups.iter().enumerate() {
        let p = path![F("groups"), I(i)];
        let ctx = format!("group `{}`: ", g.name);
        for (site, w) in &g.sites {
            c.reference(
                &join(&p, &[Seg::F("sites"), Seg::KeyOf(site.clone())]),
                &ctx,
                "site",
                site,
                &site_names,
            );
            c.range(
                &join(&p, &[Seg::F("sites"), Seg::K(site.clone())]),
                &ctx,
                *w,
                0.0,
                1e6,
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
        c.dist(
            &join(&p, &path![F("revenue_krw_b")]),
            &ctx,
            &g.revenue_krw_b,
            0.0,
            1e7,
        );
        c.dist(
            &join(&p, &path![F("tech_level")]),
            &ctx,
            &g.tech_level,
            0.0,
            5.0,
        );
        c.dist(
            &join(&p, &path![F("ai_exposure")]),
            &ctx,
            &g.ai_exposure,
            0.0,
            1.0,
        );
        if let Some(m) = &g.operating_margin {
            c.dist(&join(&p, &path![F("operating_margin")]), &ctx, m, -1.0, 1.0);
        }
        c.range(
            &join(&p, &path![F("supported_share")]),
            &ctx,
            g.supported_share,
            0.0,
            1.0,
        );
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
    c.unique(
        "pledge",
        s.pledges
            .iter()
            .enumerate()
            .map(|(i, p)| (p.name.as_str(), path![F("pledges"), I(i), F("name")]))
            .collect(),
    );
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
        c.range(&join(&p, &path![F("kwpm")]), &ctx, pl.kwpm, 0.0, 1e6);
        c.range(
            &join(&p, &path![F("capex_krw_b")]),
            &ctx,
            pl.capex_krw_b,
            0.0,
            1e7,
        );
        c.year(&join(&p, &path![F("start_year")]), &ctx, pl.start_year);
        c.year(&join(&p, &path![F("finish_year")]), &ctx, pl.finish_year);
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
        c.range(&join(&p, &path![F("share")]), &ctx, h.share, 0.0, 1.0);
    }
    check_market(&mut c, s);
    check_policy(&mut c, s);
    for (i, e) in s.events.iter().enumerate() {
        use super::schema::EventKind as K;
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
    for (group, fields, ranges, entries) in s.model.groups() {
        for ((field, _, _), ((lo, hi), (_, d))) in fields.iter().zip(ranges.iter().zip(entries)) {
            c.dist(
                &[Seg::F("model"), Seg::F(group), Seg::F(field)],
                &format!("model.{group}: "),
                d,
                *lo,
                *hi,
            );
        }
    }
    let start_in_cluster = s.starting_cluster_firms();
    c.range(
        &path![F("entity_cap")],
        "",
        f64::from(s.entity_cap),
        0.0,
        1e9,
    );
    if (s.entity_cap as usize) < start_in_cluster {
        c.at(
            &path![F("entity_cap")],
            format!(
                "entity_cap {} is below the {} firms already in the cluster at the start",
                s.entity_cap, start_in_cluster
            ),
            Some(format!("raise entity_cap to at least {start_in_cluster}")),
        );
    }
    if c.more > 0 {
        c.problems.push(problem(
            text,
            name,
            0,
            1,
            format!("{} more problem(s) not listed: fix these first", c.more),
            "here",
            None,
        ));
    }
    if c.problems.is_empty() {
        Ok(())
    } else {
        let n = c.problems.len();
        for (i, p) in c.problems.iter_mut().enumerate() {
            p.number = Some((i + 1, n));
        }
        Err(ScenarioError::Invalid {
            path: name.to_owned(),
            problems: c.problems,
        })
    }
}

fn check_market(c: &mut Checker, s: &Scenario) {
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

fn check_policy(c: &mut Checker, s: &Scenario) {
    let p = &s.policy;
    let checks: [(&'static str, &super::schedule::Schedule, f64, f64); 13] = [
        ("tax_credit_large", &p.tax_credit_large, 0.0, 1.0),
        ("tax_credit_sme", &p.tax_credit_sme, 0.0, 1.0),
        (
            "tax_credit_incremental",
            &p.tax_credit_incremental,
            0.0,
            1.0,
        ),
        ("infra_fund_krw_b", &p.infra_fund_krw_b, 0.0, 1e7),
        ("permit_timeout_years", &p.permit_timeout_years, 0.0, 50.0),
        (
            "talent_programme_engineers",
            &p.talent_programme_engineers,
            0.0,
            1e7,
        ),
        ("fabless_support_krw_b", &p.fabless_support_krw_b, 0.0, 1e7),
        (
            "support_per_project_krw_b",
            &p.support_per_project_krw_b,
            0.0,
            1e7,
        ),
        ("overseas_share", &p.overseas_share, 0.0, 1.0),
        (
            "foreign_talent_engineers",
            &p.foreign_talent_engineers,
            0.0,
            1e7,
        ),
        ("legacy_capex_subsidy", &p.legacy_capex_subsidy, 0.0, 1.0),
        ("mature_sourcing_share", &p.mature_sourcing_share, 0.0, 1.0),
        ("tech_protection", &p.tech_protection, 0.0, 1.0),
    ];
    for (field, sched, lo, hi) in checks {
        schedule(c, &path![F("policy"), F(field)], "policy: ", sched, lo, hi);
    }
    let sh = &p.state_holding;
    for (field, sched, lo, hi) in [
        ("coinvest_share", &sh.coinvest_share, 0.0, 0.9),
        ("profit_share", &sh.profit_share, 0.0, 1.0),
        ("budget_krw_b", &sh.budget_krw_b, 0.0, 1e7),
    ] {
        schedule(
            c,
            &path![F("policy"), F("state_holding"), F(field)],
            "policy: state holding company: ",
            sched,
            lo,
            hi,
        );
    }
    for (name, prog) in &p.rnd_programmes {
        let q = path![
            F("policy"),
            F("rnd_programmes"),
            K(name.clone()),
            F("budget_krw_b")
        ];
        let ctx = format!("R&D programme `{name}`: ");
        schedule(c, &q, &ctx, &prog.budget_krw_b, 0.0, 1e7);
    }
}

fn schedule(
    c: &mut Checker,
    p: &[Seg],
    ctx: &str,
    sched: &super::schedule::Schedule,
    lo: f64,
    hi: f64,
) {
    for (year, v) in sched.entries() {
        match year {
            None => c.range(p, ctx, v, lo, hi),
            Some(y) => {
                let q = join(p, &[Seg::K(y.to_string())]);
                c.year(&join(p, &[Seg::KeyOf(y.to_string())]), ctx, y);
                if !(v.is_finite() && v >= lo && v <= hi) {
                    let field = field_of(p);
                    c.at(
                        &q,
                        format!(
                            "{ctx}`{field}` in {y} is {}, but it must be {}",
                            for_message(v),
                            allowed(lo, hi)
                        ),
                        Some(format!("use a finite number {}", allowed(lo, hi))),
                    );
                }
            }
        }
    }
}
