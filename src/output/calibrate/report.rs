//! The predictive check's files (`predictive.csv`, its lines of `result.txt`) and the
//! calibration's `report.html`: settings, the posterior table, the charts and the
//! predictive table, built with the run report's machinery (`crate::output::html`).

use crate::output::hindcast::{coverage_line, observed_cell};
use crate::output::html::{self, esc, td, td_num};
use crate::output::table::num;
use crate::sim::hindcast::Score;
use crate::sim::observed::Observation;
use crate::tune::calibrate::Summary;
use crate::tune::predictive::Predictive;
use crate::tune::{ParamRange, precise};
use std::fmt::Write as _;

fn scored(p: &Predictive) -> Vec<(&Observation, &Score, &Score)> {
    crate::output::charts::predictive::scored(&p.prior, &p.posterior)
}

/// `predictive.csv`: per observation, the prior and posterior predictive quantiles,
/// coverage and CRPS, and what was observed.
pub fn csv(p: &Predictive) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "observation",
        "metric",
        "year",
        "prior_p10",
        "prior_p50",
        "prior_p90",
        "posterior_p10",
        "posterior_p50",
        "posterior_p90",
        "observed",
        "observed_low",
        "observed_high",
        "covered_prior",
        "covered_posterior",
        "crps_prior",
        "crps_posterior",
    ]);
    let flag = |b: bool| if b { "1" } else { "0" }.to_string();
    for (o, a, b) in scored(p) {
        let (lo, hi) = o.observed.interval();
        let _ = w.write_record([
            o.label(),
            o.metric.clone(),
            o.year.to_string(),
            a.p10.to_string(),
            a.p50.to_string(),
            a.p90.to_string(),
            b.p10.to_string(),
            b.p50.to_string(),
            b.p90.to_string(),
            o.observed.point().to_string(),
            lo.to_string(),
            hi.to_string(),
            flag(a.covered),
            flag(b.covered),
            a.crps.to_string(),
            b.crps.to_string(),
        ]);
    }
    w.into_inner().unwrap_or_default()
}

/// The predictive check's lines of `result.txt`.
pub fn result_lines(p: &Predictive) -> String {
    let rows = scored(p);
    let better = rows.iter().filter(|(_, a, b)| b.crps < a.crps).count();
    format!(
        "Predictive check ({} runs each; predictive.csv, charts/calibrate_predictive):\n  prior:     {}\n  posterior: {}\n  CRPS lower after the fit for {better} of {} observations\n",
        p.prior.runs,
        coverage_line(&p.prior),
        coverage_line(&p.posterior),
        rows.len()
    )
}

/// What `report.html` shows.
pub struct Report<'a> {
    /// Title line (scenario and method).
    pub title: String,
    /// Settings as (name, value) pairs.
    pub settings: Vec<(String, String)>,
    /// The fitted parameters and their summaries.
    pub params: &'a [ParamRange],
    /// Posterior summaries, one per parameter.
    pub sums: &'a [Summary],
    /// The predictive check.
    pub predictive: &'a Predictive,
    /// Charts as (stem, SVG), in reading order.
    pub charts: Vec<(String, String)>,
}

/// `report.html`.
pub fn html(r: &Report) -> String {
    let mut b = format!(
        "<h1>{}</h1>\n<h2 id=\"settings\">Settings</h2>\n",
        esc(&r.title)
    );
    let rows: Vec<String> = r
        .settings
        .iter()
        .map(|(k, v)| format!("{}{}", td(k), td(v)))
        .collect();
    b.push_str(&html::table(&["Setting", "Value"], &rows));
    b.push_str("<h2 id=\"posterior\">Posterior</h2>\n");
    let rows: Vec<String> = r
        .params
        .iter()
        .zip(r.sums)
        .map(|(p, s)| {
            format!(
                "<td class=\"code\">{}</td>{}{}{}{}{}",
                esc(&p.path),
                td_num(&format!("{} – {}", precise(p.lo), precise(p.hi))),
                td_num(&precise(s.mean)),
                td_num(&precise(s.sd)),
                td_num(&format!("{} – {}", precise(s.q[0]), precise(s.q[2]))),
                td(&s.fitted)
            )
        })
        .collect();
    b.push_str(&html::table(
        &[
            "Parameter",
            "Prior (uniform)",
            "Posterior mean",
            "sd",
            "90 % interval (5–95 %)",
            "Fitted (calibrated.ron)",
        ],
        &rows,
    ));
    b.push_str("<h2 id=\"predictive\">Predictive check</h2>\n");
    let rows: Vec<String> = scored(r.predictive)
        .into_iter()
        .map(|(o, a, p)| {
            let band = |s: &Score| format!("{} / {} / {}", num(s.p10), num(s.p50), num(s.p90));
            let yes = |c: bool| if c { "yes" } else { "no" };
            format!(
                "{}{}{}{}{}{}{}{}",
                td(&o.label()),
                td_num(&band(a)),
                td_num(&band(p)),
                td_num(&observed_cell(o)),
                td(yes(a.covered)),
                td(yes(p.covered)),
                td_num(&num(a.crps)),
                td_num(&num(p.crps)),
            )
        })
        .collect();
    b.push_str(&html::table(
        &[
            "Observation",
            "Prior p10 / p50 / p90",
            "Posterior p10 / p50 / p90",
            "Observed",
            "Covered before",
            "Covered after",
            "CRPS before",
            "CRPS after",
        ],
        &rows,
    ));
    let _ = writeln!(
        b,
        "<p>Before: {}.<br>After: {}.</p>\n<p class=\"note\">Each predictive ensemble has \
         {} runs, each run with its own parameter draw (from the prior box, or a particle of \
         the last generation picked by weight) and the same seeds before and after, so the \
         two differ by the parameters alone. Covered and CRPS as in the hindcast.</p>",
        esc(&coverage_line(&r.predictive.prior)),
        esc(&coverage_line(&r.predictive.posterior)),
        r.predictive.prior.runs
    );
    b.push_str("<h2 id=\"charts\">Charts</h2>\n");
    for (stem, svg) in &r.charts {
        b.push_str(&html::figure(
            stem,
            svg,
            stem,
            &format!("charts/{stem}.svg and charts/{stem}.png"),
        ));
    }
    html::page(&r.title, &b)
}
