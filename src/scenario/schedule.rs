//! Policy schedules: a value that changes in given years and holds until the next change.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A step function of the year, written in RON as `{2023: 0.15, 2025: 0.20}` or as a plain
/// number (the same every year). Before the first listed year the first value holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Schedule {
    /// The same value every year.
    Constant(f64),
    /// Values from the given years on.
    Steps(BTreeMap<i32, f64>),
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
