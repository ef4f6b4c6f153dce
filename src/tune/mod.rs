//! Tuning: sweeps over parameters, sensitivity analysis and target search. Every
//! evaluation is an ordinary ensemble (`crate::sim::run_ensemble`) of the scenario with
//! some parameters set by path; every point uses the same seed and run indices (common
//! random numbers), so differences between points come from the parameters, not noise.

pub mod abc;
pub mod calibrate;
pub mod design;
pub mod design_csv;
pub mod discover;
pub mod levers;
pub mod nsga;
pub mod optimize;
pub mod predictive;
pub mod prim;
pub mod search;
pub mod sensitivity;
pub mod sweep;

use crate::error::RunError;
use crate::numbers::{allowed, for_message};
use crate::scenario::Scenario;
use crate::scenario::load::nearest;
use crate::scenario::paths::{self, Kind, NewValue, PathError};
use crate::sim::results::EnsembleResult;
use crate::sim::{EnsembleOptions, Request, run_ensemble};
use rayon::prelude::*;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A parameter and the range it is varied over (`PATH=LO..HI[:STEPS]`).
#[derive(Debug, Clone, PartialEq)]
pub struct ParamRange {
    /// Canonical path.
    pub path: String,
    /// Lowest value.
    pub lo: f64,
    /// Highest value.
    pub hi: f64,
    /// Grid steps, when given.
    pub steps: Option<usize>,
    /// The value in the scenario (its centre for a distribution), clamped into the range.
    pub base: f64,
    /// Whole numbers only (counts, years).
    pub integer: bool,
    /// Unit, for axis labels.
    pub unit: &'static str,
}

#[cfg(test)]
impl ParamRange {
    /// `path` over 0..1 (base 0.5, continuous, no unit), for tests.
    pub(crate) fn unit(path: &str) -> Self {
        ParamRange {
            path: path.into(),
            lo: 0.0,
            hi: 1.0,
            steps: None,
            base: 0.5,
            integer: false,
            unit: "",
        }
    }
}

impl ParamRange {
    /// The value at fraction `f` (0..1) of the range.
    pub fn at(&self, f: f64) -> f64 {
        let x = self.lo + f.clamp(0.0, 1.0) * (self.hi - self.lo);
        if self.integer { x.round() } else { x }
    }

    /// "path (unit)" for axis descriptions.
    pub fn label(&self) -> String {
        if self.unit.is_empty() || self.unit == "-" {
            self.path.clone()
        } else {
            format!("{} ({})", self.path, self.unit)
        }
    }
}

fn usage(msg: String) -> RunError {
    RunError::Usage(msg)
}

/// Parses `PATH=LO..HI` or `PATH=LO..HI:STEPS` against a scenario.
pub fn parse_range(s: &Scenario, arg: &str) -> Result<ParamRange, RunError> {
    let o = paths::parse_override(arg).map_err(|e| {
        usage(format!(
            "`{arg}` needs the form PATH=LO..HI (or PATH=LO..HI:STEPS for a sweep); {}",
            e.message
        ))
    })?;
    let info = paths::get(s, &o.path)?;
    let (range, steps) = match o.value.split_once(':') {
        Some((r, n)) => {
            let n: usize = n.trim().parse().ok().filter(|&n| n >= 1).ok_or_else(|| {
                usage(format!(
                    "`{arg}`: STEPS must be a whole number of at least 1"
                ))
            })?;
            (r, Some(n))
        }
        None => (o.value.as_str(), None),
    };
    let (lo, hi) = range
        .split_once("..")
        .and_then(|(a, b)| Some((a.trim().parse::<f64>().ok()?, b.trim().parse::<f64>().ok()?)))
        .ok_or_else(|| usage(format!("`{arg}`: the range must be LO..HI, e.g. 0.1..0.3")))?;
    if !(lo.is_finite() && hi.is_finite()) || hi < lo {
        return Err(usage(format!("`{arg}`: need finite LO <= HI")));
    }
    for x in [lo, hi] {
        if x < info.range.0 || x > info.range.1 {
            return Err(usage(format!(
                "`{}` = {} is out of range: it must be {}",
                info.path,
                for_message(x),
                allowed(info.range.0, info.range.1)
            )));
        }
    }
    let central = if info.central.is_finite() {
        info.central
    } else {
        0.5 * (lo + hi)
    };
    Ok(ParamRange {
        path: info.path,
        lo,
        hi,
        steps,
        base: central.clamp(lo, hi),
        integer: info.kind == Kind::Integer,
        unit: info.unit,
    })
}

