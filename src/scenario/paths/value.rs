//! Values: describing a slot (kind, RON text, support, centre) and checking and
//! applying a new value to it.

use super::{Kind, Meta, PathError, SlotMut};
use crate::numbers::{self, for_message};
use crate::scenario::dist::{Dist, HELP_SEP, NamedDist};
use crate::scenario::schedule::Schedule;

fn ron_text<T: serde::Serialize>(v: &T) -> String {
    ron::to_string(v).unwrap_or_default()
}

pub(super) fn describe(slot: &SlotMut<'_>) -> (Kind, String, (f64, f64), bool, f64) {
    let num = |x: f64| (x.to_string(), (x, x), false, x);
    let (kind, (text, support, uncertain, central)) = match slot {
        SlotMut::F64(x) => (Kind::Number, num(**x)),
        SlotMut::OptF64(x) => match x {
            Some(x) => (Kind::Number, num(*x)),
            None => (
                Kind::Number,
                ("none".into(), (f64::NAN, f64::NAN), false, f64::NAN),
            ),
        },
        SlotMut::U32(x) => (Kind::Integer, num(f64::from(**x))),
        SlotMut::I32(x) => (Kind::Integer, num(f64::from(**x))),
        SlotMut::Dist(d) => (Kind::Dist, dist_info(d)),
        SlotMut::OptDist(d) => match d {
            Some(d) => (Kind::Dist, dist_info(d)),
            None => (
                Kind::Dist,
                ("none".into(), (f64::NAN, f64::NAN), false, f64::NAN),
            ),
        },
        SlotMut::Sched(s) => {
            let vals = s.values();
            let lo = vals.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = vals.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let first = vals.first().copied().unwrap_or(0.0);
            (Kind::Schedule, (ron_text(&**s), (lo, hi), false, first))
        }
    };
    (kind, text, support, uncertain, central)
}

fn dist_info(d: &Dist) -> (String, (f64, f64), bool, f64) {
    (ron_text(d), d.support(), d.is_uncertain(), d.central())
}

/// A new value for a path.
#[derive(Debug, Clone, PartialEq)]
pub enum NewValue {
    /// RON text as typed after `=`.
    Text(String),
    /// A number; an uncertain distribution is replaced by a zero-width distribution of the
    /// same family, which uses the same random numbers as the original (common random
    /// numbers: the other draws of each run stay the same).
    Pinned(f64),
}

fn allowed(range: (f64, f64)) -> String {
    numbers::allowed(range.0, range.1)
}

fn parse_ron<T: serde::de::DeserializeOwned>(text: &str) -> Option<T> {
    ron::Options::default().from_str(text).ok()
}

/// A zero-width distribution at `x` of `d`'s family, consuming the same random numbers.
pub fn pin(d: &Dist, x: f64, range: (f64, f64)) -> Dist {
    match d {
        Dist::Named(NamedDist::Uniform(_, _)) => {
            let eps = x.abs().max(1e-6) * 1e-10;
            if x + eps <= range.1 {
                Dist::Named(NamedDist::Uniform(x, x + eps))
            } else {
                Dist::Named(NamedDist::Uniform(x - eps, x))
            }
        }
        Dist::Named(NamedDist::Normal(_, _)) => Dist::Named(NamedDist::Normal(x, 0.0)),
        Dist::Named(NamedDist::LogNormal(_, _)) if x > 0.0 => {
            Dist::Named(NamedDist::LogNormal(x, 0.0))
        }
        Dist::Named(NamedDist::Triangular(..)) => Dist::Named(NamedDist::Triangular(x, x, x)),
        _ => Dist::Value(x),
    }
}

fn check_number(path: &str, x: f64, range: (f64, f64)) -> Result<(), PathError> {
    if !x.is_finite() || x < range.0 || x > range.1 {
        return Err(PathError {
            message: format!(
                "`{path}` = {} is out of range: it must be {}",
                for_message(x),
                allowed(range)
            ),
            help: Some(format!("give `{path}` a value {}", allowed(range))),
        });
    }
    Ok(())
}

