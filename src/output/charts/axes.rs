//! Chart frames drawn by hand (grid, axes, tick labels, axis descriptions), so
//! tick values are chosen here (integer years, round KRW amounts) and all text
//! goes through [`super::text`].

use super::format::ValueFormat;
use super::frame::{self, GRID};
use super::{ChartError, font, text};
use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::FontTransform;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// A 2-D chart context with f64 axes.
pub type Ctx<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

pub use super::ticks::{Ticks, nice_ticks, year_ticks};

const AXIS: RGBColor = RGBColor(120, 120, 120);

/// A hand-drawn chart frame.
pub struct Frame<'s> {
    /// x range.
    pub x: (f64, f64),
    /// y range.
    pub y: (f64, f64),
    /// x ticks.
    pub x_ticks: Ticks,
    /// y ticks.
    pub y_ticks: Ticks,
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

impl Frame<'_> {
    /// Builds the chart on `area` and draws grid, axes, ticks and descriptions.
    pub fn build<'a, DB: DrawingBackend>(
        &self,
        area: &'a DrawingArea<DB, Shift>,
    ) -> Result<Ctx<'a, DB>, ChartError> {
        let tick_style = font::text(self.label_px);
        let desc_style = font::text(font::AXIS_DESC_PX);
        let desc_gap = if self.y_desc.is_empty() {
            0
        } else {
            font::AXIS_DESC_PX as i32 + 16
        };
        let widest = self
            .y_ticks
            .iter()
            .map(|t| text::width(&t.1, &tick_style))
            .max();
        let y_area = self
            .y_area
            .map(|w| w as i32)
            .unwrap_or(widest.unwrap_or(0) + 14 + desc_gap);
        let x_desc_h = if self.x_desc.is_empty() {
            0
        } else {
            font::AXIS_DESC_PX as i32 + 12
        };
        let x_area = self.label_px as i32 + 16 + x_desc_h;
        let mut chart = ChartBuilder::on(area)
            .margin_left(12)
            .margin_right(self.right)
            .margin_top(12)
            .margin_bottom(6)
            .x_label_area_size(x_area)
            .y_label_area_size(y_area)
            .build_cartesian_2d(self.x.0..self.x.1, self.y.0..self.y.1)?;
        let (x0, x1, y0, y1) = (self.x.0, self.x.1, self.y.0, self.y.1);
        let inside = |v: f64, a: f64, b: f64| v >= a - 1e-9 * (b - a) && v <= b + 1e-9 * (b - a);
        for (v, _) in self.y_ticks.iter().filter(|t| inside(t.0, y0, y1)) {
            chart.draw_series(LineSeries::new([(x0, *v), (x1, *v)], GRID.stroke_width(1)))?;
        }
        for (v, _) in self.x_ticks.iter().filter(|t| inside(t.0, x0, x1)) {
            chart.draw_series(LineSeries::new([(*v, y0), (*v, y1)], GRID.stroke_width(1)))?;
        }
        let base = area.get_base_pixel();
        let rel = |p: (i32, i32)| (p.0 - base.0, p.1 - base.1);
        let (left, bottom) = rel(chart.backend_coord(&(x0, y0)));
        let (right, top) = rel(chart.backend_coord(&(x1, y1)));
        let axis = AXIS.stroke_width(1);
        area.draw(&PathElement::new(vec![(left, top), (left, bottom)], axis))?;
        area.draw(&PathElement::new(
            vec![(left, bottom), (right, bottom)],
            axis,
        ))?;
        let y_style = tick_style.pos(Pos::new(HPos::Right, VPos::Center));
        for (v, label) in self.y_ticks.iter().filter(|t| inside(t.0, y0, y1)) {
            let (_, py) = rel(chart.backend_coord(&(x0, *v)));
            area.draw(&PathElement::new(vec![(left - 5, py), (left, py)], axis))?;
            text::draw(area, label, (left - 9, py), &y_style)?;
        }
        let x_style = tick_style.pos(Pos::new(HPos::Center, VPos::Top));
        for (v, label) in self.x_ticks.iter().filter(|t| inside(t.0, x0, x1)) {
            let (px, _) = rel(chart.backend_coord(&(*v, y0)));
            area.draw(&PathElement::new(
                vec![(px, bottom), (px, bottom + 5)],
                axis,
            ))?;
            text::draw(area, label, (px, bottom + 9), &x_style)?;
        }
        if !self.x_desc.is_empty() {
            let st = desc_style.pos(Pos::new(HPos::Center, VPos::Top));
            let y = bottom + self.label_px as i32 + 20;
            text::draw(area, self.x_desc, ((left + right) / 2, y), &st)?;
        }
        if !self.y_desc.is_empty() {
            let st = desc_style
                .transform(FontTransform::Rotate270)
                .pos(Pos::new(HPos::Center, VPos::Top));
            text::draw(area, self.y_desc, (14, (top + bottom) / 2), &st)?;
        }
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
        let x = frame::year_range(self.years);
        let fmt = self.fmt;
        Frame {
            x,
            y: self.y,
            x_ticks: year_ticks(x.0, x.1, self.x_ticks),
            y_ticks: nice_ticks(self.y.0, self.y.1, self.y_ticks, &|v| fmt.format(v)),
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
