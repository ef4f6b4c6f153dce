//! NSGA-II (Deb, Pratap, Agarwal & Meyarivan 2002, "A fast and elitist multiobjective
//! genetic algorithm: NSGA-II", IEEE TEC 6(2)) over the unit cube, with Deb's constrained
//! domination (a feasible point beats an infeasible one; of two infeasible points the one
//! with less total violation wins).
//!
//! The search owns its loop, one generation at a time: the caller evaluates each
//! generation's batch of points (an ensemble per point, in order), so the result depends
//! on the seed alone, never on threads. Every objective is minimised.
//!
//! Operators as in Deb's reference code: binary tournaments on (rank, crowding),
//! simulated binary crossover (distribution index `eta_c`, probability 0.9) and polynomial
//! mutation (index `eta_m`, probability 1/k per coordinate), both bounded to [0, 1].
//! The first generation is a Latin hypercube, so small populations still span every lever.

use super::design;
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use std::cmp::Ordering;

/// Settings of a search.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// Points per generation (rounded up to an even number).
    pub population: usize,
    /// Generations after the first.
    pub generations: usize,
    /// Seed of the search's own choices (not of the model runs).
    pub seed: u64,
    /// Crossover distribution index (larger: children nearer their parents).
    pub eta_c: f64,
    /// Mutation distribution index.
    pub eta_m: f64,
    /// Probability that a pair of parents is crossed.
    pub crossover: f64,
}

impl Settings {
    /// Deb's defaults (eta_c 15, eta_m 20, crossover 0.9) for a population and generations.
    pub fn new(population: usize, generations: usize, seed: u64) -> Self {
        Self {
            population,
            generations,
            seed,
            eta_c: 15.0,
            eta_m: 20.0,
            crossover: 0.9,
        }
    }
}

/// What one point scored.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    /// Objectives, each minimised.
    pub objectives: Vec<f64>,
    /// Total constraint violation (0 when feasible).
    pub violation: f64,
}

/// An evaluated point.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// Generation it was born in (0 = the initial design).
    pub generation: usize,
    /// Its place in that generation's batch.
    pub index: usize,
    /// Coordinates in the unit cube.
    pub x: Vec<f64>,
    /// Its score.
    pub score: Score,
}

/// The result of a search.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Every evaluated point, in evaluation order.
    pub archive: Vec<Point>,
    /// The final population (indices into `archive`), first front first.
    pub population: Vec<usize>,
    /// The non-dominated feasible points of the whole archive (indices into `archive`),
    /// sorted by the first objective (or, if none is feasible, the least violating ones).
    pub front: Vec<usize>,
}

/// Whether `a` constrained-dominates `b`.
pub fn dominates(a: &Score, b: &Score) -> bool {
    let (fa, fb) = (a.violation <= 0.0, b.violation <= 0.0);
    if fa != fb {
        return fa;
    }
    if !fa {
        return a.violation < b.violation;
    }
    let mut strictly = false;
    for (x, y) in a.objectives.iter().zip(&b.objectives) {
        if x > y {
            return false;
        }
        if x < y {
            strictly = true;
        }
    }
    strictly
}

/// Fast non-dominated sorting: the fronts, as lists of indices into `scores`, first
/// (non-dominated) first; indices within a front ascend.
pub fn fronts(scores: &[&Score]) -> Vec<Vec<usize>> {
    let n = scores.len();
    let mut dominated_by = vec![0usize; n];
    let mut dominates_list: Vec<Vec<usize>> = vec![Vec::new(); n];
    for i in 0..n {
        for j in (i + 1)..n {
            if dominates(scores[i], scores[j]) {
                dominates_list[i].push(j);
                dominated_by[j] += 1;
            } else if dominates(scores[j], scores[i]) {
                dominates_list[j].push(i);
                dominated_by[i] += 1;
            }
        }
    }
    let mut out = Vec::new();
    let mut current: Vec<usize> = (0..n).filter(|&i| dominated_by[i] == 0).collect();
    while !current.is_empty() {
        let mut next = Vec::new();
        for &i in &current {
            for &j in &dominates_list[i] {
                dominated_by[j] -= 1;
                if dominated_by[j] == 0 {
                    next.push(j);
                }
            }
        }
        next.sort_unstable();
        out.push(std::mem::replace(&mut current, next));
    }
    out
}

