//! The policy levers an analyst pulls, each with the range it is studied over and the
//! outcome it must move: `megacluster levers` runs every lever at both ends of its range
//! (the others at the scenario's values, same seed and runs: common random numbers) and
//! reports what each moves. `tests/levers.rs` fails when a lever stops moving its outcome
//! by [`MIN_EFFECT`] in its direction; the README's lever table comes from the same run.

use crate::error::RunError;
use crate::scenario::Scenario;
use crate::sim::results::EnsembleResult;
use crate::tune::{Evaluator, Outcome, ParamRange, parse_range};

/// Smallest relative change of a lever's outcome between the ends of its range.
pub const MIN_EFFECT: f64 = 0.02;

/// A lever: its path, the range it is studied over, the outcome it must move and why.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lever {
    /// Parameter path (`megacluster params`).
    pub path: &'static str,
    /// Low end of the studied range.
    pub lo: f64,
    /// High end.
    pub hi: f64,
    /// The outcome it must move, `METRIC@YEAR`.
    pub outcome: &'static str,
    /// +1: the outcome rises with the lever; -1: it falls.
    pub sign: f64,
    /// The mechanism, in a sentence, for the README's table.
    pub why: &'static str,
    /// Where the range comes from.
    pub range_source: &'static str,
    /// A model parameter that must be positive for the lever to act (its mechanism is
    /// switched off otherwise), and a shipped scenario where it is.
    pub needs: Option<(&'static str, &'static str)>,
}

