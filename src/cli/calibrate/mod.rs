//! `megacluster calibrate`: fit uncertain parameters to observations by approximate
//! Bayesian computation (ABC-SMC, `crate::tune::abc`; the distance is documented in
//! `crate::tune::calibrate`).

pub use crate::output::calibrate::posterior::final_generation;
use crate::output::calibrate::posterior::{posterior_csv, result_text, svgs};
use crate::output::calibrate::{charts, report};
mod state;

pub use state::merge;

use super::generations::{self, GenArgs};
use super::request::Request;
use super::shard;
use super::tune_common::{Common, evaluator};
use crate::error::RunError;
use crate::output::export::{self, Folder, put_charts, settings_json};
use crate::output::partial::{self, CalibrateSpec, Kind, Manifest, Round, Spec};
use crate::sim::hindcast::Plan;
use crate::sim::observed;
use crate::tune::abc::{self, Stop};
use crate::tune::calibrate::{self, Calibration};
use crate::tune::predictive;
use crate::tune::{ParamRange, parse_range, uncertain_ranges};
use std::path::PathBuf;
use std::time::Instant;

/// Runs per particle when neither `--runs-per-particle` nor `--runs` is given.
const DEFAULT_RUNS: usize = 20;

/// Arguments of `calibrate`.
#[derive(Debug, clap::Args)]
pub struct CalibrateArgs {
    /// Scenario, seed, threads, output (default output/<scenario>/calibrate/), overrides.
    /// `--runs` is the same as `--runs-per-particle`.
    #[command(flatten)]
    pub common: Common,
    /// Observations (CSV; the format is in data/README.md).
    #[arg(long, default_value = "data/observed.csv")]
    pub observed: PathBuf,
    /// A parameter and its prior range, uniform: PATH=LO..HI (repeatable; default: every
    /// distribution of the file drawn once per run, over its support).
    #[arg(long = "param", value_name = "PATH=LO..HI")]
    pub params: Vec<String>,
    /// Particles per generation.
    #[arg(long, default_value = "200", value_parser = clap::value_parser!(u64).range(10..=1_000_000))]
    pub particles: u64,
    /// Runs in each particle's ensemble (the same seed and run indices for every
    /// particle: common random numbers).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub runs_per_particle: Option<u64>,
    /// Generations, the prior sample included (default 4).
    #[arg(long, conflicts_with = "acceptance", value_parser = clap::value_parser!(u64).range(1..=1000))]
    pub generations: Option<u64>,
    /// Stop after the first generation that accepts fewer than this share of its
    /// proposals (0..1), instead of after a number of generations.
    #[arg(long)]
    pub acceptance: Option<f64>,
    /// Quantile of a generation's distances that sets the next tolerance (0..1).
    #[arg(long, default_value = "0.5")]
    pub quantile: f64,
    /// Leave out observations of metrics the scenario does not record (as `hindcast`).
    #[arg(long)]
    pub skip_unknown: bool,
    /// Runs of each predictive ensemble (prior and posterior) after the fit, each run
    /// with its own parameter draw.
    #[arg(long, default_value = "200", value_parser = clap::value_parser!(u64).range(10..=1_000_000))]
    pub predictive_runs: u64,
    /// Sharding by round and resuming.
    #[command(flatten)]
    pub gen_args: GenArgs,
}

fn usage(msg: String) -> RunError {
    RunError::Usage(msg)
}

/// The parameters: `args` (`--param`s), else every uncertain distribution.
fn params(args: &[String], s: &crate::scenario::Scenario) -> Result<Vec<ParamRange>, RunError> {
    if args.is_empty() {
        let all = uncertain_ranges(s);
        if all.is_empty() {
            return Err(usage(
                "the scenario has no uncertain distribution to calibrate; name parameters with --param PATH=LO..HI".into(),
            ));
        }
        return Ok(all);
    }
    let mut out: Vec<ParamRange> = Vec::new();
    for a in args {
        let p = parse_range(s, a)?;
        if p.steps.is_some() {
            return Err(usage(format!(
                "`--param {a}`: calibrate takes PATH=LO..HI, without :STEPS"
            )));
        }
        if p.hi <= p.lo {
            return Err(usage(format!(
                "`--param {a}`: the prior range must have LO < HI"
            )));
        }
        if out.iter().any(|q| q.path == p.path) {
            return Err(usage(format!("`{}` is given twice", p.path)));
        }
        out.push(p);
    }
    Ok(out)
}

