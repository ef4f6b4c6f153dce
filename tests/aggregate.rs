//! Aggregation as runs finish: percentiles from the mergeable sketches match those
//! computed from every run's rows within the documented error (exactly for counts),
//! target probabilities are exact, and partial aggregates (shards of runs) merge into
//! exactly the aggregate of all runs.

use megacluster::sim::aggregate::quantile_sorted;
use megacluster::sim::ensemble::aggregate_runs;
use megacluster::sim::sketch::RELATIVE_ERROR;
use megacluster::sim::{Aggregate, EnsembleOptions, RunOutput, run_ensemble, simulate};
use std::sync::Arc;

mod common;

const RUNS: usize = 40;

#[test]
fn aggregated_percentiles_match_those_of_all_rows() {
    let s = Arc::new(common::load("baseline"));
    let ens = run_ensemble(
        &s,
        &EnsembleOptions {
            runs: RUNS,
            seed: s.seed,
            threads: 2,
            keep_runs: RUNS,
            progress: None,
        },
    )
    .unwrap();
    assert_eq!(ens.kept.len(), RUNS);
    assert!(ens.kept.iter().enumerate().all(|(i, o)| o.run == i));
    let r = &ens.result;
    let n_m = r.metrics.len();
    let mut exact_cells = 0;
    for m in 0..n_m {
        for y in 0..r.years.len() {
            let mut v: Vec<f64> = ens.kept.iter().map(|o| o.values[y * n_m + m]).collect();
            let mean = v.iter().sum::<f64>() / v.len() as f64;
            v.sort_by(f64::total_cmp);
            let st = r.stats[m][y];
            let mut all_exact = true;
            for (q, got) in [(0.1, st.p10), (0.5, st.p50), (0.9, st.p90)] {
                let exact = quantile_sorted(&v, q);
                let h = q * (v.len() - 1) as f64;
                let bound =
                    v[h.floor() as usize].abs().max(v[h.ceil() as usize].abs()) * RELATIVE_ERROR;
                assert!(
                    (got - exact).abs() <= bound,
                    "{} {}: p{} {got} vs {exact}",
                    r.metrics[m].name,
                    r.years[y],
                    q * 100.0
                );
                all_exact &= got == exact;
            }
            assert!((st.mean - mean).abs() <= 1e-9 * mean.abs().max(1.0));
            // Integer-valued metrics below 2^(SUB_BITS + 1) = 512 (counts of fabs, projects,
            // firms at a site) have a bucket per integer, so their percentiles are exact.
            if v.iter().all(|x| x.fract() == 0.0 && x.abs() < 512.0) {
                assert!(all_exact, "{} {}", r.metrics[m].name, r.years[y]);
            }
            exact_cells += usize::from(all_exact);
        }
    }
    assert!(exact_cells > 0);
    // Target probabilities are exact shares of runs.
    for (t, spec) in r.targets.iter().zip(&s.targets) {
        let m = r.metric_index(&spec.metric).unwrap();
        for (y, p) in t.probability_by_year.iter().enumerate() {
            let met = ens
                .kept
                .iter()
                .filter(|o| spec.comparison.met(o.values[y * n_m + m], spec.value))
                .count();
            assert_eq!(*p, met as f64 / RUNS as f64);
        }
    }
}

#[test]
fn shards_merge_into_exactly_the_aggregate_of_all_runs() {
    let s = Arc::new(common::load("baseline"));
    let outs: Vec<RunOutput> = (0..24).map(|r| simulate(&s, s.seed, r).unwrap()).collect();
    let mut whole = Aggregate::new(&s);
    outs.iter().for_each(|o| whole.add(o));
    // Three shards of uneven size, merged in two different orders.
    let shard = |range: std::ops::Range<usize>| {
        let mut a = Aggregate::new(&s);
        outs[range].iter().for_each(|o| a.add(o));
        a
    };
    let (a, b, c) = (shard(0..5), shard(5..17), shard(17..24));
    let mut one = a.clone();
    one.merge(&b);
    one.merge(&c);
    let mut two = c.clone();
    two.merge(&a);
    two.merge(&b);
    assert_eq!(one, whole);
    assert_eq!(two, whole);
    assert_eq!(one.result(&s, s.seed), whole.result(&s, s.seed));
    // The parallel ensemble (any thread count) gives the same aggregate.
    for threads in [1, 2] {
        let opts = EnsembleOptions {
            runs: 24,
            seed: s.seed,
            threads,
            keep_runs: 0,
            progress: None,
        };
        let par = aggregate_runs(&s, &opts, &mut |_| Ok(())).unwrap();
        assert_eq!(par, whole, "{threads} threads");
    }
}
