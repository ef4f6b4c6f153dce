//! Calibration: the uncertain parameters of a scenario fitted to observations by ABC-SMC
//! (`abc`), each particle an ensemble with common random numbers (`Evaluator`) scored
//! against the observations as the hindcast scores an ensemble.
//!
//! # Distance
//!
//! For a particle θ, each observation i gets the CRPS of the particle's runs against the
//! observed point yᵢ (`crate::sim::hindcast::crps_sorted`; a range's midpoint), divided
//! by sᵢ, the standard deviation of that observation's values across every run of every
//! generation-0 particle (the prior predictive spread). The distance is the mean of
//! CRPSᵢ / sᵢ over the observations with sᵢ > 0, so units cancel and an observation counts
//! by how far off the particle is relative to how much the prior lets it vary. An
//! observation that no prior particle moves (sᵢ = 0) carries no information and is left
//! out. Fixing the scales after generation 0 keeps distances comparable across
//! generations, as the tolerances need.

use super::abc::{self, Abc, Settings};
use super::{Evaluator, ParamRange, precise};
use crate::error::RunError;
use crate::scenario::Scenario;
use crate::scenario::paths::{self, Override};
use crate::sim::hindcast::{self, Plan, crps_sorted};

/// The scenario cut to the years the observations need (the last observed year), with the
/// targets beyond it dropped: the model steps year by year, so the observed years come
/// out exactly as in the whole run (checked by `tests/calibrate.rs`), at a fraction of the
/// cost.
pub fn observed_span(s: &Scenario, plan: &Plan) -> Scenario {
    let last = plan
        .observations()
        .iter()
        .map(|o| o.year)
        .max()
        .unwrap_or(s.end_year)
        .clamp(s.start_year, s.end_year);
    let mut cut = s.clone();
    cut.end_year = last;
    cut.targets.retain(|t| t.year <= last);
    cut
}

/// A finished calibration.
#[derive(Debug, Clone)]
pub struct Calibration {
    /// The populations.
    pub abc: Abc,
    /// Per observation, the scale of its score (0: left out of the distance).
    pub scales: Vec<f64>,
}

/// The CRPS of each observation of `plan` against `values` (per observation, sorted);
/// NaN where there are none.
fn crps(plan: &Plan, values: &[Vec<f64>]) -> Vec<f64> {
    plan.observations()
        .iter()
        .zip(values)
        .map(|(o, xs)| {
            if xs.is_empty() {
                f64::NAN
            } else {
                crps_sorted(xs, o.observed.point()).max(0.0)
            }
        })
        .collect()
}

/// The prior box of `params`, as [`abc::Smc`] takes it.
pub fn bounds(params: &[ParamRange]) -> Vec<(f64, f64)> {
    params.iter().map(|p| (p.lo, p.hi)).collect()
}

/// Per proposal of `batch`, the values of each observation of `plan` across its
/// ensemble's runs (sorted). The proposals are evaluated in parallel by
/// [`Evaluator::eval_each`], so the result does not depend on the thread count.
pub fn observe(
    ev: &Evaluator,
    plan: &Plan,
    batch: &[Vec<f64>],
) -> Result<Vec<Vec<Vec<f64>>>, RunError> {
    ev.eval_each(batch, &|s, o| hindcast::values(s, plan, o))
}

/// The scales of the distance from what generation 0 observed (`values` per proposal, in
/// order): every run of every proposal pooled per observation.
pub fn scales_of(plan: &Plan, values: &[Vec<Vec<f64>>]) -> Vec<f64> {
    let mut pooled: Vec<Vec<f64>> = vec![Vec::new(); plan.observations().len()];
    for v in values {
        for (p, xs) in pooled.iter_mut().zip(v) {
            p.extend_from_slice(xs);
        }
    }
    abc::scales(&pooled)
}

/// The distance of each proposal from what it observed.
pub fn distances(plan: &Plan, values: &[Vec<Vec<f64>>], scales: &[f64]) -> Vec<f64> {
    values
        .iter()
        .map(|v| abc::distance(&crps(plan, v), scales))
        .collect()
}

/// Evaluates every round `smc` has left; `scales` are set from generation 0 when it is
/// evaluated here (else they are those it was evaluated with).
pub fn go_on(
    ev: &Evaluator,
    plan: &Plan,
    smc: &mut abc::Smc<'_>,
    scales: &mut Vec<f64>,
) -> Result<(), RunError> {
    while let Some(round) = smc.pending() {
        let values = observe(ev, plan, &round.proposals)?;
        if round.generation == 0 {
            *scales = scales_of(plan, &values);
        }
        smc.record(distances(plan, &values, scales));
    }
    Ok(())
}

/// Calibrates `ev.params` against `plan`'s observations, from the start.
pub fn run(ev: &Evaluator, plan: &Plan, settings: &Settings) -> Result<Calibration, RunError> {
    let bounds = bounds(&ev.params);
    let mut smc = abc::Smc::new(&bounds, settings);
    let mut scales = Vec::new();
    go_on(ev, plan, &mut smc, &mut scales)?;
    Ok(Calibration {
        abc: smc.finish(),
        scales,
    })
}

