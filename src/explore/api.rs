//! The API's requests and answers: JSON bodies checked for shape here, values checked by
//! the parameter paths exactly as `--set` checks them.

use super::{CHART_METRICS, Explorer, MAX_RUNS};
use crate::error::{RunError, ScenarioError};
use crate::scenario::Scenario;
use crate::scenario::paths::{self, Kind, Override, ParamInfo};
use crate::sim::results::EnsembleResult;
use crate::tune::levers::LEVERS;
use crate::tune::wilson;
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::Arc;

/// A refused request: the HTTP status and a message for the page.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// HTTP status (4xx for the caller's mistakes, 500 for ours).
    pub status: u16,
    /// What is wrong, in the words `--set` would use.
    pub message: String,
}

impl ApiError {
    /// 400 Bad Request with `message`.
    pub fn bad(message: impl Into<String>) -> Self {
        ApiError {
            status: 400,
            message: message.into(),
        }
    }

    /// The JSON body of the answer.
    pub fn body(&self) -> String {
        json!({ "error": self.message }).to_string()
    }
}

impl From<RunError> for ApiError {
    fn from(e: RunError) -> Self {
        let status = match e {
            RunError::Scenario(_) | RunError::Usage(_) | RunError::Input { .. } => 400,
            _ => 500,
        };
        // Problems left after the changes are located in the file, as `--set` shows them.
        let message = match &e {
            RunError::Scenario(s @ ScenarioError::Invalid { .. }) => crate::error::render(s, false),
            _ => e.to_string(),
        };
        ApiError { status, message }
    }
}

/// `POST /api/run`: `{"set": {"PATH": VALUE, ...}, "runs": N, "seed": S}`, all optional.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RunBody {
    #[serde(default)]
    set: BTreeMap<String, Value>,
    runs: Option<u64>,
    seed: Option<u64>,
}

/// `POST /api/save`: `{"name": "NAME", "set": {...}}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SaveBody {
    name: String,
    #[serde(default)]
    set: BTreeMap<String, Value>,
}

fn parse<'a, T: Deserialize<'a>>(body: &'a [u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| ApiError::bad(format!("malformed request: {e}")))
}

/// A checked `/api/run` request, ready to run.
#[derive(Debug, Clone)]
pub struct Job {
    /// The scenario with the changes applied and validated.
    scenario: Arc<Scenario>,
    /// The changes, with canonical paths.
    overrides: Vec<Override>,
    runs: usize,
    seed: u64,
}

impl Explorer {
    /// `set` as `--set` overrides: numbers as JSON writes them, strings as RON text.
    fn overrides(set: &BTreeMap<String, Value>) -> Result<Vec<Override>, ApiError> {
        set.iter()
            .map(|(path, v)| {
                let value = match v {
                    Value::Number(n) => n.to_string(),
                    Value::String(s) => s.trim().to_owned(),
                    _ => {
                        return Err(ApiError::bad(format!(
                            "--set {path}={v}: give a number or the value's text (e.g. \"Uniform(0.1, 0.3)\")"
                        )));
                    }
                };
                Ok(Override {
                    path: path.clone(),
                    value,
                })
            })
            .collect()
    }

    /// The scenario with `set` applied as `--set` applies it (same checks, same
    /// messages), and the overrides with canonical paths.
    fn changed(
        &self,
        set: &BTreeMap<String, Value>,
    ) -> Result<(Scenario, Vec<Override>), ApiError> {
        let overrides = Self::overrides(set)?;
        let s = paths::apply_overrides(
            self.scenario.as_ref().clone(),
            &overrides,
            &self.text,
            &self.file.display().to_string(),
        )?;
        let overrides = overrides
            .into_iter()
            .map(|o| Override {
                path: paths::get(&s, &o.path).map_or(o.path, |i| i.path),
                value: o.value,
            })
            .collect();
        Ok((s, overrides))
    }

    /// `megacluster run FILE --set ...` with `extra` arguments appended.
    fn command(&self, overrides: &[Override], extra: &str) -> String {
        let mut cmd = format!("megacluster run {}", self.file_word());
        for o in overrides {
            cmd.push_str(" --set ");
            cmd.push_str(&paths::shell_word(&format!("{}={}", o.path, o.value)));
        }
        cmd.push_str(extra);
        cmd
    }

