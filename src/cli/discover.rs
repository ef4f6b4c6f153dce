//! `megacluster discover`: scenario discovery. A Latin hypercube over the uncertain
//! parameters (or `--param` ranges), an ensemble at every point, and PRIM on the points
//! where a target fails (or is met): the box of conditions under which it does.

use super::EnsembleArgs;
use super::request::Request;
use super::shard::{self, Evaluated, ShardArgs};
use super::tune_common::{Common, evaluator};
use crate::error::RunError;
use crate::output::charts::bars::{Bar, BarChart, BarRow};
use crate::output::charts::format::{self, ValueFormat};
use crate::output::charts::xy::{Interval, LegendItem, Swatch, XyChart, XyPoint, XySeries, colour};
use crate::output::export::{self, Folder, put_charts, settings_json};
use crate::output::partial::{DiscoverSpec, Kind, Spec};
use crate::tune::discover::Discovery;
use crate::tune::prim::Options;
use crate::tune::{ParamRange, design, find_target, parse_range, precise, sweep, uncertain_ranges};
use std::path::PathBuf;

/// Arguments of `discover`.
#[derive(Debug, clap::Args)]
pub struct DiscoverArgs {
    /// Scenario file (RON), e.g. scenarios/baseline.ron.
    pub file: PathBuf,
    /// Target name (as in the scenario's `targets`).
    #[arg(long)]
    pub target: String,
    /// Look for the conditions under which the target fails (the default).
    #[arg(long, conflicts_with = "meets")]
    pub fails: bool,
    /// Look for the conditions under which the target is met.
    #[arg(long)]
    pub meets: bool,
    /// A parameter and its range, PATH=LO..HI (repeatable; policy levers too); default:
    /// every distribution drawn once per run, over its support.
    #[arg(long = "param", value_name = "PATH=LO..HI")]
    pub params: Vec<String>,
    /// Points of the Latin hypercube.
    #[arg(long, default_value = "500", value_parser = clap::value_parser!(u64).range(10..=100_000))]
    pub points: u64,
    /// Runs at each point: a point is a case of interest when the share of its runs
    /// meeting the target is below one half (`--fails`) or at least one half (`--meets`).
    #[arg(long, visible_alias = "runs", default_value = "1", value_parser = super::count("runs-per-point", 100_000))]
    pub runs_per_point: u64,
    /// Pick the box of highest coverage whose density reaches this share (0..1);
    /// default: the last box of the peeling trajectory, as EMA Workbench and `prim` do.
    #[arg(long)]
    pub threshold: Option<f64>,
    /// Share of the box's points peeled off at each step.
    #[arg(long, default_value = "0.05")]
    pub alpha: f64,
    /// Smallest share of the points a box may hold.
    #[arg(long, default_value = "0.05")]
    pub mass_min: f64,
    /// Paste after peeling (widen the box again while that raises its density).
    #[arg(long)]
    pub paste: bool,
    /// Override a scenario value before running: PATH=VALUE (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Seed of the design and of every point's ensemble (default: the scenario's `seed`).
    #[arg(long, allow_hyphen_values = true, value_parser = super::count("seed", u64::MAX))]
    pub seed: Option<u64>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, allow_hyphen_values = true, value_parser = super::count("threads", 1024))]
    pub threads: Option<u64>,
    /// Output folder (default: output/<scenario>/discover/).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
    /// Sharding over design points.
    #[command(flatten)]
    pub shard: ShardArgs,
}

impl DiscoverArgs {
    /// What determines the design and the analysis, for a shard's manifest.
    pub fn spec(&self) -> DiscoverSpec {
        DiscoverSpec {
            target: self.target.clone(),
            meets: self.meets,
            params: self.params.clone(),
            points: self.points,
            alpha: self.alpha,
            mass_min: self.mass_min,
            paste: self.paste,
            threshold: self.threshold,
        }
    }
}

fn check_share(name: &str, v: f64, max: f64) -> Result<(), RunError> {
    if v.is_finite() && v > 0.0 && v < max {
        Ok(())
    } else {
        Err(RunError::Usage(format!(
            "`--{name} {v}` must lie strictly between 0 and {max}"
        )))
    }
}

/// A discovery's parameters, target and design points.
struct Plan {
    params: Vec<ParamRange>,
    target: usize,
    points: Vec<Vec<f64>>,
}

