//! `megacluster explore FILE`: a local page whose controls rerun the ensemble and redraw
//! the bands (see `crate::explore`).

use crate::error::RunError;
use crate::explore::{Explorer, server};
use crate::scenario::paths;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

/// Arguments of `explore`.
#[derive(Debug, clap::Args)]
pub struct ExploreArgs {
    /// Scenario file (RON), e.g. scenarios/baseline.ron.
    pub file: PathBuf,
    /// Port on 127.0.0.1 (0: any free port; the address is printed).
    #[arg(long, default_value_t = 8315)]
    pub port: u16,
    /// Runs per ensemble behind each picture ("more runs" on the page doubles them).
    /// The default redraws in under half a second on 2 cores.
    #[arg(long, default_value_t = DEFAULT_RUNS, value_parser = clap::value_parser!(u64).range(1..=crate::explore::MAX_RUNS as u64))]
    pub runs: u64,
    /// Folder that "save as scenario" writes into (default output/<scenario>/explore/).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// Runs per picture by default: about 0.3 s on 2 cores for the baseline.
pub const DEFAULT_RUNS: u64 = 200;

/// Runs the command: serves until interrupted.
pub fn run(args: &ExploreArgs) -> Result<(), RunError> {
    let (scenario, _, text) = paths::load_with_overrides(&args.file, &[])?;
    let out = args.out.clone().unwrap_or_else(|| {
        super::request::default_out(PathBuf::from(&scenario.name).join("explore"))
    });
    let explorer = Arc::new(Explorer::new(
        scenario,
        text,
        args.file.clone(),
        args.runs as usize,
        out,
    ));
    let running = server::bind(args.port).map_err(RunError::Usage)?;
    // The unchanged scenario's bands are the underlay of every picture: run them before
    // the address is given, so the first picture is as quick as the next.
    explorer.baseline(explorer.runs, explorer.seed)?;
    let mut stdout = std::io::stdout();
    let _ = writeln!(stdout, "http://{}/", running.addr);
    let _ = stdout.flush();
    eprintln!(
        "exploring `{}` ({} runs per picture); Ctrl-C stops",
        explorer.scenario.name, explorer.runs
    );
    running.serve(explorer);
    Ok(())
}
