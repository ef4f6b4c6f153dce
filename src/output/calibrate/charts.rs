//! The charts of a calibration: prior against posterior per parameter, and the two most
//! correlated parameters' particles.

use crate::output::charts::format::{ValueFormat, file_stem};
use crate::output::charts::xy::{Interval, XyChart, XyPoint, XySeries, colour};
use crate::tune::ParamRange;
use crate::tune::abc::{self, Particle};
use crate::tune::calibrate::Calibration;

/// Bins of the posterior histograms.
const BINS: usize = 24;

/// Weighted density of parameter `d` over `BINS` bins of `[lo, hi]`, at the bin middles.
fn density(ps: &[Particle], d: usize, lo: f64, hi: f64) -> Vec<XyPoint> {
    let width = (hi - lo) / BINS as f64;
    let mut mass = [0.0; BINS];
    let total: f64 = ps.iter().map(|p| p.weight).sum();
    for p in ps {
        let b = (((p.values[d] - lo) / width).floor().max(0.0) as usize).min(BINS - 1);
        mass[b] += p.weight / total.max(f64::MIN_POSITIVE);
    }
    mass.iter()
        .enumerate()
        .map(|(b, m)| {
            let y = m / width;
            XyPoint::with(lo + (b as f64 + 0.5) * width, y, 0.0, y)
        })
        .collect()
}

/// Every chart of `cal`.
pub fn charts(
    scenario: &str,
    params: &[ParamRange],
    cal: &Calibration,
    runs: usize,
) -> Vec<XyChart> {
    let abc = &cal.abc;
    let post = &abc.posterior().particles;
    let last = abc.generations.len() - 1;
    let subtitle = format!(
        "Scenario '{scenario}' · ABC-SMC, {} particles x {runs} runs, generation {last} of 0..{last}",
        post.len()
    );
    let mut out: Vec<XyChart> = params
        .iter()
        .enumerate()
        .map(|(d, p)| {
            let (mean, _) = abc::weighted_mean_var(post, d);
            let prior = 1.0 / (p.hi - p.lo);
            XyChart {
                stem: format!("calibrate_{}", file_stem(&p.path)),
                title: format!("Prior and posterior of {}", p.path),
                subtitle: subtitle.clone(),
                x_desc: p.label(),
                y_desc: "Probability density".into(),
                y_fmt: ValueFormat::Plain,
                series: vec![
                    XySeries {
                        label: "prior (uniform)".into(),
                        colour: colour(6),
                        points: vec![XyPoint::new(p.lo, prior), XyPoint::new(p.hi, prior)],
                        line: true,
                        interval: Interval::None,
                        point_labels: Vec::new(),
                    },
                    XySeries {
                        label: "posterior (weighted particles)".into(),
                        colour: colour(0),
                        points: density(post, d, p.lo, p.hi),
                        line: true,
                        interval: Interval::Band,
                        point_labels: Vec::new(),
                    },
                ],
                hlines: Vec::new(),
                // One line: a second label for the scenario's centre would overlap this
                // one whenever the two are close.
                vlines: vec![(
                    mean,
                    format!(
                        "posterior mean {} (scenario's centre {})",
                        crate::tune::precise(mean),
                        crate::tune::precise(p.base)
                    ),
                )],
                y_range: None,
                notes: Vec::new(),
                x_int: false,
            }
        })
        .collect();
    if let Some((a, b, r)) = most_correlated(post, params.len()) {
        let (pa, pb) = (&params[a], &params[b]);
        let scatter = |ps: &[Particle]| -> Vec<XyPoint> {
            ps.iter()
                .map(|p| XyPoint::new(p.values[a], p.values[b]))
                .collect()
        };
        out.push(XyChart {
            stem: "calibrate_pair".into(),
            title: "The two parameters most correlated in the posterior".into(),
            subtitle: format!("{subtitle} · weighted correlation {r:.2}"),
            x_desc: pa.label(),
            y_desc: pb.label(),
            y_fmt: ValueFormat::Plain,
            series: vec![
                XySeries {
                    label: "prior sample (generation 0)".into(),
                    colour: colour(6),
                    points: scatter(&abc.generations[0].particles),
                    line: false,
                    interval: Interval::None,
                    point_labels: Vec::new(),
                },
                XySeries {
                    label: format!("posterior (generation {last})"),
                    colour: colour(0),
                    points: scatter(post),
                    line: false,
                    interval: Interval::None,
                    point_labels: Vec::new(),
                },
            ],
            hlines: Vec::new(),
            vlines: Vec::new(),
            y_range: Some((pb.lo, pb.hi)),
            notes: Vec::new(),
            x_int: false,
        });
    }
    out
}

/// The pair of parameters with the strongest weighted correlation, and that correlation.
fn most_correlated(ps: &[Particle], n: usize) -> Option<(usize, usize, f64)> {
    let mut best: Option<(usize, usize, f64)> = None;
    for a in 0..n {
        for b in a + 1..n {
            let r = abc::weighted_correlation(ps, a, b);
            if best.is_none_or(|x| r.abs() > x.2.abs()) {
                best = Some((a, b, r));
            }
        }
    }
    best
}