/// Crowding distance of each member of one front (aligned with `front`): the sum over
/// objectives of the normalised gap between its neighbours; the ends are infinite.
pub fn crowding(scores: &[&Score], front: &[usize]) -> Vec<f64> {
    let n = front.len();
    let mut d = vec![0.0; n];
    if n <= 2 {
        return vec![f64::INFINITY; n];
    }
    let m = scores[front[0]].objectives.len();
    for o in 0..m {
        let mut order: Vec<usize> = (0..n).collect();
        let val = |i: usize| scores[front[i]].objectives[o];
        order.sort_by(|&a, &b| val(a).total_cmp(&val(b)).then(a.cmp(&b)));
        let (lo, hi) = (val(order[0]), val(order[n - 1]));
        d[order[0]] = f64::INFINITY;
        d[order[n - 1]] = f64::INFINITY;
        if hi > lo {
            for w in 1..n - 1 {
                d[order[w]] += (val(order[w + 1]) - val(order[w - 1])) / (hi - lo);
            }
        }
    }
    d
}

/// Rank and crowding of each of `members` (indices into `archive`), and the members
/// sorted best first (rank up, crowding down, then archive order).
fn rank(archive: &[Point], members: &[usize]) -> Vec<(usize, usize, f64)> {
    let scores: Vec<&Score> = members.iter().map(|&i| &archive[i].score).collect();
    let mut out = Vec::with_capacity(members.len());
    for (r, f) in fronts(&scores).into_iter().enumerate() {
        let c = crowding(&scores, &f);
        for (k, &i) in f.iter().enumerate() {
            out.push((members[i], r, c[k]));
        }
    }
    out.sort_by(|a, b| a.1.cmp(&b.1).then(b.2.total_cmp(&a.2)).then(a.0.cmp(&b.0)));
    out
}

fn sbx(a: f64, b: f64, eta: f64, rng: &mut ChaCha8Rng) -> (f64, f64) {
    if (a - b).abs() < 1e-14 {
        return (a, b);
    }
    let (y1, y2) = if a < b { (a, b) } else { (b, a) };
    let u: f64 = rng.random();
    let child = |beta: f64| -> f64 {
        let alpha = 2.0 - beta.powf(-(eta + 1.0));
        if u <= 1.0 / alpha {
            (u * alpha).powf(1.0 / (eta + 1.0))
        } else {
            (1.0 / (2.0 - u * alpha)).powf(1.0 / (eta + 1.0))
        }
    };
    let gap = y2 - y1;
    let b1 = 1.0 + 2.0 * y1 / gap;
    let c1 = 0.5 * ((y1 + y2) - child(b1) * gap);
    let b2 = 1.0 + 2.0 * (1.0 - y2) / gap;
    let c2 = 0.5 * ((y1 + y2) + child(b2) * gap);
    let (c1, c2) = (c1.clamp(0.0, 1.0), c2.clamp(0.0, 1.0));
    if rng.random::<f64>() < 0.5 {
        (c2, c1)
    } else {
        (c1, c2)
    }
}

fn mutate(y: f64, eta: f64, rng: &mut ChaCha8Rng) -> f64 {
    let u: f64 = rng.random();
    let p = 1.0 / (eta + 1.0);
    let dq = if u < 0.5 {
        let xy = 1.0 - y;
        (2.0 * u + (1.0 - 2.0 * u) * xy.powf(eta + 1.0)).powf(p) - 1.0
    } else {
        let xy = y;
        1.0 - (2.0 * (1.0 - u) + 2.0 * (u - 0.5) * xy.powf(eta + 1.0)).powf(p)
    };
    (y + dq).clamp(0.0, 1.0)
}

/// Children of the ranked population `ranked` (best first, with rank and crowding).
fn offspring(
    archive: &[Point],
    ranked: &[(usize, usize, f64)],
    k: usize,
    s: &Settings,
    rng: &mut ChaCha8Rng,
) -> Vec<Vec<f64>> {
    let n = ranked.len();
    let better = |a: usize, b: usize| -> usize {
        let (ra, rb) = (&ranked[a], &ranked[b]);
        match ra.1.cmp(&rb.1).then(rb.2.total_cmp(&ra.2)) {
            Ordering::Greater => b,
            _ => a,
        }
    };
    let pick = |rng: &mut ChaCha8Rng| {
        let a = rng.random_range(0..n);
        let b = rng.random_range(0..n);
        archive[ranked[better(a, b)].0].x.clone()
    };
    let pm = 1.0 / k.max(1) as f64;
    let mut kids = Vec::with_capacity(n);
    while kids.len() < n {
        let (mut c1, mut c2) = (pick(rng), pick(rng));
        if rng.random::<f64>() < s.crossover {
            for d in 0..k {
                if rng.random::<f64>() < 0.5 {
                    let (a, b) = sbx(c1[d], c2[d], s.eta_c, rng);
                    c1[d] = a;
                    c2[d] = b;
                }
            }
        }
        for c in [&mut c1, &mut c2] {
            for v in c.iter_mut() {
                if rng.random::<f64>() < pm {
                    *v = mutate(*v, s.eta_m, rng);
                }
            }
        }
        kids.push(c1);
        if kids.len() < n {
            kids.push(c2);
        }
    }
    kids
}

