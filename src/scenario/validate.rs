//! Validation: turns a parsed scenario into one the model can trust, or reports every
//! problem found, each located in the file with a suggestion where one is likely.

use super::dist::Dist;
use super::kinds::Segment;
use super::load::{nearest, problem};
use super::schema::Scenario;
use crate::error::{Problem, ScenarioError};
use crate::model::catalog;

/// Collects located problems.
struct Checker<'a> {
    text: &'a str,
    name: &'a str,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    /// Locates `needle` in the text, searching after the first occurrence of `anchor`
    /// (e.g. the entity's name) when given, and records a problem there.
    fn at(&mut self, anchor: Option<&str>, needle: &str, message: String, help: Option<String>) {
        let start = anchor.and_then(|a| self.text.find(a)).unwrap_or(0);
        let (offset, len) = match self.text[start..].find(needle) {
            Some(i) => (start + i, needle.len()),
            None => match self.text.find(needle) {
                Some(i) => (i, needle.len()),
                None => (start, anchor.map_or(1, str::len)),
            },
        };
        let label = if help.is_some() { "this value" } else { "here" };
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

    fn reference(&mut self, anchor: &str, what: &str, found: &str, valid: &[&str]) {
        if valid.contains(&found) {
            return;
        }
        let help = match nearest(found, valid.iter().copied()) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!("known {what}s: {}", valid.join(", ")),
        };
        self.at(
            Some(anchor),
            &format!("\"{found}\""),
            format!("no {what} named `{found}`"),
            Some(help),
        );
    }

    fn range(&mut self, anchor: &str, field: &str, value: f64, lo: f64, hi: f64) {
        if !value.is_finite() || value < lo || value > hi {
            let allowed = match (lo.is_finite(), hi.is_finite()) {
                (true, true) => format!("between {lo} and {hi}"),
                (true, false) => format!("at least {lo}"),
                _ => format!("at most {hi}"),
            };
            self.at(
                Some(anchor),
                field,
                format!("`{field}` is {value}, but it must be {allowed}"),
                Some(format!("use a finite value {allowed}")),
            );
        }
    }

    fn dist(&mut self, anchor: &str, field: &str, d: &Dist, lo: f64, hi: f64) {
        if let Some(why) = d.problem() {
            self.at(Some(anchor), field, format!("`{field}`: {why}"), None);
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
                Some(anchor),
                field,
                format!("`{field}` {shown}, outside the allowed range {lo}..{hi}"),
                Some(format!("keep `{field}` within {lo}..{hi}")),
            );
        }
    }

    fn unique<'s>(&mut self, what: &str, names: impl Iterator<Item = &'s str>) {
        let mut seen: Vec<&str> = Vec::new();
        for n in names {
            if seen.contains(&n) {
                let needle = format!("\"{n}\"");
                let first = self.text.find(&needle).map(|i| i + needle.len());
                let second = first
                    .and_then(|f| self.text[f..].find(&needle).map(|i| f + i))
                    .unwrap_or(0);
                self.problems.push(problem(
                    self.text,
                    self.name,
                    second,
                    needle.len(),
                    format!("two {what}s are named `{n}`"),
                    "second use",
                    Some(format!("give each {what} its own name")),
                ));
            }
            seen.push(n);
        }
    }
}

