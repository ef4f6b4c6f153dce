//! The economics of one investment decision: a site's headroom, a module's net present
//! value, the credit, subsidy, land and state-equity shares of its capex, whole modules
//! for a capacity gap, and the choice of site.

use crate::model::resources::*;
use crate::scenario::params::DrawnParams;
use crate::scenario::schema::SiteSpec;
use crate::scenario::{FirmSize, Scenario, Segment};

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

/// The economics of a module, for its net present value.
#[derive(Debug, Clone, Copy)]
pub struct ModuleCase {
    /// Capacity, kwpm.
    pub kwpm: f64,
    /// Normal price per wafer, USD.
    pub price_usd: f64,
    /// KRW per USD.
    pub usd_krw: f64,
    /// Price index expected over the fab's life.
    pub price_index: f64,
    /// Operating margin at price index 1 (after depreciation).
    pub margin0: f64,
    /// Depreciation at price index 1, share of sales (added back: not a cash cost).
    pub depreciation_share: f64,
    /// Expected utilisation.
    pub utilisation: f64,
    /// Yearly upgrade capex per kwpm, KRW billions (node migration keeps it current).
    pub upgrade_per_kwpm: f64,
    /// Capex per kwpm, KRW billions.
    pub capex_per_kwpm: f64,
    /// Share of capex returned as tax credit and subsidy.
    pub credit: f64,
    /// Years before first output.
    pub build_years: f64,
    /// Years of operation valued.
    pub life_years: f64,
    /// Discount rate.
    pub rate: f64,
    /// Carbon border cost per wafer made, USD (home fabs only).
    pub carbon_usd_per_wafer: f64,
    /// Share of the module's operating cash flow the state holding company takes.
    pub profit_take: f64,
}

/// Discount factors `(1 + rate)^n` for `n` below the table's length, as `powi` gives
/// them: a system keeps one for the run's discount rate, so that [`module_npv_with`]
/// looks the factors up instead of calling `powi` for every year of every case.
#[derive(Debug, Clone, Default)]
pub struct Discounts {
    rate: f64,
    powers: Vec<f64>,
}

impl Discounts {
    /// Makes sure the table holds the factors of `rate` up to `(1 + rate)^(n - 1)`.
    pub fn prepare(&mut self, rate: f64, n: usize) {
        if self.rate.to_bits() != rate.to_bits() {
            self.rate = rate;
            self.powers.clear();
        }
        for k in self.powers.len()..n {
            self.powers.push((1.0 + rate).powi(k as i32));
        }
    }

    /// `(1 + rate).powi(n)`, from the table when it holds it.
    fn factor(&self, rate: f64, n: i32) -> f64 {
        match usize::try_from(n).ok().and_then(|i| self.powers.get(i)) {
            Some(&f) if rate.to_bits() == self.rate.to_bits() => f,
            _ => (1.0 + rate).powi(n),
        }
    }
}

/// Present value of a module's operating cash flow (profit plus depreciation, minus
/// upgrade capex) minus its capex after credits, KRW billions.
pub fn module_npv(m: &ModuleCase) -> f64 {
    module_npv_with(m, &Discounts::default())
}

/// [`module_npv`] with the discount factors looked up in `d` (the same numbers).
pub fn module_npv_with(m: &ModuleCase, d: &Discounts) -> f64 {
    let revenue = m.kwpm
        * m.price_usd
        * super::super::production::krw_b_per_kwpm_usd(m.usd_krw)
        * m.price_index
        * m.utilisation;
    // Cash costs are fixed per wafer at normal prices: the margin widens with the price.
    let cash_margin = 1.0 - (1.0 - m.margin0 - m.depreciation_share) / m.price_index.max(1e-6);
    let carbon = m.kwpm
        * m.utilisation
        * m.carbon_usd_per_wafer
        * super::super::production::krw_b_per_kwpm_usd(m.usd_krw);
    let flow =
        (revenue * cash_margin - m.kwpm * m.upgrade_per_kwpm - carbon) * (1.0 - m.profit_take);
    let b = m.build_years.round().max(0.0) as i32;
    let pv: f64 = (0..m.life_years.round().max(1.0) as i32)
        .map(|k| flow / d.factor(m.rate, b + k))
        .sum();
    pv - m.kwpm * m.capex_per_kwpm * (1.0 - m.credit.min(1.0))
}

/// Tax credit rate for a firm's new project at a site.
pub fn credit_rate(size: FirmSize, policy: &PolicyNow, site_extra: f64) -> f64 {
    let base = match size {
        FirmSize::Large => policy.credit_large,
        FirmSize::Sme => policy.credit_sme,
    };
    (base + policy.credit_incremental + site_extra).clamp(0.0, 1.0)
}

/// Whole modules to start for a capacity gap: the gap in modules rounded at random
/// (floor of gap/module + U), so a gap of 0.3 modules starts one in 30 % of runs and
/// small firms' expansion is not lost to rounding.
pub fn modules_for_gap(gap: f64, module_kwpm: f64, u: f64, max: f64) -> usize {
    if gap <= 0.0 || module_kwpm <= 0.0 {
        return 0;
    }
    (gap / module_kwpm + u).floor().min(max).max(0.0) as usize
}

/// Picks a site for a module: the first of `candidates` with land, power and water
/// headroom and a talent shortage at most `max_shortage`; else the first with headroom;
/// else the candidate with the most land; `None` when no candidate has land.
pub fn choose_site(
    candidates: &[usize],
    head: &[Headroom],
    land: f64,
    power: f64,
    water: f64,
    max_shortage: f64,
) -> Option<usize> {
    let fits = |i: usize| {
        head[i].land_ha >= land && head[i].power_mw >= power && head[i].water_ktd >= water
    };
    let staffed = |i: usize| fits(i) && head[i].shortage <= max_shortage;
    candidates
        .iter()
        .copied()
        .find(|&i| staffed(i))
        .or_else(|| candidates.iter().copied().find(|&i| fits(i)))
        .or_else(|| {
            candidates
                .iter()
                .copied()
                .filter(|&i| head[i].land_ha >= land)
                .max_by(|&a, &b| head[a].land_ha.total_cmp(&head[b].land_ha))
        })
}

