//! The posterior's files: `posterior.csv` (written, and read back by `merge` and tests),
//! `result.txt` and the charts as SVG for the report.

use crate::error::RunError;
use crate::sim::Request;
use crate::sim::hindcast::Plan;
use crate::tune::abc;
use crate::tune::calibrate::{Calibration, Summary};
use crate::tune::{ParamRange, precise};
use std::fmt::Write as _;
use std::path::PathBuf;

/// The charts as (stem, SVG) for the report, in reading order.
pub fn svgs(
    list: &[crate::output::charts::xy::XyChart],
    fan: &crate::output::charts::predictive::PredictiveChart,
) -> Result<Vec<(String, String)>, RunError> {
    use crate::output::charts::{Chart, to_svg};
    let svg = |c: &dyn Fn() -> Result<String, crate::output::charts::ChartError>, stem: String| {
        c().map(|s| (stem.clone(), s))
            .map_err(|e| RunError::Output {
                path: PathBuf::from("charts").join(stem),
                message: e.to_string(),
            })
    };
    let mut out = list
        .iter()
        .map(|c| svg(&|| to_svg(c), c.stem()))
        .collect::<Result<Vec<_>, _>>()?;
    out.push(svg(&|| to_svg(fan), fan.stem())?);
    Ok(out)
}

/// `posterior.csv`: every particle of every generation.
pub fn posterior_csv(params: &[ParamRange], cal: &Calibration) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut head = vec!["generation".to_owned(), "particle".into(), "weight".into()];
    head.extend(params.iter().map(|p| p.path.clone()));
    head.push("distance".into());
    let _ = w.write_record(&head);
    for (g, gen_) in cal.abc.generations.iter().enumerate() {
        for (i, p) in gen_.particles.iter().enumerate() {
            let mut row = vec![g.to_string(), i.to_string(), p.weight.to_string()];
            row.extend(p.values.iter().map(f64::to_string));
            row.push(p.distance.to_string());
            let _ = w.write_record(&row);
        }
    }
    w.into_inner().unwrap_or_default()
}

/// The final generation of a `posterior.csv` as written by [`posterior_csv`]: the
/// parameter paths and the particles. Rows that do not parse are an error naming them.
pub fn final_generation(text: &str) -> Result<(Vec<String>, Vec<abc::Particle>), String> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let head: Vec<String> = r
        .headers()
        .map_err(|e| format!("posterior.csv: {e}"))?
        .iter()
        .map(str::to_owned)
        .collect();
    if head.len() < 4 {
        return Err(
            "posterior.csv: expected generation, particle, weight, parameters and distance".into(),
        );
    }
    let mut rows: Vec<Vec<f64>> = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let rec = rec.map_err(|e| format!("posterior.csv: {e}"))?;
        let row = rec
            .iter()
            .map(str::parse)
            .collect::<Result<Vec<f64>, _>>()
            .map_err(|e| format!("posterior.csv, row {}: {e}", i + 2))?;
        if row.len() != head.len() {
            return Err(format!(
                "posterior.csv, row {}: {} cells, the header has {}",
                i + 2,
                row.len(),
                head.len()
            ));
        }
        rows.push(row);
    }
    let last = rows.iter().map(|r| r[0]).fold(0.0, f64::max);
    let particles = rows
        .iter()
        .filter(|r| r[0] == last)
        .map(|r| abc::Particle {
            values: r[3..r.len() - 1].to_vec(),
            weight: r[2],
            distance: r[r.len() - 1],
        })
        .collect();
    Ok((head[3..head.len() - 1].to_vec(), particles))
}

/// `result.txt`, also printed.
pub fn result_text(
    observed: &str,
    req: &Request,
    params: &[ParamRange],
    cal: &Calibration,
    sums: &[Summary],
    plan: &Plan,
) -> String {
    let abc = &cal.abc;
    let mut t = format!(
        "megacluster calibrate · scenario `{}` · {} particles x {} runs · seed {} · {}\n\n",
        req.scenario.name,
        abc.posterior().particles.len(),
        req.runs,
        req.seed,
        observed
    );
    let w = params
        .iter()
        .map(|p| p.path.len())
        .max()
        .unwrap_or(9)
        .max(9);
    let _ = writeln!(
        t,
        "{:<w$}  {:>21}  {:>10} {:>10}  {:>10} {:>10} {:>10}  {:>7}  fitted",
        "parameter", "prior (uniform)", "mean", "sd", "5 %", "50 %", "95 %", "90 % w."
    );
    for (p, s) in params.iter().zip(sums) {
        let prior = format!("{}..{}", precise(p.lo), precise(p.hi));
        let width = (s.q[2] - s.q[0]) / (0.9 * (p.hi - p.lo));
        let _ = writeln!(
            t,
            "{:<w$}  {:>21}  {:>10} {:>10}  {:>10} {:>10} {:>10}  {:>6.0}%  {}",
            p.path,
            prior,
            precise(s.mean),
            precise(s.sd),
            precise(s.q[0]),
            precise(s.q[1]),
            precise(s.q[2]),
            100.0 * width,
            s.fitted
        );
    }
    let _ = writeln!(
        t,
        "(90 % w.: the posterior's 5-95 % width as a share of the prior's)\n\nGeneration  tolerance  proposed  accepted  acceptance"
    );
    for (g, gen_) in abc.generations.iter().enumerate() {
        let tol = if gen_.tolerance.is_finite() {
            format!("{:.4}", gen_.tolerance)
        } else {
            "-".into()
        };
        let _ = writeln!(
            t,
            "{g:>10}  {tol:>9}  {:>8}  {:>8}  {:>9.1}%",
            gen_.proposed,
            gen_.particles.len(),
            100.0 * gen_.acceptance()
        );
    }
    let _ = writeln!(t, "Stopped: {}\n", abc.stopped);
    let used = cal.scales.iter().filter(|s| **s > 0.0).count();
    let _ = writeln!(
        t,
        "Distance: mean over {used} observation(s) of CRPS / prior predictive sd; scales:"
    );
    for (o, s) in plan.observations().iter().zip(&cal.scales) {
        let note = if *s > 0.0 {
            ""
        } else {
            " (left out: no particle moves it)"
        };
        let _ = writeln!(t, "  {:<60} {}{note}", o.label(), precise(*s));
    }
    let n = abc.evaluations();
    let _ = writeln!(t, "\n{n} particles evaluated ({} runs)", n * req.runs);
    t
}

#[cfg(test)]
mod tests {
    use super::final_generation;

    #[test]
    fn the_final_generation_is_read_back_and_bad_rows_are_named() {
        let text = "generation,particle,weight,a.b,c,distance\n\
                    0,0,0.5,1,2,9\n0,1,0.5,3,4,8\n1,0,0.25,5,6,0.5\n1,1,0.75,7,8,0.25\n";
        let (names, ps) = final_generation(text).unwrap();
        assert_eq!(names, ["a.b", "c"]);
        assert_eq!(ps.len(), 2);
        assert_eq!(
            (ps[1].values.clone(), ps[1].weight, ps[1].distance),
            (vec![7.0, 8.0], 0.75, 0.25)
        );
        let err =
            final_generation("generation,particle,weight,a,distance\n0,0,x,1,2\n").unwrap_err();
        assert!(err.contains("row 2"), "{err}");
    }
}
