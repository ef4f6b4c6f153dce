//! Where a calibration stands, on disk: `--shard K/N` evaluates a share of the next
//! round and writes a partial folder; `megacluster merge` of a round's partials writes a
//! folder of whole rounds that `--resume` goes on from, or, after the last round, the
//! folder of the calibration run in one go, byte for byte.
//!
//! Every calibrate folder holds `evaluations.csv` (every proposal evaluated: generation,
//! proposal, parameters, distance), `scales.csv` (the distance's scale per observation,
//! fixed by generation 0) and `manifest.json`. A shard's partial folder holds the rounds
//! before its own and its share of its round; a share of generation 0 cannot have
//! distances yet (the scales need every proposal of the generation), so its rows leave
//! the distance empty and `prior_values.csv` holds what each of its proposals observed.
//! A partial also carries the scenario file's text (`source.ron`, which calibrated.ron
//! is spliced into) and the observations (`observations.csv`), so `merge` needs nothing
//! else.

use super::{Setup, write_final};
use crate::cli::generations;
use crate::cli::request::Request;
use crate::cli::tune_common::evaluator;
use crate::error::RunError;
use crate::output::export::{self, Folder};
use crate::output::partial::{self, CalibrateSpec, Manifest, Round};
use crate::tune::abc::{Evaluation, Smc};
use crate::tune::calibrate::{self, Calibration};
use std::path::{Path, PathBuf};

/// Every proposal evaluated.
const EVALUATIONS: &str = "evaluations.csv";
/// The distance's scales.
const SCALES: &str = "scales.csv";
/// What the proposals of a generation-0 share observed.
const PRIOR_VALUES: &str = "prior_values.csv";
/// The scenario file's text, in a partial.
const SOURCE: &str = "source.ron";
/// The observations file, in a partial.
const OBSERVATIONS: &str = "observations.csv";

fn input_err(path: &Path, message: impl Into<String>) -> RunError {
    RunError::Input {
        path: path.to_owned(),
        message: message.into(),
    }
}

/// `evaluations.csv` of `rows`; a distance of `None` is left empty.
fn evaluations_csv(setup: &Setup, rows: &[(&Evaluation, bool)]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut head = vec!["generation".to_owned(), "proposal".into()];
    head.extend(setup.params.iter().map(|p| p.path.clone()));
    head.push("distance".into());
    let _ = w.write_record(&head);
    for (e, with_distance) in rows {
        let mut row = vec![e.generation.to_string(), e.proposal.to_string()];
        row.extend(e.values.iter().map(f64::to_string));
        row.push(if *with_distance {
            e.distance.to_string()
        } else {
            String::new()
        });
        let _ = w.write_record(&row);
    }
    w.into_inner().unwrap_or_default()
}

/// Reads an `evaluations.csv` back (numbers are written in their shortest exact form, so
/// they read back bit for bit). An empty distance reads as NaN where `empty_ok`.
fn read_evaluations(
    path: &Path,
    setup: &Setup,
    empty_ok: bool,
) -> Result<Vec<Evaluation>, RunError> {
    let k = setup.params.len();
    let head: Vec<&str> = ["generation", "proposal"]
        .into_iter()
        .chain(setup.params.iter().map(|p| p.path.as_str()))
        .chain(["distance"])
        .collect();
    generations::read_rows(
        path,
        &head,
        "those of this calibration's parameters",
        "an evaluation's numbers",
    )?
    .iter()
    .map(|row| {
        Ok(Evaluation {
            generation: row.whole(0)?,
            proposal: row.whole(1)?,
            values: (2..2 + k).map(|i| row.num(i)).collect::<Result<_, _>>()?,
            distance: match row.cell(2 + k)? {
                "" if empty_ok => f64::NAN,
                _ => row.num(2 + k)?,
            },
        })
    })
    .collect()
}

/// `scales.csv`: one row per observation.
fn scales_csv(setup: &Setup, scales: &[f64]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(["observation", "scale"]);
    for (o, s) in setup.plan.observations().iter().zip(scales) {
        let _ = w.write_record([o.label(), s.to_string()]);
    }
    w.into_inner().unwrap_or_default()
}

