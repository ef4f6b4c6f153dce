//! Policy levers: yearly schedules and R&D programme budgets.

use super::SlotMut as S;
use super::visit::Visitor;
use crate::scenario::policy::PolicySpec;

/// `policy.*` and `policy.rnd_programmes.<name>.*`.
pub(super) fn visit(v: &mut Visitor<'_>, pol: &mut PolicySpec) {
    v.within("policy", |v| {
        v.context("policy: ".into());
        for (f, sched, unit, desc, lo, hi) in [
            (
                "tax_credit_large",
                &mut pol.tax_credit_large,
                "fraction of capex",
                "Facility investment tax credit for large firms",
                0.0,
                1.0,
            ),
            (
                "tax_credit_sme",
                &mut pol.tax_credit_sme,
                "fraction of capex",
                "Facility investment tax credit for SMEs",
                0.0,
                1.0,
            ),
            (
                "tax_credit_incremental",
                &mut pol.tax_credit_incremental,
                "fraction",
                "Extra credit rate added to every new project's rate that year (the law grants it only on investment above the firm's previous three-year average, a base the model does not track: MODEL.md section 10)",
                0.0,
                1.0,
            ),
            (
                "infra_fund_krw_b",
                &mut pol.infra_fund_krw_b,
                "KRW B/yr",
                "Public infrastructure fund: pulls power and water additions forward",
                0.0,
                1e7,
            ),
            (
                "permit_timeout_years",
                &mut pol.permit_timeout_years,
                "years",
                "Permit timeout: the longest a permit may take (0 = no timeout)",
                0.0,
                50.0,
            ),
            (
                "talent_programme_engineers",
                &mut pol.talent_programme_engineers,
                "engineers/yr",
                "Engineers added per year by talent programmes",
                0.0,
                1e7,
            ),
            (
                "fabless_support_krw_b",
                &mut pol.fabless_support_krw_b,
                "KRW B/yr",
                "Fabless support budget (prototype and mass-production support)",
                0.0,
                1e7,
            ),
            (
                "support_per_project_krw_b",
                &mut pol.support_per_project_krw_b,
                "KRW B",
                "Support per selected project",
                0.0,
                1e7,
            ),
            (
                "overseas_share",
                &mut pol.overseas_share,
                "fraction",
                "Share of new mass-production capacity placed abroad",
                0.0,
                1.0,
            ),
            (
                "foreign_talent_engineers",
                &mut pol.foreign_talent_engineers,
                "engineers/yr",
                "Foreign engineers admitted per year (they join at once)",
                0.0,
                1e7,
            ),
            (
                "legacy_capex_subsidy",
                &mut pol.legacy_capex_subsidy,
                "fraction",
                "Share of mature-logic capex at home paid by the state",
                0.0,
                1.0,
            ),
            (
                "mature_sourcing_share",
                &mut pol.mature_sourcing_share,
                "fraction",
                "Share of Korean mature-node demand booked at home foundries",
                0.0,
                1.0,
            ),
            (
                "tech_protection",
                &mut pol.tech_protection,
                "fraction",
                "Share of technology leaks abroad prevented by protection (industrial technology act)",
                0.0,
                1.0,
            ),
        ] {
            v.at(f, S::Sched(sched), unit, desc, lo, hi);
        }
        let sh = &mut pol.state_holding;
        v.within("state_holding", |v| {
            v.context("policy: state holding company: ".into());
            for (f, sched, unit, desc, lo, hi) in [
                (
                    "coinvest_share",
                    &mut sh.coinvest_share,
                    "fraction of capex",
                    "State holding company: share of an eligible new home project's capex paid as equity",
                    0.0,
                    0.9,
                ),
                (
                    "profit_share",
                    &mut sh.profit_share,
                    "fraction",
                    "State holding company: share of its pro-rata part of the fab's profit it takes (1 = commercial terms)",
                    0.0,
                    1.0,
                ),
                (
                    "budget_krw_b",
                    &mut sh.budget_krw_b,
                    "KRW B/yr",
                    "State holding company: most it commits in a year",
                    0.0,
                    1e7,
                ),
            ] {
                v.at(f, S::Sched(sched), unit, desc, lo, hi);
            }
        });
        v.within("rnd_programmes", |v| {
            for (name, prog) in &mut pol.rnd_programmes {
                v.key(name, |v| {
                    v.context(format!("R&D programme `{name}`: "));
                    v.at(
                    "budget_krw_b",
                    S::Sched(&mut prog.budget_krw_b),
                    "KRW B/yr",
                    "Budget of a government R&D programme",
                    0.0,
                    1e7,
                );
                });
            }
        });
    });
}
