//! One-at-a-time sensitivity: the outcome with each parameter at the low and at the high
//! end of its range while the others stay at their base values.

use crate::tune::ParamRange;
use crate::tune::design_csv::Roles;

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

/// The `2k + 1` points: every parameter at its base, then for each parameter in turn
/// the base with that parameter at its low end and at its high end.
pub fn points(params: &[ParamRange]) -> Vec<Vec<f64>> {
    let base: Vec<f64> = params.iter().map(|p| p.base).collect();
    let mut out = vec![base.clone()];
    for (i, p) in params.iter().enumerate() {
        for x in [p.lo, p.hi] {
            let mut v = base.clone();
            v[i] = x;
            out.push(v);
        }
    }
    out
}

/// The role of each of [`points`]: `base`, then `low` and `high` of each parameter in
/// turn, with the parameter changed.
pub fn roles(params: &[ParamRange]) -> Roles {
    let mut rows = vec![vec!["base".to_string(), String::new()]];
    for p in params {
        rows.push(vec!["low".into(), p.path.clone()]);
        rows.push(vec!["high".into(), p.path.clone()]);
    }
    Roles {
        columns: vec!["role".into(), "changed".into()],
        rows,
    }
}

/// The base outcome and the rows sorted by swing from the outcomes `ys` at [`points`].
pub fn rows(params: &[ParamRange], ys: &[f64]) -> (f64, Vec<OatRow>) {
    let mut rows: Vec<OatRow> = params
        .iter()
        .enumerate()
        .map(|(i, p)| OatRow {
            path: p.path.clone(),
            lo: p.lo,
            hi: p.hi,
            y_lo: ys[1 + 2 * i],
            y_hi: ys[2 + 2 * i],
        })
        .collect();
    rows.sort_by(|a, b| {
        b.swing()
            .total_cmp(&a.swing())
            .then_with(|| a.path.cmp(&b.path))
    });
    (ys[0], rows)
}
