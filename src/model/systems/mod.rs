//! The twelve yearly phases, one file each, plus shared helpers.

pub mod construction;
pub mod entry_exit;
pub mod fabless;
pub mod infrastructure;
pub mod investment;
pub mod market;
pub mod metrics;
pub mod mpe;
pub mod policy;
pub mod production;
pub mod rnd;
pub mod talent;

use crate::model::components::Finances;
use crate::model::resources::Flows;
use crate::scenario::schema::EventSpec;

/// True when an event is in force in `year`.
pub fn event_active(e: &EventSpec, year: i32) -> bool {
    year >= e.year && year <= e.until.unwrap_or(e.year)
}

/// Pull of a site on MPE suppliers: its complex's `mpe_incentive` plus what its land
/// discount pulls (`mpe.land_pull` per unit of discount).
pub fn mpe_pull(site: &crate::scenario::schema::SiteSpec, p: &crate::scenario::params::Mpe) -> f64 {
    site.mpe_incentive.max(0.0) + p.land_pull * site.land_discount.clamp(0.0, 1.0)
}

/// Public cost of the land an MPE supplier takes at a site: the site's discount on
/// `mpe.plot_ha` of land at `investment.land_price_krw_b_per_ha`, KRW billions.
pub fn plot_subsidy(
    site: &crate::scenario::schema::SiteSpec,
    p: &crate::scenario::params::DrawnParams,
) -> f64 {
    site.land_discount.clamp(0.0, 1.0) * p.mpe.plot_ha * p.investment.land_price_krw_b_per_ha
}

/// Spillover or commuting weight of a link `distance_km` long: `exp(-distance / decay_km)`.
pub fn link_weight(distance_km: f64, decay_km: f64) -> f64 {
    (-distance_km / decay_km.max(1e-9)).exp()
}

/// Pays `amount` (KRW billions) out of a firm's cash, borrowing what cash cannot cover.
/// Records the borrowing in `flows`.
pub fn pay(fin: &mut Finances, amount: f64, flows: &mut Flows) {
    fin.cash -= amount;
    if fin.cash < 0.0 {
        let borrow = -fin.cash;
        fin.debt += borrow;
        fin.cash = 0.0;
        flows.net_borrowing += borrow;
    }
}

/// How much more a firm may borrow under the leverage limit, KRW billions.
pub fn debt_room(fin: &Finances, leverage_limit: f64) -> f64 {
    (leverage_limit * fin.revenue.max(fin.revenue_prev) - fin.debt).max(0.0)
}

/// The item whose share of `total` the uniform `u` (in 0..1) falls in, walking `items`
/// in order with weights `w` (the last item when rounding leaves `u` past the end).
pub fn pick_weighted<T: Copy>(items: &[T], w: impl Fn(T) -> f64, total: f64, u: f64) -> T {
    let mut left = u * total;
    for &x in items {
        if left < w(x) {
            return x;
        }
        left -= w(x);
    }
    items[items.len() - 1]
}
