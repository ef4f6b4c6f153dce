//! Fan charts: median line with a shaded 10–90 % band across runs, optional
//! dashed median-only series (e.g. pledged investment) and dashed target lines.

use super::axes::{self, YearAxes};
use super::format::{self, ValueFormat};
use super::frame::{self, LegendItem, Swatch, TARGET};
use super::{Chart, ChartError, provenance, target_lines};
use crate::sim::results::{Comparison, EnsembleResult, TargetResult};
use plotters::coord::Shift;
use plotters::prelude::*;

/// One metric drawn on a fan chart.
#[derive(Debug, Clone)]
pub struct Series {
    /// Metric name.
    pub metric: String,
    /// Legend label.
    pub label: String,
    /// Colour.
    pub colour: RGBColor,
    /// Draw the 10–90 % band (otherwise only the median).
    pub band: bool,
    /// Dashed median line.
    pub dashed: bool,
}

impl Series {
    fn new(metric: &str, label: &str, colour: RGBColor, band: bool, dashed: bool) -> Self {
        Self {
            metric: metric.into(),
            label: label.into(),
            colour,
            band,
            dashed,
        }
    }
}

/// A fan chart of one or more metrics with their targets.
#[derive(Debug, Clone)]
pub struct FanChart<'a> {
    result: &'a EnsembleResult,
    stem: String,
    title: String,
    y_desc: String,
    fmt: ValueFormat,
    series: Vec<Series>,
}

/// "≥" or "≤".
pub fn symbol(c: Comparison) -> &'static str {
    match c {
        Comparison::AtLeast => "≥",
        Comparison::AtMost => "≤",
    }
}

/// The fan charts that `result` has metrics for.
pub fn charts(result: &EnsembleResult) -> Vec<FanChart<'_>> {
    let blue = frame::colour(0);
    let orange = frame::colour(1);
    let verm = frame::colour(5);
    let specs: Vec<(&str, &str, &str, ValueFormat, Vec<Series>)> = vec![
        (
            "fan_cluster_investment",
            "Cumulative private investment in the cluster",
            "Cumulative investment (KRW)",
            ValueFormat::KrwT,
            vec![
                Series::new("cluster_investment_krw_t", "Realised", blue, true, false),
                Series::new(
                    "cluster_pledged_krw_t",
                    "Pledged (median)",
                    orange,
                    false,
                    true,
                ),
            ],
        ),
        (
            "fan_cluster_entities",
            "Entities in the cluster",
            "Firms and institutions",
            ValueFormat::Plain,
            vec![Series::new(
                "cluster_entities",
                "Entities",
                blue,
                true,
                false,
            )],
        ),
        (
            "fan_fabless_1t_firms",
            "Fabless firms with annual sales ≥ KRW 1T",
            "Firms",
            ValueFormat::Plain,
            vec![Series::new(
                "fabless_1t_firms",
                "Firms ≥ KRW 1T",
                blue,
                true,
                false,
            )],
        ),
        (
            "fan_cluster_fabs",
            "Fabs in the cluster",
            "Fabs",
            ValueFormat::Plain,
            vec![Series::new("cluster_fabs", "Fabs", blue, true, false)],
        ),
        (
            "fan_fabless_sales",
            "Total fabless sales",
            "Sales per year (KRW)",
            ValueFormat::KrwT,
            vec![Series::new(
                "fabless_sales_krw_t",
                "Sales",
                blue,
                true,
                false,
            )],
        ),
        (
            "fan_engineers",
            "Engineers: demand vs supply",
            "Engineers (thousands)",
            ValueFormat::Plain,
            vec![
                Series::new("engineers_demand", "Demand", verm, true, false),
                Series::new("engineers_supply", "Supply", blue, true, false),
            ],
        ),
        (
            "fan_memory_share",
            "Korea's share of world memory output",
            "Share of world memory wafers (%)",
            ValueFormat::Plain,
            vec![
                Series::new(
                    "memory_world_share",
                    "Korean firms, plants abroad included",
                    blue,
                    true,
                    false,
                ),
                Series::new("memory_home_share", "Made in Korea", orange, true, false),
            ],
        ),
        (
            "fan_logic_capacity",
            "Logic and packaging capacity at home",
            "Wafers per month (thousands)",
            ValueFormat::Plain,
            vec![
                Series::new(
                    "capacity_kwpm.AdvancedLogic",
                    "Advanced logic",
                    blue,
                    true,
                    false,
                ),
                Series::new(
                    "capacity_kwpm.MatureLogic",
                    "Mature logic",
                    orange,
                    true,
                    false,
                ),
                Series::new(
                    "capacity_kwpm.AdvancedPackaging",
                    "Advanced packaging",
                    verm,
                    true,
                    false,
                ),
            ],
        ),
        (
            "fan_talent_shortage",
            "Talent shortage: share of engineer demand unmet",
            "Share of demand unmet",
            ValueFormat::Share,
            vec![Series::new(
                "talent_shortage",
                "Shortage",
                verm,
                true,
                false,
            )],
        ),
        (
            "fan_public_cost",
            "Public cost: every outlay booked, less the state's returns",
            "KRW trillions",
            ValueFormat::Plain,
            vec![
                Series::new("public_cost_krw_t", "Cumulative", verm, true, false),
                Series::new(
                    "public_cost_pv_krw_t",
                    "Present value (start year)",
                    blue,
                    true,
                    false,
                ),
            ],
        ),
        (
            "fan_rnd_hub",
            "R&D hub spillover: technology a firm gains from hubs each year",
            "Thousandths of the frontier level per year",
            ValueFormat::Plain,
            vec![Series::new(
                "hub_spillover_gain",
                "Mean gain per firm",
                blue,
                true,
                false,
            )],
        ),
        (
            "fan_mpe_localisation",
            "Localisation of materials, parts and equipment (MPE)",
            "Localisation rate",
            ValueFormat::Share,
            vec![Series::new(
                "mpe_localisation",
                "Localisation",
                blue,
                true,
                false,
            )],
        ),
    ];
    let mut out = Vec::new();
    let mut covered: Vec<String> = Vec::new();
    for (stem, title, y_desc, fmt, series) in specs {
        if result.series(&series[0].metric).is_none() {
            continue;
        }
        let series: Vec<Series> = series
            .into_iter()
            .filter(|s| result.series(&s.metric).is_some())
            .collect();
        covered.extend(series.iter().map(|s| s.metric.clone()));
        out.push(FanChart {
            result,
            stem: stem.into(),
            title: title.into(),
            y_desc: y_desc.into(),
            fmt,
            series,
        });
    }
    // Targets on metrics not charted above get a generic fan chart.
    for t in &result.targets {
        if covered.contains(&t.metric) {
            continue;
        }
        let Some(i) = result.metric_index(&t.metric) else {
            continue;
        };
        if i >= result.stats.len() {
            continue;
        }
        covered.push(t.metric.clone());
        let def = &result.metrics[i];
        let title = if def.description.is_empty() {
            def.name.clone()
        } else {
            def.description.clone()
        };
        out.push(FanChart {
            result,
            stem: format!("fan_{}", format::file_stem(&def.name)),
            title,
            y_desc: def.unit.clone(),
            fmt: ValueFormat::for_metric(&def.name, &def.unit),
            series: vec![Series::new(&def.name, "Value", blue, true, false)],
        });
    }
    out
}

