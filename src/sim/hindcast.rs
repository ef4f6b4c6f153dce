//! Hindcast: an ensemble against observations.
//!
//! Each observation (`crate::sim::observed`) names a metric and a year (and a base year
//! for a growth). While the ensemble runs, a collector keeps just those (metric, year)
//! values of every run, `runs × cells` numbers, so memory stays flat in everything but
//! them. Growths are computed run by run (`100 × (v(year) / v(base) − 1)`), never from
//! percentiles. Each observation then gets the model's 10/50/90 % quantiles (exact, from
//! the collected values), whether the 10–90 % band covers it, its PIT and its CRPS.

use super::aggregate::quantile_sorted;
use super::ensemble::{EnsembleOptions, aggregate_runs_observed};
use super::observed::{Kind, Observation, check};
use super::results::EnsembleResult;
use super::run::RunOutput;
use crate::error::RunError;
use crate::model::catalog;
use crate::scenario::Scenario;
use std::sync::{Arc, Mutex};

/// Continuous ranked probability score of the empirical distribution of `sorted`
/// (ascending, finite) against `y`: `mean|X − y| − ½ mean|X − X'|`, in O(n) once sorted
/// (`mean|X − X'| = 2/n² Σ (2i − n + 1) x₍ᵢ₎`, i from 0). Lower is better; in the unit of
/// the values; 0 only for an ensemble all at `y`.
pub fn crps_sorted(sorted: &[f64], y: f64) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return f64::NAN;
    }
    let nf = n as f64;
    let to_obs: f64 = sorted.iter().map(|x| (x - y).abs()).sum::<f64>() / nf;
    let spread: f64 = sorted
        .iter()
        .enumerate()
        .map(|(i, x)| (2.0 * i as f64 - nf + 1.0) * x)
        .sum::<f64>()
        / (nf * nf);
    to_obs - spread
}

/// Probability integral transform of a value `y`: the share of runs below it plus half
/// the share equal to it (the mid-rank PIT of a discrete predictive distribution, the
/// mean of the randomised PIT of Czado, Gneiting and Held 2009): a model that gives the
/// observed value in every run scores 0.5, not 1.
pub fn pit_sorted(sorted: &[f64], y: f64) -> f64 {
    pit_interval_sorted(sorted, (y, y))
}

/// PIT of an observed interval `(lo, hi)`: the share of runs below `lo` plus half the
/// share inside the interval, so runs that fall within the observed range count as
/// ties, not as misses on one side (a value is a zero-width interval).
pub fn pit_interval_sorted(sorted: &[f64], (lo, hi): (f64, f64)) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let below = sorted.partition_point(|&x| x < lo);
    let up_to = sorted.partition_point(|&x| x <= hi);
    (below as f64 + 0.5 * up_to.saturating_sub(below) as f64) / sorted.len() as f64
}

/// True when the model's band `(p10, p90)` covers the observed interval (a value is a
/// zero-width interval): the two overlap.
pub fn covers(band: (f64, f64), observed: (f64, f64)) -> bool {
    observed.0 <= band.1 && observed.1 >= band.0
}

/// How an observation fared.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    /// Model 10 % quantile across runs.
    pub p10: f64,
    /// Model median.
    pub p50: f64,
    /// Model 90 % quantile.
    pub p90: f64,
    /// The 10–90 % band covers the observation.
    pub covered: bool,
    /// Share of runs below the observation plus half the share equal to it or inside its
    /// range (0.5: centred; near 0 or 1: the model misses it).
    pub pit: f64,
    /// CRPS against the observation (its midpoint for a range), in its unit.
    pub crps: f64,
    /// Runs scored (a growth from a zero base is undefined in that run).
    pub runs: usize,
}

/// An observation and its score, or why it was not scored.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The observation.
    pub observation: Observation,
    /// Its score, or `Err(why it is not modelled)`.
    pub outcome: Result<Score, String>,
}

/// A hindcast: every observation in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct Hindcast {
    /// Rows in file order.
    pub rows: Vec<Row>,
    /// Runs in the ensemble.
    pub runs: usize,
}

