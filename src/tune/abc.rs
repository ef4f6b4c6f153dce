//! Approximate Bayesian computation by sequential Monte Carlo (ABC-SMC, also called
//! ABC population Monte Carlo: Beaumont, Cornuet, Marin and Robert 2009; Toni et al.
//! 2009), with a uniform prior on a box of parameter ranges.
//!
//! Generation 0 draws `particles` points from the prior and keeps them all, with equal
//! weights. Each later generation sets its tolerance to a quantile (by default the
//! median) of the previous generation's distances, then proposes points, in rounds
//! ([`Smc`]), until `particles` of them are within it: a proposal picks a particle of the previous
//! generation by weight and moves it by a Gaussian kernel whose variance in each
//! dimension is twice the weighted variance of the previous generation (Beaumont et al.'s
//! choice; dimensions are perturbed independently), redrawing the move until the point
//! is inside the prior box (the kernel is truncated to the box). An accepted point gets
//! the weight prior / Σⱼ wⱼ Kⱼ(θ), where Kⱼ is the truncated kernel around particle j
//! (normalised by its mass inside the box), so the weighted population estimates the
//! posterior given "distance ≤ tolerance".
//!
//! Everything is deterministic from the seed: proposal k of generation g uses its own
//! random stream derived from (seed, g, k), proposals are accepted in the order of k, and
//! the caller evaluates each round of proposals and returns the distances in order, so
//! the result does not depend on how (on how many threads, or in how many shards) the
//! caller evaluates them.
//! Nothing here knows about scenarios: the distance is a closure.

use rand::SeedableRng;
use rand::rngs::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

/// When to stop.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Stop {
    /// After this many generations (generation 0 included).
    Generations(usize),
    /// After the first generation that accepts fewer than this share of its proposals
    /// (at most [`MAX_GENERATIONS`] generations).
    Acceptance(f64),
}

/// Most generations under [`Stop::Acceptance`].
pub const MAX_GENERATIONS: usize = 30;

/// A generation that would accept fewer than this share of its proposals is abandoned
/// and the calibration ends with the previous one (under either stopping rule), so a
/// tolerance that nothing can meet costs at most `particles / MIN_ACCEPTANCE` proposals.
pub const MIN_ACCEPTANCE: f64 = 0.01;

/// Settings of a calibration.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// Particles per generation.
    pub particles: usize,
    /// Quantile of the previous generation's distances used as the next tolerance (0..1).
    pub quantile: f64,
    /// When to stop.
    pub stop: Stop,
    /// Seed of the proposals.
    pub seed: u64,
}

/// A weighted point of parameter space.
#[derive(Debug, Clone, PartialEq)]
pub struct Particle {
    /// One value per parameter.
    pub values: Vec<f64>,
    /// Normalised weight (the weights of a generation sum to 1).
    pub weight: f64,
    /// Its distance to the observations.
    pub distance: f64,
}

/// One population.
#[derive(Debug, Clone, PartialEq)]
pub struct Generation {
    /// The largest distance accepted (infinite for generation 0).
    pub tolerance: f64,
    /// The accepted particles, in the order they were proposed.
    pub particles: Vec<Particle>,
    /// Proposals it took: up to the one that completed it (for generation 0, all).
    pub proposed: usize,
    /// Proposals evaluated in its rounds (a round may go beyond the one that completed
    /// it; see [`Smc`]).
    pub evaluated: usize,
}

impl Generation {
    /// Share of proposals accepted.
    pub fn acceptance(&self) -> f64 {
        self.particles.len() as f64 / self.proposed.max(1) as f64
    }
}

/// The populations, first to last, and why the last one is last.
#[derive(Debug, Clone, PartialEq)]
pub struct Abc {
    /// Every generation; the last is the posterior sample.
    pub generations: Vec<Generation>,
    /// Proposals evaluated in an abandoned generation (0 if none was abandoned).
    pub abandoned_proposals: usize,
    /// Why it stopped, for people.
    pub stopped: String,
    /// Every proposal evaluated, in order.
    pub archive: Vec<Evaluation>,
}

impl Abc {
    /// The posterior sample: the last generation.
    pub fn posterior(&self) -> &Generation {
        // `run` always returns at least generation 0.
        &self.generations[self.generations.len() - 1]
    }

    /// Every proposal evaluated.
    pub fn evaluations(&self) -> usize {
        self.archive.len()
    }
}

