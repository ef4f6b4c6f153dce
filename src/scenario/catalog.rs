//! The metrics recorded each year: a fixed list of cluster-wide indicators followed by
//! a block of indicators per site. Names are stable: CSV files, targets and
//! `--outcome` use them.
//!
//! The catalogue is scenario vocabulary (targets name metrics, and validation checks the
//! names), so it lives here, below the model; `crate::model::catalog` re-exports it for
//! the systems that record the metrics by index.

use super::Scenario;
use serde::{Deserialize, Serialize};

/// A recorded indicator: a stable name (`cluster_investment_krw_t`,
/// `capacity_kwpm.Pyeongtaek`), its unit and a description.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricDef {
    /// Stable name used in CSV files, targets and `--outcome`.
    pub name: String,
    /// Unit, e.g. `KRW T`, `wafers/month (thousands)`, `firms`, `MW`.
    pub unit: String,
    /// One line for people.
    pub description: String,
}

/// Cluster-wide metrics: (name, unit, description). Order defines the indices in `G`.
pub const GLOBAL: &[(&str, &str, &str)] = &[
    (
        "cluster_investment_krw_t",
        "KRW T",
        "Cumulative private capex paid in the new cluster's sites",
    ),
    (
        "cluster_pledged_krw_t",
        "KRW T",
        "Cumulative capex pledged for the new cluster, by planned year",
    ),
    (
        "investment_krw_t",
        "KRW T",
        "Cumulative private capex paid at all home sites",
    ),
    (
        "investment_abroad_krw_t",
        "KRW T",
        "Cumulative capex sent abroad (mother-factory mass production)",
    ),
    (
        "packaging_investment_krw_t",
        "KRW T",
        "Cumulative private advanced-packaging capex at home",
    ),
    (
        "cluster_entities",
        "firms",
        "Firms located in the new cluster, or running or building a fab there",
    ),
    ("entities_total", "firms", "Firms in the model"),
    (
        "fabs_operating",
        "fabs",
        "Fabs and packaging lines running at home",
    ),
    (
        "cluster_fabs",
        "fabs",
        "Wafer fabs running in the new cluster",
    ),
    (
        "fabless_1t_firms",
        "firms",
        "Fabless firms and design houses with sales of at least KRW 1T",
    ),
    (
        "fabless_sales_krw_t",
        "KRW T",
        "Sales of fabless firms and design houses",
    ),
    (
        "fabless_world_share",
        "%",
        "Korea's share of world fabless sales",
    ),
    (
        "capacity_kwpm.Memory",
        "kwpm",
        "Memory capacity at home, thousand wafers/month",
    ),
    (
        "capacity_kwpm.AdvancedLogic",
        "kwpm",
        "Advanced-logic capacity at home, thousand wafers/month",
    ),
    (
        "capacity_kwpm.MatureLogic",
        "kwpm",
        "Mature-logic capacity at home, thousand wafers/month",
    ),
    (
        "capacity_kwpm.AdvancedPackaging",
        "kwpm",
        "Advanced-packaging capacity at home, thousand wafers/month",
    ),
    (
        "price_index.Memory",
        "index",
        "Memory price index (1 = normal)",
    ),
    (
        "price_index.AdvancedLogic",
        "index",
        "Advanced-logic price index (1 = normal)",
    ),
    (
        "manufacturing_sales_krw_t",
        "KRW T",
        "Sales of foundries, memory makers and packaging firms",
    ),
    (
        "memory_world_share",
        "%",
        "Korean firms' memory output (home and abroad) as a share of world output",
    ),
    (
        "mpe_localisation",
        "share",
        "Share of domestic MPE demand met by domestic suppliers",
    ),
    (
        "mpe_sales_krw_t",
        "KRW T",
        "Sales of materials, parts and equipment suppliers",
    ),
    ("gov_rnd_krw_t", "KRW T", "Cumulative government R&D grants"),
    (
        "nextgen_rnd_krw_t",
        "KRW T",
        "Cumulative next-generation chip R&D (programmes marked next_generation)",
    ),
    (
        "gov_infra_krw_t",
        "KRW T",
        "Cumulative public infrastructure spending",
    ),
    (
        "tax_credits_krw_t",
        "KRW T",
        "Cumulative tax credits granted (revenue forgone)",
    ),
    (
        "fabless_support_krw_t",
        "KRW T",
        "Cumulative fabless support paid",
    ),
    (
        "engineers_demand",
        "thousand",
        "Engineers demanded by firms",
    ),
    (
        "engineers_supply",
        "thousand",
        "Engineers in the sites' pools",
    ),
    (
        "talent_shortage",
        "share",
        "Demand-weighted share of engineer demand unmet",
    ),
    (
        "infra_delay_years",
        "fab-years",
        "Cumulative years finished fabs waited for power or water",
    ),
    (
        "permit_delay_years",
        "project-years",
        "Cumulative years of permit delay of started projects",
    ),
    (
        "projects_building",
        "projects",
        "Projects under construction or waiting",
    ),
    (
        "capacity_abroad_kwpm.Memory",
        "kwpm",
        "Memory capacity of Korean firms' plants abroad, thousand wafers/month",
    ),
    (
        "capacity_abroad_kwpm.AdvancedLogic",
        "kwpm",
        "Advanced-logic capacity of Korean firms' plants abroad",
    ),
    (
        "capacity_abroad_kwpm.MatureLogic",
        "kwpm",
        "Mature-logic capacity of Korean firms' plants abroad",
    ),
    (
        "capacity_abroad_kwpm.AdvancedPackaging",
        "kwpm",
        "Advanced-packaging capacity of Korean firms' plants abroad",
    ),
    (
        "world_chip_sales_usd_b",
        "USD B",
        "World chip sales: memory, logic and the chips the segments do not model (WSTS basis)",
    ),
    ("world_memory_sales_usd_b", "USD B", "World memory sales"),
    (
        "world_logic_sales_usd_b",
        "USD B",
        "World logic sales (advanced and mature logic wafers)",
    ),
    ("world_foundry_sales_usd_b", "USD B", "World foundry sales"),
    (
        "foundry_share",
        "%",
        "Korean foundries' share of world foundry sales",
    ),
    (
        "memory_home_share",
        "%",
        "Memory output at home as a share of world output",
    ),
    (
        "korea_chip_exports_usd_b",
        "USD B",
        "Korea's chip exports (home manufacturers' sales times exports per home sales)",
    ),
    (
        "engineers_new_demand",
        "thousand",
        "Engineers newly demanded since the start year (growth of demand), cumulative",
    ),
    (
        "legacy_subsidy_krw_t",
        "KRW T",
        "Cumulative legacy-capacity capex subsidies paid",
    ),
    (
        "mature_booked_kwpm",
        "kwpm",
        "Korean mature-node demand booked at home foundries",
    ),
    (
        "conversions_kwpm",
        "kwpm",
        "Memory capacity converted to mature logic, cumulative",
    ),
    (
        "equipment_delay_years",
        "project-years",
        "Cumulative extra build years of home projects from equipment export controls",
    ),
    (
        "carbon_border_cost_krw_t",
        "KRW T",
        "Cumulative carbon border costs paid by home fabs",
    ),
    ("tech_leaks", "leaks", "Cumulative technology leaks abroad"),
    (
        "mpe_relocations",
        "firms",
        "Cumulative relocations of MPE suppliers to sites with an MPE pull (MPE complexes)",
    ),
    (
        "state_coinvest_krw_t",
        "KRW T",
        "Cumulative capex paid as equity by the state holding company",
    ),
    (
        "state_returns_krw_t",
        "KRW T",
        "Cumulative fab profits taken by the state holding company",
    ),
    (
        "public_cost_krw_t",
        "KRW T",
        "Cumulative public outlays: tax credits, R&D grants, infrastructure, fabless support, legacy subsidies, land discounts and state equity, less the state's returns",
    ),
    (
        "public_cost_year_krw_t",
        "KRW T",
        "Public outlays in the year (as public_cost_krw_t, for one year)",
    ),
    (
        "public_cost_pv_krw_t",
        "KRW T",
        "Present value in the start year of public outlays to date, at model.public.discount_rate",
    ),
    (
        "hub_rnd_stock_krw_t",
        "KRW T",
        "R&D stock of the public R&D hubs (budget shares accumulated, depreciating)",
    ),
    (
        "hub_spillover_gain",
        "‰/yr",
        "Mean technology gain of a firm in the year from R&D hub spillovers, in thousandths of the frontier level",
    ),
    (
        "land_subsidy_krw_t",
        "KRW T",
        "Cumulative land discounts paid at discounted sites (fab projects and MPE suppliers' plots)",
    ),
];

