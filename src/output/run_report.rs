//! `report.html` of a run folder: the scenario, the target probabilities with their
//! Monte Carlo intervals, the headline indicators and every chart, in one
//! self-contained file (see [`super::html`]).

use super::charts::fan::symbol;
use super::charts::format::{self, ValueFormat};
use super::compare::stats::wilson;
use super::html::{self, esc, td, td_num};
use super::run_folder::{RESULT_FILE, SCENARIO_FILE, result_json, scenario_ron};
use super::summary::{HEADLINE, headline_years};
use super::write;
use crate::error::RunError;
use crate::scenario::Scenario;
use crate::sim::results::{EnsembleResult, TargetResult};
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// File name of the report.
pub const REPORT_FILE: &str = "report.html";

/// The value format of a metric of `r` (plain when unknown).
pub fn value_format(r: &EnsembleResult, metric: &str) -> ValueFormat {
    r.metric_index(metric)
        .map(|i| ValueFormat::for_metric(&r.metrics[i].name, &r.metrics[i].unit))
        .unwrap_or(ValueFormat::Plain)
}

/// "≥ KRW 300T by 2042".
pub fn condition(r: &EnsembleResult, t: &TargetResult) -> String {
    format!(
        "{} {} by {}",
        symbol(t.comparison),
        value_format(r, &t.metric).format(t.value),
        t.year
    )
}

/// "42% (33–51%)": a probability with its 95 % Wilson interval.
pub fn probability_with_interval(p: f64, runs: usize) -> String {
    let (lo, hi) = wilson(p, runs);
    format!(
        "{} ({:.0}–{:.0}%)",
        format::probability(p),
        lo * 100.0,
        hi * 100.0
    )
}

/// The SVG charts in `dir` as (stem, SVG text), in reading order.
pub fn read_charts(dir: &Path) -> Result<Vec<(String, String)>, RunError> {
    let err = |path: &Path, e: std::io::Error| RunError::Output {
        path: path.to_owned(),
        message: e.to_string(),
    };
    let mut out = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(_) => return Ok(out),
    };
    for entry in entries {
        let path = entry.map_err(|e| err(dir, e))?.path();
        if path.extension().is_none_or(|e| e != "svg") {
            continue;
        }
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        out.push((
            stem,
            std::fs::read_to_string(&path).map_err(|e| err(&path, e))?,
        ));
    }
    out.sort_by_key(|(stem, _)| html::chart_rank(stem));
    Ok(out)
}

/// Writes `result.json`, `scenario.ron` and `report.html` into the run folder being
/// built at `dir`, whose `charts/` are already written.
pub fn write_extras(s: &Scenario, r: &EnsembleResult, dir: &Path) -> Result<(), RunError> {
    let charts = read_charts(&dir.join("charts"))?;
    let files: write::Files = vec![
        (PathBuf::from(RESULT_FILE), result_json(r)),
        (PathBuf::from(SCENARIO_FILE), scenario_ron(s)),
        (
            PathBuf::from(REPORT_FILE),
            render(s, r, &charts).into_bytes(),
        ),
    ];
    write::put(dir, &files)
}

/// The target table of one ensemble.
pub fn targets_table(r: &EnsembleResult) -> String {
    let rows: Vec<String> = r
        .targets
        .iter()
        .map(|t| {
            format!(
                "{}{}{}{}",
                td(&t.name),
                td(&format!("{} {}", t.metric, condition(r, t))),
                td_num(&format::probability(t.probability)),
                td_num(&probability_with_interval(t.probability, r.runs)),
            )
        })
        .collect();
    html::table(
        &[
            "Target",
            "Metric and condition",
            "P(met)",
            "P(met) with 95 % interval",
        ],
        &rows,
    )
}

