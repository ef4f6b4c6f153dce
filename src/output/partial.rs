//! Partial result folders written by `megacluster run|sweep|sensitivity|discover|optimize|calibrate --shard K/N` and
//! read back by `megacluster merge`. Every one holds `manifest.json` (what was run and
//! which runs or design points it covers; written last, so a folder with it is complete)
//! and `scenario.ron` (the scenario as run, after overrides). A `run` shard adds
//! `aggregate.json` (the shard's exact, mergeable [`Aggregate`]) and `metrics.csv` (its
//! kept runs); a `sweep` or `sensitivity` shard adds `points.json` (the result of each
//! design point it covers, by point index).

use super::csv_out::MetricsCsv;
use super::write::out_err;
use crate::error::RunError;
use crate::model::catalog;
use crate::scenario::Scenario;
use crate::scenario::paths::Override;
use crate::sim::Aggregate;
use crate::sim::shard::ShardRuns;
pub use crate::tune::discover::DiscoverSpec;
pub use crate::tune::sensitivity::SensitivitySpec;
pub use crate::tune::sweep::SweepSpec;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Format of partial folders; bumped when their contents change.
pub const FORMAT: u32 = 2;
/// The manifest's file name; written last, so a folder with it is complete.
pub const MANIFEST: &str = "manifest.json";
/// The aggregate's file name.
pub const AGGREGATE: &str = "aggregate.json";
/// The scenario's file name.
pub const SCENARIO: &str = "scenario.ron";
/// The per-point results' file name (sweep and sensitivity shards).
pub const POINTS: &str = "points.json";

/// Which command wrote a partial folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// `megacluster run`: a subset of an ensemble's runs.
    Run,
    /// `megacluster sweep`: a subset of a design's points.
    Sweep,
    /// `megacluster sensitivity`: a subset of a design's points.
    Sensitivity,
    /// `megacluster discover`: a subset of a design's points.
    Discover,
    /// `megacluster optimize`: a share of one generation of the search.
    Optimize,
    /// `megacluster calibrate`: a share of one round of proposals of the calibration.
    Calibrate,
}

impl Kind {
    /// The command's name.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Run => "run",
            Kind::Sweep => "sweep",
            Kind::Sensitivity => "sensitivity",
            Kind::Discover => "discover",
            Kind::Optimize => "optimize",
            Kind::Calibrate => "calibrate",
        }
    }
}

/// The design of a sharded job: what every shard must agree on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Spec {
    /// A sweep.
    Sweep(SweepSpec),
    /// A sensitivity analysis.
    Sensitivity(SensitivitySpec),
    /// A scenario discovery.
    Discover(DiscoverSpec),
    /// A search for cheap lever mixes (NSGA-II).
    Optimize(OptimizeSpec),
    /// A calibration (ABC-SMC).
    Calibrate(CalibrateSpec),
}

/// The round of a generational search (`optimize`, `calibrate`) that shards split: the
/// proposals `first..first + count` of generation `generation`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Round {
    /// Generation (0: the first).
    pub generation: usize,
    /// Index of its first proposal in the generation.
    pub first: usize,
    /// Number of proposals.
    pub count: usize,
}

/// What determines an `optimize` search: its options, canonical (levers and targets as
/// parsed), and where the folder stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OptimizeSpec {
    /// `--lever`s as `PATH=LO..HI`, canonical paths.
    pub levers: Vec<String>,
    /// `--target`s: `NAME` or `NAME:P`.
    pub targets: Vec<String>,
    /// `--cost` as `METRIC@YEAR`.
    pub cost: String,
    /// `--population`.
    pub population: usize,
    /// `--generations`.
    pub generations: usize,
    /// `--thresholds`.
    pub thresholds: Vec<f64>,
    /// The round a shard evaluates a share of; `None` in a folder of whole generations
    /// (merged or written in one go), which `--resume` reads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub round: Option<Round>,
}

/// What determines a `calibrate` run: its options, canonical, and where the folder stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalibrateSpec {
    /// `--observed` as given.
    pub observed: String,
    /// [`hash_bytes`] of the observations file.
    pub observed_hash: String,
    /// [`hash_bytes`] of the scenario file's text (calibrated.ron is spliced into it).
    pub text_hash: String,
    /// Parameters as `PATH=LO..HI`, canonical paths (empty: every distribution in the
    /// file).
    pub params: Vec<String>,
    /// `--particles`.
    pub particles: usize,
    /// `--quantile`.
    pub quantile: f64,
    /// When it stops: `generations N` or `acceptance A`.
    pub stop: String,
    /// `--skip-unknown`.
    pub skip_unknown: bool,
    /// `--predictive-runs`.
    pub predictive_runs: usize,
    /// The round a shard evaluates a share of; `None` in a folder of whole rounds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub round: Option<Round>,
}

impl Spec {
    /// The round a generational shard evaluates a share of.
    pub fn round(&self) -> Option<Round> {
        match self {
            Spec::Optimize(o) => o.round,
            Spec::Calibrate(c) => c.round,
            _ => None,
        }
    }
}

