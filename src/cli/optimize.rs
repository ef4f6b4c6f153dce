//! `megacluster optimize`: the cheapest lever mixes that meet targets, by NSGA-II over
//! several levers; the Pareto set, its charts, and a scenario file for the cheapest mix
//! meeting each probability threshold.

use super::generations::{self, GenArgs};
use super::request::Request;
use super::shard;
use super::tune_common::{Common, evaluator, put_charts, settings_json, write_folder};
use crate::error::RunError;
use crate::output::charts::format::{self, ValueFormat};
use crate::output::charts::xy::{Interval, XyChart, XyPoint, XySeries, colour};
use crate::output::partial::{self, Kind, Manifest, OptimizeSpec, Round, Spec};
use crate::output::run_folder::scenario_ron;
use crate::tune::nsga;
use crate::tune::optimize::{self, Candidate, Goal, Optimum, Progress};
use crate::tune::{Evaluator, Outcome, ParamRange, parse_range, precise};
use std::path::PathBuf;

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
        let covered = round.map_or_else(Vec::new, |(r, k, n)| generations::share(r, k, n));
        generations::manifest(req, Kind::Optimize, Spec::Optimize(spec), shard, covered)
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

/// The file of every evaluated candidate, also what `--resume` reads back.
const EVALUATIONS: &str = "evaluations.csv";

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
    shard::write_partial(
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
        write_folder(
            &req.out,
            &vec![
                (EVALUATIONS.into(), csv),
                (partial::MANIFEST.into(), manifest),
            ],
            &|_| Ok(()),
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

/// Writes the finished search's folder.
fn write_final(
    req: &Request,
    setup: &Setup,
    ev: &Evaluator,
    res: &Optimum,
) -> Result<(), RunError> {
    let (goals, cost, settings, s) = (&setup.goals, &setup.cost, &setup.settings, &req.scenario);
    let thresholds = &setup.spec.thresholds;
    let dir = &req.out;
    let chosen = choices(res, goals, thresholds);
    let message = summary(&req.name, ev, goals, cost, res, &chosen, thresholds);
    let all: Vec<usize> = (0..res.candidates.len()).collect();
    let mut files: crate::output::write::Files = vec![
        (
            "pareto.csv".into(),
            candidates_csv(ev, goals, &res.candidates, &res.front, true),
        ),
        (
            EVALUATIONS.into(),
            candidates_csv(ev, goals, &res.candidates, &all, false),
        ),
        (
            "settings.json".into(),
            settings_json(
                "optimize",
                req,
                ev,
                serde_json::json!({
                    "targets": goals.iter().map(|g| serde_json::json!({"name": g.name, "required": g.required})).collect::<Vec<_>>(),
                    "cost": cost.label(),
                    "population": settings.population,
                    "generations": settings.generations,
                    "eta_c": settings.eta_c,
                    "eta_m": settings.eta_m,
                    "crossover": settings.crossover,
                    "thresholds": thresholds,
                    "ensembles": res.ensembles,
                }),
            ),
        ),
        ("result.txt".into(), format!("{message}\n").into_bytes()),
        (
            partial::MANIFEST.into(),
            generations::json_bytes(&setup.manifest(req, None)),
        ),
    ];
    files.push(("chosen.csv".into(), chosen_csv(ev, goals, res, &chosen)));
    for c in &chosen {
        let mut sc = ev.scenario_at(&res.candidates[c.index].values)?;
        sc.name = format!("{}-{}", s.name, c.stem);
        files.push((
            PathBuf::from(format!("scenarios/{}.ron", c.stem)),
            scenario_ron(&sc),
        ));
    }
    let charts = charts(&s.name, ev, goals, cost, res, thresholds);
    write_folder(dir, &files, &|d| put_charts(&charts, d))?;
    if !req.quiet {
        println!("{message}");
        println!(
            "Wrote {} (pareto.csv, evaluations.csv, result.txt, settings.json, manifest.json, scenarios/, charts/)",
            dir.display()
        );
    }
    Ok(())
}

/// A candidate chosen to be written as a scenario file.
struct Choice {
    /// Index into the candidates.
    index: usize,
    /// File stem.
    stem: String,
    /// What it is, for people.
    what: String,
}

/// The cheapest candidate meeting each threshold of each maximised goal, or, when every
/// goal is a constraint, the cheapest feasible one.
fn choices(res: &Optimum, goals: &[Goal], thresholds: &[f64]) -> Vec<Choice> {
    let mut out: Vec<Choice> = Vec::new();
    let maximised: Vec<usize> = (0..goals.len())
        .filter(|&g| goals[g].required.is_none())
        .collect();
    if maximised.is_empty() {
        if let Some(index) = res.cheapest(0, 0.0) {
            out.push(Choice {
                index,
                stem: "cheapest-feasible".into(),
                what: "cheapest mix meeting every required probability".into(),
            });
        }
        return out;
    }
    for &g in &maximised {
        let slug = format::file_stem(&goals[g].name);
        let mut last: Option<usize> = None;
        for &p in thresholds {
            let Some(i) = res.cheapest(g, p) else {
                continue;
            };
            let what = format!("P({}) >= {}", goals[g].name, format::probability(p));
            match out.iter_mut().find(|c| c.index == i && last == Some(i)) {
                // The same mix is the cheapest for a higher threshold too: one file.
                Some(c) => c.what.push_str(&format!(", {}", format::probability(p))),
                None => out.push(Choice {
                    index: i,
                    stem: format!("cheapest-{slug}-p{:02.0}", p * 100.0),
                    what: format!("cheapest mix with {what}"),
                }),
            }
            last = Some(i);
        }
    }
    out
}

fn header(ev: &Evaluator, goals: &[Goal], with_id: bool) -> Vec<String> {
    let mut h: Vec<String> = if with_id {
        vec!["point".into()]
    } else {
        vec!["generation".into(), "index".into()]
    };
    h.extend(ev.params.iter().map(|p| p.path.clone()));
    h.push("cost".into());
    for g in goals {
        h.push(format!("P({})", g.name));
        h.push(format!("P({}) lo95", g.name));
        h.push(format!("P({}) hi95", g.name));
    }
    h.push("violation".into());
    h
}

/// `pareto.csv` (points P1, P2, … cheapest first) or `evaluations.csv` (every candidate).
fn candidates_csv(
    ev: &Evaluator,
    goals: &[Goal],
    candidates: &[Candidate],
    which: &[usize],
    front: bool,
) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(header(ev, goals, front));
    for (k, &i) in which.iter().enumerate() {
        let c = &candidates[i];
        let mut row: Vec<String> = if front {
            vec![format!("P{}", k + 1)]
        } else {
            vec![c.generation.to_string(), c.index.to_string()]
        };
        row.extend(fields(c, goals.len()));
        let _ = w.write_record(row);
    }
    w.into_inner().unwrap_or_default()
}

/// A candidate's columns after its identifier: levers, cost, each probability with its
/// interval, violation (as in `header`).
fn fields(c: &Candidate, goals: usize) -> Vec<String> {
    let mut row: Vec<String> = c.values.iter().map(|v| v.to_string()).collect();
    row.push(c.cost.to_string());
    for g in 0..goals {
        let (lo, hi) = c.interval(g);
        row.extend([c.probability[g], lo, hi].map(|x| x.to_string()));
    }
    row.push(c.violation.to_string());
    row
}

/// `chosen.csv`: the mixes written as scenario files, with what each meets.
fn chosen_csv(ev: &Evaluator, goals: &[Goal], res: &Optimum, chosen: &[Choice]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut h: Vec<String> = vec!["scenario".into(), "chosen as".into()];
    h.extend(header(ev, goals, true).into_iter().skip(1));
    let _ = w.write_record(h);
    for c in chosen {
        let cand = &res.candidates[c.index];
        let mut row = vec![format!("scenarios/{}.ron", c.stem), c.what.clone()];
        row.extend(fields(cand, goals.len()));
        let _ = w.write_record(row);
    }
    w.into_inner().unwrap_or_default()
}

fn mix(ev: &Evaluator, values: &[f64]) -> String {
    ev.params
        .iter()
        .zip(values)
        .map(|(p, v)| format!("{}={}", p.path, precise(*v)))
        .collect::<Vec<_>>()
        .join(" ")
}

fn summary(
    file: &str,
    ev: &Evaluator,
    goals: &[Goal],
    cost: &Outcome,
    res: &Optimum,
    chosen: &[Choice],
    thresholds: &[f64],
) -> String {
    let pct = format::probability;
    let mut m = format!(
        "Pareto set: {} of {} candidate mixes ({} distinct ensembles of {} runs); cost: mean {}\n",
        res.front.len(),
        res.candidates.len(),
        res.ensembles,
        ev.runs,
        cost.label()
    );
    for (k, &i) in res.front.iter().enumerate() {
        let c = &res.candidates[i];
        let probs: Vec<String> = goals
            .iter()
            .enumerate()
            .map(|(g, _)| {
                let (lo, hi) = c.interval(g);
                format!("{} ({}..{})", pct(c.probability[g]), pct(lo), pct(hi))
            })
            .collect();
        m.push_str(&format!(
            "  P{:<3} cost {:>8}  P: {}  {}\n",
            k + 1,
            precise(c.cost),
            probs.join(", "),
            mix(ev, &c.values)
        ));
    }
    for (g, goal) in goals.iter().enumerate() {
        let best = res
            .candidates
            .iter()
            .map(|c| c.probability[g])
            .fold(0.0, f64::max);
        match goal.required {
            Some(p) if !res.candidates.iter().any(|c| c.feasible()) => m.push_str(&format!(
                "No candidate meets P({}) >= {} (best {}); widen the lever ranges or add levers.\n",
                goal.name,
                pct(p),
                pct(best)
            )),
            None if !thresholds.iter().any(|&p| best >= p) => m.push_str(&format!(
                "No candidate reaches any threshold for P({}): the best is {}.\n",
                goal.name,
                pct(best)
            )),
            _ => {}
        }
    }
    for c in chosen {
        let cand = &res.candidates[c.index];
        let sets: Vec<String> = ev
            .params
            .iter()
            .zip(&cand.values)
            .map(|(p, v)| format!("--set {}={v}", p.path))
            .collect();
        m.push_str(&format!(
            "{} (cost {}): scenarios/{}.ron\n  megacluster run {file} {}\n",
            c.what,
            precise(cand.cost),
            c.stem,
            sets.join(" ")
        ));
    }
    m.trim_end().to_owned()
}

fn charts(
    name: &str,
    ev: &Evaluator,
    goals: &[Goal],
    cost: &Outcome,
    res: &Optimum,
    thresholds: &[f64],
) -> Vec<XyChart> {
    let cost_desc = format!("Cost: mean {}", cost.label());
    let sub = format!(
        "Scenario '{name}' · NSGA-II, {} candidates, {} runs each, same seed · whiskers: 95 % interval",
        res.candidates.len(),
        ev.runs
    );
    let mut out = Vec::new();
    for (g, goal) in goals.iter().enumerate() {
        let all = XySeries {
            label: "every candidate".into(),
            colour: plotters::style::RGBColor(170, 170, 170),
            points: res
                .candidates
                .iter()
                .map(|c| XyPoint::new(c.cost, c.probability[g]))
                .collect(),
            line: false,
            interval: Interval::None,
            point_labels: Vec::new(),
        };
        let front = XySeries {
            label: "Pareto set".into(),
            colour: colour(0),
            points: res
                .front
                .iter()
                .map(|&i| {
                    let c = &res.candidates[i];
                    let (lo, hi) = c.interval(g);
                    XyPoint::with(c.cost, c.probability[g], lo, hi)
                })
                .collect(),
            line: goals.iter().filter(|g| g.required.is_none()).count() == 1,
            interval: Interval::Whisker,
            point_labels: sparse_labels(res, g),
        };
        let hlines = match goal.required {
            Some(p) => vec![(p, format!("required: {}", format::probability(p)))],
            None => thresholds
                .iter()
                .map(|&p| (p, format!("threshold {}", format::probability(p))))
                .collect(),
        };
        out.push(XyChart {
            stem: if goals.len() == 1 {
                "pareto_front".into()
            } else {
                format!("pareto_front_{}", g + 1)
            },
            title: format!("Cost against P({})", goal.name),
            subtitle: sub.clone(),
            x_desc: cost_desc.clone(),
            y_desc: "Probability of meeting the target".into(),
            y_fmt: ValueFormat::Share,
            series: vec![all, front],
            hlines,
            vlines: Vec::new(),
            y_range: Some((0.0, 1.04)),
            notes: Vec::new(),
            x_int: false,
        });
    }
    out.push(levers_chart(name, ev, res, &cost_desc));
    out
}

/// "P1", "P2", … for the Pareto set, left out where a point would sit on an earlier
/// label (within 3 % of the cost range and 4 points of probability): pareto.csv has all.
fn sparse_labels(res: &Optimum, g: usize) -> Vec<String> {
    let costs = res.candidates.iter().map(|c| c.cost);
    let (lo, hi) = costs.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), c| {
        (a.min(c), b.max(c))
    });
    let span = (hi - lo).max(1e-12);
    let mut placed: Vec<(f64, f64)> = Vec::new();
    res.front
        .iter()
        .enumerate()
        .map(|(k, &i)| {
            let c = &res.candidates[i];
            let (x, y) = (c.cost, c.probability[g]);
            if placed
                .iter()
                .any(|&(px, py)| (px - x).abs() < 0.03 * span && (py - y).abs() < 0.04)
            {
                String::new()
            } else {
                placed.push((x, y));
                format!("P{}", k + 1)
            }
        })
        .collect()
}

