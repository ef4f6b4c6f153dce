//! Building one run's world from a scenario: draws, sites, links, firms, fabs, resources.

use super::catalog;
use super::components::*;
use super::random::{RunStream, ShockTable};
use super::resources::*;
use super::systems::link_weight;
use crate::scenario::schema::{Addition, FabSpec};
use crate::scenario::{FirmKind, Resolved, Scenario, Segment};
use bevy_ecs::prelude::*;
use rand::rngs::ChaCha8Rng;
use rand::{Rng, RngExt, SeedableRng};
use std::sync::Arc;

/// Entities of the named firms, in scenario order (pledges and events refer to them).
#[derive(Resource, Debug, Clone, Default)]
pub struct NamedFirms(pub Vec<Entity>);

/// The RNG of run `run` of a scenario seeded with `seed`: a Xoshiro256++ generator
/// keyed by the first 256 bits of stream `run` of ChaCha8 seeded with `seed`. It
/// depends on (seed, run) alone, never on thread or order; ChaCha8's streams keep the
/// runs' keys independent, and Xoshiro256++ makes the draws themselves cheap (the
/// yearly phases draw ~25,000 numbers a run).
pub fn run_rng(seed: u64, run: u64) -> RunStream {
    let mut key = ChaCha8Rng::seed_from_u64(seed);
    key.set_stream(run);
    let mut bytes = [0u8; 32];
    key.fill_bytes(&mut bytes);
    RunStream::from_seed(bytes)
}

fn draw_additions(adds: &[Addition], rng: &mut RunStream) -> Vec<AdditionDraw> {
    adds.iter()
        .map(|a| AdditionDraw {
            planned: a.year,
            delay: a.delay_years.draw(rng).max(0.0),
            amount: a.amount,
            public_cost: a.public_cost_krw_b,
            online: None,
            added: false,
        })
        .collect()
}

/// Builds the world of run `run` (a new world; [`crate::sim::Simulator`] reuses one).
pub fn build_world(scenario: &Arc<Scenario>, seed: u64, run: u64) -> World {
    let mut world = new_world();
    let refs = Arc::new(Resolved::new(scenario));
    populate(&mut world, scenario, &refs, seed, run);
    world
}

/// A new, empty world whose tables exist in a fixed order.
///
/// Queries visit tables in the order they were created. Creating every table a run can
/// use up front, always in the same order, makes that order independent of what
/// happened earlier in a reused world, so sums over firms add up in the same order
/// whether a run gets a new world or a reused one.
pub fn new_world() -> World {
    let mut world = World::new();
    let firm = || {
        (
            Firm {
                origin: FirmOrigin::Entrant(0),
                kind: FirmKind::Foundry,
                size: crate::scenario::FirmSize::Large,
                site: 0,
                founded: 0,
            },
            Finances::default(),
            Tech {
                level: 1.0,
                rnd_stock: 0.0,
                grants: 0.0,
            },
        )
    };
    let design = Design {
        ai_exposure: 0.0,
        flagged: false,
        support_now: 0.0,
        support_prev: 0.0,
    };
    let placeholder = Entity::PLACEHOLDER;
    let ids = [
        world.spawn(Site::default()).id(),
        world
            .spawn(Link {
                a: 0,
                b: 0,
                distance_km: 0.0,
                spill_weight: 0.0,
                commute_weight: 0.0,
            })
            .id(),
        world.spawn(firm()).id(),
        world.spawn((firm(), design)).id(),
        world.spawn((firm(), Supplier { exports: 0.0 })).id(),
        world
            .spawn(Fab {
                firm: placeholder,
                site: None,
                segment: Segment::Memory,
                kwpm: 0.0,
                ramp: 0.0,
                yield_rate: 0.0,
                in_cluster: false,
                until: None,
                state_take: 0.0,
            })
            .id(),
        world
            .spawn(Project {
                firm: placeholder,
                site: None,
                segment: Segment::Memory,
                kwpm: 0.0,
                capex: 0.0,
                paid: 0.0,
                start_year: 0,
                ready_year: 0,
                waited: 0,
                credit_rate: 0.0,
                pledge: None,
                subsidy_rate: 0.0,
                land_rate: 0.0,
                state_rate: 0.0,
                state_take: 0.0,
            })
            .id(),
    ];
    for e in ids {
        world.despawn(e);
    }
    world
}

