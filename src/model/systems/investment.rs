//! Phase 4, investment: pledges due this year go ahead, slip or shrink with the market
//! and the firm's finances; beyond them, manufacturers compare expected demand over the
//! build time with capacity plus pipeline and start modules where the NPV, with the tax
//! credit lowering effective capex, is positive, at the site with headroom in land,
//! power, water and talent. The mother-factory share sends mass production abroad.

use super::debt_room;
use crate::model::components::*;
use crate::model::resources::*;
use crate::model::setup::NamedFirms;
use crate::scenario::schema::EventKind;
use crate::scenario::{FirmKind, FirmSize, Scenario, Segment};
use bevy_ecs::entity::EntityHashMap;
use bevy_ecs::prelude::*;
use rand::RngExt;

/// Headroom of a site for new projects.
#[derive(Debug, Clone, Copy, Default)]
pub struct Headroom {
    /// Free land, ha.
    pub land_ha: f64,
    /// Power in service and scheduled within three years, minus committed demand, MW.
    pub power_mw: f64,
    /// Water likewise, kt/day.
    pub water_ktd: f64,
    /// Talent shortage last year.
    pub shortage: f64,
}

/// Present value of a module's operating profit minus its after-credit capex, KRW billions.
pub fn module_npv(
    kwpm: f64,
    price_usd: f64,
    usd_krw: f64,
    price_index: f64,
    margin0: f64,
    utilisation: f64,
    capex_per_kwpm: f64,
    credit: f64,
    build_years: f64,
    life_years: f64,
    rate: f64,
) -> f64 {
    let revenue = kwpm * 12_000.0 * price_usd * usd_krw / 1e9 * price_index * utilisation;
    let margin = 1.0 - (1.0 - margin0) / price_index.max(1e-6);
    let profit = revenue * margin;
    let b = build_years.round().max(0.0) as i32;
    let pv: f64 = (0..life_years.round().max(1.0) as i32)
        .map(|k| profit / (1.0 + rate).powi(b + k))
        .sum();
    pv - kwpm * capex_per_kwpm * (1.0 - credit)
}

/// Tax credit rate for a firm's new project at a site.
pub fn credit_rate(size: FirmSize, policy: &PolicyNow, site_extra: f64) -> f64 {
    let base = match size {
        FirmSize::Large => policy.credit_large,
        FirmSize::Sme => policy.credit_sme,
    };
    (base + policy.credit_incremental + site_extra).clamp(0.0, 1.0)
}

/// Mass-production segments that the mother-factory strategy may send abroad.
fn may_go_abroad(seg: Segment) -> bool {
    matches!(seg, Segment::Memory | Segment::MatureLogic)
}

/// Picks a site for `kwpm` of `seg`: the first of `candidates` with land, power and water
/// headroom; else the candidate with the most land; `None` when no candidate has land.
pub fn choose_site(
    candidates: &[usize],
    head: &[Headroom],
    land: f64,
    power: f64,
    water: f64,
) -> Option<usize> {
    let fits = |i: usize| {
        head[i].land_ha >= land && head[i].power_mw >= power && head[i].water_ktd >= water
    };
    candidates.iter().copied().find(|&i| fits(i)).or_else(|| {
        candidates
            .iter()
            .copied()
            .filter(|&i| head[i].land_ha >= land)
            .max_by(|&a, &b| head[a].land_ha.total_cmp(&head[b].land_ha))
    })
}

struct Ctx<'a> {
    s: &'a Scenario,
    drawn: &'a Drawn,
    policy: &'a PolicyNow,
    year: i32,
}

