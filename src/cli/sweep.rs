//! `megacluster sweep`: an ensemble at each point of a grid or Latin hypercube over
//! parameters; `sweep.csv` and charts (line with bands, heat map, per-parameter scatters).

use super::request::Request;
use super::shard::{self, Evaluated, ShardArgs};
use super::tune_common::Common;
use crate::error::RunError;
use crate::output::charts::format::{self, ValueFormat};
use crate::output::charts::heatmap::Heatmap;
use crate::output::charts::xy::{Interval, LegendItem, Swatch, XyChart, XyPoint, XySeries, colour};
use crate::output::export::{self, Folder, put_charts, settings_json};
use crate::output::partial::{Kind, Spec, SweepSpec};
use crate::scenario::Scenario;
use crate::sim::results::EnsembleResult;
use crate::tune::sweep::{self, SweepPoint};
use crate::tune::{ParamRange, design, design_csv, find_target, parse_range, precise, wilson};
use clap::ValueEnum;
use std::path::PathBuf;

/// Runs per point when `--runs` is not given.
const DEFAULT_RUNS: usize = 200;

/// Experiment design.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Design {
    /// Every combination of the parameters' steps.
    Grid,
    /// A Latin hypercube of `--samples` points (for many parameters).
    Lhs,
}

/// Arguments of `sweep`.
#[derive(Debug, clap::Args)]
pub struct SweepArgs {
    /// Scenario, runs, seed, output and overrides.
    #[command(flatten)]
    pub common: Common,
    /// A parameter and its range: PATH=LO..HI:STEPS (repeatable; STEPS defaults to 5).
    #[arg(long = "param", value_name = "PATH=LO..HI:STEPS", required = true)]
    pub params: Vec<String>,
    /// Design over the parameters.
    #[arg(long, value_enum, default_value = "grid")]
    pub design: Design,
    /// Points of a Latin hypercube design.
    #[arg(long, default_value = "20", value_parser = clap::value_parser!(u64).range(2..=100_000))]
    pub samples: u64,
    /// Target whose probability the heat map and per-parameter charts show (default: the first).
    #[arg(long)]
    pub target: Option<String>,
    /// Sharding over design points.
    #[command(flatten)]
    pub shard: ShardArgs,
}

impl SweepArgs {
    /// What determines the design and outputs, for a shard's manifest.
    pub fn spec(&self) -> SweepSpec {
        SweepSpec {
            params: self.params.clone(),
            design: format!("{:?}", self.design).to_lowercase(),
            samples: (self.design == Design::Lhs).then_some(self.samples),
            target: self.target.clone(),
        }
    }
}

/// A sweep's parameters, target and design points.
struct Plan {
    params: Vec<ParamRange>,
    design: Design,
    target: Option<usize>,
    /// The design in the unit cube, and the number of levels of each parameter (grid
    /// steps, or Latin hypercube strata).
    unit: Vec<Vec<f64>>,
    levels: Vec<usize>,
    points: Vec<Vec<f64>>,
}

/// The plan of a sweep from its spec: the same in one go, in every shard and in merge.
fn plan(s: &Scenario, spec: &SweepSpec, seed: u64) -> Result<Plan, RunError> {
    let params = spec
        .params
        .iter()
        .map(|a| parse_range(s, a))
        .collect::<Result<Vec<ParamRange>, _>>()?;
    let target = match &spec.target {
        Some(t) => Some(find_target(s, t)?),
        None => (!s.targets.is_empty()).then_some(0),
    };
    let design = Design::from_str(&spec.design, true)
        .map_err(|_| RunError::Usage(format!("unknown design `{}`", spec.design)))?;
    let (unit, levels) = match design {
        Design::Grid => {
            let steps: Vec<usize> = params.iter().map(|p| p.steps.unwrap_or(5)).collect();
            (design::grid(&steps), steps)
        }
        Design::Lhs => {
            let n = spec.samples.unwrap_or(20) as usize;
            (design::lhs(params.len(), n, seed), vec![n; params.len()])
        }
    };
    let points = sweep::scale(&params, &unit);
    if points.len() > 100_000 {
        return Err(RunError::Usage(format!(
            "the design has {} points; at most 100,000",
            points.len()
        )));
    }
    Ok(Plan {
        params,
        design,
        target,
        unit,
        levels,
        points,
    })
}

/// Runs the command; returns the output folder (a shard's partial folder with `--shard`).
pub fn run(args: &SweepArgs) -> Result<PathBuf, RunError> {
    let shard = args.shard.parse();
    let req = (args.common).request(DEFAULT_RUNS, &shard::folder(Kind::Sweep, &shard))?;
    let spec = args.spec();
    let plan = plan(&req.scenario, &spec, req.seed)?;
    let shard = shard?;
    if shard.is_none() {
        crate::output::write::check_target(&req.out)?;
    }
    let d = shard::Design {
        kind: Kind::Sweep,
        spec: Spec::Sweep(spec),
        params: plan.params.clone(),
        points: &plan.points,
    };
    match shard::eval_design(&req, shard, &d, &sweep::trim)? {
        Evaluated::Shard(partial) => Ok(partial),
        Evaluated::All(results) => {
            write_sweep(&req, &plan, results)?;
            Ok(req.out)
        }
    }
}

