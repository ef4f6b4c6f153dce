//! Horizontal bar charts with one row per parameter: the one-at-a-time tornado (bars
//! from the base outcome to the outcome at each end of a range) and Sobol indices (bars
//! with 95 % interval whiskers).

use super::axes::{Frame, Ticks};
use super::backend::text_width;
use super::format::ValueFormat;
use super::frame::{self, LegendItem, TARGET};
use super::{Chart, ChartError, font};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One bar.
#[derive(Debug, Clone)]
pub struct Bar {
    /// Start.
    pub from: f64,
    /// End.
    pub to: f64,
    /// Colour.
    pub colour: RGBColor,
    /// Interval whisker.
    pub ci: Option<(f64, f64)>,
    /// Text at the bar's end.
    pub note: String,
}

impl Bar {
    /// Where the note starts: the bar's end, or its whisker's if that reaches further.
    fn note_end(&self) -> f64 {
        let right = self.to >= self.from;
        self.ci.map_or(self.to, |(a, c)| {
            if right {
                c.max(self.to)
            } else {
                a.min(self.to)
            }
        })
    }
}

/// One row.
#[derive(Debug, Clone)]
pub struct BarRow {
    /// Row label.
    pub label: String,
    /// Bars.
    pub bars: Vec<Bar>,
}

/// A horizontal bar chart.
#[derive(Debug, Clone)]
pub struct BarChart {
    /// File stem.
    pub stem: String,
    /// Title.
    pub title: String,
    /// Subtitle.
    pub subtitle: String,
    /// x axis description.
    pub x_desc: String,
    /// x format.
    pub x_fmt: ValueFormat,
    /// Rows, top first.
    pub rows: Vec<BarRow>,
    /// A vertical reference line (value, label).
    pub vline: Option<(f64, String)>,
    /// Bars of a row overlap in one slot (tornado) instead of sharing it.
    pub overlay: bool,
    /// Legend.
    pub legend: Vec<LegendItem>,
}

impl Chart for BarChart {
    fn stem(&self) -> String {
        self.stem.clone()
    }

