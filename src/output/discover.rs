//! The folder of `megacluster discover`: `trajectory.csv`, `boxes.csv`, `points.csv`,
//! `settings.json`, `result.txt` and the charts of the trajectory, the points and the
//! chosen box.

use super::charts::bars::{Bar, BarChart, BarRow};
use super::charts::format::{self, ValueFormat};
use super::charts::xy::{Interval, LegendItem, Swatch, XyChart, XyPoint, XySeries, colour};
use super::export::{Export, Folder, put_charts, settings_json};
use crate::error::RunError;
use crate::sim::Request;
use crate::tune::discover::{DiscoverSpec, Discovery};
use crate::tune::precise;
use std::path::Path;

/// A finished discovery and what it looked for; written by the one-go discovery and by
/// `merge`, so both write the same bytes.
pub struct DiscoverFolder<'a> {
    /// The request.
    pub req: &'a Request,
    /// Its settings.
    pub spec: &'a DiscoverSpec,
    /// The target's index.
    pub target: usize,
    /// The boxes found.
    pub d: Discovery,
}

impl DiscoverFolder<'_> {
    /// The target's name, "meet" or "fail", and "is met" or "fails" (for titles).
    fn words(&self) -> (String, &'static str, &'static str) {
        let tname = self.req.scenario.targets[self.target].name.clone();
        if self.spec.meets {
            (tname, "meet", "is met")
        } else {
            (tname, "fail", "fails")
        }
    }

    /// What was found, for people (`result.txt`, and what the command prints).
    pub fn message(&self) -> String {
        let (req, spec, d) = (self.req, self.spec, &self.d);
        let s = &req.scenario;
        let n = d.points.len();
        let (tname, what, verb) = self.words();
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
        format!("{head}{}", d.summary(&format!("{what} the target"), &why))
    }
}

impl Export for DiscoverFolder<'_> {
    fn write_into(&self, tmp: &Path, dir: &Path) -> Result<(), RunError> {
        let (req, spec, d) = (self.req, self.spec, &self.d);
        let s = &req.scenario;
        let n = d.points.len();
        let meets = spec.meets;
        let (tname, what, verb) = self.words();
        let message = self.message();
        let ev = req.evaluator(d.params.clone());
        let files = vec![
            ("trajectory.csv".into(), trajectory_csv(d)),
            ("boxes.csv".into(), boxes_csv(d)),
            ("points.csv".into(), points_csv(d, &tname)),
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
            ("result.txt".into(), message.into_bytes()),
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
                trajectory_chart(d, &tname, (what, verb), &sub),
                scatter_chart(d, &tname, verb, &sub),
            ],
            box_chart(d, &tname, verb, &sub),
        );
        Folder {
            files: &files,
            charts: &|dir| {
                put_charts(&xy, dir)?;
                put_charts(std::slice::from_ref(&bars), dir)
            },
        }
        .write_into(tmp, dir)
    }
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
        edge("chosen box", [(xl.0, yl.0), (xl.1, yl.0)]),
        edge("", [(xl.0, yl.1), (xl.1, yl.1)]),
        edge("", [(xl.0, yl.0), (xl.0, yl.1)]),
        edge("", [(xl.1, yl.0), (xl.1, yl.1)]),
    ];
    XyChart {
        stem: "discover_scatter".into(),
        title: format!("Where \"{tname}\" {verb}: the chosen box"),
        subtitle: format!(
            "{sub} · {}",
            match d.quasi_p.len() {
                0 => "no box: no parameter is restricted".to_string(),
                // The y axis is then the next parameter, shown unrestricted.
                1 => "the box restricts only the x-axis parameter".to_string(),
                2 => "the box restricts only these two".to_string(),
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

/// `trajectory.csv`: one row per step.
pub fn trajectory_csv(d: &Discovery) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "step",
        "coverage",
        "density",
        "mass",
        "restricted",
        "points",
        "cases",
        "phase",
        "chosen",
    ]);
    for (i, s) in d.trajectory.steps.iter().enumerate() {
        let _ = w.write_record([
            i.to_string(),
            s.coverage.to_string(),
            s.density.to_string(),
            s.mass.to_string(),
            s.restricted.to_string(),
            s.points.to_string(),
            s.cases.to_string(),
            if i == 0 {
                "start"
            } else if s.pasted {
                "paste"
            } else {
                "peel"
            }
            .to_string(),
            u8::from(i == d.chosen).to_string(),
        ]);
    }
    w.into_inner().unwrap_or_default()
}

/// `boxes.csv`: the chosen box, restricted parameters first (smallest quasi-p-value
/// first), then the others at their whole range with an empty quasi-p-value.
pub fn boxes_csv(disc: &Discovery) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "parameter",
        "restricted",
        "lo",
        "hi",
        "range_lo",
        "range_hi",
        "quasi_p",
    ]);
    for (d, qp) in disc.order() {
        let p = &disc.params[d];
        let (lo, hi) = disc.limits(d);
        let _ = w.write_record([
            p.path.clone(),
            u8::from(qp.is_some()).to_string(),
            lo.to_string(),
            hi.to_string(),
            p.lo.to_string(),
            p.hi.to_string(),
            qp.map_or(String::new(), |q| q.to_string()),
        ]);
    }
    w.into_inner().unwrap_or_default()
}

/// `points.csv`: the design with the target's probability, the case flag and
/// whether the point is in the chosen box.
pub fn points_csv(d: &Discovery, target: &str) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut head = vec!["point".to_string()];
    head.extend(d.params.iter().map(|p| p.path.clone()));
    head.extend([format!("P({target})"), "case".into(), "in_box".into()]);
    let _ = w.write_record(&head);
    for (i, values) in d.points.iter().enumerate() {
        let mut row = vec![i.to_string()];
        row.extend(values.iter().map(|v| v.to_string()));
        row.extend([
            d.probability[i].to_string(),
            u8::from(d.cases[i]).to_string(),
            u8::from(d.in_box(i)).to_string(),
        ]);
        let _ = w.write_record(&row);
    }
    w.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The three tables of a planted box (the target fails where `a` < 0.3).
    #[test]
    fn tables_describe_the_planted_box() {
        let d = crate::tune::discover::planted_box();
        let boxes = String::from_utf8(boxes_csv(&d)).unwrap();
        assert!(boxes.starts_with("parameter,restricted,lo,hi,range_lo,range_hi,quasi_p\na,1,"));
        assert!(boxes.ends_with("b,0,0,1,0,1,\n"));
        let traj = String::from_utf8(trajectory_csv(&d)).unwrap();
        assert!(
            traj.lines()
                .nth(1)
                .unwrap()
                .starts_with("0,1,0.3,1,0,400,120,start,")
        );
        let pts = String::from_utf8(points_csv(&d, "T")).unwrap();
        assert_eq!(pts.lines().count(), 401);
    }
}
