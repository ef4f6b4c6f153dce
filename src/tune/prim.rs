//! PRIM, the patient rule induction method (Friedman and Fisher 1999, "Bump hunting in
//! high-dimensional data"), as scenario discovery uses it (Bryant and Lempert 2010): the
//! box of input space in which the cases of interest (here: design points where a
//! target fails, or is met) are densest.
//!
//! It follows the standalone `prim` package (EMA Workbench's PRIM, Project-Platypus)
//! step for step, with its original objective, and `tests/fixtures/prim/` holds that
//! package's answer on a fixed dataset, which a test here reproduces:
//!
//! 1. **Peeling.** The box starts as the data's bounding box. At each step, for every
//!    dimension, the candidate boxes drop the `alpha` share of the points in the box at
//!    its low end (the new limit is the `alpha` quantile of the box's values, as
//!    `prim.get_quantile` takes it) and at its high end (the `1 - alpha` quantile). The
//!    candidate whose points have the highest share of cases of interest (the original
//!    objective, eq. 14.1 of the paper: the mean of y in the new box) wins; ties go to
//!    the box with fewer restricted dimensions, then to the first candidate (dimensions
//!    in order, the high end before the low end). It is taken while its mass stays at
//!    least `mass_min`; otherwise peeling stops.
//! 2. **Pasting** (optional): the reverse, widening one restricted limit at a time by
//!    `paste_alpha` of the points beyond it, while the mean rises and mass grows.
//!
//! Every step is kept (the trajectory); the chosen box is the last one by default, as
//! in the package, or the one of highest coverage whose density reaches a threshold
//! ([`choose`]). Quasi-p-values ([`quasi_p`]) say per restricted dimension how likely
//! the box's density would be without that restriction.

/// PRIM's settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// Share of the box's points dropped per peel (0.05 in EMA and `prim`).
    pub peel_alpha: f64,
    /// Share of the points beyond a limit added per paste (0.05).
    pub paste_alpha: f64,
    /// Smallest mass (share of all points) a box may have (0.05).
    pub mass_min: f64,
    /// Paste after peeling (the `prim` package always does).
    pub paste: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            peel_alpha: 0.05,
            paste_alpha: 0.05,
            mass_min: 0.05,
            paste: false,
        }
    }
}

/// A box: the low and high limit of each dimension (inclusive).
pub type Limits = Vec<(f64, f64)>;

/// One box of the trajectory.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// The box.
    pub limits: Limits,
    /// Points in the box.
    pub points: usize,
    /// Cases of interest in the box.
    pub cases: usize,
    /// Share of all cases of interest that are in the box (0 when there are none).
    pub coverage: f64,
    /// Share of the box's points that are cases of interest.
    pub density: f64,
    /// Share of all points in the box.
    pub mass: f64,
    /// Dimensions whose limits differ from the data's bounding box.
    pub restricted: usize,
    /// Made by pasting rather than peeling.
    pub pasted: bool,
}

/// The peeling (and pasting) trajectory of one box.
#[derive(Debug, Clone, PartialEq)]
pub struct Trajectory {
    /// The data's bounding box (step 0's limits).
    pub init: Limits,
    /// Every box in order; the first holds all points.
    pub steps: Vec<Step>,
    /// Points.
    pub n: usize,
    /// Cases of interest.
    pub cases: usize,
}

/// Why PRIM cannot run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PrimError {
    /// No points.
    #[error("PRIM needs at least one point")]
    Empty,
    /// A point with another number of coordinates than the first, or a value that is
    /// not a finite number.
    #[error("point {0} has a missing or non-finite coordinate")]
    BadPoint(usize),
}

/// Which end of a dimension a peel or paste moves.
#[derive(Debug, Clone, Copy, PartialEq)]
enum End {
    High,
    Low,
}

fn inside(p: &[f64], lim: &[(f64, f64)]) -> bool {
    p.iter().zip(lim).all(|(&v, &(lo, hi))| lo <= v && v <= hi)
}

/// The quantile of sorted values as `prim.get_quantile` takes it: the midpoint of the
/// two values around position `(n - 1) q`, moved outwards past ties so that the limit
/// falls between two different values where it can.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let i = (sorted.len() - 1) as f64 * q;
    let (mut lo, mut hi) = (i.floor() as usize, i.ceil() as usize);
    if q > 0.5 {
        while sorted[lo] == sorted[hi] && lo > 0 {
            lo -= 1;
        }
    } else {
        while sorted[lo] == sorted[hi] && hi < sorted.len() - 1 {
            hi += 1;
        }
    }
    (sorted[lo] + sorted[hi]) / 2.0
}

/// The data and what every step needs of it.
struct Data<'a> {
    x: &'a [Vec<f64>],
    y: &'a [bool],
    init: Limits,
    cases: usize,
}