/// The uncertain parameters of a scenario (distributions drawn once per run) as ranges
/// over their support.
pub fn uncertain_ranges(s: &Scenario) -> Vec<ParamRange> {
    paths::list(s)
        .into_iter()
        .filter(|p| p.uncertain && p.support.1 > p.support.0)
        .map(|p| {
            let (lo, hi) = (p.support.0.max(p.range.0), p.support.1.min(p.range.1));
            ParamRange {
                path: p.path,
                lo,
                hi,
                steps: None,
                base: p.central.clamp(lo, hi),
                integer: false,
                unit: p.unit,
            }
        })
        .collect()
}

/// The outcome of a sensitivity analysis: the ensemble mean of a metric in a year.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Metric name.
    pub metric: String,
    /// Year.
    pub year: i32,
}

impl Outcome {
    /// Parses `METRIC@YEAR`, checked against the scenario.
    pub fn parse(s: &Scenario, text: &str) -> Result<Self, RunError> {
        let (metric, year) = text
            .rsplit_once('@')
            .ok_or_else(|| usage(format!("`--outcome {text}` needs the form METRIC@YEAR")))?;
        let year: i32 = year
            .trim()
            .parse()
            .map_err(|_| usage(format!("`--outcome {text}`: `{year}` is not a year")))?;
        let names = crate::model::catalog::metric_names(s);
        if !names.iter().any(|n| n == metric) {
            let help = nearest(metric, names.iter().map(String::as_str))
                .map_or_else(String::new, |b| format!("; did you mean `{b}`?"));
            return Err(usage(format!(
                "unknown metric `{metric}`{help} (`megacluster metrics FILE` lists them)"
            )));
        }
        if year < s.start_year || year > s.end_year {
            return Err(usage(format!(
                "`--outcome {text}`: {year} is outside the simulated years {}..{}",
                s.start_year, s.end_year
            )));
        }
        Ok(Self {
            metric: metric.to_owned(),
            year,
        })
    }

    /// The first target's metric and year, or the cluster investment in the last year.
    pub fn default_for(s: &Scenario) -> Self {
        s.targets.first().map_or_else(
            || Self {
                metric: "cluster_investment_krw_t".into(),
                year: s.end_year,
            },
            |t| Self {
                metric: t.metric.clone(),
                year: t.year,
            },
        )
    }

    /// Its metric's unit in the scenario's catalogue (`KRW T`, `firms`, …; empty if the
    /// metric is not there), for axis descriptions and value formats.
    pub fn unit(&self, s: &Scenario) -> String {
        crate::model::catalog::metrics(s)
            .into_iter()
            .find(|m| m.name == self.metric)
            .map_or(String::new(), |m| m.unit)
    }

    /// Its value in an ensemble: the mean across runs.
    pub fn value(&self, r: &EnsembleResult) -> f64 {
        match (r.metric_index(&self.metric), r.year_index(self.year)) {
            (Some(m), Some(y)) => r.stats[m][y].mean,
            _ => f64::NAN,
        }
    }

    /// `metric@year`.
    pub fn label(&self) -> String {
        format!("{}@{}", self.metric, self.year)
    }
}

/// Index of a target by name (exact, then case-insensitive), with a suggestion otherwise.
pub fn find_target(s: &Scenario, name: &str) -> Result<usize, RunError> {
    if let Some(i) = s.targets.iter().position(|t| t.name == name) {
        return Ok(i);
    }
    if let Some(i) = s
        .targets
        .iter()
        .position(|t| t.name.eq_ignore_ascii_case(name))
    {
        return Ok(i);
    }
    let names: Vec<&str> = s.targets.iter().map(|t| t.name.as_str()).collect();
    let help = nearest(name, names.iter().copied()).map_or_else(
        || format!("targets: {}", names.join("; ")),
        |b| format!("did you mean `{b}`?"),
    );
    Err(usage(format!("no target named `{name}`\n  help: {help}")))
}

