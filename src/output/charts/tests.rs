//! Rendering tests on a synthetic, realistic ensemble and on degenerate input.

use super::testdata::synthetic;
use super::*;
use crate::sim::results::{LinkInfo, SalesHistogram, YearStats};

const EXPECTED_STEMS: [&str; 17] = [
    "fabless_sales_2030",
    "fabless_sales_2042",
    "fan_capacity_kwpm_memory",
    "fan_cluster_entities",
    "fan_cluster_fabs",
    "fan_cluster_investment",
    "fan_engineers",
    "fan_fabless_1t_firms",
    "fan_fabless_sales",
    "fan_logic_capacity",
    "fan_mpe_localisation",
    "infra_power",
    "infra_water",
    "site_map",
    "stacked_capacity_by_segment",
    "stacked_capacity_by_site",
    "target_probabilities",
];

#[test]
fn render_all_writes_every_chart_deterministically() {
    let r = synthetic();
    let d1 = tempfile::tempdir().unwrap();
    let d2 = tempfile::tempdir().unwrap();
    let files = render_all(&r, d1.path()).unwrap();
    let mut expected: Vec<PathBuf> = EXPECTED_STEMS
        .iter()
        .flat_map(|s| [format!("{s}.png"), format!("{s}.svg")])
        .map(PathBuf::from)
        .collect();
    expected.sort();
    expected.dedup();
    assert_eq!(files, expected);
    let again = render_all(&r, d2.path()).unwrap();
    assert_eq!(files, again);
    for f in &files {
        let a = std::fs::read(d1.path().join(f)).unwrap();
        let b = std::fs::read(d2.path().join(f)).unwrap();
        assert!(a.len() > 1000, "{f:?} is too small");
        assert!(a == b, "{f:?} differs between renders");
        if f.extension().is_some_and(|e| e == "png") {
            assert_eq!(&a[..8], b"\x89PNG\r\n\x1a\n");
        } else {
            assert!(a.starts_with(b"<svg"), "{f:?} is not SVG");
        }
    }
}

#[test]
fn degenerate_input_does_not_panic() {
    let mut r = synthetic();
    // One year, all zeros, no targets, no sites, empty and broken histograms.
    r.years = vec![2030];
    for s in &mut r.stats {
        s.truncate(1);
        s[0] = YearStats::default();
    }
    r.targets.clear();
    r.sites.clear();
    r.links = vec![LinkInfo {
        a: 3,
        b: 9,
        distance_km: 1.0,
        weight: f64::NAN,
    }];
    r.fabless_sales = vec![
        SalesHistogram {
            year: 2030,
            edges_krw_b: vec![],
            counts: vec![],
            mean_at_or_above_1t: 0.0,
        },
        SalesHistogram {
            year: 2031,
            edges_krw_b: vec![0.0, 1.0],
            counts: vec![1.0, 2.0],
            mean_at_or_above_1t: 0.0,
        },
    ];
    let d = tempfile::tempdir().unwrap();
    let files = render_all(&r, d.path()).unwrap();
    assert!(
        files
            .iter()
            .any(|f| f.to_str() == Some("fan_cluster_investment.png"))
    );
    assert!(!files.iter().any(|f| f.to_str() == Some("site_map.png")));

    // No years, no metrics at all.
    let mut empty = synthetic();
    empty.years.clear();
    empty.stats.iter_mut().for_each(|s| s.clear());
    let d = tempfile::tempdir().unwrap();
    render_all(&empty, d.path()).unwrap();
    empty.metrics.clear();
    empty.stats.clear();
    let files = render_all(&empty, d.path()).unwrap();
    assert!(
        files
            .iter()
            .all(|f| !f.to_string_lossy().starts_with("fan_"))
    );

    // One site at Seoul with a single year of data and targets on it.
    let mut one = synthetic();
    one.years = vec![2042];
    one.stats
        .iter_mut()
        .for_each(|s| s.drain(..19).for_each(drop));
    for t in &mut one.targets {
        t.probability_by_year = vec![t.probability];
    }
    one.sites.truncate(1);
    one.sites[0].x_km = 0.0;
    one.sites[0].y_km = 0.0;
    render_all(&one, d.path()).unwrap();
}

/// Writes the synthetic charts to `preview/` for looking at them:
/// `cargo test write_preview -- --ignored`.
#[test]
#[ignore]
fn write_preview() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("preview");
    let files = render_all(&synthetic(), &dir).unwrap();
    assert!(!files.is_empty());
    // A degenerate case to look at: one year, one site at Seoul, no targets.
    let mut one = synthetic();
    one.years = vec![2030];
    one.stats.iter_mut().for_each(|s| s.truncate(1));
    one.targets.clear();
    one.sites.truncate(1);
    one.links.clear();
    render_all(&one, &dir.join("degenerate")).unwrap();
}

#[test]
fn every_chart_kind_draws_its_title_axes_ticks_and_legend() {
    let d = tempfile::tempdir().unwrap();
    render_all(&synthetic(), d.path()).unwrap();
    let texts = |stem: &str| {
        check::svg_texts(&std::fs::read_to_string(d.path().join(format!("{stem}.svg"))).unwrap())
    };
    let cases: [(&str, &[&str], bool); 6] = [
        (
            "fan_cluster_investment",
            &[
                "Cumulative private investment in the cluster",
                "Cumulative investment (KRW)",
                "Year",
                "KRW 0",
                "KRW 100T",
                "Realised (median)",
                "10–90 % of runs",
                "Target",
            ],
            true,
        ),
        (
            "stacked_capacity_by_site",
            &[
                "Wafer capacity by site",
                "Wafers per month (thousands)",
                "Year",
                "0",
                "Site",
            ],
            true,
        ),
        (
            "fabless_sales_2042",
            &[
                "Annual sales (KRW, log scale)",
                "Firms per run (mean)",
                "KRW 1B",
                "KRW 1T",
                "Sales below KRW 1T",
                "Sales at or above KRW 1T",
            ],
            false,
        ),
        (
            "site_map",
            &[
                "Sites of the semiconductor mega-cluster",
                "km east of Seoul City Hall",
                "km north of Seoul City Hall",
                "0",
                "20",
                "Seoul City Hall",
                "Mega-cluster site",
                "Spillover link",
            ],
            false,
        ),
        (
            "infra_power",
            &[
                "Power demand vs supply by site",
                "Power (MW)",
                "Year",
                "Demand (median)",
                "Supply (median)",
            ],
            true,
        ),
        (
            "target_probabilities",
            &[
                "Probability of meeting each target",
                "Runs meeting the target",
                "Year",
                "0%",
                "100%",
            ],
            true,
        ),
    ];
    for (stem, want, years) in cases {
        let t = texts(stem);
        for w in want {
            assert!(t.iter().any(|s| s == w), "{stem} lacks {w:?}: {t:?}");
        }
        if years {
            assert!(
                check::year_tick_step(&t, 2023, 2042).is_some(),
                "{stem}: {t:?}"
            );
        }
    }
}
