//! The simulation runner: one run as a function of (scenario, seed, run index), and
//! ensembles of runs in parallel, aggregated in run order so results do not depend on
//! the thread count.

pub mod aggregate;
pub mod ensemble;
pub mod results;
pub mod run;

pub use ensemble::{run_ensemble, Ensemble, EnsembleOptions};
pub use run::{simulate, RunOutput};
