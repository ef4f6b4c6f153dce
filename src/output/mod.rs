//! Outputs: exporters turn an ensemble into bytes (JSON summary, tidy CSV, terminal
//! table, charts, HTML reports); `write` puts them into a folder atomically;
//! `run_folder` reads a run folder back and `compare` compares several results.

pub mod calibrate;
pub mod charts;
pub mod compare;
pub mod csv_out;
/// `design.csv` of the sweep and sensitivity commands.
pub mod design_csv;
pub mod discover;
pub mod export;
pub mod hindcast;
pub mod html;
pub mod levers;
pub mod optimize;
pub mod parquet_out;
pub mod partial;
pub mod rows;
pub mod run_folder;
pub mod run_report;
pub mod search;
pub mod sensitivity;
pub mod summary;
pub mod sweep;
pub mod table;
pub mod write;
