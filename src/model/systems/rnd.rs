//! Phase 9, R&D and learning: government programmes grant their budgets to eligible
//! firms (in proportion to the square root of sales) and to R&D hubs; R&D stocks
//! accumulate own spending and grants and depreciate; technology levels move with R&D
//! intensity above the frontier's and with spillovers from hubs over links.

use super::link_weight;
use crate::model::components::*;
use crate::model::resources::*;
use bevy_ecs::prelude::*;

/// Phase 9.
///
/// Each firm's weight (the square root of its sales) is computed once a year; the
/// programmes' totals are summed in one pass and their grants paid in a second one,
/// which also updates R&D stocks and technology levels.
pub fn rnd(
    scen: Res<ScenarioRes>,
    drawn: Res<Drawn>,
    policy: Res<PolicyNow>,
    mut derived: ResMut<Derived>,
    mut ledger: ResMut<Ledger>,
    mut firms: Query<(&Firm, &mut Finances, &mut Tech)>,
    links: Query<&Link>,
    mut weights: Local<Vec<f64>>,
) {
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
            .fold(0u32, |m, k| m | (1 << kind_bit(*k)));
        active.push((mask, budget * (1.0 - hub_share), prog.next_generation));
    }
    let mut totals = vec![0.0; active.len()];
    weights.clear();
    for (f, fin, _) in &firms {
        let w = fin.revenue.max(0.0).sqrt();
        weights.push(w);
        let bit = 1u32 << kind_bit(f.kind);
        for (t, (mask, _, _)) in totals.iter_mut().zip(&active) {
            if mask & bit != 0 {
                *t += w;
            }
        }
    }
    for (&total, &(_, to_firms, next_gen)) in totals.iter().zip(&active) {
        if total <= 0.0 {
            // Nobody eligible: the money stays with the hubs' programme (not spent on firms).
            ledger.gov_rnd -= to_firms;
            if next_gen {
                ledger.nextgen_rnd -= to_firms;
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
    let mut mpe_grants = 0.0;
    for ((f, mut fin, mut t), &w) in firms.iter_mut().zip(weights.iter()) {
        let bit = 1u32 << kind_bit(f.kind);
        let mut grants = 0.0;
        for (&total, &(mask, to_firms, _)) in totals.iter().zip(&active) {
            if mask & bit == 0 || total <= 0.0 {
                continue;
            }
            let g = to_firms * w / total;
            if g > 0.0 {
                grants += g;
                fin.cash += g;
                ledger.flows.grants += g;
                if f.kind.is_mpe() {
                    mpe_grants += g;
                }
            }
        }
        let rev = fin.revenue.max(1e-9);
        let revenue = fin.revenue;
        t.grants = grants;
        t.rnd_stock = t.rnd_stock * (1.0 - p.depreciation) + own * revenue + grants;
        let intensity = own + grants / rev;
        let gain = p.tech_gain * (intensity - p.frontier_intensity)
            + p.hub_spillover * hub_pull[f.site] / 1000.0;
        t.level = (t.level + gain).clamp(p.tech_min, p.tech_max);
    }
    derived.mpe_grants += mpe_grants;
}

/// A firm kind's bit in a programme's recipient set.
fn kind_bit(k: crate::scenario::FirmKind) -> u32 {
    k as u32
}
