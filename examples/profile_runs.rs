//! Runs N baseline runs on one thread and nothing else (no output files, no charts), for
//! profilers: `valgrind --tool=callgrind target/release/examples/profile_runs 50` counts
//! the instructions of the model alone. `fresh` as the second argument builds a new world
//! for every run instead of reusing one; `phases` times each phase of the year and prints
//! its share of the model's time and its cost per firm-year; `aggregate` also adds every
//! run to an ensemble's [`Aggregate`] (as each worker of `run` does) and prints the time
//! that took.
//!
//! `cargo build --release --examples && target/release/examples/profile_runs 50 [fresh|phases|aggregate]`

use megacluster::model::schedule::PHASE_NAMES;
use megacluster::scenario::catalog;
use megacluster::sim::{Aggregate, Simulator, simulate};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(50);
    let mode = args.next().unwrap_or_default();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/baseline.ron");
    let s = Arc::new(megacluster::scenario::load::load_file(&path).expect("baseline loads"));
    let mut sim = Simulator::new(&s);
    let mut last = 0.0;
    let mut times = [Duration::ZERO; PHASE_NAMES.len()];
    let n_metrics = catalog::count(&s);
    let mut firm_years = 0.0;
    let mut aggregate = (mode == "aggregate").then(|| Aggregate::new(&s));
    let mut aggregating = Duration::ZERO;
    let start = Instant::now();
    for r in 0..n {
        let out = match mode.as_str() {
            "fresh" => simulate(&s, s.seed, r),
            "phases" => sim.run_timed(s.seed, r, &mut times),
            _ => sim.run(s.seed, r),
        }
        .expect("run");
        last += out.values.iter().sum::<f64>();
        if let Some(a) = aggregate.as_mut() {
            let t = Instant::now();
            a.add(&out);
            aggregating += t.elapsed();
        }
        firm_years += out.firm_years(n_metrics);
    }
    let wall = start.elapsed().as_secs_f64();
    if let Some(a) = aggregate.as_mut() {
        let t = Instant::now();
        a.flush();
        aggregating += t.elapsed();
        println!(
            "aggregating: {:.3} s of {:.3} s ({:.1} us a run)",
            aggregating.as_secs_f64(),
            wall,
            aggregating.as_secs_f64() * 1e6 / n as f64
        );
    }
    println!("{n} runs, checksum {last}");
    if mode == "phases" {
        let total: f64 = times.iter().map(Duration::as_secs_f64).sum();
        println!(
            "{:.0} firm-years a run; {:.3} ms a run, {:.2} ms of it in the phases",
            firm_years / n as f64,
            wall * 1e3 / n as f64,
            total * 1e3 / n as f64
        );
        println!("phase            share   ns/firm-year   M firm-years/s");
        for (name, t) in PHASE_NAMES.iter().zip(times) {
            let t = t.as_secs_f64();
            println!(
                "{name:<15} {:>5.1} %   {:>12.1}   {:>14.1}",
                100.0 * t / total,
                t * 1e9 / firm_years,
                firm_years / t / 1e6
            );
        }
    }
}
