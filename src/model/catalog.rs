//! The metric catalogue, where the systems record metrics by index (`g`, `s`,
//! `site_metric`). It is scenario vocabulary (targets name metrics, and validation checks
//! the names), so it is defined in [`crate::scenario::catalog`] and re-exported here.

pub use crate::scenario::catalog::*;
