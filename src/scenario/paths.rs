//! Parameter paths: a stable dotted name for every numeric value of a scenario, with
//! its unit, meaning and allowed range, and getting and setting values by path (for
//! `--set`, sweeps, sensitivity and search).
//!
//! # Path syntax
//!
//! Segments are separated by dots: `policy.tax_credit_large`,
//! `model.fabless.spillover_weight`, `market.segments.Memory.trend_growth`. Named list
//! entries (sites, firms, groups, pledges, hubs, targets, R&D programmes) are selected by
//! name. A name made only of letters, digits, `_` and `-` is written bare
//! (`sites.Pangyo.land_ha`); any other name is quoted in brackets, and that is how
//! listings print it: `sites["Yongin National"].power_mw`. On input a name may also be
//! written with underscores for its spaces (`sites.Yongin_National.power_mw`), which
//! needs no shell quoting. Unnamed entries (additions, fabs, events) use their position:
//! `sites.Pyeongtaek.power_additions[0].amount` (`.0` works too). A link is named by its
//! two sites: `links["Giheung/Hwaseong"].distance_km`.
//!
//! `seed`, `runs`, `start_year` and `end_year` are not parameters: use `--seed` and
//! `--runs`.

use super::dist::{Dist, NamedDist};
use super::kinds::Segment;
use super::schedule::Schedule;
use super::schema::{EventKind, Scenario};
use super::validate::validate;
use crate::error::{RunError, ScenarioError};
use std::path::Path;

const INF: f64 = f64::INFINITY;

/// A mutable reference to one value, by its type.
pub enum SlotMut<'a> {
    /// A plain number.
    F64(&'a mut f64),
    /// A number that may be omitted (`none` = the documented default).
    OptF64(&'a mut Option<f64>),
    /// A number or a distribution.
    Dist(&'a mut Dist),
    /// A distribution that may be omitted.
    OptDist(&'a mut Option<Dist>),
    /// A yearly schedule.
    Sched(&'a mut Schedule),
    /// A count.
    U32(&'a mut u32),
    /// A year or a whole number of years.
    I32(&'a mut i32),
}

/// What kind of value a path holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A number.
    Number,
    /// A number or a distribution drawn per run.
    Dist,
    /// A yearly schedule (a number or `{year: value, ...}`).
    Schedule,
    /// A whole number.
    Integer,
}

impl Kind {
    /// What a value of this kind looks like, for error messages.
    pub fn expects(self) -> &'static str {
        match self {
            Kind::Number => "a number, e.g. 0.2",
            Kind::Dist => "a number or a distribution, e.g. 0.2 or Uniform(0.1, 0.3)",
            Kind::Schedule => "a number or a yearly schedule, e.g. 0.2 or {2023: 0.15, 2025: 0.2}",
            Kind::Integer => "a whole number, e.g. 120",
        }
    }
}

/// Where a value sits and what it means.
#[derive(Debug, Clone, PartialEq)]
pub struct Meta {
    /// Path segments (names and positions).
    pub segs: Vec<String>,
    /// Unit.
    pub unit: &'static str,
    /// Meaning.
    pub description: &'static str,
    /// Allowed range (inclusive).
    pub range: (f64, f64),
    /// False for distributions that describe differences between firms (group fields),
    /// which are drawn per firm, not once per run.
    pub per_run: bool,
}

impl Meta {
    /// The canonical printed path.
    pub fn path(&self) -> String {
        format_path(&self.segs)
    }
}

/// One listed parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamInfo {
    /// Canonical path.
    pub path: String,
    /// Value as RON text (`0.15`, `Uniform(0.1,0.3)`, `{2023:0.15,2025:0.2}`, `none`).
    pub value: String,
    /// Unit.
    pub unit: &'static str,
    /// Meaning.
    pub description: &'static str,
    /// Allowed range.
    pub range: (f64, f64),
    /// Kind of value.
    pub kind: Kind,
    /// Smallest and largest value it takes (a distribution's support).
    pub support: (f64, f64),
    /// A distribution drawn once per run (an uncertainty for sensitivity analysis).
    pub uncertain: bool,
    /// The value used when it is fixed at its centre (mean, median or the number).
    pub central: f64,
}

fn is_bare(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !name.chars().all(|c| c.is_ascii_digit())
}

/// Prints segments as a path: bare names joined by dots, other names as `["..."]`,
/// positions as `[i]`.
pub fn format_path(segs: &[String]) -> String {
    let mut out = String::new();
    for s in segs {
        if is_bare(s) {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(s);
        } else if !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()) {
            out.push_str(&format!("[{s}]"));
        } else {
            out.push_str(&format!("[\"{s}\"]"));
        }
    }
    out
}

/// Splits a path into segments; see the module documentation for the syntax.
pub fn parse_path(p: &str) -> Result<Vec<String>, String> {
    let mut segs = Vec::new();
    let mut cur = String::new();
    let mut chars = p.trim().chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '.' => {
                if !cur.is_empty() {
                    segs.push(std::mem::take(&mut cur));
                } else if segs.is_empty() {
                    return Err(format!("`{p}`: a path cannot start with a dot"));
                }
            }
            '[' => {
                if !cur.is_empty() {
                    segs.push(std::mem::take(&mut cur));
                }
                let quote = matches!(chars.peek(), Some('"') | Some('\''));
                let q = if quote { chars.next() } else { None };
                let mut name = String::new();
                loop {
                    match chars.next() {
                        Some(c) if Some(c) == q => {
                            if chars.next() != Some(']') {
                                return Err(format!("`{p}`: expected `]` after the quoted name"));
                            }
                            break;
                        }
                        Some(']') if q.is_none() => break,
                        Some(c) => name.push(c),
                        None => return Err(format!("`{p}`: unclosed `[`")),
                    }
                }
                segs.push(name);
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        segs.push(cur);
    }
    if segs.is_empty() {
        return Err("empty parameter path".into());
    }
    Ok(segs)
}

fn seg_eq(given: &str, canonical: &str) -> bool {
    given == canonical || given.replace(' ', "_") == canonical.replace(' ', "_")
}

fn segs_eq(given: &[String], canonical: &[String]) -> bool {
    given.len() == canonical.len() && given.iter().zip(canonical).all(|(a, b)| seg_eq(a, b))
}

struct V<'f> {
    f: &'f mut dyn FnMut(&Meta, SlotMut<'_>),
}

