use super::*;

/// A toy model with a known posterior: the observation is the mean of `runs` noisy
/// draws around θ; the distance is |mean − y|.
fn toy(theta: &[f64]) -> f64 {
    (theta[0] - 0.3).abs() + (theta[1] - 7.0).abs() / 10.0
}

fn settings(stop: Stop) -> Settings {
    Settings {
        particles: 200,
        quantile: 0.5,
        stop,
        seed: 42,
    }
}

fn calibrate(s: &Settings) -> Abc {
    run::<()>(&[(0.0, 1.0), (0.0, 10.0)], s, &mut |_, batch| {
        Ok(batch.iter().map(|t| toy(t)).collect())
    })
    .unwrap()
}

#[test]
fn the_posterior_closes_in_on_the_truth_and_tolerances_shrink() {
    let abc = calibrate(&settings(Stop::Generations(6)));
    assert_eq!(abc.generations.len(), 6);
    let tol: Vec<f64> = abc.generations.iter().map(|g| g.tolerance).collect();
    assert!(tol.windows(2).all(|w| w[1] < w[0]), "{tol:?}");
    let post = &abc.posterior().particles;
    assert_eq!(post.len(), 200);
    let w: f64 = post.iter().map(|p| p.weight).sum();
    assert!((w - 1.0).abs() < 1e-9);
    let (m0, v0) = weighted_mean_var(post, 0);
    let (m1, _) = weighted_mean_var(post, 1);
    assert!(
        (m0 - 0.3).abs() < 0.05 && (m1 - 7.0).abs() < 0.5,
        "{m0} {m1}"
    );
    assert!(v0.sqrt() < 0.1, "{v0}");
    assert!(weighted_quantile(post, 0, 0.05) <= 0.3 && weighted_quantile(post, 0, 0.95) >= 0.3);
    for p in post {
        assert!(p.distance <= tol[5]);
        assert!((0.0..=1.0).contains(&p.values[0]) && (0.0..=10.0).contains(&p.values[1]));
    }
}

#[test]
fn batches_do_not_change_the_result_and_the_seed_does() {
    let s = settings(Stop::Generations(3));
    let a = calibrate(&s);
    // Evaluating one proposal at a time must give the same populations.
    let b = run::<()>(&[(0.0, 1.0), (0.0, 10.0)], &s, &mut |_, batch| {
        let mut out = Vec::new();
        for t in batch {
            out.push(toy(t));
        }
        Ok(out)
    })
    .unwrap();
    assert_eq!(a, b);
    let c = calibrate(&Settings { seed: 43, ..s });
    assert_ne!(a.posterior(), c.posterior());
}

#[test]
fn replaying_any_whole_rounds_and_going_on_ends_where_one_go_does() {
    let bounds = [(0.0, 1.0), (0.0, 10.0)];
    let s = settings(Stop::Generations(4));
    let whole = calibrate(&s);
    let proposed: usize = whole.generations.iter().map(|g| g.proposed).sum();
    assert!(whole.evaluations() >= proposed);
    // Where each round ends in the archive.
    let mut smc = Smc::new(&bounds, &s);
    let mut ends = Vec::new();
    while let Some(r) = smc.pending() {
        let d = r.proposals.iter().map(|t| toy(t)).collect();
        smc.record(d);
        ends.push(smc.archive().len());
    }
    assert!(
        ends.len() > 4,
        "{ends:?}: some generation takes several rounds"
    );
    let archive = &whole.archive;
    for &end in &ends {
        let mut smc = Smc::new(&bounds, &s);
        smc.replay(&archive[..end]).unwrap();
        while let Some(r) = smc.pending() {
            let d = r.proposals.iter().map(|t| toy(t)).collect();
            smc.record(d);
        }
        assert_eq!(smc.finish(), whole, "resumed after {end} evaluations");
    }
    // Half a round, or a proposal this calibration does not make, is refused.
    let mut smc = Smc::new(&bounds, &s);
    let err = smc.replay(&archive[..ends[0] + 1]).unwrap_err();
    assert!(err.contains("incomplete"), "{err}");
    let mut bad = archive[..ends[0]].to_vec();
    bad[3].values[0] += 1e-9;
    let err = Smc::new(&bounds, &s).replay(&bad).unwrap_err();
    assert!(err.contains("evaluation 3"), "{err}");
}