/// A parameter value for people: whole numbers without separators (years, counts),
/// others to four significant digits.
pub fn precise(v: f64) -> String {
    if !v.is_finite() {
        return String::new();
    }
    if v.fract() == 0.0 && v.abs() < 1e15 {
        return format!("{}", v as i64);
    }
    let digits = (3 - v.abs().log10().floor() as i32).clamp(0, 12) as usize;
    let s = format!("{v:.digits$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        s
    }
}

/// Wilson score interval (95 %) for a share `p` of `n` runs: the one of `compare` and
/// the reports, with the same z.
pub use crate::sim::stats::wilson;

/// An ensemble of a scenario with given options, returning what the caller collects.
pub type EnsembleFn<'a, T> = dyn Fn(&Arc<Scenario>, &EnsembleOptions) -> Result<T, RunError> + 'a;

/// An [`EnsembleFn`] that may run on several threads at once.
pub type SharedEnsembleFn<'a, T> =
    dyn Fn(&Arc<Scenario>, &EnsembleOptions) -> Result<T, RunError> + Sync + 'a;

/// A [`SharedEnsembleFn`] told the index of the point it evaluates.
pub type IndexedEnsembleFn<'a, T> =
    dyn Fn(usize, &Arc<Scenario>, &EnsembleOptions) -> Result<T, RunError> + Sync + 'a;

/// Runs ensembles of a scenario with some parameters set, sharing seed and progress.
pub struct Evaluator<'a> {
    /// The scenario (with `--set` overrides applied).
    pub base: &'a Scenario,
    /// The varied parameters, in the order of point coordinates.
    pub params: Vec<ParamRange>,
    /// Runs per ensemble.
    pub runs: usize,
    /// Seed (the same for every point).
    pub seed: u64,
    /// Worker threads (0 = all cores).
    pub threads: usize,
    /// The scenario's text and name, to locate validation problems.
    pub text: &'a str,
    /// The scenario's name for messages.
    pub name: &'a str,
    /// Called with the total number of finished runs.
    pub progress: Option<Arc<dyn Fn(usize) + Send + Sync>>,
    /// Runs finished so far, counted across ensembles running at once so that
    /// `progress` only moves forward.
    finished: Arc<AtomicUsize>,
}

impl Request {
    /// An evaluator of `params` with this request's runs, seed and threads.
    pub fn evaluator(&self, params: Vec<ParamRange>) -> Evaluator<'_> {
        let mut ev = Evaluator::new(
            &self.scenario,
            params,
            self.runs,
            self.seed,
            &self.text,
            &self.name,
        );
        ev.threads = self.threads;
        ev
    }
}

