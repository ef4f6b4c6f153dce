//! Everything a comparison writes, as bytes: charts (PNG and SVG), CSV files and the
//! report, plus the text printed on the terminal.

use super::{Input, check, csv_out, diff, entries, headline, report, targets};
use crate::error::RunError;
use crate::output::charts::{self, Chart, ChartError, overlay, overlay_capacity, overlay_targets};
use crate::output::write::Files;
use std::path::{Path, PathBuf};

/// The outputs of a comparison.
pub struct Output {
    /// Files relative to the output folder.
    pub files: Files,
    /// The tables for the terminal.
    pub text: String,
    /// Notes on comparability.
    pub notes: Vec<String>,
}

/// (stem, title, SVG) of the charts for the report.
type Rendered = Vec<(String, String, String)>;

fn add<C: Chart>(
    chart: &C,
    title: &str,
    files: &mut Files,
    rendered: &mut Rendered,
) -> Result<(), ChartError> {
    let stem = chart.stem();
    let png = charts::to_png(chart)?;
    let svg = charts::to_svg(chart)?;
    files.push((Path::new("charts").join(format!("{stem}.png")), png));
    files.push((
        Path::new("charts").join(format!("{stem}.svg")),
        svg.clone().into_bytes(),
    ));
    rendered.push((stem, title.to_string(), svg));
    Ok(())
}

fn render_charts(inputs: &[Input], files: &mut Files) -> Result<Rendered, ChartError> {
    let entries = entries(inputs);
    let mut rendered = Rendered::new();
    for c in overlay_targets::charts(&entries) {
        add(
            &c,
            "Probability of meeting each target",
            files,
            &mut rendered,
        )?;
    }
    for c in overlay::charts(&entries) {
        let title = c.title().to_string();
        add(&c, &title, files, &mut rendered)?;
    }
    for c in overlay_capacity::charts(&entries) {
        let title = match c.stem().as_str() {
            "compare_capacity_by_site" => "Wafer capacity by site, side by side",
            _ => "Wafer capacity by segment, side by side",
        };
        add(&c, title, files, &mut rendered)?;
    }
    Ok(rendered)
}

/// Builds every output of comparing `inputs` (checked first).
pub fn build(inputs: &[Input]) -> Result<Output, RunError> {
    let notes = check::check(inputs)?;
    let target_rows = targets::table(inputs);
    let scenarios: Vec<_> = inputs.iter().map(|i| i.scenario.as_ref()).collect();
    let diff_rows = diff::diff(&scenarios);
    let mut files: Files = vec![
        (
            PathBuf::from("comparison.csv"),
            csv_out::comparison_csv(inputs),
        ),
        (
            PathBuf::from("targets.csv"),
            csv_out::targets_csv(inputs, &target_rows),
        ),
        (
            PathBuf::from("target_probabilities.csv"),
            csv_out::target_years_csv(inputs),
        ),
        (
            PathBuf::from("parameter_diff.csv"),
            csv_out::diff_csv(inputs, &diff_rows),
        ),
    ];
    let rendered = render_charts(inputs, &mut files).map_err(|e| RunError::Output {
        path: PathBuf::from("charts"),
        message: e.to_string(),
    })?;
    let html = report::render(&report::Parts {
        inputs,
        notes: &notes,
        targets: &target_rows,
        diff: &diff_rows,
        charts: &rendered,
    });
    files.push((PathBuf::from("report.html"), html.into_bytes()));
    let mut text = targets::render_text(inputs, &target_rows);
    text.push('\n');
    text.push_str(&headline::render_text(inputs));
    if !diff_rows.is_empty() {
        text.push_str(&format!(
            "\n{} parameter(s) differ between the scenarios (parameter_diff.csv, report.html):\n",
            diff_rows.len()
        ));
        for r in diff_rows.iter().take(12) {
            let vals: Vec<&str> = r.values.iter().map(|c| c.text()).collect();
            let line = format!("  {}: {}", r.path, vals.join(" | "));
            let line: String = if line.chars().count() > 140 {
                line.chars().take(139).collect::<String>() + "…"
            } else {
                line
            };
            text.push_str(&line);
            text.push('\n');
        }
        if diff_rows.len() > 12 {
            text.push_str(&format!("  … and {} more\n", diff_rows.len() - 12));
        }
    }
    Ok(Output { files, text, notes })
}
