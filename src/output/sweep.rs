//! The folder of `megacluster sweep`: `sweep.csv`, `design.csv`, `settings.json` and
//! charts (line with bands, heat map, per-parameter scatters).

use super::charts::format::{self, ValueFormat};
use super::charts::heatmap::Heatmap;
use super::charts::xy::{Interval, LegendItem, Swatch, XyChart, XyPoint, XySeries, colour};
use super::design_csv;
use super::export::{Export, Folder, put_charts, settings_json};
use crate::error::RunError;
use crate::scenario::Scenario;
use crate::sim::Request;
use crate::sim::results::EnsembleResult;
use crate::tune::sweep::{self, Design, Plan, SweepPoint};
use crate::tune::{ParamRange, precise, wilson};
use std::path::Path;

/// A sweep's folder from the results at every point, in point order; written by the
/// one-go sweep and by `merge`, so both write the same bytes.
pub struct SweepFolder<'a> {
    /// The request swept.
    pub req: &'a Request,
    /// Its plan.
    pub plan: &'a Plan,
    /// Every point with its (trimmed) ensemble, in point order.
    pub points: Vec<SweepPoint>,
}

impl<'a> SweepFolder<'a> {
    /// The folder of `results`, one per point of `plan`.
    pub fn new(req: &'a Request, plan: &'a Plan, results: Vec<EnsembleResult>) -> Self {
        let points = plan
            .points
            .iter()
            .zip(results)
            .map(|(values, result)| SweepPoint {
                values: values.clone(),
                result,
            })
            .collect();
        SweepFolder { req, plan, points }
    }
}

impl Export for SweepFolder<'_> {
    fn write_into(&self, tmp: &Path, dir: &Path) -> Result<(), RunError> {
        let (req, plan, results) = (self.req, self.plan, &self.points);
        let (s, seed, runs) = (&req.scenario, req.seed, req.runs);
        let (params, target) = (&plan.params, plan.target);
        let ev = req.evaluator(params.clone());
        let name = format!("{:?}", plan.design).to_lowercase();
        let (names, outcomes) = sweep::design_outcomes(results);
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
            ("sweep.csv".into(), sweep_csv(params, results)),
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
        Folder {
            files: &files,
            charts: &|charts_dir| {
                if params.len() == 1 {
                    put_charts(
                        &line_charts(s, &params[0], results, target, runs),
                        charts_dir,
                    )
                } else if let (true, Some(t)) = (grid2, target) {
                    put_charts(&[heatmap(s, params, results, t, runs)], charts_dir)
                } else {
                    put_charts(
                        &scatter_charts(s, params, results, target, runs),
                        charts_dir,
                    )
                }
            },
        }
        .write_into(tmp, dir)
    }
}

fn subtitle(s: &Scenario, n: usize, runs: usize) -> String {
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
    s: &Scenario,
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
    s: &Scenario,
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
    let t = s.targets.get(target);
    let name = t.map_or("", |t| t.name.as_str());
    let title = t.map_or(String::new(), format::target_by_year);
    Heatmap {
        stem: format!("heatmap_{}", format::file_stem(name)),
        title: format!("P({title})"),
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
    s: &Scenario,
    params: &[ParamRange],
    results: &[SweepPoint],
    target: Option<usize>,
    runs: usize,
) -> Vec<XyChart> {
    let Some(t) = target else { return Vec::new() };
    let name = s
        .targets
        .get(t)
        .map_or(String::new(), format::target_by_year);
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

/// `sweep.csv`: point, the parameter values, each target's probability with its 95 %
/// Wilson interval, and p10/p50/p90/mean of each target's metric in its year.
fn sweep_csv(params: &[ParamRange], points: &[SweepPoint]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["point".to_string()];
    header.extend(params.iter().map(|p| p.path.clone()));
    let first = points.first().map(|p| &p.result);
    let targets = first.map_or(&[][..], |r| r.targets.as_slice());
    for t in targets {
        header.push(format!("P({})", t.name));
        header.push(format!("P({}) lo95", t.name));
        header.push(format!("P({}) hi95", t.name));
    }
    let headline = sweep::headline(targets);
    for (m, y) in &headline {
        for s in ["p10", "p50", "p90", "mean"] {
            header.push(format!("{m}@{y} {s}"));
        }
    }
    let _ = w.write_record(&header);
    for (i, p) in points.iter().enumerate() {
        let mut row = vec![i.to_string()];
        row.extend(p.values.iter().map(|v| v.to_string()));
        for t in &p.result.targets {
            let (lo, hi) = wilson(t.probability, p.result.runs);
            row.extend([t.probability.to_string(), lo.to_string(), hi.to_string()]);
        }
        for (m, y) in &headline {
            let st = match (p.result.metric_index(m), p.result.year_index(*y)) {
                (Some(mi), Some(yi)) => p.result.stats[mi][yi],
                _ => Default::default(),
            };
            row.extend([st.p10, st.p50, st.p90, st.mean].map(|v| v.to_string()));
        }
        let _ = w.write_record(&row);
    }
    w.into_inner().unwrap_or_default()
}
