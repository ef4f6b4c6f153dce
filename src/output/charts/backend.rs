//! The one text path of every chart: a `DrawingBackend` wrapper that lays a string
//! out with ab_glyph's own metrics (advances and kerning, each glyph's outline placed
//! at its pen position, so its left side bearing is kept).
//!
//! plotters 0.3.7 rasterises ab_glyph text with each glyph's left side bearing
//! dropped ("Cumulati ve"). [`TextFix`] replaces `draw_text` and
//! `estimate_text_size` of the backend it wraps: on a bitmap it rasterises the glyphs
//! itself (coverage blended into the pixels); on SVG it passes the text on as a
//! `<text>` element, which the viewer lays out. Both measure text alike, so plotters'
//! own mesh, tick labels and axis descriptions lay out the same in PNG and SVG.

use ab_glyph::{Font, FontRef, PxScale, ScaleFont, point};
use plotters::prelude::DrawingBackend;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind, FontStyle,
};
use std::sync::OnceLock;

/// Baseline below the top of a line, in ems (as plotters' SVG `dy="0.76em"`).
const ASCENT_EM: f32 = 0.76;

fn face(style: FontStyle) -> &'static FontRef<'static> {
    static FACES: OnceLock<[FontRef<'static>; 2]> = OnceLock::new();
    let faces = FACES.get_or_init(|| {
        // The embedded DejaVu fonts are valid TrueType files.
        let load = |b: &'static [u8]| FontRef::try_from_slice(b).expect("embedded DejaVu font");
        [load(dejavu::sans::regular()), load(dejavu::sans::bold())]
    });
    &faces[usize::from(matches!(style, FontStyle::Bold))]
}

/// A string laid out on one line: glyph ids with their pen x, the advance width and
/// the em size, all in pixels.
struct Line {
    glyphs: Vec<(ab_glyph::GlyphId, f32)>,
    width: f32,
    em: f32,
}

fn layout(text: &str, size: f64, style: FontStyle) -> Line {
    let font = face(style).as_scaled(PxScale::from(size as f32));
    let em = font.font().units_per_em().unwrap_or(2048.0) * font.v_scale_factor();
    let mut glyphs = Vec::with_capacity(text.len());
    let mut pen = 0.0;
    let mut prev = None;
    for c in text.chars() {
        let id = font.glyph_id(c);
        if let Some(p) = prev {
            pen += font.kern(p, id);
        }
        glyphs.push((id, pen));
        pen += font.h_advance(id);
        prev = Some(id);
    }
    Line {
        glyphs,
        width: pen,
        em,
    }
}

/// Width and height in pixels of `text` in `style` (the height is one em, from the
/// top of capitals to the bottom of descenders).
pub fn text_size<S: BackendTextStyle>(text: &str, style: &S) -> (u32, u32) {
    let line = layout(text, style.size(), style.style());
    (line.width.ceil() as u32, line.em.round() as u32)
}

/// Text width in pixels; see [`text_size`].
pub fn text_width<S: BackendTextStyle>(text: &str, style: &S) -> i32 {
    text_size(text, style).0 as i32
}

/// Text height in pixels; see [`text_size`].
pub fn text_height<S: BackendTextStyle>(style: &S) -> i32 {
    text_size("", style).1 as i32
}

/// A backend whose text is laid out by ab_glyph (see the module documentation).
pub struct TextFix<DB> {
    inner: DB,
    raster: bool,
}

impl<DB: DrawingBackend> TextFix<DB> {
    /// Wraps a bitmap backend: text is rasterised here.
    pub fn raster(inner: DB) -> Self {
        Self {
            inner,
            raster: true,
        }
    }

    /// Wraps a vector backend: text is handed on whole.
    pub fn vector(inner: DB) -> Self {
        Self {
            inner,
            raster: false,
        }
    }

    fn rasterise<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        let colour = style.color();
        let line = layout(text, style.size(), style.style());
        let anchor = style.anchor();
        let dx = match anchor.h_pos {
            HPos::Left => 0.0,
            HPos::Center => -line.width / 2.0,
            HPos::Right => -line.width,
        };
        let baseline = line.em
            * match anchor.v_pos {
                VPos::Top => ASCENT_EM,
                VPos::Center => ASCENT_EM - 0.5,
                VPos::Bottom => ASCENT_EM - 1.0,
            };
        let font = face(style.style()).as_scaled(PxScale::from(style.size() as f32));
        let trans = style.transform();
        let (w, h) = self.inner.get_size();
        for (id, x) in line.glyphs {
            let glyph = id.with_scale_and_position(font.scale(), point(dx + x, baseline));
            let Some(outline) = font.outline_glyph(glyph) else {
                continue;
            };
            let min = outline.px_bounds().min;
            let mut pixels = Vec::new();
            outline.draw(|x, y, c| {
                if c > 0.0 {
                    pixels.push((min.x as i32 + x as i32, min.y as i32 + y as i32, c));
                }
            });
            for (u, v, c) in pixels {
                let (tx, ty) = trans.transform(u, v);
                let (px, py) = (pos.0 + tx, pos.1 + ty);
                if px >= 0 && py >= 0 && px < w as i32 && py < h as i32 {
                    let alpha = colour.alpha * f64::from(c.min(1.0));
                    self.inner.draw_pixel(
                        (px, py),
                        BackendColor {
                            alpha,
                            rgb: colour.rgb,
                        },
                    )?;
                }
            }
        }
        Ok(())
    }
}