/// Scores a generation's batch of points, in order.
pub type Evaluate<'a, E> = dyn FnMut(usize, &[Vec<f64>]) -> Result<Vec<Score>, E> + 'a;

/// A search one generation at a time. The batch generation g evaluates
/// ([`pending`](Self::pending)) is a pure function of the settings and the scores of
/// generations 0..g, so a search can stop after any generation and be resumed by
/// recording the same scores again (`--shard` and `--resume` of `optimize`).
pub struct Search<'a> {
    k: usize,
    s: Settings,
    n: usize,
    snap: &'a dyn Fn(&[f64]) -> Vec<f64>,
    rng: ChaCha8Rng,
    archive: Vec<Point>,
    members: Vec<usize>,
    ranked: Vec<(usize, usize, f64)>,
    pending: Option<(usize, Vec<Vec<f64>>)>,
}

impl<'a> Search<'a> {
    /// A search over `k` coordinates in [0, 1]; `snap` maps a point to the one actually
    /// evaluated (e.g. whole numbers for counts), so the archive holds what was run.
    pub fn new(k: usize, s: &Settings, snap: &'a dyn Fn(&[f64]) -> Vec<f64>) -> Self {
        let n = s.population.max(4).div_ceil(2) * 2;
        let first = design::lhs(k, n, s.seed).iter().map(|x| snap(x)).collect();
        Self {
            k,
            s: *s,
            n,
            snap,
            rng: ChaCha8Rng::seed_from_u64(s.seed ^ 0x006e_7367_615f_6969),
            archive: Vec::new(),
            members: Vec::new(),
            ranked: Vec::new(),
            pending: Some((0, first)),
        }
    }

    /// The next generation and its batch of points (snapped), or `None` when the search
    /// is over.
    pub fn pending(&self) -> Option<(usize, &[Vec<f64>])> {
        self.pending.as_ref().map(|(g, b)| (*g, b.as_slice()))
    }

    /// Records the scores of the pending batch, in order, and proposes the next one.
    ///
    /// # Panics
    /// If nothing is pending or `scores` is not one per point (a caller's bug).
    pub fn record(&mut self, scores: Vec<Score>) {
        let (g, batch) = self.pending.take().expect("a pending generation");
        assert_eq!(batch.len(), scores.len(), "one score per point");
        let start = self.archive.len();
        for (i, (x, score)) in batch.into_iter().zip(scores).enumerate() {
            self.archive.push(Point {
                generation: g,
                index: i,
                x,
                score,
            });
        }
        self.members.extend(start..self.archive.len());
        self.ranked = rank(&self.archive, &self.members);
        if g > 0 {
            self.ranked.truncate(self.n);
            // Crowding is recomputed over the survivors for the next tournaments.
            self.members = self.ranked.iter().map(|r| r.0).collect();
            self.members.sort_unstable();
            self.ranked = rank(&self.archive, &self.members);
        }
        if g < self.s.generations {
            let kids = offspring(&self.archive, &self.ranked, self.k, &self.s, &mut self.rng);
            let kids = kids.iter().map(|x| (self.snap)(x)).collect();
            self.pending = Some((g + 1, kids));
        }
    }

    /// The outcome over every generation recorded.
    pub fn finish(self) -> Outcome {
        let archive = self.archive;
        let population = self.ranked.iter().map(|r| r.0).collect();
        let scores: Vec<&Score> = archive.iter().map(|p| &p.score).collect();
        let mut front: Vec<usize> = fronts(&scores).into_iter().next().unwrap_or_default();
        // Points run twice (the same lever values) are one point of the front.
        front.sort_by(|&a, &b| {
            let (pa, pb) = (&archive[a].score, &archive[b].score);
            let first = |p: &Score| p.objectives.first().copied().unwrap_or(0.0);
            first(pa).total_cmp(&first(pb)).then(a.cmp(&b))
        });
        front.dedup_by(|a, b| archive[*a].x == archive[*b].x);
        Outcome {
            archive,
            population,
            front,
        }
    }
}

