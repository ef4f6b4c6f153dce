//! Comparison overlays: one metric's median and 10–90 % band for each of several
//! scenarios on the same axes, in distinct colour-blind-safe colours, with a legend
//! and the scenario's name at the end of its line.
//!
//! Scenarios are matched by year value, never by position: each series is drawn at
//! its own years, on an x axis spanning all of them. A scenario that does not record
//! the metric is named in the subtitle and not drawn.

use super::axes::{self, YearAxes};
use super::backend::{text_height, text_width};
use super::format::{self, ValueFormat};
use super::frame::{self, LegendItem, Swatch, TARGET};
use super::{Chart, ChartError, font};
use crate::output::summary::HEADLINE;
use crate::sim::results::{EnsembleResult, TargetResult, YearStats};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Most scenarios one comparison holds: one per palette colour.
pub const MAX_SCENARIOS: usize = frame::PALETTE.len();

/// One scenario in a comparison: the name shown for it and its result.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    /// Label in legends and tables (unique within a comparison).
    pub label: &'a str,
    /// The ensemble result.
    pub result: &'a EnsembleResult,
}

/// Colour of the `i`-th scenario.
pub fn colour(i: usize) -> RGBColor {
    frame::colour(i)
}

/// A darker shade of a light palette colour, for text on white.
pub fn text_colour(c: RGBColor) -> RGBColor {
    let luma = 0.299 * c.0 as f64 + 0.587 * c.1 as f64 + 0.114 * c.2 as f64;
    if luma < 150.0 {
        return c;
    }
    let k = 120.0 / luma;
    let f = |v: u8| (v as f64 * k).round() as u8;
    RGBColor(f(c.0), f(c.1), f(c.2))
}

/// Line width of the `i`-th of `n` scenarios: earlier ones are drawn wider and first,
/// so where medians coincide every scenario still shows as a coloured rim.
pub fn line_width(i: usize, n: usize) -> u32 {
    let step = if n <= 3 { 2 } else { 1 };
    (3 + step * n.saturating_sub(i + 1)) as u32
}