impl Data<'_> {
    fn step(&self, limits: Limits, members: &[usize], pasted: bool) -> Step {
        let cases = members.iter().filter(|&&i| self.y[i]).count();
        let n = self.y.len();
        Step {
            restricted: restricted(&limits, &self.init).len(),
            limits,
            points: members.len(),
            cases,
            coverage: if self.cases == 0 {
                0.0
            } else {
                cases as f64 / self.cases as f64
            },
            density: if members.is_empty() {
                0.0
            } else {
                cases as f64 / members.len() as f64
            },
            mass: members.len() as f64 / n as f64,
            pasted,
        }
    }

    /// The original objective: the mean of y over `members` (-1 for none).
    fn objective(&self, members: &[usize]) -> f64 {
        if members.is_empty() {
            return -1.0;
        }
        members.iter().filter(|&&i| self.y[i]).count() as f64 / members.len() as f64
    }

    fn members(&self, lim: &[(f64, f64)]) -> Vec<usize> {
        (0..self.x.len())
            .filter(|&i| inside(&self.x[i], lim))
            .collect()
    }
}

/// A candidate box: its objective, unrestricted dimensions, limits and points.
struct Candidate {
    score: f64,
    free: usize,
    limits: Limits,
    members: Vec<usize>,
}

/// Keeps the better of `best` and `c`: higher objective, then more unrestricted
/// dimensions; the earlier on a tie (as the package's stable sort).
fn better(best: &mut Option<Candidate>, c: Candidate) {
    let wins = best
        .as_ref()
        .is_none_or(|b| (c.score, c.free) > (b.score, b.free));
    if wins {
        *best = Some(c);
    }
}

/// The dimensions whose limits differ from `init`.
pub fn restricted(limits: &[(f64, f64)], init: &[(f64, f64)]) -> Vec<usize> {
    (0..limits.len())
        .filter(|&d| limits[d] != init[d])
        .collect()
}

/// Runs PRIM on points `x` (one row per point, every row as long) with cases of
/// interest `y`, returning the trajectory (deterministic: no randomness).
pub fn peel(x: &[Vec<f64>], y: &[bool], opts: &Options) -> Result<Trajectory, PrimError> {
    let k = x.first().ok_or(PrimError::Empty)?.len();
    if let Some(i) = x
        .iter()
        .position(|p| p.len() != k || p.iter().any(|v| !v.is_finite()))
    {
        return Err(PrimError::BadPoint(i));
    }
    let init: Limits = (0..k)
        .map(|d| {
            x.iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
                    (lo.min(p[d]), hi.max(p[d]))
                })
        })
        .collect();
    let data = Data {
        x,
        y: &y[..x.len().min(y.len())],
        cases: y.iter().take(x.len()).filter(|&&c| c).count(),
        init: init.clone(),
    };
    let n = data.y.len();
    let mut members: Vec<usize> = (0..n).collect();
    let mut steps = vec![data.step(init.clone(), &members, false)];
    // With no case of interest (or only such cases) every box has the same density.
    if data.cases == 0 || data.cases == n {
        return Ok(Trajectory {
            init,
            steps,
            n,
            cases: data.cases,
        });
    }
    loop {
        let cur = &steps[steps.len() - 1].limits;
        let mut best = None;
        for d in 0..k {
            let mut vals: Vec<f64> = members.iter().map(|&i| x[i][d]).collect();
            vals.sort_by(f64::total_cmp);
            for end in [End::High, End::Low] {
                let mut limits = cur.clone();
                let kept: Vec<usize> = match end {
                    End::High => {
                        let q = quantile(&vals, 1.0 - opts.peel_alpha);
                        limits[d].1 = q;
                        members.iter().copied().filter(|&i| x[i][d] <= q).collect()
                    }
                    End::Low => {
                        let q = quantile(&vals, opts.peel_alpha);
                        limits[d].0 = q;
                        members.iter().copied().filter(|&i| x[i][d] >= q).collect()
                    }
                };
                let c = Candidate {
                    score: data.objective(&kept),
                    free: k - restricted(&limits, &init).len(),
                    limits,
                    members: kept,
                };
                better(&mut best, c);
            }
        }
        let Some(c) = best else { break };
        let mass = c.members.len() as f64 / n as f64;
        if mass >= opts.mass_min && c.members.len() < members.len() && c.score > 0.0 {
            steps.push(data.step(c.limits, &c.members, false));
            members = c.members;
        } else {
            break;
        }
    }
    if opts.paste {
        paste(&data, &mut steps, &mut members, opts);
    }
    Ok(Trajectory {
        init,
        steps,
        n,
        cases: data.cases,
    })
}