/// Index of each global metric in `GLOBAL`.
#[allow(missing_docs)]
pub mod g {
    pub const CLUSTER_INVESTMENT: usize = 0;
    pub const CLUSTER_PLEDGED: usize = 1;
    pub const INVESTMENT: usize = 2;
    pub const INVESTMENT_ABROAD: usize = 3;
    pub const PACKAGING_INVESTMENT: usize = 4;
    pub const CLUSTER_ENTITIES: usize = 5;
    pub const ENTITIES: usize = 6;
    pub const FABS: usize = 7;
    pub const CLUSTER_FABS: usize = 8;
    pub const FABLESS_1T: usize = 9;
    pub const FABLESS_SALES: usize = 10;
    pub const FABLESS_SHARE: usize = 11;
    pub const CAPACITY: usize = 12; // + segment index
    pub const PRICE_MEMORY: usize = 16;
    pub const PRICE_ADVANCED: usize = 17;
    pub const MANUFACTURING_SALES: usize = 18;
    pub const MEMORY_SHARE: usize = 19;
    pub const LOCALISATION: usize = 20;
    pub const MPE_SALES: usize = 21;
    pub const GOV_RND: usize = 22;
    pub const NEXTGEN_RND: usize = 23;
    pub const GOV_INFRA: usize = 24;
    pub const TAX_CREDITS: usize = 25;
    pub const SUPPORT: usize = 26;
    pub const ENGINEERS_DEMAND: usize = 27;
    pub const ENGINEERS_SUPPLY: usize = 28;
    pub const SHORTAGE: usize = 29;
    pub const INFRA_DELAY: usize = 30;
    pub const PERMIT_DELAY: usize = 31;
    pub const PROJECTS: usize = 32;
    pub const CAPACITY_ABROAD: usize = 33; // + segment index
    pub const WORLD_CHIP_SALES: usize = 37;
    pub const WORLD_MEMORY_SALES: usize = 38;
    pub const WORLD_LOGIC_SALES: usize = 39;
    pub const WORLD_FOUNDRY_SALES: usize = 40;
    pub const FOUNDRY_SHARE: usize = 41;
    pub const MEMORY_HOME_SHARE: usize = 42;
    pub const EXPORTS: usize = 43;
    pub const ENGINEERS_NEW: usize = 44;
    pub const LEGACY_SUBSIDY: usize = 45;
    pub const MATURE_BOOKED: usize = 46;
    pub const CONVERSIONS: usize = 47;
    pub const EQUIPMENT_DELAY: usize = 48;
    pub const CARBON_COST: usize = 49;
    pub const TECH_LEAKS: usize = 50;
    pub const RELOCATIONS: usize = 51;
    pub const STATE_COINVEST: usize = 52;
    pub const STATE_RETURNS: usize = 53;
    pub const PUBLIC_COST: usize = 54;
    pub const PUBLIC_COST_YEAR: usize = 55;
    pub const PUBLIC_COST_PV: usize = 56;
    pub const HUB_STOCK: usize = 57;
    pub const HUB_GAIN: usize = 58;
    pub const LAND_SUBSIDY: usize = 59;
}

