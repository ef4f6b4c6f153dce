//! `megacluster compare`: several scenarios side by side. Scenario files are run now,
//! all with the same runs and seed; folders written by `megacluster run` are read back.

use super::CompareArgs;
use crate::error::RunError;
use crate::output::charts::format::file_stem;
use crate::output::compare::{Input, Source, check, files, labels};
use crate::output::{export, run_folder};
use crate::scenario::Scenario;
use crate::sim::{EnsembleOptions, run_ensemble};
use std::path::PathBuf;
use std::sync::Arc;

/// An input before it is run: a loaded scenario file or a run folder read back.
enum Loaded {
    File(PathBuf, Box<Scenario>),
    Folder(Box<run_folder::RunFolder>),
}

/// Runs the command; returns the output folder.
pub fn run(args: &CompareArgs) -> Result<PathBuf, RunError> {
    if args.inputs.len() < 2 {
        return Err(RunError::Usage(
            "compare needs at least two scenario files or run folders, e.g. `megacluster compare scenarios/baseline.ron scenarios/strong-support.ron`".into(),
        ));
    }
    if args.inputs.len() > check::MAX_INPUTS {
        return Err(RunError::Usage(format!(
            "compare takes at most {} scenarios (one colour each); {} given",
            check::MAX_INPUTS,
            args.inputs.len()
        )));
    }
    // Read everything first, so a mistake in the last input costs no simulation time.
    let mut loaded = Vec::new();
    for path in &args.inputs {
        loaded.push(if path.is_dir() {
            Loaded::Folder(Box::new(run_folder::read(path)?))
        } else {
            Loaded::File(
                path.clone(),
                Box::new(crate::scenario::paths::load_with_overrides(path, &args.ensemble.set)?.0),
            )
        });
    }
    // Each scenario file's targets are measured on the other scenario files too.
    let mut files: Vec<&mut crate::scenario::Scenario> = loaded
        .iter_mut()
        .filter_map(|l| match l {
            Loaded::File(_, s) => Some(s.as_mut()),
            Loaded::Folder(_) => None,
        })
        .collect();
    let shared = crate::output::compare::targets::share_targets(&mut files);
    let mut pre_notes: Vec<String> = files
        .iter()
        .zip(&shared)
        .filter(|(_, given)| !given.is_empty())
        .map(|(s, given)| {
            format!(
                "{}: also measured against the other scenarios' targets ({})",
                s.name,
                given.join("; ")
            )
        })
        .collect();
    let first_file = loaded.iter().find_map(|l| match l {
        Loaded::File(_, s) => Some(s),
        Loaded::Folder(_) => None,
    });
    // Several scenarios, so no single Request: the same flags and defaults, from the first
    // scenario file.
    let e = &args.ensemble;
    let runs = e.runs_or(first_file.map_or(0, |s| s.runs));
    let seed = e.seed_or(first_file.map_or(0, |s| s.seed));
    if first_file.is_none() && (args.ensemble.runs.is_some() || args.ensemble.seed.is_some()) {
        pre_notes.push(
            "--runs and --seed apply to scenario files; run folders are read back as they were run."
                .to_string(),
        );
    }
    let mut inputs = Vec::new();
    for l in loaded {
        inputs.push(match l {
            Loaded::Folder(f) => {
                let f = *f;
                Input {
                    label: String::new(),
                    source: Source::Folder(f.dir),
                    result: f.result,
                    scenario: f.scenario,
                }
            }
            Loaded::File(path, scenario) => {
                if !args.ensemble.quiet {
                    eprintln!("Running {} ({runs} runs, seed {seed})", path.display());
                }
                let scenario = Arc::new(*scenario);
                let pb = super::progress::bar(runs, args.ensemble.quiet);
                let ens = run_ensemble(
                    &scenario,
                    &EnsembleOptions {
                        runs,
                        seed,
                        threads: e.threads(),
                        keep_runs: 0,
                        progress: Some(super::progress::callback(&pb)),
                    },
                )?;
                pb.finish_and_clear();
                Input {
                    label: String::new(),
                    source: Source::File(path),
                    result: ens.result,
                    scenario: Some(Arc::unwrap_or_clone(scenario)),
                }
            }
        });
    }
    let names: Vec<(String, PathBuf)> = inputs
        .iter()
        .map(|i| (i.result.scenario.clone(), i.source.path().to_owned()))
        .collect();
    for (i, label) in inputs.iter_mut().zip(labels(&names)) {
        i.label = label;
    }
    let out = files::build(&inputs)?;
    let dir = e.out_or(|| default_rel(&inputs));
    export::write(&dir, &out.files)?;
    if !args.ensemble.quiet {
        println!("{}", out.text);
        for n in pre_notes.iter().chain(&out.notes) {
            println!("Note: {n}");
        }
        let charts = out
            .files
            .iter()
            .filter(|(p, _)| p.extension().is_some_and(|e| e == "png"))
            .count();
        println!(
            "Wrote {} (report.html, comparison.csv, targets.csv, target_probabilities.csv, parameter_diff.csv, {charts} charts as PNG and SVG in charts/)",
            dir.display()
        );
    }
    Ok(dir)
}

/// `compare_<a>_vs_<b>…` (under output/), shortened to a sensible length.
fn default_rel(inputs: &[Input]) -> PathBuf {
    let parts: Vec<String> = inputs.iter().map(|i| file_stem(&i.label)).collect();
    let mut name = format!("compare_{}", parts.join("_vs_"));
    if name.len() > 80 {
        name.truncate(80);
        name = name.trim_end_matches('_').to_string();
    }
    PathBuf::from(name)
}
