//! The `megacluster` binary: parse the command line, run the command, report errors.

use clap::Parser;
use megacluster::cli::{Cli, Command};
use megacluster::error::{RunError, render};
use megacluster::model::catalog;
use megacluster::scenario::load_file;
use std::io::IsTerminal;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result: Result<(), RunError> = match &cli.command {
        Command::Run(args) if args.watch => megacluster::cli::watch::watch(args, args.watch_limit),
        Command::Run(args) => megacluster::cli::run::run(args).map(|_| ()),
        Command::Compare(args) => megacluster::cli::compare::run(args).map(|_| ()),
        Command::Params(args) => megacluster::cli::params::run(args),
        Command::Sweep(args) => megacluster::cli::sweep::run(args).map(|_| ()),
        Command::Sensitivity(args) => megacluster::cli::sensitivity::run(args).map(|_| ()),
        Command::Search(args) => megacluster::cli::search::run(args).map(|_| ()),
        Command::Check { file } => load_file(file)
            .map(|s| {
                println!(
                    "{}: ok ({} sites, {} firms, {} groups, {} targets)",
                    file.display(),
                    s.sites.len(),
                    s.firms.len(),
                    s.groups.len(),
                    s.targets.len()
                )
            })
            .map_err(RunError::from),
        Command::Metrics { file } => load_file(file)
            .map(|s| {
                for m in catalog::metrics(&s) {
                    println!("{:<40} {:<10} {}", m.name, m.unit, m.description);
                }
            })
            .map_err(RunError::from),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}", render(&e, std::io::stderr().is_terminal()));
            ExitCode::from(match e {
                RunError::Scenario(_) | RunError::Usage(_) | RunError::Input { .. } => 2,
                _ => 1,
            })
        }
    }
}
