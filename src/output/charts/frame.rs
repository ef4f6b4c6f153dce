//! Shared layout pieces: palette, title block, legends, value ranges and the
//! "no data" panel, so every chart looks alike.

use super::ChartError;
use super::backend::text_width;
use super::font;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Okabe–Ito colour-blind-safe palette (black left out; used for text and targets).
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),   // blue
    RGBColor(230, 159, 0),   // orange
    RGBColor(0, 158, 115),   // bluish green
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(86, 180, 233),  // sky blue
    RGBColor(213, 94, 0),    // vermillion
    RGBColor(120, 120, 120), // grey
    RGBColor(240, 228, 66),  // yellow (last: weak on white)
];

/// Colour of target lines and markers.
pub const TARGET: RGBColor = RGBColor(40, 40, 40);
/// Light grid lines.
pub const GRID: RGBColor = RGBColor(228, 228, 228);

/// The `i`-th palette colour, cycling.
pub fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// How a legend entry is drawn.
#[derive(Debug, Clone, Copy)]
pub enum Swatch {
    /// A solid line.
    Line(RGBColor),
    /// A dashed line.
    Dashed(RGBColor),
    /// A filled translucent box (a band or an area).
    Band(RGBColor, f64),
    /// A filled circle.
    Dot(RGBColor),
}

/// One legend entry.
#[derive(Debug, Clone)]
pub struct LegendItem {
    /// The swatch.
    pub swatch: Swatch,
    /// The text.
    pub label: String,
}

impl LegendItem {
    /// A legend entry.
    pub fn new(swatch: Swatch, label: impl Into<String>) -> Self {
        Self {
            swatch,
            label: label.into(),
        }
    }
}

/// Draws the title (bold) and an optional muted subtitle at the top of `root`;
/// returns the area below them.
pub fn title_block<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    subtitle: &str,
) -> Result<DrawingArea<DB, Shift>, ChartError> {
    root.draw_text(title, &font::bold(font::TITLE_PX), (24, 14))?;
    let mut used = 14 + font::TITLE_PX as i32 + 8;
    if !subtitle.is_empty() {
        root.draw_text(subtitle, &font::muted(font::LABEL_PX), (24, used))?;
        used += font::LABEL_PX as i32 + 8;
    }
    Ok(root.split_vertically(used + 4).1)
}

fn draw_swatch<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    swatch: Swatch,
    (x, y): (i32, i32),
) -> Result<(), ChartError> {
    match swatch {
        Swatch::Line(c) => {
            area.draw(&PathElement::new(
                vec![(x, y), (x + 30, y)],
                c.stroke_width(3),
            ))?;
        }
        Swatch::Dashed(c) => {
            for k in 0..3 {
                let x0 = x + k * 12;
                area.draw(&PathElement::new(
                    vec![(x0, y), (x0 + 7, y)],
                    c.stroke_width(3),
                ))?;
            }
        }
        Swatch::Band(c, a) => {
            area.draw(&Rectangle::new(
                [(x, y - 8), (x + 30, y + 8)],
                c.mix(a).filled(),
            ))?;
        }
        Swatch::Dot(c) => {
            area.draw(&Circle::new((x + 15, y), 7, c.filled()))?;
        }
    }
    Ok(())
}

const SWATCH_W: i32 = 30;
const GAP: i32 = 8;
const ITEM_GAP: i32 = 28;

fn label_width(s: &str) -> i32 {
    text_width(s, &font::text(font::LABEL_PX))
}

/// Draws `items` in rows (wrapping) at the top of `area`, left-aligned at `left`;
/// returns the area below the legend.
pub fn legend_rows<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    items: &[LegendItem],
    left: i32,
) -> Result<DrawingArea<DB, Shift>, ChartError> {
    if items.is_empty() {
        return Ok(area.split_vertically(0).1);
    }
    let width = area.dim_in_pixel().0 as i32 - 20;
    let row_h = font::LABEL_PX as i32 + 12;
    let (mut x, mut y) = (left, row_h / 2);
    for item in items {
        let w = SWATCH_W + GAP + label_width(&item.label);
        if x > left && x + w > width {
            x = left;
            y += row_h;
        }
        draw_swatch(area, item.swatch, (x, y))?;
        let style = font::text(font::LABEL_PX).pos(Pos::new(HPos::Left, VPos::Center));
        area.draw_text(&item.label, &style, (x + SWATCH_W + GAP, y))?;
        x += w + ITEM_GAP;
    }
    Ok(area.split_vertically(y + row_h / 2 + 6).1)
}

