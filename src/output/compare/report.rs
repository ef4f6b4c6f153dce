//! `report.html` of a comparison: the scenarios, notes on how they differ in shape,
//! the target table with Monte Carlo noise, headline indicators side by side, the
//! parameter diff and every chart, in one self-contained page (see
//! [`crate::output::html`]).

use super::targets::{self, Row};
use super::{Input, diff, headline};
use crate::output::charts::format;
use crate::output::charts::overlay::colour;
use crate::output::html::{self, esc, td, td_num};
use std::fmt::Write;

/// Everything the report shows.
pub struct Parts<'a> {
    /// The compared scenarios.
    pub inputs: &'a [Input],
    /// Notes from [`super::check::check`].
    pub notes: &'a [String],
    /// The target table.
    pub targets: &'a [Row],
    /// The parameter diff.
    pub diff: &'a [diff::Row],
    /// Charts as (stem, title, SVG), in reading order.
    pub charts: &'a [(String, String, String)],
}

fn swatch(i: usize) -> String {
    let c = colour(i);
    format!(
        "<span class=\"swatch\" style=\"background: rgb({}, {}, {})\"></span>",
        c.0, c.1, c.2
    )
}

fn scenario_head(inputs: &[Input]) -> String {
    let mut s = String::from("<th>Target</th><th>Condition</th>");
    for (i, input) in inputs.iter().enumerate() {
        let _ = write!(s, "<th>{}{}</th>", swatch(i), esc(&input.label));
    }
    s
}

fn scenarios_table(inputs: &[Input]) -> String {
    let rows: Vec<String> = inputs
        .iter()
        .enumerate()
        .map(|(i, input)| {
            let r = &input.result;
            let description = input
                .scenario
                .as_ref()
                .map_or(String::new(), |s| s.description.clone());
            format!(
                "<td>{}{}</td>{}{}{}{}{}",
                swatch(i),
                esc(&input.label),
                td(&input.source.describe()),
                td(&description),
                td_num(&format::number(r.runs as f64)),
                td_num(&r.seed.to_string()),
                td_num(&format!(
                    "{}–{}",
                    r.years.first().copied().unwrap_or(0),
                    r.years.last().copied().unwrap_or(0)
                )),
            )
        })
        .collect();
    html::table(
        &["Scenario", "Source", "Description", "Runs", "Seed", "Years"],
        &rows,
    )
}

