//! The site map's side panel: colour and bubble-size legend and a table of
//! final-year capacity and firms per site.

use super::format;
use super::frame::{self, LegendItem, Swatch};
use super::site_map::{R_MAX, R_MIN, radius};
use super::{ChartError, font};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::TextStyle;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Largest 1, 2 or 5 × 10^k not above `v` (v > 0).
fn nice_floor(v: f64) -> f64 {
    let k = 10f64.powf(v.log10().floor());
    [5.0, 2.0, 1.0]
        .into_iter()
        .map(|m| m * k)
        .find(|&c| c <= v * (1.0 + 1e-9))
        .unwrap_or(k)
}

/// Draws the colour, link and bubble-size legend; returns the y below it.
pub(super) fn draw_legend<DB: DrawingBackend>(
    side: &DrawingArea<DB, Shift>,
    cap_max: f64,
    year: Option<i32>,
) -> Result<i32, ChartError> {
    let items = [
        LegendItem::new(Swatch::Dot(frame::colour(5)), "Mega-cluster site"),
        LegendItem::new(Swatch::Dot(frame::colour(0)), "Other site"),
        LegendItem::new(Swatch::Line(RGBColor(110, 140, 170)), "Spillover link"),
    ];
    let mut y = frame::legend_column(side, "Legend", &items, (10, 30))?;
    let note = font::muted(font::NOTE_PX);
    side.draw_text("(thicker = stronger)", &note, (48, y - 10))?;
    y += 30;
    let heading = match year {
        Some(yr) => format!("Capacity in {yr}"),
        None => "Capacity".into(),
    };
    side.draw_text(&heading, &font::bold(font::LABEL_PX), (10, y))?;
    side.draw_text(
        "thousand wafers / month",
        &font::muted(font::NOTE_PX),
        (10, y + 22),
    )?;
    y += 56;
    if cap_max <= 0.0 {
        side.draw_text("No capacity data", &font::text(font::LABEL_PX), (10, y))?;
        return Ok(y + 24);
    }
    let top = nice_floor(cap_max);
    let mut refs = vec![top, nice_floor(top / 4.0)];
    refs.dedup();
    let cx = 10 + R_MAX as i32;
    for v in refs {
        let rad = radius(v, cap_max) as i32;
        let cy = y + rad;
        side.draw(&Circle::new(
            (cx, cy),
            rad,
            RGBColor(120, 120, 120).stroke_width(2),
        ))?;
        let style = font::text(font::LABEL_PX).pos(Pos::new(HPos::Left, VPos::Center));
        side.draw_text(&format::number(v), &style, (cx + R_MAX as i32 + 12, cy))?;
        y += 2 * rad + 12;
    }
    let rad = R_MIN as i32;
    side.draw(&Circle::new(
        (cx, y + rad),
        rad,
        RGBColor(120, 120, 120).stroke_width(2),
    ))?;
    let style = font::text(font::LABEL_PX).pos(Pos::new(HPos::Left, VPos::Center));
    side.draw_text("0 (no fabs)", &style, (cx + R_MAX as i32 + 12, y + rad))?;
    Ok(y + 2 * rad)
}

/// One site's row in the side table.
pub(super) struct Row<'a> {
    /// Site name.
    pub name: &'a str,
    /// Part of the mega-cluster.
    pub cluster: bool,
    /// Final-year median capacity, kwpm.
    pub cap: f64,
    /// Final-year median firms, if recorded.
    pub firms: Option<f64>,
}

/// The table of final-year capacity and firms per site, from `y` down.
pub(super) fn draw_table<DB: DrawingBackend>(
    side: &DrawingArea<DB, Shift>,
    rows: &[Row],
    year: Option<i32>,
    mut y: i32,
) -> Result<(), ChartError> {
    let (w, h) = side.dim_in_pixel();
    let row_h = font::LABEL_PX as i32 + 8;
    if y + row_h * (rows.len() as i32 + 2) > h as i32 {
        y = (h as i32 - row_h * (rows.len() as i32 + 2)).max(0);
    }
    let heading = year
        .map(|yr| format!("Sites in {yr} (median)"))
        .unwrap_or("Sites".into());
    side.draw_text(&heading, &font::bold(font::LABEL_PX), (10, y))?;
    y += row_h + 2;
    let right = |s: &str, x: i32, y: i32, st: TextStyle| {
        side.draw_text(s, &st.pos(Pos::new(HPos::Right, VPos::Top)), (x, y))
    };
    let (c1, c2) = (w as i32 - 80, w as i32 - 16);
    right("kwpm", c1, y, font::muted(font::NOTE_PX))?;
    right("firms", c2, y, font::muted(font::NOTE_PX))?;
    y += row_h;
    for r in rows {
        let st = if r.cluster {
            font::bold(font::LABEL_PX)
        } else {
            font::text(font::LABEL_PX)
        };
        side.draw_text(r.name, &st, (10, y))?;
        let cap = if r.cap > 0.0 {
            format::number(r.cap)
        } else {
            "–".into()
        };
        right(&cap, c1, y, font::text(font::LABEL_PX))?;
        let firms = r.firms.map(format::number).unwrap_or("–".into());
        right(&firms, c2, y, font::text(font::LABEL_PX))?;
        y += row_h;
    }
    let note = "bold: mega-cluster site";
    side.draw_text(note, &font::muted(font::NOTE_PX), (10, y + 4))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_values() {
        assert_eq!(nice_floor(730.0), 500.0);
        assert_eq!(nice_floor(199.0), 100.0);
        assert_eq!(nice_floor(2.0), 2.0);
    }
}
