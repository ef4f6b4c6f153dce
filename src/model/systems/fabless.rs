//! Phase 7, fabless firms and design houses: sales grow multiplicatively and at random
//! (a heavy-tailed Student-t shock: few winners), raised by access to domestic foundry
//! capacity, demand-matching support, spillovers from industry at linked sites, AI-chip
//! demand, technology and R&D grants; lowered by size and by talent shortage at the
//! firm's site. Support selected this year lifts next year's growth.

use crate::model::components::*;
use crate::model::random::ShockTable;
use crate::model::resources::*;
use crate::numbers::krw_b_to_t;
use bevy_ecs::prelude::*;
use rand::RngExt;

/// Inputs to one firm's growth in one year (log growth terms).
#[derive(Debug, Clone, Copy, Default)]
pub struct GrowthTerms {
    /// Log change of domestic foundry output booked by fabless firms.
    pub access: f64,
    /// Log change of spillover pull at the firm's site.
    pub spill: f64,
    /// Log of AI demand growth this year, ln(1 + rate) (the same for every firm, so
    /// computed once a year by [`ai_log_growth`]).
    pub ai_log_growth: f64,
    /// Support received last year relative to sales (support reaches sales after a year).
    pub support_ratio: f64,
    /// Technology level relative to the frontier.
    pub tech_level: f64,
    /// Grants last year relative to sales.
    pub grant_ratio: f64,
    /// Talent shortage at the site (0..1).
    pub shortage: f64,
}

/// Log growth of a firm's sales before the random shock.
pub fn expected_log_growth(
    p: &crate::scenario::params::Fabless,
    revenue: f64,
    ai_exposure: f64,
    t: &GrowthTerms,
) -> f64 {
    // ln(revenue / 100) only above KRW 100B: below it the drag is 0 (most firms).
    let size = if revenue > 100.0 {
        (revenue / 100.0).ln()
    } else {
        0.0
    };
    p.base_growth - p.size_drag * size
        + p.access_weight * t.access
        + p.spillover_weight * t.spill
        + p.ai_weight * ai_exposure * t.ai_log_growth
        + p.tech_weight * t.tech_level.max(1e-6).ln()
        + support_boost(p, t.support_ratio)
        + p.rnd_weight * t.grant_ratio.min(1.0)
        - p.talent_penalty * t.shortage
}

/// ln(1 + rate) of AI demand growth, with the rate floored at -99 %.
pub fn ai_log_growth(rate: f64) -> f64 {
    rate.max(-0.99).ln_1p()
}

/// Extra log growth from support worth `ratio` of the firm's sales: it saturates at
/// `support_growth_boost`, half of it at `support_half_ratio` (a grant matters to a
/// KRW 30B start-up, hardly to a KRW 1T firm).
pub fn support_boost(p: &crate::scenario::params::Fabless, ratio: f64) -> f64 {
    let r = ratio.max(0.0);
    if r <= 0.0 {
        return 0.0;
    }
    p.support_growth_boost * r / (r + p.support_half_ratio.max(1e-9))
}

/// Scale of the Student-t shock: one standard deviation where the t has one
/// (`tail_dof` > 2), else `heavy_tail_scale`.
pub fn shock_scale(p: &crate::scenario::params::Fabless) -> f64 {
    if p.tail_dof > 2.0 {
        ((p.tail_dof - 2.0) / p.tail_dof).sqrt()
    } else {
        p.heavy_tail_scale
    }
}

/// Keeps the `n` entries of `keyed` with the highest keys, highest first (a selection,
/// then an order: linear in the entries, not n log n).
pub fn top_keys<T>(keyed: &mut Vec<(f64, T)>, n: usize) {
    let chosen = n.min(keyed.len());
    if chosen < keyed.len() && chosen > 0 {
        keyed.select_nth_unstable_by(chosen - 1, |a, b| b.0.total_cmp(&a.0));
    }
    keyed.truncate(chosen);
    keyed.sort_by(|a, b| b.0.total_cmp(&a.0));
}

