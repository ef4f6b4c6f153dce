//! The folder of `megacluster sensitivity`: `ranking.csv`, `design.csv`, `settings.json`
//! and its chart (tornado for OAT, μ*/σ for Morris, indices for Sobol).

use super::charts::bars::{Bar, BarChart, BarRow};
use super::charts::format::ValueFormat;
use super::charts::xy::{Interval, LegendItem, Swatch, XyChart, XyPoint, XySeries, colour};
use super::design_csv;
use super::export::{Export, Folder, put_charts, settings_json};
use super::write::Files;
use crate::error::RunError;
use crate::sim::Request;
use crate::tune::sensitivity::{Method, Plan, morris, oat, sobol};
use crate::tune::{ParamRange, precise};
use std::path::Path;

fn short(p: &ParamRange) -> String {
    format!("{} [{}..{}]", p.path, precise(p.lo), precise(p.hi))
}

/// The folder of a sensitivity analysis (ranking.csv, design.csv, settings.json,
/// charts/) and its ranking as lines for the terminal.
pub struct Ranking {
    files: Files,
    bars: Option<BarChart>,
    xy: Option<XyChart>,
    /// One line per parameter, most influential first.
    pub lines: Vec<String>,
}

impl Export for Ranking {
    fn write_into(&self, tmp: &Path, dir: &Path) -> Result<(), RunError> {
        Folder {
            files: &self.files,
            charts: &|d| {
                if let Some(b) = &self.bars {
                    put_charts(std::slice::from_ref(b), d)?;
                }
                if let Some(x) = &self.xy {
                    put_charts(std::slice::from_ref(x), d)?;
                }
                Ok(())
            },
        }
        .write_into(tmp, dir)
    }
}

/// The ranking of `plan`'s parameters from the outcomes `ys` at every point, in point
/// order; built by the one-go analysis and by `merge`, so both write the same bytes.
pub fn ranking(req: &Request, plan: &Plan, ys: &[f64]) -> Ranking {
    let (s, seed, runs) = (&req.scenario, req.seed, req.runs);
    let (outcome, params) = (&plan.outcome, &plan.params);
    let k = params.len();
    let ensembles = plan.points.len();
    let ev = req.evaluator(params.clone());
    let paths: Vec<String> = params.iter().map(|p| p.path.clone()).collect();
    let label = outcome.label();
    let metric_unit = outcome.unit(s);
    let fmt = ValueFormat::for_metric(&outcome.metric, &metric_unit);
    let sub = format!(
        "Scenario '{}' · outcome: mean of {label} over {} runs per ensemble · {} ensembles, same seed",
        s.name, ev.runs, ensembles
    );
    let by_path = |path: &str| params.iter().find(|p| p.path == path).cloned();
    // A ranking row's rank, path and range.
    let lead = |i: usize, path: &str| -> Vec<String> {
        let p = by_path(path);
        let end =
            |f: fn(&ParamRange) -> f64| p.as_ref().map_or(String::new(), |p| f(p).to_string());
        vec![
            (i + 1).to_string(),
            path.to_owned(),
            end(|p| p.lo),
            end(|p| p.hi),
        ]
    };
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
                let mut row = lead(i, &r.path);
                row.extend([r.mu.to_string(), r.mu_star.to_string(), r.sigma.to_string()]);
                let _ = w.write_record(&row);
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
                let mut row = lead(i, &r.path);
                row.extend(
                    [r.s1, r.s1_ci.0, r.s1_ci.1, r.st, r.st_ci.0, r.st_ci.1].map(|v| v.to_string()),
                );
                let _ = w.write_record(&row);
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
    Ranking {
        files,
        bars: chart_bars,
        xy: chart_xy,
        lines,
    }
}
