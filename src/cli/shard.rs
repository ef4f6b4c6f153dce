//! `--shard K/N`: run a fixed subset of the work and write a partial result folder (see
//! [`crate::output::partial`]) for `megacluster merge`. `run` takes the run indices r
//! with r % N == K (K in 0..N); `sweep` and `sensitivity` take the design points p with
//! p % N == K, each evaluated exactly as in one go (same seed, same runs).

use super::request::Request;
use super::tune_common::evaluator;
use super::{KeepRuns, RunArgs};
use crate::error::RunError;
use crate::output::partial::{self, Kind, Manifest, PointResult, Spec};
use crate::output::write;
use crate::sim::results::EnsembleResult;
use crate::sim::shard::run_shard;
use crate::tune::ParamRange;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Refuses to merge shards holding `held` points into a design of `design` points.
pub fn check_point_count(held: usize, design: usize) -> Result<(), RunError> {
    if held == design {
        Ok(())
    } else {
        Err(RunError::Usage(format!(
            "cannot merge: the shards hold {held} points, the design has {design}"
        )))
    }
}

/// Parses `K/N` (0-based K in 0..N) or `auto` (from the environment `env`).
pub fn parse_shard(
    spec: &str,
    count: Option<usize>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<(usize, usize), String> {
    let num = |name: &str, s: &str| {
        s.trim()
            .parse::<usize>()
            .map_err(|_| format!("{name} `{s}` is not a whole number"))
    };
    let (k, n) = if spec.trim().eq_ignore_ascii_case("auto") {
        if let (Some(k), Some(n)) = (env("SLURM_ARRAY_TASK_ID"), env("SLURM_ARRAY_TASK_COUNT")) {
            (
                num("SLURM_ARRAY_TASK_ID", &k)?,
                num("SLURM_ARRAY_TASK_COUNT", &n)?,
            )
        } else if let Some(k) = env("JOB_COMPLETION_INDEX") {
            let n = count.ok_or_else(|| {
                "`--shard auto` with JOB_COMPLETION_INDEX needs `--shard-count N`".to_owned()
            })?;
            (num("JOB_COMPLETION_INDEX", &k)?, n)
        } else {
            return Err("`--shard auto` needs SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT (a Slurm array job), or JOB_COMPLETION_INDEX and --shard-count (a Kubernetes Indexed Job)".into());
        }
    } else {
        let (k, n) = spec
            .split_once('/')
            .ok_or_else(|| format!("`--shard {spec}`: give K/N (e.g. 0/4) or auto"))?;
        (num("shard", k)?, num("shard count", n)?)
    };
    if n == 0 || k >= n {
        return Err(format!(
            "shard {k} of {n}: shards are numbered from 0 to N-1 (N at least 1)"
        ));
    }
    Ok((k, n))
}

/// `--shard` and `--shard-count` of `sweep` and `sensitivity`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ShardArgs {
    /// Evaluate only shard K of N (0-based, K in 0..N): the design points p with
    /// p % N == K, written as a partial folder (default
    /// output/<name>/<command>-shard-K-of-N/) for `megacluster merge`, which writes the
    /// folder of the whole design. `auto` reads SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT,
    /// or JOB_COMPLETION_INDEX with --shard-count. A complete partial folder with the same
    /// manifest is skipped.
    #[arg(long, value_name = "K/N|auto")]
    pub shard: Option<String>,
    /// Number of shards for `--shard auto` with JOB_COMPLETION_INDEX (Kubernetes).
    #[arg(long, value_name = "N")]
    pub shard_count: Option<usize>,
}

impl ShardArgs {
    /// The shard (K, N), if sharded.
    pub fn parse(&self) -> Result<Option<(usize, usize)>, RunError> {
        shard_of(self.shard.as_deref(), self.shard_count)
    }
}

/// The shard (K, N) of `--shard` (`spec`) and `--shard-count`, if sharded, `auto` read
/// from this process's environment (`run`, `sweep`, `sensitivity`, `discover`,
/// `optimize` and `calibrate` alike).
pub fn shard_of(
    spec: Option<&str>,
    count: Option<usize>,
) -> Result<Option<(usize, usize)>, RunError> {
    spec.map(|spec| parse_shard(spec, count, &|v| std::env::var(v).ok()))
        .transpose()
        .map_err(RunError::Usage)
}

