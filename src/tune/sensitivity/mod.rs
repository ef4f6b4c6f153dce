//! Sensitivity of an outcome (the ensemble mean of a metric in a year) to parameters:
//! one-at-a-time swings (tornado), Morris elementary effects and Sobol indices.

pub mod morris;
pub mod oat;
pub mod sobol;

/// Which method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Method {
    /// One at a time: each parameter at its low and high end, the others at their base.
    Oat,
    /// Morris elementary effects: μ* (mean absolute effect) and σ (interactions, non-linearity).
    Morris,
    /// Sobol first-order and total indices (Saltelli/Jansen estimators, bootstrap intervals).
    Sobol,
}
