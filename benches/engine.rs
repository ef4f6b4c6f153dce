//! Engine throughput: one baseline run (firm-years per second) and ensembles with
//! aggregation (runs per second). Run with `cargo bench`; figures go in the README.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use megacluster::scenario::load_file;
use megacluster::sim::{EnsembleOptions, run_ensemble, simulate};
use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;

fn baseline() -> Arc<megacluster::scenario::Scenario> {
    Arc::new(
        load_file(&Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/baseline.ron"))
            .expect("baseline loads"),
    )
}

fn firm_years(s: &megacluster::scenario::Scenario) -> u64 {
    let firms = s.firms.len() as u64 + s.groups.iter().map(|g| u64::from(g.count)).sum::<u64>();
    firms * s.n_years() as u64
}

fn one_run(c: &mut Criterion) {
    let s = baseline();
    let mut g = c.benchmark_group("baseline_run");
    g.throughput(Throughput::Elements(firm_years(&s)));
    g.bench_function("one run (elements = starting firm-years)", |b| {
        let mut r = 0;
        b.iter(|| {
            r += 1;
            black_box(simulate(&s, s.seed, r).expect("run"))
        })
    });
    g.finish();
}

fn ensemble(c: &mut Criterion) {
    let s = baseline();
    let mut g = c.benchmark_group("ensemble");
    g.sample_size(10);
    for runs in [100usize, 1000] {
        g.throughput(Throughput::Elements(runs as u64));
        g.bench_function(
            format!("{runs} runs with aggregation (elements = runs)"),
            |b| {
                b.iter(|| {
                    let opts = EnsembleOptions {
                        runs,
                        seed: s.seed,
                        threads: 0,
                        keep_runs: 100,
                        progress: None,
                    };
                    black_box(run_ensemble(&s, &opts).expect("ensemble"))
                })
            },
        );
    }
    g.finish();
}

criterion_group!(benches, one_run, ensemble);
criterion_main!(benches);
