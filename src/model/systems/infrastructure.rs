//! Phase 3, infrastructure: scheduled power and water additions come online, each late
//! by its drawn delay; the permit timeout caps the delay and the public infrastructure
//! fund pulls late additions forward.

use crate::model::components::Site;
use crate::model::resources::*;
use bevy_ecs::prelude::*;

/// Year an addition comes online, fixed when its planned year arrives.
pub fn online_year(
    planned: i32,
    drawn_delay: f64,
    permit_timeout: f64,
    fund_krw_b: f64,
    fund_per_year_saved: f64,
) -> i32 {
    let mut delay = drawn_delay.max(0.0);
    if permit_timeout > 0.0 {
        delay = delay.min(permit_timeout);
    }
    delay = (delay - fund_krw_b / fund_per_year_saved.max(1e-9)).max(0.0);
    planned + delay.round() as i32
}

/// Phase 3.
pub fn infrastructure(
    cal: Res<Calendar>,
    policy: Res<PolicyNow>,
    mut drawn: ResMut<Drawn>,
    mut ledger: ResMut<Ledger>,
    mut sites: Query<&mut Site>,
) {
    let year = cal.year;
    let per_year = drawn.p.infra.fund_krw_b_per_year_saved;
    ledger.gov_infra += policy.infra_fund;
    let drawn = &mut *drawn;
    for mut site in &mut sites {
        let i = site.index;
        for (list, is_power) in [
            (&mut drawn.power_additions[i], true),
            (&mut drawn.water_additions[i], false),
        ] {
            for add in list.iter_mut() {
                if add.online.is_none() && year >= add.planned {
                    add.online = Some(online_year(
                        add.planned,
                        add.delay,
                        policy.permit_timeout,
                        policy.infra_fund,
                        per_year,
                    ));
                }
                if add.online.is_some_and(|o| o <= year) && !add.added {
                    add.added = true;
                    if is_power {
                        site.power_supply_mw += add.amount
                    } else {
                        site.water_supply_ktd += add.amount
                    }
                    ledger.gov_infra += add.public_cost;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::online_year;

    #[test]
    fn timeout_caps_and_fund_pulls_forward() {
        assert_eq!(online_year(2030, 4.0, 0.0, 0.0, 400.0), 2034);
        assert_eq!(online_year(2030, 4.0, 2.0, 0.0, 400.0), 2032);
        assert_eq!(online_year(2030, 4.0, 0.0, 800.0, 400.0), 2032);
        assert_eq!(online_year(2030, 1.0, 0.0, 8000.0, 400.0), 2030);
    }
}
