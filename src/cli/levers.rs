//! `megacluster levers`: every policy lever at both ends of its studied range, what it
//! moves and whether it moves its own outcome (`--check` fails when one does not).

use super::tune_common::Common;
use crate::error::RunError;
use crate::output::charts::bars::{Bar, BarChart, BarRow};
use crate::output::charts::format::ValueFormat;
use crate::output::charts::xy::{LegendItem, Swatch, colour};
use crate::output::export::{self, Folder, put_charts, settings_json};
use crate::tune::levers::{self, LeverResult, MIN_EFFECT};
use crate::tune::precise;
use std::fmt::Write as _;
use std::path::PathBuf;

/// Runs per ensemble when `--runs` is not given.
const DEFAULT_RUNS: usize = 200;

/// Arguments of `levers`.
#[derive(Debug, clap::Args)]
pub struct LeversArgs {
    /// Scenario, runs, seed, output and overrides.
    #[command(flatten)]
    pub common: Common,
    /// Fail (exit status 1) when a lever does not move its outcome by 2 % in its direction.
    #[arg(long)]
    pub check: bool,
}

fn pct(x: f64) -> String {
    format!("{:+.1} %", 100.0 * x)
}

/// The README's table: lever, range, outcome, the two values, the change, the largest
/// other change and the mechanism.
pub fn markdown(rows: &[LeverResult]) -> String {
    let mut out = String::from(
        "| Lever | Range | Outcome | At low end | At high end | Change | Largest change elsewhere | Why |\n|---|---|---|---|---|---|---|---|\n",
    );
    for r in rows {
        let other = r
            .all
            .iter()
            .find(|e| e.outcome != r.own.outcome)
            .map_or(String::new(), |e| {
                format!("{} {}", e.outcome, pct(e.change()))
            });
        let _ = writeln!(
            out,
            "| `{}` | {} – {} | {} | {} | {} | {}{} | {} | {} |",
            r.lever.path.trim_start_matches("policy."),
            precise(r.lever.lo),
            precise(r.lever.hi),
            r.own.outcome,
            precise(r.own.at_lo),
            precise(r.own.at_hi),
            pct(r.own.change()),
            if r.acts() { "" } else { " (inert)" },
            other,
            r.lever.why
        );
    }
    out
}

/// Runs the command; returns the output folder.
pub fn run(args: &LeversArgs) -> Result<PathBuf, RunError> {
    let req = args.common.request(DEFAULT_RUNS, "levers")?;
    let (s, runs, dir) = (&req.scenario, req.runs, &req.out);
    crate::output::write::check_target(dir)?;
    let list = levers::levers_of(s)?;
    let pb = super::progress::bar(runs * 2 * list.len(), req.quiet);
    let done = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let tick = super::progress::callback(&pb);
    let make = |r: crate::tune::ParamRange| {
        let mut ev = req.evaluator(vec![r]);
        let (done, tick) = (done.clone(), tick.clone());
        let base = done.fetch_add(2 * runs, std::sync::atomic::Ordering::Relaxed);
        ev.progress = Some(std::sync::Arc::new(move |n| tick(base + n)));
        ev
    };
    let rows = levers::run(s, &list, &make)?;
    pb.finish_and_clear();

    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "lever", "lo", "hi", "outcome", "sign", "at_lo", "at_hi", "change", "acts",
    ]);
    let mut all = csv::Writer::from_writer(Vec::new());
    let _ = all.write_record(["lever", "outcome", "at_lo", "at_hi", "change"]);
    for r in &rows {
        let _ = w.write_record([
            r.lever.path.to_owned(),
            r.lever.lo.to_string(),
            r.lever.hi.to_string(),
            r.own.outcome.clone(),
            r.lever.sign.to_string(),
            r.own.at_lo.to_string(),
            r.own.at_hi.to_string(),
            r.own.change().to_string(),
            r.acts().to_string(),
        ]);
        for e in &r.all {
            let _ = all.write_record([
                r.lever.path.to_owned(),
                e.outcome.clone(),
                e.at_lo.to_string(),
                e.at_hi.to_string(),
                e.change().to_string(),
            ]);
        }
    }
    let md = markdown(&rows);
    let chart = BarChart {
        stem: "levers".into(),
        title: "What each lever moves: its outcome between the ends of its range".into(),
        subtitle: format!(
            "Scenario '{}' · mean of {runs} runs at each end, same seed · change = (high − low) / max(|low|, |high|)",
            s.name
        ),
        x_desc: "Relative change of the lever's outcome from the low to the high end".into(),
        x_fmt: ValueFormat::Share,
        rows: rows
            .iter()
            .map(|r| BarRow {
                label: format!(
                    "{} [{}..{}] → {}",
                    r.lever.path.trim_start_matches("policy."),
                    precise(r.lever.lo),
                    precise(r.lever.hi),
                    r.own.outcome
                ),
                bars: vec![Bar {
                    from: 0.0,
                    to: r.own.change(),
                    colour: colour(if r.acts() { 0 } else { 3 }),
                    ci: None,
                    note: pct(r.own.change()),
                }],
            })
            .collect(),
        vline: Some((0.0, String::new())),
        overlay: true,
        legend: vec![
            LegendItem::new(
                Swatch::Band(colour(0), 0.85),
                "moves its outcome by 2 % or more in its direction",
            ),
            LegendItem::new(Swatch::Band(colour(3), 0.85), "inert or the wrong way"),
        ],
    };
    let ev = req.evaluator(Vec::new());
    let files = vec![
        (
            PathBuf::from("levers.csv"),
            w.into_inner().unwrap_or_default(),
        ),
        (
            PathBuf::from("effects.csv"),
            all.into_inner().unwrap_or_default(),
        ),
        (PathBuf::from("levers.md"), md.clone().into_bytes()),
        (
            PathBuf::from("settings.json"),
            settings_json(
                "levers",
                &req,
                &ev,
                serde_json::json!({"min_effect": MIN_EFFECT}),
            ),
        ),
    ];
    export::write(
        dir,
        &Folder {
            files: &files,
            charts: &|charts| put_charts(std::slice::from_ref(&chart), charts),
        },
    )?;
    if !req.quiet {
        println!("{md}");
        println!("Wrote {}", dir.display());
    }
    let inert: Vec<String> = rows
        .iter()
        .filter(|r| !r.acts())
        .map(|r| {
            format!(
                "{} moves {} by {} (needs {} at least {:.0} %)",
                r.lever.path,
                r.own.outcome,
                pct(r.own.change()),
                if r.lever.sign > 0.0 {
                    "a rise of"
                } else {
                    "a fall of"
                },
                100.0 * MIN_EFFECT
            )
        })
        .collect();
    if args.check && !inert.is_empty() {
        return Err(RunError::Usage(format!(
            "{} lever(s) do not act:\n  {}",
            inert.len(),
            inert.join("\n  ")
        )));
    }
    Ok(req.out)
}
