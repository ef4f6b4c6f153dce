//! The target table of a comparison: each target's probability in its year for every
//! scenario, with its 95 % Wilson interval, and the difference from the first
//! scenario with Newcombe's 95 % interval; a difference whose interval excludes zero
//! "exceeds Monte Carlo noise" (see [`super::stats`]).

use super::Input;
use super::stats::{Difference, difference, wilson};
use crate::output::charts::format;
use crate::output::charts::overlay_targets::{self, TargetRow};
use std::fmt::Write;

/// One scenario's figures for one target.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cell {
    /// Probability of meeting the target in its year.
    pub p: f64,
    /// Runs behind it.
    pub runs: usize,
    /// 95 % Wilson interval.
    pub interval: (f64, f64),
    /// Difference from the first scenario (`None` for the first, or when the first
    /// does not define this target the same way).
    pub diff: Option<Difference>,
}

/// A row: a target definition and a cell per scenario (`None` where it is not set).
#[derive(Debug, Clone)]
pub struct Row {
    /// Target name.
    pub name: String,
    /// Metric.
    pub metric: String,
    /// "≥ KRW 300T by 2042".
    pub condition: String,
    /// Target year.
    pub year: i32,
    /// Cells by scenario.
    pub cells: Vec<Option<Cell>>,
}

/// The table.
pub fn table(inputs: &[Input]) -> Vec<Row> {
    let entries = super::entries(inputs);
    overlay_targets::rows(&entries)
        .iter()
        .map(|row: &TargetRow<'_>| {
            let cells: Vec<Option<(f64, usize)>> = row
                .per_entry
                .iter()
                .zip(inputs)
                .map(|(t, i)| t.map(|t| (t.probability, i.result.runs)))
                .collect();
            let first = cells.first().copied().flatten();
            let owner = inputs
                .iter()
                .zip(&row.per_entry)
                .find(|(_, t)| t.is_some())
                .map(|(i, _)| &i.result);
            Row {
                name: row.def.name.clone(),
                metric: row.def.metric.clone(),
                condition: owner.map_or(String::new(), |r| overlay_targets::condition(r, row.def)),
                year: row.def.year,
                cells: cells
                    .iter()
                    .enumerate()
                    .map(|(k, c)| {
                        c.map(|(p, runs)| Cell {
                            p,
                            runs,
                            interval: wilson(p, runs),
                            diff: match (k, first) {
                                (1.., Some((p0, n0))) => Some(difference(p, runs, p0, n0)),
                                _ => None,
                            },
                        })
                    })
                    .collect(),
            }
        })
        .collect()
}

/// "42% (33–51)": the interval bounds in whole percent.
pub fn p_text(c: &Cell) -> String {
    format!(
        "{} ({:.0}–{:.0})",
        format::probability(c.p),
        c.interval.0 * 100.0,
        c.interval.1 * 100.0
    )
}

/// Percentage points with a sign: "+13", "−2", "0".
pub fn pp(d: f64) -> String {
    let v = (d * 100.0).round();
    if v == 0.0 {
        "0".into()
    } else if v > 0.0 {
        format!("+{v:.0}")
    } else {
        format!("-{:.0}", -v)
    }
}

/// "+13 pp *" for the terminal (the star marks a difference beyond noise).
pub fn diff_text(d: &Difference) -> String {
    format!("{}{}", pp(d.diff), if d.significant() { "*" } else { "" })
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// The table for the terminal, scenarios side by side.
pub fn render_text(inputs: &[Input], rows: &[Row]) -> String {
    let mut out = String::new();
    let Some(first) = inputs.first() else {
        return out;
    };
    let _ = writeln!(
        out,
        "Probability of meeting each target in its year, 95 % interval in brackets;\n\
         Δ = difference from `{}` in percentage points, * = larger than Monte Carlo noise.",
        first.label
    );
    if rows.is_empty() {
        out.push_str("\nNo scenario sets targets.\n");
        return out;
    }
    let name_w = rows
        .iter()
        .map(|r| r.name.chars().count())
        .max()
        .unwrap_or(6)
        .clamp(6, 44);
    // First scenario: probability only; others: probability and Δ.
    let widths: Vec<usize> = inputs
        .iter()
        .enumerate()
        .map(|(k, i)| {
            let w = if k == 0 { 14 } else { 21 };
            w.max(i.label.chars().count().min(24))
        })
        .collect();
    let _ = write!(out, "\n{:<name_w$}  {:>4}", "Target", "Year");
    for (i, w) in inputs.iter().zip(&widths) {
        let _ = write!(out, "  {:<w$}", clip(&i.label, *w));
    }
    out.push('\n');
    let _ = write!(out, "{:<name_w$}  {:>4}", "", "");
    for (k, w) in widths.iter().enumerate() {
        let h = if k == 0 {
            "P(met)".to_string()
        } else {
            format!("{:<14}  {:>4}", "P(met)", "Δ")
        };
        let _ = write!(out, "  {h:<w$}");
    }
    out.push('\n');
    for r in rows {
        let _ = write!(out, "{:<name_w$}  {:>4}", clip(&r.name, name_w), r.year);
        for (c, w) in r.cells.iter().zip(&widths) {
            let cell = match c {
                None => "not set".to_string(),
                Some(c) => match &c.diff {
                    None => p_text(c),
                    Some(d) => format!("{:<14}  {:>4}", p_text(c), diff_text(d)),
                },
            };
            let _ = write!(out, "  {cell:<w$}");
        }
        out.push('\n');
    }
    let lines: Vec<&str> = out.lines().map(str::trim_end).collect();
    lines.join("\n").trim_end().to_string() + "\n"
}

/// Gives every scenario the targets of the others that it lacks (by name), where its
/// metrics include the target's metric, so that a target a scenario file was written
/// to ask about is also measured on the scenario it is compared with. Returns, per
/// scenario, the names of the targets it was given.
pub fn share_targets(scenarios: &mut [&mut crate::scenario::Scenario]) -> Vec<Vec<String>> {
    let all: Vec<crate::scenario::schema::TargetSpec> = scenarios
        .iter()
        .flat_map(|s| s.targets.iter().cloned())
        .collect();
    scenarios
        .iter_mut()
        .map(|s| {
            let metrics = crate::model::catalog::metric_names(s);
            let mut given = Vec::new();
            for t in &all {
                if !s.targets.iter().any(|own| own.name == t.name)
                    && metrics.iter().any(|m| m == &t.metric)
                {
                    s.targets.push(t.clone());
                    given.push(t.name.clone());
                }
            }
            given
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentage_points() {
        assert_eq!(pp(0.126), "+13");
        assert_eq!(pp(-0.02), "-2");
        assert_eq!(pp(0.001), "0");
    }
}