/// A random stream for proposal `k` of generation `g`, independent of every other.
fn stream(seed: u64, g: usize, k: usize) -> ChaCha8Rng {
    let mix = |mut z: u64| {
        // splitmix64's finaliser
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let key = mix(mix(seed ^ 0x6162_6373_6d63_0000) ^ mix(g as u64) ^ mix((k as u64) << 20 | 1));
    ChaCha8Rng::seed_from_u64(key)
}

fn uniform01(rng: &mut ChaCha8Rng) -> f64 {
    rand_distr::Uniform::new(0.0, 1.0).map_or(0.5, |u| u.sample(rng))
}

/// One run of a predictive check: the ensemble seed its simulation runs with (the same
/// for the prior and the posterior draw: common random numbers), a draw from the prior
/// box and a draw from the posterior's particles by weight.
#[derive(Debug, Clone, PartialEq)]
pub struct PredictiveDraw {
    /// Ensemble seed of this run's simulation.
    pub seed: u64,
    /// Parameter values drawn uniformly from the box.
    pub prior: Vec<f64>,
    /// The values of a particle of `posterior` picked by weight.
    pub posterior: Vec<f64>,
}

/// The draws of `runs` predictive runs, run r from its own stream of `seed` (one no
/// proposal uses), so they depend on nothing else.
pub fn predictive_draws(
    bounds: &[(f64, f64)],
    posterior: &Generation,
    seed: u64,
    runs: usize,
) -> Vec<PredictiveDraw> {
    let total: f64 = posterior.particles.iter().map(|p| p.weight).sum();
    (0..runs)
        .map(|r| {
            let mut rng = stream(seed, usize::MAX, r);
            let run_seed = rand::Rng::next_u64(&mut rng);
            let prior = bounds
                .iter()
                .map(|&(lo, hi)| lo + uniform01(&mut rng) * (hi - lo))
                .collect();
            let mut u = uniform01(&mut rng) * total;
            let pick = posterior
                .particles
                .iter()
                .position(|p| {
                    u -= p.weight;
                    u < 0.0
                })
                .unwrap_or(posterior.particles.len().saturating_sub(1));
            PredictiveDraw {
                seed: run_seed,
                prior,
                posterior: posterior
                    .particles
                    .get(pick)
                    .map_or_else(Vec::new, |p| p.values.clone()),
            }
        })
        .collect()
}

/// The caller's evaluation: `(generation, proposals)` to their distances, in order.
pub type Distances<'a, E> = dyn FnMut(usize, &[Vec<f64>]) -> Result<Vec<f64>, E> + 'a;

/// One evaluated proposal.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// Its generation.
    pub generation: usize,
    /// Its index among the generation's proposals.
    pub proposal: usize,
    /// Its parameter values.
    pub values: Vec<f64>,
    /// Its distance (NaN recorded as infinite).
    pub distance: f64,
}

/// A round: the proposals `first..first + proposals.len()` of generation `generation`,
/// evaluated together (and split between shards).
#[derive(Debug, Clone, PartialEq)]
pub struct Round {
    /// Generation.
    pub generation: usize,
    /// Index of its first proposal in the generation.
    pub first: usize,
    /// The proposals, in order.
    pub proposals: Vec<Vec<f64>>,
}

/// A generation being filled: its tolerance, kernel and the proposals evaluated so far.
struct Filling<'a> {
    g: usize,
    tolerance: f64,
    kernel: Kernel<'a>,
    cumulative: Vec<f64>,
    /// Distances of proposals 0.. of this generation, in order.
    distances: Vec<f64>,
    accepted: usize,
}

/// ABC-SMC one round at a time. A round's proposals ([`pending`](Self::pending)) are a
/// pure function of the settings and the distances recorded before it, so a
/// calibration can stop after any round and go on by recording the same distances
/// again (`--shard` and `--resume` of `calibrate`).
///
/// Generation 0 is one round of `particles` proposals. A later generation's first round
/// has as many proposals as particles are wanted; each further round as many as this
/// generation's acceptance so far says are needed for the rest, with a fifth more to
/// spare (at least the number missing, at most what is left of the budget of
/// `particles / MIN_ACCEPTANCE`). Particles are accepted in the order of the proposals,
/// so the populations do not depend on the rounds: a round may evaluate proposals beyond
/// the one that completes the generation, which count in [`Abc::evaluations`] but not in
/// [`Generation::proposed`].
pub struct Smc<'a> {
    bounds: &'a [(f64, f64)],
    s: Settings,
    n: usize,
    generations: Vec<Generation>,
    archive: Vec<Evaluation>,
    filling: Option<Filling<'a>>,
    pending: Option<Round>,
    abandoned: usize,
    stopped: String,
}

