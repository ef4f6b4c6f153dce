//! Target lines on fan charts: a dashed horizontal line at the value, a marker
//! at the target year and a label placed clear of other labels.

use super::axes;
use super::backend::{text_height, text_width};
use super::fan::symbol;
use super::format::{self, ValueFormat};
use super::frame::{self, TARGET};
use super::{ChartError, font};
use crate::sim::results::TargetResult;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// "Target ≥ KRW 300T by 2030: met in 42% of runs".
pub fn label(t: &TargetResult, fmt: ValueFormat) -> String {
    format!(
        "Target {} {} by {}: met in {} of runs",
        symbol(t.comparison),
        fmt.format(t.value),
        t.year,
        format::probability(t.probability)
    )
}

/// Draws a dashed line, a marker at the target year and a label for each target.
pub(super) fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &mut axes::Ctx<'_, DB>,
    targets: &[&TargetResult],
    years: &[i32],
    fmt: ValueFormat,
) -> Result<(), ChartError> {
    let (x0, x1) = frame::year_range(years);
    let (px, py) = chart.plotting_area().get_pixel_range();
    let mut placed: Vec<(i32, i32, i32, i32)> = Vec::new();
    for t in targets {
        chart.draw_series(DashedLineSeries::new(
            [(x0, t.value), (x1, t.value)],
            10,
            6,
            TARGET.stroke_width(2),
        ))?;
        let tx = (t.year as f64).clamp(x0, x1);
        let marker = (tx, t.value);
        chart.draw_series(std::iter::once(Circle::new(marker, 7, TARGET.filled())))?;
        chart.draw_series(std::iter::once(Circle::new(
            marker,
            7,
            WHITE.stroke_width(2),
        )))?;
        let label = label(t, fmt);
        let style = font::bold(font::NOTE_PX);
        let (w, h) = (text_width(&label, &style), text_height(&style) + 4);
        let (mx, my) = chart.backend_coord(&marker);
        // Candidate offsets: (dx, dy, hpos, vpos) around the marker.
        let candidates = [
            (-14, -8, HPos::Right, VPos::Bottom),
            (14, -8, HPos::Left, VPos::Bottom),
            (-14, 8, HPos::Right, VPos::Top),
            (14, 8, HPos::Left, VPos::Top),
        ];
        let rect = |(dx, dy, hp, vp): (i32, i32, HPos, VPos)| {
            let left = if matches!(hp, HPos::Right) {
                mx + dx - w
            } else {
                mx + dx
            };
            let top = if matches!(vp, VPos::Bottom) {
                my + dy - h
            } else {
                my + dy
            };
            (left, top, left + w, top + h)
        };
        let fits = |r: (i32, i32, i32, i32)| {
            r.0 >= px.start && r.2 <= px.end && r.1 >= py.start && r.3 <= py.end
        };
        let free = |r: (i32, i32, i32, i32)| {
            placed
                .iter()
                .all(|p| r.2 < p.0 || r.0 > p.2 || r.3 < p.1 || r.1 > p.3)
        };
        let choice = candidates
            .iter()
            .copied()
            .find(|&c| fits(rect(c)) && free(rect(c)))
            .or_else(|| candidates.iter().copied().find(|&c| fits(rect(c))))
            .unwrap_or(candidates[1]);
        let r = rect(choice);
        placed.push(r);
        // A translucent white box keeps the label readable over bands and lines.
        let base = area.get_base_pixel();
        let (l, t0) = (r.0 - base.0, r.1 - base.1);
        area.draw(&Rectangle::new(
            [(l - 4, t0 - 1), (l + w + 4, t0 + h + 1)],
            WHITE.mix(0.8).filled(),
        ))?;
        let style = style.pos(Pos::new(HPos::Left, VPos::Top));
        area.draw_text(&label, &style, (l, t0 + 2))?;
    }
    Ok(())
}
