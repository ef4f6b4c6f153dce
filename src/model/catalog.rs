//! The metrics recorded each year: a fixed list of cluster-wide indicators followed by
//! a block of indicators per site. Names are stable: CSV files, targets and
//! `--outcome` use them.

use crate::scenario::Scenario;
use crate::sim::results::MetricDef;

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
        "Home memory output as a share of world supply",
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
}

/// Index of metric `offset` of site `site`.
pub fn site_metric(site: usize, offset: usize) -> usize {
    GLOBAL.len() + site * PER_SITE.len() + offset
}

/// Number of metrics for a scenario.
pub fn count(scenario: &Scenario) -> usize {
    GLOBAL.len() + scenario.sites.len() * PER_SITE.len()
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
        assert_eq!(GLOBAL.len(), g::PROJECTS + 1);
        assert_eq!(PER_SITE[s::INVESTMENT].0, "site_investment_krw_t");
    }
}
