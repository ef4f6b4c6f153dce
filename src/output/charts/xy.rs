//! Charts of values against a parameter (not a year): sweep lines with bands, per-
//! parameter scatters of a design, the probability curve a search explored and the
//! Morris μ*/σ plane.

use super::axes::{self, Frame, Ticks};
use super::backend::text_width;
use super::format::ValueFormat;
use super::frame::{self, TARGET};
use super::labels::{self, Bubble, Rect};
use super::{Chart, ChartError, font};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

pub use super::frame::{LegendItem, Swatch, colour};

/// A point with an optional interval (`lo`/`hi` NaN when none).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct XyPoint {
    /// x.
    pub x: f64,
    /// y.
    pub y: f64,
    /// Lower end of the band or whisker.
    pub lo: f64,
    /// Upper end.
    pub hi: f64,
}

impl XyPoint {
    /// A point without interval.
    pub fn new(x: f64, y: f64) -> Self {
        Self {
            x,
            y,
            lo: f64::NAN,
            hi: f64::NAN,
        }
    }

    /// A point with an interval.
    pub fn with(x: f64, y: f64, lo: f64, hi: f64) -> Self {
        Self { x, y, lo, hi }
    }
}

/// How a series' intervals are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interval {
    /// Not drawn.
    None,
    /// A shaded band (points sorted by x).
    Band,
    /// A vertical whisker at each point.
    Whisker,
}

/// One series.
#[derive(Debug, Clone)]
pub struct XySeries {
    /// Legend label (empty: not in the legend).
    pub label: String,
    /// Colour.
    pub colour: RGBColor,
    /// Points.
    pub points: Vec<XyPoint>,
    /// Join the points with a line.
    pub line: bool,
    /// How intervals are drawn.
    pub interval: Interval,
    /// Text next to each point (empty for none).
    pub point_labels: Vec<String>,
}

/// A chart of y against a parameter.
#[derive(Debug, Clone)]
pub struct XyChart {
    /// File stem.
    pub stem: String,
    /// Title.
    pub title: String,
    /// Subtitle.
    pub subtitle: String,
    /// x axis description.
    pub x_desc: String,
    /// y axis description.
    pub y_desc: String,
    /// y format.
    pub y_fmt: ValueFormat,
    /// Series.
    pub series: Vec<XySeries>,
    /// Horizontal reference lines (value, label).
    pub hlines: Vec<(f64, String)>,
    /// Vertical reference lines (value, label).
    pub vlines: Vec<(f64, String)>,
    /// Fixed y range (e.g. 0..1 for probabilities).
    pub y_range: Option<(f64, f64)>,
    /// Extra legend entries (e.g. what a band means).
    pub notes: Vec<LegendItem>,
    /// x tick labels as whole numbers without separators (years, counts).
    pub x_int: bool,
}

impl XyChart {
    fn legend(&self) -> Vec<LegendItem> {
        let mut items: Vec<LegendItem> = self
            .series
            .iter()
            .filter(|s| !s.label.is_empty())
            .map(|s| {
                let sw = if s.line {
                    Swatch::Line(s.colour)
                } else {
                    Swatch::Dot(s.colour)
                };
                LegendItem::new(sw, &s.label)
            })
            .collect();
        items.extend(self.notes.iter().cloned());
        items
    }
}

/// Pixel position relative to `area` of a chart coordinate.
fn rel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &axes::Ctx<'_, DB>,
    p: (f64, f64),
) -> (i32, i32) {
    let (x, y) = chart.backend_coord(&p);
    let b = area.get_base_pixel();
    (x - b.0, y - b.1)
}

