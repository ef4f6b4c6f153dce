//! Every value in its range, checked from the rows the parameter paths declare
//! ([`paths::visit`]): the one table behind `megacluster params`, `--set` and this check,
//! so a file cannot hold a value that `--set` refuses, nor the other way round.

use super::checker::Checker;
use crate::scenario::Scenario;
use crate::scenario::paths::{self, SlotMut};

/// Each value, each distribution's support and each year of each schedule within the
/// range its row declares; years (whole-number values whose unit is `year`) within the
/// years a scenario may name.
pub(super) fn check_ranges(c: &mut Checker, s: &Scenario) {
    let mut s = s.clone();
    paths::visit(&mut s, &mut |m, slot| {
        let (lo, hi) = m.range;
        let (at, ctx) = (&m.loc[..], m.context.as_str());
        match slot {
            SlotMut::F64(x) => c.range(at, ctx, *x, lo, hi),
            SlotMut::OptF64(x) => x.iter().for_each(|x| c.range(at, ctx, *x, lo, hi)),
            SlotMut::Dist(d) => c.dist(at, ctx, d, lo, hi),
            SlotMut::OptDist(d) => d.iter().for_each(|d| c.dist(at, ctx, d, lo, hi)),
            SlotMut::Sched(sched) => c.schedule(at, ctx, sched, lo, hi),
            SlotMut::U32(x) => c.range(at, ctx, f64::from(*x), lo, hi),
            SlotMut::I32(y) if m.unit == "year" => c.year(at, ctx, *y),
            SlotMut::I32(x) => c.range(at, ctx, f64::from(*x), lo, hi),
        }
    });
}
