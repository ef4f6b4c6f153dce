use super::*;
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use std::path::Path;

/// `n` uniform points in the unit cube of `k` dimensions, cases of interest inside
/// `planted` (limits per dimension), each flipped with probability `noise`.
fn planted(
    n: usize,
    k: usize,
    planted: &[(f64, f64)],
    noise: f64,
    seed: u64,
) -> (Vec<Vec<f64>>, Vec<bool>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let x: Vec<Vec<f64>> = (0..n)
        .map(|_| (0..k).map(|_| rng.random::<f64>()).collect())
        .collect();
    let y = x
        .iter()
        .map(|p| {
            let inb = p
                .iter()
                .zip(planted)
                .all(|(&v, &(lo, hi))| lo <= v && v <= hi);
            inb ^ (rng.random::<f64>() < noise)
        })
        .collect();
    (x, y)
}

#[test]
fn quantiles_follow_the_package() {
    let v = [1.0, 2.0, 3.0, 4.0, 5.0];
    // (n - 1) q = 0.2: between the first two values.
    assert_eq!(quantile(&v, 0.05), 1.5);
    assert_eq!(quantile(&v, 0.95), 4.5);
    // On a value exactly: moved outwards to the midpoint with the next one.
    assert_eq!(quantile(&v, 0.25), 2.5);
    assert_eq!(quantile(&v, 0.75), 3.5);
    // Ties are stepped past.
    assert_eq!(quantile(&[1.0, 1.0, 1.0, 2.0], 0.05), 1.5);
    assert_eq!(quantile(&[7.0], 0.95), 7.0);
}

#[test]
fn binomial_tail_matches_known_values() {
    // scipy.stats.binom.sf(k - 1, n, p).
    assert!((binomial_sf(3, 10, 0.2) - 0.32220047360000015).abs() < 1e-12);
    assert!((binomial_sf(8, 10, 0.5) - 0.0546875).abs() < 1e-12);
    assert_eq!(binomial_sf(0, 10, 0.3), 1.0);
    assert_eq!(binomial_sf(11, 10, 0.3), 0.0);
    let tiny = binomial_sf(50, 50, 0.2);
    assert!((tiny / 0.2f64.powi(50) - 1.0).abs() < 1e-9);
}

#[test]
fn a_planted_box_is_found() {
    let truth = [(0.1, 0.5), (0.0, 1.0), (0.6, 0.9)];
    let (x, y) = planted(2000, 3, &truth, 0.05, 11);
    let t = peel(&x, &y, &Options::default()).unwrap();
    // Coverage starts at 1 and never rises while peeling; mass stays above the minimum.
    assert_eq!(t.steps[0].coverage, 1.0);
    assert!(t.steps.windows(2).all(|w| w[1].coverage <= w[0].coverage));
    assert!(t.steps.iter().all(|s| s.mass >= 0.05));
    // The box of highest coverage with density 0.8 lies on the planted one.
    let i = choose(&t, Some(0.8));
    let s = &t.steps[i];
    assert!(s.density >= 0.8 && s.coverage > 0.7, "{s:?}");
    assert_eq!(restricted(&s.limits, &t.init), vec![0, 2]);
    for d in [0, 2] {
        assert!(
            (s.limits[d].0 - truth[d].0).abs() < 0.05,
            "{d}: {:?}",
            s.limits[d]
        );
        assert!(
            (s.limits[d].1 - truth[d].1).abs() < 0.05,
            "{d}: {:?}",
            s.limits[d]
        );
    }
    // Both restrictions matter.
    let qp = quasi_p(&x, &y, &t, i);
    assert!(qp.iter().all(|&(_, p)| p < 1e-6), "{qp:?}");
    // Deterministic.
    assert_eq!(t, peel(&x, &y, &Options::default()).unwrap());
}

#[test]
fn without_cases_of_interest_there_is_one_box() {
    let (x, _) = planted(50, 2, &[(0.0, 1.0); 2], 0.0, 1);
    let t = peel(&x, &[false; 50], &Options::default()).unwrap();
    assert_eq!(t.steps.len(), 1);
    assert_eq!(choose(&t, Some(0.5)), 0);
    assert_eq!(peel(&[], &[], &Options::default()), Err(PrimError::Empty));
}