/// Every year any entry simulates, sorted.
pub fn all_years(entries: &[Entry<'_>]) -> Vec<i32> {
    let mut years: Vec<i32> = entries
        .iter()
        .flat_map(|e| e.result.years.iter().copied())
        .collect();
    years.sort_unstable();
    years.dedup();
    years
}

/// "N runs each" or "runs: a 1,000, b 500" for subtitles.
pub fn runs_note(entries: &[Entry<'_>]) -> String {
    let first = entries.first().map_or(0, |e| e.result.runs);
    if entries.iter().all(|e| e.result.runs == first) {
        format!("{} runs each", format::number(first as f64))
    } else {
        let parts: Vec<String> = entries
            .iter()
            .map(|e| format!("{} {}", e.label, format::number(e.result.runs as f64)))
            .collect();
        format!("runs: {}", parts.join(", "))
    }
}

/// Legend entries naming the scenarios.
pub fn scenario_legend(entries: &[Entry<'_>]) -> Vec<LegendItem> {
    entries
        .iter()
        .enumerate()
        .map(|(i, e)| LegendItem::new(Swatch::Line(colour(i)), e.label))
        .collect()
}

/// An axis description from a unit.
pub fn unit_desc(unit: &str) -> String {
    match unit {
        "KRW T" => "KRW".into(),
        "kwpm" => "Thousand wafers per month".into(),
        "%" => "Percent".into(),
        "share" => "Share".into(),
        "" => String::new(),
        u => {
            let mut c = u.chars();
            c.next()
                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default()
        }
    }
}

/// One metric overlaid across scenarios.
#[derive(Debug, Clone)]
pub struct OverlayChart<'a> {
    entries: &'a [Entry<'a>],
    metric: String,
    title: String,
    y_desc: String,
    fmt: ValueFormat,
}

/// Headline metrics, then target metrics not among them, recorded by any entry.
pub fn metrics(entries: &[Entry<'_>]) -> Vec<String> {
    let mut out: Vec<String> = HEADLINE.iter().map(|s| s.to_string()).collect();
    for e in entries {
        for t in &e.result.targets {
            if !out.contains(&t.metric) {
                out.push(t.metric.clone());
            }
        }
    }
    out.retain(|m| entries.iter().any(|e| e.result.series(m).is_some()));
    out
}

/// The overlay charts of the headline and target metrics.
pub fn charts<'a>(entries: &'a [Entry<'a>]) -> Vec<OverlayChart<'a>> {
    metrics(entries)
        .into_iter()
        .filter_map(|metric| {
            let def = entries.iter().find_map(|e| {
                e.result
                    .metric_index(&metric)
                    .map(|i| e.result.metrics[i].clone())
            })?;
            let title = if def.description.is_empty() {
                def.name.clone()
            } else {
                def.description.clone()
            };
            Some(OverlayChart {
                entries,
                fmt: ValueFormat::for_metric(&def.name, &def.unit),
                y_desc: unit_desc(&def.unit),
                title,
                metric,
            })
        })
        .collect()
}

impl OverlayChart<'_> {
    /// The metric shown.
    pub fn metric(&self) -> &str {
        &self.metric
    }

    /// The chart title.
    pub fn title(&self) -> &str {
        &self.title
    }

    fn stats<'r>(&self, r: &'r EnsembleResult) -> Option<&'r [YearStats]> {
        r.series(&self.metric)
            .map(|s| &s[..s.len().min(r.years.len())])
    }

    /// Distinct targets on this metric across the entries (same comparison, value, year).
    fn targets(&self) -> Vec<&TargetResult> {
        let mut out: Vec<&TargetResult> = Vec::new();
        for e in self.entries {
            for t in &e.result.targets {
                let same = |o: &&TargetResult| {
                    o.comparison == t.comparison && o.value == t.value && o.year == t.year
                };
                if t.metric == self.metric && t.value.is_finite() && !out.iter().any(same) {
                    out.push(t);
                }
            }
        }
        out
    }

    fn band_alpha(&self) -> f64 {
        match self.entries.len() {
            0..=2 => 0.16,
            3..=4 => 0.11,
            _ => 0.08,
        }
    }
}

