//! One-at-a-time sensitivity: the outcome with each parameter at the low and at the high
//! end of its range while the others stay at their base values.

use crate::error::RunError;
use crate::tune::{Evaluator, Outcome};

/// One parameter's swing.
#[derive(Debug, Clone, PartialEq)]
pub struct OatRow {
    /// Parameter path.
    pub path: String,
    /// Low end of the range.
    pub lo: f64,
    /// High end of the range.
    pub hi: f64,
    /// Outcome with the parameter at `lo`.
    pub y_lo: f64,
    /// Outcome with the parameter at `hi`.
    pub y_hi: f64,
}

impl OatRow {
    /// Size of the swing.
    pub fn swing(&self) -> f64 {
        (self.y_hi - self.y_lo).abs()
    }
}

/// Runs `2k + 1` ensembles; returns the base outcome and the rows sorted by swing.
pub fn run(ev: &Evaluator, outcome: &Outcome) -> Result<(f64, Vec<OatRow>), RunError> {
    let base: Vec<f64> = ev.params.iter().map(|p| p.base).collect();
    let y0 = outcome.value(&ev.eval(&base)?);
    let mut rows = Vec::new();
    for (i, p) in ev.params.iter().enumerate() {
        let at = |x: f64| -> Result<f64, RunError> {
            let mut v = base.clone();
            v[i] = x;
            Ok(outcome.value(&ev.eval(&v)?))
        };
        let (y_lo, y_hi) = (at(p.lo)?, at(p.hi)?);
        rows.push(OatRow {
            path: p.path.clone(),
            lo: p.lo,
            hi: p.hi,
            y_lo,
            y_hi,
        });
    }
    rows.sort_by(|a, b| {
        b.swing()
            .total_cmp(&a.swing())
            .then_with(|| a.path.cmp(&b.path))
    });
    Ok((y0, rows))
}
