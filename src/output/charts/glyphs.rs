//! Horizontal glyph metrics (advance and left side bearing) read from the
//! embedded TrueType fonts, for placing glyphs one by one in PNG output.
//!
//! plotters 0.3.7's `ab_glyph` text drawing drops each glyph's left side
//! bearing, which makes bitmap text look unevenly spaced ("Cumulati ve").
//! [`super::backend::GlyphFix`] draws glyph by glyph using these metrics instead.

use std::collections::HashMap;
use std::sync::OnceLock;

/// Advance widths and left side bearings of a font, in font units.
#[derive(Debug, Clone)]
pub struct Metrics {
    /// ab_glyph's unscaled height (ascent - descent): pixel size / this = scale.
    height: f64,
    /// (advance, lsb) per glyph id.
    h: Vec<(u16, i16)>,
    /// Character to glyph id, Basic Multilingual Plane.
    cmap: HashMap<u32, u16>,
}

fn u16_at(b: &[u8], o: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*b.get(o)?, *b.get(o + 1)?]))
}

fn i16_at(b: &[u8], o: usize) -> Option<i16> {
    u16_at(b, o).map(|v| v as i16)
}

fn u32_at(b: &[u8], o: usize) -> Option<u32> {
    Some(u32::from_be_bytes([
        *b.get(o)?,
        *b.get(o + 1)?,
        *b.get(o + 2)?,
        *b.get(o + 3)?,
    ]))
}

fn table<'a>(font: &'a [u8], tag: &[u8; 4]) -> Option<&'a [u8]> {
    let n = u16_at(font, 4)? as usize;
    (0..n).find_map(|i| {
        let rec = 12 + 16 * i;
        if font.get(rec..rec + 4)? != tag {
            return None;
        }
        let off = u32_at(font, rec + 8)? as usize;
        let len = u32_at(font, rec + 12)? as usize;
        font.get(off..off.checked_add(len)?)
    })
}

/// Parses a cmap format 4 subtable into a character → glyph map.
fn cmap4(sub: &[u8]) -> Option<HashMap<u32, u16>> {
    let seg = u16_at(sub, 6)? as usize / 2;
    let ends = 14;
    let starts = ends + 2 * seg + 2;
    let deltas = starts + 2 * seg;
    let ranges = deltas + 2 * seg;
    let mut map = HashMap::new();
    for i in 0..seg {
        let (start, end) = (u16_at(sub, starts + 2 * i)?, u16_at(sub, ends + 2 * i)?);
        let delta = u16_at(sub, deltas + 2 * i)?;
        let ro = u16_at(sub, ranges + 2 * i)? as usize;
        if start == 0xFFFF || end < start {
            continue;
        }
        for c in start..=end {
            let g = if ro == 0 {
                c.wrapping_add(delta)
            } else {
                let addr = ranges + 2 * i + ro + 2 * (c - start) as usize;
                match u16_at(sub, addr) {
                    Some(0) | None => 0,
                    Some(g) => g.wrapping_add(delta),
                }
            };
            if g != 0 {
                map.insert(c as u32, g);
            }
        }
    }
    Some(map)
}

impl Metrics {
    /// Reads the metrics of a TrueType font; `None` if a needed table is missing.
    pub fn parse(font: &[u8]) -> Option<Self> {
        let hhea = table(font, b"hhea")?;
        let (mut asc, mut desc) = (i16_at(hhea, 4)?, i16_at(hhea, 6)?);
        if let Some(os2) = table(font, b"OS/2")
            && u16_at(os2, 62)? & (1 << 7) != 0
        {
            asc = i16_at(os2, 68)?;
            desc = i16_at(os2, 70)?;
        }
        let n_h = u16_at(hhea, 34)? as usize;
        let n_glyphs = u16_at(table(font, b"maxp")?, 4)? as usize;
        let hmtx = table(font, b"hmtx")?;
        let mut h = Vec::with_capacity(n_glyphs);
        for g in 0..n_glyphs.max(n_h) {
            if g < n_h {
                h.push((u16_at(hmtx, 4 * g)?, i16_at(hmtx, 4 * g + 2)?));
            } else {
                let adv = h.last().map(|p: &(u16, i16)| p.0).unwrap_or(0);
                h.push((adv, i16_at(hmtx, 4 * n_h + 2 * (g - n_h)).unwrap_or(0)));
            }
        }
        let cmap = table(font, b"cmap")?;
        let n = u16_at(cmap, 2)? as usize;
        let sub = (0..n).find_map(|i| {
            let rec = 4 + 8 * i;
            let (p, e) = (u16_at(cmap, rec)?, u16_at(cmap, rec + 2)?);
            let off = u32_at(cmap, rec + 4)? as usize;
            let sub = cmap.get(off..)?;
            let unicode = (p == 3 && e == 1) || p == 0;
            (unicode && u16_at(sub, 0)? == 4).then_some(sub)
        })?;
        Some(Self {
            height: (asc as f64 - desc as f64).max(1.0),
            h,
            cmap: cmap4(sub)?,
        })
    }

    /// Advance and left side bearing of `c` in pixels at text size `px`.
    pub fn glyph(&self, c: char, px: f64) -> (f64, f64) {
        let g = self.cmap.get(&(c as u32)).copied().unwrap_or(0) as usize;
        let (adv, lsb) = self.h.get(g).copied().unwrap_or((0, 0));
        let s = px / self.height;
        (adv as f64 * s, lsb as f64 * s)
    }
}

/// Metrics of DejaVu Sans regular (`bold == false`) or bold, parsed once.
pub fn dejavu(bold: bool) -> Option<&'static Metrics> {
    static REGULAR: OnceLock<Option<Metrics>> = OnceLock::new();
    static BOLD: OnceLock<Option<Metrics>> = OnceLock::new();
    if bold {
        BOLD.get_or_init(|| Metrics::parse(dejavu::sans::bold()))
            .as_ref()
    } else {
        REGULAR
            .get_or_init(|| Metrics::parse(dejavu::sans::regular()))
            .as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dejavu_metrics() {
        let m = dejavu(false).unwrap();
        let (adv_i, lsb_i) = m.glyph('i', 100.0);
        let (adv_m, _) = m.glyph('M', 100.0);
        assert!(adv_i > 10.0 && adv_i < adv_m, "{adv_i} {adv_m}");
        assert!(lsb_i > 3.0, "{lsb_i}");
        assert!(dejavu(true).is_some());
        assert!(Metrics::parse(&[0u8; 10]).is_none());
        // Unknown characters fall back to glyph 0 without panicking.
        let _ = m.glyph('\u{10FFFF}', 16.0);
    }
}
