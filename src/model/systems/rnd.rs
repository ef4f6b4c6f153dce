//! Phase 9, R&D and learning: government programmes grant their budgets to eligible
//! firms (in proportion to the square root of sales) and to R&D hubs; R&D stocks
//! accumulate own spending and grants and depreciate; technology levels move with R&D
//! intensity above the frontier's and with spillovers from hubs over links.

use crate::model::components::*;
use crate::model::resources::*;
use crate::numbers::KRW_B_PER_T;
use crate::scenario::FirmKind;
use bevy_ecs::prelude::*;
use rand::RngExt;
use rand_distr::{Distribution, StandardNormal};

/// Phase 9.
///
/// Each firm's weight (the square root of its sales) is computed once a year and summed
/// by kind; a programme's grant per unit of weight is its budget over the weights of
/// the kinds it funds. A firm's grants match its own R&D at most `max_grant_share` to
/// one: what a capped firm cannot take goes to the other firms of its kind in
/// proportion to their weights ("water-filling", [`fill_level`]), and stays with the
/// programme only when every firm of the kind is capped. A second pass pays the grants
/// and updates R&D stocks and technology levels.
pub fn rnd(
    scen: Res<ScenarioRes>,
    drawn: Res<Drawn>,
    policy: Res<PolicyNow>,
    mut derived: ResMut<Derived>,
    mut ledger: ResMut<Ledger>,
    mut firms: Query<(&Firm, &mut Finances, &mut Tech)>,
    links: Query<&Link>,
    mut rng: ResMut<RunRng>,
    mut by_kind: Local<Vec<Vec<(f64, f64)>>>,
    mut site_gain: Local<Vec<f64>>,
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
    for (k, (prog, &budget)) in s
        .policy
        .rnd_programmes
        .values()
        .zip(&policy.rnd_budgets)
        .enumerate()
    {
        if budget <= 0.0 {
            continue;
        }
        ledger.gov_rnd += budget;
        if prog.next_generation {
            ledger.nextgen_rnd += budget;
        }
        let hubs = || {
            s.rnd_hubs
                .iter()
                .zip(&scen.1.hubs)
                .filter(|(_, r)| r.programme == Some(k))
        };
        let hub_share: f64 = hubs().map(|(h, _)| h.share).sum::<f64>().min(1.0);
        for (h, r) in hubs() {
            if let Some(i) = r.site {
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
    let own = drawn.p.investment.rnd_intensity;
    let cap_share = p.max_grant_share * own;
    by_kind.resize(KINDS, Vec::new());
    by_kind.iter_mut().for_each(Vec::clear);
    firms.iter().for_each(|(f, fin, _)| {
        let w = weight(fin.revenue);
        kind_weight[f.kind as usize] += w;
        if w > 0.0 {
            // (cap per unit of weight, weight)
            by_kind[f.kind as usize].push((cap_share * fin.revenue / w, w));
        }
    });
    // Grant per unit of weight, by kind: the sum over the programmes open to the kind.
    let mut per_weight = [0.0; KINDS];
    // The next-generation programmes' part of it (their target counts what is paid).
    let mut per_weight_ng = [0.0; KINDS];
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
                if next_gen {
                    per_weight_ng[k] += to_firms / total;
                }
            }
        }
    }
    // Grant per unit of weight after water-filling, and what stays with the programmes.
    let mut level = [0.0; KINDS];
    let (mut unspent, mut unspent_ng) = (0.0, 0.0);
    for k in 0..KINDS {
        if per_weight[k] <= 0.0 {
            continue;
        }
        let budget = per_weight[k] * kind_weight[k];
        let (l, placed) = fill_level(&mut by_kind[k], budget);
        level[k] = l;
        let left = (budget - placed).max(0.0);
        unspent += left;
        unspent_ng += left * per_weight_ng[k] / per_weight[k];
    }
    let n = derived.hub_stock.len();
    let mut hub_pull = derived.hub_stock.clone();
    for l in &links {
        let w = l.spill_weight;
        hub_pull[l.a] += w * derived.hub_stock[l.b];
        hub_pull[l.b] += w * derived.hub_stock[l.a];
    }
    debug_assert_eq!(hub_pull.len(), n);
    // What a firm gains from the hubs depends on its site alone.
    site_gain.clear();
    site_gain.extend(hub_pull.iter().map(|&x| p.hub_spillover * x / KRW_B_PER_T));
    let keep = 1.0 - p.depreciation;
    // Technology leaks abroad: a yearly chance per firm, less what protection prevents.
    // No draw at all when leaks are off (runs without leakage keep their streams); with
    // leaks on, every firm draws whatever the protection, so two protection levels
    // compare on common random numbers.
    let draws = p.leak_probability > 0.0;
    let leak = p.leak_probability * (1.0 - policy.tech_protection);
    let mut leaks = 0.0;
    let (mut hub_gain, mut n_firms) = (0.0, 0usize);
    let (mut paid, mut mpe_grants) = (0.0, 0.0);
    // Nothing reads change ticks: writes skip them.
    let rng_run = &mut rng.0;
    for (f, mut fin, mut t) in &mut firms {
        let (fin, t) = (fin.bypass_change_detection(), t.bypass_change_detection());
        // Sales are unchanged since the first pass: the same weight.
        let w = weight(fin.revenue);
        // Grants match the firm's own R&D at most `max_grant_share` to one.
        let grants = (w * level[f.kind as usize]).min(cap_share * fin.revenue.max(0.0));
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
        // (Without grants the quotient is 0: no division.)
        let intensity = if grants > 0.0 {
            own + grants / revenue.max(1e-9)
        } else {
            own
        };
        let from_hubs = site_gain[f.site];
        hub_gain += from_hubs;
        n_firms += 1;
        let mut gain = p.tech_gain * (intensity - p.frontier_intensity) + from_hubs;
        if f.kind.is_manufacturer() && shock_sd > 0.0 {
            // Execution: yields, node timing, product wins.
            let z: f64 = StandardNormal.sample(rng_run);
            gain += shock_sd * z;
        }
        t.level = (t.level + gain).clamp(p.tech_min, p.tech_max);
        if draws && rng_run.random::<f64>() < leak {
            t.level = (t.level * (1.0 - p.leak_loss)).max(p.tech_min);
            leaks += 1.0;
        }
    }
    ledger.tech_leaks += leaks;
    derived.hub_gain = hub_gain / n_firms.max(1) as f64;
    ledger.flows.grants += paid;
    // Money no firm could match stays with the programme.
    ledger.gov_rnd -= unspent;
    ledger.nextgen_rnd -= unspent_ng;
    derived.mpe_grants += mpe_grants;
}