impl<'a> Smc<'a> {
    /// A calibration over the box `bounds` (`(lo, hi)` per parameter, `hi > lo`).
    pub fn new(bounds: &'a [(f64, f64)], settings: &Settings) -> Self {
        let n = settings.particles.max(1);
        let prior = (0..n)
            .map(|k| {
                let mut rng = stream(settings.seed, 0, k);
                bounds
                    .iter()
                    .map(|&(lo, hi)| lo + uniform01(&mut rng) * (hi - lo))
                    .collect()
            })
            .collect();
        Self {
            bounds,
            s: *settings,
            n,
            generations: Vec::new(),
            archive: Vec::new(),
            filling: None,
            pending: Some(Round {
                generation: 0,
                first: 0,
                proposals: prior,
            }),
            abandoned: 0,
            stopped: String::new(),
        }
    }

    /// The next round to evaluate, or `None` when the calibration is over.
    pub fn pending(&self) -> Option<&Round> {
        self.pending.as_ref()
    }

    /// Every proposal evaluated so far, in order.
    pub fn archive(&self) -> &[Evaluation] {
        &self.archive
    }

    /// Records the distances of the pending round, in order (NaN counts as infinitely
    /// far), and sets up the next round.
    ///
    /// # Panics
    /// If nothing is pending or `distances` is not one per proposal (a caller's bug).
    pub fn record(&mut self, distances: Vec<f64>) {
        let round = self.pending.take().expect("a pending round");
        assert_eq!(
            round.proposals.len(),
            distances.len(),
            "one distance per proposal"
        );
        let g = round.generation;
        for (i, (values, d)) in round.proposals.into_iter().zip(distances).enumerate() {
            self.archive.push(Evaluation {
                generation: g,
                proposal: round.first + i,
                values,
                distance: if d.is_nan() { f64::INFINITY } else { d },
            });
        }
        let start = self.first_of(g);
        let n = self.n;
        if g == 0 {
            let particles = self.archive[start..]
                .iter()
                .map(|e| Particle {
                    values: e.values.clone(),
                    weight: 1.0 / n as f64,
                    distance: e.distance,
                })
                .collect();
            self.generations.push(Generation {
                tolerance: f64::INFINITY,
                particles,
                proposed: n,
                evaluated: n,
            });
            self.next_generation();
            return;
        }
        let Some(mut f) = self.filling.take() else {
            return;
        };
        let from = start + f.distances.len();
        for e in &self.archive[from..] {
            f.distances.push(e.distance);
            if e.distance <= f.tolerance && f.accepted < n {
                f.accepted += 1;
            }
        }
        if f.accepted >= n {
            let generation = self.complete(&f, &self.archive[start..]);
            self.generations.push(generation);
            self.next_generation();
            return;
        }
        let evaluated = f.distances.len();
        let budget = self.budget();
        if evaluated >= budget {
            self.abandoned = evaluated;
            self.stopped = format!(
                "generation {g} would accept fewer than {} % of its proposals; kept generation {}",
                MIN_ACCEPTANCE * 100.0,
                g - 1
            );
            return;
        }
        let missing = n - f.accepted;
        let want = (1.2 * missing as f64 * evaluated as f64 / f.accepted.max(1) as f64).ceil();
        let count = (want as usize).max(missing).min(budget - evaluated);
        self.pending = Some(self.propose(&f, evaluated, count));
        self.filling = Some(f);
    }

    /// Index into the archive of the first proposal of generation `g`.
    fn first_of(&self, g: usize) -> usize {
        self.archive.partition_point(|e| e.generation < g)
    }

    fn budget(&self) -> usize {
        (self.n as f64 / MIN_ACCEPTANCE).ceil() as usize
    }

    /// The filled generation: its first `n` accepted proposals, weighted.
    fn complete(&self, f: &Filling<'_>, this: &[Evaluation]) -> Generation {
        let prev = &self.generations[f.g - 1];
        let mut accepted: Vec<Particle> = Vec::with_capacity(self.n);
        let mut proposed = 0;
        for e in this {
            if accepted.len() == self.n {
                break;
            }
            proposed += 1;
            if e.distance <= f.tolerance {
                accepted.push(Particle {
                    values: e.values.clone(),
                    weight: 0.0,
                    distance: e.distance,
                });
            }
        }
        // The prior is uniform on the box, so its density is the same for every particle.
        let log_mix: Vec<f64> = accepted
            .iter()
            .map(|p| f.kernel.log_mixture(prev, &p.values))
            .collect();
        let least = log_mix.iter().copied().fold(f64::INFINITY, f64::min);
        for (p, l) in accepted.iter_mut().zip(&log_mix) {
            p.weight = (least - l).exp();
        }
        let sum: f64 = accepted.iter().map(|p| p.weight).sum();
        for p in &mut accepted {
            p.weight /= sum;
        }
        Generation {
            tolerance: f.tolerance,
            particles: accepted,
            proposed,
            evaluated: this.len(),
        }
    }