/// Draws `items` as a vertical list starting at (`x`, `y`) in `area`, under an
/// optional bold heading.
pub fn legend_column<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    heading: &str,
    items: &[LegendItem],
    (x, mut y): (i32, i32),
) -> Result<i32, ChartError> {
    let row_h = font::LABEL_PX as i32 + 12;
    if !heading.is_empty() {
        let style = font::bold(font::LABEL_PX).pos(Pos::new(HPos::Left, VPos::Center));
        area.draw_text(heading, &style, (x, y))?;
        y += row_h + 4;
    }
    for item in items {
        draw_swatch(area, item.swatch, (x, y))?;
        let style = font::text(font::LABEL_PX).pos(Pos::new(HPos::Left, VPos::Center));
        area.draw_text(&item.label, &style, (x + SWATCH_W + GAP, y))?;
        y += row_h;
    }
    Ok(y)
}

/// A "no data" message in the middle of `area`.
pub fn no_data<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    message: &str,
) -> Result<(), ChartError> {
    let (w, h) = area.dim_in_pixel();
    let style = font::muted(font::SUBTITLE_PX).pos(Pos::new(HPos::Center, VPos::Center));
    area.draw_text(message, &style, (w as i32 / 2, h as i32 / 2))?;
    Ok(())
}

/// The x range for `years`: first..last, padded by half a year for a single year.
pub fn year_range(years: &[i32]) -> (f64, f64) {
    match (years.first(), years.last()) {
        (Some(&a), Some(&b)) if b > a => (a as f64, b as f64),
        (Some(&a), _) => (a as f64 - 0.5, a as f64 + 0.5),
        _ => (0.0, 1.0),
    }
}

/// A y range covering every finite value, with zero included when `include_zero`,
/// headroom of 8 % above, and never empty.
pub fn value_range(values: impl IntoIterator<Item = f64>, include_zero: bool) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.into_iter().filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() || !hi.is_finite() {
        return (0.0, 1.0);
    }
    if include_zero {
        lo = lo.min(0.0);
        hi = hi.max(0.0);
    }
    let span = hi - lo;
    if span <= 1e-9 * hi.abs().max(1.0) {
        let pad = if hi.abs() > 1e-9 { hi.abs() * 0.1 } else { 1.0 };
        if include_zero && lo >= 0.0 {
            return (0.0, hi + pad);
        }
        return (lo - pad, hi + pad);
    }
    let top = hi + span * 0.08;
    let bottom = if lo < 0.0 || !include_zero {
        lo - span * 0.04
    } else {
        lo
    };
    (bottom, top)
}

/// Finite or zero.
pub fn finite(v: f64) -> f64 {
    if v.is_finite() { v } else { 0.0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_never_empty() {
        assert_eq!(value_range([], true), (0.0, 1.0));
        assert_eq!(value_range([0.0, 0.0], true), (0.0, 1.0));
        let (lo, hi) = value_range([5.0], true);
        assert!(lo == 0.0 && hi > 5.0);
        let (lo, hi) = value_range([5.0, 5.0], false);
        assert!(lo < 5.0 && hi > 5.0);
        let (lo, hi) = value_range([-2.0, 3.0, f64::NAN], true);
        assert!(lo < -2.0 && hi > 3.0);
    }

    #[test]
    fn year_ranges() {
        assert_eq!(year_range(&[2023, 2042]), (2023.0, 2042.0));
        assert_eq!(year_range(&[2030]), (2029.5, 2030.5));
        assert_eq!(year_range(&[]), (0.0, 1.0));
    }
}
