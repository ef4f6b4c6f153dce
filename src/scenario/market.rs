//! The world market: demand, supply outside the modelled firms, prices, and the
//! economics of a fab in each segment.

use super::dist::Dist;
use super::kinds::Segment;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The world market.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Market")]
pub struct MarketSpec {
    /// KRW per USD.
    pub usd_krw: f64,
    /// Segments; all four must be given.
    pub segments: BTreeMap<Segment, SegmentSpec>,
    /// World fabless sales in the start year, USD billions (for Korea's share).
    pub world_fabless_usd_b: f64,
    /// Yearly growth of world fabless sales (fraction).
    #[serde(default)]
    pub world_fabless_growth: Dist,
    /// Yearly growth of AI-chip demand (fraction), driving AI-exposed fabless firms
    /// and advanced-logic demand.
    #[serde(default)]
    pub ai_demand_growth: Dist,
    /// Share of advanced-logic demand that is AI chips at the start.
    #[serde(default)]
    pub ai_share_of_advanced_logic: f64,
    /// World sales of the chips the segments do not model (analog, micro, discretes,
    /// optoelectronics, sensors) in the start year, USD billions (for world chip sales).
    #[serde(default)]
    pub other_chips_usd_b: f64,
    /// Yearly trend growth of those sales (fraction); they follow the mature-logic cycle.
    #[serde(default)]
    pub other_chips_growth: Dist,
    /// Korean demand for mature-node chips (automotive, appliances, domestic fabless) in
    /// the start year, thousand wafers per month; the sourcing share of it is booked at
    /// home foundries.
    #[serde(default)]
    pub domestic_mature_demand_kwpm: f64,
    /// Yearly growth of that demand (fraction).
    #[serde(default)]
    pub domestic_mature_growth: Dist,
    /// Korea's chip exports per unit of home manufacturers' sales (exports count wafers
    /// and chips shipped to the firms' own plants abroad and re-exports; D from MOTIE).
    #[serde(default)]
    pub exports_per_home_sales: f64,
}

/// One segment of the world market and its fab economics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Segment")]
pub struct SegmentSpec {
    /// World demand at the start, thousand wafers per month.
    pub demand_kwpm: f64,
    /// Capacity of firms not modelled (rest of the world) at the start, thousand wafers per month.
    pub rest_of_world_kwpm: f64,
    /// Trend growth of demand, fraction per year.
    pub trend_growth: Dist,
    /// Amplitude of the chip cycle, fraction of demand.
    #[serde(default)]
    pub cycle_amplitude: Dist,
    /// Cycle period, years.
    #[serde(default = "default_period")]
    pub cycle_period_years: f64,
    /// Cycle phase at the start, years (0 = at the trend, rising).
    #[serde(default)]
    pub cycle_phase_years: Dist,
    /// Standard deviation of the yearly demand shock (log).
    #[serde(default)]
    pub shock_sd: f64,
    /// Persistence of demand shocks (AR(1) coefficient, 0..1).
    #[serde(default)]
    pub shock_persistence: f64,
    /// Sales per wafer at price index 1, USD.
    pub price_usd_per_wafer: f64,
    /// Price index at the start (1 = normal).
    #[serde(default = "one")]
    pub price_index_start: f64,
    /// Price response to the demand/supply ratio: index = (demand/supply)^(1/elasticity).
    #[serde(default = "default_elasticity")]
    pub price_elasticity: f64,
    /// How fast the rest of the world adds capacity towards demand (fraction of the gap per year).
    #[serde(default = "default_row_response")]
    pub rest_of_world_response: f64,
    /// Capex per thousand wafers per month of new capacity, KRW billions.
    pub capex_krw_b_per_kwpm: f64,
    /// Yearly capex to keep running capacity at the technology frontier (node migration,
    /// upgrades), KRW billions per kwpm of running capacity; adds no capacity.
    #[serde(default)]
    pub upgrade_capex_krw_b_per_kwpm: f64,
    /// Yearly decline of capex per unit of capacity (fraction), or negative for rises.
    #[serde(default)]
    pub capex_trend: f64,
    /// Size of one construction module, thousand wafers per month.
    pub module_kwpm: f64,
    /// Power drawn at full output, MW per thousand wafers per month.
    pub power_mw_per_kwpm: f64,
    /// Water drawn at full output, thousand tonnes per day per thousand wafers per month.
    pub water_ktd_per_kwpm: f64,
    /// Engineers needed per thousand wafers per month.
    pub engineers_per_kwpm: f64,
    /// Operating margin at price index 1 (fraction of sales), after depreciation.
    pub operating_margin: f64,
    /// Depreciation and amortisation at price index 1 (fraction of sales): a cost in the
    /// operating margin that is not a cash outflow (capex is paid when built).
    #[serde(default)]
    pub depreciation_share: f64,
    /// Share of the segment's world sales made by foundries (for world foundry sales and
    /// the foundry share).
    #[serde(default)]
    pub foundry_share: f64,
    /// Construction time from ground-breaking to first wafers, years.
    pub build_years: Dist,
}

fn default_period() -> f64 {
    4.0
}
fn one() -> f64 {
    1.0
}
fn default_elasticity() -> f64 {
    0.5
}
fn default_row_response() -> f64 {
    0.3
}
