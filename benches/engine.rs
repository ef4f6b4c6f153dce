//! Engine throughput (criterion): one simulated year at 150, 1,000, 10,000 and 100,000
//! firms (firm-years per second), one full baseline run (firm-years per second), ensembles
//! with aggregation (runs per second), chart rendering (charts per second), each phase of
//! a run, and the fabless phase over plain arrays (what the ECS layout costs it).
//! Run with `cargo bench --bench engine`; the figures go in the README.

use criterion::{BatchSize, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use megacluster::model::resources::Calendar;
use megacluster::model::schedule::{PHASE_NAMES, year_schedule};
use megacluster::model::setup::build_world;
use megacluster::scenario::{Scenario, load_file};
use megacluster::sim::{EnsembleOptions, Simulator, run_ensemble, simulate};
use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

fn baseline() -> Arc<Scenario> {
    Arc::new(
        load_file(&Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/baseline.ron"))
            .expect("baseline loads"),
    )
}

fn starting_firms(s: &Scenario) -> u64 {
    s.firms.len() as u64 + s.groups.iter().map(|g| u64::from(g.count)).sum::<u64>()
}

/// The baseline with its generated groups scaled so that it starts with `n` firms.
fn with_firms(n: u64) -> Arc<Scenario> {
    let mut s = (*baseline()).clone();
    let named = s.firms.len() as u64;
    let grouped: u64 = s.groups.iter().map(|g| u64::from(g.count)).sum();
    let want = n.saturating_sub(named);
    let mut given = 0;
    let last = s.groups.len() - 1;
    for (i, g) in s.groups.iter_mut().enumerate() {
        let c = if i == last {
            want - given
        } else {
            u64::from(g.count) * want / grouped
        };
        given += c;
        g.count = c as u32;
    }
    assert_eq!(starting_firms(&s), n);
    Arc::new(s)
}

/// One simulated year (the fourth, after three warm-up years outside the timing).
fn one_year(c: &mut Criterion) {
    let mut g = c.benchmark_group("one_year");
    g.sampling_mode(SamplingMode::Flat);
    g.sample_size(10);
    for n in [150u64, 1_000, 10_000, 100_000] {
        let s = with_firms(n);
        g.throughput(Throughput::Elements(n));
        g.bench_function(format!("{n} firms (elements = firm-years)"), |b| {
            b.iter_batched(
                || {
                    let mut world = build_world(&s, s.seed, 1);
                    let mut schedule = year_schedule();
                    for _ in 0..3 {
                        schedule.run(&mut world);
                        let mut cal = world.resource_mut::<Calendar>();
                        cal.year += 1;
                        cal.index += 1;
                    }
                    (world, schedule)
                },
                |(mut world, mut schedule)| {
                    schedule.run(&mut world);
                    (world, schedule)
                },
                BatchSize::PerIteration,
            )
        });
    }
    g.finish();
}

/// Firm-years a baseline run simulates on average (the sum over years of
/// `entities_total`), over its first 20 runs.
fn firm_years_per_run(s: &Arc<Scenario>) -> u64 {
    let n = megacluster::scenario::catalog::count(s);
    let mut sim = Simulator::new(s);
    let total: f64 = (0..20)
        .map(|r| sim.run(s.seed, r).expect("run").firm_years(n))
        .sum();
    (total / 20.0).round() as u64
}

/// Each phase of the year alone, over whole baseline runs: the time the phase takes in
/// a run (criterion's time per iteration), and firm-years per second of that phase
/// (elements = the run's firm-years), so a regression shows in the phase that has it.
fn phases(c: &mut Criterion) {
    let s = baseline();
    let mut g = c.benchmark_group("phase");
    g.throughput(Throughput::Elements(firm_years_per_run(&s)));
    for (k, name) in PHASE_NAMES.iter().enumerate() {
        g.bench_function(*name, |b| {
            let mut sim = Simulator::new(&s);
            let mut r = 0;
            b.iter_custom(|iters| {
                let mut times = [Duration::ZERO; PHASE_NAMES.len()];
                for _ in 0..iters {
                    r += 1;
                    black_box(sim.run_timed(s.seed, r, &mut times).expect("run"));
                }
                times[k]
            })
        });
    }
    g.finish();
}

fn one_run(c: &mut Criterion) {
    let s = baseline();
    let mut g = c.benchmark_group("baseline_run");
    g.throughput(Throughput::Elements(
        starting_firms(&s) * s.n_years() as u64,
    ));
    // As ensembles run: each worker thread reuses one world and schedule.
    g.bench_function(
        "one run, reused world (elements = starting firm-years)",
        |b| {
            let mut sim = Simulator::new(&s);
            let mut r = 0;
            b.iter(|| {
                r += 1;
                black_box(sim.run(s.seed, r).expect("run"))
            })
        },
    );
    g.bench_function("one run, new world (elements = starting firm-years)", |b| {
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
    for runs in [100usize, 1000, 10_000] {
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

fn charts(c: &mut Criterion) {
    let s = baseline();
    let opts = EnsembleOptions {
        runs: 200,
        seed: s.seed,
        threads: 0,
        keep_runs: 0,
        progress: None,
    };
    let result = run_ensemble(&s, &opts).expect("ensemble").result;
    let dir = tempfile::tempdir().expect("temporary folder");
    let n = megacluster::output::charts::render_all(&result, dir.path())
        .expect("charts")
        .len();
    let mut g = c.benchmark_group("charts");
    g.sample_size(10);
    g.throughput(Throughput::Elements(n as u64));
    g.bench_function(
        format!("render all {n} files (elements = PNG and SVG files)"),
        |b| {
            b.iter(|| {
                black_box(
                    megacluster::output::charts::render_all(&result, dir.path()).expect("charts"),
                )
            })
        },
    );
    g.finish();
}

/// `megacluster explore`: one slider change answered (the request checked, the ensemble
/// run at the page's default 200 runs, the JSON built), the unchanged scenario cached as
/// on the page after its first picture. Issue 15 asks for under 0.5 s on 2 cores.
fn explore_redraw(c: &mut Criterion) {
    let path = std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/baseline.ron"
    ));
    let text = std::fs::read_to_string(&path).expect("baseline text");
    let dir = tempfile::tempdir().expect("temporary folder");
    let ex = megacluster::explore::Explorer::new(
        (*baseline()).clone(),
        text,
        path,
        200,
        dir.path().to_owned(),
    );
    let body = br#"{"set": {"policy.tax_credit_sme": 0.35}}"#;
    let warm = ex.prepare(body).expect("request");
    ex.execute(&warm).expect("first picture");
    let mut g = c.benchmark_group("explore");
    g.sample_size(10);
    g.throughput(Throughput::Elements(200));
    g.bench_function("one slider change, 200 runs (elements = runs)", |b| {
        b.iter(|| {
            let job = ex.prepare(body).expect("request");
            black_box(ex.execute(&job).expect("picture"))
        })
    });
    g.finish();
}

/// The fabless phase's arithmetic with no ECS: the baseline's ~225 design firms as plain
/// arrays (sales, margin, cash, site, AI exposure, technology, grants, support), each year
/// the same three passes as phase 7 (sales by site and the spillover pull, the support
/// draw with the phase's own selection, `top_keys`, then growth with its
/// `expected_log_growth`, `shock_scale` and `ShockTable`). It bounds what moving the firms' state out of bevy's queries could
/// give the phase: the engine's `phase/fabless` against this, per design firm-year.
fn fabless_arrays(c: &mut Criterion) {
    use megacluster::model::random::ShockTable;
    use megacluster::model::setup::run_rng;
    use megacluster::model::systems::fabless::{
        GrowthTerms, ai_log_growth, expected_log_growth, shock_scale, top_keys,
    };
    use rand::RngExt;
    const FIRMS: usize = 225;
    const YEARS: usize = 20;
    const SITES: usize = 10;
    let s = baseline();
    let mut rng = run_rng(s.seed, 1);
    let p = s.model.draw(&mut rng).fabless;
    let shocks = ShockTable::new(p.tail_dof, p.shock_clamp);
    let scale = shock_scale(&p);
    let mut g = c.benchmark_group("fabless_arrays");
    g.throughput(Throughput::Elements((FIRMS * YEARS) as u64));
    g.bench_function(
        "phase 7 over plain arrays (elements = design firm-years)",
        |b| {
            let mut r = 0;
            b.iter(|| {
                r += 1;
                let mut rng = run_rng(s.seed, r);
                let mut revenue: Vec<f64> = (0..FIRMS)
                    .map(|_| (2.0 + 1.3 * (rng.random::<f64>() - 0.5) * 3.4).exp())
                    .collect();
                let margin = vec![0.06; FIRMS];
                let mut cash: Vec<f64> = revenue.iter().map(|x| 0.3 * x).collect();
                let site: Vec<usize> = (0..FIRMS).map(|i| i % SITES).collect();
                let flagged: Vec<bool> = (0..FIRMS).map(|i| i % 8 == 0).collect();
                let ai: Vec<f64> = (0..FIRMS).map(|_| 0.5 * rng.random::<f64>()).collect();
                let tech: Vec<f64> = (0..FIRMS)
                    .map(|_| 0.7 + 0.3 * rng.random::<f64>())
                    .collect();
                let grants: Vec<f64> = revenue.iter().map(|x| 0.01 * x).collect();
                let (mut support_prev, mut support_now) = (vec![0.0; FIRMS], vec![0.0; FIRMS]);
                let shortage = [0.05; SITES];
                let (mut spill_prev, mut spill) = (vec![0.0f64; SITES], vec![0.0f64; SITES]);
                let mut eligible: Vec<(f64, usize)> = Vec::with_capacity(FIRMS);
                let (projects, per_project) = (20, 6.5);
                let ai_log = ai_log_growth(0.3);
                let mut total = 0.0;
                for year in 0..YEARS {
                    spill.iter_mut().for_each(|x| *x = 0.0);
                    for i in 0..FIRMS {
                        spill[site[i]] += revenue[i] / 1000.0;
                    }
                    let all: f64 = spill.iter().sum();
                    spill.iter_mut().for_each(|x| *x += 0.2 * all);
                    eligible.clear();
                    for i in 0..FIRMS {
                        support_prev[i] = support_now[i];
                        support_now[i] = 0.0;
                        if flagged[i] || revenue[i] >= p.support_min_revenue_krw_b {
                            let key = rng.random::<f64>() + if flagged[i] { 1.0 } else { 0.0 };
                            eligible.push((key, i));
                        }
                    }
                    top_keys(&mut eligible, projects);
                    for &(_, i) in &eligible {
                        support_now[i] = per_project;
                        cash[i] += per_project;
                    }
                    for i in 0..FIRMS {
                        if year > 0 {
                            let rev = revenue[i];
                            let k = site[i];
                            let terms = GrowthTerms {
                                access: 0.01,
                                spill: (spill[k].max(1e-9) / spill_prev[k].max(1e-9)).ln(),
                                ai_log_growth: ai_log,
                                support_ratio: if rev > 0.0 && support_prev[i] != 0.0 {
                                    support_prev[i] / rev
                                } else {
                                    0.0
                                },
                                tech_level: tech[i],
                                grant_ratio: if rev > 0.0 { grants[i] / rev } else { 0.0 },
                                shortage: shortage[k],
                            };
                            let z = shocks.draw(&mut rng) * scale;
                            let g = (expected_log_growth(&p, rev, ai[i], &terms) + p.growth_sd * z)
                                .clamp(-p.growth_clamp, p.growth_clamp);
                            revenue[i] = rev * g.exp();
                        }
                        let profit = revenue[i] * margin[i];
                        cash[i] += profit;
                        total += revenue[i] - profit;
                    }
                    std::mem::swap(&mut spill, &mut spill_prev);
                }
                black_box((total, cash))
            })
        },
    );
    g.finish();
}

criterion_group!(
    benches,
    one_year,
    phases,
    fabless_arrays,
    one_run,
    ensemble,
    charts,
    explore_redraw
);
criterion_main!(benches);