/// A parameter's posterior summary.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Weighted mean.
    pub mean: f64,
    /// Weighted standard deviation.
    pub sd: f64,
    /// Weighted 5 %, 50 % and 95 % quantiles.
    pub q: [f64; 3],
    /// The fitted distribution, as RON text: `Triangular(lo, mode, hi)`.
    pub fitted: String,
}

/// The posterior summary of every parameter.
pub fn summaries(c: &Calibration, params: &[ParamRange]) -> Vec<Summary> {
    let post = &c.abc.posterior().particles;
    params
        .iter()
        .enumerate()
        .map(|(d, p)| {
            let (mean, var) = abc::weighted_mean_var(post, d);
            let sd = var.max(0.0).sqrt();
            let (a, m, b) = abc::fit_triangular(mean, sd, p.lo, p.hi);
            Summary {
                mean,
                sd,
                q: [0.05, 0.5, 0.95].map(|q| abc::weighted_quantile(post, d, q)),
                fitted: format!(
                    "Triangular({}, {}, {})",
                    ron_number(a),
                    ron_number(m),
                    ron_number(b)
                ),
            }
        })
        .collect()
}

/// A number for RON text: four significant digits, always with a decimal point.
fn ron_number(x: f64) -> String {
    let t = precise(x);
    if t.contains('.') { t } else { format!("{t}.0") }
}

/// The calibrated scenario's text: `text` (the file calibrated) with the `--set`
/// overrides and each fitted distribution written in place of the old value and the name
/// `name`, comments and layout kept, under a header saying where it comes from. Where a
/// value is not written in the file (left at its default) the whole scenario is written
/// out instead, every default explicit. Either way it is loaded and checked before it is
/// returned.
pub fn calibrated_text(
    s: &Scenario,
    text: &str,
    overrides: &[Override],
    fitted: &[(String, String)],
    name: &str,
    header: &str,
) -> Result<String, RunError> {
    let comment: String = header.lines().map(|l| format!("// {l}\n")).collect();
    let quoted = format!("{name:?}");
    let changes = overrides
        .iter()
        .map(|o| (o.path.as_str(), o.value.as_str()))
        .chain(fitted.iter().map(|(p, v)| (p.as_str(), v.as_str())))
        .chain(std::iter::once(("name", quoted.as_str())));
    let mut spliced = Some(text.to_owned());
    for (path, value) in changes {
        spliced = spliced.and_then(|t| paths::replace_value(&t, path, value));
    }
    let check = |t: &str| -> Result<Scenario, RunError> {
        let c = crate::scenario::load_str(t, "calibrated.ron")?;
        for (path, value) in fitted {
            let got = paths::get(&c, path)?;
            let want = {
                let mut probe = c.clone();
                paths::set(&mut probe, path, &paths::NewValue::Text(value.clone()))?;
                paths::get(&probe, path)?.value
            };
            if got.value != want {
                return Err(RunError::Usage(format!(
                    "internal: calibrated.ron has {} = {} instead of {value}",
                    path, got.value
                )));
            }
        }
        Ok(c)
    };
    if let Some(t) = spliced
        && check(&t).is_ok()
    {
        return Ok(format!("{comment}{t}"));
    }
    let mut whole = s.clone();
    whole.name = name.to_owned();
    for (path, value) in fitted {
        paths::set(&mut whole, path, &paths::NewValue::Text(value.clone()))?;
    }
    let t = String::from_utf8_lossy(&crate::scenario::load::scenario_ron(&whole)).into_owned();
    check(&t)?;
    Ok(format!("{comment}{t}"))
}

/// Synthetic observations for a recovery check (simulation-based calibration): the
/// scenario with each of `params` pinned at `truth`, run `runs` times with `seed`, and
/// the median of each `(metric, year)` of `cells` written as an observations file (the
/// format of `data/observed.csv`, levels only).
pub fn synthetic_observations(
    s: &Scenario,
    params: &[ParamRange],
    truth: &[f64],
    cells: &[(&str, i32)],
    runs: usize,
    seed: u64,
) -> Result<String, RunError> {
    let mut at = s.clone();
    for (p, &x) in params.iter().zip(truth) {
        paths::set(&mut at, &p.path, &paths::NewValue::Pinned(x))?;
    }
    let ens = crate::sim::run_ensemble(
        &std::sync::Arc::new(at),
        &crate::sim::EnsembleOptions {
            runs,
            seed,
            threads: 0,
            keep_runs: 0,
            progress: None,
        },
    )?;
    let r = &ens.result;
    let source = format!(
        "synthetic: median of {runs} runs (seed {seed}) at {}",
        params
            .iter()
            .zip(truth)
            .map(|(p, x)| format!("{}={x}", p.path))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(crate::sim::observed::COLUMNS);
    for &(metric, year) in cells {
        let (Some(m), Some(y)) = (r.metric_index(metric), r.year_index(year)) else {
            return Err(RunError::Usage(format!(
                "no metric `{metric}` in {year} to observe"
            )));
        };
        let _ = w.write_record([
            metric,
            metric,
            &year.to_string(),
            &r.stats[m][y].p50.to_string(),
            "",
            "",
            "level",
            "",
            &r.metrics[m].unit,
            &source,
        ]);
    }
    Ok(String::from_utf8_lossy(&w.into_inner().unwrap_or_default()).into_owned())
}
