//! `megacluster levers`: every policy lever at both ends of its studied range, what it
//! moves and whether it moves its own outcome (`--check` fails when one does not).

use super::tune_common::Common;
use crate::error::RunError;
use crate::output::export;
use crate::output::levers::{LeversFolder, markdown, pct};
use crate::tune::levers::{self, MIN_EFFECT};
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
    /// Study only this lever (its parameter path, as in the lever table; repeatable), for
    /// a small effect that needs many runs. Default: every lever the scenario has.
    #[arg(long = "lever", value_name = "PATH")]
    pub levers: Vec<String>,
}

/// Runs the command; returns the output folder.
pub fn run(args: &LeversArgs) -> Result<PathBuf, RunError> {
    let req = args.common.request(DEFAULT_RUNS, "levers")?;
    let (s, runs, dir) = (&req.scenario, req.runs, &req.out);
    crate::output::write::check_target(dir)?;
    let list = levers::only(s, levers::levers_of(s)?, &args.levers)?;
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

    export::write(
        dir,
        &LeversFolder {
            req: &req,
            rows: &rows,
        },
    )?;
    if !req.quiet {
        println!("{}", markdown(&rows));
        let skipped = levers::left_out(s);
        if !skipped.is_empty() {
            println!(
                "Left out: {} lever(s) whose mechanism this scenario switches off:\n  {}",
                skipped.len(),
                skipped.join("\n  ")
            );
        }
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
        return Err(RunError::CheckFailed(format!(
            "{} lever(s) do not act:\n  {}",
            inert.len(),
            inert.join("\n  ")
        )));
    }
    Ok(req.out)
}