/// Pasting: widens one restricted limit at a time by `paste_alpha` of the points
/// beyond it (within the other limits), while the best widening raises the mean.
fn paste(data: &Data, steps: &mut Vec<Step>, members: &mut Vec<usize>, opts: &Options) {
    let (init, k) = (&data.init, data.init.len());
    loop {
        let cur = steps[steps.len() - 1].limits.clone();
        let mut best = None;
        for d in restricted(&cur, init) {
            for end in [End::Low, End::High] {
                // The points beyond this limit, within the box's other limits.
                let mut beyond = cur.clone();
                beyond[d] = match end {
                    End::Low => (init[d].0, cur[d].0),
                    End::High => (cur[d].1, init[d].1),
                };
                let mut vals: Vec<f64> = data
                    .members(&beyond)
                    .into_iter()
                    .map(|i| data.x[i][d])
                    .collect();
                vals.sort_by(f64::total_cmp);
                let mut limits = cur.clone();
                match end {
                    End::Low => {
                        limits[d].0 = if vals.is_empty() {
                            init[d].0
                        } else {
                            quantile(&vals, 1.0 - opts.paste_alpha)
                        }
                    }
                    End::High => {
                        limits[d].1 = if vals.is_empty() {
                            init[d].1
                        } else {
                            quantile(&vals, opts.paste_alpha)
                        }
                    }
                }
                let kept = data.members(&limits);
                let c = Candidate {
                    score: data.objective(&kept),
                    free: k - restricted(&limits, init).len(),
                    limits,
                    members: kept,
                };
                better(&mut best, c);
            }
        }
        let Some(c) = best else { break };
        let mass = c.members.len() as f64 / data.y.len() as f64;
        if mass >= opts.mass_min
            && c.members.len() > members.len()
            && c.score > 0.0
            && c.score > data.objective(members)
        {
            steps.push(data.step(c.limits, &c.members, true));
            *members = c.members;
        } else {
            break;
        }
    }
}

/// The chosen step: with `threshold`, the step of highest coverage whose density
/// reaches it (of steps with that coverage, the densest, then the earliest); otherwise,
/// or when none does, the last step (the `prim` package's and EMA Workbench's default).
pub fn choose(t: &Trajectory, threshold: Option<f64>) -> usize {
    let last = t.steps.len() - 1;
    let Some(th) = threshold else { return last };
    let mut pick: Option<usize> = None;
    for (i, s) in t.steps.iter().enumerate() {
        let beats = |p: usize| {
            let b = &t.steps[p];
            (s.coverage, s.density) > (b.coverage, b.density)
        };
        if s.density >= th && pick.is_none_or(beats) {
            pick = Some(i);
        }
    }
    pick.unwrap_or(last)
}

/// The quasi-p-value of each restricted dimension of step `i` (Bryant and Lempert 2010,
/// as `prim`'s `_calculate_quasi_p`): with that one restriction dropped, the box's
/// density is `p`; the value is the chance of at least the box's cases of interest
/// among its points if each were one with probability `p` (one-sided binomial test).
/// Small values mean the restriction matters. Pairs of (dimension, value), in
/// dimension order.
pub fn quasi_p(x: &[Vec<f64>], y: &[bool], t: &Trajectory, i: usize) -> Vec<(usize, f64)> {
    let step = &t.steps[i];
    restricted(&step.limits, &t.init)
        .into_iter()
        .map(|d| {
            let mut lim = step.limits.clone();
            lim[d] = t.init[d];
            let (mut tj, mut hj) = (0usize, 0usize);
            for (p, &c) in x.iter().zip(y) {
                if inside(p, &lim) {
                    tj += 1;
                    hj += usize::from(c);
                }
            }
            let p = if tj == 0 { 0.0 } else { hj as f64 / tj as f64 };
            (d, binomial_sf(step.cases, step.points, p))
        })
        .collect()
}

/// P(X >= k) for X ~ Binomial(n, p), summed in log space (exact to ~1e-12 relative
/// for the n of a design).
pub fn binomial_sf(k: usize, n: usize, p: f64) -> f64 {
    if k == 0 {
        return 1.0;
    }
    if k > n || p <= 0.0 {
        return 0.0;
    }
    if p >= 1.0 {
        return 1.0;
    }
    // ln j! for j = 0..=n.
    let mut ln_fact = vec![0.0f64; n + 1];
    for j in 1..=n {
        ln_fact[j] = ln_fact[j - 1] + (j as f64).ln();
    }
    let (lp, lq) = (p.ln(), (-p).ln_1p());
    let terms: Vec<f64> = (k..=n)
        .map(|j| ln_fact[n] - ln_fact[j] - ln_fact[n - j] + j as f64 * lp + (n - j) as f64 * lq)
        .collect();
    let top = terms.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let sum: f64 = terms.iter().map(|t| (t - top).exp()).sum();
    (top + sum.ln()).exp().min(1.0)
}

#[cfg(test)]
mod tests;