/// Per-site metrics: (prefix, unit, description); the name is `<prefix>.<site>`.
pub const PER_SITE: &[(&str, &str, &str)] = &[
    (
        "site_capacity_kwpm",
        "kwpm",
        "Running capacity at the site, thousand wafers/month",
    ),
    ("power_demand_mw", "MW", "Power drawn by the site's fabs"),
    ("power_supply_mw", "MW", "Grid power in service at the site"),
    (
        "water_demand_ktd",
        "kt/day",
        "Water drawn by the site's fabs, thousand tonnes/day",
    ),
    (
        "water_supply_ktd",
        "kt/day",
        "Water in service at the site, thousand tonnes/day",
    ),
    ("site_firms", "firms", "Firms headquartered at the site"),
    (
        "site_investment_krw_t",
        "KRW T",
        "Cumulative capex paid at the site",
    ),
    (
        "site_engineers_demand",
        "thousand",
        "Engineers demanded by firms and fabs at the site",
    ),
    (
        "site_talent_shortage",
        "share",
        "Share of the site's engineer demand unmet after commuting",
    ),
];

/// Offsets within a site's block.
#[allow(missing_docs)]
pub mod s {
    pub const CAPACITY: usize = 0;
    pub const POWER_DEMAND: usize = 1;
    pub const POWER_SUPPLY: usize = 2;
    pub const WATER_DEMAND: usize = 3;
    pub const WATER_SUPPLY: usize = 4;
    pub const FIRMS: usize = 5;
    pub const INVESTMENT: usize = 6;
    pub const ENGINEERS: usize = 7;
    pub const SHORTAGE: usize = 8;
}

