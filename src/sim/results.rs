//! What an ensemble produces: per-year statistics of every metric, target
//! probabilities, the fabless sales distribution and the site geometry for maps.
//! Exporters (`crate::output`) turn this into files; nothing here does I/O.

use serde::{Deserialize, Serialize};

// A target's comparison and a metric's definition are scenario vocabulary; results repeat
// them, so they are re-exported here.
pub use crate::scenario::Comparison;
pub use crate::scenario::catalog::MetricDef;

/// Percentile statistics of one metric in one year across the runs of an ensemble.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct YearStats {
    /// 10th percentile.
    pub p10: f64,
    /// Median.
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
    /// Mean.
    pub mean: f64,
}

/// A target's probability of being met across the ensemble.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetResult {
    /// The target's name in the scenario.
    pub name: String,
    /// Metric name (index into `EnsembleResult::metrics` via `metric_index`).
    pub metric: String,
    /// Comparison.
    pub comparison: Comparison,
    /// Target value, in the metric's unit.
    pub value: f64,
    /// The year by which it should be met.
    pub year: i32,
    /// Share of runs in which the metric meets the value in `year`.
    pub probability: f64,
    /// Share of runs meeting it in each simulated year (aligned with `EnsembleResult::years`).
    pub probability_by_year: Vec<f64>,
}

/// Where a site is and what it is, for maps and per-site charts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteInfo {
    /// Site name as in the scenario.
    pub name: String,
    /// Kind, e.g. `ExistingComplex`, `NationalComplex`, `FablessValley`.
    pub kind: String,
    /// km east of the reference point (Seoul City Hall).
    pub x_km: f64,
    /// km north of the reference point.
    pub y_km: f64,
    /// Part of the new mega-cluster whose targets are counted.
    pub in_cluster: bool,
}

/// A link between two sites (indices into `EnsembleResult::sites`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkInfo {
    /// First site.
    pub a: usize,
    /// Second site.
    pub b: usize,
    /// Distance in km.
    pub distance_km: f64,
    /// Spillover weight `exp(-distance / decay_km)`.
    pub weight: f64,
}

/// Distribution of fabless (and design-house) firm sales in one year, pooled over runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SalesHistogram {
    /// The year.
    pub year: i32,
    /// Bin edges in KRW billions, log-spaced, `counts.len() + 1` of them.
    pub edges_krw_b: Vec<f64>,
    /// Mean number of firms per run in each bin.
    pub counts: Vec<f64>,
    /// Mean number of firms per run at or above KRW 1T (1,000 B).
    pub mean_at_or_above_1t: f64,
}

/// The result of an ensemble of runs of one scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnsembleResult {
    /// Scenario name.
    pub scenario: String,
    /// Scenario seed.
    pub seed: u64,
    /// Number of runs.
    pub runs: usize,
    /// Simulated years, in order (start..=end).
    pub years: Vec<i32>,
    /// Every recorded metric.
    pub metrics: Vec<MetricDef>,
    /// `stats[m][y]`: statistics of metric `m` in year index `y`.
    pub stats: Vec<Vec<YearStats>>,
    /// Target probabilities.
    pub targets: Vec<TargetResult>,
    /// Sites, in scenario order.
    pub sites: Vec<SiteInfo>,
    /// Links between sites.
    pub links: Vec<LinkInfo>,
    /// Fabless sales distributions in the years that targets name (at least the last year).
    pub fabless_sales: Vec<SalesHistogram>,
}

impl EnsembleResult {
    /// Index of a metric by name.
    pub fn metric_index(&self, name: &str) -> Option<usize> {
        self.metrics.iter().position(|m| m.name == name)
    }

    /// Statistics of a metric over the years, if the metric exists.
    pub fn series(&self, name: &str) -> Option<&[YearStats]> {
        self.metric_index(name).map(|i| self.stats[i].as_slice())
    }

    /// Index of a year.
    pub fn year_index(&self, year: i32) -> Option<usize> {
        self.years.iter().position(|&y| y == year)
    }
}