    /// Proposals `first..first + count` of the generation being filled.
    fn propose(&self, f: &Filling<'_>, first: usize, count: usize) -> Round {
        let prev = &self.generations[f.g - 1];
        let total = f.cumulative.last().copied().unwrap_or(1.0);
        Round {
            generation: f.g,
            first,
            proposals: (first..first + count)
                .map(|k| {
                    let mut rng = stream(self.s.seed, f.g, k);
                    let u = uniform01(&mut rng) * total;
                    let j = f
                        .cumulative
                        .partition_point(|&c| c <= u)
                        .min(prev.particles.len() - 1);
                    f.kernel.perturb(&prev.particles[j].values, &mut rng)
                })
                .collect(),
        }
    }

    /// After a generation is complete: stops, or sets up the next one's first round.
    fn next_generation(&mut self) {
        let g = self.generations.len();
        let last = &self.generations[g - 1];
        let stop = match self.s.stop {
            Stop::Generations(max) if g >= max => Some(format!("{max} generations done")),
            Stop::Acceptance(a) if g > 1 && last.acceptance() < a => Some(format!(
                "acceptance {:.3} fell below {a} in generation {}",
                last.acceptance(),
                g - 1
            )),
            Stop::Acceptance(_) if g >= MAX_GENERATIONS => Some(format!(
                "{MAX_GENERATIONS} generations done (the most allowed)"
            )),
            _ => None,
        };
        if let Some(why) = stop {
            self.stopped = why;
            return;
        }
        let dists: Vec<f64> = last.particles.iter().map(|p| p.distance).collect();
        let f = Filling {
            g,
            tolerance: quantile(&dists, self.s.quantile),
            kernel: Kernel::new(self.bounds, last),
            cumulative: last
                .particles
                .iter()
                .scan(0.0, |acc, p| {
                    *acc += p.weight;
                    Some(*acc)
                })
                .collect(),
            distances: Vec::new(),
            accepted: 0,
        };
        self.pending = Some(self.propose(&f, 0, self.n));
        self.filling = Some(f);
    }

    /// Records `done` (evaluations of whole rounds, as [`archive`](Self::archive) lists
    /// them, e.g. read back from a folder) round by round, checking that each is the
    /// proposal this calibration makes there.
    pub fn replay(&mut self, done: &[Evaluation]) -> Result<(), String> {
        let mut at = 0;
        while at < done.len() {
            let Some(round) = self.pending.as_ref() else {
                return Err(format!(
                    "it holds {} evaluations beyond the end of the calibration",
                    done.len() - at
                ));
            };
            let rows = &done[at..done.len().min(at + round.proposals.len())];
            if rows.len() < round.proposals.len() {
                return Err(format!(
                    "its last round (generation {}, proposals {}..{}) is incomplete",
                    round.generation,
                    round.first,
                    round.first + round.proposals.len()
                ));
            }
            for (i, (e, x)) in rows.iter().zip(&round.proposals).enumerate() {
                let (g, k) = (round.generation, round.first + i);
                let what = if (e.generation, e.proposal) != (g, k) {
                    format!(
                        "is generation {}, proposal {}, where this calibration's next is generation {g}, proposal {k}",
                        e.generation, e.proposal
                    )
                } else if e.values != *x {
                    format!(
                        "(generation {g}, proposal {k}) has other parameter values than this calibration proposes there"
                    )
                } else {
                    continue;
                };
                return Err(format!(
                    "evaluation {} {what}: it was written with other settings, or changed since",
                    at + i
                ));
            }
            at += rows.len();
            self.record(rows.iter().map(|e| e.distance).collect());
        }
        Ok(())
    }

    /// The populations so far, and why the last one is last.
    pub fn finish(self) -> Abc {
        Abc {
            generations: self.generations,
            abandoned_proposals: self.abandoned,
            stopped: self.stopped,
            archive: self.archive,
        }
    }
}