/// Index of metric `offset` of site `site`.
pub fn site_metric(site: usize, offset: usize) -> usize {
    GLOBAL.len() + site * PER_SITE.len() + offset
}

/// Named firms with a sales metric of their own (chip makers: foundries, memory makers
/// and packaging firms), as indices into the scenario's firms.
pub fn firms_with_metrics(scenario: &Scenario) -> impl Iterator<Item = usize> + '_ {
    scenario
        .firms
        .iter()
        .enumerate()
        .filter(|(_, f)| f.kind.is_manufacturer())
        .map(|(i, _)| i)
}

/// Index of the first per-firm metric.
pub fn firm_metrics_start(scenario: &Scenario) -> usize {
    GLOBAL.len() + scenario.sites.len() * PER_SITE.len()
}

/// Number of metrics for a scenario.
pub fn count(scenario: &Scenario) -> usize {
    firm_metrics_start(scenario) + firms_with_metrics(scenario).count()
}

/// Every metric of a scenario, in index order.
pub fn metrics(scenario: &Scenario) -> Vec<MetricDef> {
    let mut out: Vec<MetricDef> = GLOBAL
        .iter()
        .map(|(n, u, d)| MetricDef {
            name: (*n).into(),
            unit: (*u).into(),
            description: (*d).into(),
        })
        .collect();
    for site in &scenario.sites {
        for (p, u, d) in PER_SITE {
            out.push(MetricDef {
                name: format!("{p}.{}", site.name),
                unit: (*u).into(),
                description: format!("{d} ({})", site.name),
            });
        }
    }
    for i in firms_with_metrics(scenario) {
        let name = &scenario.firms[i].name;
        out.push(MetricDef {
            name: format!("firm_sales_krw_t.{name}"),
            unit: "KRW T".into(),
            description: format!(
                "Sales of {name}'s fabs and lines, at home and abroad (its chip business)"
            ),
        });
    }
    out
}

/// Every metric name of a scenario, in index order.
pub fn metric_names(scenario: &Scenario) -> Vec<String> {
    metrics(scenario).into_iter().map(|m| m.name).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn global_indices_match_names() {
        assert_eq!(GLOBAL[g::CLUSTER_INVESTMENT].0, "cluster_investment_krw_t");
        assert_eq!(GLOBAL[g::FABLESS_1T].0, "fabless_1t_firms");
        assert_eq!(GLOBAL[g::CAPACITY + 3].0, "capacity_kwpm.AdvancedPackaging");
        assert_eq!(GLOBAL[g::PRICE_MEMORY].0, "price_index.Memory");
        assert_eq!(GLOBAL[g::ENGINEERS_DEMAND].0, "engineers_demand");
        assert_eq!(GLOBAL[g::PROJECTS].0, "projects_building");
        assert_eq!(
            GLOBAL[g::CAPACITY_ABROAD + 1].0,
            "capacity_abroad_kwpm.AdvancedLogic"
        );
        assert_eq!(GLOBAL[g::FOUNDRY_SHARE].0, "foundry_share");
        assert_eq!(GLOBAL[g::EXPORTS].0, "korea_chip_exports_usd_b");
        assert_eq!(GLOBAL.len(), g::LAND_SUBSIDY + 1);
        assert_eq!(PER_SITE[s::INVESTMENT].0, "site_investment_krw_t");
    }
}
