//! Text drawing that looks right in PNG and SVG alike.
//!
//! plotters 0.3.7 with `ab_glyph` rasterises a string with each glyph's left side
//! bearing dropped, so bitmap text is unevenly spaced. For bitmap backends this
//! module draws glyph by glyph at pen positions from the font's own metrics
//! ([`super::glyphs`]); for SVG it emits whole strings (the viewer lays them out).

use super::ChartError;
use super::glyphs;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontStyle, FontTransform, TextStyle};

/// True for backends that rasterise text themselves (bitmap), detected by type name;
/// anything else gets whole strings, which is always correct if less pretty.
fn per_glyph<DB: DrawingBackend>() -> bool {
    std::any::type_name::<DB>().contains("BitMapBackend")
}

fn metrics(style: &TextStyle) -> Option<&'static glyphs::Metrics> {
    glyphs::dejavu(matches!(style.font.get_style(), FontStyle::Bold))
}

/// Width in pixels of `s` drawn with `style` (from the font metrics).
pub fn width(s: &str, style: &TextStyle) -> i32 {
    let px = style.font.get_size();
    match metrics(style) {
        Some(m) => s.chars().map(|c| m.glyph(c, px).0).sum::<f64>().round() as i32,
        None => (s.chars().count() as f64 * px * 0.6) as i32,
    }
}

/// Height in pixels of a line of text of `style`, as plotters lays it out.
pub fn height(style: &TextStyle) -> i32 {
    (style.font.get_size() / 1.24) as i32
}

/// Draws `s` on `area` at `pos` (pixels relative to `area`), anchored by `style.pos`.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &str,
    pos: (i32, i32),
    style: &TextStyle,
) -> Result<(), ChartError> {
    if s.is_empty() {
        return Ok(());
    }
    let Some(m) = metrics(style).filter(|_| per_glyph::<DB>()) else {
        area.draw(&Text::new(s.to_string(), pos, style.clone()))?;
        return Ok(());
    };
    let px = style.font.get_size();
    let (w, h) = (width(s, style), height(style));
    let dx = match style.pos.h_pos {
        HPos::Left => 0,
        HPos::Center => -w / 2,
        HPos::Right => -w,
    };
    let dy = match style.pos.v_pos {
        VPos::Top => 0,
        VPos::Center => -h / 2,
        VPos::Bottom => -h,
    };
    let trans = style.font.get_transform();
    let glyph_style = style.pos(Pos::new(HPos::Left, VPos::Top));
    let mut pen = 0.0;
    let mut buf = [0u8; 4];
    for c in s.chars() {
        let (adv, lsb) = m.glyph(c, px);
        if !c.is_whitespace() {
            // Offset of this glyph's ink box in text space (x along the text, y down).
            let (ox, oy) = (dx + (pen + lsb).floor() as i32, dy);
            let (tx, ty) = match trans {
                FontTransform::Rotate90 => (-oy, ox),
                FontTransform::Rotate180 => (-ox, -oy),
                FontTransform::Rotate270 => (oy, -ox),
                _ => (ox, oy),
            };
            let g = c.encode_utf8(&mut buf).to_string();
            area.draw(&Text::new(g, (pos.0 + tx, pos.1 + ty), glyph_style.clone()))?;
        }
        pen += adv;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::font;
    use super::*;

    #[test]
    fn widths_grow_with_text() {
        let st = font::text(16.0);
        assert_eq!(width("", &st), 0);
        assert!(width("KRW 300T", &st) > width("KRW 3T", &st));
        assert!(width("MMMM", &font::bold(16.0)) >= width("MMMM", &st));
        assert!(height(&st) > 10);
        // Bold text really uses the bold face (wider than regular).
        let s = "Target by 2042";
        assert!(width(s, &font::bold(16.0)) > width(s, &font::text(16.0)));
    }

    #[test]
    fn backend_detection() {
        assert!(per_glyph::<BitMapBackend>());
        assert!(!per_glyph::<SVGBackend>());
    }
}