/// True when `dir` is a complete partial folder of exactly `manifest` (with `data`).
pub fn complete(dir: &Path, manifest: &Manifest, data: &str) -> bool {
    partial::read_manifest(dir).is_ok_and(|m| m == *manifest) && dir.join(data).is_file()
}

/// A design of a sweep or sensitivity analysis, to be evaluated whole or by shard.
pub struct Design<'a> {
    /// Command and its folder name (`sweep`, `sensitivity`).
    pub kind: Kind,
    /// What determines the design, for the manifest.
    pub spec: Spec,
    /// The varied parameters.
    pub params: Vec<ParamRange>,
    /// Parameter values at each point.
    pub points: &'a [Vec<f64>],
}

/// The folder of a sweep or sensitivity analysis under output/<scenario>/: the command's
/// name, or `<command>-shard-K-of-N` for shard K of N.
pub fn folder(kind: Kind, shard: &Result<Option<(usize, usize)>, RunError>) -> String {
    match shard {
        Ok(Some((k, n))) => format!("{}-shard-{k}-of-{n}", kind.name()),
        _ => kind.name().to_owned(),
    }
}

/// Evaluates the points `indices` of a design in order, keeping `keep` of each result.
fn eval_points<T>(
    req: &Request,
    d: &Design,
    indices: &[usize],
    keep: &dyn Fn(EnsembleResult) -> T,
) -> Result<Vec<T>, RunError> {
    let (ev, pb) = evaluator(req, d.params.clone(), indices.len());
    let out = indices
        .iter()
        .map(|&i| ev.eval(&d.points[i]).map(keep))
        .collect::<Result<Vec<_>, _>>()?;
    pb.finish_and_clear();
    Ok(out)
}

/// What evaluating a design gave.
pub enum Evaluated<T> {
    /// Every point's result, in point order (not sharded).
    All(Vec<T>),
    /// A shard's partial folder, written (or found complete).
    Shard(PathBuf),
}

/// Evaluates a design: every point (unsharded), or the points p with p % N == K of
/// shard K of N (`--shard`), written with their results `keep`s as a partial folder
/// (the request's output folder).
pub fn eval_design<T: Serialize>(
    req: &Request,
    shard: Option<(usize, usize)>,
    d: &Design,
    keep: &dyn Fn(EnsembleResult) -> T,
) -> Result<Evaluated<T>, RunError> {
    eval_design_with(req, shard, d, &|indices| eval_points(req, d, indices, keep))
}

/// Evaluates the design points at the indices it is given, returning their results in
/// that order.
pub type EvalPoints<'a, T> = dyn Fn(&[usize]) -> Result<Vec<T>, RunError> + 'a;

/// [`eval_design`] with the points evaluated by `eval`.
pub fn eval_design_with<T: Serialize>(
    req: &Request,
    shard: Option<(usize, usize)>,
    d: &Design,
    eval: &EvalPoints<T>,
) -> Result<Evaluated<T>, RunError> {
    let Some((k, n)) = shard else {
        let all: Vec<usize> = (0..d.points.len()).collect();
        return eval(&all).map(Evaluated::All);
    };
    let (s, runs, seed, dir) = (&req.scenario, req.runs, req.seed, req.out.clone());
    let total = d.points.len();
    let indices: Vec<usize> = partial::shard_runs(total, k, n).collect();
    let manifest = Manifest {
        format: partial::FORMAT,
        kind: d.kind,
        megacluster: env!("CARGO_PKG_VERSION").into(),
        scenario: s.name.clone(),
        scenario_hash: partial::scenario_hash(s),
        overrides: req.overrides.clone(),
        file: req.name.clone(),
        seed,
        runs,
        keep_runs: 0,
        spec: Some(d.spec.clone()),
        points: Some(total),
        shard: k,
        shards: n,
        covers: partial::covers_points(total, k, n),
        covered_runs: 0,
        covered_points: Some(indices.clone()),
    };
    // Resume: a complete folder of the same shard is kept as it is.
    if complete(&dir, &manifest, partial::POINTS) {
        if !req.quiet {
            println!(
                "Shard {k} of {n} is already complete in {}; skipped",
                dir.display()
            );
        }
        return Ok(Evaluated::Shard(dir));
    }
    write::check_target(&dir)?;
    let results = eval(&indices)?;
    let points: Vec<PointResult<T>> = indices
        .iter()
        .zip(results)
        .map(|(&point, result)| PointResult { point, result })
        .collect();
    let bytes = serde_json::to_vec(&points).map_err(|e| RunError::Output {
        path: dir.join(partial::POINTS),
        message: e.to_string(),
    })?;
    partial::write(&dir, s, vec![(partial::POINTS.into(), bytes)], &manifest)?;
    if !req.quiet {
        println!(
            "Wrote shard {k} of {n} of the {} ({} of {total} points: {}) to {}",
            d.kind.name(),
            indices.len(),
            manifest.covers,
            dir.display()
        );
    }
    Ok(Evaluated::Shard(dir))
}

