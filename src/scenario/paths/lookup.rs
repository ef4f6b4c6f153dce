//! Looking parameters up: listing, getting and setting by path, with suggestions for
//! unknown paths.

use super::syntax::{parse_path, segs_eq};
use super::value::{NewValue, apply, describe};
use super::{Meta, ParamInfo, PathError, SlotMut, visit};
use crate::scenario::schema::Scenario;

/// A listed parameter from a visited value.
fn info(m: &Meta, slot: &SlotMut<'_>) -> ParamInfo {
    let (kind, value, support, uncertain, central) = describe(slot);
    ParamInfo {
        path: m.path(),
        value,
        unit: m.unit,
        description: m.description,
        range: m.range,
        kind,
        support,
        uncertain: uncertain && m.per_run,
        central,
    }
}

/// Every parameter of a scenario, in a fixed order.
pub fn list(s: &Scenario) -> Vec<ParamInfo> {
    let mut s = s.clone();
    let mut out = Vec::new();
    visit(&mut s, &mut |m, slot| {
        out.push(info(m, &slot));
    });
    out
}

/// The valid paths nearest to `given` (at most `n`), best first.
pub fn suggestions(s: &Scenario, given: &str, n: usize) -> Vec<String> {
    let g = given.to_lowercase().replace('_', " ");
    let mut scored: Vec<(f64, String)> = list(s)
        .into_iter()
        .map(|p| {
            let c = p.path.to_lowercase().replace('_', " ");
            (
                strsim::jaro_winkler(&g, &c).max(strsim::normalized_levenshtein(&g, &c)),
                p.path,
            )
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    scored.into_iter().take(n).map(|(_, p)| p).collect()
}

fn unknown(s: &Scenario, given: &str) -> PathError {
    let near = suggestions(s, given, 3);
    PathError {
        message: format!("unknown parameter path `{given}`"),
        help: Some(if near.is_empty() {
            "run `megacluster params FILE` to list the valid paths".into()
        } else {
            format!(
                "did you mean {}? (`megacluster params FILE` lists every path)",
                near.iter()
                    .map(|p| format!("`{p}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }),
    }
}

/// The parameter at `path`.
pub fn get(s: &Scenario, path: &str) -> Result<ParamInfo, PathError> {
    let segs = parse_path(path).map_err(|m| PathError {
        message: m,
        help: None,
    })?;
    let mut s2 = s.clone();
    let mut found = None;
    visit(&mut s2, &mut |m, slot| {
        if found.is_none() && segs_eq(&segs, &m.segs) {
            found = Some(info(m, &slot));
        }
    });
    found.ok_or_else(|| unknown(s, path))
}

/// Sets the value at `path` (checked against its type and range; not yet validated as a
/// whole scenario: see [`apply_overrides`](super::apply_overrides)).
pub fn set(s: &mut Scenario, path: &str, value: &NewValue) -> Result<(), PathError> {
    let segs = parse_path(path).map_err(|m| PathError {
        message: m,
        help: None,
    })?;
    let mut result = None;
    visit(s, &mut |m, slot| {
        if result.is_none() && segs_eq(&segs, &m.segs) {
            result = Some(apply(&m.path(), m, slot, value));
        }
    });
    match result {
        Some(r) => r,
        None => Err(unknown(s, path)),
    }
}

#[cfg(test)]
mod tests {
    use super::super::baseline;
    use super::*;
    #[test]
    fn every_listed_path_reads_back_and_paths_are_unique() {
        let s = baseline();
        let all = list(&s);
        assert!(all.len() > 300, "{}", all.len());
        let mut paths: Vec<&str> = all.iter().map(|p| p.path.as_str()).collect();
        paths.sort_unstable();
        let n = paths.len();
        paths.dedup();
        assert_eq!(paths.len(), n, "duplicate paths");
        for p in all.iter().step_by(7) {
            assert_eq!(get(&s, &p.path).unwrap().value, p.value, "{}", p.path);
        }
        let y = get(&s, "sites.Yongin_National.power_mw").unwrap();
        assert_eq!(y.path, "sites[\"Yongin National\"].power_mw");
        assert_eq!(y.unit, "MW");
        let m = get(&s, "model.fabless.spillover_weight").unwrap();
        assert_eq!(m.value, "0.15");
        assert!(
            get(&s, "market.segments.Memory.trend_growth")
                .unwrap()
                .uncertain
        );
        assert!(!get(&s, "groups.Fabless.revenue_krw_b").unwrap().uncertain);
    }

    #[test]
    fn setting_checks_type_and_range() {
        let mut s = baseline();
        set(
            &mut s,
            "policy.tax_credit_large",
            &NewValue::Text("{2023: 0.15, 2025: 0.2}".into()),
        )
        .unwrap();
        assert_eq!(s.policy.tax_credit_large.at(2026), 0.2);
        set(
            &mut s,
            "model.fabless.spillover_weight",
            &NewValue::Text("Uniform(0.1, 0.3)".into()),
        )
        .unwrap();
        assert!(s.model.fabless.spillover_weight.is_uncertain());
        set(
            &mut s,
            "groups.Fabless.count",
            &NewValue::Text("200".into()),
        )
        .unwrap();
        assert_eq!(s.groups[0].count, 200);
        let e = set(
            &mut s,
            "policy.tax_credit_large",
            &NewValue::Text("1.5".into()),
        )
        .unwrap_err();
        assert!(e.message.contains("between 0 and 1"), "{e}");
        let e = set(
            &mut s,
            "groups.Fabless.count",
            &NewValue::Text("Uniform(1, 2)".into()),
        )
        .unwrap_err();
        assert!(e.message.contains("whole number"), "{e}");
        let e = set(
            &mut s,
            "policy.tax_credit_larg",
            &NewValue::Text("0.2".into()),
        )
        .unwrap_err();
        assert!(e.to_string().contains("`policy.tax_credit_large`"), "{e}");
    }
}
