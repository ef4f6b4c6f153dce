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

/// Issue 18: a value beyond what the ensemble sums exactly (the fixed-point mean wrapped
/// and printed negative means beside p90 = 1e300) stops the run with an error naming the
/// metric, instead of entering the aggregates.
#[test]
fn a_value_beyond_the_exact_range_stops_the_run_naming_the_metric() {
    let mut s = baseline();
    let k = s
        .firms
        .iter()
        .position(|f| f.kind.is_design())
        .expect("a named design firm");
    s.firms[k].revenue_krw_b = 1e25; // behind validation's back (its range ends at 1e7)
    let s = Arc::new(s);
    match simulate(&s, 1, 0) {
        Err(e @ RunError::OutOfRange { .. }) => {
            let msg = e.to_string();
            assert!(msg.contains("fabless_sales_krw_t"), "{msg}");
            assert!(msg.contains("1e18"), "{msg}");
        }
        other => panic!("expected OutOfRange, got {other:?}"),
    }
}
