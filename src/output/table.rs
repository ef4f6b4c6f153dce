//! The summary table printed to the terminal.

use super::summary::{HEADLINE, headline_years};
use crate::sim::results::EnsembleResult;
use std::fmt::Write;

/// A number with a sensible number of decimals.
pub fn num(v: f64) -> String {
    let a = v.abs();
    if a >= 1000.0 {
        let s = format!("{:.0}", v.abs());
        let mut out = String::new();
        for (i, ch) in s.chars().enumerate() {
            if i > 0 && (s.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(ch);
        }
        if v < 0.0 { format!("-{out}") } else { out }
    } else if a >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// The table: target probabilities, then headline indicators in two years.
pub fn render(r: &EnsembleResult) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "megacluster · scenario `{}` · {} runs · seed {}",
        r.scenario, r.runs, r.seed
    );
    if !r.targets.is_empty() {
        let w = r
            .targets
            .iter()
            .map(|t| t.name.chars().count())
            .max()
            .unwrap_or(6)
            .max(6);
        let _ = writeln!(out, "\n{:<w$}  {:>4}  {:>8}", "Target", "Year", "P(met)");
        for t in &r.targets {
            let _ = writeln!(
                out,
                "{:<w$}  {:>4}  {:>7.1}%",
                t.name,
                t.year,
                100.0 * t.probability
            );
        }
    }
    let years = headline_years(r);
    let _ = write!(out, "\n{:<34} {:<9}", "Indicator", "Unit");
    for y in &years {
        let _ = write!(out, "  {:>30}", format!("{y}: median (10-90 %)"));
    }
    out.push('\n');
    for name in HEADLINE {
        let Some(m) = r.metric_index(name) else {
            continue;
        };
        let _ = write!(out, "{:<34} {:<9}", name, r.metrics[m].unit);
        for &y in &years {
            let Some(yi) = r.year_index(y) else { continue };
            let s = r.stats[m][yi];
            let _ = write!(
                out,
                "  {:>30}",
                format!("{} ({} - {})", num(s.p50), num(s.p10), num(s.p90))
            );
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_are_readable() {
        assert_eq!(super::num(1234567.0), "1,234,567");
        assert_eq!(super::num(-1500.0), "-1,500");
        assert_eq!(super::num(12.345), "12.3");
        assert_eq!(super::num(0.456), "0.46");
    }
}
