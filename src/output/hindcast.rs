//! Hindcast outputs: the terminal table, `hindcast.csv`, the charts and the report
//! section. Each turns a [`Hindcast`] into text or bytes; [`write`] puts them in the
//! run folder being built.

use super::charts::{self, hindcast::HindcastChart};
use super::html::{self, esc, td, td_num};
use super::table::num;
use super::write::out_err;
use crate::error::RunError;
use crate::scenario::Scenario;
use crate::sim::hindcast::{Hindcast, Row};
use crate::sim::observed::{Kind, Observation};
use crate::sim::results::EnsembleResult;
use std::fmt::Write as _;
use std::path::Path;

/// What was observed, as a cell: `526.8`, `55 – 65`, or `60 (55 – 65)`.
pub fn observed_cell(o: &Observation) -> String {
    match (o.observed.value, o.observed.range) {
        (Some(v), None) => num(v),
        (None, Some((l, h))) => format!("{} – {}", num(l), num(h)),
        (Some(v), Some((l, h))) => format!("{} ({} – {})", num(v), num(l), num(h)),
        (None, None) => String::new(),
    }
}

fn unit(o: &Observation) -> String {
    match o.kind {
        Kind::Level => o.unit.clone(),
        Kind::Growth { .. } => "% growth".into(),
    }
}

/// The coverage line: `Coverage: 3 of 4 modelled observations (75 %) ...`.
pub fn coverage_line(h: &Hindcast) -> String {
    let (covered, scored) = h.coverage();
    let skipped = h.rows.len() - scored;
    let pct = if scored == 0 {
        "-".to_string()
    } else {
        format!("{:.0} %", 100.0 * covered as f64 / scored as f64)
    };
    let mut s = format!(
        "Coverage: {covered} of {scored} modelled observations ({pct}) inside the model's 10–90 % band"
    );
    if skipped > 0 {
        let _ = write!(s, "; {skipped} not modelled");
    }
    s
}

/// The terminal table, then the coverage line and the rows not modelled.
pub fn render_table(h: &Hindcast) -> String {
    let mut rows: Vec<[String; 8]> = vec![[
        "Observation".into(),
        "Unit".into(),
        "Model p10 / p50 / p90".into(),
        "Observed".into(),
        "Covered".into(),
        "PIT".into(),
        "CRPS".into(),
        "Metric".into(),
    ]];
    let mut notes = Vec::new();
    for r in &h.rows {
        let o = &r.observation;
        let (model, covered, pit, crps) = match &r.outcome {
            Ok(s) => (
                format!("{} / {} / {}", num(s.p10), num(s.p50), num(s.p90)),
                if s.covered { "yes" } else { "NO" }.to_string(),
                format!("{:.2}", s.pit),
                num(s.crps),
            ),
            Err(why) => {
                notes.push(format!("  {why}"));
                ("not modelled".into(), "-".into(), "-".into(), "-".into())
            }
        };
        rows.push([
            o.label(),
            unit(o),
            model,
            observed_cell(o),
            covered,
            pit,
            crps,
            o.metric.clone(),
        ]);
    }
    let widths: Vec<usize> = (0..8)
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for r in &rows {
        let mut line = String::new();
        for (c, cell) in r.iter().enumerate() {
            let pad = widths[c] - cell.chars().count();
            let right = (2..=6).contains(&c);
            if right {
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.push_str(&" ".repeat(pad));
            }
            line.push_str("  ");
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&coverage_line(h));
    out.push('\n');
    if !notes.is_empty() {
        out.push_str("Not modelled:\n");
        out.push_str(&notes.join("\n"));
        out.push('\n');
    }
    out
}

/// `hindcast.csv`: one row per observation, the table's columns in tidy form.
pub fn csv_bytes(h: &Hindcast) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let opt = |v: Option<f64>| v.map_or(String::new(), |v| v.to_string());
    let _ = w.write_record([
        "quantity",
        "metric",
        "year",
        "kind",
        "base_year",
        "unit",
        "observed",
        "low",
        "high",
        "p10",
        "p50",
        "p90",
        "covered",
        "pit",
        "crps",
        "runs",
        "status",
        "source",
    ]);
    for Row {
        observation: o,
        outcome,
    } in &h.rows
    {
        let (kind, base) = match o.kind {
            Kind::Level => ("level", String::new()),
            Kind::Growth { base_year } => ("growth", base_year.to_string()),
        };
        let range = o.observed.range;
        let mut rec = vec![
            o.quantity.clone(),
            o.metric.clone(),
            o.year.to_string(),
            kind.into(),
            base,
            o.unit.clone(),
            opt(o.observed.value),
            opt(range.map(|r| r.0)),
            opt(range.map(|r| r.1)),
        ];
        match outcome {
            Ok(s) => rec.extend([
                s.p10.to_string(),
                s.p50.to_string(),
                s.p90.to_string(),
                s.covered.to_string(),
                s.pit.to_string(),
                s.crps.to_string(),
                s.runs.to_string(),
                "modelled".into(),
            ]),
            Err(why) => {
                rec.extend(std::iter::repeat_n(String::new(), 7));
                rec.push(format!("not modelled: {why}"));
            }
        }
        rec.push(o.source.clone());
        let _ = w.write_record(&rec);
    }
    w.into_inner().unwrap_or_default()
}

