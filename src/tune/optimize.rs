//! Policy design: the cheapest lever mixes that meet targets. Each candidate mix is an
//! ensemble of the scenario with the levers set (common random numbers: every candidate
//! runs the same seeds), scored by its cost (the ensemble mean of a cost metric, public
//! cost by default) and its targets' probabilities; NSGA-II (`super::nsga`) searches
//! for the set of mixes where no target can gain probability without more cost.
//!
//! A target given as `NAME` is an objective (its probability maximised); `NAME:P` is a
//! constraint (probability at least P), so a mix that misses it is infeasible however
//! cheap it is.

use super::nsga::{self, Score};
use super::{Evaluator, Outcome, ParamRange, find_target, usage, wilson};
use crate::error::RunError;
use crate::scenario::Scenario;
use std::collections::HashMap;

/// A target of the search.
#[derive(Debug, Clone, PartialEq)]
pub struct Goal {
    /// Index into the scenario's targets.
    pub target: usize,
    /// The target's name.
    pub name: String,
    /// Required probability (a constraint); `None`: maximised (an objective).
    pub required: Option<f64>,
}

impl Goal {
    /// Parses `NAME` or `NAME:P` (P in 0..1) against the scenario's targets.
    pub fn parse(s: &Scenario, text: &str) -> Result<Self, RunError> {
        let (name, required) = match text.rsplit_once(':') {
            Some((n, p)) if p.trim().parse::<f64>().is_ok() => {
                let p: f64 = p.trim().parse().unwrap_or(f64::NAN);
                if !(0.0..=1.0).contains(&p) {
                    return Err(usage(format!(
                        "`--target {text}`: the probability after `:` must be between 0 and 1, e.g. `{n}:0.5`"
                    )));
                }
                (n.trim(), Some(p))
            }
            _ => (text.trim(), None),
        };
        let target = find_target(s, name)?;
        Ok(Self {
            target,
            name: s.targets[target].name.clone(),
            required,
        })
    }
}

/// One evaluated lever mix.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Generation it was born in (0: the initial Latin hypercube).
    pub generation: usize,
    /// Its place in the generation.
    pub index: usize,
    /// Lever values, in the evaluator's parameter order.
    pub values: Vec<f64>,
    /// Cost: the ensemble mean of the cost metric.
    pub cost: f64,
    /// Each goal's probability.
    pub probability: Vec<f64>,
    /// Runs behind each probability.
    pub runs: usize,
    /// Total shortfall below the required probabilities (0: feasible).
    pub violation: f64,
}

impl Candidate {
    /// 95 % Wilson interval of goal `g`'s probability.
    pub fn interval(&self, g: usize) -> (f64, f64) {
        wilson(self.probability[g], self.runs)
    }

    /// Whether it meets every required probability.
    pub fn feasible(&self) -> bool {
        self.violation <= 0.0
    }
}

/// The result of a search.
#[derive(Debug, Clone, PartialEq)]
pub struct Optimum {
    /// Every evaluated mix, in evaluation order.
    pub candidates: Vec<Candidate>,
    /// The Pareto set over all candidates (indices), cheapest first.
    pub front: Vec<usize>,
    /// Distinct lever mixes run (repeats are answered from memory).
    pub ensembles: usize,
}

impl Optimum {
    /// The cheapest feasible candidate whose goal `g` reaches probability `p` (every
    /// required probability met as well).
    pub fn cheapest(&self, g: usize, p: f64) -> Option<usize> {
        self.candidates
            .iter()
            .enumerate()
            .filter(|(_, c)| c.feasible() && c.probability[g] >= p)
            .min_by(|a, b| a.1.cost.total_cmp(&b.1.cost).then(a.0.cmp(&b.0)))
            .map(|(i, _)| i)
    }
}

/// The unit-cube point a lever mix is run at: counts and years at whole numbers, so the
/// archive holds the point run.
fn snap(params: &[ParamRange], x: &[f64]) -> Vec<f64> {
    params
        .iter()
        .zip(x)
        .map(|(p, &f)| {
            if p.integer && p.hi > p.lo {
                (p.at(f) - p.lo) / (p.hi - p.lo)
            } else {
                f.clamp(0.0, 1.0)
            }
        })
        .collect()
}

/// What NSGA-II minimises for a candidate: its cost, then minus each maximised goal's
/// probability; and its violation.
fn score(c: &Candidate, goals: &[Goal]) -> Score {
    let mut objectives = vec![if c.cost.is_finite() { c.cost } else { f64::MAX }];
    for (gl, &p) in goals.iter().zip(&c.probability) {
        if gl.required.is_none() {
            objectives.push(-p);
        }
    }
    Score {
        objectives,
        violation: c.violation,
    }
}