/// Every lever of the strategy, in the order of the README's table. R&D programmes are
/// listed by the names the shipped scenarios give them; a scenario without one skips it.
pub const LEVERS: &[Lever] = &[
    Lever {
        path: "policy.tax_credit_large",
        lo: 0.0,
        hi: 0.3,
        outcome: "cluster_investment_krw_t@2031",
        sign: 1.0,
        why: "lowers the net capex of every home module, so more modules have a positive NPV; of the segments, mature logic, with the thinnest margin, gains most",
        needs: None,
        range_source: "0 (no credit) to 30 % (K-Chips Act 2025 proposals; 15 % in 2023, 20 % from 2025)",
    },
    Lever {
        path: "policy.tax_credit_sme",
        lo: 0.0,
        hi: 0.35,
        outcome: "cluster_entities@2031",
        sign: 1.0,
        why: "raises the rate at which suppliers and design SMEs enter the cluster (entry rate × (1 + effect × credit)) and the credit on SME packaging lines",
        needs: None,
        range_source: "0 to 35 % (25 % in 2023, 30 % proposed for national strategic technology)",
    },
    Lever {
        path: "policy.tax_credit_incremental",
        lo: 0.0,
        hi: 0.1,
        outcome: "capacity_kwpm.MatureLogic@2042",
        sign: 1.0,
        why: "adds to the credit rate on new modules, so marginal modules (mature logic first) pay",
        needs: None,
        range_source: "0 to 10 % (the temporary 10 % of 2023)",
    },
    Lever {
        path: "policy.infra_fund_krw_b",
        lo: 0.0,
        hi: 1000.0,
        outcome: "cluster_fabs@2031",
        sign: 1.0,
        why: "pays power and water additions forward, so Yongin's fabs stop waiting for grid and water",
        needs: None,
        range_source: "0 to KRW 1T a year (KRW 100B by 2023; the cluster's public works cost several T)",
    },
    Lever {
        path: "policy.permit_timeout_years",
        lo: 1.0,
        hi: 6.0,
        outcome: "site_capacity_kwpm.Yongin General@2028",
        sign: -1.0,
        why: "caps how long a permit may take: with a long timeout SK hynix's first Yongin fab and its power line wait longer",
        needs: None,
        range_source: "1 year (a strict timeout) to 6 years (Yongin's power-line permits took that long)",
    },
    Lever {
        path: "policy.talent_programme_engineers",
        lo: 0.0,
        hi: 10000.0,
        outcome: "talent_shortage@2031",
        sign: -1.0,
        why: "adds engineers to the pools after the STEM lag; a smaller shortage lets ramps and fabless growth run at full speed",
        needs: None,
        range_source: "0 to 10,000 a year (150,000 trained by 2031 is ~15,000 a year, not all reaching fabs)",
    },
    Lever {
        path: "policy.foreign_talent_engineers",
        lo: 0.0,
        hi: 5000.0,
        outcome: "talent_shortage@2031",
        sign: -1.0,
        why: "foreign engineers join the pools at once (no lag), so they close the shortage sooner than training does",
        needs: None,
        range_source: "0 to 5,000 a year (specialised-visa proposals; hundreds a year in 2023)",
    },
    Lever {
        path: "policy.fabless_support_krw_b",
        lo: 0.0,
        hi: 300.0,
        outcome: "fabless_1t_firms@2042",
        sign: 1.0,
        why: "more supported projects: each lifts a firm's growth the year after, most for firms small against the grant",
        needs: None,
        range_source: "0 to KRW 300B a year (~KRW 130B in 2023, 250B planned for 2024)",
    },
    Lever {
        path: "policy.support_per_project_krw_b",
        lo: 3.0,
        hi: 10.0,
        outcome: "fabless_sales_krw_t@2031",
        sign: -1.0,
        why: "with the budget fixed, larger grants mean fewer supported firms, and the growth a grant buys saturates with its size",
        needs: None,
        range_source: "KRW 3B to 10B a project (KRW 5-8B in the programme)",
    },
    Lever {
        path: "policy.overseas_share",
        lo: 0.0,
        hi: 0.6,
        outcome: "cluster_investment_krw_t@2042",
        sign: -1.0,
        why: "sends that share of every new mass-production module (pledged or not, mother fabs excepted) abroad, so home capacity and cluster capex fall",
        needs: None,
        range_source: "0 (all at home) to 60 % (Samsung and SK hynix build in the US and China)",
    },
    Lever {
        path: "policy.legacy_capex_subsidy",
        lo: 0.0,
        hi: 0.3,
        outcome: "capacity_kwpm.MatureLogic@2042",
        sign: 1.0,
        why: "pays part of mature-logic capex at home, so legacy modules and memory-line conversions pay",
        needs: None,
        range_source: "0 to 30 % (legacy-chip support plans; China's and the US's legacy subsidies)",
    },
    Lever {
        path: "policy.mature_sourcing_share",
        lo: 0.05,
        hi: 0.4,
        outcome: "capacity_kwpm.MatureLogic@2042",
        sign: 1.0,
        why: "more Korean mature-node demand (cars, appliances) is booked at home foundries, widening their expected gap",
        needs: None,
        range_source: "5 % to 40 % of Korean mature-node demand (~10 % in 2023; automotive-chip localisation targets)",
    },
    Lever {
        path: "policy.rnd_programmes.mpe_localisation.budget_krw_b",
        lo: 0.0,
        hi: 500.0,
        outcome: "mpe_localisation@2031",
        sign: 1.0,
        why: "each KRW 1T of grants paid to MPE suppliers raises the localisation rate by `localisation_rnd_gain` (domestic tools and materials qualified at home fabs), against a slow decay towards the start",
        needs: None,
        range_source: "0 to KRW 500B a year (MPE R&D support ~KRW 250B a year: assumption)",
    },
    Lever {
        path: "policy.rnd_programmes.next_generation.budget_krw_b",
        lo: 0.0,
        hi: 800.0,
        outcome: "fabless_sales_krw_t@2042",
        sign: 1.0,
        why: "grants to fabless firms and design houses (and the R&D hub) raise their technology level and growth",
        needs: None,
        range_source: "0 to KRW 800B a year (KRW 3.2T by 2030 is ~400B a year)",
    },
    Lever {
        path: "policy.rnd_programmes.packaging.budget_krw_b",
        lo: 0.0,
        hi: 200.0,
        outcome: "mpe_localisation@2042",
        sign: 1.0,
        why: "its grants go to packaging firms and to equipment and materials suppliers; the suppliers' share counts as MPE grants, which raise the localisation rate",
        needs: None,
        range_source: "0 to KRW 200B a year (KRW 274.4B over 7 years is ~39B a year)",
    },
    Lever {
        path: "policy.tech_protection",
        lo: 0.0,
        hi: 1.0,
        outcome: "foundry_share@2042",
        sign: 1.0,
        why: "prevents that share of technology leaks abroad; a leak lowers a firm's technology level for good, and with it a chip maker's utilisation: Korea's foundry sales, which face the rest of the world's, lose most (chip makers' sales 2042 move about 1.7 %)",
        needs: Some(("model.rnd.leak_probability", "leakage.ron")),
        range_source: "no protection to every leak prevented (the 2024 amendment of the industrial technology act: fines x4, punitive damages 5x)",
    },
    Lever {
        path: "policy.state_holding.coinvest_share",
        lo: 0.0,
        hi: 0.4,
        outcome: "capacity_kwpm.MatureLogic@2042",
        sign: 1.0,
        why: "the state pays that share of eligible home projects' capex as equity, so modules need less of the firm's money and thin-margin mature logic starts to pay",
        needs: Some(("policy.state_holding.budget_krw_b", "state-holding.ron")),
        range_source: "none to 40 % of capex (public-private foundry plans; the state's stake in a 40 nm foundry under review)",
    },
    Lever {
        path: "policy.state_holding.profit_share",
        lo: 0.0,
        hi: 1.0,
        outcome: "capacity_kwpm.MatureLogic@2042",
        sign: -1.0,
        why: "the more of its pro-rata profit the state takes, the less the firm's modules earn, so fewer pay",
        needs: Some(("policy.state_holding.budget_krw_b", "state-holding.ron")),
        range_source: "a silent partner (0) to commercial terms (1)",
    },
    Lever {
        path: "policy.state_holding.budget_krw_b",
        lo: 0.0,
        hi: 8000.0,
        outcome: "capacity_kwpm.MatureLogic@2042",
        sign: 1.0,
        why: "caps how much the state commits a year; beyond it projects start without equity",
        needs: Some(("policy.state_holding.coinvest_share", "state-holding.ron")),
        range_source: "0 to KRW 8T a year (the National Growth Fund: ~KRW 20T for chips over 5 years, 4.2T in 2026)",
    },
];