/// The plan of a discovery from its spec: the same in one go, in every shard and in
/// merge (the Latin hypercube comes from the seed alone).
fn plan(req: &Request, spec: &DiscoverSpec) -> Result<Plan, RunError> {
    check_share("alpha", spec.alpha, 0.5)?;
    check_share("mass-min", spec.mass_min, 1.0)?;
    if let Some(t) = spec.threshold.filter(|t| !(*t > 0.0 && *t <= 1.0)) {
        return Err(RunError::Usage(format!(
            "`--threshold {t}` must be a density above 0 and at most 1"
        )));
    }
    let s = &req.scenario;
    let target = find_target(s, &spec.target)?;
    let params: Vec<ParamRange> = if spec.params.is_empty() {
        uncertain_ranges(s)
    } else {
        spec.params
            .iter()
            .map(|a| parse_range(s, a))
            .collect::<Result<_, _>>()?
    };
    if params.is_empty() {
        return Err(RunError::Usage(format!(
            "`{}` has no distribution drawn per run to discover over; name parameters with --param PATH=LO..HI",
            req.name
        )));
    }
    let points = sweep::scale(
        &params,
        &design::lhs(params.len(), spec.points as usize, req.seed),
    );
    Ok(Plan {
        params,
        target,
        points,
    })
}

/// Runs the command; returns the output folder (a shard's partial folder with `--shard`).
pub fn run(args: &DiscoverArgs) -> Result<PathBuf, RunError> {
    let spec = args.spec();
    let shard = args.shard.parse();
    let common = Common {
        file: args.file.clone(),
        ensemble: EnsembleArgs {
            set: args.set.clone(),
            runs: Some(args.runs_per_point),
            seed: args.seed,
            threads: args.threads,
            out: args.out.clone(),
            quiet: args.quiet,
        },
    };
    let req = common.request(1, &shard::folder(Kind::Discover, &shard))?;
    let plan = plan(&req, &spec)?;
    let shard = shard?;
    if shard.is_none() {
        crate::output::write::check_target(&req.out)?;
    }
    let d = shard::Design {
        kind: Kind::Discover,
        spec: Spec::Discover(spec.clone()),
        params: plan.params.clone(),
        points: &plan.points,
    };
    let eval = |indices: &[usize]| probabilities(&req, &plan, indices);
    match shard::eval_design_with(&req, shard, &d, &eval)? {
        Evaluated::Shard(partial) => Ok(partial),
        Evaluated::All(probability) => {
            write_discovery(&req, &spec, plan, probability)?;
            Ok(req.out)
        }
    }
}

/// Writes the folder of a discovery from the target's probability at every point of
/// its shards, in point order: `megacluster merge`.
pub fn merge(req: &Request, spec: &DiscoverSpec, probability: Vec<f64>) -> Result<(), RunError> {
    let plan = plan(req, spec)?;
    shard::check_point_count(probability.len(), plan.points.len())?;
    write_discovery(req, spec, plan, probability)
}

/// The target's probability at the design points `indices`, in that order. The points
/// run in parallel, each ensemble on one thread ([`crate::tune::Evaluator::eval_each`]).
fn probabilities(req: &Request, plan: &Plan, indices: &[usize]) -> Result<Vec<f64>, RunError> {
    let (ev, pb) = evaluator(req, plan.params.clone(), indices.len());
    let points: Vec<Vec<f64>> = indices.iter().map(|&i| plan.points[i].clone()).collect();
    let ti = plan.target;
    let out = ev.eval_each(&points, &|s, o| {
        let r = crate::sim::run_ensemble(s, o)?.result;
        Ok(r.targets.get(ti).map_or(f64::NAN, |t| t.probability))
    })?;
    pb.finish_and_clear();
    Ok(out)
}

