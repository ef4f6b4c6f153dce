//! `megacluster sensitivity`: ranks parameters by their influence on an outcome (the
//! ensemble mean of a metric in a year): tornado (OAT), μ*/σ (Morris) or Sobol indices.

use super::tune_common::{Common, put_charts, settings_json, write_folder};
use crate::error::RunError;
use crate::output::charts::bars::{Bar, BarChart, BarRow};
use crate::output::charts::format::ValueFormat;
use crate::output::charts::xy::{Interval, LegendItem, Swatch, XyChart, XyPoint, XySeries, colour};
use crate::tune::sensitivity::{Method, morris, oat, sobol};
use crate::tune::{Outcome, ParamRange, parse_range, precise, uncertain_ranges};
use std::path::PathBuf;

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
}

fn short(p: &ParamRange) -> String {
    format!("{} [{}..{}]", p.path, precise(p.lo), precise(p.hi))
}

/// Runs the command; returns the output folder.
pub fn run(args: &SensitivityArgs) -> Result<PathBuf, RunError> {
    let c = &args.common;
    let l = c.load()?;
    let s = &l.scenario;
    let outcome = match &args.outcome {
        Some(o) => Outcome::parse(s, o)?,
        None => Outcome::default_for(s),
    };
    let params = if args.params.is_empty() {
        uncertain_ranges(s)
    } else {
        args.params
            .iter()
            .map(|a| parse_range(s, a))
            .collect::<Result<Vec<_>, _>>()?
    };
    if params.is_empty() {
        return Err(RunError::Usage(
            "no parameters to rank: the scenario has no distributions drawn per run; give --param PATH=LO..HI".into(),
        ));
    }
    let k = params.len();
    let ensembles = match args.method {
        Method::Oat => 2 * k + 1,
        Method::Morris => args.trajectories as usize * (k + 1),
        Method::Sobol => args.samples as usize * (k + 2),
    };
    let dir = c.dir(s, "sensitivity");
    crate::output::write::check_target(&dir)?;
    let (ev, pb) = c.evaluator(&l, params.clone(), 50, ensembles);
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
    match args.method {
        Method::Oat => {
            let (base, rows) = oat::run(&ev, &outcome)?;
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
            let rows = morris::run(&ev, &outcome, args.trajectories as usize)?;
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
            let rows = sobol::run(&ev, &outcome, args.samples as usize)?;
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
    pb.finish_and_clear();
    let files = vec![
        ("ranking.csv".into(), w.into_inner().unwrap_or_default()),
        (
            "settings.json".into(),
            settings_json(
                "sensitivity",
                &l,
                &ev,
                serde_json::json!({
                    "method": format!("{:?}", args.method).to_lowercase(),
                    "outcome": label,
                    "ensembles": ensembles,
                }),
            ),
        ),
    ];
    write_folder(&dir, &files, &|d| {
        if let Some(b) = &chart_bars {
            put_charts(std::slice::from_ref(b), d)?;
        }
        if let Some(x) = &chart_xy {
            put_charts(std::slice::from_ref(x), d)?;
        }
        Ok(())
    })?;
    if !c.quiet {
        println!(
            "Influence on {label} ({:?}, {} parameters):",
            args.method, k
        );
        for l in lines.iter().take(25) {
            println!("  {l}");
        }
        println!(
            "Wrote {} (ranking.csv, settings.json, charts/)",
            dir.display()
        );
    }
    Ok(dir)
}
