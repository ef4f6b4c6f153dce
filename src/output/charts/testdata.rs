//! A synthetic, realistic ensemble for tests and previews: 20 years, the 8
//! sites of the mega-cluster region, links, 2 sales histograms and 7 targets.

use crate::sim::results::{
    Comparison, EnsembleResult, LinkInfo, MetricDef, SalesHistogram, SiteInfo, TargetResult,
    YearStats,
};

const SITES: [(&str, &str, f64, f64, bool); 8] = [
    ("Giheung", "ExistingComplex", 8.0, -30.0, false),
    ("Hwaseong", "ExistingComplex", -8.0, -38.0, false),
    ("Pyeongtaek", "ExistingComplex", -5.0, -62.0, false),
    ("Icheon", "ExistingComplex", 28.0, -35.0, false),
    ("Cheongju", "ExistingComplex", 55.0, -105.0, false),
    ("Yongin National", "NationalComplex", 18.0, -45.0, true),
    ("Yongin General", "GeneralComplex", 22.0, -38.0, true),
    ("Pangyo", "FablessValley", 10.0, -18.0, true),
];

fn logistic(t: f64, mid: f64, k: f64) -> f64 {
    1.0 / (1.0 + (-(t - mid) * k).exp())
}

/// Standard normal CDF (Abramowitz–Stegun 7.1.26 via erf).
fn phi(z: f64) -> f64 {
    let x = z.abs() / 2f64.sqrt();
    let t = 1.0 / (1.0 + 0.3275911 * x);
    let y = 1.0
        - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t
            + 0.254829592)
            * t
            * (-x * x).exp();
    if z >= 0.0 {
        0.5 * (1.0 + y)
    } else {
        0.5 * (1.0 - y)
    }
}

struct Builder {
    r: EnsembleResult,
}

impl Builder {
    fn metric(&mut self, name: &str, unit: &str, spread: f64, f: impl Fn(f64) -> f64) {
        let stats = self
            .r
            .years
            .iter()
            .enumerate()
            .map(|(i, _)| {
                let m = f(i as f64);
                YearStats {
                    p10: m * (1.0 - spread),
                    p50: m,
                    p90: m * (1.0 + spread),
                    mean: m,
                }
            })
            .collect();
        self.r.metrics.push(MetricDef {
            name: name.into(),
            unit: unit.into(),
            description: format!("Synthetic {name}"),
        });
        self.r.stats.push(stats);
    }

    fn target(&mut self, name: &str, metric: &str, value: f64, year: i32) {
        let s = self.r.series(metric).unwrap().to_vec();
        let probability_by_year: Vec<f64> = s
            .iter()
            .map(|st| {
                let sd = ((st.p90 - st.p10) / 2.563).max(1e-9);
                phi((st.p50 - value) / sd)
            })
            .collect();
        let yi = self.r.year_index(year).unwrap();
        self.r.targets.push(TargetResult {
            name: name.into(),
            metric: metric.into(),
            comparison: Comparison::AtLeast,
            value,
            year,
            probability: probability_by_year[yi],
            probability_by_year,
        });
    }
}

fn histogram(year: i32, scale: f64) -> SalesHistogram {
    let edges: Vec<f64> = (0..=20).map(|k| 10f64.powf(k as f64 / 4.0)).collect();
    let counts: Vec<f64> = edges
        .windows(2)
        .map(|e| (scale * 60.0 * e[0].powf(-0.55)).max(0.0))
        .collect();
    let mean_at_or_above_1t = edges
        .windows(2)
        .zip(&counts)
        .filter(|(e, _)| e[0] >= 1000.0)
        .map(|(_, c)| c)
        .sum();
    SalesHistogram {
        year,
        edges_krw_b: edges,
        counts,
        mean_at_or_above_1t,
    }
}

