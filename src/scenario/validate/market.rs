//! The market: all four segments.

use super::checker::{Checker, join};
use crate::scenario::Scenario;
use crate::scenario::kinds::Segment;
use crate::scenario::locate::Seg;

/// All four segments present.
pub(super) fn check_market(c: &mut Checker, s: &Scenario) {
    let m = &s.market;
    let p = path![F("market")];
    for seg in Segment::ALL {
        if !m.segments.contains_key(&seg) {
            c.at(
                &join(&p, &path![F("segments")]),
                format!("market segment `{}` is missing", seg.name()),
                Some("give all four: Memory, AdvancedLogic, MatureLogic, AdvancedPackaging".into()),
            );
        }
    }
}
