//! `--shard` and `--resume` of the generational commands (`optimize`, `calibrate`). Their
//! proposals of generation g depend on the evaluations of generations before g, so they
//! shard one round at a time: `--shard K/N` evaluates the proposals i of the first round
//! not yet done with i % N == K and writes a partial folder; `merge` of the N partials
//! writes a folder of whole rounds, which `--resume` reads to go on (and which, after the
//! last round, is byte for byte the folder of the command run in one go).

use super::request::Request;
use super::shard::shard_of;
use crate::error::RunError;
use crate::output::partial::{self, Kind, Manifest, Round, Spec};
use std::path::{Path, PathBuf};

/// `--shard`, `--shard-count` and `--resume` of `optimize` and `calibrate`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct GenArgs {
    /// Evaluate only shard K of N (0-based) of the first round not yet done (from the
    /// start, or from --resume DIR): its proposals i with i % N == K, written as a
    /// partial folder (default output/<name>/<command>-shard-K-of-N/) for `megacluster
    /// merge`, whose folder the next round resumes. `auto` reads
    /// SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT, or JOB_COMPLETION_INDEX with
    /// --shard-count.
    #[arg(long, value_name = "K/N|auto")]
    pub shard: Option<String>,
    /// Number of shards for `--shard auto` with JOB_COMPLETION_INDEX (Kubernetes).
    #[arg(long, value_name = "N")]
    pub shard_count: Option<usize>,
    /// Go on from a folder this command wrote with the same settings (merged by
    /// `megacluster merge`, or complete): its evaluations are read back, not rerun.
    #[arg(long, value_name = "DIR")]
    pub resume: Option<PathBuf>,
}

impl GenArgs {
    /// The shard (K, N), if sharded.
    pub fn shard(&self) -> Result<Option<(usize, usize)>, RunError> {
        shard_of(self.shard.as_deref(), self.shard_count)
    }
}

fn input_err(path: &Path, message: impl Into<String>) -> RunError {
    RunError::Input {
        path: path.to_owned(),
        message: message.into(),
    }
}

/// The manifest of a folder of `kind` for `req`: a partial of shard (K, N) of the round
/// in `spec` (covering that round's proposals i with i % N == K), or (no shard) a folder of
/// whole rounds.
pub fn manifest(req: &Request, kind: Kind, spec: Spec, shard: Option<(usize, usize)>) -> Manifest {
    let (k, n) = shard.unwrap_or((0, 1));
    let round = spec.round();
    let covers = match round {
        Some(r) => format!(
            "proposals {}..{} of generation {} with i % {n} == {k}",
            r.first,
            r.first + r.count,
            r.generation
        ),
        None => "whole rounds".into(),
    };
    Manifest {
        format: partial::FORMAT,
        kind,
        megacluster: env!("CARGO_PKG_VERSION").into(),
        scenario: req.scenario.name.clone(),
        scenario_hash: partial::scenario_hash(&req.scenario),
        overrides: req.overrides.clone(),
        file: req.name.clone(),
        seed: req.seed,
        runs: req.runs,
        keep_runs: 0,
        spec: Some(spec),
        points: None,
        shard: k,
        shards: n,
        covers,
        covered_runs: 0,
        covered_points: shard.map(|_| round.map_or_else(Vec::new, |r| share(r, k, n))),
    }
}

/// A manifest as pretty JSON.
pub fn json_bytes(m: &Manifest) -> Vec<u8> {
    serde_json::to_vec_pretty(m).unwrap_or_default()
}

/// Checks that `dir` is a folder of whole rounds that the command of manifest `mine`
/// can go on from.
pub fn check_resume(dir: &Path, mine: &Manifest) -> Result<(), RunError> {
    let cmd = mine.kind.name();
    if !dir.is_dir() {
        return Err(input_err(
            dir,
            format!(
                "--resume: no such folder (give a folder written by `megacluster {cmd}` or merged by `megacluster merge`)"
            ),
        ));
    }
    let m = partial::read_manifest(dir).map_err(|e| {
        input_err(
            dir,
            format!(
                "--resume: not a folder written by `megacluster {cmd}` or `megacluster merge` ({e})"
            ),
        )
    })?;
    if let Some(r) = m.spec.as_ref().and_then(Spec::round) {
        return Err(input_err(
            dir,
            format!(
                "--resume: it is the partial folder of shard {} of {} of generation {}; merge the shards with `megacluster merge` and resume from the merged folder",
                m.shard, m.shards, r.generation
            ),
        ));
    }
    match partial::resume_mismatch(&m, mine) {
        Some(why) => Err(input_err(dir, format!("--resume: {why}"))),
        None => Ok(()),
    }
}