/// Runs ABC-SMC over the box `bounds` (`(lo, hi)` per parameter, `hi > lo`) to the end.
/// `distances(g, batch)` evaluates the proposals of a round of generation `g` and returns
/// their distances in order (NaN counts as infinitely far). Generation 0 is one round of
/// exactly `particles` proposals, so the caller may set a distance scale from it.
pub fn run<E>(
    bounds: &[(f64, f64)],
    settings: &Settings,
    distances: &mut Distances<'_, E>,
) -> Result<Abc, E> {
    let mut smc = Smc::new(bounds, settings);
    while let Some(round) = smc.pending() {
        let d = distances(round.generation, &round.proposals)?;
        smc.record(d);
    }
    Ok(smc.finish())
}

/// The truncated Gaussian kernel of a generation.
struct Kernel<'a> {
    bounds: &'a [(f64, f64)],
    sd: Vec<f64>,
    /// Per previous particle: the log of its kernel's mass inside the box.
    log_mass: Vec<f64>,
}

impl<'a> Kernel<'a> {
    fn new(bounds: &'a [(f64, f64)], prev: &Generation) -> Self {
        let sd: Vec<f64> = (0..bounds.len())
            .map(|d| {
                let (_, var) = weighted_mean_var(&prev.particles, d);
                let width = bounds[d].1 - bounds[d].0;
                // A collapsed dimension still moves a little, so the weights stay finite.
                (2.0 * var).sqrt().max(width * 1e-6)
            })
            .collect();
        let log_mass = prev
            .particles
            .iter()
            .map(|p| {
                (0..bounds.len())
                    .map(|d| {
                        let (lo, hi) = bounds[d];
                        let m = p.values[d];
                        (normal_cdf((hi - m) / sd[d]) - normal_cdf((lo - m) / sd[d]))
                            .max(1e-300)
                            .ln()
                    })
                    .sum()
            })
            .collect();
        Self {
            bounds,
            sd,
            log_mass,
        }
    }

    fn inside(&self, x: &[f64]) -> bool {
        x.iter()
            .zip(self.bounds)
            .all(|(v, &(lo, hi))| (lo..=hi).contains(v))
    }

    /// Moves `from` inside the box: redraws up to 1,000 times, then clamps.
    fn perturb(&self, from: &[f64], rng: &mut ChaCha8Rng) -> Vec<f64> {
        for _ in 0..1000 {
            let x: Vec<f64> = from
                .iter()
                .zip(&self.sd)
                .map(|(m, s)| {
                    let z: f64 = StandardNormal.sample(rng);
                    m + s * z
                })
                .collect();
            if self.inside(&x) {
                return x;
            }
        }
        from.iter()
            .zip(self.bounds)
            .map(|(v, &(lo, hi))| v.clamp(lo, hi))
            .collect()
    }

    /// ln Σⱼ wⱼ Kⱼ(x) up to a constant common to every x (summed in the log domain, so
    /// a point far from every particle does not underflow to a zero density).
    fn log_mixture(&self, prev: &Generation, x: &[f64]) -> f64 {
        let terms: Vec<f64> = prev
            .particles
            .iter()
            .zip(&self.log_mass)
            .map(|(p, lm)| {
                let q: f64 = x
                    .iter()
                    .zip(&p.values)
                    .zip(&self.sd)
                    .map(|((a, b), s)| ((a - b) / s).powi(2))
                    .sum();
                p.weight.ln() - 0.5 * q - lm
            })
            .collect();
        let top = terms.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        top + terms.iter().map(|t| (t - top).exp()).sum::<f64>().ln()
    }
}

