//! Target probabilities by year across scenarios: one small panel per target, one
//! line per scenario, a marker at the target's year.
//!
//! Targets are matched across scenarios by name *and* definition (metric, comparison,
//! value, year): a target that two scenario files define differently gets a panel
//! for each definition, so no line is ever drawn against a target it does not measure.

use super::axes::{self, YearAxes};
use super::backend::text_width;
use super::fan::symbol;
use super::format;
use super::format::ValueFormat;
use super::frame::{self, LegendItem, Swatch, TARGET};
use super::overlay::{
    Entry, all_years, colour, line_width, runs_note, scenario_legend, text_colour,
};
use super::{Chart, ChartError, font};
use crate::sim::results::{EnsembleResult, TargetResult};
use plotters::coord::Shift;
use plotters::prelude::*;

/// A target as defined in one or more scenarios: the first definition met and, per
/// entry, that entry's result for it.
#[derive(Debug, Clone)]
pub struct TargetRow<'a> {
    /// The definition (name, metric, comparison, value, year) from the first entry having it.
    pub def: &'a TargetResult,
    /// The entry's result for this target, by entry index; `None` where not set.
    pub per_entry: Vec<Option<&'a TargetResult>>,
}

fn same_def(a: &TargetResult, b: &TargetResult) -> bool {
    a.name == b.name
        && a.metric == b.metric
        && a.comparison == b.comparison
        && a.value == b.value
        && a.year == b.year
}

/// Every distinct target across the entries, in order of first appearance.
pub fn rows<'a>(entries: &[Entry<'a>]) -> Vec<TargetRow<'a>> {
    let mut out: Vec<TargetRow<'a>> = Vec::new();
    for e in entries {
        for t in &e.result.targets {
            if out.iter().any(|r| same_def(r.def, t)) {
                continue;
            }
            let per_entry = entries
                .iter()
                .map(|o| o.result.targets.iter().find(|x| same_def(x, t)))
                .collect();
            out.push(TargetRow { def: t, per_entry });
        }
    }
    out
}

/// "≥ KRW 300T by 2042" in the metric's format of `r`.
pub fn condition(r: &EnsembleResult, t: &TargetResult) -> String {
    let fmt = r
        .metric_index(&t.metric)
        .map(|i| ValueFormat::for_metric(&r.metrics[i].name, &r.metrics[i].unit))
        .unwrap_or(ValueFormat::Plain);
    format!(
        "{} {} by {}",
        symbol(t.comparison),
        fmt.format(t.value),
        t.year
    )
}

/// Target probabilities by year, one panel per target.
#[derive(Debug, Clone)]
pub struct TargetPanels<'a> {
    entries: &'a [Entry<'a>],
    rows: Vec<TargetRow<'a>>,
}

