//! Scenario discovery: PRIM ([`super::prim`]) on a design whose points are marked as
//! cases of interest when a target fails (or is met) there, and the tables
//! `megacluster discover` writes: `trajectory.csv`, `boxes.csv` and `points.csv`.

use super::prim::{self, Options, Trajectory};
use super::{ParamRange, design, find_target, parse_range, precise, sweep, uncertain_ranges};
use crate::error::RunError;
use crate::sim::Request;
use serde::{Deserialize, Serialize};

/// What determines the design and analysis of a scenario discovery.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiscoverSpec {
    /// `--target`.
    pub target: String,
    /// `--meets` (else `--fails`).
    pub meets: bool,
    /// `--param` arguments, in order (empty: every distribution in the file).
    pub params: Vec<String>,
    /// `--points`.
    pub points: u64,
    /// `--alpha`.
    pub alpha: f64,
    /// `--mass-min`.
    pub mass_min: f64,
    /// `--paste`.
    pub paste: bool,
    /// `--threshold`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
}

fn check_share(name: &str, v: f64, max: f64) -> Result<(), RunError> {
    if v.is_finite() && v > 0.0 && v < max {
        Ok(())
    } else {
        Err(RunError::Usage(format!(
            "`--{name} {v}` must lie strictly between 0 and {max}"
        )))
    }
}

/// A discovery's parameters, target and design points.
pub struct Plan {
    /// The parameters.
    pub params: Vec<ParamRange>,
    /// The target.
    pub target: usize,
    /// Parameter values at each point.
    pub points: Vec<Vec<f64>>,
}

/// The plan of a discovery from its spec: the same in one go, in every shard and in
/// merge (the Latin hypercube comes from the seed alone).
pub fn plan(req: &Request, spec: &DiscoverSpec) -> Result<Plan, RunError> {
    check_share("alpha", spec.alpha, 0.5)?;
    check_share("mass-min", spec.mass_min, 1.0)?;
    if let Some(t) = spec.threshold.filter(|t| !(*t > 0.0 && *t <= 1.0)) {
        return Err(RunError::Usage(format!(
            "`--threshold {t}` must be a density above 0 and at most 1"
        )));
    }
    let s = &req.scenario;
    let target = find_target(s, &spec.target)?;
    let params: Vec<ParamRange> = if spec.params.is_empty() {
        uncertain_ranges(s)
    } else {
        spec.params
            .iter()
            .map(|a| parse_range(s, a))
            .collect::<Result<_, _>>()?
    };
    if params.is_empty() {
        return Err(RunError::Usage(format!(
            "`{}` has no distribution drawn per run to discover over; name parameters with --param PATH=LO..HI",
            req.name
        )));
    }
    let points = sweep::scale(
        &params,
        &design::lhs(params.len(), spec.points as usize, req.seed),
    );
    Ok(Plan {
        params,
        target,
        points,
    })
}

/// PRIM on `plan`'s points, given the target's probability at each: the trajectory of
/// boxes and the chosen one.
pub fn discover(
    plan: Plan,
    spec: &DiscoverSpec,
    probability: Vec<f64>,
) -> Result<Discovery, RunError> {
    let opts = Options {
        peel_alpha: spec.alpha,
        paste_alpha: spec.alpha,
        mass_min: spec.mass_min,
        paste: spec.paste,
    };
    Discovery::new(
        plan.params,
        plan.points,
        probability,
        spec.meets,
        &opts,
        spec.threshold,
    )
    .map_err(|e| RunError::Usage(e.to_string()))
}

/// A finished discovery.
#[derive(Debug, Clone)]
pub struct Discovery {
    /// The parameters, in the order of point coordinates.
    pub params: Vec<ParamRange>,
    /// Parameter values at each point.
    pub points: Vec<Vec<f64>>,
    /// The target's probability at each point (share of its runs meeting it).
    pub probability: Vec<f64>,
    /// Whether each point is a case of interest.
    pub cases: Vec<bool>,
    /// PRIM's trajectory.
    pub trajectory: Trajectory,
    /// The chosen step.
    pub chosen: usize,
    /// Quasi-p-values of the chosen box's restricted parameters (parameter index, value),
    /// smallest first.
    pub quasi_p: Vec<(usize, f64)>,
}

/// Whether a point is a case of interest: the target fails there (its probability is
/// below one half; with one run per point, the run missed it), or with `meets` is met.
pub fn is_case(probability: f64, meets: bool) -> bool {
    (probability >= 0.5) == meets
}

