//! The parameter diff: which scenario values differ between the compared scenarios.
//!
//! Each scenario (as run, with every default written out) becomes a `serde_json::Value`
//! and the values are walked together. Lists of named things are matched by name, not
//! position: sites, firms, groups, pledges, R&D hubs and targets by `name`, links by
//! their two sites (either order), fabs by site and segment, so reordering a list is not
//! a difference. Other lists are compared position by position when they have the same
//! length, else as a whole. Year schedules (`{2023: 0.15, 2025: 0.2}`) and distributions
//! (`Uniform(0.1, 0.2)`) are compared as whole values.
//!
//! `name` and `description` are shown with the scenarios, not here; `runs` and `seed`
//! are left out because a comparison runs every scenario file with the same settings
//! (the ones used are in the table of scenarios).

use crate::scenario::Scenario;
use serde_json::Value;

/// One scenario's value at a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// The value, written like RON.
    Value(String),
    /// The scenario has nothing at this path (e.g. a firm it does not have).
    Absent,
    /// The scenario is not available (a run folder without `scenario.ron`).
    Unavailable,
}

impl Cell {
    /// Text for tables.
    pub fn text(&self) -> &str {
        match self {
            Cell::Value(s) => s,
            Cell::Absent => "(absent)",
            Cell::Unavailable => "n/a",
        }
    }
}

/// A path at which the scenarios differ, and the value in each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// E.g. `policy.tax_credit_large`, `sites[Yongin National].power_mw`.
    pub path: String,
    /// By scenario.
    pub values: Vec<Cell>,
}

/// Top-level fields left out of the diff.
const SKIPPED: [&str; 4] = ["name", "description", "runs", "seed"];

/// Key fields tried, in order, to match list elements by identity.
const KEYS: [&[&str]; 3] = [&["name"], &["a", "b"], &["site", "segment"]];

/// The paths at which the available scenarios differ: fields in alphabetical order,
/// list items in the order of the first scenario having them.
pub fn diff(scenarios: &[Option<&Scenario>]) -> Vec<Row> {
    let values: Vec<Option<Value>> = scenarios
        .iter()
        .map(|s| {
            s.and_then(|s| serde_json::to_value(s).ok()).map(|mut v| {
                if let Value::Object(m) = &mut v {
                    for k in SKIPPED {
                        m.remove(k);
                    }
                }
                normalise(&mut v);
                v
            })
        })
        .collect();
    let avail: Vec<usize> = (0..values.len()).filter(|&i| values[i].is_some()).collect();
    let mut out = Vec::new();
    if avail.len() < 2 {
        return out;
    }
    let vals: Vec<Option<&Value>> = avail.iter().map(|&i| values[i].as_ref()).collect();
    let mut rows = Vec::new();
    walk("", &vals, &mut rows);
    for (path, cells) in rows {
        let mut full = vec![Cell::Unavailable; values.len()];
        for (k, &i) in avail.iter().enumerate() {
            full[i] = cells[k].clone();
        }
        out.push(Row { path, values: full });
    }
    out
}

/// Puts the two sites of every link (an object with string fields `a` and `b` and no
/// `name`) in alphabetical order, since a link from A to B is the link from B to A.
fn normalise(v: &mut Value) {
    match v {
        Value::Object(m) => {
            let ab = |k: &str| m.get(k).and_then(Value::as_str).map(str::to_owned);
            if let (Some(a), Some(b), false) = (ab("a"), ab("b"), m.contains_key("name"))
                && a > b
            {
                m.insert("a".into(), Value::String(b));
                m.insert("b".into(), Value::String(a));
            }
            m.values_mut().for_each(normalise);
        }
        Value::Array(a) => a.iter_mut().for_each(normalise),
        _ => {}
    }
}

/// An object compared as a whole: a year schedule or an enum variant.
fn is_leaf_object(m: &serde_json::Map<String, Value>) -> bool {
    (!m.is_empty() && m.keys().all(|k| k.parse::<i64>().is_ok()))
        || (m.len() == 1
            && m.keys()
                .all(|k| k.starts_with(|c: char| c.is_ascii_uppercase())))
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The identity key of each element of `a` under key fields `fields`, if every
/// element has them and they are unique.
fn keys_of(a: &[Value], fields: &[&str]) -> Option<Vec<String>> {
    let mut keys = Vec::with_capacity(a.len());
    for el in a {
        let m = el.as_object()?;
        let mut parts: Vec<String> = fields
            .iter()
            .map(|f| m.get(*f).and_then(scalar_text))
            .collect::<Option<_>>()?;
        if fields == ["a", "b"] {
            parts.sort();
        }
        let key = parts.join(if fields == ["a", "b"] { "–" } else { "/" });
        if keys.contains(&key) {
            return None;
        }
        keys.push(key);
    }
    Some(keys)
}

fn keyed<'v>(arrays: &[&'v [Value]]) -> Option<Vec<Vec<(String, &'v Value)>>> {
    if arrays.iter().all(|a| a.is_empty()) {
        return None;
    }
    KEYS.iter().find_map(|fields| {
        arrays
            .iter()
            .map(|a| keys_of(a, fields).map(|k| k.into_iter().zip(a.iter()).collect()))
            .collect::<Option<Vec<_>>>()
    })
}

