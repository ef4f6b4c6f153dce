//! Phase 12, metrics: the year's indicators are written into the run's recorder.

use super::entry_exit::cluster_members;
use crate::model::catalog::{firm_metrics_start, firms_with_metrics, g, s as sm, site_metric};
use crate::model::components::*;
use crate::model::resources::*;
use crate::numbers::{KRW_B_PER_T, krw_b_to_t, people_to_thousands, thousands_to_people};
use crate::scenario::Segment;
use bevy_ecs::prelude::*;

/// Sales at or above which a fabless firm counts toward the 1T target, KRW billions.
pub const ONE_TRILLION_KRW_B: f64 = KRW_B_PER_T;

/// Phase 12.
pub fn metrics(
    cal: Res<Calendar>,
    scen: Res<ScenarioRes>,
    market: Res<MarketState>,
    ledger: Res<Ledger>,
    derived: Res<Derived>,
    mut rec: ResMut<Recorder>,
    firms: Query<(Entity, &Firm, &Finances)>,
    fabs: Query<&Fab>,
    projects: Query<&Project>,
    sites: Query<&Site>,
    drawn: Res<Drawn>,
    mut public: Local<(f64, f64)>,
) {
    let n = rec.n_metrics;
    let row_start = cal.index * n;
    let mut row = vec![0.0; n];
    let n_sites = sites.iter().count();
    let mut cluster_site = vec![false; n_sites];
    for site in &sites {
        cluster_site[site.index] = site.in_cluster;
        let i = site.index;
        row[site_metric(i, sm::POWER_DEMAND)] = site.power_demand_mw;
        row[site_metric(i, sm::POWER_SUPPLY)] = site.power_supply_mw;
        row[site_metric(i, sm::WATER_DEMAND)] = site.water_demand_ktd;
        row[site_metric(i, sm::WATER_SUPPLY)] = site.water_supply_ktd;
        row[site_metric(i, sm::INVESTMENT)] =
            krw_b_to_t(ledger.site_investment.get(i).copied().unwrap_or(0.0));
        row[site_metric(i, sm::ENGINEERS)] = people_to_thousands(site.talent_demand);
        row[site_metric(i, sm::SHORTAGE)] = site.shortage;
        row[g::ENGINEERS_DEMAND] += people_to_thousands(site.talent_demand);
        row[g::ENGINEERS_SUPPLY] += people_to_thousands(site.talent_pool);
        row[g::SHORTAGE] += site.talent_demand * site.shortage;
    }
    row[g::SHORTAGE] /= thousands_to_people(row[g::ENGINEERS_DEMAND]).max(1e-9);
    let mut cap = [0.0; 4];
    for fab in &fabs {
        let Some(i) = fab.site else {
            row[g::CAPACITY_ABROAD + fab.segment.index()] += fab.kwpm * fab.ramp;
            continue;
        };
        let eff = fab.kwpm * fab.ramp;
        cap[fab.segment.index()] += eff;
        row[site_metric(i, sm::CAPACITY)] += eff;
        row[g::FABS] += 1.0;
        if fab.in_cluster {
            row[g::CLUSTER_FABS] += 1.0;
        }
    }
    for seg in Segment::ALL {
        row[g::CAPACITY + seg.index()] = cap[seg.index()];
    }
    let s = &*scen.0;
    // Named chip makers' metric indices, by firm index (usize::MAX: none).
    let mut firm_metric = vec![usize::MAX; s.firms.len()];
    for (k, i) in firms_with_metrics(s).enumerate() {
        firm_metric[i] = firm_metrics_start(s) + k;
    }
    let mut snapshot: Option<Vec<f64>> = rec.snapshot_years.contains(&cal.year).then(Vec::new);
    for (_, f, fin) in &firms {
        row[g::ENTITIES] += 1.0;
        row[site_metric(f.site, sm::FIRMS)] += 1.0;
        if f.kind.is_design() {
            row[g::FABLESS_SALES] += krw_b_to_t(fin.revenue);
            if fin.revenue >= ONE_TRILLION_KRW_B {
                row[g::FABLESS_1T] += 1.0;
            }
            if let Some(v) = snapshot.as_mut() {
                v.push(fin.revenue);
            }
        } else if f.kind.is_manufacturer() {
            row[g::MANUFACTURING_SALES] += krw_b_to_t(fin.revenue);
            if let FirmOrigin::Named(k) = f.origin
                && let Some(&m) = firm_metric.get(k)
                && m != usize::MAX
            {
                row[m] = krw_b_to_t(fin.revenue);
            }
        } else {
            row[g::MPE_SALES] += krw_b_to_t(fin.revenue);
        }
    }
    if let Some(v) = snapshot {
        let k = rec
            .snapshot_years
            .iter()
            .position(|&y| y == cal.year)
            .unwrap_or(0);
        rec.snapshots[k] = v;
    }
    let members = cluster_members(
        firms.iter().map(|(e, f, _)| (e, f.site)),
        fabs.iter()
            .map(|f| (f.firm, f.site))
            .chain(projects.iter().map(|p| (p.firm, p.site))),
        |e| firms.get(e).ok().map(|(_, f, _)| f.site),
        &cluster_site,
        &[],
    );
    row[g::CLUSTER_ENTITIES] = members.count as f64;
    // World fabless sales are Korea's plus the rest of the world's: a true share.
    let world_fabless_krw_t =
        row[g::FABLESS_SALES] + krw_b_to_t(market.rest_fabless_usd_b * market.usd_krw);
    row[g::FABLESS_SHARE] = share_pct(row[g::FABLESS_SALES], world_fabless_krw_t);
    row[g::PRICE_MEMORY] = market.seg[Segment::Memory.index()].price;
    row[g::PRICE_ADVANCED] = market.seg[Segment::AdvancedLogic.index()].price;
    let mem = &market.seg[Segment::Memory.index()];
    let world_mem = mem.domestic_output + mem.abroad_output + mem.rest_output;
    row[g::MEMORY_SHARE] = share_pct(mem.domestic_output + mem.abroad_output, world_mem);
    row[g::MEMORY_HOME_SHARE] = share_pct(mem.domestic_output, world_mem);
    let seg = |x: Segment| &market.seg[x.index()];
    let logic = [Segment::AdvancedLogic, Segment::MatureLogic];
    row[g::WORLD_MEMORY_SALES] = mem.world_sales_usd_b;
    row[g::WORLD_LOGIC_SALES] = logic.iter().map(|&x| seg(x).world_sales_usd_b).sum();
    row[g::WORLD_CHIP_SALES] =
        row[g::WORLD_MEMORY_SALES] + row[g::WORLD_LOGIC_SALES] + market.other_chips_usd_b;
    row[g::WORLD_FOUNDRY_SALES] = logic.iter().map(|&x| seg(x).foundry_sales_usd_b).sum();
    let korean_foundry: f64 = logic
        .iter()
        .map(|&x| seg(x).korean_foundry_sales_usd_b)
        .sum();
    row[g::FOUNDRY_SHARE] = share_pct(korean_foundry, row[g::WORLD_FOUNDRY_SALES]);
    row[g::EXPORTS] = derived.home_chip_sales_usd_b * s.market.exports_per_home_sales;
    row[g::ENGINEERS_NEW] = people_to_thousands(ledger.new_engineer_demand);
    row[g::LEGACY_SUBSIDY] = krw_b_to_t(ledger.legacy_subsidy);
    row[g::LAND_SUBSIDY] = krw_b_to_t(ledger.land_subsidy);
    row[g::MATURE_BOOKED] = derived.mature_booked_kwpm;
    row[g::CONVERSIONS] = ledger.conversions_kwpm;
    row[g::LOCALISATION] = derived.localisation;
    row[g::CLUSTER_INVESTMENT] = krw_b_to_t(ledger.cluster_investment);
    row[g::CLUSTER_PLEDGED] = krw_b_to_t(ledger.cluster_pledged);
    row[g::INVESTMENT] = krw_b_to_t(ledger.investment);
    row[g::INVESTMENT_ABROAD] = krw_b_to_t(ledger.investment_abroad);
    row[g::PACKAGING_INVESTMENT] = krw_b_to_t(ledger.packaging_investment);
    row[g::GOV_RND] = krw_b_to_t(ledger.gov_rnd);
    row[g::NEXTGEN_RND] = krw_b_to_t(ledger.nextgen_rnd);
    row[g::GOV_INFRA] = krw_b_to_t(ledger.gov_infra);
    row[g::TAX_CREDITS] = krw_b_to_t(ledger.tax_credits);
    row[g::SUPPORT] = krw_b_to_t(ledger.fabless_support);
    row[g::INFRA_DELAY] = ledger.infra_delay_years;
    row[g::PERMIT_DELAY] = ledger.permit_delay_years;
    row[g::EQUIPMENT_DELAY] = ledger.equipment_delay_years;
    row[g::CARBON_COST] = krw_b_to_t(ledger.carbon_cost);
    row[g::TECH_LEAKS] = ledger.tech_leaks;
    row[g::RELOCATIONS] = ledger.relocations;
    row[g::STATE_COINVEST] = krw_b_to_t(ledger.state_coinvest);
    row[g::STATE_RETURNS] = krw_b_to_t(ledger.state_returns);
    // Public cost: every outlay the model books, less what the state's equity returns;
    // its yearly part discounted to the start year. (prior cumulative, present value)
    // live in the system and restart with each run.
    let cost = ledger.tax_credits
        + ledger.gov_rnd
        + ledger.gov_infra
        + ledger.fabless_support
        + ledger.legacy_subsidy
        + ledger.land_subsidy
        + ledger.state_coinvest
        - ledger.state_returns;
    if cal.index == 0 {
        *public = (0.0, 0.0);
    }
    let year_cost = cost - public.0;
    public.1 += year_cost / (1.0 + drawn.p.public.discount_rate).powi(cal.index as i32);
    public.0 = cost;
    row[g::PUBLIC_COST] = krw_b_to_t(cost);
    row[g::PUBLIC_COST_YEAR] = krw_b_to_t(year_cost);
    row[g::PUBLIC_COST_PV] = krw_b_to_t(public.1);
    row[g::HUB_STOCK] = krw_b_to_t(derived.hub_stock.iter().sum::<f64>());
    row[g::HUB_GAIN] = derived.hub_gain * KRW_B_PER_T;
    row[g::PROJECTS] = projects.iter().count() as f64;
    rec.values[row_start..row_start + n].copy_from_slice(&row);
}

/// `part` as a percentage of `whole`, where `part` is a part of `whole` (both sums of
/// non-negative terms): 0 when the whole is empty; the clamp only absorbs rounding.
fn share_pct(part: f64, whole: f64) -> f64 {
    if whole > 0.0 && part > 0.0 {
        (100.0 * part / whole).clamp(0.0, 100.0)
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::share_pct;

    #[test]
    fn shares_are_percentages_of_a_whole_that_holds_the_part() {
        assert_eq!(share_pct(1.0, 4.0), 25.0);
        assert_eq!(share_pct(0.0, 0.0), 0.0);
        assert_eq!(share_pct(5.0, 5.0), 100.0);
        // Rounding in the sums never gives more than 100 %.
        assert_eq!(share_pct(0.1 + 0.2, 0.3), 100.0);
    }
}
