//! The folder of `megacluster search`: `search.csv` (every probe), `result.txt`,
//! `settings.json` and the probability curve.

use super::charts::format::ValueFormat;
use super::charts::xy::{Interval, LegendItem, Swatch, XyChart, XyPoint, XySeries, colour};
use super::export::{Export, Folder, put_charts, settings_json};
use crate::error::RunError;
use crate::numbers::probability as pct;
use crate::sim::Request;
use crate::tune::search::{Found, SearchResult};
use crate::tune::{Evaluator, ParamRange, precise};
use std::path::Path;

/// A finished search and what it looked for.
pub struct SearchFolder<'a> {
    /// The request searched.
    pub req: &'a Request,
    /// The evaluator it ran with.
    pub ev: &'a Evaluator<'a>,
    /// The lever and its range.
    pub lever: &'a ParamRange,
    /// The target's name.
    pub target: &'a str,
    /// The probability the target must reach.
    pub probability: f64,
    /// The bracket width the bisection stopped at.
    pub tolerance: f64,
    /// The probes and the answer.
    pub res: &'a SearchResult,
}

impl SearchFolder<'_> {
    /// The answer for people (`result.txt`, and what the command prints).
    pub fn message(&self) -> String {
        let (res, lever, ev, tname) = (self.res, self.lever, self.ev, self.target);
        let probe_at = |x: f64| res.probes.iter().find(|p| p.x == x).copied();
        match &res.found {
            Found::At { value, below } => {
                let at = probe_at(*value);
                let mut m = format!(
                    "Lowest {} meeting P({tname}) >= {}: {}",
                    lever.path,
                    pct(self.probability),
                    precise(*value)
                );
                if let Some(p) = at {
                    m.push_str(&format!(
                        " (P = {}, 95 % interval {}..{} over {} runs)",
                        pct(p.p),
                        pct(p.ci.0),
                        pct(p.ci.1),
                        ev.runs
                    ));
                }
                match below.and_then(probe_at) {
                    Some(b) => m.push_str(&format!(
                        "\n  the answer lies between {} (P = {}, 95 % {}..{}) and {}",
                        precise(b.x),
                        pct(b.p),
                        pct(b.ci.0),
                        pct(b.ci.1),
                        precise(*value)
                    )),
                    None => m.push_str("\n  already met at the low end of the range"),
                }
                if at.is_some_and(|p| p.ci.0 < self.probability) {
                    m.push_str(&format!(
                        "\n  note: the interval at {} still includes probabilities below {}; use more --runs for a firmer answer",
                        precise(*value),
                        pct(self.probability)
                    ));
                }
                m
            }
            Found::NoneInRange => {
                let top = probe_at(lever.hi);
                format!(
                    "No value of {} in {}..{} meets P({tname}) >= {}: at {} P = {}",
                    lever.path,
                    precise(lever.lo),
                    precise(lever.hi),
                    pct(self.probability),
                    precise(lever.hi),
                    top.map_or(String::new(), |p| pct(p.p))
                )
            }
        }
    }
}

impl Export for SearchFolder<'_> {
    fn write_into(&self, tmp: &Path, dir: &Path) -> Result<(), RunError> {
        let (res, lever, ev, tname, req) = (self.res, self.lever, self.ev, self.target, self.req);
        let (s, tol, message) = (&req.scenario, self.tolerance, self.message());
        let mut w = csv::Writer::from_writer(Vec::new());
        let _ = w.write_record([lever.path.as_str(), "probability", "lo95", "hi95"]);
        for p in &res.probes {
            let _ = w.write_record([
                p.x.to_string(),
                p.p.to_string(),
                p.ci.0.to_string(),
                p.ci.1.to_string(),
            ]);
        }
        let found_json = match &res.found {
            Found::At { value, below } => serde_json::json!({"value": value, "below": below}),
            Found::NoneInRange => serde_json::json!("none in range"),
        };
        let files = vec![
            ("search.csv".into(), w.into_inner().unwrap_or_default()),
            (
                "settings.json".into(),
                settings_json(
                    "search",
                    req,
                    ev,
                    serde_json::json!({
                        "target": tname, "probability": self.probability, "tolerance": tol, "found": found_json,
                    }),
                ),
            ),
            ("result.txt".into(), format!("{message}\n").into_bytes()),
        ];
        let mut vlines = Vec::new();
        if let Found::At { value, .. } = res.found {
            vlines.push((value, format!("found: {}", precise(value))));
        }
        let chart = XyChart {
            stem: "search_curve".into(),
            title: format!(
                "P({}) against {}",
                s.targets
                    .iter()
                    .find(|t| t.name == tname)
                    .map_or_else(|| tname.to_string(), super::charts::format::target_by_year),
                lever.path
            ),
            subtitle: format!(
                "Scenario '{}' · bisection, {} runs per point, same seed · whiskers: 95 % interval",
                s.name, ev.runs
            ),
            x_desc: lever.label(),
            y_desc: "Probability of meeting the target".into(),
            y_fmt: ValueFormat::Share,
            series: vec![XySeries {
                label: "explored points".into(),
                colour: colour(0),
                points: res
                    .probes
                    .iter()
                    .map(|p| XyPoint::with(p.x, p.p, p.ci.0, p.ci.1))
                    .collect(),
                line: true,
                interval: Interval::Whisker,
                point_labels: Vec::new(),
            }],
            hlines: vec![(
                self.probability,
                format!("required: {}", pct(self.probability)),
            )],
            vlines,
            y_range: Some((0.0, 1.04)),
            notes: vec![LegendItem::new(
                Swatch::Dashed(crate::output::charts::xy::colour(5)),
                "lowest value found",
            )],
            x_int: lever.integer,
        };
        Folder {
            files: &files,
            charts: &|d| put_charts(std::slice::from_ref(&chart), d),
        }
        .write_into(tmp, dir)
    }
}
