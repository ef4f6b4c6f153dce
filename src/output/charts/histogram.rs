//! Fabless sales distribution: mean firms per run by sales bin, on a log sales
//! axis, with the KRW 1T threshold marked.

use super::axes::{Frame, Ticks};
use super::format;
use super::frame::{self, LegendItem, Swatch};
use super::{Chart, ChartError, font, provenance};
use crate::sim::results::{EnsembleResult, SalesHistogram};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// KRW 1T in billions.
const ONE_T_B: f64 = 1000.0;

/// The sales distribution of one year.
#[derive(Debug, Clone)]
pub struct SalesChart<'a> {
    result: &'a EnsembleResult,
    hist: &'a SalesHistogram,
}

/// One chart per histogram in `result.fabless_sales`.
pub fn charts(result: &EnsembleResult) -> Vec<SalesChart<'_>> {
    result
        .fabless_sales
        .iter()
        .map(|hist| SalesChart { result, hist })
        .collect()
}

/// Bins with positive, finite, increasing edges: (log10 lo, log10 hi, lo KRW B, count).
fn bins(h: &SalesHistogram) -> Vec<(f64, f64, f64, f64)> {
    h.edges_krw_b
        .windows(2)
        .zip(&h.counts)
        .filter(|(e, c)| e[0] > 0.0 && e[1] > e[0] && e[1].is_finite() && c.is_finite())
        .map(|(e, &c)| (e[0].log10(), e[1].log10(), e[0], c.max(0.0)))
        .collect()
}

impl Chart for SalesChart<'_> {
    fn stem(&self) -> String {
        format!("fabless_sales_{}", self.hist.year)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let h = self.hist;
        let title = format!("Fabless and design-house firms by annual sales, {}", h.year);
        let subtitle = format!(
            "{} · mean number of firms per run in each sales bin (log scale)",
            provenance(self.result)
        );
        let area = frame::title_block(root, &title, &subtitle)?;
        let blue = frame::colour(0);
        let verm = frame::colour(5);
        let legend = [
            LegendItem::new(Swatch::Band(blue, 0.85), "Sales below KRW 1T"),
            LegendItem::new(Swatch::Band(verm, 0.85), "Sales at or above KRW 1T"),
        ];
        let area = frame::legend_rows(&area, &legend, 24)?;
        let bins = bins(h);
        if bins.is_empty() {
            return frame::no_data(&area, "No fabless sales recorded");
        }
        let x0 = bins
            .first()
            .map(|b| b.0)
            .unwrap_or(0.0)
            .min(ONE_T_B.log10() - 1.0);
        let x1 = bins
            .last()
            .map(|b| b.1)
            .unwrap_or(1.0)
            .max(ONE_T_B.log10() + 1.0);
        let y = frame::value_range(bins.iter().map(|b| b.3), true);
        let x_ticks = (x0.ceil() as i64..=x1.floor() as i64)
            .map(|k| (k as f64, format::krw_b(10f64.powi(k as i32))))
            .collect();
        let mut chart = Frame {
            x: (x0, x1),
            y,
            x_ticks: Ticks::At(x_ticks),
            y_ticks: Ticks::Round(8, &format::number),
            x_desc: "Annual sales (KRW, log scale)",
            y_desc: "Firms per run (mean)",
            label_px: font::LABEL_PX,
            right: 40,
            y_area: None,
        }
        .build(&area)?;
        chart.draw_series(bins.iter().map(|&(a, b, lo, c)| {
            let colour = if lo >= ONE_T_B * 0.999 { verm } else { blue };
            let gap = (b - a) * 0.06;
            Rectangle::new([(a + gap, 0.0), (b - gap, c)], colour.mix(0.85).filled())
        }))?;
        // Counts above the bars at or above 1T, which are often too small to see.
        let base = area.get_base_pixel();
        let rel = |p: (i32, i32)| (p.0 - base.0, p.1 - base.1);
        let count_style = font::text(font::NOTE_PX).pos(Pos::new(HPos::Center, VPos::Bottom));
        for &(a, b, lo, c) in &bins {
            if lo >= ONE_T_B * 0.999 && c > 0.0 {
                let p = rel(chart.backend_coord(&((a + b) / 2.0, c.min(y.1))));
                area.draw_text(&format::number(c), &count_style, (p.0, p.1 - 4))?;
            }
        }
        let x1t = ONE_T_B.log10();
        chart.draw_series(DashedLineSeries::new(
            [(x1t, y.0), (x1t, y.1)],
            10,
            6,
            frame::TARGET.stroke_width(2),
        ))?;
        let note = format!(
            "≥ KRW 1T: {} firms per run",
            format::number(h.mean_at_or_above_1t)
        );
        let p = rel(chart.backend_coord(&(x1t, y.1)));
        let style = font::bold(font::LABEL_PX).pos(Pos::new(HPos::Left, VPos::Top));
        area.draw_text(&note, &style, (p.0 + 10, p.1 + 8))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_bins_are_dropped() {
        let h = SalesHistogram {
            year: 2030,
            edges_krw_b: vec![0.0, 1.0, 10.0, 10.0, f64::INFINITY],
            counts: vec![5.0, 3.0, 1.0, 2.0],
            mean_at_or_above_1t: 0.0,
        };
        let b = bins(&h);
        assert_eq!(b.len(), 1);
        assert_eq!(b[0].3, 3.0);
    }
}