/// The round the partials of `manifests` (already checked to be of one job) evaluate,
/// checking that each covers its share of it.
pub fn round_of(dirs: &[PathBuf], manifests: &[Manifest]) -> Result<Round, RunError> {
    let round = manifests[0].spec.as_ref().and_then(Spec::round).ok_or_else(|| {
        input_err(
            &dirs[0],
            "it is a folder of whole rounds, not a partial folder of `--shard`; merge the partial folders of one round",
        )
    })?;
    for (m, d) in manifests.iter().zip(dirs) {
        let want: Vec<usize> = partial::shard_runs(round.count, m.shard, m.shards)
            .map(|i| round.first + i)
            .collect();
        if m.covered_points.as_ref() != Some(&want) {
            return Err(input_err(
                d,
                format!("its manifest does not cover {}", m.covers),
            ));
        }
    }
    Ok(round)
}

/// The proposals of `round` that shard (K, N) evaluates.
pub fn share(round: Round, k: usize, n: usize) -> Vec<usize> {
    partial::shard_runs(round.count, k, n)
        .map(|i| round.first + i)
        .collect()
}

/// Whether shard (K, N) of generation `g` is already complete in `req.out` (a partial
/// folder of exactly `manifest`, with `data`), said unless quiet: a resubmitted task is
/// skipped.
pub fn already_done(
    req: &Request,
    manifest: &Manifest,
    data: &str,
    (k, n): (usize, usize),
    g: usize,
) -> bool {
    let done = super::shard::complete(&req.out, manifest, data);
    if done && !req.quiet {
        println!(
            "Shard {k} of {n} of generation {g} is already complete in {}; skipped",
            req.out.display()
        );
    }
    done
}

/// Says that a sharded round has nothing left to do (the search is complete).
pub fn nothing_left(dir: Option<&Path>, quiet: bool) -> Result<PathBuf, RunError> {
    let dir = dir.unwrap_or(Path::new("."));
    if !quiet {
        println!(
            "{} is complete: no round is left to shard; nothing written",
            dir.display()
        );
    }
    Ok(dir.to_owned())
}

/// A row of a state file read by [`read_rows`]; a cell that does not parse is an error
/// naming the file and the row.
pub struct Row<'a> {
    path: &'a Path,
    line: usize,
    what: &'a str,
    rec: csv::StringRecord,
}

impl Row<'_> {
    fn bad(&self) -> RunError {
        input_err(self.path, format!("row {} is not {}", self.line, self.what))
    }

    /// Cell `i` as text.
    pub fn cell(&self, i: usize) -> Result<&str, RunError> {
        self.rec.get(i).ok_or_else(|| self.bad())
    }

    /// Cell `i` as a number (written in Rust's shortest exact form, so it reads back bit
    /// for bit).
    pub fn num(&self, i: usize) -> Result<f64, RunError> {
        self.cell(i)?.parse().map_err(|_| self.bad())
    }

    /// Cell `i` as a whole number.
    pub fn whole(&self, i: usize) -> Result<usize, RunError> {
        self.cell(i)?.parse().map_err(|_| self.bad())
    }
}

/// The rows of the CSV state file `path` (`evaluations.csv` and the like), whose header
/// must be `head` (else the error says `columns`); `what` names a row in errors ("a
/// candidate's numbers").
pub fn read_rows<'a>(
    path: &'a Path,
    head: &[&str],
    columns: &str,
    what: &'a str,
) -> Result<Vec<Row<'a>>, RunError> {
    let err = |m: String| input_err(path, m);
    let mut r = csv::Reader::from_path(path).map_err(|e| err(format!("cannot read it: {e}")))?;
    let got = r.headers().map_err(|e| err(e.to_string()))?;
    if !got.iter().eq(head.iter().copied()) {
        return Err(err(format!("its columns are not {columns}")));
    }
    r.records()
        .enumerate()
        .map(|(i, rec)| {
            Ok(Row {
                path,
                line: i + 2,
                what,
                rec: rec.map_err(|e| err(e.to_string()))?,
            })
        })
        .collect()
}
