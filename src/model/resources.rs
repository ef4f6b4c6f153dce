//! Resources: the calendar, the world market, policy in force, drawn parameters,
//! the run's RNG, ledgers and the metrics recorder.

use crate::model::random::RunStream;
use crate::scenario::params::DrawnParams;
use crate::scenario::{Resolved, Scenario};
use bevy_ecs::prelude::*;
use std::sync::Arc;

/// The scenario and its names resolved to indices, shared read-only by every run.
#[derive(Resource, Clone)]
pub struct ScenarioRes(pub Arc<Scenario>, pub Arc<Resolved>);

/// The current year.
#[derive(Resource, Debug, Clone, Copy)]
pub struct Calendar {
    /// Current year.
    pub year: i32,
    /// Index of the year from the start (0 = start year).
    pub index: usize,
}

/// The run's random number generator ([`crate::model::setup::run_rng`]).
#[derive(Resource)]
pub struct RunRng(pub RunStream);

/// Values drawn once per run.
#[derive(Resource, Debug, Clone)]
pub struct Drawn {
    /// Model coefficients.
    pub p: DrawnParams,
    /// Per segment: trend growth, cycle amplitude, cycle phase, build years.
    pub segments: [SegmentDraw; 4],
    /// World fabless growth per year.
    pub world_fabless_growth: f64,
    /// AI demand growth per year.
    pub ai_growth: f64,
    /// Trend growth of world sales of chips the segments do not model.
    pub other_chips_growth: f64,
    /// Growth of Korean demand for mature-node chips.
    pub domestic_mature_growth: f64,
    /// Per site: power additions as (year online before policy, amount, planned year, public cost).
    pub power_additions: Vec<Vec<AdditionDraw>>,
    /// Per site: water additions.
    pub water_additions: Vec<Vec<AdditionDraw>>,
}

/// A segment's drawn values.
#[derive(Debug, Clone, Copy, Default)]
pub struct SegmentDraw {
    /// Trend growth of demand.
    pub trend_growth: f64,
    /// Cycle amplitude.
    pub cycle_amplitude: f64,
    /// Cycle phase, years.
    pub cycle_phase: f64,
    /// Build time, years.
    pub build_years: f64,
}

/// A scheduled infrastructure addition with its drawn delay.
#[derive(Debug, Clone, Copy)]
pub struct AdditionDraw {
    /// Planned year.
    pub planned: i32,
    /// Drawn delay, years (before the permit timeout and fund).
    pub delay: f64,
    /// Amount.
    pub amount: f64,
    /// Public cost, KRW billions.
    pub public_cost: f64,
    /// Year it comes online, fixed when the planned year arrives.
    pub online: Option<i32>,
    /// Already in service.
    pub added: bool,
}

/// One segment of the world market this year.
#[derive(Debug, Clone, Copy, Default)]
pub struct SegmentState {
    /// Trend demand (no cycle, no shock), kwpm.
    pub trend: f64,
    /// Demand, kwpm.
    pub demand: f64,
    /// Capacity of producers that are not modelled firms, kwpm (modelled firms' plants
    /// abroad are not in it: supply adds them separately).
    pub rest_of_world: f64,
    /// Effective capacity of modelled firms at home last year, kwpm.
    pub domestic: f64,
    /// World supply, kwpm.
    pub supply: f64,
    /// Price index (1 = normal).
    pub price: f64,
    /// World utilisation (0..1).
    pub utilisation: f64,
    /// AR(1) demand shock (log).
    pub shock: f64,
    /// Share of the cluster's sales lost to export controls this year.
    pub sales_loss: f64,
    /// Capex per kwpm this year, KRW billions.
    pub capex_per_kwpm: f64,
    /// Domestic output this year, kwpm-equivalent.
    pub domestic_output: f64,
    /// Output of modelled firms' plants abroad this year, kwpm-equivalent.
    pub abroad_output: f64,
    /// Output of the rest of the world this year, kwpm-equivalent.
    pub rest_output: f64,
    /// World sales this year, USD billions (every producer's output at this year's price).
    pub world_sales_usd_b: f64,
    /// Sales of modelled (Korean) firms this year, at home and abroad, USD billions.
    pub firms_sales_usd_b: f64,
    /// World foundry sales in this segment this year, USD billions.
    pub foundry_sales_usd_b: f64,
    /// Sales of modelled (Korean) foundries in this segment this year, USD billions.
    pub korean_foundry_sales_usd_b: f64,
}