impl Discovery {
    /// Runs PRIM on `points` with the target's `probability` at each, choosing the box by
    /// `threshold` ([`prim::choose`]).
    pub fn new(
        params: Vec<ParamRange>,
        points: Vec<Vec<f64>>,
        probability: Vec<f64>,
        meets: bool,
        opts: &Options,
        threshold: Option<f64>,
    ) -> Result<Self, prim::PrimError> {
        let cases: Vec<bool> = probability.iter().map(|&p| is_case(p, meets)).collect();
        let trajectory = prim::peel(&points, &cases, opts)?;
        let chosen = prim::choose(&trajectory, threshold);
        let mut quasi_p = prim::quasi_p(&points, &cases, &trajectory, chosen);
        quasi_p.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        Ok(Self {
            params,
            points,
            probability,
            cases,
            trajectory,
            chosen,
            quasi_p,
        })
    }

    /// The chosen step.
    pub fn step(&self) -> &prim::Step {
        &self.trajectory.steps[self.chosen]
    }

    /// Limits of parameter `d` in the chosen box: the box's where it is restricted, the
    /// parameter's range where not (an end still at the design's extreme value is open,
    /// so it is reported as the range's end).
    pub fn limits(&self, d: usize) -> (f64, f64) {
        let (lim, init, p) = (
            self.step().limits[d],
            self.trajectory.init[d],
            &self.params[d],
        );
        (
            if lim.0 == init.0 { p.lo } else { lim.0 },
            if lim.1 == init.1 { p.hi } else { lim.1 },
        )
    }

    /// Whether point `i` lies in the chosen box.
    pub fn in_box(&self, i: usize) -> bool {
        self.points[i]
            .iter()
            .zip(&self.step().limits)
            .all(|(&v, &(lo, hi))| lo <= v && v <= hi)
    }

    /// Parameters with their quasi-p-value: restricted ones first, by value.
    pub fn order(&self) -> Vec<(usize, Option<f64>)> {
        let mut out: Vec<(usize, Option<f64>)> =
            self.quasi_p.iter().map(|&(d, q)| (d, Some(q))).collect();
        out.extend(
            (0..self.params.len())
                .filter(|d| !self.quasi_p.iter().any(|(i, _)| i == d))
                .map(|d| (d, None)),
        );
        out
    }

    /// A summary for people: the cases, the chosen box and its limits.
    pub fn summary(&self, what: &str, why: &str) -> String {
        let t = &self.trajectory;
        let pct = |v: f64| crate::numbers::probability(v);
        let mut out = format!(
            "Cases of interest: {} of {} points ({}) {what}.\n",
            t.cases,
            t.n,
            pct(t.cases as f64 / t.n.max(1) as f64)
        );
        if t.cases == 0 || t.cases == t.n {
            out.push_str("Every point is alike: there is no box to find.\n");
            return out;
        }
        let s = self.step();
        out.push_str(&format!(
            "Chosen box: step {} of {} ({why}): coverage {}, density {}, mass {}, {} restricted parameter{}\n",
            self.chosen,
            t.steps.len() - 1,
            pct(s.coverage),
            pct(s.density),
            pct(s.mass),
            self.quasi_p.len(),
            if self.quasi_p.len() == 1 { "" } else { "s" }
        ));
        let width = self
            .quasi_p
            .iter()
            .map(|&(d, _)| self.params[d].path.len())
            .max()
            .unwrap_or(0);
        for &(d, q) in &self.quasi_p {
            let p = &self.params[d];
            let (lo, hi) = self.limits(d);
            out.push_str(&format!(
                "  {:<width$}  {} .. {}  (of {} .. {})  quasi-p {:.1e}\n",
                p.path,
                precise(lo),
                precise(hi),
                precise(p.lo),
                precise(p.hi),
                q
            ));
        }
        out
    }
}

/// A discovery over a planted box, for tests: 400 Latin-hypercube points over `a` and
/// `b` on 0..1, the target failing where `a` < 0.3.
#[cfg(test)]
pub(crate) fn planted_box() -> Discovery {
    let points = design::lhs(2, 400, 3);
    let prob: Vec<f64> = points
        .iter()
        .map(|p| if p[0] < 0.3 { 0.0 } else { 1.0 })
        .collect();
    Discovery::new(
        vec![ParamRange::unit("a"), ParamRange::unit("b")],
        points,
        prob,
        false,
        &Options::default(),
        Some(0.9),
    )
    .unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prim_finds_the_planted_box() {
        let d = planted_box();
        assert_eq!(d.trajectory.cases, 120);
        let (lo, hi) = d.limits(0);
        assert!(lo == 0.0 && (hi - 0.3).abs() < 0.03, "{lo}..{hi}");
        assert_eq!(d.limits(1), (0.0, 1.0));
        assert_eq!(d.quasi_p.len(), 1);
        assert!(d.summary("fail", "test").contains("a  0 .. 0.3"));
    }
}