impl Chart for OverlayChart<'_> {
    fn stem(&self) -> String {
        format!("compare_{}", format::file_stem(&self.metric))
    }

    fn size(&self) -> (u32, u32) {
        (1200, 720)
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let missing: Vec<&str> = self
            .entries
            .iter()
            .filter(|e| self.stats(e.result).is_none())
            .map(|e| e.label)
            .collect();
        let mut subtitle = format!(
            "{} · {} · median (line) and 10–90 % of runs (shaded, edges dotted)",
            self.metric,
            runs_note(self.entries)
        );
        if !missing.is_empty() {
            subtitle.push_str(&format!(" · not recorded: {}", missing.join(", ")));
        }
        let area = frame::title_block(root, &self.title, &subtitle)?;
        let mut items = scenario_legend(self.entries);
        let targets = self.targets();
        if !targets.is_empty() {
            items.push(LegendItem::new(Swatch::Dashed(TARGET), "Target"));
        }
        let area = frame::legend_rows(&area, &items, 24)?;
        let years = all_years(self.entries);
        let drawn: Vec<(usize, &Entry<'_>, &[YearStats])> = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(i, e)| self.stats(e.result).map(|s| (i, e, s)))
            .filter(|(_, _, s)| !s.is_empty())
            .collect();
        if years.is_empty() || drawn.is_empty() {
            return frame::no_data(&area, "No data");
        }
        let mut values: Vec<f64> = drawn
            .iter()
            .flat_map(|(_, _, s)| s.iter().flat_map(|v| [v.p10, v.p50, v.p90]))
            .collect();
        values.extend(targets.iter().map(|t| t.value));
        let y = frame::value_range(values, true);
        // Room on the right for the scenario names at the line ends.
        let end_style = font::bold(font::NOTE_PX);
        let widest = drawn
            .iter()
            .map(|(_, e, _)| text_width(e.label, &end_style))
            .max()
            .unwrap_or(0);
        let mut ax = YearAxes::new(&years, y, self.fmt, &self.y_desc);
        ax.right = (widest + 40).clamp(40, 280) as u32;
        let mut chart = ax.build(&area)?;
        let alpha = self.band_alpha();
        for (i, e, s) in &drawn {
            let lo = axes::points(&e.result.years, s.iter().map(|v| v.p10));
            let hi = axes::points(&e.result.years, s.iter().map(|v| v.p90));
            axes::band(&mut chart, &lo, &hi, colour(*i), alpha)?;
        }
        for (i, e, s) in &drawn {
            for edge in [
                axes::points(&e.result.years, s.iter().map(|v| v.p10)),
                axes::points(&e.result.years, s.iter().map(|v| v.p90)),
            ] {
                if edge.len() > 1 {
                    let style = colour(*i).mix(0.7).stroke_width(1);
                    chart.draw_series(DashedLineSeries::new(edge, 3, 4, style))?;
                }
            }
        }
        let n = self.entries.len();
        for (i, e, s) in &drawn {
            let pts = axes::points(&e.result.years, s.iter().map(|v| v.p50));
            axes::line(&mut chart, &pts, colour(*i), line_width(*i, n), false)?;
        }
        let (x0, x1) = frame::year_range(&years);
        for t in &targets {
            chart.draw_series(DashedLineSeries::new(
                [(x0, t.value), (x1, t.value)],
                10,
                6,
                TARGET.stroke_width(2),
            ))?;
            let at = ((t.year as f64).clamp(x0, x1), t.value);
            chart.draw_series(std::iter::once(Circle::new(at, 6, TARGET.filled())))?;
            let label = format!(
                "Target {} {} by {}",
                super::fan::symbol(t.comparison),
                self.fmt.format(t.value),
                t.year
            );
            let (mx, my) = chart.backend_coord(&at);
            let base = area.get_base_pixel();
            let (px, _) = chart.plotting_area().get_pixel_range();
            let style = font::bold(font::NOTE_PX);
            let w = text_width(&label, &style);
            let left = (mx - base.0 - w - 12).max(px.start - base.0 + 4);
            let top = my - base.1 - text_height(&style) - 8;
            area.draw(&Rectangle::new(
                [
                    (left - 4, top - 2),
                    (left + w + 4, top + text_height(&style) + 4),
                ],
                WHITE.mix(0.8).filled(),
            ))?;
            let style = style.pos(Pos::new(HPos::Left, VPos::Top));
            area.draw_text(&label, &style, (left, top))?;
        }
        end_labels(&area, &chart, &drawn)?;
        Ok(())
    }
}

