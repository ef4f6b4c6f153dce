//! Policy schedules: a value that changes in given years and holds until the next change.

use super::dist::{HELP_SEP, Shape};
use serde::{Deserialize, Deserializer, Serialize, de};
use std::collections::BTreeMap;

/// A step function of the year, written in RON as `{2023: 0.15, 2025: 0.20}` or as a plain
/// number (the same every year). Before the first listed year the first value holds.
/// Deserialised by hand so that a mistake gets a message naming the expected forms.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Schedule {
    /// The same value every year.
    Constant(f64),
    /// Values from the given years on.
    Steps(BTreeMap<i32, f64>),
}

impl<'de> Deserialize<'de> for Schedule {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Constant(f64),
            Steps(BTreeMap<i32, f64>),
            Other(Shape),
        }
        match Raw::deserialize(deserializer)? {
            Raw::Constant(v) => Ok(Schedule::Constant(v)),
            Raw::Steps(s) => Ok(Schedule::Steps(s)),
            Raw::Other(shape) => {
                let msg = match shape {
                    Shape::Named(..) | Shape::Map => {
                        "a schedule's years must be whole numbers and its values numbers".to_owned()
                    }
                    Shape::Text(t) if t.trim().parse::<f64>().is_ok() => {
                        format!("expected a number, found the text \"{t}\"")
                    }
                    other => format!(
                        "expected a number or a schedule such as {{2023: 0.15, 2025: 0.20}}, found {}",
                        other.describe()
                    ),
                };
                Err(de::Error::custom(format!(
                    "{msg}{HELP_SEP}write one number for every year (e.g. 0.15), or year: value pairs such as {{2023: 0.15, 2025: 0.20}}"
                )))
            }
        }
    }
}

impl Default for Schedule {
    fn default() -> Self {
        Schedule::Constant(0.0)
    }
}

impl Schedule {
    /// The value in force in `year`.
    pub fn at(&self, year: i32) -> f64 {
        match self {
            Schedule::Constant(v) => *v,
            Schedule::Steps(steps) => steps
                .range(..=year)
                .next_back()
                .or_else(|| steps.iter().next())
                .map_or(0.0, |(_, v)| *v),
        }
    }

    /// Every value with the year it starts in (`None` for a constant), for range checks.
    pub fn entries(&self) -> Vec<(Option<i32>, f64)> {
        match self {
            Schedule::Constant(v) => vec![(None, *v)],
            Schedule::Steps(steps) => steps.iter().map(|(y, v)| (Some(*y), *v)).collect(),
        }
    }

    /// Every value listed, for range checks.
    pub fn values(&self) -> Vec<f64> {
        match self {
            Schedule::Constant(v) => vec![*v],
            Schedule::Steps(steps) => steps.values().copied().collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_hold_until_the_next_change() {
        let s: Schedule = ron::from_str("{2023: 0.15, 2025: 0.20}").unwrap();
        assert_eq!(s.at(2020), 0.15);
        assert_eq!(s.at(2024), 0.15);
        assert_eq!(s.at(2025), 0.20);
        assert_eq!(s.at(2040), 0.20);
        let c: Schedule = ron::from_str("7").unwrap();
        assert_eq!(c.at(2030), 7.0);
    }
}
