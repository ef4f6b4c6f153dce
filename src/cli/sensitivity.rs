//! `megacluster sensitivity`: ranks parameters by their influence on an outcome (the
//! ensemble mean of a metric in a year): tornado (OAT), μ*/σ (Morris) or Sobol indices.

use super::request::Request;
use super::shard::{self, Evaluated, ShardArgs};
use super::tune_common::Common;
use crate::error::RunError;
use crate::output::charts::bars::{Bar, BarChart, BarRow};
use crate::output::charts::format::ValueFormat;
use crate::output::charts::xy::{Interval, LegendItem, Swatch, XyChart, XyPoint, XySeries, colour};
use crate::output::export::{self, Folder, put_charts, settings_json};
use crate::output::partial::{Kind, SensitivitySpec, Spec};
use crate::scenario::Scenario;
use crate::tune::sensitivity::{Method, morris, oat, sobol};
use crate::tune::{Outcome, ParamRange, design_csv, parse_range, precise, uncertain_ranges};
use clap::ValueEnum;
use std::path::PathBuf;

/// Runs per ensemble when `--runs` is not given.
const DEFAULT_RUNS: usize = 50;

/// Arguments of `sensitivity`.
#[derive(Debug, clap::Args)]
pub struct SensitivityArgs {
    /// Scenario, runs, seed, output and overrides.
    #[command(flatten)]
    pub common: Common,
    /// Outcome: METRIC@YEAR, its ensemble mean (default: the first target's metric and year).
    #[arg(long)]
    pub outcome: Option<String>,
    /// Method.
    #[arg(long, value_enum, default_value = "oat")]
    pub method: Method,
    /// Parameters and ranges PATH=LO..HI (repeatable; default: every distribution in the
    /// file drawn once per run, over its support).
    #[arg(long = "param", value_name = "PATH=LO..HI")]
    pub params: Vec<String>,
    /// Morris trajectories.
    #[arg(long, default_value = "10", value_parser = clap::value_parser!(u64).range(2..=10_000))]
    pub trajectories: u64,
    /// Sobol base samples N (N (k + 2) ensembles).
    #[arg(long, default_value = "64", value_parser = clap::value_parser!(u64).range(4..=1_000_000))]
    pub samples: u64,
    /// Sharding over design points (the ensembles of the method's design).
    #[command(flatten)]
    pub shard: ShardArgs,
}

impl SensitivityArgs {
    /// What determines the design and outputs, for a shard's manifest.
    pub fn spec(&self) -> SensitivitySpec {
        SensitivitySpec {
            method: format!("{:?}", self.method).to_lowercase(),
            outcome: self.outcome.clone(),
            params: self.params.clone(),
            trajectories: (self.method == Method::Morris).then_some(self.trajectories),
            samples: (self.method == Method::Sobol).then_some(self.samples),
        }
    }
}

/// A sensitivity analysis's outcome, parameters and design points.
struct Plan {
    outcome: Outcome,
    params: Vec<ParamRange>,
    method: Method,
    /// Morris: the steps of each trajectory.
    steps: Vec<morris::Steps>,
    /// Sobol: base samples.
    samples: usize,
    /// Parameter values at each point.
    points: Vec<Vec<f64>>,
}