pub(super) fn apply(
    path: &str,
    m: &Meta,
    slot: SlotMut<'_>,
    value: &NewValue,
) -> Result<(), PathError> {
    let kind = describe(&slot).0;
    let wrong = |text: &str| PathError {
        message: format!(
            "`{path}` cannot be set to `{text}`: it takes {}",
            kind.expects()
        ),
        help: Some(format!("it must be {}", allowed(m.range))),
    };
    let number = |text: &str| -> Result<f64, PathError> {
        let x: f64 = text.trim().parse().map_err(|_| wrong(text))?;
        check_number(path, x, m.range)?;
        Ok(x)
    };
    let integer = |text: &str| -> Result<f64, PathError> {
        let x = number(text)?;
        if x.fract() != 0.0 {
            return Err(wrong(text));
        }
        Ok(x)
    };
    let (text, pinned) = match value {
        NewValue::Text(t) => (t.clone(), None),
        NewValue::Pinned(x) => (x.to_string(), Some(*x)),
    };
    match slot {
        SlotMut::F64(x) => *x = number(&text)?,
        SlotMut::OptF64(x) => *x = Some(number(&text)?),
        SlotMut::U32(x) => {
            let v = match pinned {
                Some(p) => p.round(),
                None => integer(&text)?,
            };
            check_number(path, v, m.range)?;
            *x = v as u32;
        }
        SlotMut::I32(x) => {
            let v = match pinned {
                Some(p) => p.round(),
                None => integer(&text)?,
            };
            check_number(path, v, m.range)?;
            *x = v as i32;
        }
        SlotMut::Sched(s) => {
            let new: Schedule = parse_ron(&text).ok_or_else(|| wrong(&text))?;
            for v in new.values() {
                check_number(path, v, m.range)?;
            }
            *s = new;
        }
        SlotMut::Dist(d) => *d = new_dist(path, m, Some(&*d), &text, pinned, &wrong)?,
        SlotMut::OptDist(d) => *d = Some(new_dist(path, m, d.as_ref(), &text, pinned, &wrong)?),
    }
    Ok(())
}

/// The help a scenario file gets for a value that is not a distribution (the
/// deserializer's, from `dist::explain_dist`: "did you mean `Uniform`? ..."), if any.
fn dist_help(text: &str) -> Option<String> {
    match ron::Options::default().from_str::<Dist>(text) {
        Err(e) => match e.code {
            ron::Error::Message(m) => m.split_once(HELP_SEP).map(|(_, h)| h.to_owned()),
            _ => None,
        },
        Ok(_) => None,
    }
}

fn new_dist(
    path: &str,
    m: &Meta,
    old: Option<&Dist>,
    text: &str,
    pinned: Option<f64>,
    wrong: &dyn Fn(&str) -> PathError,
) -> Result<Dist, PathError> {
    if let Some(x) = pinned {
        check_number(path, x, m.range)?;
        return Ok(old.map_or(Dist::Value(x), |d| pin(d, x, m.range)));
    }
    let d: Dist = parse_ron(text).ok_or_else(|| {
        let mut e = wrong(text);
        if let Some(h) = dist_help(text) {
            e.help = Some(format!("{h} (values must be {})", allowed(m.range)));
        }
        e
    })?;
    if let Some(why) = d.problem() {
        return Err(PathError {
            message: format!("`{path}` = {text}: {why}"),
            help: None,
        });
    }
    let (a, b) = d.support();
    if a == b {
        // A constant: reported as a number ("= 50 is out of range"), not as the range
        // "from 50 to 50".
        check_number(path, a, m.range)?;
    }
    if a < m.range.0 || b > m.range.1 {
        return Err(PathError {
            message: format!(
                "`{path}` = {text} takes values from {} to {}, but it must be {}",
                for_message(a),
                for_message(b),
                allowed(m.range)
            ),
            help: Some(format!("keep every value of `{path}` {}", allowed(m.range))),
        });
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn pinned_values_keep_the_family() {
        let d = Dist::Named(NamedDist::Uniform(0.0, 1.0));
        let p = pin(&d, 1.0, (0.0, 1.0));
        let (a, b) = p.support();
        assert!(b <= 1.0 && (a - 1.0).abs() < 1e-9 && p.is_uncertain());
        assert_eq!(pin(&Dist::Value(3.0), 2.0, (0.0, 9.0)), Dist::Value(2.0));
    }

    fn baseline() -> crate::scenario::Scenario {
        crate::scenario::load::load_file(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scenarios/baseline.ron"
        )))
        .unwrap()
    }

    /// Regression: `--set model.investment.leverage_limit=50` said "takes values from 50
    /// to 50"; a constant out of range is reported as a number.
    #[test]
    fn a_constant_out_of_range_is_reported_as_a_number() {
        let mut s = baseline();
        let e = crate::scenario::paths::set(
            &mut s,
            "model.investment.leverage_limit",
            &NewValue::Text("50".into()),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("= 50 is out of range: it must be"), "{e}");
        assert!(!e.contains("from 50 to 50"), "{e}");
        let e = crate::scenario::paths::set(
            &mut s,
            "model.investment.leverage_limit",
            &NewValue::Text("Uniform(1, 50)".into()),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("takes values from 1 to 50"), "{e}");
    }

    /// Regression: `--set …=Unifrom(0.1, 0.3)` got "it must be between 0 and 5" where a
    /// scenario file gets "did you mean `Uniform`?".
    #[test]
    fn a_misspelt_distribution_gets_a_suggestion() {
        let mut s = baseline();
        let e = crate::scenario::paths::set(
            &mut s,
            "model.fabless.spillover_weight",
            &NewValue::Text("Unifrom(0.1, 0.3)".into()),
        )
        .unwrap_err();
        assert!(
            e.help
                .as_deref()
                .is_some_and(|h| h.contains("did you mean `Uniform`")),
            "{e:?}"
        );
    }
}
