//! Phase 4, investment: pledges due this year go ahead, slip or shrink with the market
//! and the firm's finances; beyond them, manufacturers compare expected demand over the
//! build time with capacity plus pipeline and start modules where the NPV, with the tax
//! credit lowering effective capex, is positive, at the site with headroom in land,
//! power, water and talent. The mother-factory share sends mass production abroad.

mod economics;
mod start;

pub use economics::{
    Discounts, Headroom, ModuleCase, choose_site, credit_rate, land_rate, module_npv,
    module_npv_with, modules_for_gap, state_rate, subsidy_rate,
};
use start::{Ctx, Start};

use super::debt_room;
use crate::model::components::*;
use crate::model::resources::*;
use crate::model::setup::NamedFirms;
use crate::scenario::schema::EventKind;
use crate::scenario::{FirmKind, Segment};
use bevy_ecs::entity::EntityHashMap;
use bevy_ecs::prelude::*;
use rand::RngExt;

/// Phase 4.
pub fn investment(
    cal: Res<Calendar>,
    scen: Res<ScenarioRes>,
    drawn: Res<Drawn>,
    market: Res<MarketState>,
    policy: Res<PolicyNow>,
    (named, mut derived): (Res<NamedFirms>, ResMut<Derived>),
    mut pledges: ResMut<Pledges>,
    mut ledger: ResMut<Ledger>,
    mut rng: ResMut<RunRng>,
    mut commands: Commands,
    firms: Query<(Entity, &Firm, &Finances, &Tech)>,
    // Manufacturers have neither Design nor Supplier: this visits only their table.
    makers: Query<(Entity, &Firm, &Finances, &Tech), Manufacturers>,
    mut fabs: Query<&mut Fab>,
    projects: Query<&Project>,
    mut sites: Query<&mut Site>,
    mut discounts: Local<Discounts>,
) {
    let s = &*scen.0;
    let r = &*scen.1;
    let year = cal.year;
    let ctx = Ctx {
        s,
        drawn: &drawn,
        policy: &policy,
        year,
    };
    let inv = drawn.p.investment;
    // Discount factors for module NPVs: build years and life as module_npv rounds them
    // (the table is capped; longer horizons fall back to powi, with the same numbers).
    let life = inv.fab_life_years.round().max(1.0) as usize;
    let longest_build = drawn
        .segments
        .iter()
        .map(|d| d.build_years.round().max(0.0) as usize)
        .max()
        .unwrap_or(0);
    discounts.prepare(
        inv.discount_rate,
        longest_build.saturating_add(life).min(256),
    );
    let n_sites = s.sites.len();
    let mut head = vec![Headroom::default(); n_sites];
    for site in &sites {
        let h = &mut head[site.index];
        h.land_ha = site.land_free_ha;
        h.power_mw = site.power_supply_mw;
        h.water_ktd = site.water_supply_ktd;
        h.shortage = site.shortage;
        let horizon = year + drawn.p.investment.headroom_horizon_years.round() as i32;
        for add in &drawn.power_additions[site.index] {
            if !add.added && add.planned <= horizon {
                h.power_mw += add.amount
            }
        }
        for add in &drawn.water_additions[site.index] {
            if !add.added && add.planned <= horizon {
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
    for fab in fabs.iter() {
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
    // Land, power and water held this year for each pledge: (site, land, power, water).
    // Holds bind only this year's decisions; they are released when the pledge is
    // decided and are not written back into the site's free land.
    let mut held: Vec<Option<(usize, f64, f64, f64)>> = vec![None; s.pledges.len()];
    // Pledges still to come count as pipeline so firms do not double-build.
    for (i, pl) in s.pledges.iter().enumerate() {
        // Only pledges due within a build time count: later ones do not hold back expansion now.
        let horizon = year + drawn.segments[pl.segment.index()].build_years.ceil() as i32 + 1;
        if !pledges.state[i].decided
            && pledges.state[i].due <= horizon
            && let Some(&e) = r.pledges[i].firm.and_then(|f| named.0.get(f))
        {
            owned.entry(e).or_default()[pl.segment.index()] += pl.kwpm;
        }
        // The land, power and water of a fab planned within the headroom horizon are held
        // for it: other modules may not take the headroom it will need when it is built.
        if !pledges.state[i].decided
            && pledges.state[i].due <= year + inv.headroom_horizon_years.round() as i32
            && let Some(x) = r.pledges[i].site
        {
            let home = if pl.mother_fab || pl.start_year < s.start_year {
                pl.kwpm
            } else {
                pl.kwpm * (1.0 - policy.overseas_share[pl.segment.index()])
            };
            let (pw, wt) = need(pl.segment, home);
            let land = home * inv.land_ha_per_kwpm;
            head[x].land_ha -= land;
            head[x].power_mw -= pw;
            head[x].water_ktd -= wt;
            held[i] = Some((x, land, pw, wt));
        }
        if year >= pl.start_year
            && year <= pl.finish_year
            && r.pledges[i].site.is_some_and(|x| s.sites[x].in_cluster)
        {
            ledger.cluster_pledged +=
                pl.capex_krw_b / f64::from(pl.finish_year - pl.start_year + 1);
        }
    }
    // Headroom left after this year's own decisions.
    let mut committed: EntityHashMap<f64> = EntityHashMap::default();

    // Pledges due this year.
    for (i, pl) in s.pledges.iter().enumerate() {
        let Some(&firm_e) = r.pledges[i].firm.and_then(|f| named.0.get(f)) else {
            continue;
        };
        for (e, refs) in s
            .events
            .iter()
            .zip(&r.events)
            .filter(|(e, _)| e.year == year)
        {
            if let EventKind::PledgeDelay { years, .. } = &e.kind
                && refs.firm == r.pledges[i].firm
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
        // Its capex is spent evenly over its planned years (as `cluster_pledged` books
        // it): the years before the first simulated year are paid already (at most all).
        let spent_before = if under_way {
            (f64::from(s.start_year - pl.start_year)
                / f64::from((pl.finish_year - pl.start_year + 1).max(1)))
            .min(1.0)
        } else {
            0.0
        };
        if price < inv.pledge_min_price && !under_way {
            if (st.slips as f64) < inv.pledge_max_slips {
                st.slips += 1;
                st.due += 1;
                continue;
            }
            share = inv.pledge_shrink;
        }
        let site = r.pledges[i].site;
        let credit = credit_rate(
            firm.size,
            &policy,
            site.map_or(0.0, |x| s.sites[x].extra_tax_credit),
        );
        let spent = committed.get(&firm_e).copied().unwrap_or(0.0);
        let can = fin.cash + debt_room(fin, inv.leverage_limit) - spent;
        let upfront = |sh: f64| {
            pl.capex_krw_b * (1.0 - spent_before) * sh * (1.0 - credit) * inv.upfront_share
        };
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
        // The pledge takes what was held for it: release the hold, then book its use.
        if let Some((x, land, pw, wt)) = held[i].take() {
            head[x].land_ha += land;
            head[x].power_mw += pw;
            head[x].water_ktd += wt;
        }
        st.realised_capex = pl.capex_krw_b * share;
        *committed.entry(firm_e).or_default() += upfront(share);
        // Mother factory: a pledge not yet under way builds the overseas share of its
        // capacity abroad, unless it is the mother fab that stays home.
        let abroad_share = if under_way || pl.mother_fab || site.is_none() {
            0.0
        } else {
            policy.overseas_share[pl.segment.index()]
        };
        let home = share * (1.0 - abroad_share);
        if let Some(x) = site {
            let (pw, wt) = need(pl.segment, pl.kwpm * home);
            head[x].land_ha -= pl.kwpm * home * inv.land_ha_per_kwpm;
            head[x].power_mw -= pw;
            head[x].water_ktd -= wt;
        }
        for (at, part) in [(site, home), (None, share * abroad_share)] {
            if part <= 0.0 {
                continue;
            }
            ctx.start(
                &mut commands,
                &mut rng,
                &mut ledger,
                firm_e,
                firm.size,
                pl.segment,
                at,
                pl.kwpm * part,
                pl.capex_krw_b * part,
                Some(i),
                if under_way && at.is_some() {
                    Start::UnderWay {
                        finish: pl.finish_year,
                        spent: spent_before,
                    }
                } else {
                    Start::New
                },
            );
        }
    }

    // Korean mature-node demand that domestic buyers would book at home foundries.
    let sourced = market.domestic_mature_kwpm * policy.mature_sourcing;
    let mut home_foundry_mature = 0.0;
    for fab in fabs.iter() {
        if fab.site.is_some()
            && fab.segment == Segment::MatureLogic
            && makers
                .get(fab.firm)
                .is_ok_and(|(_, f, _, _)| f.kind == FirmKind::Foundry)
        {
            home_foundry_mature += fab.kwpm;
        }
    }
    let cap_share = drawn.p.market.competitiveness_cap;
    // The cluster's entity cap: a firm not yet in the cluster (headquartered elsewhere,
    // with no fab or project there and no pledged place held) may start a project there
    // only while the cap leaves room; then it takes a place.
    let mut cluster = ClusterPlaces::new(s, &derived);
    let cluster_site: Vec<bool> = s.sites.iter().map(|x| x.in_cluster).collect();
    // Organic expansion by manufacturers.
    for (e, firm, fin, tech) in &makers {
        if !matches!(
            firm.kind,
            FirmKind::Foundry | FirmKind::MemoryMaker | FirmKind::Packaging
        ) {
            continue;
        }
        let Some(&cap) = owned.get(&e) else { continue };
        let home = [firm.site];
        let listed: &[usize] = match firm.origin {
            FirmOrigin::Named(i) if !s.firms[i].expansion_sites.is_empty() => {
                &r.firms[i].expansion_sites
            }
            _ => &home,
        };
        let outside: Vec<usize>;
        let mut candidates = listed;
        let hq_in = cluster_site[firm.site];
        let wants_cluster = listed.iter().any(|&i| cluster_site[i]);
        let look_up = || has_place(e, &cluster_site, r, &named, &fabs, &projects);
        if wants_cluster && !cluster.admits(e, hq_in, look_up) {
            outside = listed
                .iter()
                .copied()
                .filter(|&i| !cluster_site[i])
                .collect();
            if outside.is_empty() {
                continue;
            }
            candidates = &outside;
        }
        let mut gaps = [0.0; 4];
        for seg in Segment::ALL {
            let i = seg.index();
            if cap[i] <= 0.0 {
                continue;
            }
            let st = &market.seg[i];
            let b = drawn.segments[i].build_years;
            // The firm expects to run at the world's utilisation at the horizon times its
            // competitiveness, never above full: leaders grow with demand, not without end.
            let edge = tech
                .level
                .powf(drawn.p.market.competitiveness_exponent)
                .min(cap_share);
            let horizon_demand = st.trend * (1.0 + drawn.segments[i].trend_growth).powf(b);
            let own_u = (horizon_demand / st.supply.max(1e-9) * edge).min(1.0);
            let mut expected = cap[i] * own_u;
            if seg == Segment::MatureLogic && firm.kind == FirmKind::Foundry {
                // Its part of the mature-node demand booked at home, growing like it.
                expected += sourced * cap[i] / home_foundry_mature.max(cap[i]).max(1e-9)
                    * (1.0 + drawn.domestic_mature_growth).powf(b);
            }
            gaps[i] = expected / drawn.p.market.target_utilisation - cap[i];
        }
        let expected_price = |i: usize| {
            drawn.p.market.expected_price_weight * market.seg[i].price
                + (1.0 - drawn.p.market.expected_price_weight)
        };
        // What the state holding company can still commit this year: a firm counts on its
        // equity only while that covers the module.
        let state_left = (policy.state_budget - ledger.state_committed_now).max(0.0);
        let equity_for = |seg: Segment, capex: f64| {
            let rate = state_rate(seg, Some(candidates[0]), s, &policy);
            if rate * capex <= state_left {
                rate
            } else {
                0.0
            }
        };
        // A module at home (carbon border costs) or abroad (neither those nor credits).
        let case_at = |seg: Segment, capex_per_kwpm: f64, credit: f64, home: bool| {
            let i = seg.index();
            let sp = &s.market.segments[&seg];
            // At home the state holding company may pay part of the capex and take part
            // of the profit.
            let equity = if home {
                equity_for(seg, sp.module_kwpm * capex_per_kwpm)
            } else {
                0.0
            };
            ModuleCase {
                kwpm: sp.module_kwpm,
                price_usd: sp.price_usd_per_wafer,
                usd_krw: s.market.usd_krw,
                price_index: expected_price(i),
                margin0: sp.operating_margin,
                depreciation_share: sp.depreciation_share,
                utilisation: drawn.p.market.target_utilisation,
                upgrade_per_kwpm: sp.upgrade_capex_krw_b_per_kwpm,
                capex_per_kwpm,
                credit: credit + equity,
                build_years: drawn.segments[i].build_years,
                life_years: inv.fab_life_years,
                rate: inv.discount_rate,
                carbon_usd_per_wafer: if home {
                    policy.carbon_usd_per_wafer
                } else {
                    0.0
                },
                profit_take: equity * policy.state_profit_share,
            }
        };
        let case = |seg: Segment, capex_per_kwpm: f64, credit: f64| {
            case_at(seg, capex_per_kwpm, credit, true)
        };
        let home_credit = credit_rate(firm.size, &policy, s.sites[candidates[0]].extra_tax_credit);
        // The first candidate site's land discount, as a share of a module's capex.
        let land =
            |capex_per_kwpm: f64| land_rate(&s.sites[candidates[0]], &drawn.p, 1.0, capex_per_kwpm);
        // Conversion: a Foundry firm with idle memory capacity (Samsung, whose memory fabs
        // sit beside its foundry) and room in mature logic converts a memory line at home,
        // when that pays. A MemoryMaker (SK hynix) has no foundry business to convert for.
        let mature = Segment::MatureLogic;
        let module_m = s.market.segments[&mature].module_kwpm;
        let memory_idle = -gaps[Segment::Memory.index()];
        let mature_room = gaps[mature.index()];
        if firm.kind == FirmKind::Foundry && memory_idle > module_m && mature_room > 0.0 {
            let capex =
                module_m * market.seg[mature.index()].capex_per_kwpm * inv.conversion_capex_share;
            let credit = home_credit + policy.legacy_subsidy;
            // The idle memory line earns nothing: the conversion pays when a mature
            // module at the conversion capex does.
            let npv = module_npv_with(
                &case(
                    mature,
                    market.seg[mature.index()].capex_per_kwpm * inv.conversion_capex_share,
                    credit,
                ),
                &discounts,
            );
            let spent = committed.get(&e).copied().unwrap_or(0.0);
            let upfront = capex * (1.0 - credit.min(1.0)) * inv.upfront_share;
            if npv > 0.0 && upfront <= fin.cash + debt_room(fin, inv.leverage_limit) - spent {
                // The firm's largest home memory fab gives up the line.
                let mut best: Option<Mut<Fab>> = None;
                for fab in fabs.iter_mut() {
                    if fab.firm == e
                        && fab.segment == Segment::Memory
                        && fab.site.is_some()
                        && fab.kwpm >= module_m
                        && best.as_ref().is_none_or(|b| fab.kwpm > b.kwpm)
                    {
                        best = Some(fab);
                    }
                }
                if let Some(mut fab) = best {
                    fab.kwpm -= module_m;
                    let site = fab.site;
                    *committed.entry(e).or_default() += upfront;
                    ledger.conversions_kwpm += module_m;
                    ctx.start(
                        &mut commands,
                        &mut rng,
                        &mut ledger,
                        e,
                        firm.size,
                        mature,
                        site,
                        module_m,
                        capex,
                        None,
                        Start::Conversion,
                    );
                    gaps[mature.index()] -= module_m;
                }
            }
        }
        // The firm funds its most profitable segment first (net present value per won of
        // capex): land, power, talent headroom and finance are shared between segments,
        // so the order decides which one a tight site or budget holds back.
        let mut order: Vec<(f64, Segment)> = Segment::ALL
            .into_iter()
            .filter(|seg| cap[seg.index()] > 0.0)
            .map(|seg| {
                let st = &market.seg[seg.index()];
                let credit = home_credit
                    + subsidy_rate(seg, Some(candidates[0]), &policy)
                    + land(st.capex_per_kwpm);
                let c = case(seg, st.capex_per_kwpm, credit);
                let capex = c.kwpm * c.capex_per_kwpm;
                (module_npv_with(&c, &discounts) / capex.max(1e-9), seg)
            })
            .collect();
        order.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.index().cmp(&b.1.index())));
        for (_, seg) in order {
            let i = seg.index();
            let sp = &s.market.segments[&seg];
            let st = &market.seg[i];
            let u: f64 = rng.0.random();
            let modules = modules_for_gap(gaps[i], sp.module_kwpm, u, inv.max_modules_per_year);
            if modules == 0 {
                continue;
            }
            let credit = home_credit
                + subsidy_rate(seg, Some(candidates[0]), &policy)
                + land(st.capex_per_kwpm);
            if module_npv_with(&case(seg, st.capex_per_kwpm, credit), &discounts) <= 0.0 {
                continue;
            }
            // Abroad there is no Korean credit: a module sent there must pay without it.
            let pays_abroad =
                module_npv_with(&case_at(seg, st.capex_per_kwpm, 0.0, false), &discounts) > 0.0;
            for _ in 0..modules {
                let capex = sp.module_kwpm * st.capex_per_kwpm;
                let spent = committed.get(&e).copied().unwrap_or(0.0);
                let rate = state_rate(seg, Some(candidates[0]), s, &policy);
                let left = (policy.state_budget - ledger.state_committed_now).max(0.0);
                let equity = if rate * capex <= left { rate } else { 0.0 };
                let upfront = capex * (1.0 - (credit + equity).min(1.0)) * inv.upfront_share;
                if upfront > fin.cash + debt_room(fin, inv.leverage_limit) - spent {
                    break;
                }
                let abroad = rng.0.random::<f64>() < policy.overseas_share[i];
                let (pw, wt) = need(seg, sp.module_kwpm);
                let land = sp.module_kwpm * inv.land_ha_per_kwpm;
                let site = if abroad {
                    if !pays_abroad {
                        break;
                    }
                    None
                } else {
                    // No land at any candidate site: the module waits (it is not sent
                    // abroad: that is the overseas share's decision alone).
                    let Some(x) =
                        choose_site(candidates, &head, land, pw, wt, inv.max_site_shortage)
                    else {
                        break;
                    };
                    Some(x)
                };
                *committed.entry(e).or_default() += upfront;
                if let Some(x) = site {
                    if cluster_site[x] {
                        let look_up = || has_place(e, &cluster_site, r, &named, &fabs, &projects);
                        cluster.enter(e, hq_in, look_up, &mut derived);
                    }
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
                    Start::New,
                );
            }
        }
    }
    // Holds of pledges still undecided are given back: the land is used only when built.
    for &(x, land, _, _) in held.iter().flatten() {
        head[x].land_ha += land;
    }
    for mut site in &mut sites {
        site.land_free_ha = head[site.index].land_ha.max(0.0);
    }
}

/// Places under the cluster's entity cap, as the organic expansion sees them: how many
/// are left, and which firms already have one (headquartered at a cluster site, owning
/// a fab or project there, or holding a pledged place: [`has_place`]). Membership is
/// looked up only for a firm headquartered elsewhere that builds in the cluster or, when
/// no place is left, would, and then remembered for the year.
struct ClusterPlaces {
    room: usize,
    /// Firms looked up this year: (firm, has a place).
    known: Vec<(Entity, bool)>,
}

impl ClusterPlaces {
    fn new(s: &crate::scenario::Scenario, derived: &Derived) -> Self {
        ClusterPlaces {
            // Places taken or held after last year's entry and exit.
            room: (s.entity_cap as usize).saturating_sub(derived.cluster_firms),
            known: Vec::new(),
        }
    }

    fn is_member(&mut self, e: Entity, hq_in: bool, look_up: impl FnOnce() -> bool) -> bool {
        if hq_in {
            return true;
        }
        if let Some(&(_, m)) = self.known.iter().find(|k| k.0 == e) {
            return m;
        }
        let m = look_up();
        self.known.push((e, m));
        m
    }

    /// Whether firm `e` (`hq_in`: headquartered in the cluster) may start a project there.
    fn admits(&mut self, e: Entity, hq_in: bool, look_up: impl FnOnce() -> bool) -> bool {
        self.room > 0 || self.is_member(e, hq_in, look_up)
    }

    /// Firm `e` starts a project in the cluster: a newcomer takes a place.
    fn enter(
        &mut self,
        e: Entity,
        hq_in: bool,
        look_up: impl FnOnce() -> bool,
        derived: &mut Derived,
    ) {
        if !self.is_member(e, hq_in, look_up) {
            self.room = self.room.saturating_sub(1);
            derived.cluster_firms += 1;
            if let Some(k) = self.known.iter_mut().find(|k| k.0 == e) {
                k.1 = true;
            }
        }
    }
}

/// Whether firm `e` has a place in the cluster (`cluster_site` by site index) through a
/// pledge, project or fab there (its headquarters aside).
fn has_place(
    e: Entity,
    cluster_site: &[bool],
    r: &crate::scenario::Resolved,
    named: &NamedFirms,
    fabs: &Query<&mut Fab>,
    projects: &Query<&Project>,
) -> bool {
    let there = |site: Option<usize>| site.is_some_and(|i| cluster_site[i]);
    // Cheapest first: a handful of pledges, then the projects, then every fab.
    super::entry_exit::cluster_pledgers(r, named, cluster_site).any(|p| p == e)
        || projects.iter().any(|p| p.firm == e && there(p.site))
        || fabs.iter().any(|f| f.firm == e && there(f.site))
}