/// The plan from a spec: the same in one go, in every shard and in merge.
fn plan(s: &Scenario, spec: &SensitivitySpec, seed: u64) -> Result<Plan, RunError> {
    let outcome = match &spec.outcome {
        Some(o) => Outcome::parse(s, o)?,
        None => Outcome::default_for(s),
    };
    let params = if spec.params.is_empty() {
        uncertain_ranges(s)
    } else {
        spec.params
            .iter()
            .map(|a| parse_range(s, a))
            .collect::<Result<Vec<_>, _>>()?
    };
    if params.is_empty() {
        return Err(RunError::Usage(
            "no parameters to rank: the scenario has no distributions drawn per run; give --param PATH=LO..HI".into(),
        ));
    }
    let method = Method::from_str(&spec.method, true)
        .map_err(|_| RunError::Usage(format!("unknown method `{}`", spec.method)))?;
    let k = params.len();
    let at = |unit: Vec<Vec<f64>>| -> Vec<Vec<f64>> {
        unit.iter()
            .map(|u| params.iter().zip(u).map(|(p, &f)| p.at(f)).collect())
            .collect()
    };
    let samples = spec.samples.unwrap_or(64) as usize;
    let (points, steps) = match method {
        Method::Oat => (oat::points(&params), Vec::new()),
        Method::Morris => {
            let (unit, steps) = morris::design(k, spec.trajectories.unwrap_or(10) as usize, seed);
            (at(unit), steps)
        }
        Method::Sobol => (at(sobol::design(k, samples, seed)), Vec::new()),
    };
    Ok(Plan {
        outcome,
        params,
        method,
        steps,
        samples,
        points,
    })
}

/// Runs the command; returns the output folder (a shard's partial folder with `--shard`).
pub fn run(args: &SensitivityArgs) -> Result<PathBuf, RunError> {
    let shard = args.shard.parse();
    let req = (args.common).request(DEFAULT_RUNS, &shard::folder(Kind::Sensitivity, &shard))?;
    let spec = args.spec();
    let plan = plan(&req.scenario, &spec, req.seed)?;
    let shard = shard?;
    if shard.is_none() {
        crate::output::write::check_target(&req.out)?;
    }
    let d = shard::Design {
        kind: Kind::Sensitivity,
        spec: Spec::Sensitivity(spec),
        params: plan.params.clone(),
        points: &plan.points,
    };
    let outcome = plan.outcome.clone();
    match shard::eval_design(&req, shard, &d, &|r| outcome.value(&r))? {
        Evaluated::Shard(partial) => Ok(partial),
        Evaluated::All(ys) => {
            write_sensitivity(&req, &plan, &ys)?;
            Ok(req.out)
        }
    }
}

/// Writes the folder of a sensitivity analysis from the outcomes of its shards, in
/// point order: `megacluster merge`.
pub fn merge(req: &Request, spec: &SensitivitySpec, ys: &[f64]) -> Result<(), RunError> {
    let plan = plan(&req.scenario, spec, req.seed)?;
    shard::check_point_count(ys.len(), plan.points.len())?;
    write_sensitivity(req, &plan, ys)
}

fn short(p: &ParamRange) -> String {
    format!("{} [{}..{}]", p.path, precise(p.lo), precise(p.hi))
}

