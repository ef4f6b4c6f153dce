//! The `megacluster` binary: parse the command line, run the command, report errors.

use clap::Parser;
use megacluster::cli::{Cli, Command};
use megacluster::error::{RunError, ScenarioError, render};
use megacluster::model::catalog;
use megacluster::scenario::{load_file, paths};
use std::io::IsTerminal;
use std::process::ExitCode;

fn main() -> ExitCode {
    // A panic is a bug, never the user's fault: say so in one line, without a backtrace.
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map_or_else(String::new, |l| format!(" at {}:{}", l.file(), l.line()));
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        // A closed pipe (`megacluster params FILE | head`) ends the output, not in error.
        if what.contains("Broken pipe") {
            std::process::exit(0);
        }
        eprintln!(
            "internal error{at}: {what}; this is a bug in megacluster, please report it with the command and scenario file"
        );
    }));
    let cli = Cli::parse();
    let result = run(&cli);
    // Output folders this process was to write are free again, also after an error.
    megacluster::output::write::release_locks();
    report(result)
}

fn run(cli: &Cli) -> Result<(), RunError> {
    match &cli.command {
        Command::Run(args) if args.watch => megacluster::cli::watch::watch(args, args.watch_limit),
        Command::Run(args) => megacluster::cli::run::run(args).map(|_| ()),
        Command::Compare(args) => megacluster::cli::compare::run(args).map(|_| ()),
        Command::Params(args) => megacluster::cli::params::run(args),
        Command::Sweep(args) => megacluster::cli::sweep::run(args).map(|_| ()),
        Command::Sensitivity(args) => megacluster::cli::sensitivity::run(args).map(|_| ()),
        Command::Merge(args) => megacluster::cli::merge::run(args).map(|_| ()),
        Command::Search(args) => megacluster::cli::search::run(args).map(|_| ()),
        Command::Optimize(args) => megacluster::cli::optimize::run(args).map(|_| ()),
        Command::Discover(args) => megacluster::cli::discover::run(args).map(|_| ()),
        Command::Hindcast(args) => megacluster::cli::hindcast::run(args).map(|_| ()),
        Command::Calibrate(args) => megacluster::cli::calibrate::run(args).map(|_| ()),
        Command::Levers(args) => megacluster::cli::levers::run(args).map(|_| ()),
        Command::Explore(args) => megacluster::cli::explore::run(args),
        Command::Check { file, set } => {
            paths::load_with_overrides(file, set).map(|(s, overrides, _)| {
                let with = if overrides.is_empty() {
                    String::new()
                } else {
                    format!(" with {} --set override(s)", overrides.len())
                };
                println!(
                    "{}: ok{with} ({} sites, {} firms, {} groups, {} targets)",
                    file.display(),
                    s.sites.len(),
                    s.firms.len(),
                    s.groups.len(),
                    s.targets.len()
                )
            })
        }
        Command::Metrics { file } => load_file(file)
            .map(|s| {
                for m in catalog::metrics(&s) {
                    println!("{:<40} {:<10} {}", m.name, m.unit, m.description);
                }
            })
            .map_err(RunError::from),
    }
}

fn report(result: Result<(), RunError>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // Problems in a scenario's text are shown in place; everything else (a missing
            // file, a bad --out, a failed write) is one line.
            if let RunError::Scenario(ScenarioError::Syntax(_) | ScenarioError::Invalid { .. }) = e
            {
                let colour =
                    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
                eprintln!("{}", render(&e, colour));
            } else {
                eprintln!("error: {e}");
            }
            ExitCode::from(match e {
                RunError::Scenario(_) | RunError::Usage(_) | RunError::Input { .. } => 2,
                _ => 1,
            })
        }
    }
}
