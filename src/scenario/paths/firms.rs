//! Firms (with their fabs), groups of firms, pledges and R&D hubs.

use super::SlotMut as S;
use super::visit::Visitor;
use crate::scenario::schema::Scenario;

/// `firms`, `groups`, `pledges` and `rnd_hubs`, each by name.
pub(super) fn visit(v: &mut Visitor<'_>, s: &mut Scenario) {
    v.named(
        "firms",
        &mut s.firms,
        |f| f.name.clone(),
        |v, firm| {
            v.context(format!("firm `{}`: ", firm.name));
            v.at(
                "revenue_krw_b",
                S::F64(&mut firm.revenue_krw_b),
                "KRW B",
                "Sales in the start year (manufacturers: recomputed from fabs each year)",
                0.0,
                1e7,
            );
            v.at(
                "cash_krw_b",
                S::F64(&mut firm.cash_krw_b),
                "KRW B",
                "Cash at the start",
                0.0,
                1e7,
            );
            v.at(
                "debt_krw_b",
                S::F64(&mut firm.debt_krw_b),
                "KRW B",
                "Debt at the start",
                0.0,
                1e7,
            );
            v.at(
                "operating_margin",
                S::OptF64(&mut firm.operating_margin),
                "fraction of sales",
                "Operating margin at normal prices (none = the kind's default)",
                -1.0,
                1.0,
            );
            v.at(
                "tech_level",
                S::F64(&mut firm.tech_level),
                "-",
                "Technology level relative to the world frontier (1 = at the frontier)",
                0.0,
                5.0,
            );
            v.at(
                "ai_exposure",
                S::F64(&mut firm.ai_exposure),
                "fraction of sales",
                "Share of sales exposed to AI-chip demand",
                0.0,
                1.0,
            );
            v.at(
                "design_value_share",
                S::F64(&mut firm.design_value_share),
                "fraction of logic sales",
                "Share of its logic sales that is its own chip designs' value above the wafer (in its sales, not in foundry sales as TrendForce counts them)",
                0.0,
                1.0,
            );
            v.indexed("fabs", &mut firm.fabs, |v, fab| {
                v.at(
                    "kwpm",
                    S::F64(&mut fab.kwpm),
                    "kwpm",
                    "Capacity of a fab it runs at the start, thousand wafers per month",
                    0.0,
                    1e6,
                );
            });
            v.indexed("plants_abroad", &mut firm.plants_abroad, |v, plant| {
                v.at(
                    "kwpm",
                    S::F64(&mut plant.kwpm),
                    "kwpm",
                    "Capacity of a plant it runs abroad at the start, thousand wafers per month",
                    0.0,
                    1e6,
                );
            });
        },
    );
    v.named(
        "groups",
        &mut s.groups,
        |g| g.name.clone(),
        |v, g| {
            v.context(format!("group `{}`: ", g.name));
            v.at(
                "count",
                S::U32(&mut g.count),
                "firms",
                "How many firms at the start",
                0.0,
                1e6,
            );
            v.within("sites", |v| {
                for (site, w) in &mut g.sites {
                    v.entry(
                        site,
                        S::F64(w),
                        "weight",
                        "Share of the group at this site (weights, normalised)",
                        0.0,
                        1e6,
                    );
                }
            });
            v.leaf(
                "revenue_krw_b",
                S::Dist(&mut g.revenue_krw_b),
                "KRW B",
                "Start-year sales of each firm (drawn per firm)",
                (0.0, 1e7),
                false,
            );
            v.leaf(
                "operating_margin",
                S::OptDist(&mut g.operating_margin),
                "fraction of sales",
                "Operating margin of each firm (drawn per firm; none = the kind's default)",
                (-1.0, 1.0),
                false,
            );
            v.leaf(
                "tech_level",
                S::Dist(&mut g.tech_level),
                "-",
                "Technology level of each firm relative to the frontier (drawn per firm)",
                (0.0, 5.0),
                false,
            );
            v.leaf(
                "ai_exposure",
                S::Dist(&mut g.ai_exposure),
                "fraction of sales",
                "Share of each firm's sales exposed to AI-chip demand (drawn per firm)",
                (0.0, 1.0),
                false,
            );
            v.at(
                "supported_share",
                S::F64(&mut g.supported_share),
                "fraction",
                "Share of the group's firms selected for government support",
                0.0,
                1.0,
            );
        },
    );
    v.named(
        "pledges",
        &mut s.pledges,
        |p| p.name.clone(),
        |v, p| {
            v.context(format!("pledge `{}`: ", p.name));
            v.at(
                "kwpm",
                S::F64(&mut p.kwpm),
                "kwpm",
                "Pledged capacity, thousand wafers per month",
                0.0,
                1e6,
            );
            v.at(
                "capex_krw_b",
                S::F64(&mut p.capex_krw_b),
                "KRW B",
                "Pledged investment",
                0.0,
                1e7,
            );
            v.year(
                "start_year",
                &mut p.start_year,
                "Planned construction start",
            );
            v.year(
                "finish_year",
                &mut p.finish_year,
                "Planned first production",
            );
        },
    );
    v.named(
        "rnd_hubs",
        &mut s.rnd_hubs,
        |h| h.name.clone(),
        |v, h| {
            v.context(format!("hub `{}`: ", h.name));
            v.at(
                "share",
                S::F64(&mut h.share),
                "fraction",
                "Share of its R&D programme's budget the hub receives",
                0.0,
                1.0,
            );
        },
    );
}
