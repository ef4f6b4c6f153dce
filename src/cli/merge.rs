//! `megacluster merge DIR... [--out DIR]`: combine the partial folders written by
//! `megacluster run|sweep|sensitivity|discover|optimize|calibrate --shard K/N` into the folder of the unsharded job,
//! byte for byte the folder the command writes in one go. The kind of job comes from the
//! manifests.

use super::request::{Request, default_out};
use crate::error::RunError;
use crate::output::export::{self, RunFiles};
use crate::output::partial::{self, Kind, Manifest, Spec};
use crate::output::rows::{self, RowFormat};
use crate::output::write;
use crate::scenario::Scenario;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Arguments of `merge`.
#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// Partial folders written by `megacluster run|sweep|sensitivity|discover|optimize|calibrate --shard K/N`, one
    /// per shard, all of the same job.
    #[arg(required = true, num_args = 1..)]
    pub dirs: Vec<PathBuf>,
    /// Output folder (default: output/<scenario name>/merged/ for run, beside the default
    /// shard folders output/<scenario name>/shard-K-of-N/; output/<scenario
    /// name>/sweep/ or .../sensitivity/ for sweep and sensitivity, as in one go).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
    /// File format of the merged runs' rows (shards of `run` only): `csv` (metrics.csv)
    /// or `parquet` (metrics.parquet). Shards always keep CSV.
    #[arg(long, default_value = "csv", value_name = "csv|parquet")]
    pub format: RowFormat,
}

fn input_err(path: &Path, message: impl Into<String>) -> RunError {
    RunError::Input {
        path: path.to_owned(),
        message: message.into(),
    }
}

/// Why `m` (of folder `dir`) cannot be merged with `first`, if it cannot.
fn mismatch(first: &Manifest, first_dir: &Path, m: &Manifest) -> Option<String> {
    let differs = |what: &str, a: String, b: String| {
        Some(format!(
            "its {what} ({b}) differs from that of {} ({a}); only shards of the same job merge",
            first_dir.display()
        ))
    };
    if m.kind != first.kind {
        return Some(format!(
            "it is a shard of `{}`, {} is a shard of `{}`; only shards of the same job merge",
            m.kind.name(),
            first_dir.display(),
            first.kind.name()
        ));
    }
    if m.overrides != first.overrides {
        return differs(
            "overrides",
            format!("{:?}", first.overrides),
            format!("{:?}", m.overrides),
        );
    }
    if m.scenario_hash != first.scenario_hash {
        return differs(
            "scenario hash",
            first.scenario_hash.clone(),
            m.scenario_hash.clone(),
        );
    }
    if m.megacluster != first.megacluster {
        return differs(
            "megacluster version",
            first.megacluster.clone(),
            m.megacluster.clone(),
        );
    }
    if m.seed != first.seed {
        return differs("seed", first.seed.to_string(), m.seed.to_string());
    }
    if m.runs != first.runs {
        return differs("runs", first.runs.to_string(), m.runs.to_string());
    }
    // Generational specs (optimize, calibrate) name the setting that differs.
    if let (Some(a), Some(b)) = (&first.spec, &m.spec)
        && (a.round().is_some() || b.round().is_some())
        && let Some((key, a, b)) = partial::spec_difference(a, b, true)
    {
        return differs(&format!("{} setting `{key}`", m.kind.name()), a, b);
    }
    if m.spec != first.spec {
        let show = |s: &Option<Spec>| serde_json::to_string(s).unwrap_or_default();
        return differs(
            &format!("{} settings", m.kind.name()),
            show(&first.spec),
            show(&m.spec),
        );
    }
    if m.points != first.points {
        return differs(
            "number of design points",
            format!("{:?}", first.points),
            format!("{:?}", m.points),
        );
    }
    if m.keep_runs != first.keep_runs {
        return differs(
            "keep-runs",
            first.keep_runs.to_string(),
            m.keep_runs.to_string(),
        );
    }
    if m.shards != first.shards {
        return differs(
            "number of shards",
            first.shards.to_string(),
            m.shards.to_string(),
        );
    }
    None
}

