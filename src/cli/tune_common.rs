//! Options shared by `sweep`, `sensitivity` and `search`, and their common steps.

use super::EnsembleArgs;
use super::request::Request;
use crate::error::RunError;
use crate::tune::{Evaluator, ParamRange};
use std::path::{Path, PathBuf};

/// Options of every tuning command.
#[derive(Debug, Clone, clap::Args)]
pub struct Common {
    /// Scenario file (RON), e.g. scenarios/baseline.ron.
    pub file: PathBuf,
    /// Runs, seed, threads, output folder, overrides and quiet.
    #[command(flatten)]
    pub ensemble: EnsembleArgs,
}

impl Common {
    /// The request: the file with `--set`, `--runs` else `default_runs`, `--out` else
    /// output/<scenario>/<folder>.
    pub fn request(&self, default_runs: usize, folder: &str) -> Result<Request, RunError> {
        Request::load(&self.file, &self.ensemble, Some(default_runs), |s| {
            Path::new(&s.name).join(folder)
        })
    }
}

/// An evaluator of `params` for `req`, with a progress bar over `ensembles` ensembles.
pub fn evaluator(
    req: &Request,
    params: Vec<ParamRange>,
    ensembles: usize,
) -> (Evaluator<'_>, super::progress::Progress) {
    let mut ev = req.evaluator(params);
    let pb = super::progress::bar(req.runs * ensembles.max(1), req.quiet);
    ev.progress = Some(super::progress::callback(&pb));
    (ev, pb)
}
