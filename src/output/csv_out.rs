//! Tidy CSV exporters: `metrics.csv` (run, seed, year, metric, value) for the kept runs
//! and `percentiles.csv` (year, metric, p10, p50, p90, mean) for the ensemble.

use crate::sim::RunOutput;
use crate::sim::results::{EnsembleResult, MetricDef, YearStats};
use std::fmt::Write as _;
use std::io::Write;

/// Writes `metrics.csv` rows run by run, so that kept runs stream to disk instead of
/// being held in memory.
pub struct MetricsCsv<W: Write> {
    w: csv::Writer<W>,
    seed: String,
    years: Vec<String>,
    names: Vec<String>,
    buf: String,
}

impl<W: Write> MetricsCsv<W> {
    /// Starts the file (writes the header) for runs of `seed` over `years` recording `names`.
    pub fn new(out: W, seed: u64, years: &[i32], names: Vec<String>) -> csv::Result<Self> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(["run", "seed", "year", "metric", "value"])?;
        Ok(MetricsCsv {
            w,
            seed: seed.to_string(),
            years: years.iter().map(i32::to_string).collect(),
            names,
            buf: String::new(),
        })
    }

    /// Writes every row of one run.
    pub fn write_run(&mut self, o: &RunOutput) -> csv::Result<()> {
        let n = self.names.len();
        let run = o.run.to_string();
        for (yi, year) in self.years.iter().enumerate() {
            for (m, name) in self.names.iter().enumerate() {
                self.buf.clear();
                let _ = write!(self.buf, "{}", o.values[yi * n + m]);
                self.w.write_field(&run)?;
                self.w.write_field(&self.seed)?;
                self.w.write_field(year)?;
                self.w.write_field(name)?;
                self.w.write_field(&self.buf)?;
                self.w.write_record(None::<&[u8]>)?;
            }
        }
        Ok(())
    }

    /// Flushes and returns the underlying writer.
    pub fn finish(self) -> std::io::Result<W> {
        self.w.into_inner().map_err(|e| e.into_error())
    }
}

/// The columns of a percentile row after its leading columns.
pub(crate) const PERCENTILE_COLUMNS: [&str; 7] =
    ["year", "metric", "unit", "p10", "p50", "p90", "mean"];

/// Writes a header of `lead` columns followed by [`PERCENTILE_COLUMNS`].
pub(crate) fn write_percentile_header<W: Write>(
    w: &mut csv::Writer<W>,
    lead: &[&str],
) -> csv::Result<()> {
    w.write_record(lead.iter().chain(&PERCENTILE_COLUMNS))
}

/// Writes one percentile row: the `lead` columns, then year, metric, unit, p10, p50, p90
/// and mean.
pub(crate) fn write_percentile_row<W: Write>(
    w: &mut csv::Writer<W>,
    lead: &[&str],
    year: i32,
    def: &MetricDef,
    s: &YearStats,
) -> csv::Result<()> {
    let stats = [
        year.to_string(),
        def.name.clone(),
        def.unit.clone(),
        s.p10.to_string(),
        s.p50.to_string(),
        s.p90.to_string(),
        s.mean.to_string(),
    ];
    w.write_record(lead.iter().copied().chain(stats.iter().map(String::as_str)))
}

/// `percentiles.csv` bytes.
pub fn percentiles_csv(r: &EnsembleResult) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = write_percentile_header(&mut w, &[]);
    for (yi, year) in r.years.iter().enumerate() {
        for (m, def) in r.metrics.iter().enumerate() {
            let _ = write_percentile_row(&mut w, &[], *year, def, &r.stats[m][yi]);
        }
    }
    w.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streamed_rows_match_the_record_layout() {
        let o = RunOutput {
            run: 3,
            values: vec![1.0, 2.5, -0.0, 4e20],
            snapshots: vec![],
        };
        let mut w =
            MetricsCsv::new(Vec::new(), 9, &[2023, 2024], vec!["a".into(), "b.x".into()]).unwrap();
        w.write_run(&o).unwrap();
        let text = String::from_utf8(w.finish().unwrap()).unwrap();
        assert_eq!(
            text,
            "run,seed,year,metric,value\n3,9,2023,a,1\n3,9,2023,b.x,2.5\n3,9,2024,a,-0\n3,9,2024,b.x,400000000000000000000\n"
        );
    }
}
