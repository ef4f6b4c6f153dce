//! Components of sites, links, firms, fabs and construction projects.

use crate::scenario::{FirmKind, FirmSize, Segment};
use bevy_ecs::prelude::*;

/// A site; `index` points into the scenario's site list and every per-site vector.
#[derive(Component, Debug, Clone, Default)]
pub struct Site {
    /// Index in scenario order.
    pub index: usize,
    /// Part of the new cluster.
    pub in_cluster: bool,
    /// Land still free, hectares.
    pub land_free_ha: f64,
    /// Grid power in service, MW.
    pub power_supply_mw: f64,
    /// Water in service, kt/day.
    pub water_supply_ktd: f64,
    /// Power drawn by running fabs, MW.
    pub power_demand_mw: f64,
    /// Water drawn by running fabs, kt/day.
    pub water_demand_ktd: f64,
    /// Engineers living within reach.
    pub talent_pool: f64,
    /// Engineers demanded by firms at the site.
    pub talent_demand: f64,
    /// Share of demand for engineers unmet (0..1), after commuting.
    pub shortage: f64,
    /// Yearly growth of the pool (drawn once per run).
    pub talent_growth: f64,
}

/// A link between two sites.
#[derive(Component, Debug, Clone, Copy)]
pub struct Link {
    /// One site index.
    pub a: usize,
    /// The other site index.
    pub b: usize,
    /// Distance, km.
    pub distance_km: f64,
    /// Spillover weight, `exp(-distance / fabless.spillover_decay_km)` of the run's drawn
    /// parameters ([`crate::model::systems::link_weight`]): fixed within a run, so
    /// computed once when the link is spawned.
    pub spill_weight: f64,
    /// Commuting weight, `exp(-distance / talent.commute_decay_km)`, likewise.
    pub commute_weight: f64,
}

/// Where a firm's name comes from (no strings are copied per run).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FirmOrigin {
    /// The i-th named firm of the scenario.
    Named(usize),
    /// Firm `member` of group `group`.
    Group {
        /// Index of the group in the scenario's `groups`.
        group: usize,
        /// The firm's number within its group, from 0.
        member: u32,
    },
    /// The n-th firm that entered during the run.
    Entrant(u32),
}

/// A firm.
#[derive(Component, Debug, Clone)]
pub struct Firm {
    /// Where the name comes from.
    pub origin: FirmOrigin,
    /// What it does.
    pub kind: FirmKind,
    /// Tax-credit size class.
    pub size: FirmSize,
    /// Site index of its headquarters.
    pub site: usize,
    /// Year it was founded or entered.
    pub founded: i32,
}

/// Money, in KRW billions.
#[derive(Component, Debug, Clone, Copy, Default)]
pub struct Finances {
    /// Cash.
    pub cash: f64,
    /// Debt.
    pub debt: f64,
    /// Sales this year.
    pub revenue: f64,
    /// Sales last year.
    pub revenue_prev: f64,
    /// Operating margin at normal prices.
    pub margin: f64,
    /// Operating profit this year.
    pub profit: f64,
    /// Operating cash flow this year (profit plus depreciation; manufacturers).
    pub cash_flow: f64,
    /// Consecutive years with negative cash.
    pub loss_years: u32,
    /// Capex paid in each of the last three years (for the incremental credit).
    pub capex_history: [f64; 3],
}

/// Technology and R&D.
#[derive(Component, Debug, Clone, Copy)]
pub struct Tech {
    /// Level relative to the world frontier (1 = at the frontier).
    pub level: f64,
    /// R&D stock, KRW billions.
    pub rnd_stock: f64,
    /// Government grants received this year, KRW billions.
    pub grants: f64,
}

/// Growth state of fabless firms and design houses.
#[derive(Component, Debug, Clone, Copy)]
pub struct Design {
    /// Share of sales exposed to AI-chip demand.
    pub ai_exposure: f64,
    /// Selected for government support (a "star fabless").
    pub flagged: bool,
    /// Support received this year, KRW B (it lifts next year's growth: a prototype or
    /// mass-production project takes a year to reach sales).
    pub support_now: f64,
    /// Support received last year: it acts on this year's growth.
    pub support_prev: f64,
}

/// An MPE supplier's export base.
#[derive(Component, Debug, Clone, Copy)]
pub struct Supplier {
    /// Exported sales, KRW billions.
    pub exports: f64,
}

/// A running fab or packaging line.
#[derive(Component, Debug, Clone, Copy)]
pub struct Fab {
    /// Owner.
    pub firm: Entity,
    /// Site index, or `None` abroad (mother-factory mass production).
    pub site: Option<usize>,
    /// Segment.
    pub segment: Segment,
    /// Nameplate capacity, thousand wafers/month.
    pub kwpm: f64,
    /// Share of nameplate capacity ramped (0..1).
    pub ramp: f64,
    /// Yield (0..1).
    pub yield_rate: f64,
    /// Counts toward the new cluster's fabs.
    pub in_cluster: bool,
    /// Last year it runs (a planned closure), if any.
    pub until: Option<i32>,
    /// Share of its operating profit the state holding company takes (capacity-weighted
    /// over the modules that joined it).
    pub state_take: f64,
}

/// A project under construction (or finished and waiting for power and water).
#[derive(Component, Debug, Clone, Copy)]
pub struct Project {
    /// Owner.
    pub firm: Entity,
    /// Site index, or `None` abroad.
    pub site: Option<usize>,
    /// Segment.
    pub segment: Segment,
    /// Capacity, thousand wafers/month.
    pub kwpm: f64,
    /// Total capex, KRW billions.
    pub capex: f64,
    /// Capex paid so far.
    pub paid: f64,
    /// Year construction started.
    pub start_year: i32,
    /// Year it would produce if nothing holds it back (build time + permit delay).
    pub ready_year: i32,
    /// Years waiting for power or water after it was ready.
    pub waited: u32,
    /// Tax credit rate locked in at the start.
    pub credit_rate: f64,
    /// The pledge it realises, if any.
    pub pledge: Option<usize>,
    /// Share of its capex the state pays (legacy-capacity support), 0..1.
    pub subsidy_rate: f64,
    /// Share of its capex the state pays as its site's land discount, 0..1.
    pub land_rate: f64,
    /// Share of each capex payment the state holding company pays as equity.
    pub state_rate: f64,
    /// Share of the finished fab's operating profit the state holding company takes.
    pub state_take: f64,
}

/// Query filter for manufacturers (foundries, memory makers, packaging): firms with
/// neither [`Design`] nor [`Supplier`], all in one table.
pub type Manufacturers = (Without<Design>, Without<Supplier>);
