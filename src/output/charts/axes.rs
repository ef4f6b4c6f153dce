//! Chart frames on plotters' own mesh: grid, axes, tick marks, tick labels and axis
//! descriptions come from `configure_mesh`, the ticks from key points (plotters' own
//! round values, whole years, or given positions such as categories) and the labels
//! from label formatters. Text goes through [`super::backend`].

use super::backend::text_width;
use super::format::{self, ValueFormat};
use super::frame::{self, GRID};
use super::{ChartError, font};
use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::types::{RangedCoordf64, RangedCoordi32};
use plotters::prelude::*;
use std::ops::Range;

/// An f64 axis whose key points (ticks and grid lines) are given. plotters'
/// `WithKeyPoints` would do, but it loses the f64 axis's label formatting and with it
/// `configure_mesh`.
pub struct Axis {
    inner: RangedCoordf64,
    keys: Vec<f64>,
}

impl Ranged for Axis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn range(&self) -> Range<f64> {
        self.inner.range()
    }

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.inner.map(value, limit)
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.keys.clone()
        }
    }
}

/// A 2-D chart context with f64 axes.
pub type Ctx<'a, DB> = ChartContext<'a, DB, Cartesian2d<Axis, Axis>>;

const AXIS: RGBColor = RGBColor(120, 120, 120);

/// Where an axis has its ticks and what they read.
pub enum Ticks<'f> {
    /// Round values chosen by plotters (at most this many), each labelled by the formatter.
    Round(usize, &'f dyn Fn(f64) -> String),
    /// Whole years (every 1, 2, 5, 10, ... years as plotters picks them), at most this many.
    Years(usize),
    /// Given positions with their labels (categories, grid cells, log decades).
    At(Vec<(f64, String)>),
}

impl Ticks<'_> {
    /// Tick positions inside `lo..=hi` with their labels.
    fn resolve(&self, (lo, hi): (f64, f64)) -> Vec<(f64, String)> {
        let inside = |v: f64| v >= lo - 1e-9 * (hi - lo) && v <= hi + 1e-9 * (hi - lo);
        let all: Vec<(f64, String)> = match self {
            Ticks::Round(n, fmt) => RangedCoordf64::from(lo..hi)
                .key_points(*n)
                .into_iter()
                .map(|v| (v, fmt(v)))
                .collect(),
            Ticks::Years(n) => RangedCoordi32::from(lo.ceil() as i32..hi.floor() as i32)
                .key_points(*n)
                .into_iter()
                .map(|y| (f64::from(y), format::year(f64::from(y))))
                .collect(),
            Ticks::At(t) => t.clone(),
        };
        all.into_iter().filter(|t| inside(t.0)).collect()
    }
}

/// The label of the tick at `v` (its key point), empty for any other value.
fn label_of(ticks: &[(f64, String)], v: f64) -> String {
    ticks
        .iter()
        .find(|t| t.0 == v)
        .map(|t| t.1.clone())
        .unwrap_or_default()
}

/// Height in pixels under the x axis: tick labels of `label_px`, and the axis
/// description if `desc`.
pub fn x_label_area(label_px: f64, desc: bool) -> i32 {
    let desc_h = if desc {
        font::AXIS_DESC_PX as i32 - 2
    } else {
        0
    };
    label_px as i32 + 16 + desc_h
}

/// A chart frame: ranges, ticks, axis descriptions and margins.
pub struct Frame<'s> {
    /// x range.
    pub x: (f64, f64),
    /// y range.
    pub y: (f64, f64),
    /// x ticks.
    pub x_ticks: Ticks<'s>,
    /// y ticks.
    pub y_ticks: Ticks<'s>,
    /// x axis description (with unit); empty for none.
    pub x_desc: &'s str,
    /// y axis description (with unit); empty for none.
    pub y_desc: &'s str,
    /// Tick label size in pixels.
    pub label_px: f64,
    /// Right margin in pixels.
    pub right: u32,
    /// Fixed width of the y label area, instead of fitting the labels.
    pub y_area: Option<u32>,
}

/// Left margin of a frame, pixels.
const MARGIN_LEFT: u32 = 12;

