//! `megacluster optimize`: the cheapest lever mixes that meet targets, by NSGA-II over
//! several levers; the Pareto set, its charts, and a scenario file for the cheapest mix
//! meeting each probability threshold.

use super::generations::{self, GenArgs};
use super::request::Request;
use super::shard;
use super::tune_common::{Common, evaluator};
use crate::error::RunError;
use crate::output::export::{self, Folder};
use crate::output::partial::{self, Kind, Manifest, OptimizeSpec, Round, Spec};
use crate::tune::nsga;
use crate::tune::optimize::{self, Candidate, Goal, Optimum, Progress};
use crate::tune::{Evaluator, Outcome, ParamRange, parse_range};
use std::path::PathBuf;

use crate::output::optimize::{EVALUATIONS, OptimizeFolder, candidates_csv, header};

/// Runs per candidate when `--runs` is not given.
const DEFAULT_RUNS: usize = 100;

/// Arguments of `optimize`.
#[derive(Debug, clap::Args)]
pub struct OptimizeArgs {
    /// Scenario, runs per candidate, seed, output and overrides.
    #[command(flatten)]
    pub common: Common,
    /// A lever and its range: PATH=LO..HI (repeatable; `megacluster levers` and
    /// `megacluster params FILE` list them).
    #[arg(long = "lever", value_name = "PATH=LO..HI", required = true)]
    pub levers: Vec<String>,
    /// A target by name: NAME to maximise its probability, NAME:P to require at least P
    /// (repeatable).
    #[arg(long = "target", value_name = "NAME[:P]", required = true)]
    pub targets: Vec<String>,
    /// What to minimise: METRIC or METRIC@YEAR, the ensemble mean (default: the present
    /// value of public cost in the last year, public_cost_pv_krw_t).
    #[arg(long, value_name = "METRIC[@YEAR]")]
    pub cost: Option<String>,
    /// Candidates per generation.
    #[arg(long, default_value = "24", value_parser = clap::value_parser!(u64).range(4..=10_000))]
    pub population: u64,
    /// Generations after the first (a Latin hypercube).
    #[arg(long, default_value = "8", value_parser = clap::value_parser!(u64).range(0..=10_000))]
    pub generations: u64,
    /// Probabilities for which the cheapest mix meeting each maximised target is written
    /// as a scenario file.
    #[arg(long, value_delimiter = ',', default_value = "0.5,0.8,0.9")]
    pub thresholds: Vec<f64>,
    /// Sharding by generation and resuming.
    #[command(flatten)]
    pub gen_args: GenArgs,
}

/// The cost outcome: `METRIC[@YEAR]`, the year defaulting to the last.
fn cost_outcome(s: &crate::scenario::Scenario, text: Option<&str>) -> Result<Outcome, RunError> {
    match text {
        None => Outcome::parse(s, &format!("public_cost_pv_krw_t@{}", s.end_year)),
        Some(t) if t.contains('@') => Outcome::parse(s, t),
        Some(t) => Outcome::parse(s, &format!("{t}@{}", s.end_year)),
    }
}

/// A search's settings, parsed against the scenario.
struct Setup {
    levers: Vec<ParamRange>,
    goals: Vec<Goal>,
    cost: Outcome,
    settings: nsga::Settings,
    spec: OptimizeSpec,
}

impl Setup {
    /// From the options, checked; the spec holds them in canonical form.
    fn of_args(args: &OptimizeArgs, req: &Request) -> Result<Self, RunError> {
        for &t in &args.thresholds {
            if !(0.0..=1.0).contains(&t) {
                return Err(RunError::Usage(format!(
                    "--thresholds: {t} is not a probability between 0 and 1"
                )));
            }
        }
        let s = &req.scenario;
        let levers = args
            .levers
            .iter()
            .map(|l| parse_range(s, l))
            .collect::<Result<Vec<_>, _>>()?;
        for (i, l) in levers.iter().enumerate() {
            if levers[..i].iter().any(|m| m.path == l.path) {
                return Err(RunError::Usage(format!(
                    "--lever {} is given twice",
                    l.path
                )));
            }
        }
        let goals = args
            .targets
            .iter()
            .map(|t| Goal::parse(s, t))
            .collect::<Result<Vec<_>, _>>()?;
        let spec = OptimizeSpec {
            levers: levers
                .iter()
                .map(|l| format!("{}={}..{}", l.path, l.lo, l.hi))
                .collect(),
            targets: goals
                .iter()
                .map(|g| match g.required {
                    Some(p) => format!("{}:{p}", g.name),
                    None => g.name.clone(),
                })
                .collect(),
            cost: cost_outcome(s, args.cost.as_deref())?.label(),
            population: args.population as usize,
            generations: args.generations as usize,
            thresholds: args.thresholds.clone(),
            round: None,
        };
        Self::of_spec(req, spec)
    }