/// Scenario names at the right end of each median line, spread apart vertically so
/// they never overlap, with a short leader when moved.
fn end_labels<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &axes::Ctx<'_, DB>,
    drawn: &[(usize, &Entry<'_>, &[YearStats])],
) -> Result<(), ChartError> {
    let base = area.get_base_pixel();
    let (_, py) = chart.plotting_area().get_pixel_range();
    let gap = font::NOTE_PX as i32 + 5;
    // (line end x, line end y, label y, colour index, label)
    let mut ends: Vec<(i32, i32, i32, usize, &str)> = drawn
        .iter()
        .filter_map(|(i, e, s)| {
            let (yi, v) = s
                .iter()
                .enumerate()
                .rev()
                .find(|(_, v)| v.p50.is_finite())?;
            let year = *e.result.years.get(yi)?;
            let (x, y) = chart.backend_coord(&(year as f64, v.p50));
            Some((x, y, y, *i, e.label))
        })
        .collect();
    ends.sort_by_key(|e| (e.1, e.3));
    for k in 1..ends.len() {
        if ends[k].2 < ends[k - 1].2 + gap {
            ends[k].2 = ends[k - 1].2 + gap;
        }
    }
    if let Some(last) = ends.last().map(|e| e.2)
        && last > py.end - gap / 2
    {
        let shift = last - (py.end - gap / 2);
        ends.iter_mut().for_each(|e| e.2 -= shift);
    }
    for (x, y, ly, i, label) in ends {
        let (x, y, ly) = (x - base.0, y - base.1, ly - base.1);
        area.draw(&PathElement::new(
            vec![(x + 3, y), (x + 10, ly)],
            colour(i).stroke_width(2),
        ))?;
        let c = text_colour(colour(i));
        let style = font::bold(font::NOTE_PX)
            .color(&c)
            .pos(Pos::new(HPos::Left, VPos::Center));
        area.draw_text(label, &style, (x + 13, ly))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::{overlay_capacity, overlay_targets, testdata::synthetic, to_png, to_svg};
    use super::*;

    /// `n` variants of the synthetic ensemble, scaled so their lines differ; the last
    /// one stops five years early and lacks one site.
    fn variants(n: usize) -> Vec<EnsembleResult> {
        (0..n)
            .map(|k| {
                let mut r = synthetic();
                r.scenario = format!("variant-{k}");
                let f = 1.0 + 0.12 * k as f64;
                for s in r.stats.iter_mut().flatten() {
                    s.p10 *= f;
                    s.p50 *= f;
                    s.p90 *= f;
                }
                for t in &mut r.targets {
                    t.probability_by_year
                        .iter_mut()
                        .for_each(|p| *p = (*p * f).min(1.0));
                }
                if k == n - 1 && n > 1 {
                    r.years.truncate(r.years.len() - 5);
                    r.stats.iter_mut().for_each(|s| s.truncate(r.years.len()));
                    let last = *r.years.last().unwrap();
                    r.targets.retain(|t| t.year <= last);
                    r.targets
                        .iter_mut()
                        .for_each(|t| t.probability_by_year.truncate(r.years.len()));
                    r.sites.pop();
                }
                r
            })
            .collect()
    }

    #[test]
    fn overlays_render_for_two_to_eight_scenarios_deterministically() {
        for n in [2, 6, MAX_SCENARIOS] {
            let results = variants(n);
            let labels: Vec<String> = results.iter().map(|r| r.scenario.clone()).collect();
            let entries: Vec<Entry<'_>> = results
                .iter()
                .zip(&labels)
                .map(|(r, l)| Entry {
                    label: l,
                    result: r,
                })
                .collect();
            let overlays = charts(&entries);
            assert!(overlays.len() >= 8, "{}", overlays.len());
            let targets = overlay_targets::charts(&entries);
            let capacity = overlay_capacity::charts(&entries);
            assert_eq!((targets.len(), capacity.len()), (1, 2));
            for c in overlays.iter().take(2) {
                let svg = to_svg(c).unwrap();
                assert_eq!(svg, to_svg(c).unwrap());
                for l in &labels {
                    assert!(svg.contains(l.as_str()), "legend lacks {l}");
                }
                assert!(to_png(c).unwrap().len() > 1000);
            }
            for svg in [to_svg(&targets[0]).unwrap(), to_svg(&capacity[0]).unwrap()] {
                for l in &labels {
                    assert!(svg.contains(l.as_str()), "legend lacks {l}");
                }
            }
            assert!(to_png(&targets[0]).unwrap().len() > 1000);
            assert!(to_png(&capacity[1]).unwrap().len() > 1000);
        }
    }

    #[test]
    fn missing_metrics_are_named_not_drawn() {
        let mut results = variants(2);
        let m = results[1].metric_index("cluster_fabs").unwrap();
        results[1].metrics.remove(m);
        results[1].stats.remove(m);
        let entries = [
            Entry {
                label: "a",
                result: &results[0],
            },
            Entry {
                label: "b",
                result: &results[1],
            },
        ];
        let c = charts(&entries)
            .into_iter()
            .find(|c| c.metric() == "cluster_fabs")
            .unwrap();
        assert!(to_svg(&c).unwrap().contains("not recorded: b"));
    }

    #[test]
    fn light_colours_get_darker_text() {
        assert_eq!(text_colour(colour(0)), colour(0));
        let y = text_colour(colour(7));
        assert!(y.0 < 200 && y.1 < 200);
    }
}