/// A firm's weight in the programmes' grants: the square root of its sales.
fn weight(revenue: f64) -> f64 {
    revenue.max(0.0).sqrt()
}

/// Water-filling: the grant per unit of weight `level` at which firms given
/// `min(level * w, cap * w)` take `budget` in all, for `firms` as (cap per unit of weight,
/// weight); returns the level (infinite when every firm is capped) and what is placed.
///
/// One linear pass settles the common case, where no firm's cap lies below the plain
/// proportional level. Otherwise the level rises to a fixed point: with the firms whose
/// cap lies below the current level capped, the level that places the rest of the
/// budget over the others. It starts at the plain level, below the answer, and every
/// step stays at or below it while capping at least one more firm, so it ends at the
/// answer (to rounding) in at most as many steps as firms; a step costs one pass over
/// the firms, and it rarely takes more than a few. After 32 steps it sorts the firms by
/// cap and walks them ([`fill_level_sorted`]), which always ends.
pub fn fill_level(firms: &mut [(f64, f64)], budget: f64) -> (f64, f64) {
    let total: f64 = firms.iter().map(|x| x.1).sum();
    if total <= 0.0 {
        return (f64::INFINITY, 0.0);
    }
    let plain = budget / total;
    if firms.iter().all(|&(cap, _)| cap >= plain) {
        return (plain, budget);
    }
    let mut level = plain;
    for _ in 0..32 {
        let (mut capped, mut open, mut any_open) = (0.0, total, false);
        for &(cap, w) in firms.iter() {
            if cap < level {
                capped += cap * w;
                open -= w;
            } else {
                any_open |= w > 0.0;
            }
        }
        // (`open` alone can keep a rounding residue when every firm is capped.)
        if !any_open || open <= 0.0 || capped >= budget {
            // Every firm with any weight is capped: what they take is placed.
            return (f64::INFINITY, capped.min(budget));
        }
        let next = (budget - capped) / open;
        if next <= level {
            return (next, budget);
        }
        level = next;
    }
    fill_level_sorted(firms, budget, total)
}