/// Removes run state from a world so that [`populate`] can fill it again: every site,
/// link, firm, fab and project (the tables stay, empty, in their order).
pub fn clear(world: &mut World) {
    let mut q = world.query_filtered::<Entity, Or<(
        With<Site>,
        With<Link>,
        With<Firm>,
        With<Fab>,
        With<Project>,
    )>>();
    let all: Vec<Entity> = q.iter(world).collect();
    // Last rows first: each table then shrinks from its end, and no row is moved.
    for e in all.into_iter().rev() {
        world.despawn(e);
    }
    // Despawns are remembered for `RemovedComponents` (double-buffered); nothing reads
    // them, so both buffers are dropped rather than kept growing run after run.
    world.clear_trackers();
    world.clear_trackers();
    world.check_change_ticks();
}

/// Fills an empty world (from [`new_world`] or [`clear`]) with run `run`: draws,
/// entities and resources. `refs` are the scenario's names resolved
/// ([`Resolved::new`]).
pub fn populate(
    world: &mut World,
    scenario: &Arc<Scenario>,
    refs: &Arc<Resolved>,
    seed: u64,
    run: u64,
) {
    let s = scenario.as_ref();
    let r = refs.as_ref();
    let mut rng = run_rng(seed, run);
    let p = s.model.draw(&mut rng);
    let mut segments = [SegmentDraw::default(); 4];
    for seg in Segment::ALL {
        let sp = &s.market.segments[&seg];
        segments[seg.index()] = SegmentDraw {
            trend_growth: sp.trend_growth.draw(&mut rng),
            cycle_amplitude: sp.cycle_amplitude.draw(&mut rng),
            cycle_phase: sp.cycle_phase_years.draw(&mut rng),
            build_years: sp.build_years.draw(&mut rng).max(0.1),
        };
    }
    let world_fabless_growth = s.market.world_fabless_growth.draw(&mut rng);
    let ai_growth = s.market.ai_demand_growth.draw(&mut rng);
    let other_chips_growth = s.market.other_chips_growth.draw(&mut rng);
    let domestic_mature_growth = s.market.domestic_mature_growth.draw(&mut rng);
    let power_additions = s
        .sites
        .iter()
        .map(|x| draw_additions(&x.power_additions, &mut rng))
        .collect();
    let water_additions = s
        .sites
        .iter()
        .map(|x| draw_additions(&x.water_additions, &mut rng))
        .collect();

    for (index, x) in s.sites.iter().enumerate() {
        let talent_growth = x.talent_growth.draw(&mut rng);
        world.spawn(Site {
            index,
            in_cluster: x.in_cluster,
            land_free_ha: x.land_ha,
            power_supply_mw: x.power_mw,
            water_supply_ktd: x.water_ktd,
            power_demand_mw: 0.0,
            water_demand_ktd: 0.0,
            talent_pool: x.talent_engineers,
            talent_demand: 0.0,
            shortage: 0.0,
            talent_growth,
        });
    }
    for (l, ab) in s.links.iter().zip(&r.links) {
        let Some((a, b)) = *ab else {
            continue;
        };
        let distance_km = l.distance_km.unwrap_or_else(|| straight_distance(s, a, b));
        world.spawn(Link {
            a,
            b,
            distance_km,
            spill_weight: link_weight(distance_km, p.fabless.spillover_decay_km),
            commute_weight: link_weight(distance_km, p.talent.commute_decay_km),
        });
    }

    let prod = p.production;
    let mut named = Vec::with_capacity(s.firms.len());
    // Korean fabless and design-house sales at the start, KRW B: the part of the world's
    // fabless sales that the model grows itself (the rest of the world is `rest_fabless`).
    let mut korean_design_krw_b = 0.0;
    for (i, f) in s.firms.iter().enumerate() {
        let site = r.firms[i].site.unwrap_or(0);
        let margin = f.operating_margin.unwrap_or(default_margin(f.kind, &prod));
        if f.kind.is_design() {
            korean_design_krw_b += f.revenue_krw_b;
        }
        let e = FirmStart {
            origin: FirmOrigin::Named(i),
            kind: f.kind,
            size: f.size,
            site,
            year: s.start_year,
            revenue: f.revenue_krw_b,
            cash: f.cash_krw_b,
            debt: f.debt_krw_b,
            margin,
            tech: f.tech_level,
            ai: f.ai_exposure,
            flagged: f.supported,
            export_share: p.mpe.export_share,
        }
        .spawn(world);
        for (fab, &site) in f.fabs.iter().zip(&r.firms[i].fab_sites) {
            spawn_fab(world, s, e, fab, site, p.construction.yield_max);
        }
        for plant in &f.plants_abroad {
            world.spawn(Fab {
                firm: e,
                site: None,
                segment: plant.segment,
                kwpm: plant.kwpm,
                ramp: 1.0,
                yield_rate: p.construction.yield_max,
                in_cluster: false,
                until: None,
                state_take: 0.0,
            });
        }
        named.push(e);
    }
    // A group's members share one kind, so one bundle type: they are spawned in one
    // batch (bevy looks the bundle and its table up once, not per firm), in the order
    // drawn, so the tables hold them as one spawn at a time would.
    let mut members: Vec<FirmStart> = Vec::new();
    for (gi, g) in s.groups.iter().enumerate() {
        let sites = &r.groups[gi];
        let total: f64 = sites.iter().map(|x| x.1).sum();
        members.clear();
        for member in 0..g.count {
            let mut pick = rng.random::<f64>() * total;
            let mut site = sites.first().map_or(0, |x| x.0);
            for &(i, w) in sites {
                site = i;
                if pick < w {
                    break;
                }
                pick -= w;
            }
            let revenue = g.revenue_krw_b.draw(&mut rng).max(0.0);
            let margin = g
                .operating_margin
                .map_or(default_margin(g.kind, &prod), |d| d.draw(&mut rng));
            let tech = g.tech_level.draw(&mut rng).max(0.0);
            let ai = g.ai_exposure.draw(&mut rng).clamp(0.0, 1.0);
            let flagged = rng.random::<f64>() < g.supported_share;
            if g.kind.is_design() {
                korean_design_krw_b += revenue;
            }
            members.push(FirmStart {
                origin: FirmOrigin::Group { group: gi, member },
                kind: g.kind,
                size: g.size,
                site,
                year: s.start_year,
                revenue,
                cash: revenue * p.entry.group_cash_share,
                debt: 0.0,
                margin,
                tech,
                ai,
                flagged,
                export_share: p.mpe.export_share,
            });
        }
        let firms = members.iter();
        if g.kind.is_design() {
            world.spawn_batch(firms.map(|f| (f.base(), f.design())));
        } else if g.kind.is_mpe() {
            world.spawn_batch(firms.map(|f| (f.base(), f.supplier())));
        } else {
            world.spawn_batch(firms.map(FirmStart::base));
        }
    }

    let n_years = s.n_years();
    let mut market = MarketState {
        ai_index: 1.0,
        usd_krw: s.market.usd_krw,
        rest_fabless_usd_b: rest_fabless_start_usd_b(
            s.market.world_fabless_usd_b,
            korean_design_krw_b,
            s.market.usd_krw,
        ),
        site_loss: vec![0.0; s.sites.len()],
        other_chips_usd_b: s.market.other_chips_usd_b,
        domestic_mature_kwpm: s.market.domestic_mature_demand_kwpm,
        ..Default::default()
    };
    for seg in Segment::ALL {
        let sp = &s.market.segments[&seg];
        market.seg[seg.index()] = SegmentState {
            trend: sp.demand_kwpm,
            demand: sp.demand_kwpm,
            rest_of_world: sp.rest_of_world_kwpm,
            price: sp.price_index_start,
            capex_per_kwpm: sp.capex_krw_b_per_kwpm * p.investment.capex_factor,
            ..Default::default()
        };
    }
    let mut snapshot_years: Vec<i32> = s
        .targets
        .iter()
        .filter(|t| t.metric == "fabless_1t_firms")
        .map(|t| t.year)
        .collect();
    snapshot_years.push(s.end_year);
    snapshot_years.sort_unstable();
    snapshot_years.dedup();
    let n_metrics = catalog::count(s);
    world.insert_resource(Recorder {
        n_metrics,
        values: vec![0.0; n_years * n_metrics],
        snapshots: vec![Vec::new(); snapshot_years.len()],
        snapshot_years,
    });
    world.insert_resource(Pledges {
        state: s
            .pledges
            .iter()
            .map(|x| PledgeState {
                due: x.start_year,
                ..Default::default()
            })
            .collect(),
    });
    world.insert_resource(Derived {
        localisation: p.mpe.localisation_start,
        site_mass: vec![0.0; s.sites.len()],
        fab_sales_by_site: vec![0.0; s.sites.len()],
        spill: vec![0.0; s.sites.len()],
        spill_prev: vec![0.0; s.sites.len()],
        hub_stock: vec![0.0; s.sites.len()],
        ..Default::default()
    });
    let (dof, clamp) = (p.fabless.tail_dof, p.fabless.shock_clamp);
    world.insert_resource(Drawn {
        p,
        segments,
        world_fabless_growth,
        ai_growth,
        other_chips_growth,
        domestic_mature_growth,
        power_additions,
        water_additions,
    });
    world.insert_resource(market);
    world.insert_resource(NamedFirms(named));
    world.insert_resource(PolicyNow::default());
    world.insert_resource(Ledger::default());
    world.insert_resource(Calendar {
        year: s.start_year,
        index: 0,
    });
    world.insert_resource(ScenarioRes(Arc::clone(scenario), Arc::clone(refs)));
    world.insert_resource(RunRng(rng));
    // The fabless shock's table is kept from the last run when it is the same.
    if !world
        .get_resource::<ShockTable>()
        .is_some_and(|t| t.is_for(dof, clamp))
    {
        world.insert_resource(ShockTable::new(dof, clamp));
    }
}

