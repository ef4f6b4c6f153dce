//! `megacluster explore`: a local page whose controls rerun the ensemble and redraw the
//! bands.
//!
//! - [`Explorer`] (this file) holds the scenario as loaded and answers the three API
//!   calls as JSON, with no HTTP in sight, so each is testable on its own: the
//!   parameter list ([`Explorer::params_json`]), an ensemble with some values changed
//!   ([`Explorer::prepare`] checks a request at once, [`Explorer::execute`] runs it) and
//!   saving the changed scenario ([`Explorer::save`]);
//! - `api` parses and checks request bodies and builds the answers;
//! - `server` serves the page and the API on 127.0.0.1 with `tiny_http`;
//! - `page.html` is the page: one file, inline CSS and script, nothing fetched from
//!   elsewhere.
//!
//! A change is applied exactly as `--set PATH=VALUE` is (`paths::apply_overrides`), so a
//! refused value gets the message `--set` prints, and an ensemble of a given runs and
//! seed gives the numbers `megacluster run FILE --set ... --runs N --seed S` gives.

mod api;
pub mod server;

pub use api::{ApiError, Job};

use crate::error::RunError;
use crate::scenario::Scenario;
use crate::sim::results::EnsembleResult;
use crate::sim::{EnsembleOptions, run_ensemble};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// Most runs one request may ask for (a page cannot tie the machine up for minutes).
pub const MAX_RUNS: usize = 20_000;

/// Headline metrics drawn as fan charts on the page, in this order.
pub const CHART_METRICS: &[&str] = &[
    "cluster_investment_krw_t",
    "cluster_entities",
    "fabless_sales_krw_t",
    "public_cost_pv_krw_t",
];

/// Baseline ensembles kept (one per runs and seed asked for).
const BASELINE_CACHE: usize = 8;

/// The scenario being explored and the settings of its ensembles.
pub struct Explorer {
    /// The scenario as loaded (every change starts from it).
    pub scenario: Arc<Scenario>,
    /// The file's text, to locate validation problems.
    pub text: String,
    /// The scenario file, as given on the command line.
    pub file: PathBuf,
    /// Runs per ensemble when a request does not say.
    pub runs: usize,
    /// Seed when a request does not say (the scenario's).
    pub seed: u64,
    /// Worker threads (0 = all cores).
    pub threads: usize,
    /// Folder that "save as scenario" writes into.
    pub out: PathBuf,
    /// Ensembles of the unchanged scenario by (runs, seed): the faint underlay, and the
    /// answer itself when nothing is changed.
    baseline: Mutex<BTreeMap<(usize, u64), Arc<EnsembleResult>>>,
}

impl Explorer {
    /// An explorer of `scenario` (loaded from `file`, whose text is `text`).
    pub fn new(scenario: Scenario, text: String, file: PathBuf, runs: usize, out: PathBuf) -> Self {
        Explorer {
            seed: scenario.seed,
            scenario: Arc::new(scenario),
            text,
            file,
            runs,
            threads: 0,
            out,
            baseline: Mutex::new(BTreeMap::new()),
        }
    }

    /// The ensemble of the unchanged scenario with `runs` and `seed`, run once and kept.
    pub fn baseline(&self, runs: usize, seed: u64) -> Result<Arc<EnsembleResult>, RunError> {
        let cached = self
            .baseline
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&(runs, seed))
            .cloned();
        if let Some(r) = cached {
            return Ok(r);
        }
        let r = Arc::new(self.ensemble(&self.scenario, runs, seed)?);
        let mut cache = self
            .baseline
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if cache.len() >= BASELINE_CACHE {
            cache.clear();
        }
        cache.insert((runs, seed), r.clone());
        Ok(r)
    }

    /// An ensemble of `s`, as `megacluster run` runs it (no runs kept in memory).
    fn ensemble(
        &self,
        s: &Arc<Scenario>,
        runs: usize,
        seed: u64,
    ) -> Result<EnsembleResult, RunError> {
        let opts = EnsembleOptions {
            runs,
            seed,
            threads: self.threads,
            keep_runs: 0,
            progress: None,
        };
        Ok(run_ensemble(s, &opts)?.result)
    }

    /// The scenario file as one shell word, for command lines shown on the page.
    fn file_word(&self) -> String {
        crate::scenario::paths::shell_word(&self.file.display().to_string())
    }
}