/// Share of a new project's capex the state holding company offers to pay as equity:
/// its co-investment share, for home projects in its eligible segments (before its
/// yearly budget is checked).
pub fn state_rate(seg: Segment, site: Option<usize>, s: &Scenario, policy: &PolicyNow) -> f64 {
    if site.is_some() && s.policy.state_holding.segments.contains(&seg) {
        policy.state_share
    } else {
        0.0
    }
}

/// Share of a project's capex the state pays: the legacy-capacity subsidy, for mature
/// logic at home.
pub fn subsidy_rate(seg: Segment, site: Option<usize>, policy: &PolicyNow) -> f64 {
    if seg == Segment::MatureLogic && site.is_some() {
        policy.legacy_subsidy.clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// Share of a new project's capex the state pays as the site's land discount: the
/// discount on `kwpm` × `land_ha_per_kwpm` hectares at `land_price_krw_b_per_ha`
/// (conversions and projects under way at the start take no new land).
pub fn land_rate(site: &SiteSpec, p: &DrawnParams, kwpm: f64, capex: f64) -> f64 {
    let discount = site.land_discount.clamp(0.0, 1.0);
    if discount <= 0.0 || capex <= 0.0 {
        return 0.0;
    }
    let land = kwpm * p.investment.land_ha_per_kwpm * p.investment.land_price_krw_b_per_ha;
    (discount * land / capex).min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(credit: f64) -> ModuleCase {
        ModuleCase {
            kwpm: 50.0,
            price_usd: 4500.0,
            usd_krw: 1305.0,
            price_index: 0.9,
            margin0: 0.35,
            depreciation_share: 0.3,
            utilisation: 0.9,
            upgrade_per_kwpm: 12.0,
            capex_per_kwpm: 250.0,
            credit,
            build_years: 2.0,
            carbon_usd_per_wafer: 0.0,
            profit_take: 0.0,
            life_years: 10.0,
            rate: 0.1,
        }
    }

    /// Factors from the table are powi's to the bit: a table too short, one of another
    /// rate and an empty one all give module_npv's number.
    #[test]
    fn discount_table_gives_the_same_npv() {
        let mut d = Discounts::default();
        for (rate, n) in [(0.1, 40), (0.1, 5), (0.07, 40), (0.1, 0), (0.123456789, 13)] {
            d.prepare(rate, n);
            for (build, life) in [(2.0, 10.0), (0.0, 1.0), (3.4, 25.0), (7.0, 40.0)] {
                for r in [0.1, 0.07, 0.123456789] {
                    let m = ModuleCase {
                        build_years: build,
                        life_years: life,
                        rate: r,
                        ..case(0.15)
                    };
                    assert_eq!(
                        module_npv_with(&m, &d).to_bits(),
                        module_npv(&m).to_bits(),
                        "{rate} {n} {build} {life} {r}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_higher_credit_raises_npv() {
        let (lo, hi) = (module_npv(&case(0.15)), module_npv(&case(0.25)));
        assert!(hi > lo);
        assert!((hi - lo - 50.0 * 250.0 * 0.10).abs() < 1e-6);
    }

    #[test]
    fn depreciation_is_added_back_and_upgrades_are_paid() {
        let base = module_npv(&case(0.15));
        let no_dep = module_npv(&ModuleCase {
            depreciation_share: 0.0,
            ..case(0.15)
        });
        let no_upgrade = module_npv(&ModuleCase {
            upgrade_per_kwpm: 0.0,
            ..case(0.15)
        });
        assert!(base > no_dep, "{base} vs {no_dep}");
        assert!(no_upgrade > base);
    }

    #[test]
    fn gaps_round_at_random_to_whole_modules() {
        assert_eq!(modules_for_gap(30.0, 100.0, 0.69, 4.0), 0);
        assert_eq!(modules_for_gap(30.0, 100.0, 0.71, 4.0), 1);
        assert_eq!(modules_for_gap(250.0, 100.0, 0.0, 4.0), 2);
        assert_eq!(modules_for_gap(900.0, 100.0, 0.5, 4.0), 4);
        assert_eq!(modules_for_gap(-50.0, 100.0, 0.99, 4.0), 0);
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
        assert_eq!(choose_site(&[0, 1], &head, 10.0, 100.0, 10.0, 1.0), Some(1));
        assert_eq!(choose_site(&[0, 1], &head, 60.0, 100.0, 10.0, 1.0), Some(0));
        assert_eq!(choose_site(&[0, 1], &head, 200.0, 0.0, 0.0, 1.0), None);
    }

    #[test]
    fn a_short_staffed_site_is_passed_over_when_another_fits() {
        let room = Headroom {
            land_ha: 100.0,
            power_mw: 500.0,
            water_ktd: 50.0,
            shortage: 0.0,
        };
        let head = [
            Headroom {
                shortage: 0.3,
                ..room
            },
            room,
        ];
        assert_eq!(choose_site(&[0, 1], &head, 10.0, 10.0, 1.0, 0.15), Some(1));
        // Every candidate short of staff: the first that fits.
        let head = [
            Headroom {
                shortage: 0.3,
                ..room
            },
            Headroom {
                shortage: 0.4,
                ..room
            },
        ];
        assert_eq!(choose_site(&[0, 1], &head, 10.0, 10.0, 1.0, 0.15), Some(0));
    }
}