/// Merges; returns the output folder.
pub fn run(args: &MergeArgs) -> Result<PathBuf, RunError> {
    let manifests = args
        .dirs
        .iter()
        .map(|d| partial::read_manifest(d))
        .collect::<Result<Vec<_>, _>>()?;
    let (first, first_dir) = (&manifests[0], &args.dirs[0]);
    for (m, d) in manifests.iter().zip(&args.dirs).skip(1) {
        if let Some(why) = mismatch(first, first_dir, m) {
            return Err(input_err(d, why));
        }
    }
    let n = first.shards;
    let mut by_shard: Vec<Vec<&PathBuf>> = vec![Vec::new(); n];
    for (m, d) in manifests.iter().zip(&args.dirs) {
        if m.shard >= n {
            return Err(input_err(
                d,
                format!("shard {} of {n} is out of range", m.shard),
            ));
        }
        by_shard[m.shard].push(d);
    }
    let mut problems = Vec::new();
    let missing: Vec<String> = (0..n)
        .filter(|&k| by_shard[k].is_empty())
        .map(|k| k.to_string())
        .collect();
    if !missing.is_empty() {
        problems.push(format!(
            "missing shard(s) {} of {n} (run them with `megacluster {} --shard K/{n}`)",
            missing.join(", "),
            first.kind.name()
        ));
    }
    for (k, dirs) in by_shard.iter().enumerate().filter(|(_, d)| d.len() > 1) {
        problems.push(format!(
            "shard {k} of {n} is given {} times: {}",
            dirs.len(),
            dirs.iter()
                .map(|d| d.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if !problems.is_empty() {
        return Err(RunError::Usage(format!(
            "cannot merge: {}",
            problems.join("; ")
        )));
    }
    let scenario = partial::read_scenario(first_dir)?;
    if partial::scenario_hash(&scenario) != first.scenario_hash {
        return Err(input_err(
            &first_dir.join(partial::SCENARIO),
            "the scenario does not match the manifest's scenario hash",
        ));
    }
    let dir = args.out.clone().unwrap_or_else(|| {
        let folder = match first.kind {
            Kind::Run => "merged",
            k => k.name(),
        };
        default_out(Path::new(&scenario.name).join(folder))
    });
    // Replacing the output folder would delete shards kept inside it.
    if let Ok(out) = dir.canonicalize() {
        for d in &args.dirs {
            if d.canonicalize().is_ok_and(|d| d.starts_with(&out)) {
                return Err(input_err(
                    d,
                    format!(
                        "this shard is inside the output folder {}, which the merge replaces; give --out another folder",
                        dir.display()
                    ),
                ));
            }
        }
    }
    if args.format != RowFormat::Csv && first.kind != Kind::Run {
        return Err(RunError::Usage(format!(
            "--format is for merging shards of `run` (their kept runs' rows); these are shards of `{}`",
            first.kind.name()
        )));
    }
    match (first.kind, &first.spec) {
        (Kind::Run, _) => merge_run(args, &manifests, &scenario, &dir)?,
        (Kind::Sweep, Some(Spec::Sweep(spec))) => {
            let results = merge_points(args, &manifests)?;
            let req = Request::of_shard(scenario, first, dir.clone(), args.quiet);
            super::sweep::merge(&req, spec, results)?;
        }
        (Kind::Sensitivity, Some(Spec::Sensitivity(spec))) => {
            let ys: Vec<f64> = merge_points(args, &manifests)?;
            let req = Request::of_shard(scenario, first, dir.clone(), args.quiet);
            super::sensitivity::merge(&req, spec, &ys)?;
        }
        (Kind::Discover, Some(Spec::Discover(spec))) => {
            let probability: Vec<f64> = merge_points(args, &manifests)?;
            let req = Request::of_shard(scenario, first, dir.clone(), args.quiet);
            super::discover::merge(&req, spec, probability)?;
        }
        (Kind::Optimize, Some(Spec::Optimize(spec))) => {
            let req = Request::of_shard(scenario, first, dir.clone(), args.quiet);
            super::optimize::merge(&req, spec, &args.dirs, &manifests)?;
        }
        (Kind::Calibrate, Some(Spec::Calibrate(spec))) => {
            let req = Request::of_shard(scenario, first, dir.clone(), args.quiet);
            super::calibrate::merge(req, spec, &args.dirs, &manifests)?;
        }
        _ => {
            return Err(input_err(
                &first_dir.join(partial::MANIFEST),
                "the manifest has no settings of its command",
            ));
        }
    }
    if !args.quiet {
        let what = match first.kind {
            Kind::Run => format!("{} runs", first.runs),
            k if first.spec.as_ref().and_then(Spec::round).is_some() => first
                .spec
                .as_ref()
                .and_then(Spec::round)
                .map_or_else(String::new, |r| {
                    format!("generation {} of `{}`", r.generation, k.name())
                }),
            k => format!("the {} ({} points)", k.name(), first.points.unwrap_or(0)),
        };
        println!("Merged {n} shard(s) of {what} into {}", dir.display());
    }
    Ok(dir)
}

/// The per-point results of every shard, in point order, checking that every point of
/// the design is there exactly once.
fn merge_points<T: serde::de::DeserializeOwned>(
    args: &MergeArgs,
    manifests: &[Manifest],
) -> Result<Vec<T>, RunError> {
    let total = manifests[0].points.unwrap_or(0);
    let mut slots: Vec<Option<T>> = (0..total).map(|_| None).collect();
    for (m, d) in manifests.iter().zip(&args.dirs) {
        let want: Vec<usize> = partial::shard_runs(total, m.shard, m.shards).collect();
        if m.covered_points.as_ref() != Some(&want) {
            return Err(input_err(
                d,
                format!(
                    "its manifest's points are not {}",
                    partial::covers_points(total, m.shard, m.shards)
                ),
            ));
        }
        for p in partial::read_points::<T>(d, m)? {
            slots[p.point] = Some(p.result);
        }
    }
    slots
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            r.ok_or_else(|| RunError::Usage(format!("cannot merge: design point {i} is missing")))
        })
        .collect()
}

/// Merges shards of `run`: the aggregates and the kept runs of metrics.csv.
fn merge_run(
    args: &MergeArgs,
    manifests: &[Manifest],
    scenario: &Scenario,
    dir: &Path,
) -> Result<(), RunError> {
    let first = &manifests[0];
    let mut agg = crate::sim::Aggregate::new(scenario);
    let mut by_run: BTreeMap<usize, Vec<u8>> = BTreeMap::new();
    let mut header: Vec<u8> = Vec::new();
    for (m, d) in manifests.iter().zip(&args.dirs) {
        let part = partial::read_aggregate(d)?;
        if part.runs() != m.covered_runs as u64 {
            return Err(input_err(
                d,
                format!(
                    "its aggregate holds {} runs, its manifest says {}",
                    part.runs(),
                    m.covered_runs
                ),
            ));
        }
        agg.merge(&part);
        let path = d.join("metrics.csv");
        let text = std::fs::read(&path).map_err(|e| input_err(&path, e.to_string()))?;
        let mut lines = text.split_inclusive(|&b| b == b'\n');
        header = lines.next().unwrap_or_default().to_vec();
        for line in lines {
            let run = line
                .split(|&b| b == b',')
                .next()
                .and_then(|f| std::str::from_utf8(f).ok())
                .and_then(|f| f.parse::<usize>().ok())
                .ok_or_else(|| input_err(&path, "a row without a run number"))?;
            by_run.entry(run).or_default().extend_from_slice(line);
        }
    }
    let result = agg.result(scenario, first.seed);
    let done = export::write_with(dir, |tmp| {
        match args.format {
            RowFormat::Csv => {
                let mut csv = header;
                for r in by_run.values() {
                    csv.extend_from_slice(r);
                }
                write::put(tmp, &vec![("metrics.csv".into(), csv)])?;
            }
            RowFormat::Parquet => {
                let mut out = rows::create(tmp, dir, RowFormat::Parquet, scenario, first.seed)?;
                for body in by_run.values() {
                    let runs = rows::runs_of_csv(body).map_err(|m| {
                        input_err(&args.dirs[0], format!("a shard's metrics.csv: {m}"))
                    })?;
                    for o in &runs {
                        out.write_run(o)?;
                    }
                }
                out.finish()?;
            }
        }
        Ok(RunFiles {
            scenario,
            overrides: &first.overrides,
            result,
        })
    })?;
    let result = done.result;
    if !args.quiet {
        println!("{}", crate::output::table::render(&result));
    }
    Ok(())
}