/// The stopping rule from `--acceptance` or `--generations`.
fn stop(args: &CalibrateArgs) -> Result<Stop, RunError> {
    if !(args.quantile > 0.0 && args.quantile < 1.0) {
        return Err(usage(format!(
            "--quantile {} must be between 0 and 1 (exclusive)",
            args.quantile
        )));
    }
    match (args.acceptance, args.generations) {
        (Some(a), _) if !(a > 0.0 && a < 1.0) => Err(usage(format!(
            "--acceptance {a} must be between 0 and 1 (exclusive)"
        ))),
        (Some(a), _) => Ok(Stop::Acceptance(a)),
        (None, g) => Ok(Stop::Generations(g.unwrap_or(4) as usize)),
    }
}

/// A stopping rule as the spec writes it, and back.
fn stop_text(stop: Stop) -> String {
    match stop {
        Stop::Generations(g) => format!("generations {g}"),
        Stop::Acceptance(a) => format!("acceptance {a}"),
    }
}

fn parse_stop(text: &str) -> Option<Stop> {
    match text.split_once(' ')? {
        ("generations", g) => g.parse().ok().map(Stop::Generations),
        ("acceptance", a) => a.parse().ok().map(Stop::Acceptance),
        _ => None,
    }
}

/// A calibration's settings, parsed against the scenario; the spec holds them in
/// canonical form (what shards and `--resume` must agree on).
struct Setup {
    params: Vec<ParamRange>,
    settings: abc::Settings,
    plan: Plan,
    /// The observations file's bytes (copied into shard folders, so `merge` has them).
    observed: Vec<u8>,
    spec: CalibrateSpec,
}

impl Setup {
    /// From the options, checked.
    fn of_args(args: &CalibrateArgs, req: &Request) -> Result<Self, RunError> {
        let params = params(&args.params, &req.scenario)?;
        let stop = stop(args)?;
        let observed = std::fs::read(&args.observed).map_err(|e| RunError::Input {
            path: args.observed.clone(),
            message: format!("cannot read the observations file: {e}"),
        })?;
        let spec = CalibrateSpec {
            observed: args.observed.display().to_string(),
            observed_hash: partial::hash_bytes(&observed),
            text_hash: partial::hash_bytes(req.text.as_bytes()),
            params: if args.params.is_empty() {
                Vec::new()
            } else {
                params
                    .iter()
                    .map(|p| format!("{}={}..{}", p.path, p.lo, p.hi))
                    .collect()
            },
            particles: args.particles as usize,
            quantile: args.quantile,
            stop: stop_text(stop),
            skip_unknown: args.skip_unknown,
            predictive_runs: args.predictive_runs as usize,
            round: None,
        };
        Self::of_spec(req, spec, observed)
    }

    /// From a spec (of a manifest) and the observations file's bytes.
    fn of_spec(req: &Request, spec: CalibrateSpec, observed: Vec<u8>) -> Result<Self, RunError> {
        let path = PathBuf::from(&spec.observed);
        let obs = observed::read_text(&path, &String::from_utf8_lossy(&observed))?;
        let plan = Plan::new(&req.scenario, obs, spec.skip_unknown).map_err(|mut p| {
            p.push("use --skip-unknown to leave such rows out and go on".into());
            RunError::Input {
                path: path.clone(),
                message: p.join("\n  "),
            }
        })?;
        let stop = parse_stop(&spec.stop)
            .ok_or_else(|| usage(format!("unknown stopping rule `{}`", spec.stop)))?;
        Ok(Self {
            params: params(&spec.params, &req.scenario)?,
            settings: abc::Settings {
                particles: spec.particles,
                quantile: spec.quantile,
                stop,
                seed: req.seed,
            },
            plan,
            observed,
            spec,
        })
    }