    fn size(&self) -> (u32, u32) {
        let per_row = if self.overlay { 34 } else { 44 };
        (
            1400,
            (230 + per_row * self.rows.len() as u32).clamp(500, 2400),
        )
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let area = frame::title_block(root, &self.title, &self.subtitle)?;
        let area = frame::legend_rows(&area, &self.legend, 24)?;
        let n = self.rows.len();
        if n == 0 {
            return frame::no_data(&area, "No parameters");
        }
        let vals: Vec<f64> = self
            .rows
            .iter()
            .flat_map(|r| r.bars.iter())
            .flat_map(|b| {
                let (a, c) = b.ci.unwrap_or((b.from, b.to));
                [b.from, b.to, a, c]
            })
            .chain(self.vline.iter().map(|v| v.0))
            .collect();
        let include_zero = !self.overlay;
        let (mut x0, mut x1) = frame::value_range(vals, include_zero);
        let span = x1 - x0;
        // Room for the notes written beyond the ends of bars.
        let noted = |left: bool| {
            self.rows
                .iter()
                .flat_map(|r| r.bars.iter())
                .any(|b| !b.note.is_empty() && (b.to < b.from) == left)
        };
        x0 -= span * if noted(true) { 0.12 } else { 0.02 };
        x1 += span * if noted(false) { 0.1 } else { 0.06 };
        let fmt = self.x_fmt;
        let y_ticks = self
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| ((n - i) as f64 - 0.5, r.label.clone()))
            .collect();
        let mut frame = Frame {
            x: (x0, x1),
            y: (0.0, n as f64),
            x_ticks: Ticks::Round(8, &|v| fmt.format(v)),
            y_ticks: Ticks::At(y_ticks),
            x_desc: &self.x_desc,
            y_desc: "",
            label_px: font::LABEL_PX,
            right: 40,
            y_area: None,
        };
        // Widen the range until every note fits beside its bar, in the plotting width the
        // frame will lay out.
        let plot_px = f64::from(frame.plot_width(area.dim_in_pixel().0));
        if plot_px > 100.0 {
            let note_style = font::text(font::NOTE_PX);
            for b in self.rows.iter().flat_map(|r| r.bars.iter()) {
                if b.note.is_empty() {
                    continue;
                }
                let need = f64::from(text_width(&b.note, &note_style) + 12);
                let free = (plot_px - need).max(plot_px * 0.3);
                let end = b.note_end();
                if b.to >= b.from {
                    x1 = x1.max(x0 + (end - x0) * plot_px / free);
                } else {
                    x0 = x0.min(x1 - (x1 - end) * plot_px / free);
                }
            }
        }
        frame.x = (x0, x1);
        let mut chart = frame.build(&area)?;
        let base = area.get_base_pixel();
        for (i, r) in self.rows.iter().enumerate() {
            let centre = (n - i) as f64 - 0.5;
            let k = r.bars.len().max(1);
            let mut order: Vec<&Bar> = r.bars.iter().collect();
            if self.overlay {
                // Longest first, so a shorter bar in the same direction stays visible.
                order.sort_by(|a, b| (b.to - b.from).abs().total_cmp(&(a.to - a.from).abs()));
            }
            for (j, b) in order.into_iter().enumerate() {
                let (top, bottom) = if self.overlay {
                    (centre + 0.32, centre - 0.32)
                } else {
                    let h = 0.76 / k as f64;
                    let t = centre + 0.38 - h * j as f64;
                    (t - 0.06 * h, t - h + 0.06 * h)
                };
                let (lo, hi) = (b.from.min(b.to), b.from.max(b.to));
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(lo, bottom), (hi, top)],
                    b.colour.mix(0.85).filled(),
                )))?;
                let mid = 0.5 * (top + bottom);
                if let Some((a, c)) = b.ci {
                    let st = TARGET.stroke_width(2);
                    chart.draw_series(LineSeries::new([(a, mid), (c, mid)], st))?;
                    let q = 0.25 * (top - bottom);
                    for x in [a, c] {
                        chart.draw_series(LineSeries::new([(x, mid - q), (x, mid + q)], st))?;
                    }
                }
                if !b.note.is_empty() {
                    let right = b.to >= b.from;
                    let (px, py) = chart.backend_coord(&(b.note_end(), mid));
                    let (h, dx) = if right {
                        (HPos::Left, 6)
                    } else {
                        (HPos::Right, -6)
                    };
                    let style = font::text(font::NOTE_PX).pos(Pos::new(h, VPos::Center));
                    area.draw_text(&b.note, &style, (px - base.0 + dx, py - base.1))?;
                }
            }
        }
        if let Some((v, label)) = &self.vline {
            chart.draw_series(LineSeries::new(
                [(*v, 0.0), (*v, n as f64)],
                TARGET.stroke_width(2),
            ))?;
            let (px, py) = chart.backend_coord(&(*v, n as f64));
            let style = font::bold(font::NOTE_PX).pos(Pos::new(HPos::Left, VPos::Top));
            area.draw_text(label, &style, (px - base.0 + 6, py - base.1 + 2))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: notes beside bars that reach the top of the range ran off the chart's
    /// right edge (`discover_box`: "0.09464 .. 0.5472 (quasi-p 1"). Every note fits.
    #[test]
    fn notes_beside_the_longest_bars_fit_in_the_chart() {
        let note = "0.09464 .. 0.5472 (quasi-p 1e-1), a long note";
        let rows = (0..4)
            .map(|i| BarRow {
                label: format!("sites[\"Yongin National\"].power_additions[{i}].delay_years"),
                bars: vec![Bar {
                    from: 0.1,
                    to: 1.0,
                    colour: RGBColor(220, 110, 30),
                    ci: None,
                    note: note.into(),
                }],
            })
            .collect();
        let chart = BarChart {
            stem: "t".into(),
            title: "t".into(),
            subtitle: String::new(),
            x_desc: "position".into(),
            x_fmt: ValueFormat::Plain,
            rows,
            vline: None,
            overlay: false,
            legend: Vec::new(),
        };
        let svg = super::super::to_svg(&chart).unwrap();
        let width = f64::from(chart.size().0);
        let w = f64::from(text_width(note, &font::text(font::NOTE_PX)));
        let mut seen = 0;
        for (x, _, text) in super::super::check::svg_text_positions(&svg) {
            if !text.contains("quasi-p") {
                continue;
            }
            assert!(
                x + w <= width,
                "note from x = {x}, {w} px wide, in a {width} px chart"
            );
            seen += 1;
        }
        assert_eq!(seen, 4);
    }
}
