//! Sensitivity of an outcome (the ensemble mean of a metric in a year) to parameters:
//! one-at-a-time swings (tornado), Morris elementary effects and Sobol indices.

pub mod morris;
pub mod oat;
pub mod sobol;

use super::{Outcome, ParamRange, parse_range, uncertain_ranges};
use crate::error::RunError;
use crate::scenario::Scenario;
use clap::ValueEnum;
use serde::{Deserialize, Serialize};

/// Which method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Method {
    /// One at a time: each parameter at its low and high end, the others at their base.
    Oat,
    /// Morris elementary effects: μ* (mean absolute effect) and σ (interactions, non-linearity).
    Morris,
    /// Sobol first-order and total indices (Saltelli/Jansen estimators, bootstrap intervals).
    Sobol,
}

/// What determines the design and analysis of a sensitivity analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SensitivitySpec {
    /// `--method`: oat, morris or sobol.
    pub method: String,
    /// `--outcome`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    /// `--param` arguments, in order (empty: every distribution in the file).
    pub params: Vec<String>,
    /// `--trajectories` (Morris only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trajectories: Option<u64>,
    /// `--samples` (Sobol only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub samples: Option<u64>,
}

/// A sensitivity analysis's outcome, parameters and design points.
pub struct Plan {
    /// The outcome ranked on.
    pub outcome: Outcome,
    /// The parameters ranked.
    pub params: Vec<ParamRange>,
    /// The method.
    pub method: Method,
    /// Morris: the steps of each trajectory.
    pub steps: Vec<morris::Steps>,
    /// Sobol: base samples.
    pub samples: usize,
    /// Parameter values at each point.
    pub points: Vec<Vec<f64>>,
}

/// The plan from a spec: the same in one go, in every shard and in merge.
pub fn plan(s: &Scenario, spec: &SensitivitySpec, seed: u64) -> Result<Plan, RunError> {
    let outcome = match &spec.outcome {
        Some(o) => Outcome::parse(s, o)?,
        None => Outcome::default_for(s),
    };
    let params = if spec.params.is_empty() {
        uncertain_ranges(s)
    } else {
        spec.params
            .iter()
            .map(|a| parse_range(s, a))
            .collect::<Result<Vec<_>, _>>()?
    };
    if params.is_empty() {
        return Err(RunError::Usage(
            "no parameters to rank: the scenario has no distributions drawn per run; give --param PATH=LO..HI".into(),
        ));
    }
    let method = Method::from_str(&spec.method, true)
        .map_err(|_| RunError::Usage(format!("unknown method `{}`", spec.method)))?;
    let k = params.len();
    let at = |unit: Vec<Vec<f64>>| -> Vec<Vec<f64>> {
        unit.iter()
            .map(|u| params.iter().zip(u).map(|(p, &f)| p.at(f)).collect())
            .collect()
    };
    let samples = spec.samples.unwrap_or(64) as usize;
    let (points, steps) = match method {
        Method::Oat => (oat::points(&params), Vec::new()),
        Method::Morris => {
            let (unit, steps) = morris::design(k, spec.trajectories.unwrap_or(10) as usize, seed);
            (at(unit), steps)
        }
        Method::Sobol => (at(sobol::design(k, samples, seed)), Vec::new()),
    };
    Ok(Plan {
        outcome,
        params,
        method,
        steps,
        samples,
        points,
    })
}
