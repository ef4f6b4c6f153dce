//! Power and water: median demand vs supply per site as small multiples, with
//! the shortfall shaded.

use super::axes::{self, YearAxes};
use super::format::ValueFormat;
use super::frame::{self, LegendItem, Swatch};
use super::{Chart, ChartError, font, provenance};
use crate::sim::results::EnsembleResult;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Demand vs supply of one utility (power or water) for every site that uses it.
#[derive(Debug, Clone)]
pub struct InfraChart<'a> {
    result: &'a EnsembleResult,
    stem: &'static str,
    title: &'static str,
    unit: &'static str,
    demand: &'static str,
    supply: &'static str,
    /// Site indices with any nonzero demand or supply.
    panels: Vec<usize>,
}

/// The power and water charts, for the sites that have any demand or supply.
pub fn charts(result: &EnsembleResult) -> Vec<InfraChart<'_>> {
    let specs = [
        (
            "infra_power",
            "Power demand vs supply by site",
            "Power (MW)",
            "power_demand_mw.",
            "power_supply_mw.",
        ),
        (
            "infra_water",
            "Water demand vs supply by site",
            "Water (thousand tonnes / day)",
            "water_demand_ktd.",
            "water_supply_ktd.",
        ),
    ];
    let mut out = Vec::new();
    for (stem, title, unit, demand, supply) in specs {
        let mut c = InfraChart {
            result,
            stem,
            title,
            unit,
            demand,
            supply,
            panels: Vec::new(),
        };
        c.panels = (0..result.sites.len())
            .filter(|&i| {
                let (d, s) = c.medians(i);
                d.iter().chain(&s).any(|v| v.abs() > 0.0)
            })
            .collect();
        if !c.panels.is_empty() {
            out.push(c);
        }
    }
    out
}

/// Points of the shortfall polygon (demand above supply), with crossings interpolated.
/// Empty when demand never exceeds supply.
pub fn shortfall(years: &[f64], demand: &[f64], supply: &[f64]) -> Vec<(f64, f64)> {
    let n = years.len().min(demand.len()).min(supply.len());
    if n < 2 || (0..n).all(|i| demand[i] <= supply[i]) {
        return Vec::new();
    }
    let mut pts: Vec<(f64, f64, f64)> = Vec::new();
    for i in 0..n {
        pts.push((years[i], demand[i], supply[i]));
        if i + 1 < n {
            let (a, b) = (demand[i] - supply[i], demand[i + 1] - supply[i + 1]);
            if a * b < 0.0 {
                let t = a / (a - b);
                let lerp = |p: f64, q: f64| p + t * (q - p);
                let s = lerp(supply[i], supply[i + 1]);
                pts.push((lerp(years[i], years[i + 1]), s, s));
            }
        }
    }
    let upper = pts.iter().map(|&(x, d, s)| (x, d.max(s)));
    let lower: Vec<(f64, f64)> = pts.iter().map(|&(x, _, s)| (x, s)).collect();
    upper.chain(lower.into_iter().rev()).collect()
}