    /// From a spec (of a manifest).
    fn of_spec(req: &Request, spec: OptimizeSpec) -> Result<Self, RunError> {
        let s = &req.scenario;
        Ok(Self {
            levers: spec
                .levers
                .iter()
                .map(|l| parse_range(s, l))
                .collect::<Result<_, _>>()?,
            goals: spec
                .targets
                .iter()
                .map(|t| Goal::parse(s, t))
                .collect::<Result<_, _>>()?,
            cost: cost_outcome(s, Some(&spec.cost))?,
            settings: nsga::Settings::new(spec.population, spec.generations, req.seed),
            spec,
        })
    }

    /// The manifest of a folder: shard (K, N) of `round`, or of whole generations.
    fn manifest(&self, req: &Request, round: Option<(Round, usize, usize)>) -> Manifest {
        let spec = OptimizeSpec {
            round: round.map(|r| r.0),
            ..self.spec.clone()
        };
        let shard = round.map(|(_, k, n)| (k, n));
        generations::manifest(req, Kind::Optimize, Spec::Optimize(spec), shard)
    }
}

/// Runs the command; returns the output folder.
pub fn run(args: &OptimizeArgs) -> Result<PathBuf, RunError> {
    let shard = args.gen_args.shard()?;
    let req = args
        .common
        .request(DEFAULT_RUNS, &shard::folder(Kind::Optimize, &Ok(shard)))?;
    let setup = Setup::of_args(args, &req)?;
    let ev = req.evaluator(setup.levers.clone());
    let done = match &args.gen_args.resume {
        Some(dir) => {
            generations::check_resume(dir, &setup.manifest(&req, None))?;
            read_candidates(&dir.join(EVALUATIONS), &ev, &setup.goals)?
        }
        None => Vec::new(),
    };
    crate::output::write::check_target(&req.out)?;
    if let Some((k, n)) = shard {
        return run_shard(&req, &setup, done, k, n, args.gen_args.resume.as_deref());
    }
    let settings = &setup.settings;
    let total = settings.population.div_ceil(2) * 2 * (settings.generations + 1);
    let (ev, pb) = evaluator(&req, setup.levers.clone(), total.saturating_sub(done.len()));
    let started = std::time::Instant::now();
    let res = optimize::run(&ev, &setup.goals, &setup.cost, settings, done)?;
    let seconds = started.elapsed().as_secs_f64();
    pb.finish_and_clear();
    write_final(&req, &setup, &ev, &res)?;
    if !req.quiet {
        println!(
            "{} ensembles in {seconds:.1} s ({:.0} runs/s)",
            res.ensembles,
            (res.ensembles * ev.runs) as f64 / seconds.max(1e-9)
        );
    }
    Ok(req.out)
}

/// Evaluates shard (K, N) of the next generation after `done` and writes its partial
/// folder: the generations before it and its share of this one.
fn run_shard(
    req: &Request,
    setup: &Setup,
    done: Vec<Candidate>,
    k: usize,
    n: usize,
    resumed: Option<&std::path::Path>,
) -> Result<PathBuf, RunError> {
    let snap = optimize::snapper(&setup.levers);
    let p = Progress::new(&setup.levers, &setup.goals, &setup.settings, &snap)
        .resume(done)
        .map_err(RunError::Usage)?;
    let Some((g, batch)) = p.pending() else {
        return generations::nothing_left(resumed, req.quiet);
    };
    let round = Round {
        generation: g,
        first: 0,
        count: batch.len(),
    };
    let manifest = setup.manifest(req, Some((round, k, n)));
    let dir = &req.out;
    if generations::already_done(req, &manifest, EVALUATIONS, (k, n), g) {
        return Ok(dir.clone());
    }
    let items: Vec<(usize, Vec<f64>)> = generations::share(round, k, n)
        .into_iter()
        .map(|i| (i, batch[i].clone()))
        .collect();
    let (ev, pb) = evaluator(req, setup.levers.clone(), items.len());
    let new = optimize::evaluate(&ev, &setup.goals, &setup.cost, g, &items, &p.candidates)?;
    pb.finish_and_clear();
    let mut all = p.candidates;
    all.extend(new);
    let csv = candidates_csv(
        &ev,
        &setup.goals,
        &all,
        &(0..all.len()).collect::<Vec<_>>(),
        false,
    );
    crate::output::partial::write(
        dir,
        &req.scenario,
        vec![(EVALUATIONS.into(), csv)],
        &manifest,
    )?;
    if !req.quiet {
        println!(
            "Wrote shard {k} of {n} of generation {g} of {} ({} of {} candidates) to {}",
            setup.settings.generations,
            items.len(),
            batch.len(),
            dir.display()
        );
    }
    Ok(dir.clone())
}

