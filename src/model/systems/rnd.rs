//! Phase 9, R&D and learning: government programmes grant their budgets to eligible
//! firms (in proportion to the square root of sales) and to R&D hubs; R&D stocks
//! accumulate own spending and grants and depreciate; technology levels move with R&D
//! intensity above the frontier's and with spillovers from hubs over links.

use super::link_weight;
use crate::model::components::*;
use crate::model::resources::*;
use crate::scenario::FirmKind;
use bevy_ecs::prelude::*;
use rand_distr::{Distribution, StandardNormal};

/// Phase 9.
///
/// Each firm's weight (the square root of its sales) is computed once a year and summed
/// by kind; a programme's grant per unit of weight is its budget over the weights of
/// the kinds it funds. A second pass pays the grants and updates R&D stocks and
/// technology levels.
pub fn rnd(
    scen: Res<ScenarioRes>,
    drawn: Res<Drawn>,
    policy: Res<PolicyNow>,
    mut derived: ResMut<Derived>,
    mut ledger: ResMut<Ledger>,
    mut firms: Query<(&Firm, &mut Finances, &mut Tech)>,
    links: Query<&Link>,
    mut rng: ResMut<RunRng>,
    mut weights: Local<Vec<f64>>,
) {
    let shock_sd = drawn.p.market.tech_shock_sd;
    let s = &*scen.0;
    let p = drawn.p.rnd;
    derived.mpe_grants = 0.0;
    for h in derived.hub_stock.iter_mut() {
        *h *= 1.0 - p.depreciation;
    }
    // Programmes with money this year: (bit set of recipient kinds, budget for firms).
    let mut active: Vec<(u32, f64, bool)> = Vec::new();
    for ((name, prog), &budget) in s.policy.rnd_programmes.iter().zip(&policy.rnd_budgets) {
        if budget <= 0.0 {
            continue;
        }
        ledger.gov_rnd += budget;
        if prog.next_generation {
            ledger.nextgen_rnd += budget;
        }
        let hubs = || s.rnd_hubs.iter().filter(|h| &h.programme == name);
        let hub_share: f64 = hubs().map(|h| h.share).sum::<f64>().min(1.0);
        for h in hubs() {
            if let Some(i) = s.site_index(&h.site) {
                derived.hub_stock[i] += budget * h.share;
            }
        }
        let mask = prog
            .recipients
            .iter()
            .fold(0u32, |m, k| m | (1 << *k as u32));
        active.push((mask, budget * (1.0 - hub_share), prog.next_generation));
    }
    // Sum of weights by firm kind, then each programme's total over the kinds it funds.
    const KINDS: usize = FirmKind::ALL.len();
    let mut kind_weight = [0.0; KINDS];
    weights.clear();
    firms.iter().for_each(|(f, fin, _)| {
        let w = fin.revenue.max(0.0).sqrt();
        weights.push(w);
        kind_weight[f.kind as usize] += w;
    });
    // Grant per unit of weight, by kind: the sum over the programmes open to the kind.
    let mut per_weight = [0.0; KINDS];
    for &(mask, to_firms, next_gen) in &active {
        let total: f64 = (0..KINDS)
            .filter(|&k| mask & (1 << k) != 0)
            .map(|k| kind_weight[k])
            .sum();
        if total <= 0.0 {
            // Nobody eligible: the money stays with the hubs' programme (not spent on firms).
            ledger.gov_rnd -= to_firms;
            if next_gen {
                ledger.nextgen_rnd -= to_firms;
            }
            continue;
        }
        for (k, pw) in per_weight.iter_mut().enumerate() {
            if mask & (1 << k) != 0 {
                *pw += to_firms / total;
            }
        }
    }
    let n = derived.hub_stock.len();
    let mut hub_pull = derived.hub_stock.clone();
    for l in &links {
        let w = link_weight(l, drawn.p.fabless.spillover_decay_km);
        hub_pull[l.a] += w * derived.hub_stock[l.b];
        hub_pull[l.b] += w * derived.hub_stock[l.a];
    }
    debug_assert_eq!(hub_pull.len(), n);
    let own = drawn.p.investment.rnd_intensity;
    let keep = 1.0 - p.depreciation;
    let (mut paid, mut mpe_grants, mut unspent) = (0.0, 0.0, 0.0);
    for ((f, fin, t), &w) in firms.iter_mut().zip(weights.iter()) {
        let (fin, t) = (fin.into_inner(), t.into_inner());
        // Grants match the firm's own R&D at most `max_grant_share` to one.
        let offered = w * per_weight[f.kind as usize];
        let grants = offered.min(p.max_grant_share * own * fin.revenue.max(0.0));
        unspent += offered - grants;
        if grants > 0.0 {
            fin.cash += grants;
            paid += grants;
            if f.kind.is_mpe() {
                mpe_grants += grants;
            }
        }
        let revenue = fin.revenue;
        t.grants = grants;
        t.rnd_stock = t.rnd_stock * keep + own * revenue + grants;
        let intensity = own + grants / revenue.max(1e-9);
        let mut gain = p.tech_gain * (intensity - p.frontier_intensity)
            + p.hub_spillover * hub_pull[f.site] / 1000.0;
        if f.kind.is_manufacturer() && shock_sd > 0.0 {
            // Execution: yields, node timing, product wins.
            let z: f64 = StandardNormal.sample(&mut rng.0);
            gain += shock_sd * z;
        }
        t.level = (t.level + gain).clamp(p.tech_min, p.tech_max);
    }
    ledger.flows.grants += paid;
    // Money no firm could match stays with the programme.
    ledger.gov_rnd -= unspent;
    derived.mpe_grants += mpe_grants;
}