/// The world's fabless sales outside Korea at the start, USD billions: the scenario's
/// world total less Korea's own start (never below zero, so Korea's share of the world is
/// a true share, at most 100 %, whatever the inputs).
fn rest_fabless_start_usd_b(world_usd_b: f64, korean_krw_b: f64, usd_krw: f64) -> f64 {
    (world_usd_b - korean_krw_b / usd_krw.max(1e-9)).max(0.0)
}

/// Default operating margin of a firm kind (manufacturers' margins come from their segments).
fn default_margin(kind: FirmKind, prod: &crate::scenario::params::Production) -> f64 {
    if kind.is_mpe() {
        prod.mpe_margin
    } else {
        prod.design_margin
    }
}

/// Straight-line distance between two sites, km.
pub fn straight_distance(s: &Scenario, a: usize, b: usize) -> f64 {
    let (x, y) = (&s.sites[a], &s.sites[b]);
    ((x.x_km - y.x_km).powi(2) + (x.y_km - y.y_km).powi(2)).sqrt()
}

/// What a firm starts a run with.
struct FirmStart {
    origin: FirmOrigin,
    kind: FirmKind,
    size: crate::scenario::FirmSize,
    site: usize,
    year: i32,
    revenue: f64,
    cash: f64,
    debt: f64,
    margin: f64,
    tech: f64,
    ai: f64,
    flagged: bool,
    export_share: f64,
}

