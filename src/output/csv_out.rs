//! Tidy CSV exporters: `metrics.csv` (run, seed, year, metric, value) for the kept runs
//! and `percentiles.csv` (year, metric, p10, p50, p90, mean) for the ensemble.

use crate::sim::RunOutput;
use crate::sim::results::EnsembleResult;

/// `metrics.csv` bytes for the kept runs.
pub fn metrics_csv(r: &EnsembleResult, kept: &[RunOutput]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(["run", "seed", "year", "metric", "value"]);
    let n = r.metrics.len();
    let seed = r.seed.to_string();
    for o in kept {
        let run = o.run.to_string();
        for (yi, year) in r.years.iter().enumerate() {
            let year = year.to_string();
            for (m, def) in r.metrics.iter().enumerate() {
                let _ = w.write_record([
                    run.as_str(),
                    seed.as_str(),
                    year.as_str(),
                    def.name.as_str(),
                    &o.values[yi * n + m].to_string(),
                ]);
            }
        }
    }
    w.into_inner().unwrap_or_default()
}

/// `percentiles.csv` bytes.
pub fn percentiles_csv(r: &EnsembleResult) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(["year", "metric", "unit", "p10", "p50", "p90", "mean"]);
    for (yi, year) in r.years.iter().enumerate() {
        for (m, def) in r.metrics.iter().enumerate() {
            let s = r.stats[m][yi];
            let _ = w.write_record([
                year.to_string(),
                def.name.clone(),
                def.unit.clone(),
                s.p10.to_string(),
                s.p50.to_string(),
                s.p90.to_string(),
                s.mean.to_string(),
            ]);
        }
    }
    w.into_inner().unwrap_or_default()
}