    /// Checks an `/api/run` body (shape, runs, every value) without running anything, so
    /// a bad request is answered at once.
    pub fn prepare(&self, body: &[u8]) -> Result<Job, ApiError> {
        let req: RunBody = parse(body)?;
        let runs = match req.runs {
            None => self.runs,
            Some(n) if (1..=MAX_RUNS as u64).contains(&n) => n as usize,
            Some(n) => {
                return Err(ApiError::bad(format!(
                    "runs = {n}: give a whole number from 1 to {MAX_RUNS}"
                )));
            }
        };
        let (scenario, overrides) = self.changed(&req.set)?;
        Ok(Job {
            scenario: Arc::new(scenario),
            overrides,
            runs,
            seed: req.seed.unwrap_or(self.seed),
        })
    }

    /// Runs a checked request: target probabilities with their Wilson intervals, the
    /// chart metrics' bands, and the unchanged scenario's for comparison.
    pub fn execute(&self, job: &Job) -> Result<Value, ApiError> {
        let started = std::time::Instant::now();
        let base = self.baseline(job.runs, job.seed)?;
        let result = if job.overrides.is_empty() {
            base.clone()
        } else {
            Arc::new(self.ensemble(&job.scenario, job.runs, job.seed)?)
        };
        let targets: Vec<Value> = result
            .targets
            .iter()
            .zip(&base.targets)
            .map(|(t, b)| {
                let (lo, hi) = wilson(t.probability, result.runs);
                json!({
                    "name": t.name, "metric": t.metric, "comparison": t.comparison.symbol(),
                    "value": t.value, "year": t.year, "probability": t.probability,
                    "probability_ci95": [lo, hi], "baseline_probability": b.probability,
                })
            })
            .collect();
        let charts: Vec<Value> = CHART_METRICS
            .iter()
            .filter_map(|m| chart(&result, &base, m))
            .collect();
        let extra = format!(" --runs {} --seed {}", job.runs, job.seed);
        Ok(json!({
            "scenario": result.scenario, "runs": result.runs, "seed": result.seed,
            "years": result.years, "targets": targets, "charts": charts,
            "overrides": job.overrides, "command": self.command(&job.overrides, &extra),
            "elapsed_ms": started.elapsed().as_secs_f64() * 1e3,
        }))
    }

    /// `/api/save`: writes the changed scenario as `NAME.ron` under the output folder.
    pub fn save(&self, body: &[u8]) -> Result<Value, ApiError> {
        let req: SaveBody = parse(body)?;
        check_name(&req.name)?;
        let (mut s, overrides) = self.changed(&req.set)?;
        // Its own name, so running the saved file writes output/NAME/, not over the
        // original scenario's folder.
        s.name = req.name.clone();
        let io = |e: std::io::Error| ApiError {
            status: 500,
            message: format!("cannot write into `{}`: {e}", self.out.display()),
        };
        std::fs::create_dir_all(&self.out).map_err(io)?;
        let path = self.out.join(format!("{}.ron", req.name));
        // Written beside and renamed, so a half-written file is never left under the name.
        let mut tmp = tempfile::NamedTempFile::new_in(&self.out).map_err(io)?;
        std::io::Write::write_all(&mut tmp, &crate::output::run_folder::scenario_ron(&s))
            .map_err(io)?;
        tmp.persist(&path).map_err(|e| io(e.error))?;
        let shown = path.display().to_string();
        Ok(json!({
            "path": shown,
            "command": self.command(&overrides, ""),
            "run_saved": format!("megacluster run {}", paths::shell_word(&shown)),
        }))
    }