impl Hindcast {
    /// (covered, scored) observations.
    pub fn coverage(&self) -> (usize, usize) {
        let scored: Vec<&Score> = self
            .rows
            .iter()
            .filter_map(|r| r.outcome.as_ref().ok())
            .collect();
        (scored.iter().filter(|s| s.covered).count(), scored.len())
    }
}

/// Which values of each run an observation needs.
#[derive(Debug, Clone)]
struct Need {
    /// Index into `RunOutput::values` of the observed year.
    at: usize,
    /// Same for the base year of a growth.
    base: Option<usize>,
}

/// Observations matched to a scenario's metrics.
#[derive(Debug, Clone)]
pub struct Plan {
    observations: Vec<Observation>,
    /// Per observation: what it needs, or why it is not modelled.
    needs: Vec<Result<Need, String>>,
}

impl Plan {
    /// Matches observations to `scenario`. An observation of a metric the scenario does
    /// not record (or of years it does not simulate) is an error listing every such row,
    /// unless `skip_unknown`, which keeps it as "not modelled".
    pub fn new(
        scenario: &Scenario,
        observations: Vec<Observation>,
        skip_unknown: bool,
    ) -> Result<Self, Vec<String>> {
        let metrics: Vec<(String, String)> = catalog::metrics(scenario)
            .into_iter()
            .map(|m| (m.name, m.unit))
            .collect();
        let n = metrics.len();
        let years = (scenario.start_year, scenario.end_year);
        let cell = |m: usize, y: i32| (y - years.0) as usize * n + m;
        let mut problems = Vec::new();
        let needs: Vec<Result<Need, String>> = observations
            .iter()
            .map(|o| {
                let m = check(o, &metrics, years).inspect_err(|e| problems.push(e.clone()))?;
                Ok(Need {
                    at: cell(m, o.year),
                    base: match o.kind {
                        Kind::Level => None,
                        Kind::Growth { base_year } => Some(cell(m, base_year)),
                    },
                })
            })
            .collect();
        if !problems.is_empty() && !skip_unknown {
            return Err(problems);
        }
        Ok(Self {
            observations,
            needs,
        })
    }

    /// The observations, in file order.
    pub fn observations(&self) -> &[Observation] {
        &self.observations
    }

    fn cells(&self) -> Vec<usize> {
        let mut c: Vec<usize> = self
            .needs
            .iter()
            .flatten()
            .flat_map(|n| std::iter::once(n.at).chain(n.base))
            .collect();
        c.sort_unstable();
        c.dedup();
        c
    }

    /// The finite values of one observation in every run of `per_run`
    /// (`per_run[run * cells.len() + k]` = value of `cells[k]`), in run order.
    fn run_values(&self, need: &Need, cells: &[usize], per_run: &[f64], runs: usize) -> Vec<f64> {
        let k = |c: usize| cells.binary_search(&c).unwrap_or(0);
        (0..runs)
            .map(|r| {
                let row = &per_run[r * cells.len()..(r + 1) * cells.len()];
                let v = row[k(need.at)];
                need.base.map_or(v, |b| 100.0 * (v / row[k(b)] - 1.0))
            })
            .filter(|x| x.is_finite())
            .collect()
    }

    /// Scores `per_run` (`per_run[run * cells.len() + k]` = value of `cells[k]`).
    fn score(&self, cells: &[usize], per_run: &[f64], runs: usize) -> Hindcast {
        let rows = self
            .observations
            .iter()
            .zip(&self.needs)
            .map(|(o, need)| Row {
                observation: o.clone(),
                outcome: need.clone().and_then(|need| {
                    score_values(&mut self.run_values(&need, cells, per_run, runs), o)
                }),
            })
            .collect();
        Hindcast { rows, runs }
    }
}

/// Scores the runs' values of one observation (sorted in place).
pub fn score_values(xs: &mut [f64], o: &Observation) -> Result<Score, String> {
    if xs.is_empty() {
        return Err("undefined in every run (a growth from zero)".into());
    }
    xs.sort_by(f64::total_cmp);
    let (p10, p50, p90) = (
        quantile_sorted(xs, 0.1),
        quantile_sorted(xs, 0.5),
        quantile_sorted(xs, 0.9),
    );
    let y = o.observed.point();
    Ok(Score {
        p10,
        p50,
        p90,
        covered: covers((p10, p90), o.observed.interval()),
        pit: pit_interval_sorted(xs, o.observed.interval()),
        // Rounding can leave a tiny negative where the score is 0.
        crps: crps_sorted(xs, y).max(0.0),
        runs: xs.len(),
    })
}