impl Frame<'_> {
    /// Width of the y label area in pixels: fixed, or the widest y tick label plus the
    /// axis description's room.
    fn y_label_area(&self, yt: &[(f64, String)]) -> i32 {
        let desc_gap = if self.y_desc.is_empty() {
            0
        } else {
            font::AXIS_DESC_PX as i32 + 16
        };
        let tick_style = font::text(self.label_px);
        let widest = yt.iter().map(|t| text_width(&t.1, &tick_style)).max();
        self.y_area
            .map(|w| w as i32)
            .unwrap_or(widest.unwrap_or(0) + 14 + desc_gap)
    }

    /// Width in pixels of the plotting area that [`build`](Self::build) lays out in an
    /// area `width` pixels wide (what is left after the margins and the y labels).
    pub fn plot_width(&self, width: u32) -> i32 {
        let yt = self.y_ticks.resolve(self.y);
        width as i32 - MARGIN_LEFT as i32 - self.right as i32 - self.y_label_area(&yt)
    }

    /// Builds the chart on `area` and draws its mesh, axes, ticks and descriptions.
    pub fn build<'a, DB: DrawingBackend>(
        &self,
        area: &'a DrawingArea<DB, Shift>,
    ) -> Result<Ctx<'a, DB>, ChartError> {
        let tick_style = font::text(self.label_px);
        let (xt, yt) = (self.x_ticks.resolve(self.x), self.y_ticks.resolve(self.y));
        let y_area = self.y_label_area(&yt);
        let x_area = x_label_area(self.label_px, !self.x_desc.is_empty());
        let axis = |(lo, hi): (f64, f64), t: &[(f64, String)]| Axis {
            inner: (lo..hi).into(),
            keys: t.iter().map(|t| t.0).collect(),
        };
        let mut chart = ChartBuilder::on(area)
            .margin_left(MARGIN_LEFT)
            .margin_right(self.right)
            .margin_top(12)
            .margin_bottom(6)
            .x_label_area_size(x_area)
            .y_label_area_size(y_area)
            .build_cartesian_2d(axis(self.x, &xt), axis(self.y, &yt))?;
        let (fx, fy) = (|v: &f64| label_of(&xt, *v), |v: &f64| label_of(&yt, *v));
        let mut mesh = chart.configure_mesh();
        mesh.bold_line_style(GRID.stroke_width(1))
            .light_line_style(TRANSPARENT)
            .axis_style(AXIS.stroke_width(1))
            .set_all_tick_mark_size(5)
            .label_style(tick_style)
            .x_label_formatter(&fx)
            .y_label_formatter(&fy)
            .axis_desc_style(font::text(font::AXIS_DESC_PX));
        if !self.x_desc.is_empty() {
            mesh.x_desc(self.x_desc);
        }
        if !self.y_desc.is_empty() {
            mesh.y_desc(self.y_desc);
        }
        mesh.draw()?;
        Ok(chart)
    }
}

/// Options of a year × value chart.
pub struct YearAxes<'s> {
    /// Years shown.
    pub years: &'s [i32],
    /// y range.
    pub y: (f64, f64),
    /// y tick format.
    pub fmt: ValueFormat,
    /// y axis description (with unit); empty for none.
    pub y_desc: &'s str,
    /// x axis description; empty for none.
    pub x_desc: &'s str,
    /// Maximum number of y ticks.
    pub y_ticks: usize,
    /// Maximum number of x ticks.
    pub x_ticks: usize,
    /// Right margin in pixels.
    pub right: u32,
}

impl<'s> YearAxes<'s> {
    /// Defaults for a full-size chart.
    pub fn new(years: &'s [i32], y: (f64, f64), fmt: ValueFormat, y_desc: &'s str) -> Self {
        Self {
            years,
            y,
            fmt,
            y_desc,
            x_desc: "Year",
            y_ticks: 8,
            x_ticks: 11,
            right: 40,
        }
    }

    /// Builds the chart on `area` and draws its frame.
    pub fn build<'a, DB: DrawingBackend>(
        &self,
        area: &'a DrawingArea<DB, Shift>,
    ) -> Result<Ctx<'a, DB>, ChartError> {
        let fmt = self.fmt;
        Frame {
            x: frame::year_range(self.years),
            y: self.y,
            x_ticks: Ticks::Years(self.x_ticks),
            y_ticks: Ticks::Round(self.y_ticks, &|v| fmt.format(v)),
            x_desc: self.x_desc,
            y_desc: self.y_desc,
            label_px: font::LABEL_PX,
            right: self.right,
            y_area: None,
        }
        .build(area)
    }
}

/// Series values as chart points, skipping non-finite values.
pub fn points(years: &[i32], values: impl IntoIterator<Item = f64>) -> Vec<(f64, f64)> {
    years
        .iter()
        .zip(values)
        .filter(|(_, v)| v.is_finite())
        .map(|(&y, v)| (y as f64, v))
        .collect()
}

/// Draws a line (solid or dashed) and, for very short series, dots at its points.
pub fn line<DB: DrawingBackend>(
    chart: &mut Ctx<'_, DB>,
    pts: &[(f64, f64)],
    colour: RGBColor,
    width: u32,
    dashed: bool,
) -> Result<(), ChartError> {
    let style = colour.stroke_width(width);
    if dashed {
        chart.draw_series(DashedLineSeries::new(pts.iter().copied(), 12, 7, style))?;
    } else {
        chart.draw_series(LineSeries::new(pts.iter().copied(), style))?;
    }
    if pts.len() <= 3 {
        let dot = |&p: &(f64, f64)| Circle::new(p, width as i32 + 2, colour.filled());
        chart.draw_series(pts.iter().map(dot))?;
    }
    Ok(())
}

/// Fills the band between `lower` and `upper` (same x values).
pub fn band<DB: DrawingBackend>(
    chart: &mut Ctx<'_, DB>,
    lower: &[(f64, f64)],
    upper: &[(f64, f64)],
    colour: RGBColor,
    alpha: f64,
) -> Result<(), ChartError> {
    if lower.is_empty() || upper.is_empty() {
        return Ok(());
    }
    let style = colour.mix(alpha).filled();
    if lower.len() == 1 {
        // One year: a short vertical bar shows the range.
        let ((x, lo), hi) = (lower[0], upper[0].1);
        chart.draw_series(std::iter::once(Rectangle::new(
            [(x - 0.08, lo), (x + 0.08, hi)],
            style,
        )))?;
        return Ok(());
    }
    let poly: Vec<(f64, f64)> = upper
        .iter()
        .copied()
        .chain(lower.iter().rev().copied())
        .collect();
    chart.draw_series(std::iter::once(Polygon::new(poly, style)))?;
    Ok(())
}