/// Runs one shard; returns its partial folder.
pub fn run(args: &RunArgs) -> Result<PathBuf, RunError> {
    let (k, n) = shard_of(args.shard.as_deref(), args.shard_count)?.unwrap_or((0, 1));
    let req = Request::load(&args.file, &args.ensemble, None, |s| {
        Path::new(&s.name).join(format!("shard-{k}-of-{n}"))
    })?;
    let Request {
        scenario,
        overrides,
        runs,
        seed,
        threads,
        out: dir,
        quiet,
        ..
    } = req;
    let keep_runs = match args.keep_runs {
        KeepRuns::All => runs,
        KeepRuns::First(n) => n.min(runs),
    };
    let indices: Vec<usize> = partial::shard_runs(runs, k, n).collect();
    let manifest = Manifest {
        format: partial::FORMAT,
        kind: Kind::Run,
        megacluster: env!("CARGO_PKG_VERSION").into(),
        scenario: scenario.name.clone(),
        scenario_hash: partial::scenario_hash(&scenario),
        overrides: overrides.clone(),
        file: String::new(),
        seed,
        runs,
        keep_runs,
        spec: None,
        points: None,
        shard: k,
        shards: n,
        covers: partial::covers(runs, k, n),
        covered_runs: indices.len(),
        covered_points: None,
    };
    // Resume: a complete folder of the same shard is kept as it is.
    if complete(&dir, &manifest, partial::AGGREGATE) {
        if !quiet {
            println!(
                "Shard {k} of {n} is already complete in {}; skipped",
                dir.display()
            );
        }
        return Ok(dir);
    }
    write::check_target(&dir)?;
    let pb = super::progress::bar(indices.len(), quiet);
    let ran = run_shard(
        &scenario,
        seed,
        &indices,
        keep_runs,
        threads,
        &*super::progress::callback(&pb),
    )?;
    pb.finish_and_clear();
    partial::write_run_shard(&dir, &scenario, seed, &ran, &manifest)?;
    if !quiet {
        println!(
            "Wrote shard {k} of {n} ({} of {runs} runs: {}) to {}",
            indices.len(),
            manifest.covers,
            dir.display()
        );
    }
    Ok(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_specs() {
        let none = |_: &str| None;
        assert_eq!(parse_shard("1/4", None, &none), Ok((1, 4)));
        assert!(parse_shard("4/4", None, &none).is_err());
        assert!(parse_shard("0/0", None, &none).is_err());
        assert!(parse_shard("auto", None, &none).is_err());
        let slurm = |v: &str| match v {
            "SLURM_ARRAY_TASK_ID" => Some("2".to_owned()),
            "SLURM_ARRAY_TASK_COUNT" => Some("3".to_owned()),
            _ => None,
        };
        assert_eq!(parse_shard("auto", None, &slurm), Ok((2, 3)));
        let k8s = |v: &str| (v == "JOB_COMPLETION_INDEX").then(|| "5".to_owned());
        assert_eq!(parse_shard("auto", Some(7), &k8s), Ok((5, 7)));
        assert!(parse_shard("auto", None, &k8s).is_err());
    }

    #[test]
    fn shards_cover_every_run_once() {
        for n in 1..9 {
            let mut all: Vec<usize> = (0..n).flat_map(|k| partial::shard_runs(5, k, n)).collect();
            all.sort_unstable();
            assert_eq!(all, (0..5).collect::<Vec<_>>());
        }
    }
}
