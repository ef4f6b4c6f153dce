//! Scenario input: the RON schema, distributions, schedules, loading and validation.

pub mod catalog;
pub mod dist;
pub mod kinds;
pub mod limits;
pub mod load;
pub(crate) mod locate;
pub mod market;
pub mod params;
pub mod params_doc;
mod params_macro;
pub mod paths;
pub mod policy;
pub mod resolve;
pub mod schedule;
pub mod schema;
pub mod validate;

pub use kinds::{Comparison, FirmKind, FirmSize, Segment, SiteKind};
pub use load::{load_file, load_str};
pub use resolve::Resolved;
pub use schema::Scenario;