/// The outcomes analysts ask about: each lever's effect on them is reported (those a
/// scenario does not record, such as a site it lacks, are left out).
pub const OUTCOMES: &[&str] = &[
    "cluster_entities@2031",
    "cluster_entities@2042",
    "site_capacity_kwpm.Yongin National@2031",
    "site_capacity_kwpm.Yongin General@2031",
    "cluster_investment_krw_t@2031",
    "cluster_investment_krw_t@2042",
    "cluster_fabs@2031",
    "cluster_fabs@2042",
    "capacity_kwpm.Memory@2042",
    "capacity_kwpm.AdvancedLogic@2042",
    "capacity_kwpm.MatureLogic@2042",
    "capacity_kwpm.AdvancedPackaging@2042",
    "memory_home_share@2042",
    "foundry_share@2042",
    "fabless_1t_firms@2042",
    "fabless_sales_krw_t@2031",
    "fabless_sales_krw_t@2042",
    "mpe_localisation@2031",
    "mpe_localisation@2042",
    "talent_shortage@2031",
    "talent_shortage@2042",
    "manufacturing_sales_krw_t@2042",
];

/// The relative change from `lo` to `hi`: (hi - lo) / max(|lo|, |hi|), in -1..1, 0 when
/// both are 0 (a change from 0 is a full change, however small).
pub fn relative_change(lo: f64, hi: f64) -> f64 {
    let d = lo.abs().max(hi.abs());
    if d > 0.0 && d.is_finite() {
        (hi - lo) / d
    } else {
        0.0
    }
}