/// The report section: the table, the coverage and the charts (`(stem, svg)`).
pub fn html_section(h: &Hindcast, charts: &[(String, String)]) -> String {
    let rows: Vec<String> = h
        .rows
        .iter()
        .map(|r| {
            let o = &r.observation;
            let cells = match &r.outcome {
                Ok(s) => [
                    format!("{} / {} / {}", num(s.p10), num(s.p50), num(s.p90)),
                    if s.covered { "yes" } else { "no" }.to_string(),
                    format!("{:.2}", s.pit),
                    num(s.crps),
                ],
                Err(why) => [
                    format!("not modelled: {why}"),
                    "–".into(),
                    "–".into(),
                    "–".into(),
                ],
            };
            format!(
                "{}<td class=\"code\">{}</td>{}{}{}{}{}{}",
                td(&o.label()),
                esc(&o.metric),
                td(&unit(o)),
                td_num(&cells[0]),
                td_num(&observed_cell(o)),
                td(&cells[1]),
                td_num(&cells[2]),
                td_num(&cells[3]),
            )
        })
        .collect();
    let mut b = String::from("<h2 id=\"hindcast\">Hindcast</h2>\n");
    b.push_str(&html::table(
        &[
            "Observation",
            "Metric",
            "Unit",
            "Model p10 / p50 / p90",
            "Observed",
            "Covered",
            "PIT",
            "CRPS",
        ],
        &rows,
    ));
    let _ = writeln!(
        b,
        "<p>{}.</p>\n<p class=\"note\">Covered: the observed value (or range) lies inside \
         (overlaps) the model's 10–90 % band across the {} runs. PIT: the share of runs below \
         the observation plus half the share equal to it or inside its range (0.5: centred); \
         near 0 or 1 means the model misses it. CRPS: the continuous ranked probability score of the runs against the \
         observation, in its unit (lower is better). Growths are computed run by run. \
         Charts: the metric's fan with the observation marked; a growth is marked as the \
         level it implies from the model's median in the base year.</p>",
        esc(&coverage_line(h)),
        h.runs
    );
    for (stem, svg) in charts {
        b.push_str(&html::figure(
            stem,
            svg,
            stem,
            &format!("charts/{stem}.svg and charts/{stem}.png"),
        ));
    }
    b
}

/// A hindcast's folder: the run folder, then hindcast.csv, its charts and its report.
pub struct HindcastFiles<'a> {
    /// The run folder of the ensemble.
    pub run: super::export::RunFiles<'a>,
    /// The scores against the observations.
    pub scores: Hindcast,
}

impl super::export::Export for HindcastFiles<'_> {
    fn write_into(&self, tmp: &Path, dir: &Path) -> Result<(), RunError> {
        self.run.write_into(tmp, dir)?;
        write(self.run.scenario, &self.run.result, &self.scores, tmp, dir)
    }
}

/// Writes `hindcast.csv`, the hindcast charts and a `report.html` with the hindcast
/// section into `tmp`, a run folder being built for `dir` whose other files (charts
/// included) are written.
fn write(
    scenario: &Scenario,
    result: &EnsembleResult,
    h: &Hindcast,
    tmp: &Path,
    dir: &Path,
) -> Result<(), RunError> {
    let err = |path: &str, e: &dyn std::fmt::Display| out_err(&dir.join(path), e);
    std::fs::write(tmp.join("hindcast.csv"), csv_bytes(h)).map_err(|e| err("hindcast.csv", &e))?;
    let chart_dir = tmp.join("charts");
    let hc: Vec<HindcastChart<'_>> = charts::hindcast::charts(result, &h.rows);
    for c in &hc {
        charts::write_chart(c, &chart_dir).map_err(|e| err("charts", &e))?;
    }
    let all = super::run_report::read_charts(&chart_dir)?;
    let (ours, others): (Vec<_>, Vec<_>) = all
        .into_iter()
        .partition(|(stem, _)| stem.starts_with("hindcast_"));
    let page = super::run_report::render_with(scenario, result, &others, &html_section(h, &ours));
    std::fs::write(tmp.join("report.html"), page).map_err(|e| err("report.html", &e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::hindcast::Score;
    use crate::sim::observed::parse;

    fn hindcast() -> Hindcast {
        let text = "quantity,metric,year,value,low,high,kind,base_year,unit,source\n\
                    Chips,chips,2023,526.8,,,level,,USD B,SIA\n\
                    Share,share,2023,,55,65,level,,%,MSIT\n";
        let obs = parse(text).unwrap();
        Hindcast {
            rows: vec![
                Row {
                    observation: obs[0].clone(),
                    outcome: Ok(Score {
                        p10: 500.0,
                        p50: 530.0,
                        p90: 560.0,
                        covered: true,
                        pit: 0.45,
                        crps: 8.25,
                        runs: 200,
                    }),
                },
                Row {
                    observation: obs[1].clone(),
                    outcome: Err("line 3: the scenario records no metric `share`".into()),
                },
            ],
            runs: 200,
        }
    }

    #[test]
    fn table_shows_scores_coverage_and_rows_not_modelled() {
        let t = render_table(&hindcast());
        assert!(t.contains("500.0 / 530.0 / 560.0"), "{t}");
        assert!(t.contains("55.0 – 65.0"), "{t}");
        assert!(
            t.contains("Coverage: 1 of 1 modelled observations (100 %)"),
            "{t}"
        );
        assert!(t.contains("1 not modelled"), "{t}");
        assert!(
            t.contains("line 3: the scenario records no metric `share`"),
            "{t}"
        );
    }

    #[test]
    fn csv_has_one_row_per_observation() {
        let csv = String::from_utf8(csv_bytes(&hindcast())).unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(
            lines[1].starts_with(
                "Chips,chips,2023,level,,USD B,526.8,,,500,530,560,true,0.45,8.25,200,modelled,SIA"
            ),
            "{}",
            lines[1]
        );
        assert!(lines[2].contains("not modelled"));
    }
}
