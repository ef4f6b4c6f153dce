//! The files of `megacluster calibrate`: the posterior's charts and the predictive
//! check's report.

pub mod charts;
pub mod posterior;
pub mod report;
