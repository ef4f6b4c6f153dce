//! The engine's Sobol indices against SALib's on a fixed design: the design and outcomes
//! of a real `sensitivity --method sobol` (the README's example) with SALib 1.6's
//! `sobol.analyze` indices on them, kept in tests/fixtures/sobol_salib.json by
//! scripts/salib_sobol_fixture.py. Python is needed only to remake the fixture.

use megacluster::tune::sensitivity::sobol;
use serde_json::Value;

fn fixture() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/sobol_salib.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

/// Before, S1 was Saltelli's estimator on the raw outcome: −0.32 for AI demand growth
/// on this example where SALib, which centres the outcome, gives −0.08.
#[test]
fn sobol_indices_equal_salibs_on_the_same_design() {
    let f = fixture();
    let params = f["parameters"].as_array().unwrap();
    let k = params.len();
    let n = f["samples"].as_u64().unwrap() as usize;
    let seed = f["seed"].as_u64().unwrap();
    let points = f["points"].as_array().unwrap();
    assert_eq!(points.len(), n * (k + 2));
    // The fixture's design is the engine's: same points, in the order `indices` reads.
    let unit = sobol::design(k, n, seed);
    let roles = sobol::roles(k, n);
    for (i, p) in points.iter().enumerate() {
        assert_eq!(p["role"].as_str().unwrap(), roles.rows[i][0], "point {i}");
        let values = floats(&p["values"]);
        for (d, param) in params.iter().enumerate() {
            let (lo, hi) = (param["lo"].as_f64().unwrap(), param["hi"].as_f64().unwrap());
            assert_eq!(
                values[d],
                lo + unit[i][d] * (hi - lo),
                "point {i}, parameter {d}"
            );
        }
    }
    let y: Vec<f64> = points
        .iter()
        .map(|p| p["outcome"].as_f64().unwrap())
        .collect();
    let paths: Vec<String> = params
        .iter()
        .map(|p| p["path"].as_str().unwrap().to_owned())
        .collect();
    let rows = sobol::indices(&paths, n, &y, 10, seed);
    let (s1, st) = (floats(&f["salib"]["S1"]), floats(&f["salib"]["ST"]));
    for (i, path) in paths.iter().enumerate() {
        let r = rows.iter().find(|r| &r.path == path).unwrap();
        assert!(
            (r.s1 - s1[i]).abs() < 1e-9,
            "{path}: S1 {} vs SALib {}",
            r.s1,
            s1[i]
        );
        assert!(
            (r.st - st[i]).abs() < 1e-9,
            "{path}: ST {} vs SALib {}",
            r.st,
            st[i]
        );
    }
}
