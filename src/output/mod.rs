//! Outputs: exporters turn an ensemble into bytes (JSON summary, tidy CSV, terminal
//! table, charts); `write` puts them into a folder atomically.

pub mod charts;
pub mod csv_out;
pub mod summary;
pub mod table;
pub mod write;
