//! Sweeps: an ensemble at each point of a design (grid or Latin hypercube) over one or
//! more parameters, and the `sweep.csv` table.

use super::design_csv::Roles;
use super::{ParamRange, design, find_target, parse_range};
use crate::error::RunError;
use crate::scenario::Scenario;
use crate::sim::results::EnsembleResult;
use clap::ValueEnum;
use serde::{Deserialize, Serialize};

/// Experiment design.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Design {
    /// Every combination of the parameters' steps.
    Grid,
    /// A Latin hypercube of `--samples` points (for many parameters).
    Lhs,
}

/// What determines the design of a sweep: its options as given on the command line
/// (options that do not apply to the design are left out).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepSpec {
    /// `--param` arguments, in order.
    pub params: Vec<String>,
    /// `--design`: grid or lhs.
    pub design: String,
    /// `--samples` (Latin hypercube only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub samples: Option<u64>,
    /// `--target`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
}

/// A sweep's parameters, target and design points.
pub struct Plan {
    /// The swept parameters.
    pub params: Vec<ParamRange>,
    /// The design.
    pub design: Design,
    /// The target the charts show.
    pub target: Option<usize>,
    /// The design in the unit cube, and the number of levels of each parameter (grid
    /// steps, or Latin hypercube strata).
    pub unit: Vec<Vec<f64>>,
    /// See `unit`.
    pub levels: Vec<usize>,
    /// Parameter values at each point.
    pub points: Vec<Vec<f64>>,
}

/// The plan of a sweep from its spec: the same in one go, in every shard and in merge.
pub fn plan(s: &Scenario, spec: &SweepSpec, seed: u64) -> Result<Plan, RunError> {
    let params = spec
        .params
        .iter()
        .map(|a| parse_range(s, a))
        .collect::<Result<Vec<ParamRange>, _>>()?;
    let target = match &spec.target {
        Some(t) => Some(find_target(s, t)?),
        None => (!s.targets.is_empty()).then_some(0),
    };
    let design = Design::from_str(&spec.design, true)
        .map_err(|_| RunError::Usage(format!("unknown design `{}`", spec.design)))?;
    let (unit, levels) = match design {
        Design::Grid => {
            let steps: Vec<usize> = params.iter().map(|p| p.steps.unwrap_or(5)).collect();
            (design::grid(&steps), steps)
        }
        Design::Lhs => {
            let n = spec.samples.unwrap_or(20) as usize;
            (design::lhs(params.len(), n, seed), vec![n; params.len()])
        }
    };
    let mut points = scale(&params, &unit);
    if design == Design::Grid {
        // A grid's steps are the round values the user asked for: 0..0.4:5 runs 0.3, not
        // the 0.30000000000000004 that 0.75 * 0.4 gives in binary.
        points.iter_mut().flatten().for_each(|x| *x = decimal(*x));
    }
    if points.len() > 100_000 {
        return Err(RunError::Usage(format!(
            "the design has {} points; at most 100,000",
            points.len()
        )));
    }
    Ok(Plan {
        params,
        design,
        target,
        unit,
        levels,
        points,
    })
}

/// One point of a sweep and its ensemble.
#[derive(Debug, Clone)]
pub struct SweepPoint {
    /// Parameter values, in the order of the evaluator's parameters.
    pub values: Vec<f64>,
    /// The ensemble's statistics.
    pub result: EnsembleResult,
}

/// `x` to 12 significant digits: the decimal a grid step computed in binary stands for
/// (`0.30000000000000004` → `0.3`), unchanged when it already is one.
pub fn decimal(x: f64) -> f64 {
    if !x.is_finite() || x == 0.0 {
        return x;
    }
    format!("{x:.11e}").parse().unwrap_or(x)
}

/// Turns unit-cube design points into parameter values.
pub fn scale(params: &[ParamRange], unit: &[Vec<f64>]) -> Vec<Vec<f64>> {
    unit.iter()
        .map(|u| params.iter().zip(u).map(|(p, &f)| p.at(f)).collect())
        .collect()
}