impl FirmStart {
    /// The components every firm has.
    fn base(&self) -> (Firm, Finances, Tech) {
        (
            Firm {
                origin: self.origin,
                kind: self.kind,
                size: self.size,
                site: self.site,
                founded: self.year,
            },
            Finances {
                cash: self.cash,
                debt: self.debt,
                revenue: self.revenue,
                revenue_prev: self.revenue,
                margin: self.margin,
                ..Default::default()
            },
            Tech {
                level: self.tech,
                rnd_stock: 0.0,
                grants: 0.0,
            },
        )
    }

    /// A design firm's own component.
    fn design(&self) -> Design {
        Design {
            ai_exposure: self.ai,
            flagged: self.flagged,
            support_now: 0.0,
            support_prev: 0.0,
        }
    }

    /// An MPE supplier's own component.
    fn supplier(&self) -> Supplier {
        Supplier {
            exports: self.revenue * self.export_share,
        }
    }

    /// Spawns the firm with all its components at once (no archetype moves).
    fn spawn(&self, world: &mut World) -> Entity {
        if self.kind.is_design() {
            world.spawn((self.base(), self.design())).id()
        } else if self.kind.is_mpe() {
            world.spawn((self.base(), self.supplier())).id()
        } else {
            world.spawn(self.base()).id()
        }
    }
}