/// [`fill_level`] by sorting every firm by cap and walking them in order: the level at
/// the first firm whose cap it does not exceed, with the firms before it capped.
fn fill_level_sorted(firms: &mut [(f64, f64)], budget: f64, total: f64) -> (f64, f64) {
    firms.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    match walk(firms, budget, total) {
        Ok(found) => found,
        Err((capped, _)) => (f64::INFINITY, capped.min(budget)),
    }
}

/// Walks firms sorted by cap, capping each in turn: `Ok((level, budget))` at the first
/// firm whose cap the level does not exceed, else `Err((capped, open))`: the money the
/// walked firms take at their caps and the weight left uncapped.
fn walk(sorted: &[(f64, f64)], budget: f64, total: f64) -> Result<(f64, f64), (f64, f64)> {
    let mut capped = 0.0; // money taken by firms at their cap
    let mut open = total; // weight of firms below it
    for &(cap, w) in sorted {
        // With every firm from here on uncapped, the level that places the budget:
        if open > 0.0 {
            let level = (budget - capped) / open;
            if level <= cap {
                return Ok((level, budget));
            }
        }
        capped += cap * w;
        open -= w;
    }
    Err((capped, open))
}

#[cfg(test)]
mod tests {
    use super::fill_level;

    #[test]
    fn water_filling_places_the_budget_and_respects_caps() {
        // Caps per unit of weight 1, 2, 10 with weights 1, 1, 2: budget 10.
        let mut f = vec![(10.0, 2.0), (1.0, 1.0), (2.0, 1.0)];
        let (level, placed) = fill_level(&mut f, 10.0);
        // First capped at 1, second at 2: 3 placed; 7 left over weight 2: level 3.5.
        assert!((level - 3.5).abs() < 1e-12, "{level}");
        assert_eq!(placed, 10.0);
        let total: f64 = f.iter().map(|&(c, w)| (level * w).min(c * w)).sum();
        assert!((total - 10.0).abs() < 1e-12);
        // A budget beyond every cap: all capped, the rest unplaced.
        let (level, placed) = fill_level(&mut f, 100.0);
        assert!(level.is_infinite());
        assert_eq!(placed, 1.0 + 2.0 + 20.0);
        // Nobody capped: the plain proportional level.
        let (level, placed) = fill_level(&mut f, 2.0);
        assert_eq!((level, placed), (0.5, 2.0));
        assert!(fill_level(&mut [], 5.0).1 == 0.0);
    }

    /// The fixed point gives the full sort's walk to rounding, whatever the caps and
    /// budget (including ties, zero weights and budgets beyond every cap).
    #[test]
    fn shortcut_equals_the_sorted_walk() {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand::rngs::ChaCha8Rng::seed_from_u64(3);
        for case in 0..3_000 {
            let n = rng.random_range(1..60);
            let firms: Vec<(f64, f64)> = (0..n)
                .map(|_| {
                    let cap = if case % 7 == 0 {
                        f64::from(rng.random_range(1..4u8))
                    } else {
                        rng.random::<f64>().powi(3) * 10.0
                    };
                    let w = if rng.random::<f64>() < 0.05 {
                        0.0
                    } else {
                        rng.random::<f64>() * 5.0
                    };
                    (cap, w)
                })
                .collect();
            let total: f64 = firms.iter().map(|x| x.1).sum();
            let budget = rng.random::<f64>() * 40.0;
            let mut a = firms.clone();
            let mut b = firms.clone();
            let fast = fill_level(&mut a, budget);
            let slow = if total <= 0.0 || firms.iter().all(|&(c, _)| c >= budget / total) {
                fill_level(&mut b, budget)
            } else {
                super::fill_level_sorted(&mut b, budget, total)
            };
            let close = |a: f64, b: f64| a == b || (a - b).abs() <= 1e-12 * a.abs().max(b.abs());
            assert!(close(fast.0, slow.0), "case {case}: {fast:?} {slow:?}");
            assert!(close(fast.1, slow.1), "case {case}: {fast:?} {slow:?}");
        }
    }
}