/// Runs NSGA-II over `k` coordinates in [0, 1] to the end. `evaluate(generation, batch)`
/// scores a batch in order; `snap` as in [`Search::new`].
pub fn run<E>(
    k: usize,
    s: &Settings,
    snap: &dyn Fn(&[f64]) -> Vec<f64>,
    evaluate: &mut Evaluate<'_, E>,
) -> Result<Outcome, E> {
    let mut search = Search::new(k, s, snap);
    while let Some((g, batch)) = search.pending() {
        let scores = evaluate(g, batch)?;
        search.record(scores);
    }
    Ok(search.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(o: &[f64], v: f64) -> Score {
        Score {
            objectives: o.to_vec(),
            violation: v,
        }
    }

    #[test]
    fn constrained_domination() {
        assert!(dominates(
            &score(&[1.0, 1.0], 0.0),
            &score(&[2.0, 1.0], 0.0)
        ));
        assert!(!dominates(
            &score(&[1.0, 1.0], 0.0),
            &score(&[1.0, 1.0], 0.0)
        ));
        assert!(!dominates(
            &score(&[1.0, 2.0], 0.0),
            &score(&[2.0, 1.0], 0.0)
        ));
        // Feasible beats infeasible whatever the objectives; less violation beats more.
        assert!(dominates(
            &score(&[9.0, 9.0], 0.0),
            &score(&[0.0, 0.0], 0.1)
        ));
        assert!(dominates(
            &score(&[9.0, 9.0], 0.1),
            &score(&[0.0, 0.0], 0.2)
        ));
    }

    #[test]
    fn fronts_and_crowding_of_a_known_set() {
        let pts = [
            score(&[1.0, 4.0], 0.0),
            score(&[2.0, 2.0], 0.0),
            score(&[4.0, 1.0], 0.0),
            score(&[3.0, 3.0], 0.0),
            score(&[5.0, 5.0], 0.0),
        ];
        let refs: Vec<&Score> = pts.iter().collect();
        let f = fronts(&refs);
        assert_eq!(f, vec![vec![0, 1, 2], vec![3], vec![4]]);
        let c = crowding(&refs, &f[0]);
        assert!(c[0].is_infinite() && c[2].is_infinite());
        // The middle point: (4-1)/3 + (4-1)/3 = 2.
        assert!((c[1] - 2.0).abs() < 1e-12);
    }

    /// ZDT1 (Zitzler, Deb & Thiele 2000) with 4 variables: the Pareto front is
    /// f2 = 1 - sqrt(f1) for f1 in [0, 1], reached when every other variable is 0.
    fn zdt1(x: &[f64]) -> Score {
        let f1 = x[0];
        let g = 1.0 + 9.0 * x[1..].iter().sum::<f64>() / (x.len() - 1) as f64;
        score(&[f1, g * (1.0 - (f1 / g).sqrt())], 0.0)
    }

    fn solve(seed: u64) -> Outcome {
        let s = Settings::new(40, 120, seed);
        let mut eval = |_g: usize, b: &[Vec<f64>]| -> Result<Vec<Score>, ()> {
            Ok(b.iter().map(|x| zdt1(x)).collect())
        };
        run(4, &s, &|x: &[f64]| x.to_vec(), &mut eval).unwrap()
    }

    #[test]
    fn finds_the_analytic_front_of_zdt1() {
        let out = solve(7);
        let front: Vec<&Point> = out.population.iter().map(|&i| &out.archive[i]).collect();
        // Every final member lies within 0.05 of the analytic front.
        for p in &front {
            let (f1, f2) = (p.score.objectives[0], p.score.objectives[1]);
            assert!((f2 - (1.0 - f1.sqrt())).abs() < 0.05, "{f1} {f2}");
        }
        // And they spread along it: both ends and the middle are covered.
        let f1s: Vec<f64> = front.iter().map(|p| p.score.objectives[0]).collect();
        let lo = f1s.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = f1s.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        assert!(lo < 0.05 && hi > 0.95, "{lo} {hi}");
        assert!(f1s.iter().any(|&f| (0.4..0.6).contains(&f)));
        assert!(!out.front.is_empty());
    }

    #[test]
    fn the_same_seed_gives_the_same_search() {
        assert_eq!(solve(3), solve(3));
        assert_ne!(solve(3).archive, solve(4).archive);
    }

    #[test]
    fn a_constraint_keeps_the_front_feasible() {
        // Minimise (x, 1 - x) subject to x >= 0.6: the front is x in [0.6, 1].
        let s = Settings::new(20, 30, 1);
        let mut eval = |_g: usize, b: &[Vec<f64>]| -> Result<Vec<Score>, ()> {
            Ok(b.iter()
                .map(|x| score(&[x[0], 1.0 - x[0]], (0.6 - x[0]).max(0.0)))
                .collect())
        };
        let out = run(1, &s, &|x: &[f64]| x.to_vec(), &mut eval).unwrap();
        assert!(!out.front.is_empty());
        for &i in &out.front {
            assert!(out.archive[i].x[0] >= 0.6);
        }
        assert!(out.front.iter().any(|&i| out.archive[i].x[0] < 0.62));
    }
}