impl<'a> Evaluator<'a> {
    /// A new evaluator.
    pub fn new(
        base: &'a Scenario,
        params: Vec<ParamRange>,
        runs: usize,
        seed: u64,
        text: &'a str,
        name: &'a str,
    ) -> Self {
        Self {
            base,
            params,
            runs,
            seed,
            threads: 0,
            text,
            name,
            progress: None,
            finished: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// The scenario with the parameters set to `values`.
    pub fn scenario_at(&self, values: &[f64]) -> Result<Scenario, RunError> {
        let mut s = self.base.clone();
        for (p, &x) in self.params.iter().zip(values) {
            paths::set(&mut s, &p.path, &NewValue::Pinned(x))
                .map_err(|e: PathError| usage(format!("at {} = {x}: {}", p.path, e)))?;
        }
        let at: Vec<String> = self
            .params
            .iter()
            .zip(values)
            .map(|(p, x)| format!("{}={x}", p.path))
            .collect();
        paths::revalidate(
            &s,
            self.text,
            &format!("{} at {}", self.name, at.join(", ")),
        )?;
        Ok(s)
    }

    /// Runs the ensemble at `values` (one per parameter).
    pub fn eval(&self, values: &[f64]) -> Result<EnsembleResult, RunError> {
        self.eval_with(values, &|s, opts| Ok(run_ensemble(s, opts)?.result))
    }

    /// Runs `ensemble` on the scenario at `values` with this evaluator's runs, seed,
    /// threads and progress (for what `eval` does not collect, such as the values a
    /// hindcast scores).
    pub fn eval_with<T>(&self, values: &[f64], ensemble: &EnsembleFn<T>) -> Result<T, RunError> {
        self.eval_on(values, self.threads, ensemble)
    }

    /// [`eval_with`](Self::eval_with) on one thread, for callers that evaluate many
    /// points in parallel (small ensembles keep both cores busier that way).
    pub fn eval_alone<T>(&self, values: &[f64], ensemble: &EnsembleFn<T>) -> Result<T, RunError> {
        self.eval_on(values, 1, ensemble)
    }

    /// [`eval_alone`](Self::eval_alone) at each of `points` in parallel on
    /// [`threads`](Self::threads) threads (0: all cores), the results collected in point order, so they do not
    /// depend on the thread count.
    pub fn eval_each<T: Send>(
        &self,
        points: &[Vec<f64>],
        ensemble: &SharedEnsembleFn<T>,
    ) -> Result<Vec<T>, RunError> {
        self.eval_each_at(points, &|_, s, o| ensemble(s, o))
    }

    /// [`eval_each`](Self::eval_each) with each point's index passed to `ensemble` (to
    /// give each point its own seed, say).
    pub fn eval_each_at<T: Send>(
        &self,
        points: &[Vec<f64>],
        ensemble: &IndexedEnsembleFn<T>,
    ) -> Result<Vec<T>, RunError> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(self.threads)
            .build()
            .map_err(|e| usage(format!("cannot start {} threads: {e}", self.threads)))?;
        pool.install(|| {
            points
                .par_iter()
                .enumerate()
                .map(|(i, p)| self.eval_alone(p, &|s, o| ensemble(i, s, o)))
                .collect()
        })
    }

    fn eval_on<T>(
        &self,
        values: &[f64],
        threads: usize,
        ensemble: &EnsembleFn<'_, T>,
    ) -> Result<T, RunError> {
        let s = Arc::new(self.scenario_at(values)?);
        let progress = self.progress.clone().map(|p| {
            let finished = Arc::clone(&self.finished);
            let f: Arc<dyn Fn(usize) + Send + Sync> =
                Arc::new(move |_| p(finished.fetch_add(1, Ordering::Relaxed) + 1));
            f
        });
        ensemble(
            &s,
            &EnsembleOptions {
                runs: self.runs,
                seed: self.seed,
                threads,
                keep_runs: 0,
                progress,
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precise_numbers() {
        assert_eq!(precise(2030.0), "2030");
        assert_eq!(precise(0.171875), "0.1719");
        assert_eq!(precise(0.0036), "0.0036");
        assert_eq!(precise(12.5), "12.5");
    }

    #[test]
    fn wilson_intervals_contain_the_share() {
        let (lo, hi) = wilson(0.5, 100);
        assert!(lo < 0.5 && hi > 0.5 && (hi - lo - 0.19).abs() < 0.01);
        assert_eq!(wilson(0.0, 10).0, 0.0);
        assert!(wilson(1.0, 10).1 <= 1.0);
    }

    #[test]
    fn ranges_parse_and_check() {
        let s = crate::scenario::load_file(&std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scenarios/baseline.ron"
        )))
        .unwrap();
        let r = parse_range(&s, "policy.tax_credit_large=0.1..0.3:5").unwrap();
        assert_eq!((r.lo, r.hi, r.steps, r.base), (0.1, 0.3, Some(5), 0.15));
        assert!(parse_range(&s, "policy.tax_credit_large=0.1..3").is_err());
        assert!(parse_range(&s, "policy.tax_credit_large=0.3..0.1").is_err());
        assert!(parse_range(&s, "policy.tax_credit_larg=0.1..0.3").is_err());
        let u = uncertain_ranges(&s);
        assert!(u.iter().any(|p| p.path == "market.ai_demand_growth"));
        assert!(u.iter().all(|p| !p.path.starts_with("groups")));
        assert!(Outcome::parse(&s, "fabless_1t_firms@2035").is_ok());
        assert!(Outcome::parse(&s, "fabless_1t_firm@2035").is_err());
        assert!(find_target(&s, "5 new fabs in the cluster").is_ok());
        assert!(find_target(&s, "5 new fab in the cluster").is_err());
    }
}