/// Writes the folder of a sweep from the (trimmed) results of its shards, in point
/// order: `megacluster merge`.
pub fn merge(
    req: &Request,
    spec: &SweepSpec,
    results: Vec<EnsembleResult>,
) -> Result<(), RunError> {
    let plan = plan(&req.scenario, spec, req.seed)?;
    shard::check_point_count(results.len(), plan.points.len())?;
    write_sweep(req, &plan, results)
}

/// Writes the folder of a sweep (sweep.csv, design.csv, settings.json, charts/) from the results at
/// every point, in point order; shared by the one-go sweep and `merge`, so both write
/// the same bytes.
fn write_sweep(req: &Request, plan: &Plan, results: Vec<EnsembleResult>) -> Result<(), RunError> {
    let (s, seed, runs, dir) = (&req.scenario, req.seed, req.runs, req.out.as_path());
    let (params, target) = (&plan.params, plan.target);
    let ev = req.evaluator(params.clone());
    let results: Vec<SweepPoint> = plan
        .points
        .iter()
        .zip(results)
        .map(|(values, result)| SweepPoint {
            values: values.clone(),
            result,
        })
        .collect();
    let name = format!("{:?}", plan.design).to_lowercase();
    let (names, outcomes) = sweep::design_outcomes(&results);
    let design = design_csv::csv(
        &sweep::roles(&name, params, &plan.unit, &plan.levels),
        params,
        &plan.points,
        &names,
        &outcomes,
        runs,
        seed,
    );
    let files = vec![
        ("sweep.csv".into(), sweep::csv(params, &results)),
        ("design.csv".into(), design),
        (
            "settings.json".into(),
            settings_json(
                "sweep",
                req,
                &ev,
                serde_json::json!({"design": name, "points": plan.points.len()}),
            ),
        ),
    ];
    let grid2 = params.len() == 2 && plan.design == Design::Grid;
    export::write(
        dir,
        &Folder {
            files: &files,
            charts: &|charts_dir| {
                if params.len() == 1 {
                    put_charts(
                        &line_charts(s, &params[0], &results, target, runs),
                        charts_dir,
                    )
                } else if let (true, Some(t)) = (grid2, target) {
                    put_charts(&[heatmap(s, params, &results, t, runs)], charts_dir)
                } else {
                    put_charts(
                        &scatter_charts(s, params, &results, target, runs),
                        charts_dir,
                    )
                }
            },
        },
    )?;
    if !req.quiet {
        print_table(params, &results, target);
        println!(
            "Wrote {} (sweep.csv and design.csv with {} points x {} runs, settings.json, charts/)",
            dir.display(),
            results.len(),
            runs
        );
    }
    Ok(())
}

fn print_table(params: &[ParamRange], results: &[SweepPoint], target: Option<usize>) {
    let Some(t) = target else { return };
    let name = results
        .first()
        .and_then(|r| r.result.targets.get(t))
        .map_or(String::new(), |t| t.name.clone());
    let head: Vec<String> = params.iter().map(|p| p.path.clone()).collect();
    println!("{}  P({name})", head.join("  "));
    for r in results.iter().take(60) {
        let vals: Vec<String> = r
            .values
            .iter()
            .zip(&head)
            .map(|(v, h)| format!("{:>w$}", precise(*v), w = h.len()))
            .collect();
        let p = r.result.targets.get(t).map_or(0.0, |t| t.probability);
        println!("{}  {:>6}", vals.join("  "), format::probability(p));
    }
    if results.len() > 60 {
        println!("... {} more points in sweep.csv", results.len() - 60);
    }
}

fn subtitle(s: &crate::scenario::Scenario, n: usize, runs: usize) -> String {
    format!(
        "Scenario '{}' · {} points × {} runs · same seed at every point",
        s.name,
        format::number(n as f64),
        format::number(runs as f64)
    )
}

