//! Target probabilities by year: the share of runs meeting each target in each
//! year, with a marker at the target's own year.

use super::axes::{self, YearAxes};
use super::backend::text_width;
use super::fan::symbol;
use super::format::{self, ValueFormat};
use super::frame::{self, LegendItem, Swatch};
use super::{Chart, ChartError, font, provenance};
use crate::sim::results::{EnsembleResult, TargetResult};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Probability of meeting each target, by year.
#[derive(Debug, Clone)]
pub struct TargetChart<'a> {
    result: &'a EnsembleResult,
}

/// The target chart, if `result` has targets.
pub fn charts(result: &EnsembleResult) -> Vec<TargetChart<'_>> {
    if result.targets.is_empty() {
        Vec::new()
    } else {
        vec![TargetChart { result }]
    }
}

impl TargetChart<'_> {
    fn label(&self, t: &TargetResult) -> String {
        let fmt = self
            .result
            .metric_index(&t.metric)
            .map(|i| {
                let m = &self.result.metrics[i];
                ValueFormat::for_metric(&m.name, &m.unit)
            })
            .unwrap_or(ValueFormat::Plain);
        format!(
            "{} ({} {} by {}): {}",
            t.name,
            symbol(t.comparison),
            fmt.format(t.value),
            t.year,
            format::probability(t.probability)
        )
    }
}

impl Chart for TargetChart<'_> {
    fn stem(&self) -> String {
        "target_probabilities".into()
    }

    fn size(&self) -> (u32, u32) {
        (1200, 760)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let r = self.result;
        let subtitle = format!(
            "{} · share of runs in which each target is met, by year · ● = target year",
            provenance(r)
        );
        let area = frame::title_block(root, "Probability of meeting each target", &subtitle)?;
        let items: Vec<LegendItem> = r
            .targets
            .iter()
            .enumerate()
            .map(|(i, t)| LegendItem::new(Swatch::Line(frame::colour(i)), self.label(t)))
            .collect();
        let area = frame::legend_rows(&area, &items, 24)?;
        if r.years.is_empty() {
            return frame::no_data(&area, "No years simulated");
        }
        let mut ax = YearAxes::new(
            &r.years,
            (0.0, 1.04),
            ValueFormat::Share,
            "Runs meeting the target",
        );
        ax.y_ticks = 6;
        let mut chart = ax.build(&area)?;
        for (i, t) in r.targets.iter().enumerate() {
            let c = frame::colour(i);
            let probs = t
                .probability_by_year
                .iter()
                .map(|&p| frame::finite(p).clamp(0.0, 1.0));
            let pts = axes::points(&r.years, probs);
            axes::line(&mut chart, &pts, c, 3, false)?;
        }
        // Markers at each target year, labelled with the probability beside the
        // marker; labels of markers in the same year are spread apart vertically.
        let mut marks: Vec<(i32, f64, usize)> = Vec::new();
        for (i, t) in r.targets.iter().enumerate() {
            let Some(yi) = r.year_index(t.year) else {
                continue;
            };
            let p = t
                .probability_by_year
                .get(yi)
                .copied()
                .unwrap_or(t.probability);
            marks.push((t.year, frame::finite(p).clamp(0.0, 1.0), i));
        }
        for &(year, p, i) in &marks {
            let at = (year as f64, p);
            chart.draw_series(std::iter::once(Circle::new(
                at,
                9,
                frame::colour(i).filled(),
            )))?;
            chart.draw_series(std::iter::once(Circle::new(at, 9, BLACK.stroke_width(2))))?;
        }
        let base = area.get_base_pixel();
        let (px, py) = chart.plotting_area().get_pixel_range();
        let mut years: Vec<i32> = marks.iter().map(|m| m.0).collect();
        years.sort_unstable();
        years.dedup();
        for year in years {
            // (marker y, label y, text) sorted top to bottom.
            let mut group: Vec<(i32, i32, String)> = marks
                .iter()
                .filter(|m| m.0 == year)
                .map(|&(_, p, _)| {
                    let (_, y) = chart.backend_coord(&(year as f64, p));
                    (y, y, format::probability(p))
                })
                .collect();
            group.sort_by_key(|g| g.0);
            let gap = font::NOTE_PX as i32 + 4;
            for k in 1..group.len() {
                if group[k].1 < group[k - 1].1 + gap {
                    group[k].1 = group[k - 1].1 + gap;
                }
            }
            // Keep the stack inside the plot: push it up if it runs below the axis.
            let limit = py.end - gap / 2;
            if let Some(last) = group.last().map(|g| g.1)
                && last > limit
            {
                group.iter_mut().for_each(|g| g.1 -= last - limit);
            }
            let (mx, _) = chart.backend_coord(&(year as f64, 0.0));
            let left = mx > px.end - 60;
            let (dx, hpos) = if left {
                (-14, HPos::Right)
            } else {
                (14, HPos::Left)
            };
            let style = font::bold(font::NOTE_PX).pos(Pos::new(hpos, VPos::Center));
            for (my, ly, label) in group {
                if (ly - my).abs() > 6 {
                    let path = vec![(mx - base.0, my - base.1), (mx + dx - base.0, ly - base.1)];
                    area.draw(&PathElement::new(path, BLACK.stroke_width(1)))?;
                }
                let x = mx + dx + if left { -2 } else { 2 };
                let w = text_width(&label, &style);
                let (x0, x1) = if left {
                    (x - w - 3, x + 3)
                } else {
                    (x - 3, x + w + 3)
                };
                let rect = [
                    (x0 - base.0, ly - gap / 2 - base.1),
                    (x1 - base.0, ly + gap / 2 - base.1),
                ];
                area.draw(&Rectangle::new(rect, WHITE.mix(0.85).filled()))?;
                area.draw_text(&label, &style, (x - base.0, ly - base.1))?;
            }
        }
        Ok(())
    }
}
