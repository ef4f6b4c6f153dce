//! Behaviour tests: the levers move outcomes the way the mechanisms say they should.

use megacluster::scenario::schedule::Schedule;

mod common;

#[test]
fn a_higher_tax_credit_does_not_lower_expected_investment() {
    let base = common::load("baseline");
    let mut more = base.clone();
    more.policy.tax_credit_large = Schedule::Constant(0.30);
    more.policy.tax_credit_sme = Schedule::Constant(0.40);
    let (a, b) = (
        common::mean(&base, 60, "investment_krw_t", 2042),
        common::mean(&more, 60, "investment_krw_t", 2042),
    );
    assert!(b >= a, "investment with more credit {b} < baseline {a}");
}

#[test]
fn a_power_shortfall_delays_fabs() {
    let base = common::load("baseline");
    let late = common::load("power-delay");
    assert!(
        common::mean(&late, 60, "infra_delay_years", 2042)
            > common::mean(&base, 60, "infra_delay_years", 2042)
    );
    assert!(
        common::mean(&late, 60, "cluster_fabs", 2033)
            < common::mean(&base, 60, "cluster_fabs", 2033)
    );
    // With no power at all in the cluster, no fab there ever runs.
    let mut dark = base.clone();
    for site in dark.sites.iter_mut().filter(|s| s.in_cluster) {
        site.power_additions.clear();
    }
    assert_eq!(common::mean(&dark, 20, "cluster_fabs", 2042), 0.0);
    assert!(common::mean(&dark, 20, "infra_delay_years", 2042) > 0.0);
}

#[test]
fn removing_fabless_support_lowers_the_expected_number_of_1t_firms() {
    let base = common::load("strong-support");
    let mut none = base.clone();
    none.policy.fabless_support_krw_b = Schedule::Constant(0.0);
    let (with, without) = (
        common::mean(&base, 80, "fabless_1t_firms", 2042),
        common::mean(&none, 80, "fabless_1t_firms", 2042),
    );
    assert!(without < with, "without support {without} >= with {with}");
}
