//! The site map: sites placed by km east/north of Seoul City Hall, spillover
//! links as lines, bubbles sized by final-year median capacity.

use super::axes::{Frame, Ticks, x_label_area};
use super::backend::text_width;
use super::format;
use super::frame;
use super::labels::{self, Bubble};
use super::site_legend;
use super::{Chart, ChartError, font, provenance};
use crate::sim::results::EnsembleResult;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Smallest bubble radius (sites without capacity), pixels.
pub(super) const R_MIN: f64 = 6.0;
/// Largest bubble radius, pixels.
pub(super) const R_MAX: f64 = 34.0;
const SIDE_W: i32 = 300;
const Y_AREA: i32 = 70;
const HEIGHT: i32 = 860;

/// The site map of an ensemble.
#[derive(Debug, Clone)]
pub struct SiteMap<'a> {
    result: &'a EnsembleResult,
}

/// The site map, if `result` has sites.
pub fn charts(result: &EnsembleResult) -> Vec<SiteMap<'_>> {
    if result.sites.is_empty() {
        Vec::new()
    } else {
        vec![SiteMap { result }]
    }
}

/// Final-year median of `metric`, or 0.
fn final_median(r: &EnsembleResult, metric: &str) -> f64 {
    r.series(metric)
        .and_then(|s| s.get(r.years.len().min(s.len()).checked_sub(1)?))
        .map(|st| frame::finite(st.p50).max(0.0))
        .unwrap_or(0.0)
}

/// Bubble radius in pixels for `cap` when the largest capacity is `cap_max`.
pub(super) fn radius(cap: f64, cap_max: f64) -> f64 {
    if cap_max > 0.0 {
        R_MIN + (R_MAX - R_MIN) * (cap / cap_max).sqrt()
    } else {
        R_MIN
    }
}

impl SiteMap<'_> {
    fn last_year(&self) -> Option<i32> {
        self.result.years.last().copied()
    }

    /// km bounds of the sites and Seoul City Hall, with room for labels.
    fn bounds(&self) -> (f64, f64, f64, f64) {
        let sites = &self.result.sites;
        let xs = sites.iter().map(|s| frame::finite(s.x_km)).chain([0.0]);
        let ys = sites.iter().map(|s| frame::finite(s.y_km)).chain([0.0]);
        let (x0, x1) = xs.fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(v), b.max(v)));
        let (y0, y1) = ys.fold((f64::MAX, f64::MIN), |(a, b), v| (a.min(v), b.max(v)));
        (x0 - 15.0, x1 + 35.0, y0 - 12.0, y1 + 10.0)
    }

    /// Equal-scale km ranges for a plot of `w` × `h` pixels.
    fn ranges(&self, w: f64, h: f64) -> ((f64, f64), (f64, f64)) {
        let (x0, x1, y0, y1) = self.bounds();
        let kpp = ((x1 - x0) / w.max(1.0)).max((y1 - y0) / h.max(1.0));
        let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
        let (hw, hh) = (kpp * w / 2.0, kpp * h / 2.0);
        ((cx - hw, cx + hw), (cy - hh, cy + hh))
    }
}