/// One outcome at both ends of a lever's range.
#[derive(Debug, Clone, PartialEq)]
pub struct Effect {
    /// `METRIC@YEAR`.
    pub outcome: String,
    /// Ensemble mean with the lever at its low end.
    pub at_lo: f64,
    /// At its high end.
    pub at_hi: f64,
}

impl Effect {
    /// Relative change, see [`relative_change`].
    pub fn change(&self) -> f64 {
        relative_change(self.at_lo, self.at_hi)
    }
}

/// A lever's result.
#[derive(Debug, Clone, PartialEq)]
pub struct LeverResult {
    /// The lever.
    pub lever: Lever,
    /// Its own outcome.
    pub own: Effect,
    /// Every analyst outcome, largest relative change first.
    pub all: Vec<Effect>,
}

impl LeverResult {
    /// The lever moves its outcome by at least [`MIN_EFFECT`] in its direction.
    pub fn acts(&self) -> bool {
        self.own.change() * self.lever.sign >= MIN_EFFECT
    }
}

/// Whether a lever's mechanism is switched on in a scenario (its `needs` parameter,
/// if any, has a positive upper end).
pub fn switched_on(s: &Scenario, l: &Lever) -> bool {
    l.needs.is_none_or(|(path, _)| {
        crate::scenario::paths::get(s, path).is_ok_and(|p| p.support.1 > 0.0)
    })
}

/// The levers a scenario has (paths that exist, mechanisms switched on), with their
/// ranges checked.
pub fn levers_of(s: &Scenario) -> Result<Vec<(Lever, ParamRange)>, RunError> {
    let mut out = Vec::new();
    for l in LEVERS {
        if crate::scenario::paths::get(s, l.path).is_err() || !switched_on(s, l) {
            continue;
        }
        let r = parse_range(s, &format!("{}={}..{}", l.path, l.lo, l.hi))?;
        out.push((*l, r));
    }
    Ok(out)
}

/// `list` restricted to the levers named in `names` (all of it when `names` is empty).
/// A name that is no lever, or a lever this scenario lacks or switches off, is an error
/// saying which, and what to use instead.
pub fn only(
    s: &Scenario,
    list: Vec<(Lever, ParamRange)>,
    names: &[String],
) -> Result<Vec<(Lever, ParamRange)>, RunError> {
    if names.is_empty() {
        return Ok(list);
    }
    for name in names {
        if list.iter().any(|(l, _)| l.path == name) {
            continue;
        }
        let why = match LEVERS.iter().find(|l| l.path == name) {
            Some(l) => match l.needs {
                Some((path, file)) if !switched_on(s, l) => format!(
                    "its mechanism is switched off in this scenario (needs {path} > 0)\n  help: study it on scenarios/{file}"
                ),
                _ => "this scenario does not have it".to_string(),
            },
            None => {
                let help = super::nearest(name, LEVERS.iter().map(|l| l.path)).map_or_else(
                    || "`megacluster levers FILE` without --lever studies every lever".to_string(),
                    |b| format!("did you mean `{b}`?"),
                );
                format!("it is not a lever\n  help: {help}")
            }
        };
        return Err(RunError::Usage(format!("`--lever {name}`: {why}")));
    }
    Ok(list
        .into_iter()
        .filter(|(l, _)| names.iter().any(|n| n == l.path))
        .collect())
}

/// The levers a scenario leaves out because their mechanism is switched off there, each
/// as "`path` (needs `parameter` > 0; studied on `scenario`)".
pub fn left_out(s: &Scenario) -> Vec<String> {
    LEVERS
        .iter()
        .filter(|l| crate::scenario::paths::get(s, l.path).is_ok() && !switched_on(s, l))
        .filter_map(|l| {
            l.needs.map(|(path, file)| {
                format!("{} (needs {path} > 0; studied on scenarios/{file})", l.path)
            })
        })
        .collect()
}