impl V<'_> {
    #[allow(clippy::too_many_arguments)]
    fn at(
        &mut self,
        segs: &[&str],
        slot: SlotMut<'_>,
        unit: &'static str,
        description: &'static str,
        lo: f64,
        hi: f64,
    ) {
        self.leaf(segs, slot, unit, description, (lo, hi), true);
    }

    fn leaf(
        &mut self,
        segs: &[&str],
        slot: SlotMut<'_>,
        unit: &'static str,
        description: &'static str,
        range: (f64, f64),
        per_run: bool,
    ) {
        let meta = Meta {
            segs: segs.iter().map(|s| (*s).to_owned()).collect(),
            unit,
            description,
            range,
            per_run,
        };
        (self.f)(&meta, slot);
    }
}

/// Visits every parameter of `s` with its metadata, in a fixed order.
pub fn visit(s: &mut Scenario, f: &mut dyn FnMut(&Meta, SlotMut<'_>)) {
    use SlotMut as S;
    let mut v = V { f };
    v.at(
        &["entity_cap"],
        S::U32(&mut s.entity_cap),
        "entities",
        "Most firms that may be located in the new cluster's sites",
        0.0,
        1e9,
    );
    for site in &mut s.sites {
        let n = site.name.clone();
        let n = n.as_str();
        v.at(
            &["sites", n, "x_km"],
            S::F64(&mut site.x_km),
            "km",
            "Position east of Seoul City Hall",
            -2000.0,
            2000.0,
        );
        v.at(
            &["sites", n, "y_km"],
            S::F64(&mut site.y_km),
            "km",
            "Position north of Seoul City Hall (negative = south)",
            -2000.0,
            2000.0,
        );
        v.at(
            &["sites", n, "land_ha"],
            S::F64(&mut site.land_ha),
            "ha",
            "Land still available for new fabs and firms",
            0.0,
            INF,
        );
        v.at(
            &["sites", n, "power_mw"],
            S::F64(&mut site.power_mw),
            "MW",
            "Grid power available at the start",
            0.0,
            INF,
        );
        v.at(
            &["sites", n, "water_ktd"],
            S::F64(&mut site.water_ktd),
            "kt/day",
            "Industrial water available at the start",
            0.0,
            INF,
        );
        v.at(
            &["sites", n, "talent_engineers"],
            S::F64(&mut site.talent_engineers),
            "engineers",
            "Semiconductor engineers living within reach at the start",
            0.0,
            INF,
        );
        v.at(
            &["sites", n, "talent_growth"],
            S::Dist(&mut site.talent_growth),
            "fraction/yr",
            "Yearly growth of the local engineer pool",
            -0.5,
            1.0,
        );
        v.at(
            &["sites", n, "extra_tax_credit"],
            S::F64(&mut site.extra_tax_credit),
            "fraction of capex",
            "Extra investment tax credit at this site (opportunity zones)",
            0.0,
            1.0,
        );
        for (what, adds, unit) in [
            ("power_additions", &mut site.power_additions, "MW"),
            ("water_additions", &mut site.water_additions, "kt/day"),
        ] {
            for (i, a) in adds.iter_mut().enumerate() {
                let i = i.to_string();
                let p = ["sites", n, what, i.as_str()];
                let with = |f: &'static str| [p[0], p[1], p[2], p[3], f];
                v.at(
                    &with("year"),
                    S::I32(&mut a.year),
                    "year",
                    "Planned year in service",
                    1950.0,
                    2200.0,
                );
                v.at(
                    &with("amount"),
                    S::F64(&mut a.amount),
                    unit,
                    "Amount added",
                    0.0,
                    INF,
                );
                v.at(
                    &with("delay_years"),
                    S::Dist(&mut a.delay_years),
                    "years",
                    "Random delay beyond the plan, drawn once per run (before the permit timeout)",
                    0.0,
                    50.0,
                );
                v.at(
                    &with("public_cost_krw_b"),
                    S::F64(&mut a.public_cost_krw_b),
                    "KRW B",
                    "Public cost, paid by the infrastructure fund in the years of building",
                    0.0,
                    INF,
                );
            }
        }
    }
    for link in &mut s.links {
        let n = format!("{}/{}", link.a, link.b);
        v.at(
            &["links", &n, "distance_km"],
            S::OptF64(&mut link.distance_km),
            "km",
            "Road distance (none = straight-line distance between positions)",
            0.0,
            5000.0,
        );
    }
    for firm in &mut s.firms {
        let n = firm.name.clone();
        let n = n.as_str();
        v.at(
            &["firms", n, "revenue_krw_b"],
            S::F64(&mut firm.revenue_krw_b),
            "KRW B",
            "Sales in the start year (manufacturers: recomputed from fabs each year)",
            0.0,
            1e7,
        );
        v.at(
            &["firms", n, "cash_krw_b"],
            S::F64(&mut firm.cash_krw_b),
            "KRW B",
            "Cash at the start",
            0.0,
            1e7,
        );
        v.at(
            &["firms", n, "debt_krw_b"],
            S::F64(&mut firm.debt_krw_b),
            "KRW B",
            "Debt at the start",
            0.0,
            1e7,
        );
        v.at(
            &["firms", n, "operating_margin"],
            S::OptF64(&mut firm.operating_margin),
            "fraction of sales",
            "Operating margin at normal prices (none = the kind's default)",
            -1.0,
            1.0,
        );
        v.at(
            &["firms", n, "tech_level"],
            S::F64(&mut firm.tech_level),
            "-",
            "Technology level relative to the world frontier (1 = at the frontier)",
            0.0,
            5.0,
        );
        v.at(
            &["firms", n, "ai_exposure"],
            S::F64(&mut firm.ai_exposure),
            "fraction of sales",
            "Share of sales exposed to AI-chip demand",
            0.0,
            1.0,
        );
        for (i, fab) in firm.fabs.iter_mut().enumerate() {
            let i = i.to_string();
            v.at(
                &["firms", n, "fabs", &i, "kwpm"],
                S::F64(&mut fab.kwpm),
                "kwpm",
                "Capacity of a fab it runs at the start, thousand wafers per month",
                0.0,
                1e6,
            );
        }
    }
    for g in &mut s.groups {
        let n = g.name.clone();
        let n = n.as_str();
        v.at(
            &["groups", n, "count"],
            S::U32(&mut g.count),
            "firms",
            "How many firms at the start",
            0.0,
            1e6,
        );
        let sites: Vec<String> = g.sites.keys().cloned().collect();
        for site in sites {
            if let Some(w) = g.sites.get_mut(&site) {
                v.at(
                    &["groups", n, "sites", &site],
                    S::F64(w),
                    "weight",
                    "Share of the group at this site (weights, normalised)",
                    0.0,
                    INF,
                );
            }
        }
        v.leaf(
            &["groups", n, "revenue_krw_b"],
            S::Dist(&mut g.revenue_krw_b),
            "KRW B",
            "Start-year sales of each firm (drawn per firm)",
            (0.0, 1e7),
            false,
        );
        v.leaf(
            &["groups", n, "operating_margin"],
            S::OptDist(&mut g.operating_margin),
            "fraction of sales",
            "Operating margin of each firm (drawn per firm; none = the kind's default)",
            (-1.0, 1.0),
            false,
        );
        v.leaf(
            &["groups", n, "tech_level"],
            S::Dist(&mut g.tech_level),
            "-",
            "Technology level of each firm relative to the frontier (drawn per firm)",
            (0.0, 5.0),
            false,
        );
        v.leaf(
            &["groups", n, "ai_exposure"],
            S::Dist(&mut g.ai_exposure),
            "fraction of sales",
            "Share of each firm's sales exposed to AI-chip demand (drawn per firm)",
            (0.0, 1.0),
            false,
        );
        v.at(
            &["groups", n, "supported_share"],
            S::F64(&mut g.supported_share),
            "fraction",
            "Share of the group's firms selected for government support",
            0.0,
            1.0,
        );
    }
    for p in &mut s.pledges {
        let n = p.name.clone();
        let n = n.as_str();
        v.at(
            &["pledges", n, "kwpm"],
            S::F64(&mut p.kwpm),
            "kwpm",
            "Pledged capacity, thousand wafers per month",
            0.0,
            1e6,
        );
        v.at(
            &["pledges", n, "capex_krw_b"],
            S::F64(&mut p.capex_krw_b),
            "KRW B",
            "Pledged investment",
            0.0,
            1e7,
        );
        v.at(
            &["pledges", n, "start_year"],
            S::I32(&mut p.start_year),
            "year",
            "Planned construction start",
            1950.0,
            2200.0,
        );
        v.at(
            &["pledges", n, "finish_year"],
            S::I32(&mut p.finish_year),
            "year",
            "Planned first production",
            1950.0,
            2200.0,
        );
    }
    for h in &mut s.rnd_hubs {
        let n = h.name.clone();
        v.at(
            &["rnd_hubs", &n, "share"],
            S::F64(&mut h.share),
            "fraction",
            "Share of its R&D programme's budget the hub receives",
            0.0,
            1.0,
        );
    }
    let m = &mut s.market;
    v.at(
        &["market", "usd_krw"],
        S::F64(&mut m.usd_krw),
        "KRW per USD",
        "Exchange rate",
        1.0,
        1e5,
    );
    v.at(
        &["market", "world_fabless_usd_b"],
        S::F64(&mut m.world_fabless_usd_b),
        "USD B",
        "World fabless sales in the start year (for Korea's share)",
        0.0,
        1e6,
    );
    v.at(
        &["market", "world_fabless_growth"],
        S::Dist(&mut m.world_fabless_growth),
        "fraction/yr",
        "Yearly growth of world fabless sales",
        -0.5,
        1.0,
    );
    v.at(
        &["market", "ai_demand_growth"],
        S::Dist(&mut m.ai_demand_growth),
        "fraction/yr",
        "Yearly growth of AI-chip demand",
        -0.5,
        2.0,
    );
    v.at(
        &["market", "ai_share_of_advanced_logic"],
        S::F64(&mut m.ai_share_of_advanced_logic),
        "fraction",
        "Share of advanced-logic demand that is AI chips at the start",
        0.0,
        1.0,
    );
    for seg in Segment::ALL {
        let Some(sp) = m.segments.get_mut(&seg) else {
            continue;
        };
        let n = seg.name();
        let p = |f: &'static str| ["market", "segments", n, f];
        v.at(
            &p("demand_kwpm"),
            S::F64(&mut sp.demand_kwpm),
            "kwpm",
            "World demand at the start",
            0.0,
            1e7,
        );
        v.at(
            &p("rest_of_world_kwpm"),
            S::F64(&mut sp.rest_of_world_kwpm),
            "kwpm",
            "Capacity of firms not modelled (rest of the world) at the start",
            0.0,
            1e7,
        );
        v.at(
            &p("trend_growth"),
            S::Dist(&mut sp.trend_growth),
            "fraction/yr",
            "Trend growth of demand",
            -0.5,
            1.0,
        );
        v.at(
            &p("cycle_amplitude"),
            S::Dist(&mut sp.cycle_amplitude),
            "fraction of demand",
            "Amplitude of the chip cycle",
            0.0,
            0.9,
        );
        v.at(
            &p("cycle_period_years"),
            S::F64(&mut sp.cycle_period_years),
            "years",
            "Cycle period",
            0.5,
            50.0,
        );
        v.at(
            &p("cycle_phase_years"),
            S::Dist(&mut sp.cycle_phase_years),
            "years",
            "Cycle phase at the start (0 = at the trend, rising)",
            -100.0,
            100.0,
        );
        v.at(
            &p("shock_sd"),
            S::F64(&mut sp.shock_sd),
            "log",
            "Standard deviation of the yearly demand shock",
            0.0,
            2.0,
        );
        v.at(
            &p("shock_persistence"),
            S::F64(&mut sp.shock_persistence),
            "-",
            "Persistence of demand shocks (AR(1) coefficient)",
            0.0,
            0.99,
        );
        v.at(
            &p("price_usd_per_wafer"),
            S::F64(&mut sp.price_usd_per_wafer),
            "USD",
            "Sales per wafer at price index 1",
            0.0,
            1e6,
        );
        v.at(
            &p("price_index_start"),
            S::F64(&mut sp.price_index_start),
            "index",
            "Price index at the start (1 = normal)",
            0.01,
            100.0,
        );
        v.at(
            &p("price_elasticity"),
            S::F64(&mut sp.price_elasticity),
            "-",
            "Price response to demand/supply: index = (demand/supply)^(1/elasticity)",
            0.01,
            100.0,
        );
        v.at(
            &p("rest_of_world_response"),
            S::F64(&mut sp.rest_of_world_response),
            "fraction/yr",
            "How fast the rest of the world adds capacity towards demand (share of the gap)",
            0.0,
            1.0,
        );
        v.at(
            &p("capex_krw_b_per_kwpm"),
            S::F64(&mut sp.capex_krw_b_per_kwpm),
            "KRW B per kwpm",
            "Capex per unit of new capacity",
            0.0,
            1e5,
        );
        v.at(
            &p("upgrade_capex_krw_b_per_kwpm"),
            S::F64(&mut sp.upgrade_capex_krw_b_per_kwpm),
            "KRW B per kwpm per yr",
            "Yearly capex to keep running capacity at the frontier",
            0.0,
            1e4,
        );
        v.at(
            &p("capex_trend"),
            S::F64(&mut sp.capex_trend),
            "fraction/yr",
            "Yearly decline of capex per unit of capacity (negative = rise)",
            -0.5,
            0.5,
        );
        v.at(
            &p("module_kwpm"),
            S::F64(&mut sp.module_kwpm),
            "kwpm",
            "Size of one construction module",
            0.1,
            1e5,
        );
        v.at(
            &p("power_mw_per_kwpm"),
            S::F64(&mut sp.power_mw_per_kwpm),
            "MW per kwpm",
            "Power drawn at full output",
            0.0,
            1e4,
        );
        v.at(
            &p("water_ktd_per_kwpm"),
            S::F64(&mut sp.water_ktd_per_kwpm),
            "kt/day per kwpm",
            "Water drawn at full output",
            0.0,
            1e4,
        );
        v.at(
            &p("engineers_per_kwpm"),
            S::F64(&mut sp.engineers_per_kwpm),
            "engineers per kwpm",
            "Engineers needed per unit of capacity",
            0.0,
            1e5,
        );
        v.at(
            &p("operating_margin"),
            S::F64(&mut sp.operating_margin),
            "fraction of sales",
            "Operating margin at price index 1",
            -1.0,
            0.95,
        );
        v.at(
            &p("build_years"),
            S::Dist(&mut sp.build_years),
            "years",
            "Construction time from ground-breaking to first wafers",
            0.1,
            20.0,
        );
    }
    let pol = &mut s.policy;
    for (f, sched, unit, desc, lo, hi) in [
        (
            "tax_credit_large",
            &mut pol.tax_credit_large,
            "fraction of capex",
            "Facility investment tax credit for large firms",
            0.0,
            1.0,
        ),
        (
            "tax_credit_sme",
            &mut pol.tax_credit_sme,
            "fraction of capex",
            "Facility investment tax credit for SMEs",
            0.0,
            1.0,
        ),
        (
            "tax_credit_incremental",
            &mut pol.tax_credit_incremental,
            "fraction",
            "Extra credit on investment above the firm's previous three-year average",
            0.0,
            1.0,
        ),
        (
            "infra_fund_krw_b",
            &mut pol.infra_fund_krw_b,
            "KRW B/yr",
            "Public infrastructure fund: pulls power and water additions forward",
            0.0,
            1e7,
        ),
        (
            "permit_timeout_years",
            &mut pol.permit_timeout_years,
            "years",
            "Permit timeout: the longest a permit may take (0 = no timeout)",
            0.0,
            50.0,
        ),
        (
            "talent_programme_engineers",
            &mut pol.talent_programme_engineers,
            "engineers/yr",
            "Engineers added per year by talent programmes",
            0.0,
            1e7,
        ),
        (
            "fabless_support_krw_b",
            &mut pol.fabless_support_krw_b,
            "KRW B/yr",
            "Fabless support budget (prototype and mass-production support)",
            0.0,
            1e7,
        ),
        (
            "support_per_project_krw_b",
            &mut pol.support_per_project_krw_b,
            "KRW B",
            "Support per selected project",
            0.0,
            1e7,
        ),
        (
            "overseas_share",
            &mut pol.overseas_share,
            "fraction",
            "Share of new mass-production capacity placed abroad",
            0.0,
            1.0,
        ),
    ] {
        v.at(&["policy", f], S::Sched(sched), unit, desc, lo, hi);
    }
    for (name, prog) in &mut pol.rnd_programmes {
        v.at(
            &["policy", "rnd_programmes", name, "budget_krw_b"],
            S::Sched(&mut prog.budget_krw_b),
            "KRW B/yr",
            "Budget of a government R&D programme",
            0.0,
            1e7,
        );
    }
    for (i, e) in s.events.iter_mut().enumerate() {
        let i = i.to_string();
        let i = i.as_str();
        match &mut e.kind {
            EventKind::ExportControl { sales_loss, .. } => v.at(
                &["events", i, "sales_loss"],
                S::F64(sales_loss),
                "fraction",
                "Export control: share of the cluster's sales in the segment lost",
                0.0,
                1.0,
            ),
            EventKind::DemandShock { factor, .. } => v.at(
                &["events", i, "factor"],
                S::F64(factor),
                "multiplier",
                "Demand shock: multiplier on world demand in the segment",
                0.0,
                100.0,
            ),
            EventKind::SubsidyAbroad { overseas_share_add } => v.at(
                &["events", i, "overseas_share_add"],
                S::F64(overseas_share_add),
                "fraction",
                "Subsidies abroad: added to the overseas share of new capacity",
                -1.0,
                1.0,
            ),
            EventKind::SiteDisruption { output_loss, .. } => v.at(
                &["events", i, "output_loss"],
                S::F64(output_loss),
                "fraction",
                "Site disruption: share of the year's output lost at the site",
                0.0,
                1.0,
            ),
            EventKind::PledgeDelay { .. } => {}
        }
        v.at(
            &["events", i, "year"],
            S::I32(&mut e.year),
            "year",
            "First year the event is in force",
            1950.0,
            2200.0,
        );
    }
    for t in &mut s.targets {
        let n = t.name.clone();
        v.at(
            &["targets", &n, "value"],
            S::F64(&mut t.value),
            "metric unit",
            "Target value in its metric's unit",
            -INF,
            INF,
        );
        v.at(
            &["targets", &n, "year"],
            S::I32(&mut t.year),
            "year",
            "Year by which the target should be met",
            1950.0,
            2200.0,
        );
    }
    macro_rules! model_group {
        ($name:literal, $field:ident, $ty:ty) => {
            for (k, &(field, unit, desc)) in <$ty>::FIELDS.iter().enumerate() {
                let range = <$ty>::RANGES[k];
                if let Some(d) = s.model.$field.get_mut(field) {
                    v.at(
                        &["model", $name, field],
                        S::Dist(d),
                        unit,
                        desc,
                        range.0,
                        range.1,
                    );
                }
            }
        };
    }
    use super::params::*;
    model_group!("market", market, MarketParams);
    model_group!("investment", investment, InvestmentParams);
    model_group!("construction", construction, ConstructionParams);
    model_group!("production", production, ProductionParams);
    model_group!("fabless", fabless, FablessParams);
    model_group!("mpe", mpe, MpeParams);
    model_group!("rnd", rnd, RndParams);
    model_group!("talent", talent, TalentParams);
    model_group!("entry", entry, EntryParams);
    model_group!("infra", infra, InfraParams);
}

fn ron_text<T: serde::Serialize>(v: &T) -> String {
    ron::to_string(v).unwrap_or_default()
}

fn describe(slot: &SlotMut<'_>) -> (Kind, String, (f64, f64), bool, f64) {
    let num = |x: f64| (x.to_string(), (x, x), false, x);
    let (kind, (text, support, uncertain, central)) = match slot {
        SlotMut::F64(x) => (Kind::Number, num(**x)),
        SlotMut::OptF64(x) => match x {
            Some(x) => (Kind::Number, num(*x)),
            None => (
                Kind::Number,
                ("none".into(), (f64::NAN, f64::NAN), false, f64::NAN),
            ),
        },
        SlotMut::U32(x) => (Kind::Integer, num(f64::from(**x))),
        SlotMut::I32(x) => (Kind::Integer, num(f64::from(**x))),
        SlotMut::Dist(d) => (Kind::Dist, dist_info(d)),
        SlotMut::OptDist(d) => match d {
            Some(d) => (Kind::Dist, dist_info(d)),
            None => (
                Kind::Dist,
                ("none".into(), (f64::NAN, f64::NAN), false, f64::NAN),
            ),
        },
        SlotMut::Sched(s) => {
            let vals = s.values();
            let lo = vals.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = vals.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let first = vals.first().copied().unwrap_or(0.0);
            (Kind::Schedule, (ron_text(&**s), (lo, hi), false, first))
        }
    };
    (kind, text, support, uncertain, central)
}

fn dist_info(d: &Dist) -> (String, (f64, f64), bool, f64) {
    (ron_text(d), d.support(), d.is_uncertain(), d.central())
}

/// Every parameter of a scenario, in a fixed order.
pub fn list(s: &Scenario) -> Vec<ParamInfo> {
    let mut s = s.clone();
    let mut out = Vec::new();
    visit(&mut s, &mut |m, slot| {
        let (kind, value, support, uncertain, central) = describe(&slot);
        out.push(ParamInfo {
            path: m.path(),
            value,
            unit: m.unit,
            description: m.description,
            range: m.range,
            kind,
            support,
            uncertain: uncertain && m.per_run,
            central,
        });
    });
    out
}

/// Why a path or a value was refused.
#[derive(Debug, Clone, PartialEq)]
pub struct PathError {
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
}

impl std::fmt::Display for PathError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.message)?;
        if let Some(h) = &self.help {
            write!(f, "\n  help: {h}")?;
        }
        Ok(())
    }
}

