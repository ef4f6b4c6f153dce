//! Runs N baseline runs on one thread and nothing else (no output files, no charts), for
//! profilers: `valgrind --tool=callgrind target/release/examples/profile_runs 50` counts
//! the instructions of the model alone. `fresh` as the second argument builds a new world
//! for every run instead of reusing one.
//!
//! `cargo build --release --examples && target/release/examples/profile_runs 50 [fresh]`

use megacluster::sim::{Simulator, simulate};
use std::sync::Arc;

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(50);
    let fresh = args.next().is_some_and(|a| a == "fresh");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/baseline.ron");
    let s = Arc::new(megacluster::scenario::load::load_file(&path).expect("baseline loads"));
    let mut sim = Simulator::new(&s);
    let mut last = 0.0;
    for r in 0..n {
        let out = if fresh {
            simulate(&s, s.seed, r)
        } else {
            sim.run(s.seed, r)
        };
        last += out.expect("run").values.iter().sum::<f64>();
    }
    println!("{n} runs, checksum {last}");
}
