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

/// Left and right margin of the title block, in pixels.
const TITLE_MARGIN: i32 = 24;

/// Draws the title (bold) and an optional muted subtitle at the top of `root`, each
/// wrapped at spaces to the width of `root` less the margins (a long scenario name or
/// an observation's source would otherwise run off the right edge); returns the area
/// below them. Text that fits takes one line, as it always did.
pub fn title_block<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    subtitle: &str,
) -> Result<DrawingArea<DB, Shift>, ChartError> {
    let max_w = root.dim_in_pixel().0 as i32 - 2 * TITLE_MARGIN;
    let title_style = font::bold(font::TITLE_PX);
    let mut y = 14;
    for (k, line) in wrap(title, &title_style, max_w).iter().enumerate() {
        if k > 0 {
            y += font::TITLE_PX as i32 + 4;
        }
        root.draw_text(line, &title_style, (TITLE_MARGIN, y))?;
    }
    let mut used = y + font::TITLE_PX as i32 + 8;
    if !subtitle.is_empty() {
        let style = font::muted(font::LABEL_PX);
        for line in wrap(subtitle, &style, max_w) {
            root.draw_text(&line, &style, (TITLE_MARGIN, used))?;
            used += font::LABEL_PX as i32 + 4;
        }
        used += 4;
    }
    Ok(root.split_vertically(used + 4).1)
}

/// Shortens `s` with "…" to fit `max` pixels in `style`.
pub fn fit(s: &str, style: &TextStyle, max: i32) -> String {
    if text_width(s, style) <= max {
        return s.to_string();
    }
    let mut out: String = s.to_string();
    while !out.is_empty() && text_width(&format!("{out}…"), style) > max {
        out.pop();
    }
    format!("{}…", out.trim_end())
}

/// `text` in lines no wider than `max_w` pixels in `style`, broken at spaces; a word
/// wider than `max_w` has a line of its own. Text that fits is one line, unchanged.
pub fn wrap(text: &str, style: &TextStyle, max_w: i32) -> Vec<String> {
    if text_width(text, style) <= max_w {
        return vec![text.to_string()];
    }
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let joined = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if line.is_empty() || text_width(&joined, style) <= max_w {
            line = joined;
        } else {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        }
    }
    lines.push(line);
    lines
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
    fn text_that_fits_is_one_line_and_long_text_wraps_within_the_width() {
        font::ensure_registered();
        let style = font::muted(font::LABEL_PX);
        let short = "Scenario 'baseline' · 200 runs";
        assert_eq!(wrap(short, &style, 1152), vec![short.to_string()]);
        let long = "Scenario 'baseline' · 200 runs · `foundry_share` · TrendForce, four \
                    quarters of 2024: Samsung 9.8-10.2 %, plus DB HiTek 0.6 %, from the \
                    rankings as reported by five trade papers (data/README.md)";
        let lines = wrap(long, &style, 600);
        assert!(lines.len() >= 2, "{lines:?}");
        for l in &lines {
            assert!(text_width(l, &style) <= 600, "{l:?} is wider than 600 px");
        }
        assert_eq!(lines.join(" "), long);
        // A word wider than the width has a line of its own.
        let word = "x".repeat(200);
        let lines = wrap(&format!("a {word} b"), &style, 100);
        assert_eq!(lines, vec!["a".to_string(), word, "b".to_string()]);
    }

    /// Regression: a long subtitle (an observation's source in a hindcast chart) ran off
    /// the chart's right edge; it now wraps, and the plot starts below its last line.
    #[test]
    fn a_long_subtitle_wraps_and_pushes_the_plot_down() {
        font::ensure_registered();
        let top = |subtitle: &str| {
            let mut svg = String::new();
            let y = {
                let root = super::super::backend::TextFix::vector(SVGBackend::with_string(
                    &mut svg,
                    (800, 500),
                ))
                .into_drawing_area();
                let area = title_block(&root, "Title", subtitle).unwrap();
                area.get_base_pixel().1
            };
            (y, super::super::check::svg_texts(&svg))
        };
        let (y_short, texts) = top("short");
        assert_eq!(texts, vec!["Title", "short"]);
        let long = "word ".repeat(60);
        let (y_long, texts) = top(long.trim());
        assert!(texts.len() >= 4, "{texts:?}");
        assert!(texts[1..].iter().all(|t| t.starts_with("word")));
        assert!(
            y_long >= y_short + 2 * (font::LABEL_PX as i32),
            "{y_long} vs {y_short}"
        );
    }

    #[test]
    fn year_ranges() {
        assert_eq!(year_range(&[2023, 2042]), (2023.0, 2042.0));
        assert_eq!(year_range(&[2030]), (2029.5, 2030.5));
        assert_eq!(year_range(&[]), (0.0, 1.0));
    }
}