/// Merges the partial folders of one generation into `req.out`: the finished search's
/// folder after the last generation, else a folder of the generations so far that
/// `--resume` goes on from.
pub fn merge(
    req: &Request,
    spec: &OptimizeSpec,
    dirs: &[PathBuf],
    manifests: &[Manifest],
) -> Result<(), RunError> {
    let round = generations::round_of(dirs, manifests)?;
    let setup = Setup::of_spec(
        req,
        OptimizeSpec {
            round: None,
            ..spec.clone()
        },
    )?;
    let ev = req.evaluator(setup.levers.clone());
    let mut earlier: Option<(&PathBuf, Vec<Candidate>)> = None;
    let mut slots: Vec<Option<Candidate>> = vec![None; round.count];
    for (d, m) in dirs.iter().zip(manifests) {
        let path = d.join(EVALUATIONS);
        let (before, this): (Vec<Candidate>, Vec<Candidate>) =
            read_candidates(&path, &ev, &setup.goals)?
                .into_iter()
                .partition(|c| c.generation < round.generation);
        match &earlier {
            Some((first, e)) if *e != before => {
                return Err(RunError::Input {
                    path: path.clone(),
                    message: format!(
                        "its generations before {} differ from those of {}: the shards went on from different folders",
                        round.generation,
                        first.display()
                    ),
                });
            }
            Some(_) => {}
            None => earlier = Some((d, before)),
        }
        let covered = m.covered_points.clone().unwrap_or_default();
        let got: Vec<usize> = this.iter().map(|c| c.index).collect();
        if got != covered || this.iter().any(|c| c.generation != round.generation) {
            return Err(RunError::Input {
                path,
                message: format!(
                    "its candidates are not those its manifest covers ({})",
                    m.covers
                ),
            });
        }
        for c in this {
            let i = c.index;
            slots[i] = Some(c);
        }
    }
    let mut all = earlier.map(|e| e.1).unwrap_or_default();
    for (i, c) in slots.into_iter().enumerate() {
        all.push(c.ok_or_else(|| {
            RunError::Usage(format!(
                "cannot merge: candidate {i} of generation {} is missing",
                round.generation
            ))
        })?);
    }
    let snap = optimize::snapper(&setup.levers);
    let p = Progress::new(&setup.levers, &setup.goals, &setup.settings, &snap)
        .resume(all)
        .map_err(|e| RunError::Input {
            path: dirs[0].clone(),
            message: e,
        })?;
    if let Some((g, _)) = p.pending() {
        let csv = candidates_csv(
            &ev,
            &setup.goals,
            &p.candidates,
            &(0..p.candidates.len()).collect::<Vec<_>>(),
            false,
        );
        let manifest = generations::json_bytes(&setup.manifest(req, None));
        export::write(
            &req.out,
            &Folder {
                files: &vec![
                    (EVALUATIONS.into(), csv),
                    (partial::MANIFEST.into(), manifest),
                ],
                charts: &|_| Ok(()),
            },
        )?;
        if !req.quiet {
            println!(
                "Generations 0..{} of {} done; next: `megacluster optimize ... --resume {} --shard K/N` for generation {g}",
                g - 1,
                setup.settings.generations,
                req.out.display()
            );
        }
        return Ok(());
    }
    write_final(req, &setup, &ev, &p.finish())
}

/// Writes the finished search's folder and prints what was found.
fn write_final(
    req: &Request,
    setup: &Setup,
    ev: &Evaluator,
    res: &Optimum,
) -> Result<(), RunError> {
    let folder = OptimizeFolder {
        req,
        ev,
        goals: &setup.goals,
        cost: &setup.cost,
        settings: &setup.settings,
        thresholds: &setup.spec.thresholds,
        manifest: generations::json_bytes(&setup.manifest(req, None)),
        res,
    };
    export::write(&req.out, &folder)?;
    if !req.quiet {
        println!("{}", folder.message());
        println!(
            "Wrote {} (pareto.csv, evaluations.csv, result.txt, settings.json, manifest.json, scenarios/, charts/)",
            req.out.display()
        );
    }
    Ok(())
}

/// Reads an `evaluations.csv` back (numbers are written in their shortest exact form, so
/// they read back bit for bit).
fn read_candidates(
    path: &std::path::Path,
    ev: &Evaluator,
    goals: &[Goal],
) -> Result<Vec<Candidate>, RunError> {
    let head = header(ev, goals, false);
    let head: Vec<&str> = head.iter().map(String::as_str).collect();
    let (k, g) = (ev.params.len(), goals.len());
    generations::read_rows(
        path,
        &head,
        "those of this search's levers and targets",
        "a candidate's numbers",
    )?
    .iter()
    .map(|row| {
        Ok(Candidate {
            generation: row.whole(0)?,
            index: row.whole(1)?,
            values: (2..2 + k).map(|i| row.num(i)).collect::<Result<_, _>>()?,
            cost: row.num(2 + k)?,
            probability: (0..g)
                .map(|j| row.num(3 + k + 3 * j))
                .collect::<Result<_, _>>()?,
            runs: ev.runs,
            violation: row.num(3 + k + 3 * g)?,
        })
    })
    .collect()
}