fn spawn_fab(
    world: &mut World,
    s: &Scenario,
    firm: Entity,
    fab: &FabSpec,
    site: Option<usize>,
    yield_max: f64,
) {
    let in_cluster = site.is_some_and(|i| s.sites[i].in_cluster) && fab.segment.is_fab();
    world.spawn(Fab {
        firm,
        site,
        segment: fab.segment,
        kwpm: fab.kwpm,
        ramp: 1.0,
        yield_rate: yield_max,
        in_cluster,
        until: fab.until,
        state_take: 0.0,
    });
}

#[cfg(test)]
mod tests {
    use super::run_rng;
    use rand::RngExt;

    /// A run's stream depends on (seed, run) alone; the streams of different runs and
    /// seeds differ; the first draws of 4,000 runs are uniform (chi-square over 20 bins,
    /// 19 degrees of freedom: below 43.8, its 0.1 % point) and those of neighbouring runs
    /// uncorrelated (|r| below 4 / sqrt(n), four standard errors).
    #[test]
    fn run_streams_are_reproducible_uniform_and_independent() {
        let first = |seed, run| run_rng(seed, run).random::<f64>();
        assert_eq!(run_rng(5, 7).random::<u64>(), run_rng(5, 7).random::<u64>());
        assert_ne!(first(5, 7), first(5, 8));
        assert_ne!(first(5, 7), first(6, 7));
        let n = 4_000;
        let u: Vec<f64> = (0..n).map(|r| first(20230315, r)).collect();
        let mut bins = [0usize; 20];
        for &x in &u {
            bins[(x * 20.0) as usize] += 1;
        }
        let expected = n as f64 / 20.0;
        let chi2: f64 = bins
            .iter()
            .map(|&b| (b as f64 - expected).powi(2) / expected)
            .sum();
        assert!(chi2 < 43.8, "chi-square {chi2}");
        let (a, b) = (&u[..n as usize - 1], &u[1..]);
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
        let (ma, mb) = (mean(a), mean(b));
        let cov: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
        let var = |v: &[f64], m: f64| v.iter().map(|x| (x - m).powi(2)).sum::<f64>();
        let r = cov / (var(a, ma) * var(b, mb)).sqrt();
        assert!(r.abs() < 4.0 / (n as f64).sqrt(), "correlation {r}");
        // Within a run, too: 10,000 draws of run 0 in 20 bins.
        let mut rng = run_rng(20230315, 0);
        let mut bins = [0usize; 20];
        for _ in 0..10_000 {
            bins[(rng.random::<f64>() * 20.0) as usize] += 1;
        }
        let chi2: f64 = bins
            .iter()
            .map(|&b| (b as f64 - 500.0).powi(2) / 500.0)
            .sum();
        assert!(chi2 < 43.8, "chi-square within a run {chi2}");
    }
}
