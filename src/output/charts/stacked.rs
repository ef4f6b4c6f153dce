//! Stacked area charts of medians: capacity by site and by segment.

use super::axes::{self, YearAxes};
use super::format::ValueFormat;
use super::frame::{self, LegendItem, Swatch};
use super::{Chart, ChartError, provenance};
use crate::sim::results::EnsembleResult;
use plotters::coord::Shift;
use plotters::prelude::*;

/// A drawn layer: palette index, label, median per year.
type Layer = (usize, String, Vec<f64>);

/// A stacked area chart of the medians of several metrics.
#[derive(Debug, Clone)]
pub struct StackedChart<'a> {
    result: &'a EnsembleResult,
    stem: String,
    title: String,
    y_desc: String,
    legend_title: String,
    /// (label, metric) from the bottom of the stack up.
    layers: Vec<(String, String)>,
}

/// The stacked charts that `result` has metrics for: capacity by site and by segment.
pub fn charts(result: &EnsembleResult) -> Vec<StackedChart<'_>> {
    let by_site: Vec<(String, String)> = result
        .sites
        .iter()
        .map(|s| (s.name.clone(), format!("site_capacity_kwpm.{}", s.name)))
        .collect();
    let by_segment: Vec<(String, String)> = [
        ("Memory", "Memory"),
        ("Advanced logic", "AdvancedLogic"),
        ("Mature logic", "MatureLogic"),
        ("Advanced packaging", "AdvancedPackaging"),
    ]
    .iter()
    .map(|(l, m)| (l.to_string(), format!("capacity_kwpm.{m}")))
    .collect();
    let mut out = Vec::new();
    for (stem, title, legend_title, layers) in [
        (
            "stacked_capacity_by_site",
            "Wafer capacity by site",
            "Site",
            by_site,
        ),
        (
            "stacked_capacity_by_segment",
            "Wafer capacity by segment",
            "Segment",
            by_segment,
        ),
    ] {
        let layers: Vec<(String, String)> = layers
            .into_iter()
            .filter(|(_, m)| result.series(m).is_some())
            .collect();
        if layers.is_empty() {
            continue;
        }
        out.push(StackedChart {
            result,
            stem: stem.into(),
            title: title.into(),
            y_desc: "Wafers per month (thousands)".into(),
            legend_title: legend_title.into(),
            layers,
        });
    }
    out
}

impl StackedChart<'_> {
    /// Median per year of each layer, with its palette index; all-zero layers dropped.
    fn medians(&self) -> (Vec<Layer>, Vec<String>) {
        let n = self.result.years.len();
        let mut shown = Vec::new();
        let mut empty = Vec::new();
        for (i, (label, metric)) in self.layers.iter().enumerate() {
            let s = self.result.series(metric).unwrap_or(&[]);
            let v: Vec<f64> = (0..n)
                .map(|y| {
                    s.get(y)
                        .map(|st| frame::finite(st.p50).max(0.0))
                        .unwrap_or(0.0)
                })
                .collect();
            if v.iter().all(|&x| x <= 0.0) {
                empty.push(label.clone());
            } else {
                shown.push((i, label.clone(), v));
            }
        }
        (shown, empty)
    }
}

impl Chart for StackedChart<'_> {
    fn stem(&self) -> String {
        self.stem.clone()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let r = self.result;
        let (layers, empty) = self.medians();
        let mut subtitle = format!("{} · medians across runs, stacked", provenance(r));
        if !empty.is_empty() {
            subtitle.push_str(&format!(" · no capacity: {}", empty.join(", ")));
        }
        let area = frame::title_block(root, &self.title, &subtitle)?;
        let (plot, side) = area.split_horizontally(area.dim_in_pixel().0 as i32 - 230);
        if layers.is_empty() || r.years.is_empty() {
            return frame::no_data(&plot, "No capacity in any year");
        }
        let n = r.years.len();
        let mut cum = vec![vec![0.0; n]; layers.len() + 1];
        for (k, (_, _, v)) in layers.iter().enumerate() {
            for y in 0..n {
                cum[k + 1][y] = cum[k][y] + v[y];
            }
        }
        let y = frame::value_range(cum[layers.len()].iter().copied(), true);
        let mut ax = YearAxes::new(&r.years, y, ValueFormat::Plain, &self.y_desc);
        ax.right = 20;
        let mut chart = ax.build(&plot)?;
        for (k, (ci, _, _)) in layers.iter().enumerate() {
            let c = frame::colour(*ci);
            let lo = axes::points(&r.years, cum[k].iter().copied());
            let hi = axes::points(&r.years, cum[k + 1].iter().copied());
            axes::band(&mut chart, &lo, &hi, c, 0.85)?;
            if hi.len() > 1 {
                chart.draw_series(LineSeries::new(hi, WHITE.stroke_width(1)))?;
            }
        }
        let items: Vec<LegendItem> = layers
            .iter()
            .rev()
            .map(|(ci, l, _)| LegendItem::new(Swatch::Band(frame::colour(*ci), 0.85), l))
            .collect();
        frame::legend_column(&side, &self.legend_title, &items, (4, 24))?;
        Ok(())
    }
}