/// What a sweep's outputs read of an ensemble result: the targets and the statistics of
/// their metrics (looked up by name); the rest is dropped so that results of many points
/// (and of sweep shards) stay small.
pub fn trim(mut r: EnsembleResult) -> EnsembleResult {
    let keep: Vec<bool> = r
        .metrics
        .iter()
        .map(|m| r.targets.iter().any(|t| t.metric == m.name))
        .collect();
    let mut k = keep.iter();
    r.metrics.retain(|_| k.next().copied().unwrap_or(false));
    let mut k = keep.iter();
    r.stats.retain(|_| k.next().copied().unwrap_or(false));
    r.sites.clear();
    r.links.clear();
    r.fabless_sales.clear();
    r
}

/// Each target's metric and year, once each, in target order.
pub fn headline(targets: &[crate::sim::results::TargetResult]) -> Vec<(String, i32)> {
    let mut out: Vec<(String, i32)> = Vec::new();
    for t in targets {
        let h = (t.metric.clone(), t.year);
        if !out.contains(&h) {
            out.push(h);
        }
    }
    out
}

/// The role of each point for `design.csv`: the design (`grid` or `lhs`) and, per
/// parameter, the point's level: its step along the grid axis (0 = the low end) or its
/// stratum of the Latin hypercube, from the unit-cube points `unit` and the number of
/// levels of each parameter.
pub fn roles(design: &str, params: &[ParamRange], unit: &[Vec<f64>], levels: &[usize]) -> Roles {
    let mut columns = vec!["role".to_string()];
    columns.extend(params.iter().map(|p| format!("{} level", p.path)));
    let rows = unit
        .iter()
        .map(|u| {
            let mut row = vec![design.to_string()];
            row.extend(u.iter().zip(levels).map(|(&f, &n)| {
                let level = if design == "grid" {
                    (f * n.saturating_sub(1) as f64).round() as usize
                } else {
                    ((f * n as f64) as usize).min(n.saturating_sub(1))
                };
                level.to_string()
            }));
            row
        })
        .collect();
    Roles { columns, rows }
}

/// The outcomes of `design.csv`: each target's probability and the mean of each
/// target's metric in its year, at every point.
pub fn design_outcomes(points: &[SweepPoint]) -> (Vec<String>, Vec<Vec<f64>>) {
    let targets = points
        .first()
        .map_or(&[][..], |p| p.result.targets.as_slice());
    let headline = headline(targets);
    let mut names: Vec<String> = targets.iter().map(|t| format!("P({})", t.name)).collect();
    names.extend(headline.iter().map(|(m, y)| format!("{m}@{y} mean")));
    let values = points
        .iter()
        .map(|p| {
            let mut v: Vec<f64> = p.result.targets.iter().map(|t| t.probability).collect();
            v.extend(headline.iter().map(|(m, y)| {
                match (p.result.metric_index(m), p.result.year_index(*y)) {
                    (Some(mi), Some(yi)) => p.result.stats[mi][yi].mean,
                    _ => f64::NAN,
                }
            }));
            v
        })
        .collect();
    (names, values)
}

#[cfg(test)]
mod decimal_tests {
    use super::decimal;

    /// Regression: sweep.csv showed 0.15000000000000002 and 0.30000000000000004 for grid
    /// steps, and the runs used those values.
    #[test]
    fn grid_steps_are_the_decimals_they_stand_for() {
        assert_eq!(decimal(0.75 * 0.4), 0.3);
        assert_eq!(decimal(0.05 + 0.05 + 0.05), 0.15);
        assert_eq!(decimal(0.3), 0.3);
        assert_eq!(decimal(1.0 / 3.0), 0.333333333333);
        assert_eq!(decimal(-2.5e-7 * 3.0), -7.5e-7);
        assert_eq!(decimal(123_456.0), 123_456.0);
        assert_eq!(decimal(0.0), 0.0);
    }
}
