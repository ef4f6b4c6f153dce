//! The folder of `megacluster levers`: `levers.csv` (each lever's own outcome),
//! `effects.csv` (every outcome it moves), the README's table `levers.md`,
//! `settings.json` and the bar chart.

use super::charts::bars::{Bar, BarChart, BarRow};
use super::charts::format::ValueFormat;
use super::charts::xy::{LegendItem, Swatch, colour};
use super::export::{Export, Folder, put_charts, settings_json};
use crate::error::RunError;
use crate::sim::Request;
use crate::tune::levers::{LeverResult, MIN_EFFECT};
use crate::tune::precise;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The levers' folder.
pub struct LeversFolder<'a> {
    /// The request the levers were run with.
    pub req: &'a Request,
    /// Every lever at both ends of its range.
    pub rows: &'a [LeverResult],
}

impl Export for LeversFolder<'_> {
    fn write_into(&self, tmp: &Path, dir: &Path) -> Result<(), RunError> {
        let (req, rows) = (self.req, self.rows);
        let (s, runs) = (&req.scenario, req.runs);
        let mut w = csv::Writer::from_writer(Vec::new());
        let _ = w.write_record([
            "lever", "lo", "hi", "outcome", "sign", "at_lo", "at_hi", "change", "acts",
        ]);
        let mut all = csv::Writer::from_writer(Vec::new());
        let _ = all.write_record(["lever", "outcome", "at_lo", "at_hi", "change"]);
        for r in rows {
            let _ = w.write_record([
                r.lever.path.to_owned(),
                r.lever.lo.to_string(),
                r.lever.hi.to_string(),
                r.own.outcome.clone(),
                r.lever.sign.to_string(),
                r.own.at_lo.to_string(),
                r.own.at_hi.to_string(),
                r.own.change().to_string(),
                r.acts().to_string(),
            ]);
            for e in &r.all {
                let _ = all.write_record([
                    r.lever.path.to_owned(),
                    e.outcome.clone(),
                    e.at_lo.to_string(),
                    e.at_hi.to_string(),
                    e.change().to_string(),
                ]);
            }
        }
        let md = markdown(rows);
        let chart = BarChart {
            stem: "levers".into(),
            title: "What each lever moves: its outcome between the ends of its range".into(),
            subtitle: format!(
                "Scenario '{}' · mean of {runs} runs at each end, same seed · change = (high − low) / max(|low|, |high|)",
                s.name
            ),
            x_desc: "Relative change of the lever's outcome from the low to the high end".into(),
            x_fmt: ValueFormat::Share,
            rows: rows
                .iter()
                .map(|r| BarRow {
                    label: format!(
                        "{} [{}..{}] → {}",
                        r.lever.path.trim_start_matches("policy."),
                        precise(r.lever.lo),
                        precise(r.lever.hi),
                        r.own.outcome
                    ),
                    bars: vec![Bar {
                        from: 0.0,
                        to: r.own.change(),
                        colour: colour(if r.acts() { 0 } else { 3 }),
                        ci: None,
                        note: pct(r.own.change()),
                    }],
                })
                .collect(),
            vline: Some((0.0, String::new())),
            overlay: true,
            legend: vec![
                LegendItem::new(
                    Swatch::Band(colour(0), 0.85),
                    "moves its outcome by 2 % or more in its direction",
                ),
                LegendItem::new(Swatch::Band(colour(3), 0.85), "inert or the wrong way"),
            ],
        };
        let ev = req.evaluator(Vec::new());
        let files = vec![
            (
                PathBuf::from("levers.csv"),
                w.into_inner().unwrap_or_default(),
            ),
            (
                PathBuf::from("effects.csv"),
                all.into_inner().unwrap_or_default(),
            ),
            (PathBuf::from("levers.md"), md.into_bytes()),
            (
                PathBuf::from("settings.json"),
                settings_json(
                    "levers",
                    req,
                    &ev,
                    serde_json::json!({"min_effect": MIN_EFFECT}),
                ),
            ),
        ];
        Folder {
            files: &files,
            charts: &|charts| put_charts(std::slice::from_ref(&chart), charts),
        }
        .write_into(tmp, dir)
    }
}

/// A relative change as a signed percentage.
pub fn pct(x: f64) -> String {
    format!("{:+.1} %", 100.0 * x)
}

/// The README's table: lever, range, outcome, the two values, the change, the largest
/// other change and the mechanism.
pub fn markdown(rows: &[LeverResult]) -> String {
    let mut out = String::from(
        "| Lever | Range | Outcome | At low end | At high end | Change | Largest change elsewhere | Why |\n|---|---|---|---|---|---|---|---|\n",
    );
    for r in rows {
        let other = r
            .all
            .iter()
            .find(|e| e.outcome != r.own.outcome)
            .map_or(String::new(), |e| {
                format!("{} {}", e.outcome, pct(e.change()))
            });
        let _ = writeln!(
            out,
            "| `{}` | {} – {} | {} | {} | {} | {}{} | {} | {} |",
            r.lever.path.trim_start_matches("policy."),
            precise(r.lever.lo),
            precise(r.lever.hi),
            r.own.outcome,
            precise(r.own.at_lo),
            precise(r.own.at_hi),
            pct(r.own.change()),
            if r.acts() { "" } else { " (inert)" },
            other,
            r.lever.why
        );
    }
    out
}
