//! Capacity side by side: one panel per scenario with the median wafer capacity
//! stacked by site (or by segment), all panels on the same y scale and with the same
//! colour for a site everywhere, so the panels compare at a glance.
//!
//! Sites are matched by name: a site that only some scenarios have keeps one colour
//! and is simply absent from the others' stacks.

use super::axes::{self, YearAxes};
use super::format::ValueFormat;
use super::frame::{self, LegendItem, Swatch};
use super::overlay::{Entry, all_years, runs_note};
use super::{Chart, ChartError, font};
use plotters::coord::Shift;
use plotters::prelude::*;

/// How capacity is split into layers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SplitBy {
    /// By site (`site_capacity_kwpm.<site>`).
    Site,
    /// By segment (`capacity_kwpm.<segment>`).
    Segment,
}

/// Capacity panels, one per scenario.
#[derive(Debug, Clone)]
pub struct CapacityPanels<'a> {
    entries: &'a [Entry<'a>],
    by: SplitBy,
    /// (label, metric) from the bottom of the stack up; colour = position.
    layers: Vec<(String, String)>,
}

fn layers(entries: &[Entry<'_>], by: SplitBy) -> Vec<(String, String)> {
    match by {
        SplitBy::Site => {
            let mut out: Vec<(String, String)> = Vec::new();
            for e in entries {
                for s in &e.result.sites {
                    if !out.iter().any(|(l, _)| *l == s.name) {
                        out.push((s.name.clone(), format!("site_capacity_kwpm.{}", s.name)));
                    }
                }
            }
            out
        }
        SplitBy::Segment => [
            ("Memory", "Memory"),
            ("Advanced logic", "AdvancedLogic"),
            ("Mature logic", "MatureLogic"),
            ("Advanced packaging", "AdvancedPackaging"),
        ]
        .iter()
        .map(|(l, m)| (l.to_string(), format!("capacity_kwpm.{m}")))
        .collect(),
    }
}

/// Capacity by site and by segment, side by side, where any entry records them.
pub fn charts<'a>(entries: &'a [Entry<'a>]) -> Vec<CapacityPanels<'a>> {
    [SplitBy::Site, SplitBy::Segment]
        .into_iter()
        .filter_map(|by| {
            let layers: Vec<(String, String)> = layers(entries, by)
                .into_iter()
                .filter(|(_, m)| entries.iter().any(|e| e.result.series(m).is_some()))
                .collect();
            (!layers.is_empty()).then_some(CapacityPanels {
                entries,
                by,
                layers,
            })
        })
        .collect()
}

const HEADER_H: u32 = 110;
const PANEL_H: u32 = 420;
const LEGEND_W: i32 = 220;

impl CapacityPanels<'_> {
    fn cols(&self) -> usize {
        self.entries.len().clamp(1, 3)
    }

    fn grid_rows(&self) -> usize {
        self.entries.len().max(1).div_ceil(self.cols())
    }

    /// Cumulative medians of entry `e`: `cum[k][y]` is the top of layer k-1 in year y.
    fn stack(&self, e: &Entry<'_>) -> Vec<Vec<f64>> {
        let n = e.result.years.len();
        let mut cum = vec![vec![0.0; n]; self.layers.len() + 1];
        for (k, (_, metric)) in self.layers.iter().enumerate() {
            let s = e.result.series(metric).unwrap_or(&[]);
            let next: Vec<f64> = cum[k]
                .iter()
                .enumerate()
                .map(|(y, below)| below + s.get(y).map_or(0.0, |st| frame::finite(st.p50).max(0.0)))
                .collect();
            cum[k + 1] = next;
        }
        cum
    }

    /// Layers with capacity in any entry.
    fn shown(&self) -> Vec<usize> {
        (0..self.layers.len())
            .filter(|&k| {
                self.entries.iter().any(|e| {
                    e.result
                        .series(&self.layers[k].1)
                        .is_some_and(|s| s.iter().any(|v| frame::finite(v.p50) > 0.0))
                })
            })
            .collect()
    }
}

impl Chart for CapacityPanels<'_> {
    fn stem(&self) -> String {
        match self.by {
            SplitBy::Site => "compare_capacity_by_site".into(),
            SplitBy::Segment => "compare_capacity_by_segment".into(),
        }
    }

    fn size(&self) -> (u32, u32) {
        (1200, HEADER_H + PANEL_H * self.grid_rows() as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let (title, heading) = match self.by {
            SplitBy::Site => ("Wafer capacity by site, side by side", "Site"),
            SplitBy::Segment => ("Wafer capacity by segment, side by side", "Segment"),
        };
        let subtitle = format!(
            "{} · medians across runs, stacked · same scale in every panel",
            runs_note(self.entries)
        );
        let area = frame::title_block(root, title, &subtitle)?;
        let (grid, side) = area.split_horizontally(area.dim_in_pixel().0 as i32 - LEGEND_W);
        let shown = self.shown();
        let years = all_years(self.entries);
        if shown.is_empty() || years.is_empty() {
            return frame::no_data(&grid, "No capacity in any scenario");
        }
        let stacks: Vec<Vec<Vec<f64>>> = self.entries.iter().map(|e| self.stack(e)).collect();
        let top = stacks
            .iter()
            .filter_map(|c| c.last())
            .flat_map(|v| v.iter().copied());
        let y = frame::value_range(top, true);
        let panels = grid.split_evenly((self.grid_rows(), self.cols()));
        for (i, (e, panel)) in self.entries.iter().zip(panels.iter()).enumerate() {
            let (w, _) = panel.dim_in_pixel();
            let style = font::bold(font::SUBTITLE_PX);
            let label = frame::fit(e.label, &style, w as i32 - 30);
            panel.draw_text(&label, &style, (16, 6))?;
            let plot = panel.split_vertically(32).1;
            let y_desc = if i % self.cols() == 0 {
                "Thousand wafers per month"
            } else {
                ""
            };
            let mut ax = YearAxes::new(&years, y, ValueFormat::Plain, y_desc);
            ax.x_desc = "";
            ax.x_ticks = 6;
            ax.y_ticks = 6;
            ax.right = 18;
            let mut chart = ax.build(&plot)?;
            let cum = &stacks[i];
            for &k in &shown {
                let c = frame::colour(k);
                let lo = axes::points(&e.result.years, cum[k].iter().copied());
                let hi = axes::points(&e.result.years, cum[k + 1].iter().copied());
                axes::band(&mut chart, &lo, &hi, c, 0.85)?;
                if hi.len() > 1 {
                    chart.draw_series(LineSeries::new(hi, WHITE.stroke_width(1)))?;
                }
            }
        }
        let items: Vec<LegendItem> = shown
            .iter()
            .rev()
            .map(|&k| LegendItem::new(Swatch::Band(frame::colour(k), 0.85), &self.layers[k].0))
            .collect();
        frame::legend_column(&side, heading, &items, (8, 24))?;
        Ok(())
    }
}