fn walk(path: &str, vals: &[Option<&Value>], out: &mut Vec<(String, Vec<Cell>)>) {
    let first = vals[0];
    if vals.iter().all(|v| *v == first) {
        return;
    }
    let present: Vec<&Value> = vals.iter().flatten().copied().collect();
    let all_present = present.len() == vals.len();
    let join = |k: &str| {
        if path.is_empty() {
            k.to_string()
        } else {
            format!("{path}.{k}")
        }
    };
    if all_present
        && present
            .iter()
            .all(|v| v.as_object().is_some_and(|m| !is_leaf_object(m)))
    {
        let mut keys: Vec<&String> = Vec::new();
        for v in &present {
            for k in v.as_object().into_iter().flat_map(|m| m.keys()) {
                if !keys.contains(&k) {
                    keys.push(k);
                }
            }
        }
        for k in keys {
            let sub: Vec<Option<&Value>> = vals.iter().map(|v| v.and_then(|v| v.get(k))).collect();
            walk(&join(k), &sub, out);
        }
        return;
    }
    if all_present && present.iter().all(|v| v.is_array()) {
        let arrays: Vec<&[Value]> = present
            .iter()
            .map(|v| v.as_array().map_or(&[][..], |a| a.as_slice()))
            .collect();
        if let Some(keyed) = keyed(&arrays) {
            let mut keys: Vec<&String> = Vec::new();
            for a in &keyed {
                for (k, _) in a {
                    if !keys.contains(&k) {
                        keys.push(k);
                    }
                }
            }
            for k in keys {
                let sub: Vec<Option<&Value>> = keyed
                    .iter()
                    .map(|a| a.iter().find(|(x, _)| x == k).map(|(_, v)| *v))
                    .collect();
                walk(&format!("{path}[{k}]"), &sub, out);
            }
            return;
        }
        let n = arrays[0].len();
        let objects = arrays
            .iter()
            .all(|a| a.len() == n && a.iter().all(|v| v.is_object()));
        if objects && n > 0 {
            for i in 0..n {
                let sub: Vec<Option<&Value>> = arrays.iter().map(|a| a.get(i)).collect();
                walk(&format!("{path}[{i}]"), &sub, out);
            }
            return;
        }
    }
    let cells = vals
        .iter()
        .map(|v| v.map_or(Cell::Absent, |v| Cell::Value(show(v))))
        .collect();
    out.push((path.to_string(), cells));
}

/// A value written like RON: `0.15`, `"Pyeongtaek"`, `{2023: 0.15, 2024: 0.2}`,
/// `Uniform(0.1, 0.2)`, `(name: "x", kwpm: 50)`.
pub fn show(v: &Value) -> String {
    match v {
        Value::Null => "None".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("{s:?}"),
        Value::Array(a) => format!("[{}]", a.iter().map(show).collect::<Vec<_>>().join(", ")),
        Value::Object(m)
            if m.len() == 1 && is_leaf_object(m) && !m.keys().all(|k| k.parse::<i64>().is_ok()) =>
        {
            let (k, inner) = m
                .iter()
                .next()
                .map(|(k, v)| (k.as_str(), v))
                .unwrap_or(("", v));
            match inner {
                Value::Array(a) => {
                    format!("{k}({})", a.iter().map(show).collect::<Vec<_>>().join(", "))
                }
                Value::Object(o) => format!(
                    "{k}({})",
                    o.iter()
                        .map(|(f, x)| format!("{f}: {}", show(x)))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                other => format!("{k}({})", show(other)),
            }
        }
        Value::Object(m) if is_leaf_object(m) => format!(
            "{{{}}}",
            m.iter()
                .map(|(k, x)| format!("{k}: {}", show(x)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Object(m) => format!(
            "({})",
            m.iter()
                .map(|(k, x)| format!("{k}: {}", show(x)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rows(mut a: Value, mut b: Value) -> Vec<(String, Vec<Cell>)> {
        normalise(&mut a);
        normalise(&mut b);
        let mut out = Vec::new();
        walk("", &[Some(&a), Some(&b)], &mut out);
        out
    }

    #[test]
    fn named_lists_match_by_name_not_position() {
        let a = json!({"firms": [{"name": "A", "x": 1}, {"name": "B", "x": 2}]});
        let b = json!({"firms": [{"name": "B", "x": 2}, {"name": "A", "x": 3}]});
        let r = rows(a, b);
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].0, "firms[A].x");
        assert_eq!(r[0].1, [Cell::Value("1".into()), Cell::Value("3".into())]);
    }

    #[test]
    fn links_match_either_way_round_and_missing_items_are_absent() {
        let a = json!({"links": [{"a": "X", "b": "Y", "d": 1}]});
        let b = json!({"links": [{"a": "Y", "b": "X", "d": 1}, {"a": "X", "b": "Z", "d": 2}]});
        let r = rows(a, b);
        assert_eq!(r.len(), 1, "{r:?}");
        assert_eq!(r[0].0, "links[X–Z]");
        assert_eq!(r[0].1[0], Cell::Absent);
        assert_eq!(r[0].1[1].text(), "(a: \"X\", b: \"Z\", d: 2)");
    }

    #[test]
    fn schedules_and_distributions_are_whole_values() {
        let a = json!({"p": {"rate": 0.15, "fund": {"2023": 1.0}, "g": {"Uniform": [0.1, 0.2]}}});
        let b = json!({"p": {"rate": {"2023": 0.15, "2024": 0.2}, "fund": {"2023": 1.0, "2024": 5.0}, "g": {"Uniform": [0.1, 0.3]}}});
        let r = rows(a, b);
        let paths: Vec<&str> = r.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(paths, ["p.fund", "p.g", "p.rate"]);
        assert_eq!(r[2].1[1].text(), "{2023: 0.15, 2024: 0.2}");
        assert_eq!(r[1].1[1].text(), "Uniform(0.1, 0.3)");
    }

    #[test]
    fn unavailable_scenarios_are_marked() {
        assert!(diff(&[None, None]).is_empty());
    }
}
