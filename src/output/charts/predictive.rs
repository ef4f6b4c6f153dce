//! The predictive check of a calibration as small multiples: one panel per observation,
//! the prior predictive 10–90 % band and median beside the posterior's, with what was
//! observed marked across both (a line for a value, a shaded band for a range). Each
//! panel has its own scale, in the observation's unit (a growth in % points).

use super::axes::{Frame, Ticks};
use super::format::ValueFormat;
use super::frame::fit;
use super::frame::{self, LegendItem, Swatch};
use super::{Chart, ChartError, font};
use crate::sim::hindcast::{Hindcast, Score};
use crate::sim::observed::{Kind, Observation};
use plotters::coord::Shift;
use plotters::prelude::*;

/// Panels per row.
const COLUMNS: usize = 4;
/// Height of a row of panels, in pixels.
const ROW_PX: u32 = 250;
/// Height of the title, subtitle and legend, in pixels.
const HEAD_PX: u32 = 130;

/// The prior and posterior predictive against every observation both score.
#[derive(Debug, Clone)]
pub struct PredictiveChart<'a> {
    /// File name without extension.
    pub stem: String,
    /// Title.
    pub title: String,
    /// Subtitle (scenario, runs).
    pub subtitle: String,
    /// Before the fit.
    pub prior: &'a Hindcast,
    /// After the fit (the same observations).
    pub posterior: &'a Hindcast,
}

impl<'a> PredictiveChart<'a> {
    fn panels(&self) -> Vec<(&'a Observation, &'a Score, &'a Score)> {
        scored(self.prior, self.posterior)
    }
}

/// The observations both hindcasts (of the same observations) score, with their two
/// scores.
pub fn scored<'a>(
    prior: &'a Hindcast,
    posterior: &'a Hindcast,
) -> Vec<(&'a Observation, &'a Score, &'a Score)> {
    prior
        .rows
        .iter()
        .zip(&posterior.rows)
        .filter_map(|(a, b)| match (&a.outcome, &b.outcome) {
            (Ok(x), Ok(y)) => Some((&a.observation, x, y)),
            _ => None,
        })
        .collect()
}

fn panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    o: &Observation,
    before: &Score,
    after: &Score,
) -> Result<(), ChartError> {
    let (w, _) = area.dim_in_pixel();
    let title = font::bold(font::LABEL_PX);
    area.draw_text(&fit(&o.label(), &title, w as i32 - 24), &title, (12, 6))?;
    let area = area.split_vertically(font::LABEL_PX as i32 + 12).1;
    let (lo, hi) = o.observed.interval();
    let (unit, fmt) = match o.kind {
        Kind::Level => (o.unit.clone(), ValueFormat::for_metric(&o.metric, &o.unit)),
        Kind::Growth { .. } => ("% growth".to_string(), ValueFormat::Plain),
    };
    let values = [before, after]
        .into_iter()
        .flat_map(|s| [s.p10, s.p50, s.p90])
        .chain([lo, hi]);
    let y = frame::value_range(values, false);
    let mut chart = Frame {
        x: (0.0, 2.0),
        y,
        x_ticks: Ticks::At(vec![(0.5, "prior".into()), (1.5, "posterior".into())]),
        y_ticks: Ticks::Round(4, &|v| fmt.format(v)),
        x_desc: "",
        y_desc: &unit,
        label_px: font::NOTE_PX,
        right: 12,
        y_area: None,
    }
    .build(&area)?;
    let verm = frame::colour(5);
    let marked = lo.is_finite() && hi.is_finite();
    // A range goes under the bands, a value over them.
    if marked && hi > lo {
        chart.draw_series(std::iter::once(Rectangle::new(
            [(0.0, lo), (2.0, hi)],
            verm.mix(0.18).filled(),
        )))?;
    }
    for (x, s, c) in [
        (0.5, before, frame::colour(6)),
        (1.5, after, frame::colour(0)),
    ] {
        chart.draw_series(std::iter::once(Rectangle::new(
            [(x - 0.3, s.p10), (x + 0.3, s.p90)],
            c.mix(0.35).filled(),
        )))?;
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(x - 0.3, s.p50), (x + 0.3, s.p50)],
            c.stroke_width(4),
        )))?;
    }
    if marked && hi <= lo {
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(0.0, lo), (2.0, lo)],
            verm.stroke_width(3),
        )))?;
    }
    Ok(())
}

impl Chart for PredictiveChart<'_> {
    fn stem(&self) -> String {
        self.stem.clone()
    }

    fn size(&self) -> (u32, u32) {
        let rows = self.panels().len().div_ceil(COLUMNS).max(1) as u32;
        (1600, HEAD_PX + rows * ROW_PX)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let area = frame::title_block(root, &self.title, &self.subtitle)?;
        let legend = [
            LegendItem::new(
                Swatch::Band(frame::colour(6), 0.35),
                "prior predictive: 10–90 % of runs, median",
            ),
            LegendItem::new(
                Swatch::Band(frame::colour(0), 0.35),
                "posterior predictive: 10–90 % of runs, median",
            ),
            LegendItem::new(Swatch::Line(frame::colour(5)), "observed value"),
            LegendItem::new(Swatch::Band(frame::colour(5), 0.18), "observed range"),
        ];
        let area = frame::legend_rows(&area, &legend, 24)?;
        let panels = self.panels();
        if panels.is_empty() {
            return frame::no_data(&area, "No observation is modelled");
        }
        let rows = panels.len().div_ceil(COLUMNS);
        let cells = area.split_evenly((rows, COLUMNS));
        for ((o, a, b), cell) in panels.iter().zip(&cells) {
            panel(cell, o, a, b)?;
        }
        Ok(())
    }
}

/// The chart of a calibration's predictive check, `calibrate_predictive`.
pub fn chart<'a>(
    scenario: &str,
    prior: &'a Hindcast,
    posterior: &'a Hindcast,
) -> PredictiveChart<'a> {
    PredictiveChart {
        stem: "calibrate_predictive".into(),
        title: "Prior and posterior predictive against the observations".into(),
        subtitle: format!(
            "Scenario '{scenario}' · {} runs each, one parameter draw per run (the prior box, or a posterior particle by weight), the same seeds",
            prior.runs
        ),
        prior,
        posterior,
    }
}
