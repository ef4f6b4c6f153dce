//! The role of each point in its method's design (e.g. Morris's trajectory and step, or
//! Sobol's matrix), which [`crate::output::design_csv`] writes beside the parameter
//! values and outcomes of `design.csv`.

/// The columns that say what a point is in its method's design (e.g. `role`, `sample`),
/// and their values at each point.
pub struct Roles {
    /// Column names.
    pub columns: Vec<String>,
    /// One row of values per point.
    pub rows: Vec<Vec<String>>,
}