fn key(values: &[f64]) -> Vec<u64> {
    values.iter().map(|v| v.to_bits()).collect()
}

/// A search that can stop after any generation and go on later: the candidates of
/// generation g depend only on the settings and the candidates evaluated before g.
pub struct Progress<'a> {
    params: &'a [ParamRange],
    goals: &'a [Goal],
    search: nsga::Search<'a>,
    /// Every candidate recorded, generation by generation.
    pub candidates: Vec<Candidate>,
}

impl<'a> Progress<'a> {
    /// A search from its start, with `snap` from [`snapper`].
    pub fn new(
        params: &'a [ParamRange],
        goals: &'a [Goal],
        settings: &nsga::Settings,
        snap: &'a dyn Fn(&[f64]) -> Vec<f64>,
    ) -> Self {
        Self {
            params,
            goals,
            search: nsga::Search::new(params.len(), settings, snap),
            candidates: Vec::new(),
        }
    }

    /// The search after replaying `done` (whole generations, from 0, each in index
    /// order), checking that each generation holds the mixes these settings propose.
    pub fn resume(mut self, done: Vec<Candidate>) -> Result<Self, String> {
        let mut rest = done.into_iter().peekable();
        while rest.peek().is_some() {
            let Some((g, batch)) = self.pending() else {
                return Err(format!(
                    "it holds more generations than these settings run ({})",
                    self.candidates.last().map_or(0, |c| c.generation)
                ));
            };
            let gen_: Vec<Candidate> = std::iter::from_fn(|| rest.next_if(|c| c.generation == g))
                .take(batch.len())
                .collect();
            let same = gen_.len() == batch.len()
                && gen_
                    .iter()
                    .zip(&batch)
                    .enumerate()
                    .all(|(i, (c, v))| c.index == i && key(&c.values) == key(v));
            if !same {
                return Err(format!(
                    "its generation {g} is not the {} mixes these settings propose (other settings, or a generation left incomplete)",
                    batch.len()
                ));
            }
            self.record(gen_);
        }
        Ok(self)
    }

    /// The next generation and its lever mixes, or `None` when the search is over.
    pub fn pending(&self) -> Option<(usize, Vec<Vec<f64>>)> {
        let values_of =
            |x: &[f64]| -> Vec<f64> { self.params.iter().zip(x).map(|(p, &f)| p.at(f)).collect() };
        self.search
            .pending()
            .map(|(g, batch)| (g, batch.iter().map(|x| values_of(x)).collect()))
    }

    /// Records the pending generation's candidates, in index order.
    pub fn record(&mut self, generation: Vec<Candidate>) {
        let scores = generation.iter().map(|c| score(c, self.goals)).collect();
        self.search.record(scores);
        self.candidates.extend(generation);
    }

    /// The result over every generation recorded.
    pub fn finish(self) -> Optimum {
        let ensembles = self
            .candidates
            .iter()
            .map(|c| key(&c.values))
            .collect::<std::collections::HashSet<_>>()
            .len();
        Optimum {
            front: self.search.finish().front,
            candidates: self.candidates,
            ensembles,
        }
    }
}

/// The `snap` of a search over `params`, for [`Progress::new`].
pub fn snapper(params: &[ParamRange]) -> impl Fn(&[f64]) -> Vec<f64> + '_ {
    move |x| snap(params, x)
}

/// Evaluates the mixes `batch` (index in the generation, lever values) of generation `g`;
/// a mix already in `known` is answered from there.
pub fn evaluate(
    ev: &Evaluator,
    goals: &[Goal],
    cost: &Outcome,
    g: usize,
    batch: &[(usize, Vec<f64>)],
    known: &[Candidate],
) -> Result<Vec<Candidate>, RunError> {
    let mut memo: HashMap<Vec<u64>, Candidate> =
        known.iter().map(|c| (key(&c.values), c.clone())).collect();
    let mut out = Vec::with_capacity(batch.len());
    for (i, values) in batch {
        let k = key(values);
        let mut c = match memo.get(&k) {
            Some(c) => c.clone(),
            None => {
                let r = ev.eval(values)?;
                let probability: Vec<f64> = goals
                    .iter()
                    .map(|gl| r.targets.get(gl.target).map_or(0.0, |t| t.probability))
                    .collect();
                let violation = goals
                    .iter()
                    .zip(&probability)
                    .filter_map(|(gl, &p)| gl.required.map(|q| (q - p).max(0.0)))
                    .fold(0.0, |a, b| a + b);
                let c = Candidate {
                    generation: g,
                    index: *i,
                    values: values.clone(),
                    cost: cost.value(&r),
                    probability,
                    runs: r.runs,
                    violation,
                };
                memo.insert(k, c.clone());
                c
            }
        };
        c.generation = g;
        c.index = *i;
        out.push(c);
    }
    Ok(out)
}

