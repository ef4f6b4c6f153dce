//! The one parameter table (the rows of `scenario::paths`, behind `megacluster params`,
//! `--set` and file validation) is complete: every row has a unit, a meaning and a
//! finite range, and a value just outside that range is refused both by `--set` and by
//! the validation of a file that holds it (issue 16: one declaration per parameter).

use megacluster::scenario::dist::Dist;
use megacluster::scenario::paths::{NewValue, SlotMut, list, set, visit};
use megacluster::scenario::schedule::Schedule;
use megacluster::scenario::validate::validate;

mod common;

/// Writes `v` into the `index`-th value of `s`, whatever its type; false when the type
/// cannot hold `v` (a count below 0).
fn force(s: &mut megacluster::scenario::Scenario, index: usize, v: f64) -> bool {
    let mut k = 0;
    let mut ok = true;
    visit(s, &mut |_, slot| {
        if k == index {
            match slot {
                SlotMut::F64(x) => *x = v,
                SlotMut::OptF64(x) => *x = Some(v),
                SlotMut::Dist(x) => *x = Dist::Value(v),
                SlotMut::OptDist(x) => *x = Some(Dist::Value(v)),
                SlotMut::Sched(x) => *x = Schedule::Constant(v),
                SlotMut::U32(x) => {
                    if v < 0.0 || v > f64::from(u32::MAX) {
                        ok = false
                    } else {
                        *x = v as u32
                    }
                }
                SlotMut::I32(x) => {
                    if v < f64::from(i32::MIN) || v > f64::from(i32::MAX) {
                        ok = false
                    } else {
                        *x = v as i32
                    }
                }
            }
        }
        k += 1;
    });
    ok
}

#[test]
fn every_row_has_a_unit_a_meaning_and_a_finite_range() {
    for name in ["baseline", "strong-support", "power-delay"] {
        for p in list(&common::load(name)) {
            let (lo, hi) = p.range;
            assert!(!p.unit.is_empty(), "{}: no unit", p.path);
            assert!(p.description.len() > 8, "{}: no meaning", p.path);
            assert!(
                lo.is_finite() && hi.is_finite() && lo < hi,
                "{}: range {lo}..{hi}",
                p.path
            );
        }
    }
}

#[test]
fn a_value_just_outside_its_range_is_refused_by_set_and_by_validation() {
    for name in ["baseline", "strong-support", "power-delay"] {
        let base = common::load(name);
        let text = std::fs::read_to_string(common::scenario_path(name)).unwrap();
        let mut lax = Vec::new();
        for (i, p) in list(&base).iter().enumerate() {
            let (lo, hi) = p.range;
            let step = (hi - lo).abs().max(1.0) * 0.01;
            for v in [lo - step, hi + step] {
                let mut s = base.clone();
                if set(&mut s, &p.path, &NewValue::Text(v.to_string())).is_ok() {
                    lax.push(format!("--set {}={v} (range {lo}..{hi})", p.path));
                }
                let mut s = base.clone();
                if force(&mut s, i, v) && validate(&s, &text, name).is_ok() {
                    lax.push(format!("file {} = {v} (range {lo}..{hi})", p.path));
                }
            }
        }
        assert!(
            lax.is_empty(),
            "{name}: values outside their declared range are accepted:\n{}",
            lax.join("\n")
        );
    }
}