/// A plausible 20-year, 8-site ensemble with 7 targets and 2 histograms.
pub(crate) fn synthetic() -> EnsembleResult {
    let sites: Vec<SiteInfo> = SITES
        .iter()
        .map(|&(name, kind, x, y, c)| SiteInfo {
            name: name.into(),
            kind: kind.into(),
            x_km: x,
            y_km: y,
            in_cluster: c,
        })
        .collect();
    let mut links = Vec::new();
    for a in 0..sites.len() {
        for b in a + 1..sites.len() {
            let d = (sites[a].x_km - sites[b].x_km).hypot(sites[a].y_km - sites[b].y_km);
            if d < 60.0 {
                links.push(LinkInfo {
                    a,
                    b,
                    distance_km: d,
                    weight: (-d / 25.0).exp(),
                });
            }
        }
    }
    let mut b = Builder {
        r: EnsembleResult {
            scenario: "baseline".into(),
            seed: 42,
            runs: 1000,
            years: (2023..=2042).collect(),
            metrics: Vec::new(),
            stats: Vec::new(),
            targets: Vec::new(),
            sites,
            links,
            fabless_sales: vec![histogram(2030, 0.6), histogram(2042, 1.0)],
        },
    };
    b.metric("cluster_investment_krw_t", "KRW T", 0.3, |t| {
        480.0 * logistic(t, 10.0, 0.35)
    });
    b.metric("cluster_pledged_krw_t", "KRW T", 0.0, |t| {
        622.0 * (t / 12.0).min(1.0)
    });
    b.metric("cluster_entities", "entities", 0.25, |t| 40.0 + 12.0 * t);
    b.metric("fabless_1t_firms", "firms", 0.4, |t| 3.0 + 0.45 * t);
    b.metric("fabs_operating", "fabs", 0.1, |t| 30.0 + 0.5 * t);
    b.metric("cluster_fabs", "fabs", 0.3, |t| {
        ((t - 4.0) / 2.5).floor().max(0.0)
    });
    b.metric("fabless_sales_krw_t", "KRW T", 0.25, |t| 9.0 + 2.8 * t);
    b.metric("mpe_localisation", "share", 0.1, |t| 0.3 + 0.012 * t);
    b.metric("engineers_demand", "thousand engineers", 0.1, |t| {
        150.0 + 7.0 * t
    });
    b.metric("engineers_supply", "thousand engineers", 0.08, |t| {
        160.0 + 4.0 * t
    });
    for (seg, base, g) in [
        ("Memory", 1400.0, 25.0),
        ("AdvancedLogic", 200.0, 30.0),
        ("MatureLogic", 300.0, 2.0),
        ("AdvancedPackaging", 80.0, 10.0),
    ] {
        b.metric(&format!("capacity_kwpm.{seg}"), "kwpm", 0.15, |t| {
            base + g * t
        });
    }
    let caps: [fn(f64) -> f64; 8] = [
        |_| 400.0,
        |t| 450.0 + 5.0 * t,
        |t| 300.0 + 32.0 * t,
        |_| 450.0,
        |t| 250.0 + 3.0 * t,
        |t| (t - 7.0).max(0.0) * 58.0,
        |t| (t - 5.0).max(0.0) * 22.0,
        |_| 0.0,
    ];
    let names: Vec<String> = b.r.sites.iter().map(|s| s.name.clone()).collect();
    for (i, name) in names.iter().enumerate() {
        let cap = caps[i];
        b.metric(&format!("site_capacity_kwpm.{name}"), "kwpm", 0.15, cap);
        b.metric(&format!("power_demand_mw.{name}"), "MW", 0.1, move |t| {
            cap(t) * 7.5 + if i == 7 { 60.0 } else { 0.0 }
        });
        b.metric(&format!("power_supply_mw.{name}"), "MW", 0.0, move |t| {
            let base = cap(0.0) * 8.0 + if i == 7 { 80.0 } else { 0.0 };
            base + 1500.0 * ((t - 9.0) / 4.0).floor().max(0.0)
        });
        b.metric(
            &format!("water_demand_ktd.{name}"),
            "kt/day",
            0.1,
            move |t| cap(t) * 0.45,
        );
        b.metric(
            &format!("water_supply_ktd.{name}"),
            "kt/day",
            0.0,
            move |t| cap(0.0) * 0.5 + 120.0 * ((t - 6.0) / 5.0).floor().max(0.0),
        );
        b.metric(&format!("site_firms.{name}"), "firms", 0.2, move |t| {
            if i == 7 {
                600.0 + 20.0 * t
            } else {
                20.0 + 3.0 * t + 10.0 * i as f64
            }
        });
    }
    b.target(
        "Cluster investment KRW 622T",
        "cluster_investment_krw_t",
        622.0,
        2042,
    );
    b.target(
        "Cluster investment KRW 300T",
        "cluster_investment_krw_t",
        300.0,
        2032,
    );
    b.target("Fabless firms ≥ KRW 1T", "fabless_1t_firms", 10.0, 2030);
    b.target("Fabs in the cluster", "cluster_fabs", 6.0, 2042);
    b.target("Entities in the cluster", "cluster_entities", 150.0, 2030);
    b.target("MPE localisation 50%", "mpe_localisation", 0.5, 2030);
    b.target("Memory capacity", "capacity_kwpm.Memory", 1800.0, 2035);
    b.r
}