/// One parameter: target probabilities against it (95 % bands), and for the chosen
/// target its metric's median with the 10–90 % band.
pub fn line_charts(
    s: &crate::scenario::Scenario,
    p: &ParamRange,
    results: &[SweepPoint],
    target: Option<usize>,
    runs: usize,
) -> Vec<XyChart> {
    let first = results.first().map(|r| &r.result);
    let targets = first.map_or(&[][..], |r| r.targets.as_slice());
    let series = targets
        .iter()
        .enumerate()
        .map(|(i, t)| XySeries {
            label: t.name.clone(),
            colour: colour(i),
            points: results
                .iter()
                .map(|r| {
                    let pr = r.result.targets[i].probability;
                    let (lo, hi) = wilson(pr, r.result.runs);
                    XyPoint::with(r.values[0], pr, lo, hi)
                })
                .collect(),
            line: true,
            interval: Interval::Band,
            point_labels: Vec::new(),
        })
        .collect();
    let mut out = vec![XyChart {
        stem: "sweep_probabilities".into(),
        title: format!("Target probabilities against {}", p.path),
        subtitle: subtitle(s, results.len(), runs),
        x_desc: p.label(),
        y_desc: "Probability of meeting the target".into(),
        y_fmt: ValueFormat::Share,
        series,
        hlines: Vec::new(),
        vlines: vec![(p.base, "scenario value".into())],
        y_range: Some((0.0, 1.04)),
        notes: vec![LegendItem::new(
            Swatch::Band(colour(6), 0.25),
            "95 % interval (Wilson)",
        )],
        x_int: p.integer,
    }];
    if let Some(t) = target.and_then(|t| targets.get(t)) {
        let (m, y) = (
            first.and_then(|r| r.metric_index(&t.metric)),
            first.and_then(|r| r.year_index(t.year)),
        );
        if let (Some(r0), Some(m), Some(y)) = (first, m, y) {
            let def = &r0.metrics[m];
            let fmt = ValueFormat::for_metric(&def.name, &def.unit);
            out.push(XyChart {
                stem: format!("sweep_{}", format::file_stem(&t.metric)),
                title: format!("{} in {} against {}", def.name, t.year, p.path),
                subtitle: subtitle(s, results.len(), runs),
                x_desc: p.label(),
                y_desc: def.unit.clone(),
                y_fmt: fmt,
                series: vec![XySeries {
                    label: "Median of runs".into(),
                    colour: colour(0),
                    points: results
                        .iter()
                        .map(|r| {
                            let st = r.result.stats[m][y];
                            XyPoint::with(r.values[0], st.p50, st.p10, st.p90)
                        })
                        .collect(),
                    line: true,
                    interval: Interval::Band,
                    point_labels: Vec::new(),
                }],
                hlines: vec![(
                    t.value,
                    format!("Target {} {}", t.comparison.symbol(), fmt.format(t.value)),
                )],
                vlines: vec![(p.base, "scenario value".into())],
                y_range: None,
                notes: vec![LegendItem::new(
                    Swatch::Band(colour(0), 0.25),
                    "10–90 % of runs",
                )],
                x_int: p.integer,
            });
        }
    }
    out
}

/// Two parameters on a grid: the chosen target's probability as a heat map.
pub fn heatmap(
    s: &crate::scenario::Scenario,
    params: &[ParamRange],
    results: &[SweepPoint],
    target: usize,
    runs: usize,
) -> Heatmap {
    let mut xs: Vec<f64> = results.iter().map(|r| r.values[0]).collect();
    let mut ys: Vec<f64> = results.iter().map(|r| r.values[1]).collect();
    for v in [&mut xs, &mut ys] {
        v.sort_by(f64::total_cmp);
        v.dedup();
    }
    let mut z = vec![vec![f64::NAN; ys.len()]; xs.len()];
    for r in results {
        let i = xs.iter().position(|&x| x == r.values[0]).unwrap_or(0);
        let j = ys.iter().position(|&y| y == r.values[1]).unwrap_or(0);
        z[i][j] = r
            .result
            .targets
            .get(target)
            .map_or(f64::NAN, |t| t.probability);
    }
    let name = s
        .targets
        .get(target)
        .map_or(String::new(), |t| t.name.clone());
    Heatmap {
        stem: format!("heatmap_{}", format::file_stem(&name)),
        title: format!("P({name})"),
        subtitle: subtitle(s, results.len(), runs),
        x_desc: params[0].label(),
        y_desc: params[1].label(),
        xs,
        ys,
        z,
        z_desc: "P(met)".into(),
        label: precise,
    }
}

/// More parameters, or a Latin hypercube: one chart per parameter of the chosen target's
/// probability at every design point.
pub fn scatter_charts(
    s: &crate::scenario::Scenario,
    params: &[ParamRange],
    results: &[SweepPoint],
    target: Option<usize>,
    runs: usize,
) -> Vec<XyChart> {
    let Some(t) = target else { return Vec::new() };
    let name = s.targets.get(t).map_or(String::new(), |t| t.name.clone());
    params
        .iter()
        .enumerate()
        .map(|(i, p)| XyChart {
            stem: format!("sweep_{}", format::file_stem(&p.path)),
            title: format!("P({name}) against {}", p.path),
            subtitle: format!(
                "{} · each dot a design point (other parameters vary too)",
                subtitle(s, results.len(), runs)
            ),
            x_desc: p.label(),
            y_desc: "Probability of meeting the target".into(),
            y_fmt: ValueFormat::Share,
            series: vec![XySeries {
                label: String::new(),
                colour: colour(0),
                points: results
                    .iter()
                    .map(|r| {
                        XyPoint::new(
                            r.values[i],
                            r.result.targets.get(t).map_or(f64::NAN, |t| t.probability),
                        )
                    })
                    .collect(),
                line: false,
                interval: Interval::None,
                point_labels: Vec::new(),
            }],
            hlines: Vec::new(),
            vlines: Vec::new(),
            y_range: Some((0.0, 1.04)),
            notes: Vec::new(),
            x_int: p.integer,
        })
        .collect()
}
