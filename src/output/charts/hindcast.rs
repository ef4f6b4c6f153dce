//! Hindcast charts: the fan of an observation's metric over the years (median and
//! 10–90 % band across runs) with what was observed marked: a dot for a value, a bar
//! for a range. A growth is marked as the level it implies from the model's median in
//! the base year (the growth itself is scored run by run, see `crate::sim::hindcast`).

use super::axes::{self, YearAxes};
use super::format::{self, ValueFormat};
use super::frame::{self, LegendItem, Swatch};
use super::{Chart, ChartError, provenance};
use crate::sim::hindcast::Row;
use crate::sim::observed::Kind;
use crate::sim::results::EnsembleResult;
use plotters::coord::Shift;
use plotters::prelude::*;

/// One observation drawn over its metric's fan.
#[derive(Debug, Clone)]
pub struct HindcastChart<'a> {
    result: &'a EnsembleResult,
    row: &'a Row,
    stem: String,
}

/// One chart per scored observation whose metric `result` has, named
/// `hindcast_<line>_<metric>` (line in the observations file).
pub fn charts<'a>(result: &'a EnsembleResult, rows: &'a [Row]) -> Vec<HindcastChart<'a>> {
    rows.iter()
        .filter(|r| r.outcome.is_ok() && result.series(&r.observation.metric).is_some())
        .map(|row| HindcastChart {
            result,
            row,
            stem: format!(
                "hindcast_{:03}_{}",
                row.observation.line,
                format::file_stem(&row.observation.metric)
            ),
        })
        .collect()
}

/// Years a hindcast chart shows after its observation: the path beyond it in view
/// without squeezing the observed years into the left edge of a 20-year axis.
pub const YEARS_AFTER: i32 = 6;

/// How many of `years` a chart of an observation in `year` shows: from the start to
/// [`YEARS_AFTER`] years after the observation (a growth's base year, before it, is
/// shown too), at least two years, at most all.
pub fn shown_years(years: &[i32], year: i32) -> usize {
    let last = year + YEARS_AFTER;
    years
        .iter()
        .take_while(|&&y| y <= last)
        .count()
        .max(2)
        .min(years.len())
}

impl HindcastChart<'_> {
    /// The observed interval in the metric's unit, at the observed year.
    fn marked(&self) -> (f64, f64) {
        let o = &self.row.observation;
        let (lo, hi) = o.observed.interval();
        match o.kind {
            Kind::Level => (lo, hi),
            Kind::Growth { base_year } => {
                let base = self
                    .result
                    .year_index(base_year)
                    .and_then(|i| self.result.series(&o.metric).map(|s| s[i].p50))
                    .unwrap_or(f64::NAN);
                (base * (1.0 + lo / 100.0), base * (1.0 + hi / 100.0))
            }
        }
    }
}

impl Chart for HindcastChart<'_> {
    fn stem(&self) -> String {
        self.stem.clone()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let r = self.result;
        let o = &self.row.observation;
        let blue = frame::colour(0);
        let verm = frame::colour(5);
        let title = format!("Hindcast: {}", o.label());
        let subtitle = format!("{} · `{}` · {}", provenance(r), o.metric, o.source);
        let area = frame::title_block(root, &title, &subtitle)?;
        let observed = match o.kind {
            Kind::Level => "Observed".to_string(),
            Kind::Growth { base_year } => {
                format!("Observed growth applied to the median of {base_year}")
            }
        };
        let legend = [
            LegendItem::new(Swatch::Line(blue), "Median of runs"),
            LegendItem::new(Swatch::Band(blue, 0.25), "10–90 % of runs"),
            LegendItem::new(Swatch::Dot(verm), observed),
        ];
        let area = frame::legend_rows(&area, &legend, 24)?;
        let years = &r.years[..shown_years(&r.years, o.year)];
        let stats = r.series(&o.metric).unwrap_or(&[]);
        let stats = &stats[..stats.len().min(years.len())];
        if stats.is_empty() {
            return frame::no_data(&area, "No data");
        }
        let (lo, hi) = self.marked();
        let mut values: Vec<f64> = stats.iter().flat_map(|s| [s.p10, s.p50, s.p90]).collect();
        values.extend([lo, hi]);
        let y = frame::value_range(values, true);
        let unit = r
            .metric_index(&o.metric)
            .map_or(String::new(), |i| r.metrics[i].unit.clone());
        let fmt = ValueFormat::for_metric(&o.metric, &unit);
        let mut chart = YearAxes::new(years, y, fmt, &unit).build(&area)?;
        let p10 = axes::points(years, stats.iter().map(|s| s.p10));
        let p90 = axes::points(years, stats.iter().map(|s| s.p90));
        axes::band(&mut chart, &p10, &p90, blue, 0.22)?;
        let p50 = axes::points(years, stats.iter().map(|s| s.p50));
        axes::line(&mut chart, &p50, blue, 3, false)?;
        if lo.is_finite() && hi.is_finite() {
            let x = f64::from(o.year);
            let style = verm.stroke_width(3);
            if hi > lo {
                chart.draw_series(std::iter::once(PathElement::new(
                    vec![(x, lo), (x, hi)],
                    style,
                )))?;
                for v in [lo, hi] {
                    chart.draw_series(std::iter::once(PathElement::new(
                        vec![(x - 0.25, v), (x + 0.25, v)],
                        style,
                    )))?;
                }
            }
            chart.draw_series(std::iter::once(Circle::new(
                (x, 0.5 * (lo + hi)),
                6,
                verm.filled(),
            )))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::shown_years;

    #[test]
    fn a_chart_shows_the_start_to_six_years_after_its_observation() {
        let years: Vec<i32> = (2023..=2042).collect();
        assert_eq!(shown_years(&years, 2024), 8); // 2023..=2030
        assert_eq!(shown_years(&years, 2023), 7);
        assert_eq!(shown_years(&years, 2031), 15); // 2023..=2037
        assert_eq!(shown_years(&years, 2040), 20); // never beyond the run
        assert_eq!(shown_years(&years, 2000), 2); // at least two years
        assert_eq!(shown_years(&years[..1], 2023), 1);
    }
}