fn target_table(inputs: &[Input], rows: &[Row]) -> String {
    let mut out = format!(
        "<table>\n<thead><tr>{}</tr></thead>\n<tbody>\n",
        scenario_head(inputs)
    );
    for r in rows {
        let _ = write!(
            out,
            "<tr>{}<td><code>{}</code> {}</td>",
            td(&r.name),
            esc(&r.metric),
            esc(&r.condition)
        );
        for c in &r.cells {
            let Some(c) = c else {
                out.push_str("<td class=\"muted\">not set</td>");
                continue;
            };
            let mut cell = esc(&targets::p_text(c));
            if let Some(d) = &c.diff {
                let verdict = if d.significant() {
                    "beyond noise"
                } else {
                    "within noise"
                };
                let _ = write!(
                    cell,
                    "<br><span class=\"{}\">Δ {} pp, {}</span> <span class=\"muted\">({} to {})</span>",
                    if d.significant() { "sig" } else { "muted" },
                    esc(&targets::pp(d.diff)),
                    verdict,
                    esc(&targets::pp(d.low)),
                    esc(&targets::pp(d.high)),
                );
            }
            let _ = write!(out, "<td class=\"num\">{cell}</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

fn headline_table(inputs: &[Input]) -> String {
    let years = headline::years(inputs);
    if years.is_empty() {
        return "<p>The scenarios share no simulated year.</p>\n".into();
    }
    let rows = headline::rows(inputs, &years);
    let mut out = String::from("<table>\n<thead><tr><th>Indicator</th><th>Year</th>");
    for (i, input) in inputs.iter().enumerate() {
        let _ = write!(out, "<th>{}{}</th>", swatch(i), esc(&input.label));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for r in &rows {
        for (k, y) in years.iter().enumerate() {
            out.push_str("<tr>");
            if k == 0 {
                let _ = write!(
                    out,
                    "<td rowspan=\"{}\"><code>{}</code><br><span class=\"muted\">{}</span></td>",
                    years.len(),
                    esc(&r.metric),
                    esc(&r.unit)
                );
            }
            out.push_str(&td_num(&y.to_string()));
            for s in &r.stats[k] {
                let cell = s.map_or("–".to_string(), |s| {
                    format!(
                        "{} ({} – {})",
                        r.fmt.format(s.p50),
                        r.fmt.format(s.p10),
                        r.fmt.format(s.p90)
                    )
                });
                out.push_str(&td_num(&cell));
            }
            out.push_str("</tr>\n");
        }
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

fn diff_table(inputs: &[Input], rows: &[diff::Row]) -> String {
    let mut out = String::from("<table>\n<thead><tr><th>Parameter</th>");
    for (i, input) in inputs.iter().enumerate() {
        let _ = write!(out, "<th>{}{}</th>", swatch(i), esc(&input.label));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for r in rows {
        let _ = write!(out, "<tr><td class=\"code\">{}</td>", esc(&r.path));
        for c in &r.values {
            let class = match c {
                diff::Cell::Value(_) => "code diffval",
                _ => "muted",
            };
            let _ = write!(out, "<td class=\"{class}\">{}</td>", esc(c.text()));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

/// The page.
pub fn render(p: &Parts<'_>) -> String {
    let labels: Vec<&str> = p.inputs.iter().map(|i| i.label.as_str()).collect();
    let mut b = String::new();
    let _ = writeln!(
        b,
        "<h1>Comparison: {}</h1>\n<p class=\"lead\">{} scenarios compared by megacluster; the first, \
         <strong>{}</strong>, is the reference for differences.</p>",
        esc(&labels.join(" · ")),
        p.inputs.len(),
        esc(labels.first().copied().unwrap_or(""))
    );
    b.push_str("<nav><h2>Contents</h2><ul>\n<li><a href=\"#scenarios\">Scenarios</a></li>\n\
        <li><a href=\"#targets\">Targets</a></li>\n<li><a href=\"#indicators\">Headline indicators</a></li>\n\
        <li><a href=\"#parameters\">What differs between the scenarios</a></li>\n");
    for (stem, title, _) in p.charts {
        let _ = writeln!(b, "<li><a href=\"#{}\">{}</a></li>", esc(stem), esc(title));
    }
    b.push_str("</ul></nav>\n");
    b.push_str("<h2 id=\"scenarios\">Scenarios</h2>\n");
    b.push_str(&scenarios_table(p.inputs));
    if !p.notes.is_empty() {
        b.push_str("<h3>Notes on comparability</h3>\n<ul>\n");
        for n in p.notes {
            let _ = writeln!(b, "<li>{}</li>", esc(n));
        }
        b.push_str("</ul>\n");
    }
    b.push_str("<h2 id=\"targets\">Targets</h2>\n");
    if p.targets.is_empty() {
        b.push_str("<p>No scenario sets targets.</p>\n");
    } else {
        b.push_str(&target_table(p.inputs, p.targets));
        b.push_str(
            "<p class=\"note\">Each cell: the share of runs meeting the target in its year, with \
             its 95 % Wilson score interval (the Monte Carlo noise of that share). Δ: the \
             difference from the first scenario in percentage points, with Newcombe's 95 % \
             interval for a difference of two proportions (built from the two Wilson \
             intervals). <strong>Beyond noise</strong> means that interval excludes zero; \
             <em>within noise</em> means more runs are needed to tell the scenarios apart on \
             this target. The method treats the ensembles as independent; scenarios run with \
             the same seed share random numbers run by run, which only makes the interval \
             wider than needed (a conservative test).</p>\n",
        );
    }
    b.push_str("<h2 id=\"indicators\">Headline indicators</h2>\n");
    b.push_str("<p class=\"note\">Median across runs, with the 10–90 % range in brackets.</p>\n");
    b.push_str(&headline_table(p.inputs));
    b.push_str("<h2 id=\"parameters\">What differs between the scenarios</h2>\n");
    if p.diff.is_empty() {
        b.push_str(
            "<p>The scenarios set the same values everywhere (names, descriptions, runs and \
             seeds aside): the differences in the results are Monte Carlo noise, or come from \
             different seeds or numbers of runs.</p>\n",
        );
    } else {
        let _ = writeln!(
            b,
            "<p>{} scenario value(s) differ. Lists of named things (sites, firms, groups, \
             pledges, hubs, targets) are matched by name, links by their two sites; \
             <em>(absent)</em> marks something a scenario does not have.</p>",
            p.diff.len()
        );
        b.push_str(&diff_table(p.inputs, p.diff));
    }
    b.push_str("<h2>Charts</h2>\n");
    for (stem, title, svg) in p.charts {
        b.push_str(&html::figure(
            stem,
            svg,
            title,
            &format!("{title} · charts/{stem}.svg and charts/{stem}.png"),
        ));
    }
    b.push_str(
        "<h2>Data files in this folder</h2>\n<ul>\n\
         <li><code>comparison.csv</code>: scenario, year, metric, unit, p10, p50, p90, mean</li>\n\
         <li><code>targets.csv</code>: the target table with intervals and differences</li>\n\
         <li><code>target_probabilities.csv</code>: each target's probability by year, with intervals</li>\n\
         <li><code>parameter_diff.csv</code>: the parameter diff, one column per scenario</li>\n\
         <li><code>charts/</code>: every chart as PNG and SVG</li>\n</ul>\n",
    );
    html::page(
        &format!("megacluster comparison · {}", labels.join(" · ")),
        &b,
    )
}
