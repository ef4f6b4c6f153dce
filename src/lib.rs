#![warn(missing_docs)]
//! megacluster: a Monte Carlo simulation engine for a semiconductor mega-cluster.
//!
//! - [`scenario`]: the RON scenario format, distributions, loading and validation;
//! - [`model`]: the economics as an ECS (components, resources, the twelve yearly systems);
//! - [`sim`]: one run as a function of (scenario, seed, run), and parallel ensembles;
//! - [`output`]: exporters (JSON, CSV, terminal table) and charts;
//! - [`tune`]: sweeps, sensitivity analysis and target search over parameter paths;
//! - [`numbers`]: numbers written for people and tools;
//! - [`explore`]: the local page of `megacluster explore` and its server;
//! - [`cli`]: the command line.

pub mod cli;
pub mod error;
pub mod explore;
pub mod model;
pub mod numbers;
pub mod output;
pub mod scenario;
pub mod sim;
pub mod tune;