impl Ctx<'_> {
    fn start(
        &self,
        commands: &mut Commands,
        rng: &mut RunRng,
        ledger: &mut Ledger,
        firm: Entity,
        size: FirmSize,
        seg: Segment,
        site: Option<usize>,
        kwpm: f64,
        capex: f64,
        pledge: Option<usize>,
    ) {
        let build = self.drawn.segments[seg.index()].build_years;
        let mut permit = self
            .s
            .model
            .construction
            .permit_delay_years
            .draw(&mut rng.0)
            .max(0.0);
        if site.is_none() {
            permit = 0.0;
        } else if self.policy.permit_timeout > 0.0 {
            permit = permit.min(self.policy.permit_timeout);
        }
        ledger.permit_delay_years += permit;
        let extra = site.map_or(0.0, |i| self.s.sites[i].extra_tax_credit);
        commands.spawn(Project {
            firm,
            site,
            segment: seg,
            kwpm,
            capex,
            paid: 0.0,
            start_year: self.year,
            ready_year: self.year + (build + permit).round().max(1.0) as i32,
            waited: 0,
            credit_rate: if site.is_some() {
                credit_rate(size, self.policy, extra)
            } else {
                0.0
            },
            pledge,
        });
    }
}

/// Phase 4.
pub fn investment(
    cal: Res<Calendar>,
    scen: Res<ScenarioRes>,
    drawn: Res<Drawn>,
    market: Res<MarketState>,
    policy: Res<PolicyNow>,
    named: Res<NamedFirms>,
    mut pledges: ResMut<Pledges>,
    mut ledger: ResMut<Ledger>,
    mut rng: ResMut<RunRng>,
    mut commands: Commands,
    firms: Query<(Entity, &Firm, &Finances, &Tech)>,
    // Manufacturers have neither Design nor Supplier: this visits only their table.
    makers: Query<(Entity, &Firm, &Finances, &Tech), Manufacturers>,
    fabs: Query<&Fab>,
    projects: Query<&Project>,
    mut sites: Query<&mut Site>,
) {
    let s = &*scen.0;
    let year = cal.year;
    let ctx = Ctx {
        s,
        drawn: &drawn,
        policy: &policy,
        year,
    };
    let inv = drawn.p.investment;
    let n_sites = s.sites.len();
    let mut head = vec![Headroom::default(); n_sites];
    for site in &sites {
        let h = &mut head[site.index];
        h.land_ha = site.land_free_ha;
        h.power_mw = site.power_supply_mw;
        h.water_ktd = site.water_supply_ktd;
        h.shortage = site.shortage;
        for add in &drawn.power_additions[site.index] {
            if !add.added && add.planned <= year + 3 {
                h.power_mw += add.amount
            }
        }
        for add in &drawn.water_additions[site.index] {
            if !add.added && add.planned <= year + 3 {
                h.water_ktd += add.amount
            }
        }
    }
    let need = |seg: Segment, kwpm: f64| {
        let sp = &s.market.segments[&seg];
        (kwpm * sp.power_mw_per_kwpm, kwpm * sp.water_ktd_per_kwpm)
    };
    // Capacity and pipeline per firm and segment (abroad included: it is the firm's plan).
    let mut owned: EntityHashMap<[f64; 4]> = EntityHashMap::default();
    for fab in &fabs {
        owned.entry(fab.firm).or_default()[fab.segment.index()] += fab.kwpm;
        if let Some(i) = fab.site {
            let (pw, wt) = need(fab.segment, fab.kwpm);
            head[i].power_mw -= pw;
            head[i].water_ktd -= wt;
        }
    }
    for pr in &projects {
        owned.entry(pr.firm).or_default()[pr.segment.index()] += pr.kwpm;
        if let Some(i) = pr.site {
            let (pw, wt) = need(pr.segment, pr.kwpm);
            head[i].power_mw -= pw;
            head[i].water_ktd -= wt;
        }
    }
    // Pledges still to come count as pipeline so firms do not double-build.
    for (i, pl) in s.pledges.iter().enumerate() {
        // Only pledges due within a build time count: later ones do not hold back expansion now.
        let horizon = year + drawn.segments[pl.segment.index()].build_years.ceil() as i32 + 1;
        if !pledges.state[i].decided
            && pledges.state[i].due <= horizon
            && let Some(&e) = s.firm_index(&pl.firm).and_then(|f| named.0.get(f))
        {
            owned.entry(e).or_default()[pl.segment.index()] += pl.kwpm;
        }
        if year >= pl.start_year
            && year <= pl.finish_year
            && s.sites
                .get(s.site_index(&pl.site).unwrap_or(usize::MAX))
                .is_some_and(|x| x.in_cluster)
        {
            ledger.cluster_pledged +=
                pl.capex_krw_b / f64::from(pl.finish_year - pl.start_year + 1);
        }
    }
    // Headroom left after this year's own decisions.
    let mut committed: EntityHashMap<f64> = EntityHashMap::default();

    // Pledges due this year.
    for (i, pl) in s.pledges.iter().enumerate() {
        let Some(&firm_e) = s.firm_index(&pl.firm).and_then(|f| named.0.get(f)) else {
            continue;
        };
        for e in s.events.iter().filter(|e| e.year == year) {
            if let EventKind::PledgeDelay { firm, years } = &e.kind
                && firm == &pl.firm
                && !pledges.state[i].decided
            {
                pledges.state[i].due += *years as i32;
            }
        }
        let st = &mut pledges.state[i];
        if st.decided || st.due > year {
            continue;
        }
        let Ok((_, firm, fin, _)) = firms.get(firm_e) else {
            st.decided = true;
            continue;
        };
        let price = market.seg[pl.segment.index()].price;
        let mut share = 1.0;
        // A pledge planned to start before the first simulated year is already under way.
        let under_way = pl.start_year < s.start_year;
        if price < inv.pledge_min_price && !under_way {
            if (st.slips as f64) < inv.pledge_max_slips {
                st.slips += 1;
                st.due += 1;
                continue;
            }
            share = inv.pledge_shrink;
        }
        let site = s.site_index(&pl.site);
        let credit = credit_rate(
            firm.size,
            &policy,
            site.map_or(0.0, |x| s.sites[x].extra_tax_credit),
        );
        let spent = committed.get(&firm_e).copied().unwrap_or(0.0);
        let can = fin.cash + debt_room(fin, inv.leverage_limit) - spent;
        let upfront = |sh: f64| pl.capex_krw_b * sh * (1.0 - credit) * inv.upfront_share;
        if upfront(share) > can {
            if upfront(share * inv.pledge_shrink) <= can {
                share *= inv.pledge_shrink;
            } else if (st.slips as f64) < inv.pledge_max_slips {
                st.slips += 1;
                st.due += 1;
                continue;
            } else {
                st.decided = true;
                continue;
            }
        }
        st.decided = true;
        st.realised_capex = pl.capex_krw_b * share;
        *committed.entry(firm_e).or_default() += upfront(share);
        if let Some(x) = site {
            let (pw, wt) = need(pl.segment, pl.kwpm * share);
            head[x].land_ha -= pl.kwpm * share * inv.land_ha_per_kwpm;
            head[x].power_mw -= pw;
            head[x].water_ktd -= wt;
        }
        ctx.start(
            &mut commands,
            &mut rng,
            &mut ledger,
            firm_e,
            firm.size,
            pl.segment,
            site,
            pl.kwpm * share,
            pl.capex_krw_b * share,
            Some(i),
        );
    }

    // Organic expansion by manufacturers.
    for (e, firm, fin, tech) in &makers {
        if !matches!(
            firm.kind,
            FirmKind::Foundry | FirmKind::MemoryMaker | FirmKind::Packaging
        ) {
            continue;
        }
        let Some(&cap) = owned.get(&e) else { continue };
        let candidates: Vec<usize> = match firm.origin {
            FirmOrigin::Named(i) if !s.firms[i].expansion_sites.is_empty() => s.firms[i]
                .expansion_sites
                .iter()
                .filter_map(|n| s.site_index(n))
                .collect(),
            _ => vec![firm.site],
        };
        for seg in Segment::ALL {
            let i = seg.index();
            if cap[i] <= 0.0 {
                continue;
            }
            let sp = &s.market.segments[&seg];
            let st = &market.seg[i];
            let b = drawn.segments[i].build_years;
            let share = (cap[i] / st.supply).min(1.0)
                * tech
                    .level
                    .powf(drawn.p.market.competitiveness_exponent)
                    .min(1.2);
            let horizon_demand = st.trend * (1.0 + drawn.segments[i].trend_growth).powf(b);
            let gap = share * horizon_demand / drawn.p.market.target_utilisation - cap[i];
            let modules = ((gap / sp.module_kwpm).round())
                .min(inv.max_modules_per_year)
                .max(0.0) as usize;
            if modules == 0 {
                continue;
            }
            let expected = drawn.p.market.expected_price_weight * st.price
                + (1.0 - drawn.p.market.expected_price_weight);
            let credit = credit_rate(firm.size, &policy, s.sites[candidates[0]].extra_tax_credit);
            let npv = module_npv(
                sp.module_kwpm,
                sp.price_usd_per_wafer,
                s.market.usd_krw,
                expected,
                sp.operating_margin,
                drawn.p.market.target_utilisation,
                st.capex_per_kwpm,
                credit,
                b,
                inv.fab_life_years,
                inv.discount_rate,
            );
            if npv <= 0.0 {
                continue;
            }
            for _ in 0..modules {
                let capex = sp.module_kwpm * st.capex_per_kwpm;
                let spent = committed.get(&e).copied().unwrap_or(0.0);
                let upfront = capex * (1.0 - credit) * inv.upfront_share;
                if upfront > fin.cash + debt_room(fin, inv.leverage_limit) - spent {
                    break;
                }
                *committed.entry(e).or_default() += upfront;
                let abroad = may_go_abroad(seg) && rng.0.random::<f64>() < policy.overseas_share;
                let (pw, wt) = need(seg, sp.module_kwpm);
                let land = sp.module_kwpm * inv.land_ha_per_kwpm;
                let site = if abroad {
                    None
                } else {
                    choose_site(&candidates, &head, land, pw, wt)
                };
                if let Some(x) = site {
                    head[x].land_ha -= land;
                    head[x].power_mw -= pw;
                    head[x].water_ktd -= wt;
                }
                ctx.start(
                    &mut commands,
                    &mut rng,
                    &mut ledger,
                    e,
                    firm.size,
                    seg,
                    site,
                    sp.module_kwpm,
                    capex,
                    None,
                );
            }
        }
    }
    for mut site in &mut sites {
        site.land_free_ha = head[site.index].land_ha.max(0.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_higher_credit_raises_npv() {
        let args = |credit| {
            module_npv(
                50.0, 4500.0, 1305.0, 0.9, 0.35, 0.9, 250.0, credit, 2.0, 10.0, 0.1,
            )
        };
        assert!(args(0.25) > args(0.15));
        assert!((args(0.25) - args(0.15) - 50.0 * 250.0 * 0.10).abs() < 1e-6);
    }

    #[test]
    fn sites_are_chosen_by_headroom_then_land() {
        let head = [
            Headroom {
                land_ha: 100.0,
                power_mw: 0.0,
                water_ktd: 0.0,
                shortage: 0.0,
            },
            Headroom {
                land_ha: 50.0,
                power_mw: 500.0,
                water_ktd: 50.0,
                shortage: 0.0,
            },
        ];
        assert_eq!(choose_site(&[0, 1], &head, 10.0, 100.0, 10.0), Some(1));
        assert_eq!(choose_site(&[0, 1], &head, 60.0, 100.0, 10.0), Some(0));
        assert_eq!(choose_site(&[0, 1], &head, 200.0, 0.0, 0.0), None);
    }
}
