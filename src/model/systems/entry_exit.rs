//! Phase 11, entry and exit: suppliers and design firms enter the cluster in proportion
//! to its fabs and incentives, never above the cluster's entity cap; fabless start-ups
//! appear in fabless valleys; firms with persistent losses or vanishing sales exit.
//! Spawn and despawn are ECS commands.

use crate::model::components::*;
use crate::model::resources::*;
use crate::scenario::{FirmKind, FirmSize, SiteKind};
use bevy_ecs::prelude::*;
use rand::RngExt;
use rand_distr::{Distribution, LogNormal, Poisson};

/// Kinds of firms entering the cluster, with their weights (the `entry.mix_*`
/// parameters, normalised to sum to 1; suppliers follow fabs).
fn entrant_mix(e: &crate::scenario::params::Entry) -> [(FirmKind, f64); 5] {
    let w = [
        (FirmKind::Materials, e.mix_materials),
        (FirmKind::Parts, e.mix_parts),
        (FirmKind::Equipment, e.mix_equipment),
        (FirmKind::DesignHouse, e.mix_design_house),
        (FirmKind::Fabless, e.mix_fabless),
    ];
    let total: f64 = w.iter().map(|x| x.1).sum::<f64>().max(1e-12);
    w.map(|(k, v)| (k, v / total))
}

fn poisson(rng: &mut impl rand::Rng, lambda: f64) -> usize {
    if lambda <= 0.0 {
        return 0;
    }
    Poisson::new(lambda).map_or(0, |d| d.sample(rng) as usize)
}

/// Phase 11.
pub fn entry_exit(
    cal: Res<Calendar>,
    scen: Res<ScenarioRes>,
    drawn: Res<Drawn>,
    policy: Res<PolicyNow>,
    named: Res<crate::model::setup::NamedFirms>,
    mut derived: ResMut<Derived>,
    mut ledger: ResMut<Ledger>,
    mut rng: ResMut<RunRng>,
    mut commands: Commands,
    mut firms: Query<(Entity, &Firm, &mut Finances)>,
    fabs: Query<&Fab>,
    projects: Query<&Project>,
    sites: Query<&Site>,
) {
    let s = &*scen.0;
    let e = drawn.p.entry;
    let mut exited: Vec<Entity> = Vec::new();
    firms.iter_mut().for_each(|(ent, f, mut fin)| {
        if f.kind.is_manufacturer() {
            return;
        }
        // Nothing reads change ticks: writes skip them.
        let fin = fin.bypass_change_detection();
        fin.loss_years = if fin.cash < 0.0 {
            fin.loss_years + 1
        } else {
            0
        };
        if f64::from(fin.loss_years) >= e.exit_after_loss_years
            || fin.revenue < e.exit_min_revenue_krw_b
        {
            ledger.flows.exit_cash += fin.cash;
            commands.entity(ent).despawn();
            exited.push(ent);
        }
    });
    let mut cluster_site = vec![false; s.sites.len()];
    let mut shortage_sum = 0.0;
    let mut cluster_sites: Vec<usize> = Vec::new();
    let mut valleys: Vec<usize> = Vec::new();
    for site in &sites {
        cluster_site[site.index] = site.in_cluster;
        if site.in_cluster {
            cluster_sites.push(site.index);
            shortage_sum += site.shortage;
        }
        if s.sites[site.index].kind == SiteKind::FablessValley {
            valleys.push(site.index);
        }
    }
    cluster_sites.sort_unstable();
    valleys.sort_unstable();
    let members = cluster_members(
        firms.iter().map(|(e, f, _)| (e, f.site)),
        fabs.iter()
            .map(|f| (f.firm, f.site))
            .chain(projects.iter().map(|p| (p.firm, p.site))),
        |e| firms.get(e).ok().map(|(_, f, _)| f.site),
        &cluster_site,
        &exited,
    );
    // Manufacturers with pledges in the cluster keep a place under the cap.
    let mut pledgers: Vec<Entity> = cluster_pledgers(&scen.1, &named, &cluster_site)
        .filter(|&e| !members.contains(e, firms.get(e).ok().map(|(_, f, _)| f.site), &cluster_site))
        .collect();
    pledgers.sort_unstable();
    pledgers.dedup();
    let reserved = pledgers.len();
    let count = members.count;
    let room = (s.entity_cap as usize).saturating_sub(count + reserved);
    let cluster_kwpm: f64 = fabs
        .iter()
        .filter(|f| f.in_cluster)
        .map(|f| f.kwpm)
        .sum::<f64>()
        + projects
            .iter()
            .filter(|p| p.site.is_some_and(|i| cluster_site[i]) && p.segment.is_fab())
            .map(|p| p.kwpm)
            .sum::<f64>();
    let short = if cluster_sites.is_empty() {
        0.0
    } else {
        shortage_sum / cluster_sites.len() as f64
    };
    let lambda = e.cluster_entrants_per_100kwpm * cluster_kwpm / 100.0
        * (1.0 + e.incentive_effect * policy.credit_sme)
        * (1.0 - short);
    let n_cluster = poisson(&mut rng.0, lambda).min(room);
    let n_startups = if valleys.is_empty() {
        0
    } else {
        poisson(&mut rng.0, e.startups_per_year)
    };
    let p = &drawn.p;
    let mut spawn = |kind: FirmKind,
                     site: usize,
                     median: f64,
                     rng: &mut RunRng,
                     derived: &mut Derived,
                     ledger: &mut Ledger| {
        let revenue = LogNormal::new(median.max(1e-6).ln(), p.entry.entrant_revenue_sd)
            .map_or(median, |d| d.sample(&mut rng.0));
        let cash = revenue * p.entry.entrant_cash_share;
        ledger.flows.entry_cash += cash;
        let margin = if kind.is_mpe() {
            p.production.mpe_margin
        } else {
            p.production.design_margin
        };
        derived.entrants += 1;
        let fin = Finances {
            cash,
            revenue,
            revenue_prev: revenue,
            margin,
            ..Default::default()
        };
        let base = (
            Firm {
                origin: FirmOrigin::Entrant(derived.entrants),
                kind,
                size: FirmSize::Sme,
                site,
                founded: cal.year,
            },
            fin,
            Tech {
                level: p.entry.entrant_tech_level,
                rnd_stock: 0.0,
                grants: 0.0,
            },
        );
        // All components at once: no move between tables.
        if kind.is_design() {
            commands.spawn((
                base,
                Design {
                    ai_exposure: rng.0.random::<f64>() * p.entry.entrant_ai_exposure_max,
                    flagged: false,
                    support_now: 0.0,
                    support_prev: 0.0,
                },
            ));
        } else if kind.is_mpe() {
            commands.spawn((
                base,
                Supplier {
                    exports: revenue * p.mpe.export_share,
                },
            ));
        } else {
            commands.spawn(base);
        }
    };
    let mix = entrant_mix(&drawn.p.entry);
    for _ in 0..n_cluster {
        let mut pick = rng.0.random::<f64>();
        let mut kind = mix[0].0;
        for (k, w) in mix {
            kind = k;
            if pick < w {
                break;
            }
            pick -= w;
        }
        let pull = |i: usize| super::mpe_pull(&s.sites[i], &p.mpe);
        let site = if kind.is_mpe() && cluster_sites.iter().any(|&i| pull(i) > 0.0) {
            // MPE complexes and land discounts in the cluster pull suppliers: weight
            // 1 + their pull.
            let w = |i: usize| 1.0 + pull(i);
            let total: f64 = cluster_sites.iter().map(|&i| w(i)).sum();
            let at = super::pick_weighted(&cluster_sites, w, total, rng.0.random::<f64>());
            ledger.land_subsidy += super::plot_subsidy(&s.sites[at], p);
            at
        } else {
            cluster_sites[rng.0.random_range(0..cluster_sites.len())]
        };
        spawn(
            kind,
            site,
            e.entrant_revenue_krw_b,
            &mut rng,
            &mut derived,
            &mut ledger,
        );
    }
    for _ in 0..n_startups {
        let site = valleys[rng.0.random_range(0..valleys.len())];
        spawn(
            FirmKind::Fabless,
            site,
            e.startup_revenue_krw_b,
            &mut rng,
            &mut derived,
            &mut ledger,
        );
    }
    // Places taken or held: members, the pledgers' held places and this year's entrants.
    derived.cluster_firms = count + reserved + n_cluster;
}