/// The headline indicators: median and 10–90 % range in the headline years.
fn headline_table(r: &EnsembleResult) -> String {
    let years = headline_years(r);
    let mut head = vec!["Indicator".to_string(), "Unit".to_string()];
    head.extend(years.iter().map(|y| format!("{y}: median (10–90 %)")));
    let rows: Vec<String> = HEADLINE
        .iter()
        .filter_map(|name| {
            let m = r.metric_index(name)?;
            let def = &r.metrics[m];
            let fmt = ValueFormat::for_metric(&def.name, &def.unit);
            let mut row = format!(
                "<td class=\"code\">{}</td>{}",
                esc(&def.name),
                td(&def.unit)
            );
            for &y in &years {
                let cell = r.year_index(y).map_or(String::new(), |yi| {
                    let s = r.stats[m][yi];
                    format!(
                        "{} ({} – {})",
                        fmt.format(s.p50),
                        fmt.format(s.p10),
                        fmt.format(s.p90)
                    )
                });
                row.push_str(&td_num(&cell));
            }
            Some(row)
        })
        .collect();
    let head: Vec<&str> = head.iter().map(String::as_str).collect();
    html::table(&head, &rows)
}

/// The report of one run.
pub fn render(s: &Scenario, r: &EnsembleResult, charts: &[(String, String)]) -> String {
    render_with(s, r, charts, "")
}

/// The report of one run with an extra section (HTML with its own `<h2 id="hindcast">`,
/// linked from the contents) before the charts; `render` passes none.
pub fn render_with(
    s: &Scenario,
    r: &EnsembleResult,
    charts: &[(String, String)],
    extra: &str,
) -> String {
    let mut b = String::new();
    let _ = writeln!(b, "<h1>Scenario <code>{}</code></h1>", esc(&r.scenario));
    if !s.description.is_empty() {
        let _ = writeln!(b, "<p class=\"lead\">{}</p>", esc(&s.description));
    }
    let _ = writeln!(
        b,
        "<p>{} runs · seed {} · years {}–{} · {} sites, {} named firms, {} groups of firms.</p>",
        format::number(r.runs as f64),
        r.seed,
        r.years.first().copied().unwrap_or(0),
        r.years.last().copied().unwrap_or(0),
        s.sites.len(),
        s.firms.len(),
        s.groups.len()
    );
    if !charts.is_empty() {
        b.push_str("<nav><h2>Contents</h2><ul>\n<li><a href=\"#targets\">Targets</a></li>\n<li><a href=\"#indicators\">Headline indicators</a></li>\n");
        if !extra.is_empty() {
            b.push_str("<li><a href=\"#hindcast\">Hindcast</a></li>\n");
        }
        for (stem, _) in charts {
            let _ = writeln!(b, "<li><a href=\"#{}\">{}</a></li>", esc(stem), esc(stem));
        }
        b.push_str("</ul></nav>\n");
    }
    b.push_str("<h2 id=\"targets\">Targets</h2>\n");
    if r.targets.is_empty() {
        b.push_str("<p>The scenario sets no targets.</p>\n");
    } else {
        b.push_str(&targets_table(r));
        let _ = writeln!(
            b,
            "<p class=\"note\">P(met): share of the {} runs in which the target is met in its \
             year. The 95 % interval (Wilson score) is the Monte Carlo noise of that share: \
             more runs narrow it.</p>",
            format::number(r.runs as f64)
        );
    }
    b.push_str("<h2 id=\"indicators\">Headline indicators</h2>\n");
    b.push_str(&headline_table(r));
    b.push_str(extra);
    b.push_str("<h2>Charts</h2>\n");
    for (stem, svg) in charts {
        b.push_str(&html::figure(
            stem,
            svg,
            stem,
            &format!("charts/{stem}.svg and charts/{stem}.png"),
        ));
    }
    b.push_str(
        "<h2>Data files in this folder</h2>\n<ul>\n\
         <li><code>summary.json</code>: targets and headline indicators</li>\n\
         <li><code>percentiles.csv</code>: p10, p50, p90 and mean of every metric in every year</li>\n\
         <li><code>metrics.csv</code> (or <code>metrics.parquet</code> with <code>--format parquet</code>): yearly values of the kept runs</li>\n\
         <li><code>result.json</code>: the whole ensemble result, read by <code>megacluster compare</code></li>\n\
         <li><code>scenario.ron</code>: the scenario as run, every default written out</li>\n</ul>\n",
    );
    html::page(&format!("megacluster · {}", r.scenario), &b)
}