/// Writes the folder of a sensitivity analysis (ranking.csv, design.csv, settings.json,
/// charts/) from the outcomes `ys` at every point, in point order; shared by the one-go
/// analysis and `merge`, so both write the same bytes.
fn write_sensitivity(req: &Request, plan: &Plan, ys: &[f64]) -> Result<(), RunError> {
    let (s, seed, runs, dir) = (&req.scenario, req.seed, req.runs, req.out.as_path());
    let (outcome, params) = (&plan.outcome, &plan.params);
    let k = params.len();
    let ensembles = plan.points.len();
    let ev = req.evaluator(params.clone());
    let paths: Vec<String> = params.iter().map(|p| p.path.clone()).collect();
    let label = outcome.label();
    let metric_unit = crate::model::catalog::metrics(s)
        .into_iter()
        .find(|m| m.name == outcome.metric)
        .map_or(String::new(), |m| m.unit);
    let fmt = ValueFormat::for_metric(&outcome.metric, &metric_unit);
    let sub = format!(
        "Scenario '{}' · outcome: mean of {label} over {} runs per ensemble · {} ensembles, same seed",
        s.name, ev.runs, ensembles
    );
    let by_path = |path: &str| params.iter().find(|p| p.path == path).cloned();
    let mut w = csv::Writer::from_writer(Vec::new());
    let (chart_bars, chart_xy, lines): (Option<BarChart>, Option<XyChart>, Vec<String>);
    match plan.method {
        Method::Oat => {
            let (base, rows) = oat::rows(params, ys);
            let _ = w.write_record([
                "rank",
                "path",
                "lo",
                "hi",
                "outcome_at_lo",
                "outcome_at_hi",
                "outcome_at_base",
                "swing",
            ]);
            for (i, r) in rows.iter().enumerate() {
                let _ = w.write_record([
                    (i + 1).to_string(),
                    r.path.clone(),
                    r.lo.to_string(),
                    r.hi.to_string(),
                    r.y_lo.to_string(),
                    r.y_hi.to_string(),
                    base.to_string(),
                    r.swing().to_string(),
                ]);
            }
            lines = rows
                .iter()
                .map(|r| format!("{:>12}  {}", fmt.format(r.swing()), r.path))
                .collect();
            chart_bars = Some(BarChart {
                stem: "tornado".into(),
                title: format!("What moves {label}: one at a time"),
                subtitle: sub.clone(),
                x_desc: format!("Mean {} ({metric_unit})", outcome.metric),
                x_fmt: fmt,
                rows: rows
                    .iter()
                    .map(|r| {
                        let p = by_path(&r.path);
                        BarRow {
                            label: p.as_ref().map_or(r.path.clone(), short),
                            bars: vec![
                                Bar {
                                    from: base,
                                    to: r.y_lo,
                                    colour: colour(0),
                                    ci: None,
                                    note: String::new(),
                                },
                                Bar {
                                    from: base,
                                    to: r.y_hi,
                                    colour: colour(1),
                                    ci: None,
                                    note: String::new(),
                                },
                            ],
                        }
                    })
                    .collect(),
                vline: Some((base, format!("base: {}", fmt.format(base)))),
                overlay: true,
                legend: vec![
                    LegendItem::new(Swatch::Band(colour(0), 0.85), "parameter at the low end"),
                    LegendItem::new(Swatch::Band(colour(1), 0.85), "parameter at the high end"),
                ],
            });
            chart_xy = None;
        }
        Method::Morris => {
            let rows = morris::stats(&paths, &morris::effects_of(k, &plan.steps, ys));
            let _ = w.write_record(["rank", "path", "lo", "hi", "mu", "mu_star", "sigma"]);
            for (i, r) in rows.iter().enumerate() {
                let p = by_path(&r.path);
                let _ = w.write_record([
                    (i + 1).to_string(),
                    r.path.clone(),
                    p.as_ref().map_or(String::new(), |p| p.lo.to_string()),
                    p.as_ref().map_or(String::new(), |p| p.hi.to_string()),
                    r.mu.to_string(),
                    r.mu_star.to_string(),
                    r.sigma.to_string(),
                ]);
            }
            lines = rows
                .iter()
                .map(|r| {
                    format!(
                        "μ* {:>12}  σ {:>12}  {}",
                        fmt.format(r.mu_star),
                        fmt.format(r.sigma),
                        r.path
                    )
                })
                .collect();
            let top = 8.min(rows.len());
            chart_xy = Some(XyChart {
                stem: "morris".into(),
                title: format!("What moves {label}: Morris μ* and σ"),
                subtitle: sub.clone(),
                x_desc: format!(
                    "μ*: mean absolute effect over each parameter's full range ({metric_unit})"
                ),
                y_desc: format!("σ of effects ({metric_unit})"),
                y_fmt: fmt,
                series: vec![XySeries {
                    label: "parameter (the 8 largest μ* labelled)".into(),
                    colour: colour(0),
                    points: rows
                        .iter()
                        .map(|r| XyPoint::new(r.mu_star, r.sigma))
                        .collect(),
                    line: false,
                    interval: Interval::None,
                    point_labels: rows
                        .iter()
                        .enumerate()
                        .map(|(i, r)| {
                            if i < top {
                                r.path.clone()
                            } else {
                                String::new()
                            }
                        })
                        .collect(),
                }],
                hlines: Vec::new(),
                vlines: Vec::new(),
                y_range: None,
                notes: Vec::new(),
                x_int: false,
            });
            chart_bars = None;
        }
        Method::Sobol => {
            let rows = sobol::indices(&paths, plan.samples, ys, 500, seed);
            let _ = w.write_record([
                "rank", "path", "lo", "hi", "s1", "s1_lo95", "s1_hi95", "st", "st_lo95", "st_hi95",
            ]);
            for (i, r) in rows.iter().enumerate() {
                let p = by_path(&r.path);
                let _ = w.write_record([
                    (i + 1).to_string(),
                    r.path.clone(),
                    p.as_ref().map_or(String::new(), |p| p.lo.to_string()),
                    p.as_ref().map_or(String::new(), |p| p.hi.to_string()),
                    r.s1.to_string(),
                    r.s1_ci.0.to_string(),
                    r.s1_ci.1.to_string(),
                    r.st.to_string(),
                    r.st_ci.0.to_string(),
                    r.st_ci.1.to_string(),
                ]);
            }
            lines = rows
                .iter()
                .map(|r| format!("S1 {:>6.3}  ST {:>6.3}  {}", r.s1, r.st, r.path))
                .collect();
            chart_bars = Some(BarChart {
                stem: "sobol".into(),
                title: format!("What moves {label}: Sobol indices"),
                subtitle: format!("{sub} · whiskers: 95 % bootstrap intervals"),
                x_desc: "Share of the outcome's variance".into(),
                x_fmt: ValueFormat::Plain,
                rows: rows
                    .iter()
                    .map(|r| BarRow {
                        label: by_path(&r.path).as_ref().map_or(r.path.clone(), short),
                        bars: vec![
                            Bar {
                                from: 0.0,
                                to: r.s1,
                                colour: colour(0),
                                ci: Some(r.s1_ci),
                                note: format!("{:.2}", r.s1),
                            },
                            Bar {
                                from: 0.0,
                                to: r.st,
                                colour: colour(1),
                                ci: Some(r.st_ci),
                                note: format!("{:.2}", r.st),
                            },
                        ],
                    })
                    .collect(),
                vline: None,
                overlay: false,
                legend: vec![
                    LegendItem::new(
                        Swatch::Band(colour(0), 0.85),
                        "first-order index S1 (alone)",
                    ),
                    LegendItem::new(
                        Swatch::Band(colour(1), 0.85),
                        "total index ST (with interactions)",
                    ),
                ],
            });
            chart_xy = None;
        }
    }
    let roles = match plan.method {
        Method::Oat => oat::roles(params),
        Method::Morris => morris::roles(&paths, &plan.steps),
        Method::Sobol => sobol::roles(k, plan.samples),
    };
    let outcomes: Vec<Vec<f64>> = ys.iter().map(|&y| vec![y]).collect();
    let design = design_csv::csv(
        &roles,
        params,
        &plan.points,
        &[format!("{label} mean")],
        &outcomes,
        runs,
        seed,
    );
    let files = vec![
        ("ranking.csv".into(), w.into_inner().unwrap_or_default()),
        ("design.csv".into(), design),
        (
            "settings.json".into(),
            settings_json(
                "sensitivity",
                req,
                &ev,
                serde_json::json!({
                    "method": format!("{:?}", plan.method).to_lowercase(),
                    "outcome": label,
                    "ensembles": ensembles,
                }),
            ),
        ),
    ];
    export::write(
        dir,
        &Folder {
            files: &files,
            charts: &|d| {
                if let Some(b) = &chart_bars {
                    put_charts(std::slice::from_ref(b), d)?;
                }
                if let Some(x) = &chart_xy {
                    put_charts(std::slice::from_ref(x), d)?;
                }
                Ok(())
            },
        },
    )?;
    if !req.quiet {
        println!(
            "Influence on {label} ({:?}, {} parameters):",
            plan.method, k
        );
        for l in lines.iter().take(25) {
            println!("  {l}");
        }
        println!(
            "Wrote {} (ranking.csv, design.csv, settings.json, charts/)",
            dir.display()
        );
    }
    Ok(())
}
