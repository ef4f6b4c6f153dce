//! Phase 10, talent: engineers demanded at each site (per wafer capacity for fabs, per
//! sales for other firms, both rising with `intensity_growth` as processes get harder)
//! against the site's pool plus spare engineers commuting over links; pools grow by
//! graduates, lose `attrition_rate` a year, receive talent-programme graduates (funded
//! `stem_lag_years` earlier) and foreign engineers, and draw movers towards unmet demand.
//! The shortage slows ramps, costs output, steers new fabs to staffed sites and slows
//! fabless growth next year.

use crate::model::components::*;
use crate::model::resources::*;
use bevy_ecs::prelude::*;

/// Shortage share (0..1) given demand and reachable supply.
pub fn shortage(demand: f64, supply: f64) -> f64 {
    if demand <= 0.0 {
        0.0
    } else {
        (1.0 - supply / demand).clamp(0.0, 1.0)
    }
}

/// Phase 10.
pub fn talent(
    cal: Res<Calendar>,
    scen: Res<ScenarioRes>,
    drawn: Res<Drawn>,
    policy: Res<PolicyNow>,
    mut ledger: ResMut<Ledger>,
    firms: Query<(&Firm, &Finances)>,
    fabs: Query<&Fab>,
    links: Query<&Link>,
    mut sites: Query<&mut Site>,
) {
    let s = &*scen.0;
    let p = drawn.p.talent;
    let n = s.sites.len();
    let intensity = (1.0 + p.intensity_growth).powi(cal.index as i32);
    let mut demand = vec![0.0; n];
    for fab in &fabs {
        if let Some(i) = fab.site {
            demand[i] += fab.kwpm
                * fab.ramp
                * s.market.segments[&fab.segment].engineers_per_kwpm
                * intensity;
        }
    }
    // `for_each` uses the query's internal iteration: fewer instructions than a `for`
    // loop for this read-only pass (callgrind; not so for the passes that mutate).
    firms.iter().for_each(|(f, fin)| {
        let per = if f.kind.is_design() {
            p.engineers_per_krw_b_design
        } else if f.kind.is_manufacturer() {
            0.0
        } else {
            p.engineers_per_krw_b_mpe
        };
        demand[f.site] += (fin.revenue * per * intensity).max(p.min_engineers_per_firm);
    });
    let total_demand: f64 = demand.iter().sum();
    let demand_before: f64 = sites.iter().map(|x| x.talent_demand).sum();
    if cal.index > 0 {
        ledger.new_engineer_demand += (total_demand - demand_before).max(0.0);
    }
    let total_pool: f64 = sites.iter().map(|x| x.talent_pool).sum::<f64>().max(1e-9);
    let mut pool = vec![0.0; n];
    for mut site in &mut sites {
        let i = site.index;
        if cal.index > 0 {
            let unmet = (site.talent_demand - site.talent_pool).max(0.0);
            let share = site.talent_pool / total_pool;
            let added = site.talent_pool * (site.talent_growth - p.attrition_rate)
                + (policy.talent_programme + policy.foreign_talent) * share
                + p.migration_rate * unmet;
            site.talent_pool = (site.talent_pool + added).max(0.0);
        }
        site.talent_demand = demand[i];
        pool[i] = site.talent_pool;
    }
    let mut reach = pool.clone();
    for l in &links {
        let w = p.commute_share * l.commute_weight;
        reach[l.a] += w * (pool[l.b] - demand[l.b]).max(0.0);
        reach[l.b] += w * (pool[l.a] - demand[l.a]).max(0.0);
    }
    for mut site in &mut sites {
        site.shortage = shortage(demand[site.index], reach[site.index]);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn shortage_is_the_unmet_share() {
        assert!((super::shortage(100.0, 80.0) - 0.2).abs() < 1e-12);
        assert_eq!(super::shortage(100.0, 120.0), 0.0);
        assert_eq!(super::shortage(0.0, 10.0), 0.0);
    }
}
