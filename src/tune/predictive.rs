//! The predictive check of a calibration: the model's spread at each observation before
//! and after the fit. A prior predictive ensemble draws each run's parameters from the
//! prior box, a posterior predictive one from the final particles by weight (one draw
//! per run, [`abc::predictive_draws`]); run r of both simulates with the same seed
//! (common random numbers), so the two differ by the parameters alone. Each observation
//! is then scored as the hindcast scores an ensemble: 10/50/90 % quantiles, coverage of
//! the 10–90 % band, PIT and CRPS (`crate::sim::hindcast`).

use super::Evaluator;
use super::abc;
use super::calibrate::Calibration;
use crate::error::RunError;
use crate::sim::EnsembleOptions;
use crate::sim::hindcast::{self, Hindcast, Plan, Row};

/// The prior and posterior predictive hindcasts.
#[derive(Debug, Clone, PartialEq)]
pub struct Predictive {
    /// Runs with parameters from the prior.
    pub prior: Hindcast,
    /// Runs with parameters from the posterior.
    pub posterior: Hindcast,
}

/// Runs both predictive ensembles of `runs` runs with `ev`'s parameters, seed and
/// threads (`ev.runs` is not used: every draw is one run). Independent of the thread
/// count.
pub fn run(
    ev: &Evaluator,
    plan: &Plan,
    cal: &Calibration,
    runs: usize,
) -> Result<Predictive, RunError> {
    let bounds: Vec<(f64, f64)> = ev.params.iter().map(|p| (p.lo, p.hi)).collect();
    let draws = abc::predictive_draws(&bounds, cal.abc.posterior(), ev.seed, runs);
    let one = |points: Vec<Vec<f64>>| -> Result<Hindcast, RunError> {
        let per_run = ev.eval_each_at(&points, &|i, s, o| {
            let opts = EnsembleOptions {
                runs: 1,
                seed: draws[i].seed,
                threads: o.threads,
                keep_runs: 0,
                progress: o.progress.clone(),
            };
            hindcast::values(s, plan, &opts)
        })?;
        Ok(score(plan, &per_run, runs))
    };
    Ok(Predictive {
        prior: one(draws.iter().map(|d| d.prior.clone()).collect())?,
        posterior: one(draws.iter().map(|d| d.posterior.clone()).collect())?,
    })
}

/// Scores every observation of `plan` against its values in the runs of `per_run`
/// (per run, per observation: its value, or none).
fn score(plan: &Plan, per_run: &[Vec<Vec<f64>>], runs: usize) -> Hindcast {
    let rows = plan
        .observations()
        .iter()
        .enumerate()
        .map(|(k, o)| {
            let mut xs: Vec<f64> = per_run
                .iter()
                .flat_map(|v| v.get(k).into_iter().flatten().copied())
                .collect();
            Row {
                observation: o.clone(),
                outcome: hindcast::score_values(&mut xs, o)
                    .map_err(|_| "not modelled, or undefined in every run".into()),
            }
        })
        .collect();
    Hindcast { rows, runs }
}
