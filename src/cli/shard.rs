//! `megacluster run FILE --shard K/N`: run a fixed subset of an ensemble's runs (the run
//! indices r with r % N == K, K in 0..N) and write a partial result folder (see
//! [`crate::output::partial`]) for `megacluster merge`.

use super::{KeepRuns, RunArgs};
use crate::error::RunError;
use crate::model::catalog;
use crate::output::csv_out::MetricsCsv;
use crate::output::partial::{self, Manifest};
use crate::output::write;
use crate::scenario::paths;
use crate::sim::{Aggregate, RunOutput, SimulatorPool};
use rayon::prelude::*;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

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

/// Runs one shard; returns its partial folder.
pub fn run(args: &RunArgs) -> Result<PathBuf, RunError> {
    let spec = args.shard.as_deref().unwrap_or("0/1");
    let (k, n) =
        parse_shard(spec, args.shard_count, &|v| std::env::var(v).ok()).map_err(RunError::Usage)?;
    let (scenario, overrides, _) = paths::load_with_overrides(&args.file, &args.set)?;
    let runs = args.runs.map_or(scenario.runs, |r| r as usize);
    let seed = args.seed.unwrap_or(scenario.seed);
    let keep_runs = match args.keep_runs {
        KeepRuns::All => runs,
        KeepRuns::First(n) => n.min(runs),
    };
    let dir = args.out.clone().unwrap_or_else(|| {
        PathBuf::from("output")
            .join(&scenario.name)
            .join(format!("shard-{k}-of-{n}"))
    });
    let indices: Vec<usize> = partial::shard_runs(runs, k, n).collect();
    let manifest = Manifest {
        format: partial::FORMAT,
        megacluster: env!("CARGO_PKG_VERSION").into(),
        scenario: scenario.name.clone(),
        scenario_hash: partial::scenario_hash(&scenario),
        overrides: overrides.clone(),
        seed,
        runs,
        keep_runs,
        shard: k,
        shards: n,
        covers: partial::covers(runs, k, n),
        covered_runs: indices.len(),
    };
    // Resume: a complete folder of the same shard is kept as it is.
    if partial::read_manifest(&dir).is_ok_and(|m| m == manifest)
        && dir.join(partial::AGGREGATE).is_file()
    {
        if !args.quiet {
            println!(
                "Shard {k} of {n} is already complete in {}; skipped",
                dir.display()
            );
        }
        return Ok(dir);
    }
    write::check_target(&dir)?;
    let out_err = |path: PathBuf, e: &dyn std::fmt::Display| RunError::Output {
        path,
        message: e.to_string(),
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.map_or(0, |t| t as usize))
        .build()
        .map_err(|e| RunError::Usage(format!("cannot start the threads: {e}")))?;
    let pb = super::progress::bar(indices.len(), args.quiet);
    let progress = super::progress::callback(&pb);
    let done = AtomicUsize::new(0);
    let kept: Mutex<Vec<RunOutput>> = Mutex::new(Vec::new());
    let template = Aggregate::new(&scenario);
    let shared = std::sync::Arc::new(scenario.clone());
    let sims = SimulatorPool::new(&shared, pool.current_num_threads());
    let agg = pool.install(|| {
        indices
            .par_iter()
            .try_fold(
                || template.clone(),
                |mut agg, &r| {
                    let out = sims.simulate(seed, r)?;
                    agg.add(&out);
                    if r < keep_runs {
                        kept.lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner)
                            .push(out);
                    }
                    progress(done.fetch_add(1, Ordering::Relaxed) + 1);
                    Ok::<Aggregate, RunError>(agg)
                },
            )
            .try_reduce(
                || template.clone(),
                |mut a, b| {
                    a.merge(&b);
                    Ok(a)
                },
            )
    })?;
    pb.finish_and_clear();
    let mut agg = agg;
    agg.flush();
    let mut kept = kept
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    kept.sort_by_key(|o| o.run);
    let years: Vec<i32> = (scenario.start_year..=scenario.end_year).collect();
    let mut csv = MetricsCsv::new(Vec::new(), seed, &years, catalog::metric_names(&scenario))
        .map_err(|e| out_err(dir.join("metrics.csv"), &e))?;
    for o in &kept {
        csv.write_run(o)
            .map_err(|e| out_err(dir.join("metrics.csv"), &e))?;
    }
    let csv = csv
        .finish()
        .map_err(|e| out_err(dir.join("metrics.csv"), &e))?;
    let json =
        |v: serde_json::Result<Vec<u8>>, name: &str| v.map_err(|e| out_err(dir.join(name), &e));
    let tmp = write::begin(&dir)?;
    // The manifest goes last: a folder with it is complete.
    write::put(
        tmp.path(),
        &vec![
            ("metrics.csv".into(), csv),
            (
                partial::AGGREGATE.into(),
                json(serde_json::to_vec(&agg), partial::AGGREGATE)?,
            ),
            (
                partial::SCENARIO.into(),
                crate::output::run_folder::scenario_ron(&scenario),
            ),
        ],
    )?;
    write::put(
        tmp.path(),
        &vec![(
            partial::MANIFEST.into(),
            json(serde_json::to_vec_pretty(&manifest), partial::MANIFEST)?,
        )],
    )?;
    write::commit(tmp, &dir)?;
    if !args.quiet {
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