impl<DB: DrawingBackend> DrawingBackend for TextFix<DB> {
    type ErrorType = DB::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        self.inner.present()
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        self.inner.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        self.inner.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        if style.stroke_width() > 1 {
            self.inner.draw_path(straight_through(path), style)
        } else {
            self.inner.draw_path(path, style)
        }
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        self.inner.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        self.inner.fill_polygon(vert, style)
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        if text.is_empty() || style.color().alpha == 0.0 {
            Ok(())
        } else if self.raster {
            self.rasterise(text, style, pos)
        } else {
            self.inner.draw_text(text, style, pos)
        }
    }

    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<DB::ErrorType>> {
        Ok(text_size(text, style))
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<DB::ErrorType>> {
        self.inner.blit_bitmap(pos, size, src)
    }
}

/// The points of a path without those it runs straight through (a point on the line
/// from the one before it to the one after it, going on in the same direction), and
/// without repeats.
///
/// plotters-backend 0.3.7 outlines a path wider than a pixel as a polygon whose corner
/// at a point where the path runs straight on is truncated to whole pixels, while every
/// other corner, the ends included, is rounded: a horizontal line of width 3 at y = 170
/// runs from 168 to 171 between its ends and from 169 to 172 at them, so every flat line
/// of a chart dipped by a pixel over its first and last segments, as if the series fell
/// in its first and last years. Without those points the outline has only rounded
/// corners; the line drawn is the same.
fn straight_through(path: impl IntoIterator<Item = BackendCoord>) -> Vec<BackendCoord> {
    let mut out: Vec<BackendCoord> = Vec::new();
    for p in path {
        if out.last() == Some(&p) {
            continue;
        }
        if let [.., a, b] = out[..] {
            let (u, v) = (
                (i64::from(b.0 - a.0), i64::from(b.1 - a.1)),
                (i64::from(p.0 - b.0), i64::from(p.1 - b.1)),
            );
            if u.0 * v.1 == u.1 * v.0 && u.0 * v.0 + u.1 * v.1 > 0 {
                out.pop();
            }
        }
        out.push(p);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::font;
    use super::*;
    use plotters::prelude::*;

    #[test]
    fn paths_lose_only_the_points_they_run_straight_through() {
        let p = straight_through([
            (0, 5),
            (10, 5),
            (10, 5),
            (20, 5),
            (30, 8),
            (40, 11),
            (30, 11),
        ]);
        // (10, 5) lies on the way from (0, 5) to (20, 5); (30, 8) on the way to (40, 11);
        // the turn back at (40, 11) stays.
        assert_eq!(p, vec![(0, 5), (20, 5), (40, 11), (30, 11)]);
        assert_eq!(straight_through([(1, 1)]), vec![(1, 1)]);
    }

    /// A flat line three pixels wide covers the same rows at its ends as in its middle
    /// (plotters' outline dipped by a pixel over the first and last segments).
    #[test]
    fn a_flat_thick_line_does_not_dip_at_its_ends() {
        let (w, h) = (200u32, 40u32);
        let mut buf = vec![255u8; (w * h * 3) as usize];
        {
            let root =
                TextFix::raster(BitMapBackend::with_buffer(&mut buf, (w, h))).into_drawing_area();
            let pts: Vec<(i32, i32)> = (0..10).map(|i| (10 + 20 * i, 20)).collect();
            root.draw(&PathElement::new(
                pts,
                ShapeStyle::from(&BLUE).stroke_width(3),
            ))
            .unwrap();
        }
        let rows = |x: usize| -> Vec<usize> {
            (0..h as usize)
                .filter(|&y| buf[(y * w as usize + x) * 3] < 128)
                .collect()
        };
        let middle = rows(100);
        assert!(!middle.is_empty());
        for x in [12, 20, 180, 188] {
            assert_eq!(rows(x), middle, "column {x}");
        }
    }

    #[test]
    fn widths_grow_with_text() {
        let st = font::text(16.0);
        assert_eq!(text_width("", &st), 0);
        assert!(text_width("KRW 300T", &st) > text_width("KRW 3T", &st));
        assert!(text_height(&st) > 10);
        let s = "Target by 2042";
        assert!(text_width(s, &font::bold(16.0)) > text_width(s, &font::text(16.0)));
    }

    /// Leftmost inked column of `s` drawn at x = 10 on a white bitmap.
    fn first_ink(s: &str) -> usize {
        let (w, h) = (200u32, 60u32);
        let mut buf = vec![255u8; (w * h * 3) as usize];
        {
            let root =
                TextFix::raster(BitMapBackend::with_buffer(&mut buf, (w, h))).into_drawing_area();
            root.draw_text(s, &font::text(48.0), (10, 5)).unwrap();
        }
        (0..w as usize)
            .find(|&x| (0..h as usize).any(|y| buf[(y * w as usize + x) * 3] < 200))
            .unwrap()
    }

    #[test]
    fn glyphs_keep_their_left_side_bearing() {
        // 'W' starts at its pen position (tiny bearing), '1' some 4 px right of it (its
        // left side bearing at 48 px; plotters' own path draws both at the pen).
        let (w, one) = (first_ink("W"), first_ink("1"));
        assert!((10..=11).contains(&w), "W from {w}");
        assert!(one >= w + 3, "1 from {one}");
    }
}
