//! Phase 9, R&D and learning: government programmes grant their budgets to eligible
//! firms (in proportion to the square root of sales) and to R&D hubs; R&D stocks
//! accumulate own spending and grants and depreciate; technology levels move with R&D
//! intensity above the frontier's and with spillovers from hubs over links.

use super::link_weight;
use crate::model::components::*;
use crate::model::resources::*;
use bevy_ecs::prelude::*;

/// Phase 9.
pub fn rnd(
    scen: Res<ScenarioRes>,
    drawn: Res<Drawn>,
    policy: Res<PolicyNow>,
    mut derived: ResMut<Derived>,
    mut ledger: ResMut<Ledger>,
    mut firms: Query<(&Firm, &mut Finances, &mut Tech)>,
    links: Query<&Link>,
) {
    let s = &*scen.0;
    let p = drawn.p.rnd;
    for (_, _, mut t) in &mut firms {
        t.grants = 0.0;
    }
    derived.mpe_grants = 0.0;
    for h in derived.hub_stock.iter_mut() {
        *h *= 1.0 - p.depreciation;
    }
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
        let to_firms = budget * (1.0 - hub_share);
        let weight = |f: &Firm, fin: &Finances| {
            if prog.recipients.contains(&f.kind) {
                fin.revenue.max(0.0).sqrt()
            } else {
                0.0
            }
        };
        let total: f64 = firms.iter().map(|(f, fin, _)| weight(f, fin)).sum();
        if total <= 0.0 {
            // Nobody eligible: the money stays with the hubs' programme (not spent on firms).
            ledger.gov_rnd -= to_firms;
            if prog.next_generation {
                ledger.nextgen_rnd -= to_firms;
            }
            continue;
        }
        for (f, mut fin, mut t) in &mut firms {
            let g = to_firms * weight(f, &fin) / total;
            if g > 0.0 {
                t.grants += g;
                fin.cash += g;
                ledger.flows.grants += g;
                if f.kind.is_mpe() {
                    derived.mpe_grants += g;
                }
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
    for (f, fin, mut t) in &mut firms {
        let rev = fin.revenue.max(1e-9);
        t.rnd_stock = t.rnd_stock * (1.0 - p.depreciation) + own * fin.revenue + t.grants;
        let intensity = own + t.grants / rev;
        let gain = p.tech_gain * (intensity - p.frontier_intensity)
            + p.hub_spillover * hub_pull[f.site] / 1000.0;
        t.level = (t.level + gain).clamp(p.tech_min, p.tech_max);
    }
}