/// Limits within 0.02 of each dimension's range, coverage, density and mass within
/// 0.01 (the reference and this code compute them the same way, so in practice they
/// agree to the last bit), quasi-p-values within 1e-6 relative.
#[test]
fn reproduces_the_prim_package_on_its_fixture() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/prim");
    let mut r = csv::Reader::from_path(dir.join("data.csv")).unwrap();
    let (mut x, mut y) = (Vec::new(), Vec::new());
    for rec in r.records() {
        let rec = rec.unwrap();
        let v: Vec<f64> = rec.iter().map(|s| s.parse().unwrap()).collect();
        y.push(v[v.len() - 1] == 1.0);
        x.push(v[..v.len() - 1].to_vec());
    }
    let reference: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("reference.json")).unwrap()).unwrap();
    let opts = Options {
        peel_alpha: reference["peel_alpha"].as_f64().unwrap(),
        paste_alpha: reference["paste_alpha"].as_f64().unwrap(),
        mass_min: reference["mass_min"].as_f64().unwrap(),
        paste: true,
    };
    let t = peel(&x, &y, &opts).unwrap();
    let steps = reference["trajectory"].as_array().unwrap();
    assert_eq!(t.steps.len(), steps.len());
    let width: Vec<f64> = t.init.iter().map(|(lo, hi)| hi - lo).collect();
    let (mut worst_stat, mut worst_limit) = (0.0f64, 0.0f64);
    for (i, (ours, theirs)) in t.steps.iter().zip(steps).enumerate() {
        for (key, v) in [
            ("coverage", ours.coverage),
            ("density", ours.density),
            ("mass", ours.mass),
        ] {
            let want = theirs[key].as_f64().unwrap();
            worst_stat = worst_stat.max((v - want).abs());
            assert!((v - want).abs() < 0.01, "step {i} {key}: {v} vs {want}");
        }
        assert_eq!(
            ours.restricted as u64,
            theirs["restricted"].as_u64().unwrap()
        );
        for (d, lim) in theirs["limits"].as_array().unwrap().iter().enumerate() {
            let (lo, hi) = (lim[0].as_f64().unwrap(), lim[1].as_f64().unwrap());
            worst_limit = worst_limit
                .max((ours.limits[d].0 - lo).abs() / width[d])
                .max((ours.limits[d].1 - hi).abs() / width[d]);
            assert!(
                (ours.limits[d].0 - lo).abs() <= 0.02 * width[d]
                    && (ours.limits[d].1 - hi).abs() <= 0.02 * width[d],
                "step {i} dimension {d}: {:?} vs {lo}..{hi}",
                ours.limits[d]
            );
        }
    }
    eprintln!(
        "largest differences: coverage/density/mass {worst_stat:e}, limits {worst_limit:e} of the range"
    );
    let chosen = reference["chosen"].as_u64().unwrap() as usize;
    assert_eq!(choose(&t, None), chosen);
    let names = reference["names"].as_array().unwrap();
    let qp = quasi_p(&x, &y, &t, chosen);
    let want = reference["quasi_p"].as_object().unwrap();
    assert_eq!(qp.len(), want.len());
    for (d, p) in qp {
        let w = want[names[d].as_str().unwrap()].as_f64().unwrap();
        eprintln!("quasi-p of {}: {p:e} vs {w:e}", names[d]);
        assert!(
            (p / w - 1.0).abs() < 1e-6,
            "quasi-p of {}: {p} vs {w}",
            names[d]
        );
    }
}

#[test]
fn a_threshold_picks_the_densest_box_of_the_highest_coverage() {
    let (x, y) = planted(400, 2, &[(0.0, 0.3), (0.0, 1.0)], 0.1, 5);
    let t = peel(&x, &y, &Options::default()).unwrap();
    let i = choose(&t, Some(0.6));
    let s = &t.steps[i];
    assert!(s.density >= 0.6);
    for o in &t.steps {
        if o.density >= 0.6 {
            assert!(
                o.coverage < s.coverage || (o.coverage == s.coverage && o.density <= s.density)
            );
        }
    }
    assert_eq!(choose(&t, Some(1.1)), t.steps.len() - 1);
    assert_eq!(choose(&t, None), t.steps.len() - 1);
}
