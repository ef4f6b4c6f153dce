//! Chart rendering of a finished ensemble: fan charts with targets, stacked
//! capacity, the fabless sales distribution, the site map, power and water
//! balance per site and target probabilities, each as PNG and SVG.
//!
//! Every chart is one drawing function generic over the plotters backend, so the
//! PNG (drawn into an RGB buffer and encoded with `png`) and the SVG show the same
//! thing. Text uses the embedded DejaVu Sans font, laid out by [`backend::TextFix`]; no
//! system libraries are needed.
//! Rendering is deterministic and never panics on degenerate input: charts whose
//! metrics are missing are skipped.

mod axes;
mod backend;
pub mod bars;
pub mod check;
pub mod fan;
pub mod font;
pub mod format;
mod frame;
pub mod heatmap;
pub mod hindcast;
pub mod histogram;
pub mod infra;
mod labels;
pub mod overlay;
pub mod overlay_capacity;
pub mod overlay_targets;
pub mod png;
pub mod predictive;
mod site_legend;
pub mod site_map;
pub mod stacked;
mod target_lines;
pub mod targets;
pub mod xy;

use crate::sim::results::EnsembleResult;
use plotters::coord::Shift;
use plotters::drawing::DrawingAreaErrorKind;
use plotters::prelude::*;
use std::path::{Path, PathBuf};

/// Why a chart could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// Creating the directory or writing a file failed.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// Drawing or encoding failed.
    #[error("chart drawing failed: {0}")]
    Draw(String),
}

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for ChartError {
    fn from(e: DrawingAreaErrorKind<E>) -> Self {
        ChartError::Draw(e.to_string())
    }
}

/// A chart that can draw itself on any plotters backend.
pub trait Chart {
    /// File name without extension, e.g. `fan_cluster_investment`.
    fn stem(&self) -> String;

    /// Size in pixels.
    fn size(&self) -> (u32, u32) {
        (1200, 700)
    }

    /// Draws the whole chart on `root` (already filled white).
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), ChartError>;
}

/// Renders `chart` to PNG bytes.
pub fn to_png<C: Chart>(chart: &C) -> Result<Vec<u8>, ChartError> {
    font::ensure_registered();
    let (w, h) = chart.size();
    let mut buf = vec![255u8; w as usize * h as usize * 3];
    {
        let root = backend::TextFix::raster(BitMapBackend::with_buffer(&mut buf, (w, h)))
            .into_drawing_area();
        root.fill(&WHITE)?;
        chart.draw(&root)?;
        root.present()?;
    }
    png::encode_rgb(&buf, w, h)
}

/// Renders `chart` to an SVG document.
pub fn to_svg<C: Chart>(chart: &C) -> Result<String, ChartError> {
    font::ensure_registered();
    let mut svg = String::new();
    {
        let root = backend::TextFix::vector(SVGBackend::with_string(&mut svg, chart.size()))
            .into_drawing_area();
        root.fill(&WHITE)?;
        chart.draw(&root)?;
        root.present()?;
    }
    Ok(svg)
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf, ChartError> {
    let path = dir.join(name);
    std::fs::write(&path, bytes).map_err(|source| ChartError::Io {
        path: path.clone(),
        source,
    })?;
    Ok(PathBuf::from(name))
}

/// Writes `<stem>.png` and `<stem>.svg` of `chart` into `dir` (the two drawn in parallel).
pub fn write_chart<C: Chart + Sync>(chart: &C, dir: &Path) -> Result<Vec<PathBuf>, ChartError> {
    let stem = chart.stem();
    let (png, svg) = rayon::join(|| to_png(chart), || to_svg(chart));
    let (png, svg) = (png?, svg?);
    Ok(vec![
        write(dir, &format!("{stem}.png"), &png)?,
        write(dir, &format!("{stem}.svg"), svg.as_bytes())?,
    ])
}

type Job<'a> = Box<dyn Fn(&Path) -> Result<Vec<PathBuf>, ChartError> + Send + Sync + 'a>;

fn jobs<'a, C: Chart + Send + Sync + 'a>(charts: Vec<C>) -> Vec<Job<'a>> {
    charts
        .into_iter()
        .map(|c| Box::new(move |dir: &Path| write_chart(&c, dir)) as Job<'a>)
        .collect()
}

/// Renders every chart of a finished ensemble into `dir` (created if missing), as PNG and SVG.
/// Returns the written files (relative names, sorted), e.g. "fan_cluster_investment.png".
/// Charts are drawn in parallel (rayon); each file's bytes do not depend on it.
///
/// Charts whose metrics are absent from `result` are skipped.
pub fn render_all(result: &EnsembleResult, dir: &Path) -> Result<Vec<PathBuf>, ChartError> {
    use rayon::prelude::*;
    std::fs::create_dir_all(dir).map_err(|source| ChartError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    font::ensure_registered();
    let mut all: Vec<Job<'_>> = Vec::new();
    all.extend(jobs(fan::charts(result)));
    all.extend(jobs(stacked::charts(result)));
    all.extend(jobs(histogram::charts(result)));
    all.extend(jobs(site_map::charts(result)));
    all.extend(jobs(infra::charts(result)));
    all.extend(jobs(targets::charts(result)));
    let written: Vec<Vec<PathBuf>> = all
        .par_iter()
        .map(|job| job(dir))
        .collect::<Result<_, _>>()?;
    let mut files: Vec<PathBuf> = written.into_iter().flatten().collect();
    files.sort();
    files.dedup();
    Ok(files)
}

/// "Scenario 'x' · 1,000 runs" for subtitles.
pub(crate) fn provenance(result: &EnsembleResult) -> String {
    format!(
        "Scenario '{}' · {} runs",
        result.scenario,
        format::number(result.runs as f64)
    )
}

#[cfg(test)]
mod testdata;
#[cfg(test)]
mod tests;
