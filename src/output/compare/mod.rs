//! Comparing scenarios. So far: the Monte Carlo noise of target probabilities
//! ([`stats`]), used by the run report.

pub mod stats;
