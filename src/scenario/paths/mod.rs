//! Parameter paths: a stable dotted name for every numeric value of a scenario, with
//! its unit, meaning and allowed range, and getting and setting values by path (for
//! `--set`, sweeps, sensitivity and search).
//!
//! # Path syntax
//!
//! Segments are separated by dots: `policy.tax_credit_large`,
//! `model.fabless.spillover_weight`, `market.segments.Memory.trend_growth`. Named list
//! entries (sites, firms, groups, pledges, hubs, targets, R&D programmes) are selected by
//! name. A name made only of letters, digits, `_` and `-` is written bare
//! (`sites.Pangyo.land_ha`); any other name is quoted in brackets, and that is how
//! listings print it: `sites["Yongin National"].power_mw`. On input a name may also be
//! written with underscores for its spaces (`sites.Yongin_National.power_mw`), which
//! needs no shell quoting. Unnamed entries (additions, fabs, events) use their position:
//! `sites.Pyeongtaek.power_additions[0].amount` (`.0` works too). A link is named by its
//! two sites: `links["Giheung/Hwaseong"].distance_km`.
//!
//! `seed`, `runs`, `start_year` and `end_year` are not parameters: use `--seed` and
//! `--runs`.
//!
//! # Layout
//!
//! `syntax` parses and prints paths; `visit` walks every value in a fixed order with
//! one visitor whose `named` helper serves every list section, and one file per section
//! or family of sections fills it in (`sites`, `firms`, `market`, `policy`, `events`,
//! `model`); `value` describes and checks values; `lookup` lists, gets and sets them
//! (`megacluster params`, `--set`, tuning); `overrides` parses `--set` and loads a
//! scenario with them ([`load_with_overrides`]).

mod events;
mod firms;
mod lookup;
mod market;
mod model;
mod overrides;
mod policy;
mod sites;
mod splice;
mod syntax;
mod value;
mod visit;

pub use lookup::{get, list, set, suggestions};
pub use overrides::{
    Override, apply_overrides, load_with_overrides, parse_override, revalidate, shell_word,
};
pub use splice::replace_value;
pub use syntax::{format_path, parse_path};
pub use value::{NewValue, pin};
pub use visit::visit;

use super::dist::Dist;
use super::locate::Seg;
use super::schedule::Schedule;
use crate::error::RunError;

/// A mutable reference to one value, by its type.
pub enum SlotMut<'a> {
    /// A plain number.
    F64(&'a mut f64),
    /// A number that may be omitted (`none` = the documented default).
    OptF64(&'a mut Option<f64>),
    /// A number or a distribution.
    Dist(&'a mut Dist),
    /// A distribution that may be omitted.
    OptDist(&'a mut Option<Dist>),
    /// A yearly schedule.
    Sched(&'a mut Schedule),
    /// A count.
    U32(&'a mut u32),
    /// A year or a whole number of years.
    I32(&'a mut i32),
}

/// What kind of value a path holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A number.
    Number,
    /// A number or a distribution drawn per run.
    Dist,
    /// A yearly schedule (a number or `{year: value, ...}`).
    Schedule,
    /// A whole number.
    Integer,
}

impl Kind {
    /// What a value of this kind looks like, for error messages.
    pub fn expects(self) -> &'static str {
        match self {
            Kind::Number => "a number, e.g. 0.2",
            Kind::Dist => "a number or a distribution, e.g. 0.2 or Uniform(0.1, 0.3)",
            Kind::Schedule => "a number or a yearly schedule, e.g. 0.2 or {2023: 0.15, 2025: 0.2}",
            Kind::Integer => "a whole number, e.g. 120",
        }
    }
}

/// Where a value sits and what it means.
#[derive(Debug, Clone, PartialEq)]
pub struct Meta {
    /// Path segments (names and positions).
    pub segs: Vec<String>,
    /// Where the value is written in a scenario file (list entries by position).
    pub loc: Vec<Seg>,
    /// What a message about the value starts with (``site `Pangyo`: ``), or nothing.
    pub context: String,
    /// Unit.
    pub unit: &'static str,
    /// Meaning.
    pub description: &'static str,
    /// Allowed range (inclusive).
    pub range: (f64, f64),
    /// False for distributions that describe differences between firms (group fields),
    /// which are drawn per firm, not once per run.
    pub per_run: bool,
}

impl Meta {
    /// The canonical printed path.
    pub fn path(&self) -> String {
        format_path(&self.segs)
    }
}

/// One listed parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamInfo {
    /// Canonical path.
    pub path: String,
    /// Value as RON text (`0.15`, `Uniform(0.1,0.3)`, `{2023:0.15,2025:0.2}`, `none`).
    pub value: String,
    /// Unit.
    pub unit: &'static str,
    /// Meaning.
    pub description: &'static str,
    /// Allowed range.
    pub range: (f64, f64),
    /// Kind of value.
    pub kind: Kind,
    /// Smallest and largest value it takes (a distribution's support).
    pub support: (f64, f64),
    /// A distribution drawn once per run (an uncertainty for sensitivity analysis).
    pub uncertain: bool,
    /// The value used when it is fixed at its centre (mean, median or the number).
    pub central: f64,
}

/// Why a path or a value was refused.
#[derive(Debug, Clone, PartialEq)]
pub struct PathError {
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
}

impl std::fmt::Display for PathError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.message)?;
        if let Some(h) = &self.help {
            write!(f, "\n  help: {h}")?;
        }
        Ok(())
    }
}

impl From<PathError> for RunError {
    fn from(e: PathError) -> Self {
        RunError::Usage(e.to_string())
    }
}

/// The baseline scenario, for the tests of the submodules.
#[cfg(test)]
fn baseline() -> crate::scenario::Scenario {
    crate::scenario::load_file(&std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/baseline.ron"
    )))
    .unwrap()
}