impl InfraChart<'_> {
    fn medians(&self, site: usize) -> (Vec<f64>, Vec<f64>) {
        let r = self.result;
        let name = &r.sites[site].name;
        let get = |prefix: &str| -> Vec<f64> {
            r.series(&format!("{prefix}{name}"))
                .map(|s| {
                    s.iter()
                        .take(r.years.len())
                        .map(|st| frame::finite(st.p50))
                        .collect()
                })
                .unwrap_or_default()
        };
        (get(self.demand), get(self.supply))
    }

    fn grid(&self) -> (usize, usize) {
        let n = self.panels.len().max(1);
        let cols = match n {
            1..=3 => n,
            4 => 2,
            5 | 6 => 3,
            _ => 4,
        };
        (n.div_ceil(cols), cols)
    }

    fn draw_panel<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        site: usize,
    ) -> Result<(), ChartError> {
        let r = self.result;
        let (d, s) = self.medians(site);
        let y = frame::value_range(d.iter().chain(&s).copied(), true);
        let title_area = area.split_vertically(30);
        let name = &r.sites[site].name;
        title_area
            .0
            .draw_text(name, &font::bold(font::SUBTITLE_PX), (12, 8))?;
        let mut ax = YearAxes::new(&r.years, y, ValueFormat::Plain, "");
        ax.x_desc = "";
        ax.x_ticks = 5;
        ax.y_ticks = 5;
        ax.right = 22;
        let mut chart = ax.build(&title_area.1)?;
        let xs: Vec<f64> = r.years.iter().map(|&v| v as f64).collect();
        let red = frame::colour(5);
        let blue = frame::colour(0);
        let poly = shortfall(&xs, &d, &s);
        if !poly.is_empty() {
            chart.draw_series(std::iter::once(Polygon::new(poly, red.mix(0.25).filled())))?;
        }
        axes::line(
            &mut chart,
            &axes::points(&r.years, s.iter().copied()),
            blue,
            3,
            false,
        )?;
        axes::line(
            &mut chart,
            &axes::points(&r.years, d.iter().copied()),
            red,
            3,
            false,
        )?;
        let short: Vec<usize> = (0..d.len().min(s.len()).min(r.years.len()))
            .filter(|&i| d[i] > s[i])
            .collect();
        if !d.is_empty() && !s.is_empty() {
            let (note, style) = match (short.first(), short.last()) {
                (Some(&a), Some(&b)) if b + 1 == r.years.len() && a != b => (
                    format!("Shortfall from {}", r.years[a]),
                    font::bold(font::NOTE_PX).color(&red),
                ),
                (Some(&a), Some(&b)) if a != b => (
                    format!("Shortfall {}–{}", r.years[a], r.years[b]),
                    font::bold(font::NOTE_PX).color(&red),
                ),
                (Some(&a), _) => (
                    format!("Shortfall in {}", r.years[a]),
                    font::bold(font::NOTE_PX).color(&red),
                ),
                _ => ("No shortfall".to_string(), font::muted(font::NOTE_PX)),
            };
            let (px, py) = chart.plotting_area().get_pixel_range();
            let style = style.pos(Pos::new(HPos::Left, VPos::Top));
            let base = area.get_base_pixel();
            area.draw_text(
                &note,
                &style,
                (px.start - base.0 + 8, py.start - base.1 + 6),
            )?;
        }
        Ok(())
    }
}

impl Chart for InfraChart<'_> {
    fn stem(&self) -> String {
        self.stem.into()
    }

    fn size(&self) -> (u32, u32) {
        let (rows, _) = self.grid();
        (1200, (170 + rows as u32 * 300).max(700))
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let subtitle = format!(
            "{} · medians across runs · shaded where demand exceeds supply · y scales differ",
            provenance(self.result)
        );
        let area = frame::title_block(root, self.title, &subtitle)?;
        let red = frame::colour(5);
        let legend = [
            LegendItem::new(Swatch::Line(red), "Demand (median)"),
            LegendItem::new(Swatch::Line(frame::colour(0)), "Supply (median)"),
            LegendItem::new(Swatch::Band(red, 0.25), "Shortfall"),
        ];
        let area = frame::legend_rows(&area, &legend, 24)?;
        let (w, h) = area.dim_in_pixel();
        // Shared axis descriptions: y on the left, rotated; "Year" at the bottom.
        let (left, rest) = area.split_horizontally(34);
        let (grid, bottom) = rest.split_vertically(h as i32 - 30);
        let ystyle = font::text(font::AXIS_DESC_PX)
            .transform(FontTransform::Rotate270)
            .pos(Pos::new(HPos::Center, VPos::Top));
        left.draw_text(self.unit, &ystyle, (16, h as i32 / 2))?;
        let xstyle = font::text(font::AXIS_DESC_PX).pos(Pos::new(HPos::Center, VPos::Center));
        bottom.draw_text("Year", &xstyle, ((w as i32 - 34) / 2, 14))?;
        let (rows, cols) = self.grid();
        let cells = grid.split_evenly((rows, cols));
        for (cell, &site) in cells.iter().zip(&self.panels) {
            self.draw_panel(cell, site)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortfall_polygon() {
        let x = [0.0, 1.0, 2.0];
        assert!(shortfall(&x, &[1.0, 1.0, 1.0], &[2.0, 2.0, 2.0]).is_empty());
        let p = shortfall(&x, &[1.0, 3.0, 3.0], &[2.0, 2.0, 2.0]);
        // 3 years + 1 crossing, forward and back.
        assert_eq!(p.len(), 8);
        assert!(p.contains(&(0.5, 2.0)));
        assert!(shortfall(&x[..1], &[5.0], &[1.0]).is_empty());
    }
}
