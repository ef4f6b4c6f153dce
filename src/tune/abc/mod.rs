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

mod kernel;
mod stats;
#[cfg(test)]
mod tests;

use kernel::Kernel;
pub use stats::{
    distance, fit_triangular, normal_cdf, quantile, scales, weighted_correlation,
    weighted_mean_var, weighted_quantile,
};

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