/// The chart, if any entry has targets.
pub fn charts<'a>(entries: &'a [Entry<'a>]) -> Vec<TargetPanels<'a>> {
    let rows = rows(entries);
    if rows.is_empty() {
        Vec::new()
    } else {
        vec![TargetPanels { entries, rows }]
    }
}

const HEADER_H: u32 = 150;
const PANEL_H: u32 = 300;

impl TargetPanels<'_> {
    fn cols(&self) -> usize {
        if self.rows.len() <= 1 { 1 } else { 2 }
    }

    fn grid_rows(&self) -> usize {
        self.rows.len().div_ceil(self.cols())
    }

    fn panel<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        row: &TargetRow<'_>,
        years: &[i32],
    ) -> Result<(), ChartError> {
        let (w, _) = area.dim_in_pixel();
        let title_style = font::bold(font::LABEL_PX);
        let owner = self
            .entries
            .iter()
            .zip(&row.per_entry)
            .find(|(_, t)| t.is_some())
            .map(|(e, _)| e.result);
        let cond = owner.map_or(String::new(), |r| condition(r, row.def));
        let title = frame::fit(&row.def.name, &title_style, w as i32 - 30);
        area.draw_text(&title, &title_style, (14, 6))?;
        let missing: Vec<&str> = self
            .entries
            .iter()
            .zip(&row.per_entry)
            .filter(|(_, t)| t.is_none())
            .map(|(e, _)| e.label)
            .collect();
        let mut sub = format!("{} {}", row.def.metric, cond);
        if !missing.is_empty() {
            sub.push_str(&format!(" · not set in {}", missing.join(", ")));
        }
        let sub_style = font::muted(font::NOTE_PX);
        area.draw_text(
            &frame::fit(&sub, &sub_style, w as i32 - 30),
            &sub_style,
            (14, 27),
        )?;
        // Each scenario's probability in the target year, in its colour.
        let mut x = 14;
        let label = format!("In {}:", row.def.year);
        area.draw_text(&label, &sub_style, (x, 47))?;
        x += text_width(&label, &sub_style) + 8;
        for (i, t) in row.per_entry.iter().enumerate() {
            let Some(t) = t else { continue };
            let c = text_colour(colour(i));
            let style = font::bold(font::NOTE_PX).color(&c);
            area.draw(&Rectangle::new([(x, 50), (x + 10, 60)], colour(i).filled()))?;
            let p = format::probability(t.probability);
            area.draw_text(&p, &style, (x + 14, 47))?;
            x += 14 + text_width(&p, &style) + 14;
        }
        let plot = area.split_vertically(68).1;
        let mut ax = YearAxes::new(years, (-0.04, 1.06), ValueFormat::Share, "");
        ax.x_desc = "";
        ax.y_ticks = 5;
        ax.x_ticks = 7;
        ax.right = 24;
        let mut chart = ax.build(&plot)?;
        let year = row.def.year as f64;
        let (x0, x1) = frame::year_range(years);
        if year >= x0 && year <= x1 {
            chart.draw_series(DashedLineSeries::new(
                [(year, 0.0), (year, 1.0)],
                6,
                5,
                TARGET.stroke_width(1),
            ))?;
        }
        for (i, (e, t)) in self.entries.iter().zip(&row.per_entry).enumerate() {
            let Some(t) = t else { continue };
            let probs = t
                .probability_by_year
                .iter()
                .map(|&p| frame::finite(p).clamp(0.0, 1.0));
            let pts = axes::points(&e.result.years, probs);
            let width = line_width(i, self.entries.len());
            axes::line(&mut chart, &pts, colour(i), width, false)?;
        }
        for (i, (e, t)) in self.entries.iter().zip(&row.per_entry).enumerate() {
            let Some(t) = t else { continue };
            if e.result.year_index(t.year).is_none() {
                continue;
            }
            let at = (t.year as f64, frame::finite(t.probability).clamp(0.0, 1.0));
            chart.draw_series(std::iter::once(Circle::new(at, 7, colour(i).filled())))?;
            chart.draw_series(std::iter::once(Circle::new(at, 7, BLACK.stroke_width(1))))?;
        }
        Ok(())
    }
}

impl Chart for TargetPanels<'_> {
    fn stem(&self) -> String {
        "compare_targets".into()
    }

    fn size(&self) -> (u32, u32) {
        (1200, HEADER_H + PANEL_H * self.grid_rows() as u32)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let subtitle = format!(
            "{} · share of runs meeting each target, by year · ● = in the target's year (dashed)",
            runs_note(self.entries)
        );
        let area = frame::title_block(root, "Probability of meeting each target", &subtitle)?;
        let mut items = scenario_legend(self.entries);
        items.push(LegendItem::new(Swatch::Dashed(TARGET), "Target year"));
        let area = frame::legend_rows(&area, &items, 24)?;
        let years = all_years(self.entries);
        if years.is_empty() {
            return frame::no_data(&area, "No years simulated");
        }
        let (cols, rows) = (self.cols(), self.grid_rows());
        let panels = area.split_evenly((rows, cols));
        for (row, panel) in self.rows.iter().zip(panels.iter()) {
            self.panel(panel, row, &years)?;
        }
        Ok(())
    }
}
