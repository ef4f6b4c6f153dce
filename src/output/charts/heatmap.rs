//! A heat map of a target's probability over a two-parameter grid, with the value
//! printed in each cell and a colour bar.

use super::axes::{Frame, Ticks};
use super::format;
use super::frame;
use super::{Chart, ChartError, font};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// A heat map; `z[i][j]` is the value at `xs[i]`, `ys[j]`, in 0..1.
#[derive(Debug, Clone)]
pub struct Heatmap {
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
    /// x values (columns).
    pub xs: Vec<f64>,
    /// y values (rows).
    pub ys: Vec<f64>,
    /// Values.
    pub z: Vec<Vec<f64>>,
    /// Colour bar caption.
    pub z_desc: String,
    /// Formats x and y values for tick labels.
    pub label: fn(f64) -> String,
}

/// A perceptually ordered colour for `t` in 0..1 (viridis anchors, linear in between).
pub fn viridis(t: f64) -> RGBColor {
    const A: [(f64, f64, f64); 6] = [
        (68.0, 1.0, 84.0),
        (65.0, 68.0, 135.0),
        (42.0, 120.0, 142.0),
        (34.0, 168.0, 132.0),
        (122.0, 209.0, 81.0),
        (253.0, 231.0, 37.0),
    ];
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let s = t * (A.len() - 1) as f64;
    let i = (s.floor() as usize).min(A.len() - 2);
    let f = s - i as f64;
    let mix = |a: f64, b: f64| (a + f * (b - a)).round() as u8;
    RGBColor(
        mix(A[i].0, A[i + 1].0),
        mix(A[i].1, A[i + 1].1),
        mix(A[i].2, A[i + 1].2),
    )
}

fn ticks(vals: &[f64], label: fn(f64) -> String) -> Vec<(f64, String)> {
    let every = vals.len().div_ceil(12).max(1);
    vals.iter()
        .enumerate()
        .filter(|(i, _)| i % every == 0)
        .map(|(i, v)| (i as f64 + 0.5, label(*v)))
        .collect()
}

impl Chart for Heatmap {
    fn stem(&self) -> String {
        self.stem.clone()
    }

    fn size(&self) -> (u32, u32) {
        (1200, 800)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let area = frame::title_block(root, &self.title, &self.subtitle)?;
        let (nx, ny) = (self.xs.len(), self.ys.len());
        if nx == 0 || ny == 0 {
            return frame::no_data(&area, "No grid");
        }
        let (w, _) = area.dim_in_pixel();
        let (plot, bar) = area.split_horizontally(w as i32 - 150);
        let mut chart = Frame {
            x: (0.0, nx as f64),
            y: (0.0, ny as f64),
            x_ticks: Ticks::At(ticks(&self.xs, self.label)),
            y_ticks: Ticks::At(ticks(&self.ys, self.label)),
            x_desc: &self.x_desc,
            y_desc: &self.y_desc,
            label_px: font::LABEL_PX,
            right: 10,
            y_area: None,
        }
        .build(&plot)?;
        let base = plot.get_base_pixel();
        let cell_w = {
            let (a, _) = chart.backend_coord(&(0.0, 0.0));
            let (b, _) = chart.backend_coord(&(1.0, 0.0));
            b - a
        };
        for i in 0..nx {
            for j in 0..ny {
                let v = self
                    .z
                    .get(i)
                    .and_then(|c| c.get(j))
                    .copied()
                    .unwrap_or(f64::NAN);
                let (x, y) = (i as f64, j as f64);
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(x, y), (x + 1.0, y + 1.0)],
                    viridis(v).filled(),
                )))?;
                if cell_w >= 38 && v.is_finite() {
                    let (px, py) = chart.backend_coord(&(x + 0.5, y + 0.5));
                    let colour = if v > 0.6 { font::TEXT } else { WHITE };
                    let style = font::text(font::NOTE_PX)
                        .color(&colour)
                        .pos(Pos::new(HPos::Center, VPos::Center));
                    plot.draw_text(&format::probability(v), &style, (px - base.0, py - base.1))?;
                }
            }
        }
        // Colour bar.
        let (_, h) = bar.dim_in_pixel();
        let (top, bottom) = (40, h as i32 - 120);
        let n = 100;
        for k in 0..n {
            let t0 = k as f64 / n as f64;
            let y0 = bottom - ((bottom - top) as f64 * (k + 1) as f64 / n as f64) as i32;
            let y1 = bottom - ((bottom - top) as f64 * k as f64 / n as f64) as i32;
            bar.draw(&Rectangle::new(
                [(20, y0), (50, y1)],
                viridis(t0 + 0.5 / n as f64).filled(),
            ))?;
        }
        let style = font::text(font::LABEL_PX).pos(Pos::new(HPos::Left, VPos::Center));
        for t in [0.0, 0.25, 0.5, 0.75, 1.0] {
            let y = bottom - ((bottom - top) as f64 * t) as i32;
            bar.draw(&PathElement::new(
                vec![(50, y), (56, y)],
                BLACK.stroke_width(1),
            ))?;
            bar.draw_text(&format::percent(t), &style, (60, y))?;
        }
        let st = font::text(font::LABEL_PX).pos(Pos::new(HPos::Left, VPos::Bottom));
        bar.draw_text(&self.z_desc, &st, (10, top - 12))?;
        Ok(())
    }
}
