//! A run that produces a non-finite value stops with an error naming the run, seed, year
//! and metric instead of writing NaN. Validation keeps scenarios from doing this, so the
//! tests break a loaded scenario behind its back.

use megacluster::error::RunError;
use megacluster::scenario::{Segment, load_file};
use megacluster::sim::simulate;
use std::path::Path;
use std::sync::Arc;

fn baseline() -> megacluster::scenario::Scenario {
    load_file(&Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/baseline.ron")).unwrap()
}

#[test]
fn a_nan_stops_the_run_with_run_seed_year_and_metric() {
    let mut s = baseline();
    if let Some(m) = s.market.segments.get_mut(&Segment::Memory) {
        m.price_usd_per_wafer = f64::NAN;
    }
    let s = Arc::new(s);
    match simulate(&s, 7, 3) {
        Err(e @ RunError::NonFinite { .. }) => {
            let RunError::NonFinite {
                run,
                seed,
                year,
                ref metric,
            } = e
            else {
                unreachable!()
            };
            assert_eq!((run, seed), (3, 7));
            assert!((s.start_year..=s.end_year).contains(&year), "{year}");
            assert!(!metric.is_empty());
            let msg = e.to_string();
            assert!(
                msg.contains("run 3 (seed 7)") && msg.contains(metric.as_str()),
                "{msg}"
            );
        }
        Err(e) => panic!("another error: {e}"),
        Ok(_) => panic!("a NaN price gave finite results"),
    }
}

#[test]
fn an_infinite_value_is_caught_too() {
    let mut s = baseline();
    s.market.usd_krw = f64::INFINITY;
    let s = Arc::new(s);
    assert!(matches!(
        simulate(&s, 1, 0),
        Err(RunError::NonFinite { .. })
    ));
}