fn effect(o: &Outcome, lo: &EnsembleResult, hi: &EnsembleResult) -> Effect {
    Effect {
        outcome: o.label(),
        at_lo: o.value(lo),
        at_hi: o.value(hi),
    }
}

/// Runs every lever at both ends; `make` builds the evaluator of one lever's range.
pub fn run<'a>(
    s: &Scenario,
    levers: &[(Lever, ParamRange)],
    make: &dyn Fn(ParamRange) -> Evaluator<'a>,
) -> Result<Vec<LeverResult>, RunError> {
    let outcomes: Vec<Outcome> = OUTCOMES
        .iter()
        .filter_map(|o| Outcome::parse(s, o).ok())
        .collect();
    let mut out = Vec::new();
    for (l, r) in levers {
        let ev = make(r.clone());
        let (lo, hi) = (ev.eval(&[r.lo])?, ev.eval(&[r.hi])?);
        let own = effect(&Outcome::parse(s, l.outcome)?, &lo, &hi);
        let mut all: Vec<Effect> = outcomes.iter().map(|o| effect(o, &lo, &hi)).collect();
        all.sort_by(|a, b| {
            b.change()
                .abs()
                .total_cmp(&a.change().abs())
                .then_with(|| a.outcome.cmp(&b.outcome))
        });
        out.push(LeverResult {
            lever: *l,
            own,
            all,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_changes_are_signed_and_bounded() {
        assert_eq!(relative_change(0.0, 0.0), 0.0);
        assert_eq!(relative_change(0.0, 3.0), 1.0);
        assert_eq!(relative_change(4.0, 2.0), -0.5);
        assert!((relative_change(100.0, 102.0) - 2.0 / 102.0).abs() < 1e-12);
        // Adding nothing but scaling both ends leaves the change alone.
        assert_eq!(relative_change(3.0, 6.0), relative_change(30.0, 60.0));
    }

    #[test]
    fn every_lever_of_the_baseline_is_listed_once_with_a_valid_range() {
        let s = crate::scenario::load_file(&std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scenarios/baseline.ron"
        )))
        .unwrap();
        let ls = levers_of(&s).unwrap();
        let unconditional = LEVERS.iter().filter(|l| l.needs.is_none()).count();
        assert_eq!(
            ls.len(),
            unconditional,
            "the baseline has every lever it can move"
        );
        // The others are named, with the scenario that switches their mechanism on.
        let out = left_out(&s);
        assert_eq!(ls.len() + out.len(), LEVERS.len());
        assert!(
            out.iter()
                .any(|l| l.starts_with("policy.tech_protection") && l.contains("leakage.ron")),
            "{out:?}"
        );
        let mut paths: Vec<&str> = LEVERS.iter().map(|l| l.path).collect();
        paths.sort_unstable();
        paths.dedup();
        assert_eq!(paths.len(), LEVERS.len());
        // Every policy schedule and R&D budget of the baseline is a lever.
        for p in crate::scenario::paths::list(&s) {
            if p.path.starts_with("policy.") && !p.path.contains("recipients") {
                assert!(
                    LEVERS.iter().any(|l| l.path == p.path),
                    "{} is a policy input without a lever entry",
                    p.path
                );
            }
        }
        for l in LEVERS {
            assert!(
                l.lo < l.hi && (l.sign == 1.0 || l.sign == -1.0),
                "{}",
                l.path
            );
            assert!(Outcome::parse(&s, l.outcome).is_ok(), "{}", l.outcome);
        }
        for o in OUTCOMES {
            assert!(Outcome::parse(&s, o).is_ok(), "{o}");
        }
    }
}
