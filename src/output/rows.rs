//! The kept runs' yearly rows (run, seed, year, metric, value), streamed run by run as
//! runs finish, into `metrics.csv` or `metrics.parquet`: one trait, [`RunRows`], that
//! `run`, `hindcast` and `merge` write through, whatever the format.

use super::csv_out::MetricsCsv;
use super::parquet_out::MetricsParquet;
use super::write::out_err;
use crate::error::RunError;
use crate::model::catalog;
use crate::scenario::Scenario;
use crate::sim::RunOutput;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

/// A sink for the kept runs' rows, written in run order.
pub trait RunRows {
    /// Writes (or buffers) every row of one run.
    fn write_run(&mut self, o: &RunOutput) -> Result<(), String>;
    /// Writes what is buffered and closes the file.
    fn finish(self: Box<Self>) -> Result<(), String>;
}

impl<W: std::io::Write> RunRows for MetricsCsv<W> {
    fn write_run(&mut self, o: &RunOutput) -> Result<(), String> {
        MetricsCsv::write_run(self, o).map_err(|e| e.to_string())
    }
    fn finish(self: Box<Self>) -> Result<(), String> {
        MetricsCsv::finish(*self)
            .and_then(|mut w| w.flush())
            .map_err(|e| e.to_string())
    }
}

/// The file format of the kept runs' rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RowFormat {
    /// `metrics.csv`: tidy CSV, one row per run, year and metric.
    #[default]
    Csv,
    /// `metrics.parquet`: the same rows as Apache Parquet (columnar, compressed).
    Parquet,
}

impl RowFormat {
    /// The file the rows go to.
    pub fn file_name(self) -> &'static str {
        match self {
            RowFormat::Csv => "metrics.csv",
            RowFormat::Parquet => "metrics.parquet",
        }
    }
}

impl std::str::FromStr for RowFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "csv" => Ok(RowFormat::Csv),
            "parquet" => Ok(RowFormat::Parquet),
            _ => Err(format!("`{s}` is not a format: use `csv` or `parquet`")),
        }
    }
}

/// The rows file of an output folder being written: rows go to `tmp` (the folder's
/// temporary twin); errors name the file in `dir`, where the user will look for it.
pub struct RowsFile {
    sink: Box<dyn RunRows>,
    shown: PathBuf,
}

/// Opens the rows file of `format` in `tmp` for runs of `scenario` with `seed`.
pub fn create(
    tmp: &Path,
    dir: &Path,
    format: RowFormat,
    scenario: &Scenario,
    seed: u64,
) -> Result<RowsFile, RunError> {
    let shown = dir.join(format.file_name());
    let err = |e: &dyn std::fmt::Display| out_err(&shown, e);
    let file = std::fs::File::create(tmp.join(format.file_name())).map_err(|e| err(&e))?;
    let out = BufWriter::with_capacity(1 << 16, file);
    let years: Vec<i32> = (scenario.start_year..=scenario.end_year).collect();
    let names = catalog::metric_names(scenario);
    let sink: Box<dyn RunRows> = match format {
        RowFormat::Csv => Box::new(MetricsCsv::new(out, seed, &years, names).map_err(|e| err(&e))?),
        RowFormat::Parquet => {
            Box::new(MetricsParquet::new(out, seed, &years, names).map_err(|e| err(&e))?)
        }
    };
    Ok(RowsFile { sink, shown })
}

impl RowsFile {
    /// Writes every row of one run.
    pub fn write_run(&mut self, o: &RunOutput) -> Result<(), RunError> {
        self.sink.write_run(o).map_err(|m| out_err(&self.shown, m))
    }

    /// Closes the file.
    pub fn finish(self) -> Result<(), RunError> {
        self.sink.finish().map_err(|m| out_err(&self.shown, m))
    }
}

/// Splits the body of a `metrics.csv` (rows without the header, any number of runs in
/// run order) into runs: (run, values in year-then-metric order). The values are written
/// by `{}` (shortest round-trip), so they parse back bit for bit.
pub fn runs_of_csv(body: &[u8]) -> Result<Vec<RunOutput>, String> {
    let mut runs: Vec<RunOutput> = Vec::new();
    for (i, line) in body.split(|&b| b == b'\n').enumerate() {
        if line.is_empty() {
            continue;
        }
        let text = std::str::from_utf8(line).map_err(|e| format!("row {}: {e}", i + 1))?;
        let bad = || format!("row {} is not `run,seed,year,metric,value`: {text}", i + 1);
        let run: usize = text
            .split(',')
            .next()
            .and_then(|f| f.parse().ok())
            .ok_or_else(bad)?;
        let value: f64 = text
            .rsplit(',')
            .next()
            .and_then(|f| f.parse().ok())
            .ok_or_else(bad)?;
        match runs.last_mut() {
            Some(o) if o.run == run => o.values.push(value),
            _ => runs.push(RunOutput {
                run,
                values: vec![value],
                snapshots: vec![],
            }),
        }
    }
    Ok(runs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_split_back_into_runs_bit_for_bit() {
        let runs = [
            RunOutput {
                run: 4,
                values: vec![1.0, -0.0, 4e20, 0.1 + 0.2],
                snapshots: vec![],
            },
            RunOutput {
                run: 9,
                values: vec![f64::MIN_POSITIVE, 2.5, -7.25e-300, 1e15 + 0.5],
                snapshots: vec![],
            },
        ];
        let mut w =
            MetricsCsv::new(Vec::new(), 3, &[2023, 2024], vec!["a".into(), "b.x".into()]).unwrap();
        for o in &runs {
            w.write_run(o).unwrap();
        }
        let text = w.finish().unwrap();
        let body = &text[text.iter().position(|&b| b == b'\n').unwrap() + 1..];
        let back = runs_of_csv(body).unwrap();
        assert_eq!(back.len(), 2);
        for (a, b) in runs.iter().zip(&back) {
            assert_eq!(a.run, b.run);
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&a.values), bits(&b.values));
        }
        assert!(
            runs_of_csv(b"x,1,2023,a,1\n")
                .unwrap_err()
                .contains("row 1")
        );
    }

    #[test]
    fn formats_are_named_csv_and_parquet() {
        assert_eq!("parquet".parse::<RowFormat>(), Ok(RowFormat::Parquet));
        assert_eq!(RowFormat::default().file_name(), "metrics.csv");
        assert!("xlsx".parse::<RowFormat>().unwrap_err().contains("csv"));
    }
}
