//! Target search: the lowest lever value in a range at which a target is met with at
//! least a given probability, by bisection on a curve assumed to rise with the lever.
//! Every step is an ensemble with the same seed (common random numbers), so the explored
//! curve is smooth in the lever, and each point carries a 95 % Wilson interval.

use super::{Evaluator, wilson};
use crate::error::RunError;

/// One explored lever value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Probe {
    /// Lever value.
    pub x: f64,
    /// The target's probability there.
    pub p: f64,
    /// 95 % interval of `p`.
    pub ci: (f64, f64),
}

/// What the search found.
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    /// Met at `value`; the answer lies in `(below, value]`, where `below` (if any) is the
    /// highest explored value that misses.
    At {
        /// Lowest explored value meeting the probability.
        value: f64,
        /// Highest explored value below it that does not.
        below: Option<f64>,
    },
    /// Not met anywhere in the range (not even at its top).
    NoneInRange,
}

/// A search's result.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchResult {
    /// Outcome.
    pub found: Found,
    /// Every probe, sorted by lever value.
    pub probes: Vec<Probe>,
}

/// Bisects `[lo, hi]` of the evaluator's single parameter until the bracket is narrower
/// than `tol` or `max_steps` interior probes were made. `target` indexes the scenario's
/// targets.
pub fn run(
    ev: &Evaluator,
    target: usize,
    probability: f64,
    tol: f64,
    max_steps: usize,
) -> Result<SearchResult, RunError> {
    let p0 = &ev.params[0];
    let mut probes: Vec<Probe> = Vec::new();
    let mut probe = |x: f64| -> Result<f64, RunError> {
        let r = ev.eval(&[x])?;
        let p = r.targets.get(target).map_or(0.0, |t| t.probability);
        probes.push(Probe {
            x,
            p,
            ci: wilson(p, r.runs),
        });
        Ok(p)
    };
    let (mut lo, mut hi) = (p0.lo, p0.hi);
    let found = if probe(lo)? >= probability {
        Found::At {
            value: lo,
            below: None,
        }
    } else if hi <= lo || probe(hi)? < probability {
        Found::NoneInRange
    } else {
        let mut steps = 0;
        while hi - lo > tol && steps < max_steps {
            let mut mid = 0.5 * (lo + hi);
            if p0.integer {
                mid = mid.floor();
                if mid <= lo {
                    break;
                }
            }
            if probe(mid)? >= probability {
                hi = mid;
            } else {
                lo = mid;
            }
            steps += 1;
        }
        Found::At {
            value: hi,
            below: Some(lo),
        }
    };
    probes.sort_by(|a, b| a.x.total_cmp(&b.x));
    probes.dedup_by(|a, b| a.x == b.x);
    Ok(SearchResult { found, probes })
}