/// Searches the evaluator's parameters (the levers) for mixes that minimise `cost` and
/// maximise each unconstrained goal, meeting each constrained one, going on from the
/// candidates `done` (see [`Progress::resume`]; empty: from the start). Progress is the
/// evaluator's, run by run.
pub fn run(
    ev: &Evaluator,
    goals: &[Goal],
    cost: &Outcome,
    settings: &nsga::Settings,
    done: Vec<Candidate>,
) -> Result<Optimum, RunError> {
    let snap = snapper(&ev.params);
    let mut p = Progress::new(&ev.params, goals, settings, &snap)
        .resume(done)
        .map_err(usage)?;
    while let Some((g, batch)) = p.pending() {
        let batch: Vec<(usize, Vec<f64>)> = batch.into_iter().enumerate().collect();
        let evaluated = evaluate(ev, goals, cost, g, &batch, &p.candidates)?;
        p.record(evaluated);
    }
    Ok(p.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load_file;
    use crate::tune::parse_range;

    fn baseline() -> Scenario {
        load_file(&std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scenarios/baseline.ron"
        )))
        .unwrap()
    }

    #[test]
    fn goals_parse_with_and_without_a_probability() {
        let s = baseline();
        let g = Goal::parse(&s, "10 fabless firms >= KRW 1T by 2035").unwrap();
        assert_eq!(g.required, None);
        let g = Goal::parse(&s, "10 fabless firms >= KRW 1T by 2035:0.5").unwrap();
        assert_eq!(g.required, Some(0.5));
        assert!(Goal::parse(&s, "10 fabless firms >= KRW 1T by 2035:1.5").is_err());
        assert!(Goal::parse(&s, "10 fabless firm >= KRW 1T by 2035").is_err());
    }

    #[test]
    fn a_small_search_is_deterministic_and_its_front_is_non_dominated() {
        let s = baseline();
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scenarios/baseline.ron"
        ))
        .unwrap();
        let levers = vec![
            parse_range(&s, "policy.fabless_support_krw_b=0..2000").unwrap(),
            parse_range(&s, "policy.tax_credit_large=0..0.4").unwrap(),
        ];
        let goal = Goal::parse(&s, "KRW 300T private investment in the cluster").unwrap();
        let cost = Outcome {
            metric: "public_cost_pv_krw_t".into(),
            year: s.end_year,
        };
        let go = |threads: usize| {
            let mut ev = Evaluator::new(&s, levers.clone(), 8, 5, &text, "baseline");
            ev.threads = threads;
            run(
                &ev,
                std::slice::from_ref(&goal),
                &cost,
                &nsga::Settings::new(6, 1, 3),
                Vec::new(),
            )
            .unwrap()
        };
        let a = go(1);
        assert_eq!(a, go(2));
        // Resumed after generation 0, or with every generation done, it is the same search.
        let ev = Evaluator::new(&s, levers.clone(), 8, 5, &text, "baseline");
        let settings = nsga::Settings::new(6, 1, 3);
        let first: Vec<Candidate> = a.candidates[..6].to_vec();
        let goals = std::slice::from_ref(&goal);
        assert_eq!(a, run(&ev, goals, &cost, &settings, first).unwrap());
        assert_eq!(
            a,
            run(&ev, goals, &cost, &settings, a.candidates.clone()).unwrap()
        );
        // A generation that is not what the settings propose is refused.
        let mut other = a.candidates[..6].to_vec();
        other[2].values[0] += 1.0;
        assert!(run(&ev, goals, &cost, &settings, other).is_err());
        assert_eq!(a.candidates.len(), 12);
        assert!(!a.front.is_empty());
        for &i in &a.front {
            let (ci, pi) = (a.candidates[i].cost, a.candidates[i].probability[0]);
            for c in &a.candidates {
                assert!(
                    !(c.cost < ci && c.probability[0] > pi),
                    "front point {i} is dominated"
                );
            }
        }
        // Cost rises with the credit: the cheapest mix is never the one with the top credit.
        let cheapest = a.cheapest(0, 0.0).unwrap();
        let top = a
            .candidates
            .iter()
            .enumerate()
            .max_by(|x, y| x.1.values[1].total_cmp(&y.1.values[1]))
            .unwrap()
            .0;
        assert_ne!(cheapest, top);
    }
}