impl FanChart<'_> {
    fn stats(&self, metric: &str) -> &[crate::sim::results::YearStats] {
        let s = self.result.series(metric).unwrap_or(&[]);
        &s[..s.len().min(self.result.years.len())]
    }

    fn targets(&self) -> Vec<&TargetResult> {
        self.result
            .targets
            .iter()
            .filter(|t| self.series.iter().any(|s| s.metric == t.metric) && t.value.is_finite())
            .collect()
    }

    fn legend(&self) -> Vec<LegendItem> {
        let mut items = Vec::new();
        let bands = self.series.iter().filter(|s| s.band).count();
        for s in &self.series {
            if s.dashed {
                items.push(LegendItem::new(Swatch::Dashed(s.colour), &s.label));
                continue;
            }
            let median = if self.series.len() == 1 {
                "Median of runs".to_string()
            } else {
                format!("{} (median)", s.label)
            };
            items.push(LegendItem::new(Swatch::Line(s.colour), median));
            if s.band {
                let label = if bands > 1 {
                    format!("{}: 10–90 % of runs", s.label)
                } else {
                    "10–90 % of runs".to_string()
                };
                items.push(LegendItem::new(Swatch::Band(s.colour, 0.25), label));
            }
        }
        if !self.targets().is_empty() {
            items.push(LegendItem::new(Swatch::Dashed(TARGET), "Target"));
        }
        items
    }
}

impl Chart for FanChart<'_> {
    fn stem(&self) -> String {
        self.stem.clone()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError> {
        let r = self.result;
        let subtitle = format!("{} · median and 10–90 % range across runs", provenance(r));
        let area = frame::title_block(root, &self.title, &subtitle)?;
        let area = frame::legend_rows(&area, &self.legend(), 24)?;
        let years = &r.years;
        if years.is_empty() || self.series.iter().all(|s| self.stats(&s.metric).is_empty()) {
            return frame::no_data(&area, "No data");
        }
        let targets = self.targets();
        let mut values = Vec::new();
        for s in &self.series {
            for st in self.stats(&s.metric) {
                values.push(st.p50);
                if s.band {
                    values.extend([st.p10, st.p90]);
                }
            }
        }
        values.extend(targets.iter().map(|t| t.value));
        let y = frame::value_range(values, true);
        let mut chart = YearAxes::new(years, y, self.fmt, &self.y_desc).build(&area)?;

        for s in self.series.iter().filter(|s| s.band) {
            let st = self.stats(&s.metric);
            let lo = axes::points(years, st.iter().map(|v| v.p10));
            let hi = axes::points(years, st.iter().map(|v| v.p90));
            axes::band(&mut chart, &lo, &hi, s.colour, 0.22)?;
        }
        for s in &self.series {
            let pts = axes::points(years, self.stats(&s.metric).iter().map(|v| v.p50));
            axes::line(&mut chart, &pts, s.colour, 3, s.dashed)?;
        }
        target_lines::draw(&area, &mut chart, &targets, &r.years, self.fmt)?;
        Ok(())
    }
}