/// Runs PRIM on the points and writes the folder (trajectory.csv, boxes.csv, points.csv,
/// settings.json, result.txt, charts/); shared by the one-go discovery and `merge`, so
/// both write the same bytes.
fn write_discovery(
    req: &Request,
    spec: &DiscoverSpec,
    plan: Plan,
    probability: Vec<f64>,
) -> Result<(), RunError> {
    let s = &req.scenario;
    let tname = s.targets[plan.target].name.clone();
    let n = plan.points.len();
    let meets = spec.meets;
    let opts = Options {
        peel_alpha: spec.alpha,
        paste_alpha: spec.alpha,
        mass_min: spec.mass_min,
        paste: spec.paste,
    };
    let d = Discovery::new(
        plan.params,
        plan.points,
        probability,
        meets,
        &opts,
        spec.threshold,
    )
    .map_err(|e| RunError::Usage(e.to_string()))?;
    let what = if meets { "meet" } else { "fail" };
    // For titles: where the target "is met" or "fails".
    let verb = if meets { "is met" } else { "fails" };
    let why = match spec.threshold {
        Some(t) if d.step().density >= t => format!(
            "highest coverage with density >= {}",
            format::probability(t)
        ),
        Some(t) => format!(
            "no box reaches density {}: the last one",
            format::probability(t)
        ),
        None => "the last of the trajectory".into(),
    };
    let head = format!(
        "Scenario discovery: where \"{tname}\" {verb}\nScenario '{}', {n} points (Latin hypercube over {} parameters) x {} run{} each, seed {}; PRIM with alpha {}, minimum mass {}{}\n",
        s.name,
        d.params.len(),
        req.runs,
        if req.runs == 1 { "" } else { "s" },
        req.seed,
        spec.alpha,
        spec.mass_min,
        if spec.paste { ", pasting" } else { "" },
    );
    let message = format!("{head}{}", d.summary(&format!("{what} the target"), &why));
    let ev = req.evaluator(d.params.clone());
    let files = vec![
        ("trajectory.csv".into(), d.trajectory_csv()),
        ("boxes.csv".into(), d.boxes_csv()),
        ("points.csv".into(), d.points_csv(&tname)),
        (
            "settings.json".into(),
            settings_json(
                "discover",
                req,
                &ev,
                serde_json::json!({
                    "target": tname, "cases": if meets { "meets" } else { "fails" },
                    "points": n, "runs_per_point": req.runs, "alpha": spec.alpha,
                    "mass_min": spec.mass_min, "paste": spec.paste,
                    "threshold": spec.threshold, "chosen_step": d.chosen,
                }),
            ),
        ),
        ("result.txt".into(), message.clone().into_bytes()),
    ];
    let sub = format!(
        "Scenario '{}' · {n} points × {} run{} · PRIM, alpha {}, minimum mass {}",
        s.name,
        req.runs,
        if req.runs == 1 { "" } else { "s" },
        spec.alpha,
        spec.mass_min
    );
    let (xy, bars) = (
        [
            trajectory_chart(&d, &tname, (what, verb), &sub),
            scatter_chart(&d, &tname, verb, &sub),
        ],
        box_chart(&d, &tname, verb, &sub),
    );
    export::write(
        &req.out,
        &Folder {
            files: &files,
            charts: &|dir| {
                put_charts(&xy, dir)?;
                put_charts(std::slice::from_ref(&bars), dir)
            },
        },
    )?;
    if !req.quiet {
        print!("{message}");
        println!(
            "Wrote {} (trajectory.csv, boxes.csv, points.csv, result.txt, settings.json, charts/)",
            req.out.display()
        );
    }
    Ok(())
}

/// Coverage against density along the trajectory, the chosen box marked.
fn trajectory_chart(d: &Discovery, tname: &str, (what, verb): (&str, &str), sub: &str) -> XyChart {
    let steps = &d.trajectory.steps;
    let s = d.step();
    XyChart {
        stem: "discover_trajectory".into(),
        title: format!("Where \"{tname}\" {verb}: PRIM's peeling trajectory"),
        subtitle: format!("{sub} · one dot per box, from all points (right) inwards"),
        x_desc: format!("Coverage: share of the points that {what} the target inside the box"),
        y_desc: format!("Density: share of the box's points that {what}"),
        y_fmt: ValueFormat::Share,
        series: vec![
            XySeries {
                label: "boxes of the trajectory".into(),
                colour: colour(0),
                points: steps
                    .iter()
                    .map(|s| XyPoint::new(s.coverage, s.density))
                    .collect(),
                line: true,
                interval: Interval::None,
                point_labels: Vec::new(),
            },
            XySeries {
                label: "chosen box".into(),
                colour: colour(5),
                points: vec![XyPoint::new(s.coverage, s.density)],
                line: false,
                interval: Interval::None,
                point_labels: vec![format!(
                    "step {}: coverage {}, density {}, {} restricted",
                    d.chosen,
                    format::probability(s.coverage),
                    format::probability(s.density),
                    d.quasi_p.len()
                )],
            },
        ],
        hlines: Vec::new(),
        vlines: Vec::new(),
        y_range: Some((0.0, 1.04)),
        notes: Vec::new(),
        x_int: false,
    }
}