/// Each lever's value along the Pareto set, as a share of its searched range, against
/// cost: which levers the cheap mixes keep low and which they raise first.
fn levers_chart(name: &str, ev: &Evaluator, res: &Optimum, cost_desc: &str) -> XyChart {
    let share = |p: &ParamRange, v: f64| {
        if p.hi > p.lo {
            (v - p.lo) / (p.hi - p.lo)
        } else {
            0.5
        }
    };
    let series = ev
        .params
        .iter()
        .enumerate()
        .map(|(k, p)| XySeries {
            label: format!("{} ({}..{})", p.label(), precise(p.lo), precise(p.hi)),
            colour: colour(k + 1),
            points: res
                .front
                .iter()
                .map(|&i| {
                    let c = &res.candidates[i];
                    XyPoint::new(c.cost, share(p, c.values[k]))
                })
                .collect(),
            line: true,
            interval: Interval::None,
            point_labels: Vec::new(),
        })
        .collect();
    XyChart {
        stem: "front_levers".into(),
        title: "Lever values along the Pareto set".into(),
        subtitle: format!(
            "Scenario '{name}' · each lever as a share of its searched range (0 = low end, 100 % = high end), cheapest mix left"
        ),
        x_desc: cost_desc.to_owned(),
        y_desc: "Position in the lever's range".into(),
        y_fmt: ValueFormat::Share,
        series,
        hlines: Vec::new(),
        vlines: Vec::new(),
        y_range: Some((-0.02, 1.04)),
        notes: Vec::new(),
        x_int: false,
    }
}
