//! Phase 8, materials, parts and equipment: domestic demand follows fab capex
//! (equipment) and chip sales (materials); the localisation rate rises with MPE R&D
//! grants and with suppliers co-locating at sites with fabs; domestic orders go to
//! suppliers by size, with a bonus for co-location; exports follow world demand.

use crate::model::components::*;
use crate::model::resources::*;
use crate::numbers::KRW_B_PER_T;
use crate::scenario::Segment;
use bevy_ecs::prelude::*;
use rand::RngExt;
use rand_distr::{Distribution, StandardNormal};

/// MPE complexes pull suppliers: each supplier at a site without a pull moves, with a
/// yearly chance `relocation_rate` × the sum of the pulls (at most 1), to a site with
/// one, chosen in proportion to its pull. A site in the cluster takes movers only while
/// the cluster has room under its entity cap (`room` places). No draw is made when no
/// site pulls.
fn relocate(
    s: &crate::scenario::Scenario,
    dp: &crate::scenario::params::DrawnParams,
    mut room: usize,
    rng: &mut RunRng,
    ledger: &mut Ledger,
    suppliers: &mut Query<(&mut Firm, &mut Finances, &mut Supplier, &Tech)>,
) {
    let p = &dp.mpe;
    let pulls: Vec<(usize, f64)> = s
        .sites
        .iter()
        .enumerate()
        .map(|(i, x)| (i, super::mpe_pull(x, p)))
        .filter(|&(_, pull)| pull > 0.0)
        .collect();
    let total: f64 = pulls.iter().map(|x| x.1).sum();
    if pulls.is_empty() || p.relocation_rate <= 0.0 {
        return;
    }
    let chance = (p.relocation_rate * total).min(1.0);
    for (mut f, _, _, _) in suppliers.iter_mut() {
        if super::mpe_pull(&s.sites[f.site], p) > 0.0 || rng.0.random::<f64>() >= chance {
            continue;
        }
        let (to, _) = super::pick_weighted(&pulls, |x| x.1, total, rng.0.random::<f64>());
        if s.sites[to].in_cluster {
            if room == 0 {
                continue;
            }
            room -= 1;
        }
        f.site = to;
        ledger.relocations += 1.0;
        ledger.land_subsidy += super::plot_subsidy(&s.sites[to], dp);
    }
}

/// Phase 8.
pub fn mpe(
    cal: Res<Calendar>,
    drawn: Res<Drawn>,
    market: Res<MarketState>,
    mut derived: ResMut<Derived>,
    mut ledger: ResMut<Ledger>,
    mut rng: ResMut<RunRng>,
    scen: Res<ScenarioRes>,
    mut suppliers: Query<(&mut Firm, &mut Finances, &mut Supplier, &Tech)>,
    makers: Query<(&Firm, &Finances), Manufacturers>,
    fabs: Query<&Fab>,
    sites: Query<&Site>,
    mut weights: Local<Vec<f64>>,
) {
    let p = drawn.p.mpe;
    // Room under the cluster's entity cap (counted at last year's entry phase).
    let room = (scen.0.entity_cap as usize).saturating_sub(derived.cluster_firms);
    relocate(
        &scen.0,
        &drawn.p,
        room,
        &mut rng,
        &mut ledger,
        &mut suppliers,
    );
    let chip_sales: f64 = makers
        .iter()
        .filter(|(f, _)| f.kind.is_manufacturer())
        .map(|(_, fin)| fin.revenue)
        .sum();
    let demand_now =
        p.equipment_share_of_capex * ledger.capex_now + p.materials_share_of_sales * chip_sales;
    let n = derived.site_mass.len();
    let mut has_fabs = vec![false; n];
    for fab in &fabs {
        if let Some(i) = fab.site {
            has_fabs[i] = true;
        }
    }
    let mut in_cluster = vec![false; n];
    for s in &sites {
        in_cluster[s.index] = s.in_cluster;
    }
    // One pass: each supplier's share weight for domestic orders (size × co-location
    // bonus × technology × log-normal noise), and how many are co-located with fabs in
    // the cluster.
    weights.clear();
    let (mut total, mut colocated) = (0usize, 0usize);
    let rng_run = &mut rng.0;
    for (f, fin, sup, tech) in &suppliers {
        total += 1;
        if in_cluster[f.site] && has_fabs[f.site] {
            colocated += 1;
        }
        let z: f64 = StandardNormal.sample(rng_run);
        let base = (fin.revenue - sup.exports)
            .max(p.home_order_floor * fin.revenue)
            .max(1e-6);
        let bonus = if has_fabs[f.site] {
            1.0 + p.colocation_bonus
        } else {
            1.0
        };
        weights.push(base * bonus * tech.level * (p.noise_sd * z).exp());
    }
    let colocated = colocated as f64 / total.max(1) as f64;
    if cal.index > 0 {
        let l = derived.localisation
            + p.localisation_rnd_gain * derived.mpe_grants / KRW_B_PER_T
            + p.localisation_colocation_gain * colocated
            - p.localisation_decay * (derived.localisation - p.localisation_start);
        derived.localisation = l.clamp(0.0, p.localisation_max);
    }
    derived.mpe_market = demand_now;
    let domestic_sales = derived.localisation * demand_now;
    // World demand growth this year (memory and logic), for exports.
    let world: f64 = Segment::ALL
        .iter()
        .filter(|s| s.is_fab())
        .map(|s| market.seg[s.index()].trend)
        .sum();
    let growth = if derived.mpe_world_prev > 0.0 {
        world / derived.mpe_world_prev
    } else {
        1.0
    };
    derived.mpe_world_prev = world;
    let sum: f64 = weights.iter().sum::<f64>().max(1e-12);
    let (mut revenue, mut costs) = (0.0, 0.0);
    // Nothing reads change ticks: writes skip them.
    let mut w = weights.iter();
    for (_, mut fin, mut sup, _) in &mut suppliers {
        let (fin, sup) = (fin.bypass_change_detection(), sup.bypass_change_detection());
        // The same suppliers in the same order as the pass that pushed the weights.
        let w = *w.next().expect("a weight per supplier");
        sup.exports *= growth;
        fin.revenue = domestic_sales * w / sum + sup.exports;
        let profit = fin.revenue * fin.margin;
        fin.profit = profit;
        fin.cash += profit;
        revenue += fin.revenue;
        costs += fin.revenue - profit;
    }
    ledger.flows.revenue += revenue;
    ledger.flows.costs += costs;
}