/// The points on the two parameters with the smallest quasi-p-values (the first two
/// parameters without restrictions), cases and others apart, with the box's limits.
fn scatter_chart(d: &Discovery, tname: &str, verb: &str, sub: &str) -> XyChart {
    let order = d.order();
    let (a, b) = (order[0].0, order.get(1).map_or(order[0].0, |o| o.0));
    let (pa, pb) = (&d.params[a], &d.params[b]);
    let dots = |case: bool| -> Vec<XyPoint> {
        d.points
            .iter()
            .zip(&d.cases)
            .filter(|(_, c)| **c == case)
            .map(|(p, _)| XyPoint::new(p[a], p[b]))
            .collect()
    };
    let (xl, yl) = (d.limits(a), d.limits(b));
    let edge = |label: &str, p: [(f64, f64); 2]| XySeries {
        label: label.into(),
        colour: plotters::style::RGBColor(40, 40, 40),
        points: p.iter().map(|&(x, y)| XyPoint::new(x, y)).collect(),
        line: true,
        interval: Interval::None,
        point_labels: Vec::new(),
    };
    let series = vec![
        XySeries {
            label: format!("points where it {verb}"),
            colour: colour(5),
            points: dots(true),
            line: false,
            interval: Interval::None,
            point_labels: Vec::new(),
        },
        XySeries {
            label: "the other points".into(),
            colour: colour(6),
            points: dots(false),
            line: false,
            interval: Interval::None,
            point_labels: Vec::new(),
        },
        edge(
            "chosen box (these two limits)",
            [(xl.0, yl.0), (xl.1, yl.0)],
        ),
        edge("", [(xl.0, yl.1), (xl.1, yl.1)]),
        edge("", [(xl.0, yl.0), (xl.0, yl.1)]),
        edge("", [(xl.1, yl.0), (xl.1, yl.1)]),
    ];
    XyChart {
        stem: "discover_scatter".into(),
        title: format!("Where \"{tname}\" {verb}: the box on two parameters"),
        subtitle: format!(
            "{sub} · {}",
            match d.quasi_p.len() {
                0 => "no box: no parameter is restricted".to_string(),
                1 | 2 => "the box restricts only these".to_string(),
                n => format!(
                    "the two limits of smallest quasi-p; {} more in boxes.csv",
                    n - 2
                ),
            }
        ),
        x_desc: pa.label(),
        y_desc: pb.label(),
        y_fmt: ValueFormat::Plain,
        series,
        hlines: Vec::new(),
        vlines: Vec::new(),
        y_range: Some((pb.lo, pb.hi)),
        notes: Vec::new(),
        x_int: pa.integer,
    }
}

/// Each restricted parameter's limits as a bar over its range (0 = its low end, 1 =
/// its high end), labelled with the values and the quasi-p-value.
fn box_chart(d: &Discovery, tname: &str, verb: &str, sub: &str) -> BarChart {
    let rows = d
        .quasi_p
        .iter()
        .map(|&(i, q)| {
            let p = &d.params[i];
            let (lo, hi) = d.limits(i);
            let w = (p.hi - p.lo).max(f64::MIN_POSITIVE);
            BarRow {
                label: p.path.clone(),
                bars: vec![Bar {
                    from: (lo - p.lo) / w,
                    to: (hi - p.lo) / w,
                    colour: colour(5),
                    ci: None,
                    note: format!("{} .. {} (quasi-p {q:.0e})", precise(lo), precise(hi)),
                }],
            }
        })
        .collect();
    BarChart {
        stem: "discover_box".into(),
        title: format!("Where \"{tname}\" {verb}: the box's limits"),
        subtitle: format!(
            "{sub} · coverage {}, density {}",
            format::probability(d.step().coverage),
            format::probability(d.step().density)
        ),
        x_desc: "Position in the parameter's range (0 = low end, 1 = high end)".into(),
        x_fmt: ValueFormat::Plain,
        rows,
        vline: None,
        overlay: false,
        legend: vec![LegendItem::new(
            Swatch::Band(colour(5), 0.85),
            "the box (most significant first)",
        )],
    }
}
