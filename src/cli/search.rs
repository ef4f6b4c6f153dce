//! `megacluster search`: the lowest lever value at which a target is met with at least a
//! given probability, by bisection with common random numbers.

use super::tune_common::{Common, evaluator};
use crate::error::RunError;
use crate::output::charts::format::{self, ValueFormat};
use crate::output::charts::xy::{Interval, LegendItem, Swatch, XyChart, XyPoint, XySeries, colour};
use crate::output::export::{self, Folder, put_charts, settings_json};
use crate::tune::search::{self, Found};
use crate::tune::{find_target, parse_range, precise};
use std::path::PathBuf;

/// Runs per ensemble when `--runs` is not given.
const DEFAULT_RUNS: usize = 200;

/// Arguments of `search`.
#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// Scenario, runs, seed, output and overrides.
    #[command(flatten)]
    pub common: Common,
    /// The lever and its range: PATH=LO..HI.
    #[arg(long, value_name = "PATH=LO..HI")]
    pub lever: String,
    /// Target name (as in the scenario's `targets`).
    #[arg(long)]
    pub target: String,
    /// Probability the target must reach (0..1).
    #[arg(long)]
    pub probability: f64,
    /// Stop when the bracket is narrower than this (default: 1/100 of the range).
    #[arg(long)]
    pub tolerance: Option<f64>,
    /// Most bisection steps.
    #[arg(long, default_value = "10")]
    pub max_steps: usize,
}

/// Runs the command; returns the output folder.
pub fn run(args: &SearchArgs) -> Result<PathBuf, RunError> {
    if !(0.0..=1.0).contains(&args.probability) {
        return Err(RunError::Usage(format!(
            "--probability {} must be between 0 and 1",
            args.probability
        )));
    }
    let req = args.common.request(DEFAULT_RUNS, "search")?;
    let s = &req.scenario;
    let lever = parse_range(s, &args.lever)?;
    let ti = find_target(s, &args.target)?;
    let tname = s.targets[ti].name.clone();
    let tol = args
        .tolerance
        .unwrap_or((lever.hi - lever.lo) / 100.0)
        .max(1e-12);
    let dir = &req.out;
    crate::output::write::check_target(dir)?;
    let (ev, pb) = evaluator(&req, vec![lever.clone()], args.max_steps + 2);
    let res = search::run(&ev, ti, args.probability, tol, args.max_steps)?;
    pb.finish_and_clear();
    let probe_at = |x: f64| res.probes.iter().find(|p| p.x == x).copied();
    let pct = |p: f64| format::probability(p);
    let message = match &res.found {
        Found::At { value, below } => {
            let at = probe_at(*value);
            let mut m = format!(
                "Lowest {} meeting P({tname}) >= {}: {}",
                lever.path,
                pct(args.probability),
                precise(*value)
            );
            if let Some(p) = at {
                m.push_str(&format!(
                    " (P = {}, 95 % interval {}..{} over {} runs)",
                    pct(p.p),
                    pct(p.ci.0),
                    pct(p.ci.1),
                    ev.runs
                ));
            }
            match below.and_then(probe_at) {
                Some(b) => m.push_str(&format!(
                    "\n  the answer lies between {} (P = {}, 95 % {}..{}) and {}",
                    precise(b.x),
                    pct(b.p),
                    pct(b.ci.0),
                    pct(b.ci.1),
                    precise(*value)
                )),
                None => m.push_str("\n  already met at the low end of the range"),
            }
            if at.is_some_and(|p| p.ci.0 < args.probability) {
                m.push_str(&format!(
                    "\n  note: the interval at {} still includes probabilities below {}; use more --runs for a firmer answer",
                    precise(*value),
                    pct(args.probability)
                ));
            }
            m
        }
        Found::NoneInRange => {
            let top = probe_at(lever.hi);
            format!(
                "No value of {} in {}..{} meets P({tname}) >= {}: at {} P = {}",
                lever.path,
                precise(lever.lo),
                precise(lever.hi),
                pct(args.probability),
                precise(lever.hi),
                top.map_or(String::new(), |p| pct(p.p))
            )
        }
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([lever.path.as_str(), "probability", "lo95", "hi95"]);
    for p in &res.probes {
        let _ = w.write_record([
            p.x.to_string(),
            p.p.to_string(),
            p.ci.0.to_string(),
            p.ci.1.to_string(),
        ]);
    }
    let found_json = match &res.found {
        Found::At { value, below } => serde_json::json!({"value": value, "below": below}),
        Found::NoneInRange => serde_json::json!("none in range"),
    };
    let files = vec![
        ("search.csv".into(), w.into_inner().unwrap_or_default()),
        (
            "settings.json".into(),
            settings_json(
                "search",
                &req,
                &ev,
                serde_json::json!({
                    "target": tname, "probability": args.probability, "tolerance": tol, "found": found_json,
                }),
            ),
        ),
        ("result.txt".into(), format!("{message}\n").into_bytes()),
    ];
    let mut vlines = Vec::new();
    if let Found::At { value, .. } = res.found {
        vlines.push((value, format!("found: {}", precise(value))));
    }
    let chart = XyChart {
        stem: "search_curve".into(),
        title: format!("P({tname}) against {}", lever.path),
        subtitle: format!(
            "Scenario '{}' · bisection, {} runs per point, same seed · whiskers: 95 % interval",
            s.name, ev.runs
        ),
        x_desc: lever.label(),
        y_desc: "Probability of meeting the target".into(),
        y_fmt: ValueFormat::Share,
        series: vec![XySeries {
            label: "explored points".into(),
            colour: colour(0),
            points: res
                .probes
                .iter()
                .map(|p| XyPoint::with(p.x, p.p, p.ci.0, p.ci.1))
                .collect(),
            line: true,
            interval: Interval::Whisker,
            point_labels: Vec::new(),
        }],
        hlines: vec![(
            args.probability,
            format!("required: {}", pct(args.probability)),
        )],
        vlines,
        y_range: Some((0.0, 1.04)),
        notes: vec![LegendItem::new(
            Swatch::Dashed(crate::output::charts::xy::colour(5)),
            "lowest value found",
        )],
        x_int: lever.integer,
    };
    export::write(
        dir,
        &Folder {
            files: &files,
            charts: &|d| put_charts(std::slice::from_ref(&chart), d),
        },
    )?;
    if !req.quiet {
        println!("{message}");
        println!(
            "Wrote {} (search.csv, result.txt, settings.json, charts/search_curve)",
            dir.display()
        );
    }
    Ok(req.out)
}