fn read_scales(path: &Path, setup: &Setup) -> Result<Vec<f64>, RunError> {
    let scales = generations::read_rows(
        path,
        &["observation", "scale"],
        "observation, scale",
        "a scale",
    )?
    .iter()
    .map(|row| row.num(1))
    .collect::<Result<Vec<f64>, _>>()?;
    if scales.len() != setup.plan.observations().len() {
        return Err(input_err(
            path,
            format!(
                "it has {} scales for {} observations",
                scales.len(),
                setup.plan.observations().len()
            ),
        ));
    }
    Ok(scales)
}

/// `prior_values.csv`: per proposal and observation, its runs' values (space-separated).
fn prior_values_csv(proposals: &[usize], values: &[Vec<Vec<f64>>]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(["proposal", "observation", "values"]);
    for (p, v) in proposals.iter().zip(values) {
        for (o, xs) in v.iter().enumerate() {
            let cell: Vec<String> = xs.iter().map(f64::to_string).collect();
            let _ = w.write_record([p.to_string(), o.to_string(), cell.join(" ")]);
        }
    }
    w.into_inner().unwrap_or_default()
}

/// Reads `prior_values.csv` back: per proposal (in `proposals`' order), per observation.
fn read_prior_values(
    path: &Path,
    proposals: &[usize],
    observations: usize,
) -> Result<Vec<Vec<Vec<f64>>>, RunError> {
    let rows = generations::read_rows(
        path,
        &["proposal", "observation", "values"],
        "proposal, observation, values",
        "a proposal's values",
    )?;
    let obs = observations.max(1);
    let mut out: Vec<Vec<Vec<f64>>> = Vec::new();
    for (line, row) in rows.iter().enumerate() {
        let (p, o) = (row.whole(0)?, row.whole(1)?);
        let xs = row
            .cell(2)?
            .split_whitespace()
            .map(str::parse::<f64>)
            .collect::<Result<Vec<f64>, _>>();
        let slot = line / obs;
        match xs {
            Ok(xs) if proposals.get(slot) == Some(&p) && o == line % obs => {
                if o == 0 {
                    out.push(Vec::new());
                }
                out[slot].push(xs);
            }
            _ => {
                return Err(input_err(
                    path,
                    format!(
                        "row {} is not the values of the next observation of a proposal its manifest covers",
                        line + 2
                    ),
                ));
            }
        }
    }
    if out.len() != proposals.len() || out.iter().any(|v| v.len() != observations) {
        return Err(input_err(
            path,
            "it does not hold every observation of the proposals its manifest covers",
        ));
    }
    Ok(out)
}

/// The state files of a folder of whole rounds: evaluations, scales and manifest.
pub(super) fn files(
    req: &Request,
    setup: &Setup,
    archive: &[Evaluation],
    scales: &[f64],
) -> crate::output::write::Files {
    let rows: Vec<(&Evaluation, bool)> = archive.iter().map(|e| (e, true)).collect();
    vec![
        (EVALUATIONS.into(), evaluations_csv(setup, &rows)),
        (SCALES.into(), scales_csv(setup, scales)),
        (
            partial::MANIFEST.into(),
            generations::json_bytes(&setup.manifest(req, None)),
        ),
    ]
}

/// Replays the folder of whole rounds `dir` into `smc`; returns its scales.
pub(super) fn resume(dir: &Path, setup: &Setup, smc: &mut Smc<'_>) -> Result<Vec<f64>, RunError> {
    let path = dir.join(EVALUATIONS);
    let done = read_evaluations(&path, setup, false)?;
    smc.replay(&done).map_err(|e| input_err(&path, e))?;
    read_scales(&dir.join(SCALES), setup)
}

