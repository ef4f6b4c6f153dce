//! `summary.json`: scenario, seed, runs, version, target probabilities (with their 95 %
//! Wilson intervals), headline indicators (median and 10–90 % range in chosen years) and
//! the `--set` overrides, if any.

use crate::output::compare::stats::wilson;
use crate::scenario::paths::Override;
use crate::sim::results::{EnsembleResult, YearStats};
use serde::Serialize;
use std::collections::BTreeMap;

/// Metrics shown as headline indicators, in this order.
pub const HEADLINE: &[&str] = &[
    "cluster_investment_krw_t",
    "cluster_pledged_krw_t",
    "cluster_entities",
    "cluster_fabs",
    "fabless_1t_firms",
    "fabless_sales_krw_t",
    "fabless_world_share",
    "capacity_kwpm.Memory",
    "capacity_kwpm.AdvancedLogic",
    "capacity_kwpm.MatureLogic",
    "capacity_kwpm.AdvancedPackaging",
    "packaging_investment_krw_t",
    "nextgen_rnd_krw_t",
    "mpe_localisation",
    "talent_shortage",
    "infra_delay_years",
];

/// A target in the summary.
#[derive(Debug, Serialize)]
pub struct TargetOut<'a> {
    /// Name.
    pub name: &'a str,
    /// Metric.
    pub metric: &'a str,
    /// `>=` or `<=`.
    pub comparison: &'static str,
    /// Target value.
    pub value: f64,
    /// Year.
    pub year: i32,
    /// Probability of being met in `year` (0..1).
    pub probability: f64,
    /// Its 95 % Wilson interval over the runs, as in the report and `compare`.
    pub probability_ci95: [f64; 2],
}

/// A headline indicator in the summary.
#[derive(Debug, Serialize)]
pub struct HeadlineOut<'a> {
    /// Metric.
    pub metric: &'a str,
    /// Unit.
    pub unit: &'a str,
    /// Statistics by year.
    pub years: BTreeMap<i32, YearStats>,
}

/// The whole summary.
#[derive(Debug, Serialize)]
pub struct Summary<'a> {
    /// Scenario name.
    pub scenario: &'a str,
    /// Seed.
    pub seed: u64,
    /// Runs.
    pub runs: usize,
    /// megacluster version.
    pub version: &'static str,
    /// First and last simulated year.
    pub years: [i32; 2],
    /// Targets.
    pub targets: Vec<TargetOut<'a>>,
    /// Headline indicators.
    pub headline: Vec<HeadlineOut<'a>>,
    /// The `--set` overrides the scenario was run with (the key is left out when none).
    #[serde(skip_serializing_if = "<[Override]>::is_empty")]
    pub overrides: &'a [Override],
}

/// Years shown for headline indicators: 2030 and the last year when simulated, else the
/// middle and last years.
pub fn headline_years(r: &EnsembleResult) -> Vec<i32> {
    let last = *r.years.last().unwrap_or(&0);
    let mid = if r.years.contains(&2030) && last != 2030 {
        2030
    } else {
        r.years.get(r.years.len() / 2).copied().unwrap_or(last)
    };
    let mut v = vec![mid, last];
    v.dedup();
    v
}

/// Builds the summary of `r`, run with `overrides`.
pub fn summary<'a>(r: &'a EnsembleResult, overrides: &'a [Override]) -> Summary<'a> {
    let years = headline_years(r);
    Summary {
        scenario: &r.scenario,
        seed: r.seed,
        runs: r.runs,
        version: env!("CARGO_PKG_VERSION"),
        years: [
            *r.years.first().unwrap_or(&0),
            *r.years.last().unwrap_or(&0),
        ],
        targets: r
            .targets
            .iter()
            .map(|t| TargetOut {
                name: &t.name,
                metric: &t.metric,
                comparison: t.comparison.symbol(),
                value: t.value,
                year: t.year,
                probability: t.probability,
                probability_ci95: {
                    let (lo, hi) = wilson(t.probability, r.runs);
                    [lo, hi]
                },
            })
            .collect(),
        headline: HEADLINE
            .iter()
            .filter_map(|name| {
                let m = r.metric_index(name)?;
                let years = years
                    .iter()
                    .filter_map(|&y| r.year_index(y).map(|i| (y, r.stats[m][i])))
                    .collect();
                Some(HeadlineOut {
                    metric: &r.metrics[m].name,
                    unit: &r.metrics[m].unit,
                    years,
                })
            })
            .collect(),
        overrides,
    }
}

/// `summary.json` bytes.
pub fn to_json(r: &EnsembleResult, overrides: &[Override]) -> Vec<u8> {
    let mut v = serde_json::to_vec_pretty(&summary(r, overrides)).unwrap_or_default();
    v.push(b'\n');
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_are_the_last_key_and_only_when_given() {
        let r = EnsembleResult {
            scenario: "s".into(),
            seed: 1,
            runs: 2,
            years: vec![2025],
            metrics: vec![],
            stats: vec![],
            targets: vec![],
            sites: vec![],
            links: vec![],
            fabless_sales: vec![],
        };
        let none = String::from_utf8(to_json(&r, &[])).unwrap();
        assert!(!none.contains("overrides") && none.ends_with("\"headline\": []\n}\n"));
        let o = Override {
            path: "policy.tax_credit_large".into(),
            value: "0.2".into(),
        };
        let with = String::from_utf8(to_json(&r, &[o])).unwrap();
        assert_eq!(
            with,
            none.replace(
                "\"headline\": []\n}\n",
                "\"headline\": [],\n  \"overrides\": [\n    {\n      \"path\": \"policy.tax_credit_large\",\n      \"value\": \"0.2\"\n    }\n  ]\n}\n"
            )
        );
    }
}