    /// `/api/params`: every parameter with its path, unit, meaning, allowed range, value
    /// and the bounds of a slider for it; policy levers first, then uncertain
    /// parameters, then the rest.
    pub fn params_json(&self) -> String {
        let mut list: Vec<(u8, Value)> = paths::list(&self.scenario)
            .into_iter()
            .map(|p| {
                let lever = LEVERS.iter().find(|l| l.path == p.path);
                let rank = if lever.is_some() {
                    0
                } else if p.uncertain {
                    1
                } else {
                    2
                };
                let (lo, hi, step) = slider(&p, lever.map(|l| (l.lo, l.hi)));
                let v = json!({
                    "path": p.path, "value": p.value, "unit": p.unit,
                    "description": p.description, "range": [finite(p.range.0), finite(p.range.1)],
                    "kind": kind_name(p.kind), "uncertain": p.uncertain, "lever": lever.is_some(),
                    "start": finite(p.central), "slider": [lo, hi, step],
                });
                (rank, v)
            })
            .collect();
        list.sort_by_key(|(rank, _)| *rank);
        json!({
            "scenario": self.scenario.name, "file": self.file.display().to_string(),
            "runs": self.runs, "seed": self.seed, "max_runs": MAX_RUNS,
            "params": list.into_iter().map(|(_, v)| v).collect::<Vec<_>>(),
        })
        .to_string()
    }
}

/// A saved scenario's name: a plain file name, so the file stays in the output folder.
fn check_name(name: &str) -> Result<(), ApiError> {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_.".contains(c);
    if name.is_empty()
        || name.len() > 64
        || name.starts_with('.')
        || name.contains("..")
        || !name.chars().all(plain)
    {
        return Err(ApiError::bad(format!(
            "cannot save as `{name}`: give a plain name of up to 64 letters, digits, `-`, `_` or `.` (no path separators, no `..`, not starting with `.`)"
        )));
    }
    Ok(())
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::Number => "number",
        Kind::Dist => "dist",
        Kind::Schedule => "schedule",
        Kind::Integer => "integer",
    }
}

/// Slider bounds and step: a lever's studied range, else the allowed range when it is
/// finite and not far wider than the value, else around the value (within the allowed
/// range).
fn slider(p: &ParamInfo, studied: Option<(f64, f64)>) -> (f64, f64, f64) {
    let v = if p.central.is_finite() {
        p.central
    } else {
        0.0
    };
    let (s0, s1) = if p.support.0.is_finite() && p.support.1.is_finite() {
        p.support
    } else {
        (v, v)
    };
    // An allowed range far wider than the value (0..1e6 for a price of 2,000) would
    // make a slider too coarse to use.
    let scale = (s1 - s0).max(v.abs()).max(0.01);
    let (lo, hi) = match studied {
        Some((lo, hi)) => (lo.min(v), hi.max(v)),
        None if p.range.0.is_finite()
            && p.range.1.is_finite()
            && p.range.1 - p.range.0 <= 100.0 * scale =>
        {
            p.range
        }
        None => {
            let span = (s1 - s0).max(v.abs()).max(if v == 0.0 { 1.0 } else { 0.0 });
            (
                (s0.min(v) - span).max(p.range.0),
                (s1.max(v) + span).min(p.range.1),
            )
        }
    };
    let step = if p.kind == Kind::Integer {
        1.0
    } else {
        let raw = (hi - lo) / 200.0;
        if raw > 0.0 {
            10f64.powf(raw.log10().floor())
        } else {
            0.01
        }
    };
    (lo, hi, step)
}

/// One chart metric's bands (p10, p50, p90 by year) now and in the unchanged scenario.
fn chart(r: &EnsembleResult, base: &EnsembleResult, metric: &str) -> Option<Value> {
    let m = r.metric_index(metric)?;
    let b = base.metric_index(metric)?;
    let band = |stats: &[crate::sim::results::YearStats]| {
        json!({
            "p10": stats.iter().map(|s| s.p10).collect::<Vec<_>>(),
            "p50": stats.iter().map(|s| s.p50).collect::<Vec<_>>(),
            "p90": stats.iter().map(|s| s.p90).collect::<Vec<_>>(),
        })
    };
    Some(json!({
        "metric": metric, "unit": r.metrics[m].unit, "description": r.metrics[m].description,
        "now": band(&r.stats[m]), "baseline": band(&base.stats[b]),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_with_separators_or_dots_are_refused() {
        for bad in ["../x", "a/b", "a\\b", "..", ".hidden", "", "a b"] {
            assert_eq!(check_name(bad).unwrap_err().status, 400, "{bad}");
        }
        check_name("tax-credit_0.2").unwrap();
    }
}