    /// The manifest of a folder: shard (K, N) of `round`, or of whole rounds.
    fn manifest(&self, req: &Request, round: Option<(Round, usize, usize)>) -> Manifest {
        let spec = CalibrateSpec {
            round: round.map(|r| r.0),
            ..self.spec.clone()
        };
        let shard = round.map(|(_, k, n)| (k, n));
        generations::manifest(req, Kind::Calibrate, Spec::Calibrate(spec), shard)
    }
}

/// Runs the command; returns the output folder.
pub fn run(args: &CalibrateArgs) -> Result<PathBuf, RunError> {
    let shard = args.gen_args.shard()?;
    let mut req = args
        .common
        .request(DEFAULT_RUNS, &shard::folder(Kind::Calibrate, &Ok(shard)))?;
    if let Some(r) = args.runs_per_particle {
        req.runs = r as usize;
    }
    let setup = Setup::of_args(args, &req)?;
    let bounds = calibrate::bounds(&setup.params);
    let mut smc = abc::Smc::new(&bounds, &setup.settings);
    let mut scales = Vec::new();
    if let Some(dir) = &args.gen_args.resume {
        generations::check_resume(dir, &setup.manifest(&req, None))?;
        scales = state::resume(dir, &setup, &mut smc)?;
    }
    crate::output::write::check_target(&req.out)?;
    if let Some((k, n)) = shard {
        let resumed = args.gen_args.resume.as_deref();
        return state::run_shard(&req, &setup, &smc, &scales, (k, n), resumed);
    }
    let settings = &setup.settings;
    let gens = match settings.stop {
        Stop::Generations(g) => g,
        Stop::Acceptance(_) => 4,
    };
    // The bar counts ensembles of `req.runs` runs; the predictive runs are two more lots.
    let extra = (2 * setup.spec.predictive_runs).div_ceil(req.runs.max(1));
    let done = smc.archive().len();
    let total = (settings.particles * gens).saturating_sub(done) + extra;
    let (mut ev, pb) = evaluator(&req, setup.params.clone(), total);
    let span = calibrate::observed_span(&req.scenario, &setup.plan);
    ev.base = &span;
    let started = Instant::now();
    calibrate::go_on(&ev, &setup.plan, &mut smc, &mut scales)?;
    let seconds = started.elapsed().as_secs_f64();
    let cal = Calibration {
        abc: smc.finish(),
        scales,
    };
    write_final(&req, &setup, &ev, &pb, &cal)?;
    if !req.quiet {
        // Timing varies by machine, so it stays out of result.txt (which is reproducible).
        let n = cal.abc.evaluations() - done;
        eprintln!(
            "{n} particles in {seconds:.1} s: {:.1} particles/s",
            n as f64 / seconds.max(1e-9)
        );
    }
    Ok(req.out)
}