/// The first setting in which `a` and `b` differ: its name and its value in each,
/// leaving out the round when `with_round` is false; `None` when they agree.
pub fn spec_difference(a: &Spec, b: &Spec, with_round: bool) -> Option<(String, String, String)> {
    let fields = |s: &Spec| -> serde_json::Map<String, serde_json::Value> {
        match serde_json::to_value(s) {
            Ok(serde_json::Value::Object(m)) => m
                .into_iter()
                .flat_map(|(kind, v)| match v {
                    serde_json::Value::Object(f) => f.into_iter().collect::<Vec<_>>(),
                    other => vec![(kind, other)],
                })
                .filter(|(k, _)| with_round || k != "round")
                .collect(),
            _ => serde_json::Map::new(),
        }
    };
    let (fa, fb) = (fields(a), fields(b));
    let show =
        |v: Option<&serde_json::Value>| v.map_or_else(|| "none".to_owned(), ToString::to_string);
    fa.keys()
        .chain(fb.keys())
        .find(|k| fa.get(*k) != fb.get(*k))
        .map(|k| (k.clone(), show(fa.get(k)), show(fb.get(k))))
}

/// Why the folder of manifest `folder` cannot be resumed by the command whose manifest
/// would be `mine`: the first setting that differs, named; `None` when it can.
pub fn resume_mismatch(folder: &Manifest, mine: &Manifest) -> Option<String> {
    let differs = |what: &str, here: &dyn std::fmt::Debug, there: &dyn std::fmt::Debug| {
        Some(format!(
            "its {what} ({there:?}) differs from this command's ({here:?}); resume with the settings it was written with"
        ))
    };
    if folder.kind != mine.kind {
        return Some(format!(
            "it was written by `megacluster {}`, not `megacluster {}`",
            folder.kind.name(),
            mine.kind.name()
        ));
    }
    if folder.megacluster != mine.megacluster {
        return differs(
            "megacluster version",
            &mine.megacluster,
            &folder.megacluster,
        );
    }
    if folder.scenario_hash != mine.scenario_hash {
        return Some(format!(
            "its scenario (after --set; hash {}) differs from this command's (hash {}): another scenario file or other --set overrides",
            folder.scenario_hash, mine.scenario_hash
        ));
    }
    if folder.overrides != mine.overrides {
        return differs("--set overrides", &mine.overrides, &folder.overrides);
    }
    if folder.seed != mine.seed {
        return differs("seed", &mine.seed, &folder.seed);
    }
    if folder.runs != mine.runs {
        return differs("runs per ensemble", &mine.runs, &folder.runs);
    }
    match (&mine.spec, &folder.spec) {
        (Some(a), Some(b)) => spec_difference(a, b, false).map(|(k, here, there)| {
            format!(
                "its setting `{k}` is {there}, this command's is {here}; resume with the settings it was written with"
            )
        }),
        _ => Some("its manifest has no settings".into()),
    }
}

/// A stable hash (64-bit FNV-1a, hex) of bytes.
pub fn hash_bytes(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// The result of one design point in `points.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PointResult<T> {
    /// Point index in the design.
    pub point: usize,
    /// Its result.
    pub result: T,
}

/// What a shard ran.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// [`FORMAT`].
    pub format: u32,
    /// The command that wrote it.
    pub kind: Kind,
    /// megacluster version that wrote it.
    pub megacluster: String,
    /// Scenario name.
    pub scenario: String,
    /// [`scenario_hash`] of the scenario after overrides.
    pub scenario_hash: String,
    /// The `--set` overrides.
    pub overrides: Vec<Override>,
    /// Scenario file as named on the command line (sweep and sensitivity record it in
    /// settings.json); not compared when merging.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub file: String,
    /// Ensemble seed (of every ensemble of a sweep or sensitivity analysis).
    pub seed: u64,
    /// Runs of the whole (unsharded) ensemble; for sweep and sensitivity, runs of the
    /// ensemble at each design point.
    pub runs: usize,
    /// Runs kept in `metrics.csv` by the whole ensemble (the first `keep_runs`; run only).
    #[serde(default)]
    pub keep_runs: usize,
    /// The design (sweep and sensitivity).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spec: Option<Spec>,
    /// Points of the whole design (sweep and sensitivity).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<usize>,
    /// This shard, 0-based.
    pub shard: usize,
    /// Number of shards.
    pub shards: usize,
    /// The run indices or point indices covered, in words.
    pub covers: String,
    /// Number of runs covered (run only).
    #[serde(default)]
    pub covered_runs: usize,
    /// The design points covered, in order (sweep and sensitivity).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub covered_points: Option<Vec<usize>>,
}

/// A stable hash (64-bit FNV-1a, hex) of a scenario serialised with serde_json.
pub fn scenario_hash(s: &Scenario) -> String {
    hash_bytes(&serde_json::to_vec(s).unwrap_or_default())
}