impl XyChart {
    /// Point labels where they overlap no point and no other label (the site map's
    /// placer, [`labels::place`]): beside their point when there is room, else pushed
    /// away with a leader line. Labels are placed in the order the series give them.
    fn draw_point_labels<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        chart: &axes::Ctx<'_, DB>,
        (plot_x, plot_y): (std::ops::Range<i32>, std::ops::Range<i32>),
    ) -> Result<(), ChartError> {
        let base = area.get_base_pixel();
        let style = font::text(font::NOTE_PX);
        let line_h = font::NOTE_PX as i32 + 4;
        let mut labelled: Vec<(Bubble, (i32, i32), &str)> = Vec::new();
        let mut others: Vec<Rect> = Vec::new();
        for s in &self.series {
            let r = if s.line { 4 } else { 5 };
            for (i, p) in s.points.iter().enumerate() {
                if !p.y.is_finite() {
                    continue;
                }
                let (x, y) = rel(area, chart, (p.x, p.y));
                match s.point_labels.get(i).filter(|l| !l.is_empty()) {
                    Some(l) => labelled.push((
                        Bubble { x, y, r },
                        (text_width(l, &style) + 4, line_h),
                        l.as_str(),
                    )),
                    None => others.push((x - r, y - r, x + r, y + r)),
                }
            }
        }
        if labelled.is_empty() {
            return Ok(());
        }
        // The reference lines' labels (drawn after, at the left end of each line).
        let bold = font::bold(font::NOTE_PX);
        for (v, label) in &self.hlines {
            let (_, py) = rel(area, chart, (0.0, *v));
            let left = plot_x.start - base.0 + 8;
            let w = text_width(label, &bold);
            others.push((left, py - 4 - line_h, left + w, py - 4));
        }
        let bubbles: Vec<Bubble> = labelled.iter().map(|l| l.0).collect();
        let sizes: Vec<(i32, i32)> = labelled.iter().map(|l| l.1).collect();
        let bounds = (
            plot_x.start - base.0 + 2,
            plot_y.start - base.1 + 2,
            plot_x.end - base.0 - 2,
            plot_y.end - base.1 - 2,
        );
        let placed = labels::place(&bubbles, &sizes, bounds, &others);
        let top_left = Pos::new(HPos::Left, VPos::Top);
        for (p, (b, _, text)) in placed.iter().zip(&labelled) {
            let (l, t, _, bottom) = p.rect;
            // A label beside its point needs no line; one above, below or pushed away
            // gets a short one to say whose it is.
            if p.leader || b.y < t || b.y > bottom {
                let (nx, ny) = labels::nearest(p.rect, b.x, b.y);
                area.draw(&PathElement::new(
                    vec![(b.x, b.y), (nx, ny)],
                    BLACK.mix(0.6).stroke_width(1),
                ))?;
            }
            area.draw_text(text, &style.pos(top_left), (l + 2, t + 2))?;
        }
        Ok(())
    }
}