/// The world market.
#[derive(Resource, Debug, Clone, Default)]
pub struct MarketState {
    /// By segment, in `Segment::ALL` order.
    pub seg: [SegmentState; 4],
    /// AI demand index (1 at the start).
    pub ai_index: f64,
    /// AI demand growth this year.
    pub ai_growth_now: f64,
    /// KRW per USD.
    pub usd_krw: f64,
    /// World fabless sales outside Korea, USD billions (Korea's own are its design
    /// firms' sales, so the world's total is their sum).
    pub rest_fabless_usd_b: f64,
    /// Output lost at each site this year (0..1).
    pub site_loss: Vec<f64>,
    /// World sales of chips the segments do not model, USD billions.
    pub other_chips_usd_b: f64,
    /// Korean demand for mature-node chips, kwpm.
    pub domestic_mature_kwpm: f64,
}

/// Policy in force this year.
#[derive(Resource, Debug, Clone, Default)]
pub struct PolicyNow {
    /// Tax credit, large firms.
    pub credit_large: f64,
    /// Tax credit, SMEs.
    pub credit_sme: f64,
    /// Incremental credit.
    pub credit_incremental: f64,
    /// Infrastructure fund, KRW billions.
    pub infra_fund: f64,
    /// Permit timeout, years (0 = none).
    pub permit_timeout: f64,
    /// Engineers arriving this year from talent programmes (places funded
    /// `stem_lag_years` earlier).
    pub talent_programme: f64,
    /// Foreign engineers admitted this year.
    pub foreign_talent: f64,
    /// Share of mature-logic capex the state pays.
    pub legacy_subsidy: f64,
    /// Share of Korean mature-node demand booked at home foundries.
    pub mature_sourcing: f64,
    /// Fabless support budget, KRW billions.
    pub fabless_support: f64,
    /// Support per project, KRW billions.
    pub per_project: f64,
    /// Share of new mass-production capacity placed abroad, by segment (the policy's
    /// share plus subsidies abroad in force).
    pub overseas_share: [f64; 4],
    /// Extra build time of home projects started this year, as a share of the normal
    /// build time: equipment export controls times the imported share of tools
    /// (1 - MPE localisation), less what friend-shoring relieves.
    pub equipment_slowdown: f64,
    /// Carbon border cost on home fabs' output, USD per wafer made (cost per wafer
    /// sold into the levying market times its share).
    pub carbon_usd_per_wafer: f64,
    /// Share of technology leaks prevented.
    pub tech_protection: f64,
    /// State holding company: share of eligible new home projects' capex it pays.
    pub state_share: f64,
    /// State holding company: share of its pro-rata profit it takes.
    pub state_profit_share: f64,
    /// State holding company: most it commits this year, KRW billions.
    pub state_budget: f64,
    /// R&D budgets this year by programme (scenario order), KRW billions.
    pub rnd_budgets: Vec<f64>,
}

/// Status of each pledge.
#[derive(Resource, Debug, Clone, Default)]
pub struct Pledges {
    /// Per pledge in scenario order.
    pub state: Vec<PledgeState>,
}

/// A pledge's progress.
#[derive(Debug, Clone, Copy, Default)]
pub struct PledgeState {
    /// Year it is now due to start.
    pub due: i32,
    /// Times it slipped.
    pub slips: u32,
    /// Started (or cancelled).
    pub decided: bool,
    /// Capex actually committed, KRW billions.
    pub realised_capex: f64,
}

