//! The ranges of scenario values are declared twice outside `model:` (the parameter
//! paths behind `params` and `--set`, and the validation of files): this test keeps them
//! in step. For every value of every shipped scenario, a value just outside the range
//! `megacluster params` documents must be refused by validation, so a file cannot hold a
//! value that `--set` would refuse (issue 16: "they agree today; nothing keeps them so").

use megacluster::scenario::dist::Dist;
use megacluster::scenario::paths::{SlotMut, list, visit};
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
fn validation_refuses_every_value_outside_its_documented_range() {
    for name in ["baseline", "strong-support", "power-delay"] {
        let base = common::load(name);
        let text = std::fs::read_to_string(common::scenario_path(name)).unwrap();
        let params = list(&base);
        let mut lax = Vec::new();
        for (i, p) in params.iter().enumerate() {
            let (lo, hi) = p.range;
            assert!(
                lo.is_finite() && hi.is_finite(),
                "{}: range {lo}..{hi}",
                p.path
            );
            let step = (hi - lo).abs().max(1.0) * 0.01;
            for v in [lo - step, hi + step] {
                let mut s = base.clone();
                if force(&mut s, i, v) && validate(&s, &text, name).is_ok() {
                    lax.push(format!("{} = {v} (documented {lo}..{hi})", p.path));
                }
            }
        }
        assert!(
            lax.is_empty(),
            "{name}: validation accepts values that `params` documents as out of range:\n{}",
            lax.join("\n")
        );
    }
}