/// Runs the ensemble, handing the kept runs to `sink` as `run_ensemble_streaming` does,
/// and scores every observation of `plan`. The statistics are those of an ordinary run
/// with the same options; the scores do not depend on the thread count.
pub fn run(
    scenario: &Arc<Scenario>,
    plan: &Plan,
    opts: &EnsembleOptions,
    sink: &mut dyn FnMut(RunOutput) -> Result<(), RunError>,
) -> Result<(EnsembleResult, Hindcast), RunError> {
    let (agg, cells, per_run) = collect(scenario, plan, opts, sink)?;
    Ok((
        agg.result(scenario, opts.seed),
        plan.score(&cells, &per_run, opts.runs),
    ))
}

/// Runs the ensemble and returns, per observation of `plan` in file order, its finite
/// values in every run sorted ascending (empty when it is not modelled or undefined in
/// every run); what `calibrate` scores a particle with. Independent of the thread count.
pub fn values(
    scenario: &Arc<Scenario>,
    plan: &Plan,
    opts: &EnsembleOptions,
) -> Result<Vec<Vec<f64>>, RunError> {
    let (_, cells, per_run) = collect(scenario, plan, opts, &mut |_| Ok(()))?;
    Ok(plan
        .needs
        .iter()
        .map(|need| {
            need.as_ref().map_or_else(
                |_| Vec::new(),
                |need| {
                    let mut xs = plan.run_values(need, &cells, &per_run, opts.runs);
                    xs.sort_by(f64::total_cmp);
                    xs
                },
            )
        })
        .collect())
}