/// The named firms with a pledge at a cluster site (`cluster_site` by site index): each
/// keeps a place under the entity cap until its pledge makes it a member.
pub fn cluster_pledgers<'a>(
    r: &'a crate::scenario::Resolved,
    named: &'a crate::model::setup::NamedFirms,
    cluster_site: &'a [bool],
) -> impl Iterator<Item = Entity> + 'a {
    r.pledges
        .iter()
        .filter(|pl| pl.site.is_some_and(|i| cluster_site[i]))
        .filter_map(|pl| pl.firm.and_then(|i| named.0.get(i).copied()))
}

/// Firms in the cluster: headquartered there, or owning a fab or project there.
#[derive(Debug, Clone, Default)]
pub struct ClusterMembers {
    /// How many.
    pub count: usize,
    /// Members headquartered elsewhere (owners of fabs or projects in the cluster), sorted.
    owners: Vec<Entity>,
    /// Firms left out (sorted).
    excluded: Vec<Entity>,
}

impl ClusterMembers {
    /// Whether firm `e`, headquartered at `hq` (`None` if it no longer exists), is a member.
    pub fn contains(&self, e: Entity, hq: Option<usize>, cluster_site: &[bool]) -> bool {
        self.excluded.binary_search(&e).is_err()
            && (hq.is_some_and(|i| cluster_site[i]) || self.owners.binary_search(&e).is_ok())
    }
}

/// The cluster's member firms, without `exclude`. `firms` gives each firm's headquarters
/// site; `owners` the owner and site of every fab and project; `hq` a firm's headquarters
/// site (`None` if it no longer exists). Only the owners of fabs and projects in the
/// cluster are sorted, not every firm.
pub fn cluster_members(
    firms: impl Iterator<Item = (Entity, usize)>,
    owners: impl Iterator<Item = (Entity, Option<usize>)>,
    hq: impl Fn(Entity) -> Option<usize>,
    cluster_site: &[bool],
    exclude: &[Entity],
) -> ClusterMembers {
    let in_cluster = |site: Option<usize>| site.is_some_and(|i| cluster_site[i]);
    let mut count = firms.filter(|&(_, site)| cluster_site[site]).count();
    let mut owners: Vec<Entity> = owners
        .filter(|&(_, site)| in_cluster(site))
        .map(|(e, _)| e)
        .filter(|&e| !in_cluster(hq(e)))
        .collect();
    owners.sort_unstable();
    owners.dedup();
    let mut excluded = exclude.to_vec();
    excluded.sort_unstable();
    excluded.dedup();
    for &e in &excluded {
        if in_cluster(hq(e)) {
            count -= 1;
        } else if let Ok(i) = owners.binary_search(&e) {
            owners.remove(i);
        }
    }
    ClusterMembers {
        count: count + owners.len(),
        owners,
        excluded,
    }
}
