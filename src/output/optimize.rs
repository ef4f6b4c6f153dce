//! The folder of `megacluster optimize`'s finished search: the Pareto set and every
//! evaluation as CSV, the chosen mixes as scenario files, `result.txt` and the charts.

use super::charts::format::{self, ValueFormat};
use super::charts::xy::{Interval, XyChart, XyPoint, XySeries, colour};
use super::export::{Export, Folder, put_charts, settings_json};
use super::partial;
use super::run_folder::scenario_ron;
use crate::error::RunError;
use crate::sim::Request;
use crate::tune::nsga;
use crate::tune::optimize::{Candidate, Goal, Optimum};
use crate::tune::{Evaluator, Outcome, ParamRange, precise};
use std::path::{Path, PathBuf};

/// The file of every evaluated candidate, also what `--resume` reads back.
pub const EVALUATIONS: &str = "evaluations.csv";

/// A finished search and its settings.
pub struct OptimizeFolder<'a> {
    /// The request.
    pub req: &'a Request,
    /// The evaluator of the levers.
    pub ev: &'a Evaluator<'a>,
    /// The targets.
    pub goals: &'a [Goal],
    /// The cost outcome.
    pub cost: &'a Outcome,
    /// NSGA-II's settings.
    pub settings: &'a nsga::Settings,
    /// `--thresholds`.
    pub thresholds: &'a [f64],
    /// The bytes of the folder's `manifest.json`.
    pub manifest: Vec<u8>,
    /// The search's result.
    pub res: &'a Optimum,
}

impl OptimizeFolder<'_> {
    /// What was found, for people (`result.txt`, and what the command prints).
    pub fn message(&self) -> String {
        let chosen = choices(self.res, self.goals, self.thresholds);
        summary(
            &self.req.name,
            self.ev,
            self.goals,
            self.cost,
            self.res,
            &chosen,
            self.thresholds,
        )
    }
}

impl Export for OptimizeFolder<'_> {
    fn write_into(&self, tmp: &Path, dir: &Path) -> Result<(), RunError> {
        let (req, ev, res) = (self.req, self.ev, self.res);
        let (goals, cost, settings, s) = (self.goals, self.cost, self.settings, &req.scenario);
        let thresholds = self.thresholds;
        let chosen = choices(res, goals, thresholds);
        let message = self.message();
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
            (partial::MANIFEST.into(), self.manifest.clone()),
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
        Folder {
            files: &files,
            charts: &|d| put_charts(&charts, d),
        }
        .write_into(tmp, dir)
    }
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

/// The header of `pareto.csv` (`with_id`) or `evaluations.csv`.
pub fn header(ev: &Evaluator, goals: &[Goal], with_id: bool) -> Vec<String> {
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
pub fn candidates_csv(
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
            "{} (cost {}): scenarios/{}.ron in the output folder\n  megacluster run {file} {}\n",
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
    let unit = cost.unit(ev.base);
    let unit = if unit.is_empty() {
        unit
    } else {
        format!(" ({unit})")
    };
    let cost_desc = format!("Cost: mean {}{unit}", cost.label());
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