/// Evaluates shard (K, N) of the round `smc` has pending and writes its partial folder.
pub(super) fn run_shard(
    req: &Request,
    setup: &Setup,
    smc: &Smc<'_>,
    scales: &[f64],
    (k, n): (usize, usize),
    resumed: Option<&Path>,
) -> Result<PathBuf, RunError> {
    let Some(pending) = smc.pending() else {
        return generations::nothing_left(resumed, req.quiet);
    };
    let g = pending.generation;
    let round = Round {
        generation: g,
        first: pending.first,
        count: pending.proposals.len(),
    };
    let manifest = setup.manifest(req, Some((round, k, n)));
    let dir = &req.out;
    if generations::already_done(req, &manifest, EVALUATIONS, (k, n), g) {
        return Ok(dir.clone());
    }
    let share = generations::share(round, k, n);
    let batch: Vec<Vec<f64>> = share
        .iter()
        .map(|&i| pending.proposals[i - round.first].clone())
        .collect();
    let (mut ev, pb) = evaluator(req, setup.params.clone(), batch.len());
    let span = calibrate::observed_span(&req.scenario, &setup.plan);
    ev.base = &span;
    let values = calibrate::observe(&ev, &setup.plan, &batch)?;
    pb.finish_and_clear();
    let distances = if g == 0 {
        vec![f64::NAN; batch.len()]
    } else {
        calibrate::distances(&setup.plan, &values, scales)
    };
    let new: Vec<Evaluation> = share
        .iter()
        .zip(batch)
        .zip(distances)
        .map(|((&proposal, values), distance)| Evaluation {
            generation: g,
            proposal,
            values,
            distance,
        })
        .collect();
    let rows: Vec<(&Evaluation, bool)> = smc
        .archive()
        .iter()
        .map(|e| (e, true))
        .chain(new.iter().map(|e| (e, g > 0)))
        .collect();
    let mut files = vec![
        (EVALUATIONS.into(), evaluations_csv(setup, &rows)),
        (SOURCE.into(), req.text.clone().into_bytes()),
        (OBSERVATIONS.into(), setup.observed.clone()),
    ];
    if g == 0 {
        files.push((PRIOR_VALUES.into(), prior_values_csv(&share, &values)));
    } else {
        files.push((SCALES.into(), scales_csv(setup, scales)));
    }
    crate::output::partial::write(dir, &req.scenario, files, &manifest)?;
    if !req.quiet {
        println!(
            "Wrote shard {k} of {n} of generation {g}, proposals {}..{} ({} of them) to {}",
            round.first,
            round.first + round.count,
            share.len(),
            dir.display()
        );
    }
    Ok(dir.clone())
}

/// A file of partial folder `dir`.
fn read(dir: &Path, name: &str) -> Result<Vec<u8>, RunError> {
    let path = dir.join(name);
    std::fs::read(&path).map_err(|e| input_err(&path, e.to_string()))
}

