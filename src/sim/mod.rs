//! The simulation runner: one run as a function of (scenario, seed, run index), and
//! ensembles of runs in parallel, aggregated in run order so results do not depend on
//! the thread count.

pub mod aggregate;
pub mod ensemble;
pub mod hindcast;
pub mod observed;
pub mod request;
pub mod results;
pub mod run;
pub mod shard;
pub mod sketch;
pub mod stats;

pub use aggregate::Aggregate;
pub use ensemble::{Ensemble, EnsembleOptions, run_ensemble, run_ensemble_streaming};
pub use request::Request;
pub use run::{RunOutput, Simulator, SimulatorPool, simulate};
