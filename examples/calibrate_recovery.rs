//! The recovery check of `megacluster calibrate` at a size too large for CI: synthetic
//! observations from the baseline with four parameters set to known values (and another
//! seed than the calibration's), then a calibration from wide uniform priors; prints
//! whether each known value lies in the posterior's 90 % interval. The figures in the
//! README come from
//!
//! ```sh
//! cargo run --release --example calibrate_recovery -- output/recovery 1000 20 5
//! ```
//!
//! (arguments: output folder, particles, runs per particle, generations).

use clap::Parser;
use megacluster::cli::{Cli, Command};
use megacluster::scenario::load_file;
use megacluster::tune::abc::weighted_quantile;
use megacluster::tune::calibrate::synthetic_observations;
use megacluster::tune::parse_range;
use std::path::PathBuf;

/// The parameters, their prior ranges and the values the observations are made at.
pub const TRUTH: [(&str, &str, f64); 4] = [
    ("market.ai_demand_growth", "0.1..0.5", 0.38),
    ("market.segments.Memory.trend_growth", "0.0..0.1", 0.03),
    ("model.market.competitiveness_exponent", "1..5", 3.2),
    ("model.investment.capex_factor", "0.7..1.5", 1.2),
];

/// What is observed: (metric, year).
pub const CELLS: [(&str, i32); 10] = [
    ("world_logic_sales_usd_b", 2024),
    ("world_logic_sales_usd_b", 2026),
    ("world_memory_sales_usd_b", 2024),
    ("world_memory_sales_usd_b", 2026),
    ("firm_sales_krw_t.SK hynix", 2025),
    ("firm_sales_krw_t.Samsung Electronics", 2025),
    ("memory_world_share", 2026),
    ("investment_krw_t", 2026),
    ("price_index.Memory", 2025),
    ("world_chip_sales_usd_b", 2026),
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let out = PathBuf::from(args.get(1).map_or("output/recovery", String::as_str));
    let particles = args.get(2).map_or("1000", String::as_str);
    let runs = args.get(3).map_or("20", String::as_str);
    let generations = args.get(4).map_or("5", String::as_str);
    let file = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/baseline.ron"
    ));
    let s = load_file(&file)?;
    let params = TRUTH
        .iter()
        .map(|(p, r, _)| parse_range(&s, &format!("{p}={r}")))
        .collect::<Result<Vec<_>, _>>()?;
    let truth: Vec<f64> = TRUTH.iter().map(|t| t.2).collect();
    std::fs::create_dir_all(&out)?;
    let observed = out.join("synthetic.csv");
    std::fs::write(
        &observed,
        synthetic_observations(&s, &params, &truth, &CELLS, 200, 7)?,
    )?;
    let mut argv: Vec<String> = [
        "megacluster",
        "calibrate",
        file.to_str().unwrap_or_default(),
        "--observed",
        observed.to_str().unwrap_or_default(),
        "--particles",
        particles,
        "--runs-per-particle",
        runs,
        "--generations",
        generations,
        "--out",
    ]
    .iter()
    .map(|a| (*a).to_owned())
    .collect();
    argv.push(out.join("calibrate").display().to_string());
    for (p, r, _) in TRUTH {
        argv.push("--param".into());
        argv.push(format!("{p}={r}"));
    }
    let cli = Cli::parse_from(argv);
    let Command::Calibrate(a) = &cli.command else {
        unreachable!("parsed as calibrate")
    };
    let dir = megacluster::cli::calibrate::run(a)?;
    let post = std::fs::read_to_string(dir.join("posterior.csv"))?;
    let (_, fin) = megacluster::cli::calibrate::final_generation(&post)?;
    println!("\nparameter                                 truth    5 %      95 %     inside");
    for (d, (p, _, t)) in TRUTH.iter().enumerate() {
        let q = |q: f64| weighted_quantile(&fin, d, q);
        let (lo, hi) = (q(0.05), q(0.95));
        println!(
            "{p:<40} {t:>7.3} {lo:>8.3} {hi:>8.3}   {}",
            if (lo..=hi).contains(t) { "yes" } else { "NO" }
        );
    }
    Ok(())
}