impl From<PathError> for RunError {
    fn from(e: PathError) -> Self {
        RunError::Usage(e.to_string())
    }
}

/// The valid paths nearest to `given` (at most `n`), best first.
pub fn suggestions(s: &Scenario, given: &str, n: usize) -> Vec<String> {
    let g = given.to_lowercase().replace('_', " ");
    let mut scored: Vec<(f64, String)> = list(s)
        .into_iter()
        .map(|p| {
            let c = p.path.to_lowercase().replace('_', " ");
            (
                strsim::jaro_winkler(&g, &c).max(strsim::normalized_levenshtein(&g, &c)),
                p.path,
            )
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    scored.into_iter().take(n).map(|(_, p)| p).collect()
}

fn unknown(s: &Scenario, given: &str) -> PathError {
    let near = suggestions(s, given, 3);
    PathError {
        message: format!("unknown parameter path `{given}`"),
        help: Some(if near.is_empty() {
            "run `megacluster params FILE` to list the valid paths".into()
        } else {
            format!(
                "did you mean {}? (`megacluster params FILE` lists every path)",
                near.iter()
                    .map(|p| format!("`{p}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }),
    }
}

/// The parameter at `path`.
pub fn get(s: &Scenario, path: &str) -> Result<ParamInfo, PathError> {
    let segs = parse_path(path).map_err(|m| PathError {
        message: m,
        help: None,
    })?;
    let mut s2 = s.clone();
    let mut found = None;
    visit(&mut s2, &mut |m, slot| {
        if found.is_none() && segs_eq(&segs, &m.segs) {
            let (kind, value, support, uncertain, central) = describe(&slot);
            found = Some(ParamInfo {
                path: m.path(),
                value,
                unit: m.unit,
                description: m.description,
                range: m.range,
                kind,
                support,
                uncertain: uncertain && m.per_run,
                central,
            });
        }
    });
    found.ok_or_else(|| unknown(s, path))
}

/// A new value for a path.
#[derive(Debug, Clone, PartialEq)]
pub enum NewValue {
    /// RON text as typed after `=`.
    Text(String),
    /// A number; an uncertain distribution is replaced by a zero-width distribution of the
    /// same family, which uses the same random numbers as the original (common random
    /// numbers: the other draws of each run stay the same).
    Pinned(f64),
}

fn allowed(range: (f64, f64)) -> String {
    match (range.0.is_finite(), range.1.is_finite()) {
        (true, true) => format!("{}..{}", range.0, range.1),
        (true, false) => format!("at least {}", range.0),
        (false, true) => format!("at most {}", range.1),
        _ => "any finite number".into(),
    }
}

fn parse_ron<T: serde::de::DeserializeOwned>(text: &str) -> Option<T> {
    ron::Options::default().from_str(text).ok()
}

/// A zero-width distribution at `x` of `d`'s family, consuming the same random numbers.
pub fn pin(d: &Dist, x: f64, range: (f64, f64)) -> Dist {
    match d {
        Dist::Named(NamedDist::Uniform(_, _)) => {
            let eps = x.abs().max(1e-6) * 1e-10;
            if x + eps <= range.1 {
                Dist::Named(NamedDist::Uniform(x, x + eps))
            } else {
                Dist::Named(NamedDist::Uniform(x - eps, x))
            }
        }
        Dist::Named(NamedDist::Normal(_, _)) => Dist::Named(NamedDist::Normal(x, 0.0)),
        Dist::Named(NamedDist::LogNormal(_, _)) if x > 0.0 => {
            Dist::Named(NamedDist::LogNormal(x, 0.0))
        }
        Dist::Named(NamedDist::Triangular(..)) => Dist::Named(NamedDist::Triangular(x, x, x)),
        _ => Dist::Value(x),
    }
}

fn check_number(path: &str, x: f64, range: (f64, f64)) -> Result<(), PathError> {
    if !x.is_finite() || x < range.0 || x > range.1 {
        return Err(PathError {
            message: format!("`{path}` = {x} is out of range: allowed {}", allowed(range)),
            help: Some(format!("give `{path}` a value in {}", allowed(range))),
        });
    }
    Ok(())
}

fn apply(path: &str, m: &Meta, slot: SlotMut<'_>, value: &NewValue) -> Result<(), PathError> {
    let kind = describe(&slot).0;
    let wrong = |text: &str| PathError {
        message: format!(
            "`{path}` cannot be set to `{text}`: it takes {}",
            kind.expects()
        ),
        help: Some(format!("allowed range: {}", allowed(m.range))),
    };
    let number = |text: &str| -> Result<f64, PathError> {
        let x: f64 = text.trim().parse().map_err(|_| wrong(text))?;
        check_number(path, x, m.range)?;
        Ok(x)
    };
    let integer = |text: &str| -> Result<f64, PathError> {
        let x = number(text)?;
        if x.fract() != 0.0 {
            return Err(wrong(text));
        }
        Ok(x)
    };
    let (text, pinned) = match value {
        NewValue::Text(t) => (t.clone(), None),
        NewValue::Pinned(x) => (x.to_string(), Some(*x)),
    };
    match slot {
        SlotMut::F64(x) => *x = number(&text)?,
        SlotMut::OptF64(x) => *x = Some(number(&text)?),
        SlotMut::U32(x) => {
            let v = match pinned {
                Some(p) => p.round(),
                None => integer(&text)?,
            };
            check_number(path, v, m.range)?;
            *x = v as u32;
        }
        SlotMut::I32(x) => {
            let v = match pinned {
                Some(p) => p.round(),
                None => integer(&text)?,
            };
            check_number(path, v, m.range)?;
            *x = v as i32;
        }
        SlotMut::Sched(s) => {
            let new: Schedule = parse_ron(&text).ok_or_else(|| wrong(&text))?;
            for v in new.values() {
                check_number(path, v, m.range)?;
            }
            *s = new;
        }
        SlotMut::Dist(d) => *d = new_dist(path, m, Some(&*d), &text, pinned, &wrong)?,
        SlotMut::OptDist(d) => *d = Some(new_dist(path, m, d.as_ref(), &text, pinned, &wrong)?),
    }
    Ok(())
}

fn new_dist(
    path: &str,
    m: &Meta,
    old: Option<&Dist>,
    text: &str,
    pinned: Option<f64>,
    wrong: &dyn Fn(&str) -> PathError,
) -> Result<Dist, PathError> {
    if let Some(x) = pinned {
        check_number(path, x, m.range)?;
        return Ok(old.map_or(Dist::Value(x), |d| pin(d, x, m.range)));
    }
    let d: Dist = parse_ron(text).ok_or_else(|| wrong(text))?;
    if let Some(why) = d.problem() {
        return Err(PathError {
            message: format!("`{path}` = {text}: {why}"),
            help: None,
        });
    }
    let (a, b) = d.support();
    if a < m.range.0 || b > m.range.1 {
        return Err(PathError {
            message: format!(
                "`{path}` = {text} takes values from {a:.4} to {b:.4}, outside the allowed range {}",
                allowed(m.range)
            ),
            help: Some(format!("keep `{path}` within {}", allowed(m.range))),
        });
    }
    Ok(d)
}

/// Sets the value at `path` (checked against its type and range; not yet validated as a
/// whole scenario: see [`apply_overrides`]).
pub fn set(s: &mut Scenario, path: &str, value: &NewValue) -> Result<(), PathError> {
    let segs = parse_path(path).map_err(|m| PathError {
        message: m,
        help: None,
    })?;
    let mut result = None;
    visit(s, &mut |m, slot| {
        if result.is_none() && segs_eq(&segs, &m.segs) {
            result = Some(apply(&m.path(), m, slot, value));
        }
    });
    match result {
        Some(r) => r,
        None => Err(unknown(s, path)),
    }
}

/// One `--set PATH=VALUE`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Override {
    /// Path as given.
    pub path: String,
    /// Value text as given.
    pub value: String,
}

/// Splits `PATH=VALUE` at the first `=` outside brackets and quotes.
pub fn parse_override(arg: &str) -> Result<Override, PathError> {
    let mut depth = 0i32;
    let mut quoted = false;
    for (i, c) in arg.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '[' if !quoted => depth += 1,
            ']' if !quoted => depth -= 1,
            '=' if !quoted && depth == 0 => {
                return Ok(Override {
                    path: arg[..i].trim().to_owned(),
                    value: arg[i + 1..].trim().to_owned(),
                });
            }
            _ => {}
        }
    }
    Err(PathError {
        message: format!("`--set {arg}` needs the form PATH=VALUE"),
        help: Some("e.g. --set policy.tax_credit_large=0.2".into()),
    })
}

/// Applies overrides and validates the result as a whole. `text` and `name` are the
/// file's text and name: problems that remain (e.g. a pledge finishing before it starts)
/// are located in the file and marked as following from the overrides.
pub fn apply_overrides(
    mut s: Scenario,
    overrides: &[Override],
    text: &str,
    name: &str,
) -> Result<Scenario, RunError> {
    if overrides.is_empty() {
        return Ok(s);
    }
    for o in overrides {
        set(&mut s, &o.path, &NewValue::Text(o.value.clone())).map_err(|e| PathError {
            message: format!("--set {}={}: {}", o.path, o.value, e.message),
            help: e.help,
        })?;
    }
    revalidate(&s, text, &format!("{name} with --set overrides"))?;
    Ok(s)
}

/// Validates a scenario changed after loading.
pub fn revalidate(s: &Scenario, text: &str, name: &str) -> Result<(), ScenarioError> {
    validate(s, text, name)
}

/// Loads a scenario file and applies `--set` arguments; returns it with the parsed overrides.
pub fn load_with_overrides(
    path: &Path,
    sets: &[String],
) -> Result<(Scenario, Vec<Override>, String), RunError> {
    let s = super::load_file(path)?;
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let overrides = sets
        .iter()
        .map(|a| parse_override(a))
        .collect::<Result<Vec<_>, _>>()?;
    let s = apply_overrides(s, &overrides, &text, &path.display().to_string())?;
    // Record canonical paths, so summaries compare whatever spelling was typed.
    let overrides = overrides
        .into_iter()
        .map(|o| Override {
            path: get(&s, &o.path).map_or(o.path, |i| i.path),
            value: o.value,
        })
        .collect();
    Ok((s, overrides, text))
}

/// Adds `"overrides": [...]` to a pretty-printed `summary.json`, keeping its key order.
pub fn add_overrides_to_summary(json: Vec<u8>, overrides: &[Override]) -> Vec<u8> {
    if overrides.is_empty() {
        return json;
    }
    let text = String::from_utf8_lossy(&json);
    let trimmed = text.trim_end();
    let Some(body) = trimmed.strip_suffix('}') else {
        return json;
    };
    let list = serde_json::to_string_pretty(overrides).unwrap_or_else(|_| "[]".into());
    let list = list.replace('\n', "\n  ");
    format!("{},\n  \"overrides\": {list}\n}}\n", body.trim_end()).into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn baseline() -> Scenario {
        crate::scenario::load_file(&std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scenarios/baseline.ron"
        )))
        .unwrap()
    }

    #[test]
    fn paths_parse_in_every_spelling() {
        let want: Vec<String> = ["sites", "Yongin National", "power_mw"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            parse_path("sites[\"Yongin National\"].power_mw").unwrap(),
            want
        );
        assert_eq!(
            parse_path("sites['Yongin National'].power_mw").unwrap(),
            want
        );
        assert_eq!(
            parse_path("sites.Pyeongtaek.power_additions[0].amount").unwrap(),
            parse_path("sites.Pyeongtaek.power_additions.0.amount").unwrap()
        );
        assert_eq!(format_path(&want), "sites[\"Yongin National\"].power_mw");
        assert!(parse_path("sites[\"x").is_err());
    }

    #[test]
    fn every_listed_path_reads_back_and_paths_are_unique() {
        let s = baseline();
        let all = list(&s);
        assert!(all.len() > 300, "{}", all.len());
        let mut paths: Vec<&str> = all.iter().map(|p| p.path.as_str()).collect();
        paths.sort_unstable();
        let n = paths.len();
        paths.dedup();
        assert_eq!(paths.len(), n, "duplicate paths");
        for p in all.iter().step_by(7) {
            assert_eq!(get(&s, &p.path).unwrap().value, p.value, "{}", p.path);
        }
        let y = get(&s, "sites.Yongin_National.power_mw").unwrap();
        assert_eq!(y.path, "sites[\"Yongin National\"].power_mw");
        assert_eq!(y.unit, "MW");
        let m = get(&s, "model.fabless.spillover_weight").unwrap();
        assert_eq!(m.value, "0.15");
        assert!(
            get(&s, "market.segments.Memory.trend_growth")
                .unwrap()
                .uncertain
        );
        assert!(!get(&s, "groups.Fabless.revenue_krw_b").unwrap().uncertain);
    }

    #[test]
    fn setting_checks_type_and_range() {
        let mut s = baseline();
        set(
            &mut s,
            "policy.tax_credit_large",
            &NewValue::Text("{2023: 0.15, 2025: 0.2}".into()),
        )
        .unwrap();
        assert_eq!(s.policy.tax_credit_large.at(2026), 0.2);
        set(
            &mut s,
            "model.fabless.spillover_weight",
            &NewValue::Text("Uniform(0.1, 0.3)".into()),
        )
        .unwrap();
        assert!(s.model.fabless.spillover_weight.is_uncertain());
        set(
            &mut s,
            "groups.Fabless.count",
            &NewValue::Text("200".into()),
        )
        .unwrap();
        assert_eq!(s.groups[0].count, 200);
        let e = set(
            &mut s,
            "policy.tax_credit_large",
            &NewValue::Text("1.5".into()),
        )
        .unwrap_err();
        assert!(e.message.contains("0..1"), "{e}");
        let e = set(
            &mut s,
            "groups.Fabless.count",
            &NewValue::Text("Uniform(1, 2)".into()),
        )
        .unwrap_err();
        assert!(e.message.contains("whole number"), "{e}");
        let e = set(
            &mut s,
            "policy.tax_credit_larg",
            &NewValue::Text("0.2".into()),
        )
        .unwrap_err();
        assert!(e.to_string().contains("`policy.tax_credit_large`"), "{e}");
    }

    #[test]
    fn pinned_values_keep_the_family() {
        let d = Dist::Named(NamedDist::Uniform(0.0, 1.0));
        let p = pin(&d, 1.0, (0.0, 1.0));
        let (a, b) = p.support();
        assert!(b <= 1.0 && (a - 1.0).abs() < 1e-9 && p.is_uncertain());
        assert_eq!(pin(&Dist::Value(3.0), 2.0, (0.0, 9.0)), Dist::Value(2.0));
    }

    #[test]
    fn overrides_split_and_go_into_the_summary() {
        let o = parse_override("sites[\"A=B\"].x=Uniform(1,2)").unwrap();
        assert_eq!(o.path, "sites[\"A=B\"].x");
        assert_eq!(o.value, "Uniform(1,2)");
        assert!(parse_override("nothing").is_err());
        let json = add_overrides_to_summary(b"{\n  \"a\": 1\n}\n".to_vec(), &[o]);
        let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
        assert_eq!(v["overrides"][0]["value"], "Uniform(1,2)");
    }
}