/// Checks a parsed scenario; `text` and `name` locate problems.
pub fn validate(s: &Scenario, text: &str, name: &str) -> Result<(), ScenarioError> {
    let mut c = Checker {
        text,
        name,
        problems: Vec::new(),
    };
    let inf = f64::INFINITY;
    if s.end_year < s.start_year {
        c.at(
            Some("end_year"),
            &s.end_year.to_string(),
            format!(
                "end_year {} is before start_year {}",
                s.end_year, s.start_year
            ),
            Some("end_year must be at or after start_year".into()),
        );
    }
    if !(1950..=2200).contains(&s.start_year) || s.end_year - s.start_year > 200 {
        c.at(
            Some("start_year"),
            &s.start_year.to_string(),
            "years must lie in 1950..2200 and span at most 200 years".into(),
            None,
        );
    }
    if s.runs == 0 {
        c.at(Some("runs"), "runs", "runs must be at least 1".into(), None);
    }
    if s.sites.is_empty() {
        c.at(
            Some("sites"),
            "sites",
            "a scenario needs at least one site".into(),
            None,
        );
    }
    c.unique("site", s.sites.iter().map(|x| x.name.as_str()));
    let site_names: Vec<&str> = s.sites.iter().map(|x| x.name.as_str()).collect();
    for site in &s.sites {
        let a = format!("\"{}\"", site.name);
        for (f, v) in [("x_km", site.x_km), ("y_km", site.y_km)] {
            c.range(&a, f, v, -2000.0, 2000.0);
        }
        for (f, v) in [
            ("land_ha", site.land_ha),
            ("power_mw", site.power_mw),
            ("water_ktd", site.water_ktd),
            ("talent_engineers", site.talent_engineers),
        ] {
            c.range(&a, f, v, 0.0, inf);
        }
        c.range(&a, "extra_tax_credit", site.extra_tax_credit, 0.0, 1.0);
        c.dist(&a, "talent_growth", &site.talent_growth, -0.5, 1.0);
        for add in site.power_additions.iter().chain(&site.water_additions) {
            c.range(&a, "amount", add.amount, 0.0, inf);
            c.range(&a, "public_cost_krw_b", add.public_cost_krw_b, 0.0, inf);
            c.dist(&a, "delay_years", &add.delay_years, 0.0, 50.0);
        }
    }
    for link in &s.links {
        let a = format!("a: \"{}\"", link.a);
        c.reference(&a, "site", &link.a, &site_names);
        c.reference(&a, "site", &link.b, &site_names);
        if link.a == link.b {
            c.at(
                Some(&a),
                &format!("\"{}\"", link.b),
                format!("a link from `{}` to itself", link.a),
                Some("link two different sites".into()),
            );
        }
        if let Some(d) = link.distance_km {
            c.range(&a, "distance_km", d, 0.0, 5000.0);
        }
    }
    let group_names = s.groups.iter().map(|g| g.name.as_str());
    c.unique(
        "firm or group",
        s.firms.iter().map(|f| f.name.as_str()).chain(group_names),
    );
    let firm_names: Vec<&str> = s.firms.iter().map(|f| f.name.as_str()).collect();
    for f in &s.firms {
        let a = format!("\"{}\"", f.name);
        c.reference(&a, "site", &f.site, &site_names);
        for fab in &f.fabs {
            c.reference(&a, "site", &fab.site, &site_names);
            c.range(&a, "kwpm", fab.kwpm, 0.0, 1e6);
        }
        for e in &f.expansion_sites {
            c.reference(&a, "site", e, &site_names);
        }
        for (field, v) in [
            ("revenue_krw_b", f.revenue_krw_b),
            ("cash_krw_b", f.cash_krw_b),
            ("debt_krw_b", f.debt_krw_b),
        ] {
            c.range(&a, field, v, 0.0, 1e7);
        }
        c.range(&a, "tech_level", f.tech_level, 0.0, 5.0);
        c.range(&a, "ai_exposure", f.ai_exposure, 0.0, 1.0);
        if let Some(m) = f.operating_margin {
            c.range(&a, "operating_margin", m, -1.0, 1.0);
        }
    }
    for g in &s.groups {
        let a = format!("\"{}\"", g.name);
        for site in g.sites.keys() {
            c.reference(&a, "site", site, &site_names);
        }
        for (site, w) in &g.sites {
            c.range(&format!("\"{site}\""), site, *w, 0.0, inf);
        }
        if g.sites.values().sum::<f64>() <= 0.0 {
            c.at(
                Some(&a),
                "sites",
                format!("group `{}` has no site with a positive weight", g.name),
                None,
            );
        }
        if g.count > 1_000_000 {
            c.at(
                Some(&a),
                "count",
                format!(
                    "group `{}` has {} firms; at most 1,000,000 per group",
                    g.name, g.count
                ),
                None,
            );
        }
        c.dist(&a, "revenue_krw_b", &g.revenue_krw_b, 0.0, 1e7);
        c.dist(&a, "tech_level", &g.tech_level, 0.0, 5.0);
        c.dist(&a, "ai_exposure", &g.ai_exposure, 0.0, 1.0);
        if let Some(m) = &g.operating_margin {
            c.dist(&a, "operating_margin", m, -1.0, 1.0);
        }
        c.range(&a, "supported_share", g.supported_share, 0.0, 1.0);
    }
    c.unique("pledge", s.pledges.iter().map(|p| p.name.as_str()));
    for p in &s.pledges {
        let a = format!("\"{}\"", p.name);
        c.reference(&a, "firm", &p.firm, &firm_names);
        c.reference(&a, "site", &p.site, &site_names);
        c.range(&a, "kwpm", p.kwpm, 0.0, 1e6);
        c.range(&a, "capex_krw_b", p.capex_krw_b, 0.0, 1e7);
        if p.finish_year < p.start_year {
            c.at(
                Some(&a),
                "finish_year",
                format!(
                    "pledge `{}` finishes ({}) before it starts ({})",
                    p.name, p.finish_year, p.start_year
                ),
                None,
            );
        }
    }
    let programmes: Vec<&str> = s.policy.rnd_programmes.keys().map(String::as_str).collect();
    for h in &s.rnd_hubs {
        let a = format!("\"{}\"", h.name);
        c.reference(&a, "site", &h.site, &site_names);
        c.reference(&a, "R&D programme", &h.programme, &programmes);
        c.range(&a, "share", h.share, 0.0, 1.0);
    }
    check_market(&mut c, s);
    check_policy(&mut c, s);
    for e in &s.events {
        use super::schema::EventKind as K;
        let a = "events";
        match &e.kind {
            K::SiteDisruption { site, output_loss } => {
                c.reference(a, "site", site, &site_names);
                c.range(a, "output_loss", *output_loss, 0.0, 1.0);
            }
            K::PledgeDelay { firm, .. } => c.reference(a, "firm", firm, &firm_names),
            K::ExportControl { sales_loss, .. } => c.range(a, "sales_loss", *sales_loss, 0.0, 1.0),
            K::DemandShock { factor, .. } => c.range(a, "factor", *factor, 0.0, 100.0),
            K::SubsidyAbroad { overseas_share_add } => {
                c.range(a, "overseas_share_add", *overseas_share_add, -1.0, 1.0)
            }
        }
    }
    let metrics = catalog::metric_names(s);
    for t in &s.targets {
        let a = format!("\"{}\"", t.name);
        if !metrics.iter().any(|m| m == &t.metric) {
            let help = nearest(&t.metric, metrics.iter().map(String::as_str)).map_or_else(
                || {
                    "run `megacluster metrics FILE` or see scenarios/README.md for the metric names"
                        .to_owned()
                },
                |b| format!("did you mean `{b}`?"),
            );
            c.at(
                Some(&a),
                &format!("\"{}\"", t.metric),
                format!("unknown metric `{}`", t.metric),
                Some(help),
            );
        }
        if t.year < s.start_year || t.year > s.end_year {
            c.at(
                Some(&a),
                &t.year.to_string(),
                format!(
                    "target year {} is outside the simulated years {}..{}",
                    t.year, s.start_year, s.end_year
                ),
                None,
            );
        }
        c.range(&a, "value", t.value, -inf, inf);
    }
    for (group, fields, ranges, entries) in s.model.groups() {
        for ((field, _, _), ((lo, hi), (_, d))) in fields.iter().zip(ranges.iter().zip(entries)) {
            c.dist(group, field, d, *lo, *hi);
        }
    }
    let start_in_cluster = crate::model::setup::starting_cluster_firms(s);
    if (s.entity_cap as usize) < start_in_cluster {
        c.at(
            Some("entity_cap"),
            "entity_cap",
            format!(
                "entity_cap {} is below the {} firms already in the cluster at the start",
                s.entity_cap, start_in_cluster
            ),
            Some(format!("raise entity_cap to at least {start_in_cluster}")),
        );
    }
    if c.problems.is_empty() {
        Ok(())
    } else {
        Err(ScenarioError::Invalid {
            path: name.to_owned(),
            problems: c.problems,
        })
    }
}