/// Standard normal distribution function (Abramowitz and Stegun 7.1.26 for erf,
/// absolute error below 1.5e-7).
pub fn normal_cdf(z: f64) -> f64 {
    let x = z.abs() / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.327_591_1 * x);
    let poly = t
        * (0.254_829_592
            + t * (-0.284_496_736
                + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
    let erf = 1.0 - poly * (-x * x).exp();
    if z >= 0.0 {
        0.5 * (1.0 + erf)
    } else {
        0.5 * (1.0 - erf)
    }
}

/// The `q` quantile of `xs` (linear between order statistics; infinities allowed).
pub fn quantile(xs: &[f64], q: f64) -> f64 {
    let mut v: Vec<f64> = xs.iter().copied().filter(|x| !x.is_nan()).collect();
    if v.is_empty() {
        return f64::INFINITY;
    }
    v.sort_by(f64::total_cmp);
    let h = q.clamp(0.0, 1.0) * (v.len() - 1) as f64;
    let (i, f) = (h.floor() as usize, h.fract());
    if f == 0.0 || i + 1 >= v.len() {
        v[i]
    } else {
        v[i] + f * (v[i + 1] - v[i])
    }
}

/// Weighted mean and variance of parameter `d`.
pub fn weighted_mean_var(ps: &[Particle], d: usize) -> (f64, f64) {
    let w: f64 = ps.iter().map(|p| p.weight).sum();
    if w <= 0.0 {
        return (f64::NAN, f64::NAN);
    }
    let mean = ps.iter().map(|p| p.weight * p.values[d]).sum::<f64>() / w;
    let var = ps
        .iter()
        .map(|p| p.weight * (p.values[d] - mean).powi(2))
        .sum::<f64>()
        / w;
    (mean, var)
}

/// Weighted `q` quantile of parameter `d`: the smallest value whose cumulative weight
/// reaches `q`.
pub fn weighted_quantile(ps: &[Particle], d: usize, q: f64) -> f64 {
    let mut v: Vec<(f64, f64)> = ps.iter().map(|p| (p.values[d], p.weight)).collect();
    v.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total: f64 = v.iter().map(|x| x.1).sum();
    let mut acc = 0.0;
    for (x, w) in &v {
        acc += w;
        if acc >= q * total {
            return *x;
        }
    }
    v.last().map_or(f64::NAN, |x| x.0)
}

/// Weighted correlation of parameters `a` and `b` (0 when either does not vary).
pub fn weighted_correlation(ps: &[Particle], a: usize, b: usize) -> f64 {
    let (ma, va) = weighted_mean_var(ps, a);
    let (mb, vb) = weighted_mean_var(ps, b);
    let w: f64 = ps.iter().map(|p| p.weight).sum();
    if !(va > 0.0 && vb > 0.0) || w <= 0.0 {
        return 0.0;
    }
    let cov = ps
        .iter()
        .map(|p| p.weight * (p.values[a] - ma) * (p.values[b] - mb))
        .sum::<f64>()
        / w;
    cov / (va * vb).sqrt()
}

/// A triangular distribution `(lo, mode, hi)` inside `[min, max]` with mean `mean` and
/// standard deviation about `sd`: a symmetric triangle of half-width √6·sd (whose
/// standard deviation is exactly `sd`) around the mean, cut to `[min, max]`, with the
/// mode then moved so that the mean stays `(lo + mode + hi) / 3`; when even a mode at the
/// cut bound cannot keep the mean, the other end is brought in (narrower than asked).
pub fn fit_triangular(mean: f64, sd: f64, min: f64, max: f64) -> (f64, f64, f64) {
    let half = 6f64.sqrt() * sd.max(0.0);
    let mean = mean.clamp(min, max);
    let (lo, hi) = ((mean - half).max(min), (mean + half).min(max));
    let mode = 3.0 * mean - lo - hi;
    if mode < lo {
        // Cut at the bottom: the mode at the bound and the top brought in keep the mean.
        (lo, lo, (3.0 * mean - 2.0 * lo).clamp(lo, hi))
    } else if mode > hi {
        ((3.0 * mean - 2.0 * hi).clamp(lo, hi), hi, hi)
    } else {
        (lo, mode, hi)
    }
}

/// Per observation, the spread used to make its score scale-free: the standard deviation
/// of `pooled[i]` (every run of every generation-0 particle: the prior predictive
/// distribution); 0 when it does not vary (the observation then carries no information
/// about the parameters and [`distance`] leaves it out).
pub fn scales(pooled: &[Vec<f64>]) -> Vec<f64> {
    pooled
        .iter()
        .map(|xs| {
            let v: Vec<f64> = xs.iter().copied().filter(|x| x.is_finite()).collect();
            if v.len() < 2 {
                return 0.0;
            }
            let m = v.iter().sum::<f64>() / v.len() as f64;
            let sd = (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() - 1) as f64).sqrt();
            // Rounding leaves a tiny spread in values that are all the same.
            if sd <= 1e-12 * m.abs().max(1e-300) {
                0.0
            } else {
                sd
            }
        })
        .collect()
}