/// Merges the partial folders of one round into `req.out`: the finished calibration's
/// folder after the last round, else a folder of the rounds so far that `--resume` goes
/// on from.
pub fn merge(
    mut req: Request,
    spec: &CalibrateSpec,
    dirs: &[PathBuf],
    manifests: &[Manifest],
) -> Result<(), RunError> {
    let round = generations::round_of(dirs, manifests)?;
    let text = String::from_utf8_lossy(&read(&dirs[0], SOURCE)?).into_owned();
    if partial::hash_bytes(text.as_bytes()) != spec.text_hash {
        return Err(input_err(
            &dirs[0].join(SOURCE),
            "the scenario file's text does not match the manifest's hash",
        ));
    }
    let observed = read(&dirs[0], OBSERVATIONS)?;
    if partial::hash_bytes(&observed) != spec.observed_hash {
        return Err(input_err(
            &dirs[0].join(OBSERVATIONS),
            "the observations do not match the manifest's hash",
        ));
    }
    req.text = text;
    let spec = CalibrateSpec {
        round: None,
        ..spec.clone()
    };
    let setup = Setup::of_spec(&req, spec, observed)?;
    let g = round.generation;
    let starts_before = |e: &Evaluation| (e.generation, e.proposal) < (g, round.first);
    let mut earlier: Option<(&PathBuf, Vec<Evaluation>, Vec<f64>)> = None;
    let mut rows: Vec<Option<Evaluation>> = vec![None; round.count];
    let mut values: Vec<Option<Vec<Vec<f64>>>> = vec![None; round.count];
    for (d, m) in dirs.iter().zip(manifests) {
        let path = d.join(EVALUATIONS);
        let (before, this): (Vec<Evaluation>, Vec<Evaluation>) =
            read_evaluations(&path, &setup, g == 0)?
                .into_iter()
                .partition(starts_before);
        let scales = if g == 0 {
            Vec::new()
        } else {
            read_scales(&d.join(SCALES), &setup)?
        };
        match &earlier {
            Some((first, e, s)) if *e != before || *s != scales => {
                return Err(input_err(
                    &path,
                    format!(
                        "its rounds before generation {g}, proposal {} differ from those of {}: the shards went on from different folders",
                        round.first,
                        first.display()
                    ),
                ));
            }
            Some(_) => {}
            None => earlier = Some((d, before, scales)),
        }
        let covered = m.covered_points.clone().unwrap_or_default();
        let got: Vec<usize> = this.iter().map(|e| e.proposal).collect();
        if got != covered || this.iter().any(|e| e.generation != g) {
            return Err(input_err(
                &path,
                format!(
                    "its evaluations are not those its manifest covers ({})",
                    m.covers
                ),
            ));
        }
        if g == 0 {
            let obs = setup.plan.observations().len();
            for (i, v) in read_prior_values(&d.join(PRIOR_VALUES), &covered, obs)?
                .into_iter()
                .enumerate()
            {
                values[covered[i] - round.first] = Some(v);
            }
        }
        for e in this {
            let i = e.proposal - round.first;
            rows[i] = Some(e);
        }
    }
    let (_, before, mut scales) = earlier.unwrap_or((&dirs[0], Vec::new(), Vec::new()));
    let bounds = calibrate::bounds(&setup.params);
    let mut smc = Smc::new(&bounds, &setup.settings);
    smc.replay(&before)
        .map_err(|e| input_err(&dirs[0].join(EVALUATIONS), e))?;
    let rows = rows
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            r.ok_or_else(|| {
                RunError::Usage(format!(
                    "cannot merge: proposal {} of generation {g} is missing",
                    round.first + i
                ))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let same = smc.pending().is_some_and(|p| {
        p.generation == g
            && p.first == round.first
            && p.proposals.len() == round.count
            && rows.iter().zip(&p.proposals).all(|(e, x)| e.values == *x)
    });
    if !same {
        return Err(input_err(
            &dirs[0],
            format!(
                "its round (generation {g}, proposals {}..{}) is not the one this calibration makes next: it was written with other settings or from another folder",
                round.first,
                round.first + round.count
            ),
        ));
    }
    let distances = if g == 0 {
        let values: Vec<Vec<Vec<f64>>> = values.into_iter().flatten().collect();
        scales = calibrate::scales_of(&setup.plan, &values);
        calibrate::distances(&setup.plan, &values, &scales)
    } else {
        rows.iter().map(|e| e.distance).collect()
    };
    smc.record(distances);
    if let Some(next) = smc.pending() {
        let (ng, nf) = (next.generation, next.first);
        let files = files(&req, &setup, smc.archive(), &scales);
        export::write(
            &req.out,
            &Folder {
                files: &files,
                charts: &|_| Ok(()),
            },
        )?;
        if !req.quiet {
            println!(
                "Rounds up to generation {g}, proposal {} done; next: `megacluster calibrate ... --resume {} --shard K/N` for generation {ng} from proposal {nf}",
                round.first + round.count,
                req.out.display()
            );
        }
        return Ok(());
    }
    let extra = (2 * setup.spec.predictive_runs).div_ceil(req.runs.max(1));
    let (mut ev, pb) = evaluator(&req, setup.params.clone(), extra);
    let span = calibrate::observed_span(&req.scenario, &setup.plan);
    ev.base = &span;
    let cal = Calibration {
        abc: smc.finish(),
        scales,
    };
    write_final(&req, &setup, &ev, &pb, &cal)
}
