//! Tidy CSV files of a comparison, one row per observation, for pandas, R, Excel and
//! DuckDB: `comparison.csv` (percentiles of every metric), `targets.csv` (the target
//! table with intervals), `target_probabilities.csv` (by year) and
//! `parameter_diff.csv` (one column per scenario).

use super::Input;
use super::diff;
use super::stats::wilson;
use super::targets::Row;
use crate::output::csv_out::{write_percentile_header, write_percentile_row};

fn finish(w: csv::Writer<Vec<u8>>) -> Vec<u8> {
    w.into_inner().unwrap_or_default()
}

/// `comparison.csv`: scenario, year, metric, unit, p10, p50, p90, mean, for every
/// metric each scenario records, at that scenario's own years.
pub fn comparison_csv(inputs: &[Input]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = write_percentile_header(&mut w, &["scenario"]);
    for i in inputs {
        let r = &i.result;
        for (m, def) in r.metrics.iter().enumerate() {
            for (yi, year) in r.years.iter().enumerate() {
                let Some(s) = r.stats.get(m).and_then(|s| s.get(yi)) else {
                    continue;
                };
                let _ = write_percentile_row(&mut w, &[&i.label], *year, def, s);
            }
        }
    }
    finish(w)
}

/// `targets.csv`: one row per target and scenario.
pub fn targets_csv(inputs: &[Input], rows: &[Row]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "scenario",
        "target",
        "metric",
        "condition",
        "year",
        "runs",
        "probability",
        "ci95_low",
        "ci95_high",
        "diff_from_first",
        "diff_ci95_low",
        "diff_ci95_high",
        "exceeds_noise",
    ]);
    for r in rows {
        for (i, c) in inputs.iter().zip(&r.cells) {
            let Some(c) = c else { continue };
            let (d, lo, hi, sig) = match &c.diff {
                Some(d) => (
                    d.diff.to_string(),
                    d.low.to_string(),
                    d.high.to_string(),
                    d.significant().to_string(),
                ),
                None => Default::default(),
            };
            let _ = w.write_record([
                i.label.clone(),
                r.name.clone(),
                r.metric.clone(),
                r.condition.clone(),
                r.year.to_string(),
                c.runs.to_string(),
                c.p.to_string(),
                c.interval.0.to_string(),
                c.interval.1.to_string(),
                d,
                lo,
                hi,
                sig,
            ]);
        }
    }
    finish(w)
}

/// `target_probabilities.csv`: scenario, target, year, probability and its interval.
pub fn target_years_csv(inputs: &[Input]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "scenario",
        "target",
        "target_year",
        "year",
        "probability",
        "ci95_low",
        "ci95_high",
    ]);
    for i in inputs {
        for t in &i.result.targets {
            for (year, p) in i.result.years.iter().zip(&t.probability_by_year) {
                let (lo, hi) = wilson(*p, i.result.runs);
                let _ = w.write_record([
                    i.label.clone(),
                    t.name.clone(),
                    t.year.to_string(),
                    year.to_string(),
                    p.to_string(),
                    lo.to_string(),
                    hi.to_string(),
                ]);
            }
        }
    }
    finish(w)
}

/// `parameter_diff.csv`: path, then the value in each scenario.
pub fn diff_csv(inputs: &[Input], rows: &[diff::Row]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut head = vec!["path".to_string()];
    head.extend(inputs.iter().map(|i| i.label.clone()));
    let _ = w.write_record(&head);
    for r in rows {
        let mut rec = vec![r.path.clone()];
        rec.extend(r.values.iter().map(|c| c.text().to_string()));
        let _ = w.write_record(&rec);
    }
    finish(w)
}