/// The distance of a particle: the mean over observations with a positive scale of the
/// CRPS of its ensemble against the observation divided by that scale (NaN CRPS, from an
/// observation undefined in every run, counts as infinitely far).
pub fn distance(crps: &[f64], scales: &[f64]) -> f64 {
    let terms: Vec<f64> = crps
        .iter()
        .zip(scales)
        .filter(|(_, s)| **s > 0.0)
        .map(|(c, s)| if c.is_nan() { f64::INFINITY } else { c / s })
        .collect();
    if terms.is_empty() {
        return 0.0;
    }
    terms.iter().sum::<f64>() / terms.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A toy model with a known posterior: the observation is the mean of `runs` noisy
    /// draws around θ; the distance is |mean − y|.
    fn toy(theta: &[f64]) -> f64 {
        (theta[0] - 0.3).abs() + (theta[1] - 7.0).abs() / 10.0
    }

    fn settings(stop: Stop) -> Settings {
        Settings {
            particles: 200,
            quantile: 0.5,
            stop,
            seed: 42,
        }
    }

    fn calibrate(s: &Settings) -> Abc {
        run::<()>(&[(0.0, 1.0), (0.0, 10.0)], s, &mut |_, batch| {
            Ok(batch.iter().map(|t| toy(t)).collect())
        })
        .unwrap()
    }

    #[test]
    fn the_posterior_closes_in_on_the_truth_and_tolerances_shrink() {
        let abc = calibrate(&settings(Stop::Generations(6)));
        assert_eq!(abc.generations.len(), 6);
        let tol: Vec<f64> = abc.generations.iter().map(|g| g.tolerance).collect();
        assert!(tol.windows(2).all(|w| w[1] < w[0]), "{tol:?}");
        let post = &abc.posterior().particles;
        assert_eq!(post.len(), 200);
        let w: f64 = post.iter().map(|p| p.weight).sum();
        assert!((w - 1.0).abs() < 1e-9);
        let (m0, v0) = weighted_mean_var(post, 0);
        let (m1, _) = weighted_mean_var(post, 1);
        assert!(
            (m0 - 0.3).abs() < 0.05 && (m1 - 7.0).abs() < 0.5,
            "{m0} {m1}"
        );
        assert!(v0.sqrt() < 0.1, "{v0}");
        assert!(weighted_quantile(post, 0, 0.05) <= 0.3 && weighted_quantile(post, 0, 0.95) >= 0.3);
        for p in post {
            assert!(p.distance <= tol[5]);
            assert!((0.0..=1.0).contains(&p.values[0]) && (0.0..=10.0).contains(&p.values[1]));
        }
    }

    #[test]
    fn batches_do_not_change_the_result_and_the_seed_does() {
        let s = settings(Stop::Generations(3));
        let a = calibrate(&s);
        // Evaluating one proposal at a time must give the same populations.
        let b = run::<()>(&[(0.0, 1.0), (0.0, 10.0)], &s, &mut |_, batch| {
            let mut out = Vec::new();
            for t in batch {
                out.push(toy(t));
            }
            Ok(out)
        })
        .unwrap();
        assert_eq!(a, b);
        let c = calibrate(&Settings { seed: 43, ..s });
        assert_ne!(a.posterior(), c.posterior());
    }

    #[test]
    fn replaying_any_whole_rounds_and_going_on_ends_where_one_go_does() {
        let bounds = [(0.0, 1.0), (0.0, 10.0)];
        let s = settings(Stop::Generations(4));
        let whole = calibrate(&s);
        let proposed: usize = whole.generations.iter().map(|g| g.proposed).sum();
        assert!(whole.evaluations() >= proposed);
        // Where each round ends in the archive.
        let mut smc = Smc::new(&bounds, &s);
        let mut ends = Vec::new();
        while let Some(r) = smc.pending() {
            let d = r.proposals.iter().map(|t| toy(t)).collect();
            smc.record(d);
            ends.push(smc.archive().len());
        }
        assert!(
            ends.len() > 4,
            "{ends:?}: some generation takes several rounds"
        );
        let archive = &whole.archive;
        for &end in &ends {
            let mut smc = Smc::new(&bounds, &s);
            smc.replay(&archive[..end]).unwrap();
            while let Some(r) = smc.pending() {
                let d = r.proposals.iter().map(|t| toy(t)).collect();
                smc.record(d);
            }
            assert_eq!(smc.finish(), whole, "resumed after {end} evaluations");
        }
        // Half a round, or a proposal this calibration does not make, is refused.
        let mut smc = Smc::new(&bounds, &s);
        let err = smc.replay(&archive[..ends[0] + 1]).unwrap_err();
        assert!(err.contains("incomplete"), "{err}");
        let mut bad = archive[..ends[0]].to_vec();
        bad[3].values[0] += 1e-9;
        let err = Smc::new(&bounds, &s).replay(&bad).unwrap_err();
        assert!(err.contains("evaluation 3"), "{err}");
    }

    #[test]
    fn acceptance_stops_and_an_impossible_tolerance_is_abandoned() {
        let abc = calibrate(&settings(Stop::Acceptance(0.45)));
        let n = abc.generations.len();
        assert!(n >= 2);
        for g in &abc.generations[1..n - 1] {
            assert!(g.acceptance() >= 0.45, "{}", g.acceptance());
        }
        assert!(abc.posterior().acceptance() < 0.45 || n == MAX_GENERATIONS);
        // A distance that is 0 for half the prior and 1 elsewhere: tolerance 0 after
        // generation 0 still accepts; one where every distance is distinct but random
        // cannot be met, so the generation is abandoned.
        let mut calls = 0u64;
        let abc = run::<()>(
            &[(0.0, 1.0)],
            &settings(Stop::Generations(5)),
            &mut |g, batch| {
                calls += 1;
                Ok(batch
                    .iter()
                    .map(|t| if g == 0 { t[0] } else { 2.0 })
                    .collect())
            },
        )
        .unwrap();
        assert_eq!(abc.generations.len(), 1);
        assert_eq!(abc.abandoned_proposals, 20_000);
        assert!(abc.stopped.contains("fewer than"), "{}", abc.stopped);
    }

    #[test]
    fn predictive_draws_are_reproducible_inside_the_box_and_follow_the_weights() {
        let bounds = [(0.0, 1.0), (10.0, 20.0)];
        let particle = |values: Vec<f64>, weight| Particle {
            values,
            weight,
            distance: 0.0,
        };
        let post = Generation {
            tolerance: 1.0,
            particles: vec![
                particle(vec![0.2, 12.0], 0.9),
                particle(vec![0.8, 18.0], 0.1),
            ],
            proposed: 2,
            evaluated: 2,
        };
        let draws = predictive_draws(&bounds, &post, 7, 500);
        assert_eq!(draws, predictive_draws(&bounds, &post, 7, 500));
        assert_ne!(draws, predictive_draws(&bounds, &post, 8, 500));
        for d in &draws {
            for (x, (lo, hi)) in d.prior.iter().zip(bounds) {
                assert!((lo..=hi).contains(x), "{x} outside {lo}..{hi}");
            }
        }
        // Binomial(500, 0.9): 450 expected, sd 6.7.
        let heavy = draws
            .iter()
            .filter(|d| d.posterior == post.particles[0].values)
            .count();
        assert!((420..=480).contains(&heavy), "{heavy}");
        let mut seeds: Vec<u64> = draws.iter().map(|d| d.seed).collect();
        seeds.sort_unstable();
        seeds.dedup();
        assert_eq!(seeds.len(), 500);
    }

    #[test]
    fn statistics_and_fits() {
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-7);
        assert!((normal_cdf(1.959_964) - 0.975).abs() < 1e-6);
        assert!((normal_cdf(-1.0) - 0.158_655_25).abs() < 1e-6);
        assert_eq!(quantile(&[3.0, 1.0, 2.0, f64::INFINITY], 0.5), 2.5);
        let ps: Vec<Particle> = [(1.0, 0.25), (2.0, 0.5), (4.0, 0.25)]
            .iter()
            .map(|&(x, w)| Particle {
                values: vec![x, -2.0 * x],
                weight: w,
                distance: 0.0,
            })
            .collect();
        assert_eq!(weighted_mean_var(&ps, 0), (2.25, 1.1875));
        assert_eq!(weighted_quantile(&ps, 0, 0.5), 2.0);
        assert_eq!(weighted_quantile(&ps, 0, 0.8), 4.0);
        assert!((weighted_correlation(&ps, 0, 1) + 1.0).abs() < 1e-12);
        // Unclamped: symmetric, with the asked standard deviation.
        let (a, m, b) = fit_triangular(5.0, 1.0, 0.0, 10.0);
        assert!((m - 5.0).abs() < 1e-12 && ((b - a) / 2.0 - 6f64.sqrt()).abs() < 1e-12);
        let sd = ((a * a + m * m + b * b - a * m - a * b - m * b) / 18.0).sqrt();
        assert!((sd - 1.0).abs() < 1e-12);
        // Near a bound: cut, the mean kept.
        let (a, m, b) = fit_triangular(0.5, 1.0, 0.0, 10.0);
        assert_eq!((a, m), (0.0, 0.0));
        assert!(((a + m + b) / 3.0 - 0.5).abs() < 1e-12);
        let (a, m, b) = fit_triangular(9.8, 0.5, 0.0, 10.0);
        assert_eq!((m, b), (10.0, 10.0));
        assert!(((a + m + b) / 3.0 - 9.8).abs() < 1e-12);
        assert_eq!(
            scales(&[vec![1.0, 3.0], vec![2.0, 2.0]]),
            vec![2f64.sqrt(), 0.0]
        );
        assert_eq!(distance(&[1.0, 5.0, 2.0], &[2.0, 0.0, 1.0]), 1.25);
    }
}