impl Chart for XyChart {
    fn stem(&self) -> String {
        self.stem.clone()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let area = frame::title_block(root, &self.title, &self.subtitle)?;
        let area = frame::legend_rows(&area, &self.legend(), 24)?;
        let xs: Vec<f64> = self
            .series
            .iter()
            .flat_map(|s| s.points.iter().map(|p| p.x))
            .chain(self.vlines.iter().map(|v| v.0))
            .filter(|x| x.is_finite())
            .collect();
        if xs.is_empty() {
            return frame::no_data(&area, "No points");
        }
        let (mut x0, mut x1) = xs
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
                (a.min(x), b.max(x))
            });
        let pad = if x1 > x0 {
            (x1 - x0) * 0.04
        } else {
            x0.abs().max(1.0) * 0.1
        };
        x0 -= pad;
        x1 += pad;
        let y = self.y_range.unwrap_or_else(|| {
            frame::value_range(
                self.series
                    .iter()
                    .flat_map(|s| s.points.iter().flat_map(|p| [p.y, p.lo, p.hi]))
                    .chain(self.hlines.iter().map(|h| h.0)),
                false,
            )
        });
        let yf = self.y_fmt;
        let mut chart = Frame {
            x: (x0, x1),
            y,
            x_ticks: Ticks::Round(10, &|v| {
                if !self.x_int {
                    super::format::number(v)
                } else if v.fract() == 0.0 {
                    format!("{}", v as i64)
                } else {
                    String::new()
                }
            }),
            y_ticks: Ticks::Round(8, &|v| yf.format(v)),
            x_desc: &self.x_desc,
            y_desc: &self.y_desc,
            label_px: font::LABEL_PX,
            right: 40,
            y_area: None,
        }
        .build(&area)?;
        for s in &self.series {
            let mut pts = s.points.clone();
            pts.sort_by(|a, b| a.x.total_cmp(&b.x));
            match s.interval {
                Interval::Band => {
                    let ok: Vec<&XyPoint> = pts
                        .iter()
                        .filter(|p| p.lo.is_finite() && p.hi.is_finite())
                        .collect();
                    let lo: Vec<(f64, f64)> = ok.iter().map(|p| (p.x, p.lo)).collect();
                    let hi: Vec<(f64, f64)> = ok.iter().map(|p| (p.x, p.hi)).collect();
                    axes::band(&mut chart, &lo, &hi, s.colour, 0.2)?;
                }
                Interval::Whisker => {
                    for p in pts.iter().filter(|p| p.lo.is_finite() && p.hi.is_finite()) {
                        chart.draw_series(LineSeries::new(
                            [(p.x, p.lo), (p.x, p.hi)],
                            s.colour.mix(0.7).stroke_width(2),
                        ))?;
                    }
                }
                Interval::None => {}
            }
            if s.line && pts.len() > 1 {
                chart.draw_series(LineSeries::new(
                    pts.iter().map(|p| (p.x, p.y)),
                    s.colour.stroke_width(3),
                ))?;
            }
            let r = if s.line { 4 } else { 5 };
            chart.draw_series(
                pts.iter()
                    .filter(|p| p.y.is_finite())
                    .map(|p| Circle::new((p.x, p.y), r, s.colour.filled())),
            )?;
        }
        let (plot_x, plot_y) = chart.plotting_area().get_pixel_range();
        let base = area.get_base_pixel();
        let right_edge = plot_x.end - base.0;
        self.draw_point_labels(&area, &chart, (plot_x, plot_y))?;
        for (v, label) in &self.hlines {
            chart.draw_series(DashedLineSeries::new(
                [(x0, *v), (x1, *v)],
                10,
                6,
                TARGET.stroke_width(2),
            ))?;
            let (px, py) = rel(&area, &chart, (x0, *v));
            let style = font::bold(font::NOTE_PX).pos(Pos::new(HPos::Left, VPos::Bottom));
            area.draw_text(label, &style, (px + 8, py - 4))?;
        }
        for (v, label) in &self.vlines {
            chart.draw_series(DashedLineSeries::new(
                [(*v, y.0), (*v, y.1)],
                10,
                6,
                frame::colour(5).stroke_width(2),
            ))?;
            let (px, py) = rel(&area, &chart, (*v, y.1));
            let w = text_width(label, &font::bold(font::NOTE_PX));
            let (x, h) = if px + 8 + w > right_edge {
                (px - 8, HPos::Right)
            } else {
                (px + 8, HPos::Left)
            };
            let style = font::bold(font::NOTE_PX).pos(Pos::new(h, VPos::Top));
            area.draw_text(label, &style, (x, py + 6))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: labels of points close together were drawn on top of one another
    /// (`morris.png`: two pairs of parameter names overprinted). Labels now overlap no
    /// other label.
    #[test]
    fn labels_of_close_points_do_not_overlap() {
        let names: Vec<String> = (0..6)
            .map(|i| format!("market.segments.AdvancedLogic.parameter_{i}"))
            .collect();
        let points: Vec<XyPoint> = (0..6)
            .map(|i| XyPoint::new(10.0 + 0.3 * i as f64, 20.0 + 0.2 * i as f64))
            .chain([XyPoint::new(0.0, 0.0), XyPoint::new(100.0, 60.0)])
            .collect();
        let mut point_labels = names.clone();
        point_labels.extend([String::new(), String::new()]);
        let chart = XyChart {
            stem: "t".into(),
            title: "t".into(),
            subtitle: String::new(),
            x_desc: "x".into(),
            y_desc: "y".into(),
            y_fmt: ValueFormat::Plain,
            series: vec![XySeries {
                label: "points".into(),
                colour: colour(0),
                points,
                line: false,
                interval: Interval::None,
                point_labels,
            }],
            hlines: Vec::new(),
            vlines: Vec::new(),
            y_range: None,
            notes: Vec::new(),
            x_int: false,
        };
        let svg = super::super::to_svg(&chart).unwrap();
        let style = font::text(font::NOTE_PX);
        let h = font::NOTE_PX;
        let boxes: Vec<(f64, f64, f64, f64)> = super::super::check::svg_text_positions(&svg)
            .into_iter()
            .filter(|(_, _, t)| names.contains(t))
            .map(|(x, y, t)| (x, y, x + f64::from(text_width(&t, &style)), y + h))
            .collect();
        assert_eq!(boxes.len(), names.len(), "every label is drawn");
        for (i, a) in boxes.iter().enumerate() {
            for b in &boxes[i + 1..] {
                let apart = a.2 <= b.0 || b.2 <= a.0 || a.3 <= b.1 || b.3 <= a.1;
                assert!(apart, "labels at {a:?} and {b:?} overlap");
            }
        }
    }
}