impl Chart for SiteMap<'_> {
    fn stem(&self) -> String {
        "site_map".into()
    }

    fn size(&self) -> (u32, u32) {
        let (x0, x1, y0, y1) = self.bounds();
        let plot_h = (HEIGHT - 100 - x_label_area(font::LABEL_PX, true) - 18) as f64;
        let plot_w = plot_h * (x1 - x0) / (y1 - y0);
        let w = plot_w as i32 + Y_AREA + 12 + 30 + SIDE_W;
        (w.clamp(1000, 1600) as u32, HEIGHT as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let r = self.result;
        let year = self.last_year();
        let when = year.map(|y| format!(" in {y}")).unwrap_or_default();
        let title = "Sites of the semiconductor mega-cluster";
        let subtitle = format!(
            "{} · bubble area = median wafer capacity{when} · km from Seoul City Hall",
            provenance(r)
        );
        let area = frame::title_block(root, title, &subtitle)?;
        let (plot, side) = area.split_horizontally(area.dim_in_pixel().0 as i32 - SIDE_W);
        let (pw, ph) = plot.dim_in_pixel();
        let (xr, yr) = self.ranges(
            pw as f64 - (Y_AREA + 12 + 30) as f64,
            ph as f64 - (x_label_area(font::LABEL_PX, true) + 18) as f64,
        );
        let chart = Frame {
            x: xr,
            y: yr,
            x_ticks: Ticks::Round(10, &format::number),
            y_ticks: Ticks::Round(10, &format::number),
            x_desc: "km east of Seoul City Hall",
            y_desc: "km north of Seoul City Hall",
            label_px: font::LABEL_PX,
            right: 30,
            y_area: Some(Y_AREA as u32),
        }
        .build(&plot)?;
        let mut chart = chart;
        let sites = &r.sites;
        let caps: Vec<f64> = sites
            .iter()
            .map(|s| final_median(r, &format!("site_capacity_kwpm.{}", s.name)))
            .collect();
        let firms: Vec<Option<f64>> = sites
            .iter()
            .map(|s| {
                let m = format!("site_firms.{}", s.name);
                r.series(&m).map(|_| final_median(r, &m))
            })
            .collect();
        let cap_max = caps.iter().copied().fold(0.0, f64::max);
        let pos = |i: usize| (frame::finite(sites[i].x_km), frame::finite(sites[i].y_km));

        // Links first, under the bubbles; stronger links are thicker and darker.
        for l in &r.links {
            if l.a >= sites.len() || l.b >= sites.len() || l.a == l.b {
                continue;
            }
            let w = frame::finite(l.weight).clamp(0.0, 1.0);
            let style = RGBColor(110, 140, 170)
                .mix(0.3 + 0.5 * w)
                .stroke_width(1 + (5.0 * w).round() as u32);
            chart.draw_series(LineSeries::new([pos(l.a), pos(l.b)], style))?;
        }

        // Seoul City Hall for orientation.
        let seoul = chart.backend_coord(&(0.0, 0.0));
        root.draw(&Cross::new(seoul, 7, BLACK.stroke_width(3)))?;
        let label = font::muted(font::LABEL_PX).pos(Pos::new(HPos::Left, VPos::Center));
        root.draw_text("Seoul City Hall", &label, (seoul.0 + 12, seoul.1))?;

        let cluster = frame::colour(5);
        let other = frame::colour(0);
        let bubbles: Vec<Bubble> = (0..sites.len())
            .map(|i| {
                let (x, y) = chart.backend_coord(&pos(i));
                Bubble {
                    x,
                    y,
                    r: radius(caps[i], cap_max).round() as i32,
                }
            })
            .collect();
        // Bubbles, largest first so small ones stay visible on top.
        let mut order: Vec<usize> = (0..sites.len()).collect();
        order.sort_by(|&a, &b| caps[b].total_cmp(&caps[a]).then(a.cmp(&b)));
        for &i in &order {
            let b = bubbles[i];
            let c = if sites[i].in_cluster { cluster } else { other };
            root.draw(&Circle::new((b.x, b.y), b.r as u32, c.mix(0.5).filled()))?;
            root.draw(&Circle::new((b.x, b.y), b.r as u32, c.stroke_width(2)))?;
        }
        // Labels where they overlap no bubble and no other label, with leader lines
        // when pushed away from their bubble.
        let name_style = font::bold(font::LABEL_PX);
        let line_h = font::LABEL_PX as i32 + 4;
        let sizes: Vec<(i32, i32)> = sites
            .iter()
            .map(|s| (text_width(&s.name, &name_style) + 4, line_h))
            .collect();
        let (px, py) = chart.plotting_area().get_pixel_range();
        let seoul_box = (seoul.0 - 10, seoul.1 - 12, seoul.0 + 150, seoul.1 + 12);
        let bounds = (px.start + 2, py.start + 2, px.end - 2, py.end - 2);
        let placed = labels::place(&bubbles, &sizes, bounds, &[seoul_box]);
        let top = Pos::new(HPos::Left, VPos::Top);
        for ((p, b), site) in placed.iter().zip(&bubbles).zip(sites) {
            let (l, t, _, _) = p.rect;
            if p.leader {
                let (nx, ny) = labels::nearest(p.rect, b.x, b.y);
                let (dx, dy) = ((nx - b.x) as f64, (ny - b.y) as f64);
                let len = (dx * dx + dy * dy).sqrt().max(1.0);
                let start = (
                    b.x + (dx / len * b.r as f64).round() as i32,
                    b.y + (dy / len * b.r as f64).round() as i32,
                );
                root.draw(&PathElement::new(
                    vec![start, (nx, ny)],
                    BLACK.stroke_width(1),
                ))?;
            }
            root.draw(&Rectangle::new(
                [(l, t), (p.rect.2, p.rect.3)],
                WHITE.mix(0.75).filled(),
            ))?;
            root.draw_text(&site.name, &name_style.pos(top), (l + 2, t + 2))?;
        }
        let rows: Vec<site_legend::Row> = (0..sites.len())
            .map(|i| site_legend::Row {
                name: &sites[i].name,
                cluster: sites[i].in_cluster,
                cap: caps[i],
                firms: firms[i],
            })
            .collect();
        let y = site_legend::draw_legend(&side, cap_max, year)?;
        site_legend::draw_table(&side, &rows, year, y + 36)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn radii() {
        assert_eq!(radius(0.0, 0.0), R_MIN);
        assert_eq!(radius(100.0, 100.0), R_MAX);
    }
}