#[test]
fn acceptance_stops_and_an_impossible_tolerance_is_abandoned() {
    let abc = calibrate(&settings(Stop::Acceptance(0.45)));
    let n = abc.generations.len();
    assert!(n >= 2);
    for g in &abc.generations[1..n - 1] {
        assert!(g.acceptance() >= 0.45, "{}", g.acceptance());
    }
    assert!(abc.posterior().acceptance() < 0.45 || n == MAX_GENERATIONS);
    // A distance that is 0 for half the prior and 1 elsewhere: tolerance 0 after
    // generation 0 still accepts; one where every distance is distinct but random
    // cannot be met, so the generation is abandoned.
    let mut calls = 0u64;
    let abc = run::<()>(
        &[(0.0, 1.0)],
        &settings(Stop::Generations(5)),
        &mut |g, batch| {
            calls += 1;
            Ok(batch
                .iter()
                .map(|t| if g == 0 { t[0] } else { 2.0 })
                .collect())
        },
    )
    .unwrap();
    assert_eq!(abc.generations.len(), 1);
    assert_eq!(abc.abandoned_proposals, 20_000);
    assert!(abc.stopped.contains("fewer than"), "{}", abc.stopped);
}

#[test]
fn predictive_draws_are_reproducible_inside_the_box_and_follow_the_weights() {
    let bounds = [(0.0, 1.0), (10.0, 20.0)];
    let particle = |values: Vec<f64>, weight| Particle {
        values,
        weight,
        distance: 0.0,
    };
    let post = Generation {
        tolerance: 1.0,
        particles: vec![
            particle(vec![0.2, 12.0], 0.9),
            particle(vec![0.8, 18.0], 0.1),
        ],
        proposed: 2,
        evaluated: 2,
    };
    let draws = predictive_draws(&bounds, &post, 7, 500);
    assert_eq!(draws, predictive_draws(&bounds, &post, 7, 500));
    assert_ne!(draws, predictive_draws(&bounds, &post, 8, 500));
    for d in &draws {
        for (x, (lo, hi)) in d.prior.iter().zip(bounds) {
            assert!((lo..=hi).contains(x), "{x} outside {lo}..{hi}");
        }
    }
    // Binomial(500, 0.9): 450 expected, sd 6.7.
    let heavy = draws
        .iter()
        .filter(|d| d.posterior == post.particles[0].values)
        .count();
    assert!((420..=480).contains(&heavy), "{heavy}");
    let mut seeds: Vec<u64> = draws.iter().map(|d| d.seed).collect();
    seeds.sort_unstable();
    seeds.dedup();
    assert_eq!(seeds.len(), 500);
}

#[test]
fn statistics_and_fits() {
    assert!((normal_cdf(0.0) - 0.5).abs() < 1e-7);
    assert!((normal_cdf(1.959_964) - 0.975).abs() < 1e-6);
    assert!((normal_cdf(-1.0) - 0.158_655_25).abs() < 1e-6);
    assert_eq!(quantile(&[3.0, 1.0, 2.0, f64::INFINITY], 0.5), 2.5);
    let ps: Vec<Particle> = [(1.0, 0.25), (2.0, 0.5), (4.0, 0.25)]
        .iter()
        .map(|&(x, w)| Particle {
            values: vec![x, -2.0 * x],
            weight: w,
            distance: 0.0,
        })
        .collect();
    assert_eq!(weighted_mean_var(&ps, 0), (2.25, 1.1875));
    assert_eq!(weighted_quantile(&ps, 0, 0.5), 2.0);
    assert_eq!(weighted_quantile(&ps, 0, 0.8), 4.0);
    assert!((weighted_correlation(&ps, 0, 1) + 1.0).abs() < 1e-12);
    // Unclamped: symmetric, with the asked standard deviation.
    let (a, m, b) = fit_triangular(5.0, 1.0, 0.0, 10.0);
    assert!((m - 5.0).abs() < 1e-12 && ((b - a) / 2.0 - 6f64.sqrt()).abs() < 1e-12);
    let sd = ((a * a + m * m + b * b - a * m - a * b - m * b) / 18.0).sqrt();
    assert!((sd - 1.0).abs() < 1e-12);
    // Near a bound: cut, the mean kept.
    let (a, m, b) = fit_triangular(0.5, 1.0, 0.0, 10.0);
    assert_eq!((a, m), (0.0, 0.0));
    assert!(((a + m + b) / 3.0 - 0.5).abs() < 1e-12);
    let (a, m, b) = fit_triangular(9.8, 0.5, 0.0, 10.0);
    assert_eq!((m, b), (10.0, 10.0));
    assert!(((a + m + b) / 3.0 - 9.8).abs() < 1e-12);
    assert_eq!(
        scales(&[vec![1.0, 3.0], vec![2.0, 2.0]]),
        vec![2f64.sqrt(), 0.0]
    );
    assert_eq!(distance(&[1.0, 5.0, 2.0], &[2.0, 0.0, 1.0]), 1.25);
}
