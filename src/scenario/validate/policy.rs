//! Policy: its yearly schedules, the state holding company and the R&D programmes.

use super::checker::{Checker, allowed, field_of, join};
use crate::numbers::for_message;
use crate::scenario::Scenario;
use crate::scenario::locate::Seg;
use crate::scenario::schedule::Schedule;

/// Every policy schedule in range in every year it names.
pub(super) fn check_policy(c: &mut Checker, s: &Scenario) {
    let p = &s.policy;
    let checks: [(&'static str, &Schedule, f64, f64); 13] = [
        ("tax_credit_large", &p.tax_credit_large, 0.0, 1.0),
        ("tax_credit_sme", &p.tax_credit_sme, 0.0, 1.0),
        (
            "tax_credit_incremental",
            &p.tax_credit_incremental,
            0.0,
            1.0,
        ),
        ("infra_fund_krw_b", &p.infra_fund_krw_b, 0.0, 1e7),
        ("permit_timeout_years", &p.permit_timeout_years, 0.0, 50.0),
        (
            "talent_programme_engineers",
            &p.talent_programme_engineers,
            0.0,
            1e7,
        ),
        ("fabless_support_krw_b", &p.fabless_support_krw_b, 0.0, 1e7),
        (
            "support_per_project_krw_b",
            &p.support_per_project_krw_b,
            0.0,
            1e7,
        ),
        ("overseas_share", &p.overseas_share, 0.0, 1.0),
        (
            "foreign_talent_engineers",
            &p.foreign_talent_engineers,
            0.0,
            1e7,
        ),
        ("legacy_capex_subsidy", &p.legacy_capex_subsidy, 0.0, 1.0),
        ("mature_sourcing_share", &p.mature_sourcing_share, 0.0, 1.0),
        ("tech_protection", &p.tech_protection, 0.0, 1.0),
    ];
    for (field, sched, lo, hi) in checks {
        schedule(c, &path![F("policy"), F(field)], "policy: ", sched, lo, hi);
    }
    let sh = &p.state_holding;
    for (field, sched, lo, hi) in [
        ("coinvest_share", &sh.coinvest_share, 0.0, 0.9),
        ("profit_share", &sh.profit_share, 0.0, 1.0),
        ("budget_krw_b", &sh.budget_krw_b, 0.0, 1e7),
    ] {
        schedule(
            c,
            &path![F("policy"), F("state_holding"), F(field)],
            "policy: state holding company: ",
            sched,
            lo,
            hi,
        );
    }
    for (name, prog) in &p.rnd_programmes {
        let q = path![
            F("policy"),
            F("rnd_programmes"),
            K(name.clone()),
            F("budget_krw_b")
        ];
        let ctx = format!("R&D programme `{name}`: ");
        schedule(c, &q, &ctx, &prog.budget_krw_b, 0.0, 1e7);
    }
}

/// One schedule: its value, or each year's value, in `lo..=hi`, and its years valid.
fn schedule(c: &mut Checker, p: &[Seg], ctx: &str, sched: &Schedule, lo: f64, hi: f64) {
    for (year, v) in sched.entries() {
        match year {
            None => c.range(p, ctx, v, lo, hi),
            Some(y) => {
                let q = join(p, &[Seg::K(y.to_string())]);
                c.year(&join(p, &[Seg::KeyOf(y.to_string())]), ctx, y);
                if !(v.is_finite() && v >= lo && v <= hi) {
                    let field = field_of(p);
                    c.at(
                        &q,
                        format!(
                            "{ctx}`{field}` in {y} is {}, but it must be {}",
                            for_message(v),
                            allowed(lo, hi)
                        ),
                        Some(format!("use a finite number {}", allowed(lo, hi))),
                    );
                }
            }
        }
    }
}
