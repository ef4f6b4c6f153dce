//! Headline indicators side by side: the median and 10–90 % range of each headline
//! metric in the years every compared scenario simulates (2030 and the last such year).

use super::Input;
use crate::output::charts::format::ValueFormat;
use crate::output::summary::HEADLINE;
use crate::sim::results::YearStats;
use std::fmt::Write;

/// Years shown: 2030 (when all simulate it and it is not the last) and the last year
/// that every scenario simulates.
pub fn years(inputs: &[Input]) -> Vec<i32> {
    let Some(first) = inputs.first() else {
        return Vec::new();
    };
    let common: Vec<i32> = first
        .result
        .years
        .iter()
        .copied()
        .filter(|y| inputs.iter().all(|i| i.result.years.contains(y)))
        .collect();
    let Some(&last) = common.last() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if common.contains(&2030) && last != 2030 {
        out.push(2030);
    }
    out.push(last);
    out
}

/// A headline metric: name, unit, format and the statistics per year and scenario.
#[derive(Debug, Clone)]
pub struct Row {
    /// Metric name.
    pub metric: String,
    /// Unit.
    pub unit: String,
    /// Value format.
    pub fmt: ValueFormat,
    /// `stats[y][s]`: year `years()[y]`, scenario `s`.
    pub stats: Vec<Vec<Option<YearStats>>>,
}

/// The headline rows for `years`.
pub fn rows(inputs: &[Input], years: &[i32]) -> Vec<Row> {
    HEADLINE
        .iter()
        .filter_map(|name| {
            let def = inputs.iter().find_map(|i| {
                i.result
                    .metric_index(name)
                    .map(|m| i.result.metrics[m].clone())
            })?;
            let stats = years
                .iter()
                .map(|&y| {
                    inputs
                        .iter()
                        .map(|i| {
                            let m = i.result.metric_index(name)?;
                            let yi = i.result.year_index(y)?;
                            i.result.stats.get(m)?.get(yi).copied()
                        })
                        .collect()
                })
                .collect();
            Some(Row {
                metric: def.name.clone(),
                unit: def.unit.clone(),
                fmt: ValueFormat::for_metric(&def.name, &def.unit),
                stats,
            })
        })
        .collect()
}

/// Medians side by side for the terminal, in the last year shown.
pub fn render_text(inputs: &[Input]) -> String {
    let years = years(inputs);
    let Some(&year) = years.last() else {
        return String::new();
    };
    let rows = rows(inputs, &[year]);
    let mut out = String::new();
    let _ = writeln!(out, "Headline indicators in {year}: median across runs");
    let w = 16usize;
    let _ = write!(out, "\n{:<34} {:<9}", "Indicator", "Unit");
    for i in inputs {
        let label: String = i.label.chars().take(w).collect();
        let _ = write!(out, "  {label:>w$}");
    }
    out.push('\n');
    for r in rows {
        let _ = write!(out, "{:<34} {:<9}", r.metric, r.unit);
        for s in &r.stats[0] {
            let cell = s.map_or("-".to_string(), |s| r.fmt.format(s.p50));
            let _ = write!(out, "  {cell:>w$}");
        }
        out.push('\n');
    }
    out
}