/// Phase 7.
pub fn fabless(
    cal: Res<Calendar>,
    drawn: Res<Drawn>,
    market: Res<MarketState>,
    policy: Res<PolicyNow>,
    mut derived: ResMut<Derived>,
    mut ledger: ResMut<Ledger>,
    mut rng: ResMut<RunRng>,
    shocks: Res<ShockTable>,
    mut firms: Query<(Entity, &Firm, &mut Finances, &mut Design, &Tech)>,
    all: Query<(&Firm, &Finances), Without<Design>>,
    sites: Query<&Site>,
    links: Query<&Link>,
    mut shortage: Local<Vec<f64>>,
    mut spill_log: Local<Vec<f64>>,
    mut eligible: Local<Vec<(f64, Entity)>>,
) {
    let p = drawn.p.fabless;
    let n = derived.site_mass.len();
    // Spillover pull: distance-weighted industry sales (KRW T) where the activity is:
    // fabs at their sites, other firms at their offices. (Hub R&D is a stock, not a
    // flow: it acts through technology levels in phase 9.)
    // Last year's buffers are refilled (no allocation per year).
    let mut mass = std::mem::take(&mut derived.site_mass);
    mass.clear();
    mass.extend(derived.fab_sales_by_site.iter().map(|&v| krw_b_to_t(v)));
    mass.resize(n, 0.0);
    all.iter().for_each(|(f, fin)| {
        if !f.kind.is_manufacturer() {
            mass[f.site] += krw_b_to_t(fin.revenue);
        }
    });
    firms.iter().for_each(|(_, f, fin, _, _)| {
        mass[f.site] += krw_b_to_t(fin.revenue);
    });
    let mut spill = std::mem::take(&mut derived.spill_prev);
    spill.clear();
    spill.extend_from_slice(&mass);
    for l in &links {
        let w = l.spill_weight;
        spill[l.a] += w * mass[l.b];
        spill[l.b] += w * mass[l.a];
    }
    derived.spill_prev = if cal.index == 0 {
        spill.clone()
    } else {
        std::mem::take(&mut derived.spill)
    };
    derived.spill = spill;
    derived.site_mass = mass;
    shortage.clear();
    shortage.resize(n, 0.0);
    for site in &sites {
        shortage[site.index] = site.shortage;
    }
    let access = if cal.index == 0 || derived.booked_foundry_prev <= 0.0 {
        0.0
    } else {
        (derived.booked_foundry.max(1e-9) / derived.booked_foundry_prev).ln()
    };

    // Demand-matching support: budget / per-project grant projects, flagged firms first.
    let projects = if policy.per_project > 0.0 {
        (policy.fabless_support / policy.per_project).floor() as usize
    } else {
        0
    };
    eligible.clear();
    // The run's generator borrowed once: each `rng.0` through `ResMut` would mark the
    // resource changed again. Nothing reads change ticks, so writes skip them.
    let rng_run = &mut rng.0;
    firms.iter_mut().for_each(|(e, _, fin, mut d, _)| {
        let d = d.bypass_change_detection();
        d.support_prev = d.support_now;
        d.support_now = 0.0;
        // Flagged ("star") firms are eligible whatever their sales.
        if d.flagged || fin.revenue >= p.support_min_revenue_krw_b {
            let key: f64 = rng_run.random::<f64>() + if d.flagged { 1.0 } else { 0.0 };
            eligible.push((key, e));
        }
    });
    top_keys(&mut eligible, projects);
    for &(_, e) in eligible.iter() {
        if let Ok((_, _, mut fin, mut d, _)) = firms.get_mut(e) {
            d.support_now = policy.per_project;
            fin.cash += policy.per_project;
            ledger.flows.grants += policy.per_project;
            ledger.fabless_support += policy.per_project;
        }
    }
    let scale = shock_scale(&p);
    let first = cal.index == 0;
    // Log change of spillover pull, per site (not per firm).
    spill_log.clear();
    spill_log.extend(
        derived
            .spill
            .iter()
            .zip(&derived.spill_prev)
            .map(|(now, prev)| (now.max(1e-9) / prev.max(1e-9)).ln()),
    );
    // No firm outsells the rest of the world's fabless industry: the market's size
    // bounds growth that feedbacks (spillovers between growing firms) would otherwise
    // compound without end. It never binds in the shipped scenarios.
    let world_krw_b = market.rest_fabless_usd_b * market.usd_krw;
    let ai_log = ai_log_growth(market.ai_growth_now);
    let (mut revenue, mut costs) = (0.0, 0.0);
    for (_, f, mut fin, d, tech) in &mut firms {
        let fin = fin.bypass_change_detection();
        if !first {
            let terms = GrowthTerms {
                access,
                spill: spill_log[f.site],
                ai_log_growth: ai_log,
                // (Most firms got no support: no division for them.)
                support_ratio: if fin.revenue > 0.0 && d.support_prev != 0.0 {
                    d.support_prev / fin.revenue
                } else {
                    0.0
                },
                tech_level: tech.level,
                grant_ratio: if fin.revenue > 0.0 {
                    tech.grants / fin.revenue
                } else {
                    0.0
                },
                shortage: shortage[f.site],
            };
            // Student-t with `tail_dof` degrees of freedom, clamped (the run's table).
            let z = shocks.draw(rng_run) * scale;
            let g = (expected_log_growth(&p, fin.revenue, d.ai_exposure, &terms) + p.growth_sd * z)
                .clamp(-p.growth_clamp, p.growth_clamp);
            fin.revenue = (fin.revenue * g.exp()).min(world_krw_b.max(fin.revenue));
        }
        let profit = fin.revenue * fin.margin;
        fin.profit = profit;
        fin.cash += profit;
        revenue += fin.revenue;
        costs += fin.revenue - profit;
    }
    ledger.flows.revenue += revenue;
    ledger.flows.costs += costs;
}