fn check_market(c: &mut Checker, s: &Scenario) {
    let m = &s.market;
    c.range("market", "usd_krw", m.usd_krw, 1.0, 1e5);
    c.range(
        "market",
        "world_fabless_usd_b",
        m.world_fabless_usd_b,
        0.0,
        1e6,
    );
    c.range(
        "market",
        "ai_share_of_advanced_logic",
        m.ai_share_of_advanced_logic,
        0.0,
        1.0,
    );
    c.dist(
        "market",
        "world_fabless_growth",
        &m.world_fabless_growth,
        -0.5,
        1.0,
    );
    c.dist("market", "ai_demand_growth", &m.ai_demand_growth, -0.5, 2.0);
    for seg in Segment::ALL {
        let Some(sp) = m.segments.get(&seg) else {
            c.at(
                Some("segments"),
                "segments",
                format!("market segment `{}` is missing", seg.name()),
                Some("give all four: Memory, AdvancedLogic, MatureLogic, AdvancedPackaging".into()),
            );
            continue;
        };
        let a = format!("{}:", seg.name());
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
        ] {
            c.range(&a, f, v, lo, hi);
        }
        c.dist(&a, "trend_growth", &sp.trend_growth, -0.5, 1.0);
        c.dist(&a, "cycle_amplitude", &sp.cycle_amplitude, 0.0, 0.9);
        c.dist(
            &a,
            "cycle_phase_years",
            &sp.cycle_phase_years,
            -100.0,
            100.0,
        );
        c.dist(&a, "build_years", &sp.build_years, 0.1, 20.0);
    }
}

fn check_policy(c: &mut Checker, s: &Scenario) {
    let p = &s.policy;
    let checks: [(&str, &super::schedule::Schedule, f64, f64); 9] = [
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
    ];
    for (field, sched, lo, hi) in checks {
        for v in sched.values() {
            c.range("policy", field, v, lo, hi);
        }
    }
    for (name, prog) in &p.rnd_programmes {
        for v in prog.budget_krw_b.values() {
            c.range(&format!("\"{name}\""), "budget_krw_b", v, 0.0, 1e7);
        }
    }
}