/// Run indices of shard `k` of `n` among `runs`: r with r % n == k.
pub fn shard_runs(runs: usize, k: usize, n: usize) -> impl Iterator<Item = usize> {
    (k..runs).step_by(n.max(1))
}

/// `covers` text of shard `k` of `n`.
pub fn covers(runs: usize, k: usize, n: usize) -> String {
    format!("runs r in 0..{runs} with r % {n} == {k}")
}

/// `covers` text of shard `k` of `n` of a design of `points` points.
pub fn covers_points(points: usize, k: usize, n: usize) -> String {
    format!("design points p in 0..{points} with p % {n} == {k}")
}

fn input_err(path: &Path, message: impl Into<String>) -> RunError {
    RunError::Input {
        path: path.to_owned(),
        message: message.into(),
    }
}

/// Reads a partial folder's manifest.
pub fn read_manifest(dir: &Path) -> Result<Manifest, RunError> {
    let path = dir.join(MANIFEST);
    let bytes = std::fs::read(&path).map_err(|e| {
        input_err(
            dir,
            format!("not a complete partial folder written by `megacluster run|sweep|sensitivity|discover|optimize|calibrate --shard` (no {MANIFEST}: {e})"),
        )
    })?;
    let m: Manifest = serde_json::from_slice(&bytes)
        .map_err(|e| input_err(&path, format!("cannot read the manifest: {e}")))?;
    if m.format != FORMAT {
        return Err(input_err(
            &path,
            format!(
                "partial format {} (this megacluster reads {FORMAT})",
                m.format
            ),
        ));
    }
    Ok(m)
}

/// Reads a partial folder's aggregate.
pub fn read_aggregate(dir: &Path) -> Result<Aggregate, RunError> {
    let path = dir.join(AGGREGATE);
    let bytes = std::fs::read(&path).map_err(|e| input_err(&path, e.to_string()))?;
    serde_json::from_slice(&bytes)
        .map_err(|e| input_err(&path, format!("cannot read the aggregate: {e}")))
}

/// Reads a partial folder's scenario.
pub fn read_scenario(dir: &Path) -> Result<Scenario, RunError> {
    let path = dir.join(SCENARIO);
    let text = std::fs::read_to_string(&path).map_err(|e| input_err(&path, e.to_string()))?;
    Ok(crate::scenario::load_str(
        &text,
        &path.display().to_string(),
    )?)
}

/// Reads a sweep or sensitivity shard's per-point results, checking that they are
/// exactly the points its manifest says it covers.
pub fn read_points<T: serde::de::DeserializeOwned>(
    dir: &Path,
    m: &Manifest,
) -> Result<Vec<PointResult<T>>, RunError> {
    let path = dir.join(POINTS);
    let bytes = std::fs::read(&path).map_err(|e| input_err(&path, e.to_string()))?;
    let points: Vec<PointResult<T>> = serde_json::from_slice(&bytes)
        .map_err(|e| input_err(&path, format!("cannot read the point results: {e}")))?;
    let got: Vec<usize> = points.iter().map(|p| p.point).collect();
    if Some(&got) != m.covered_points.as_ref() {
        return Err(input_err(
            &path,
            "its points are not those its manifest says it covers",
        ));
    }
    Ok(points)
}

/// Writes a partial folder atomically: `files`, `scenario.ron`, then the manifest (last:
/// a folder with it is complete).
pub fn write(
    dir: &Path,
    scenario: &Scenario,
    mut files: super::write::Files,
    manifest: &Manifest,
) -> Result<(), RunError> {
    let manifest =
        serde_json::to_vec_pretty(manifest).map_err(|e| out_err(&dir.join(MANIFEST), e))?;
    files.push((SCENARIO.into(), super::run_folder::scenario_ron(scenario)));
    files.push((MANIFEST.into(), manifest));
    super::export::write(dir, &files)
}

/// Writes the partial folder of a shard of `run`: its kept runs as `metrics.csv` and
/// its aggregate, then `scenario.ron` and the manifest.
pub fn write_run_shard(
    dir: &Path,
    scenario: &Scenario,
    seed: u64,
    runs: &ShardRuns,
    manifest: &Manifest,
) -> Result<(), RunError> {
    let metrics = dir.join("metrics.csv");
    let years: Vec<i32> = (scenario.start_year..=scenario.end_year).collect();
    let mut csv = MetricsCsv::new(Vec::new(), seed, &years, catalog::metric_names(scenario))
        .map_err(|e| out_err(&metrics, e))?;
    for o in &runs.kept {
        csv.write_run(o).map_err(|e| out_err(&metrics, e))?;
    }
    let csv = csv.finish().map_err(|e| out_err(&metrics, e))?;
    let aggregate =
        serde_json::to_vec(&runs.aggregate).map_err(|e| out_err(&dir.join(AGGREGATE), e))?;
    write(
        dir,
        scenario,
        vec![("metrics.csv".into(), csv), (AGGREGATE.into(), aggregate)],
        manifest,
    )
}