/// The ensemble's aggregate and the values `plan` needs of every run.
fn collect(
    scenario: &Arc<Scenario>,
    plan: &Plan,
    opts: &EnsembleOptions,
    sink: &mut dyn FnMut(RunOutput) -> Result<(), RunError>,
) -> Result<(super::Aggregate, Vec<usize>, Vec<f64>), RunError> {
    let cells = plan.cells();
    let per_run = Mutex::new(vec![f64::NAN; opts.runs * cells.len()]);
    let observe = |o: &RunOutput| {
        let mut v = per_run
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for (k, &c) in cells.iter().enumerate() {
            v[o.run * cells.len() + k] = o.values.get(c).copied().unwrap_or(f64::NAN);
        }
    };
    let agg = aggregate_runs_observed(scenario, opts, sink, &observe)?;
    let per_run = per_run
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    Ok((agg, cells, per_run))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::observed::{Observed, parse};

    /// The ensemble and reference of `tests/fixtures/crps_reference.txt`, computed once
    /// with Python by the double sum `mean|x−y| − ½ mean|x_i−x_j|` (see that file).
    const ENSEMBLE: [f64; 10] = [3.1, -0.4, 2.2, 5.9, 1.0, 1.0, 7.25, -2.5, 4.4, 0.3];

    fn reference() -> Vec<(f64, f64)> {
        include_str!("../../tests/fixtures/crps_reference.txt")
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(|l| {
                let mut it = l.split_whitespace().map(|s| s.parse::<f64>().unwrap());
                (it.next().unwrap(), it.next().unwrap())
            })
            .collect()
    }

    fn sorted(xs: &[f64]) -> Vec<f64> {
        let mut v = xs.to_vec();
        v.sort_by(f64::total_cmp);
        v
    }

    #[test]
    fn crps_matches_the_python_reference() {
        let xs = sorted(&ENSEMBLE);
        let refs = reference();
        assert!(refs.len() >= 4);
        for (y, want) in refs {
            let got = crps_sorted(&xs, y);
            assert!((got - want).abs() < 1e-12, "y = {y}: {got} vs {want}");
        }
    }

    #[test]
    fn crps_is_unchanged_by_a_shift_and_scales_with_the_values() {
        let xs = sorted(&ENSEMBLE);
        for y in [-3.0, 0.0, 1.0, 2.7, 10.0] {
            let base = crps_sorted(&xs, y);
            let shifted: Vec<f64> = xs.iter().map(|x| x + 100.0).collect();
            assert!((crps_sorted(&shifted, y + 100.0) - base).abs() < 1e-9);
            let scaled: Vec<f64> = xs.iter().map(|x| x * 3.0).collect();
            assert!((crps_sorted(&scaled, y * 3.0) - 3.0 * base).abs() < 1e-9);
            assert!(base >= 0.0);
        }
        assert_eq!(crps_sorted(&[4.0; 7], 4.0), 0.0);
        // One member: the absolute error.
        assert_eq!(crps_sorted(&[2.0], 5.5), 3.5);
    }

    #[test]
    fn pit_is_a_share_in_0_1() {
        let xs = sorted(&ENSEMBLE);
        assert_eq!(pit_sorted(&xs, -100.0), 0.0);
        assert_eq!(pit_sorted(&xs, 100.0), 1.0);
        // 1.0 is a tie of two runs: three below, plus half of the two.
        assert_eq!(pit_sorted(&xs, 1.0), 0.4);
        for y in [-2.5, 0.0, 3.0, 7.25] {
            let p = pit_sorted(&xs, y);
            assert!((0.0..=1.0).contains(&p));
        }
    }

    /// Regression: the hindcast gave PIT 1 to observations the model hits exactly in every
    /// run (the fabless count, MPE localisation) and PIT 0 to ranges that hold every run
    /// (Korea's memory share 55–65 %), which read as misses.
    #[test]
    fn exact_hits_and_ranges_that_hold_the_runs_are_centred() {
        assert_eq!(pit_sorted(&[1.0; 200], 1.0), 0.5);
        let runs = sorted(&[62.0, 62.5, 63.0, 64.0]);
        assert_eq!(pit_interval_sorted(&runs, (55.0, 65.0)), 0.5);
        // Half the runs inside the range, half above it.
        let runs = sorted(&[60.0, 61.0, 70.0, 71.0]);
        assert_eq!(pit_interval_sorted(&runs, (55.0, 65.0)), 0.25);
        assert_eq!(pit_interval_sorted(&runs, (75.0, 80.0)), 1.0);
        assert_eq!(pit_interval_sorted(&runs, (10.0, 20.0)), 0.0);
        // A value is a zero-width range.
        let xs = sorted(&ENSEMBLE);
        for y in [-2.5, 1.0, 3.0] {
            assert_eq!(pit_sorted(&xs, y), pit_interval_sorted(&xs, (y, y)));
        }
    }

    #[test]
    fn coverage_of_values_and_ranges() {
        assert!(covers((1.0, 2.0), (1.5, 1.5)));
        assert!(!covers((1.0, 2.0), (2.5, 2.5)));
        assert!(covers((1.0, 2.0), (1.9, 3.0)));
        assert!(!covers((1.0, 2.0), (-1.0, 0.9)));
        let o = Observed {
            value: None,
            range: Some((55.0, 65.0)),
        };
        assert_eq!(o.point(), 60.0);
    }

    #[test]
    fn growth_is_computed_run_by_run() {
        let text = "quantity,metric,year,value,low,high,kind,base_year,unit,source\n\
                    G,m,2024,50,,,growth,2023,%,s\n";
        let o = parse(text).unwrap();
        let plan = Plan {
            observations: o,
            needs: vec![Ok(Need {
                at: 1,
                base: Some(0),
            })],
        };
        // Run 0 doubles (100 %), run 1 stays (0 %), run 2 starts from zero (undefined).
        let per_run = [1.0, 2.0, 4.0, 4.0, 0.0, 3.0];
        let h = plan.score(&[0, 1], &per_run, 3);
        let s = h.rows[0].outcome.as_ref().unwrap();
        assert_eq!(s.runs, 2);
        assert_eq!((s.p10, s.p50, s.p90), (10.0, 50.0, 90.0));
        assert!(s.covered);
        assert_eq!(s.pit, 0.5);
    }
}
