//! Charts (placeholder until the chart module lands).

use crate::sim::results::EnsembleResult;
use std::path::{Path, PathBuf};

/// Chart errors.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// Drawing failed.
    #[error("{0}")]
    Draw(String),
}

/// Renders every chart into `dir`.
pub fn render_all(_result: &EnsembleResult, _dir: &Path) -> Result<Vec<PathBuf>, ChartError> {
    Ok(Vec::new())
}