/// Runs the predictive check of a finished calibration and writes its folder.
fn write_final(
    req: &Request,
    setup: &Setup,
    ev: &crate::tune::Evaluator,
    pb: &super::progress::Progress,
    cal: &Calibration,
) -> Result<(), RunError> {
    let (params, settings, plan, spec) = (&setup.params, &setup.settings, &setup.plan, &setup.spec);
    let predictive_runs = spec.predictive_runs;
    let pred = predictive::run(ev, plan, cal, predictive_runs)?;
    pb.finish_and_clear();
    let sums = calibrate::summaries(cal, params);
    let fitted: Vec<(String, String)> = params
        .iter()
        .zip(&sums)
        .map(|(p, s)| (p.path.clone(), s.fitted.clone()))
        .collect();
    let stem = std::path::Path::new(&req.name).file_stem().map_or_else(
        || req.scenario.name.clone(),
        |s| s.to_string_lossy().into_owned(),
    );
    let name = format!("{}-calibrated", req.scenario.name);
    let header = format!(
        "{name}: `{stem}` with {} parameter(s) fitted to {} by `megacluster calibrate`\n(ABC-SMC, {} particles x {} runs, seed {}); each fitted distribution is a\ntriangle with the posterior's mean and standard deviation inside the prior range.",
        params.len(),
        spec.observed,
        settings.particles,
        req.runs,
        req.seed
    );
    let ron = calibrate::calibrated_text(
        &req.scenario,
        &req.text,
        &req.overrides,
        &fitted,
        &name,
        &header,
    )?;
    let result = format!(
        "{}\n{}",
        result_text(&spec.observed, req, params, cal, &sums, plan),
        report::result_lines(&pred)
    );
    let span = calibrate::observed_span(&req.scenario, plan);
    let extra = serde_json::json!({
        "observed": spec.observed,
        "particles": settings.particles,
        "runs_per_particle": req.runs,
        "stop": match settings.stop {
            Stop::Generations(g) => serde_json::json!({"generations": g}),
            Stop::Acceptance(a) => serde_json::json!({"acceptance": a}),
        },
        "quantile": settings.quantile,
        "simulated_years": [span.start_year, span.end_year],
        "tolerances": cal.abc.generations.iter().map(|g| g.tolerance).map(|t| if t.is_finite() { serde_json::json!(t) } else { serde_json::Value::Null }).collect::<Vec<_>>(),
        "scales": plan.observations().iter().zip(&cal.scales).map(|(o, s)| serde_json::json!({"observation": o.label(), "metric": o.metric, "scale": s})).collect::<Vec<_>>(),
        "stopped": cal.abc.stopped,
        "predictive_runs": predictive_runs,
    });
    let list = charts::charts(&req.scenario.name, params, cal, req.runs);
    let fan =
        crate::output::charts::predictive::chart(&req.scenario.name, &pred.prior, &pred.posterior);
    let page = report::html(&report::Report {
        title: format!(
            "Calibration of '{}' against {}",
            req.scenario.name, spec.observed
        ),
        settings: vec![
            ("Scenario file".into(), req.name.clone()),
            ("Observations".into(), spec.observed.clone()),
            (
                "Particles per generation".into(),
                settings.particles.to_string(),
            ),
            ("Runs per particle".into(), req.runs.to_string()),
            ("Generations".into(), cal.abc.generations.len().to_string()),
            ("Stopped".into(), cal.abc.stopped.clone()),
            ("Seed".into(), req.seed.to_string()),
            ("Predictive runs (each)".into(), predictive_runs.to_string()),
        ],
        params,
        sums: &sums,
        predictive: &pred,
        charts: svgs(&list, &fan)?,
    });
    let mut files = vec![
        ("posterior.csv".into(), posterior_csv(params, cal)),
        ("predictive.csv".into(), report::csv(&pred)),
        ("report.html".into(), page.into_bytes()),
        (
            "settings.json".into(),
            settings_json("calibrate", req, ev, extra),
        ),
        ("result.txt".into(), result.clone().into_bytes()),
        ("calibrated.ron".into(), ron.into_bytes()),
    ];
    files.extend(state::files(req, setup, &cal.abc.archive, &cal.scales));
    export::write(
        &req.out,
        &Folder {
            files: &files,
            charts: &|d| {
                put_charts(&list, d)?;
                put_charts(std::slice::from_ref(&fan), d)
            },
        },
    )?;
    if !req.quiet {
        print!("{result}");
        println!(
            "Wrote {} (posterior.csv, predictive.csv, report.html, result.txt, settings.json, calibrated.ron, evaluations.csv, scales.csv, manifest.json, charts/calibrate_*)",
            req.out.display()
        );
    }
    Ok(())
}