/// Money flows and cumulative totals (KRW billions), for metrics and the conservation check.
#[derive(Resource, Debug, Clone, Default)]
pub struct Ledger {
    /// Flows this year, summed over firms.
    pub flows: Flows,
    /// Capex paid in the new cluster, cumulative.
    pub cluster_investment: f64,
    /// Capex pledged in the new cluster by planned year, cumulative.
    pub cluster_pledged: f64,
    /// Capex paid anywhere at home, cumulative.
    pub investment: f64,
    /// Capex paid abroad, cumulative.
    pub investment_abroad: f64,
    /// Private advanced-packaging capex, cumulative.
    pub packaging_investment: f64,
    /// Government R&D granted, cumulative.
    pub gov_rnd: f64,
    /// Next-generation chip R&D granted, cumulative.
    pub nextgen_rnd: f64,
    /// Public infrastructure spending, cumulative.
    pub gov_infra: f64,
    /// Tax credits granted, cumulative.
    pub tax_credits: f64,
    /// Fabless support paid, cumulative.
    pub fabless_support: f64,
    /// Legacy-capacity capex subsidies paid, cumulative.
    pub legacy_subsidy: f64,
    /// Land discounts paid at discounted sites (fab projects and MPE plots), cumulative.
    pub land_subsidy: f64,
    /// Memory capacity converted to mature logic, cumulative, kwpm.
    pub conversions_kwpm: f64,
    /// Engineers newly demanded since the start: the yearly growth of total demand,
    /// cumulative (not replacement of leavers; MOTIE's 127,000 for 2022-2031 counts
    /// additional workers).
    pub new_engineer_demand: f64,
    /// Fab-years of waiting for power or water, cumulative.
    pub infra_delay_years: f64,
    /// Project-years of permit delay, cumulative.
    pub permit_delay_years: f64,
    /// Project-years of build delay from equipment export controls, cumulative.
    pub equipment_delay_years: f64,
    /// Carbon border costs paid by home fabs, cumulative.
    pub carbon_cost: f64,
    /// Technology leaks abroad, cumulative count.
    pub tech_leaks: f64,
    /// Suppliers relocated to MPE complexes, cumulative count.
    pub relocations: f64,
    /// State holding company: capex committed this year (its yearly budget caps it).
    pub state_committed_now: f64,
    /// State holding company: capex paid as equity, cumulative.
    pub state_coinvest: f64,
    /// State holding company: profits taken, cumulative.
    pub state_returns: f64,
    /// Capex paid at each site, cumulative.
    pub site_investment: Vec<f64>,
    /// Capex paid this year by domestic fabs (for MPE demand).
    pub capex_now: f64,
}

/// Money flows of one year (KRW billions), summed over firms.
#[derive(Debug, Clone, Copy, Default)]
pub struct Flows {
    /// Sales.
    pub revenue: f64,
    /// Operating costs.
    pub costs: f64,
    /// Capex paid (before tax credits).
    pub capex: f64,
    /// Tax credits received.
    pub credits: f64,
    /// Grants, support and capex subsidies received.
    pub grants: f64,
    /// Interest paid.
    pub interest: f64,
    /// New borrowing minus repayments.
    pub net_borrowing: f64,
    /// Cash brought in by entering firms.
    pub entry_cash: f64,
    /// Cash taken out by exiting firms.
    pub exit_cash: f64,
}

/// State derived by one phase for the next ones.
#[derive(Resource, Debug, Clone, Default)]
pub struct Derived {
    /// Domestic foundry output booked by domestic fabless firms in the start year.
    pub booked_foundry_start: f64,
    /// The same this year.
    pub booked_foundry: f64,
    /// The same last year.
    pub booked_foundry_prev: f64,
    /// Industry sales by site where the activity is (fabs at their sites, other firms at
    /// their offices), KRW trillions (for spillovers).
    pub site_mass: Vec<f64>,
    /// Fab sales by site this year, KRW billions (from production).
    pub fab_sales_by_site: Vec<f64>,
    /// Sales of chips made at home this year (memory and logic), USD billions.
    pub home_chip_sales_usd_b: f64,
    /// Korean mature-node demand booked at home foundries this year, kwpm.
    pub mature_booked_kwpm: f64,
    /// Spillover pull by site last year.
    pub spill_prev: Vec<f64>,
    /// Spillover pull by site this year.
    pub spill: Vec<f64>,
    /// MPE localisation rate.
    pub localisation: f64,
    /// Domestic MPE demand, KRW billions.
    pub mpe_market: f64,
    /// Hub R&D stocks by site, KRW billions.
    pub hub_stock: Vec<f64>,
    /// Mean technology gain of a firm this year from hub spillovers (level units).
    pub hub_gain: f64,
    /// MPE R&D grants this year, KRW billions.
    pub mpe_grants: f64,
    /// World wafer demand trend last year (for MPE exports).
    pub mpe_world_prev: f64,
    /// Firms entered so far (for naming).
    pub entrants: u32,
    /// Places in the cluster taken or held after last year's entry and exit (member
    /// firms, pledgers' held places, entrants), plus firms that entered since by starting
    /// a project there: what the entity cap leaves room beyond.
    pub cluster_firms: usize,
}

/// The year-by-metric table of one run and the fabless sales snapshots.
#[derive(Resource, Debug, Clone, Default)]
pub struct Recorder {
    /// Metrics per year.
    pub n_metrics: usize,
    /// `values[year_index * n_metrics + metric]`.
    pub values: Vec<f64>,
    /// Years whose fabless sales are kept for the distribution chart.
    pub snapshot_years: Vec<i32>,
    /// Sales of every fabless firm and design house in each snapshot year, KRW billions.
    pub snapshots: Vec<Vec<f64>>,
}
