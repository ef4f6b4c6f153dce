//! Replacing values in a scenario's text, keeping everything else (comments, layout,
//! values left at their defaults): how `calibrate` writes `calibrated.ron`.

use super::syntax::{parse_path, segs_eq};
use crate::scenario::locate::{self, Node};

/// The text of `node` without surrounding quotes (a name or a map key).
fn unquoted<'t>(node: &Node, text: &'t str) -> &'t str {
    text.get(node.start..node.end)
        .unwrap_or("")
        .trim()
        .trim_matches('"')
}

/// The value in `node` named by one path segment: a field, a map entry by its key, a
/// list item by its position or by its `name` field.
fn step<'n>(node: &'n Node, seg: &str, text: &str) -> Option<&'n Node> {
    let same = |a: &str| segs_eq(&[seg.to_owned()], &[a.to_owned()]);
    if let Some(f) = node.fields.iter().find(|f| same(&f.0)) {
        return Some(&f.2);
    }
    if let Some((_, v)) = node.entries.iter().find(|(k, _)| same(unquoted(k, text))) {
        return Some(v);
    }
    if let Ok(i) = seg.parse::<usize>() {
        return node.items.get(i);
    }
    node.items.iter().find(|item| {
        item.fields
            .iter()
            .any(|f| f.0 == "name" && same(unquoted(&f.2, text)))
    })
}

/// `text` with the value at `path` (a parameter path, or a top-level field such as
/// `name`) replaced by `new`, RON text; `None` when the value is not written in the text
/// (left at its default) or the path cannot be followed (links, named by two sites).
/// The caller checks the result by loading it.
pub fn replace_value(text: &str, path: &str, new: &str) -> Option<String> {
    let segs = parse_path(path).ok()?;
    let root = locate::read(text);
    let mut at = &root;
    for seg in &segs {
        at = step(at, seg, text)?;
    }
    if at.end <= at.start || at.end > text.len() {
        return None;
    }
    let mut out = String::with_capacity(text.len() + new.len());
    out.push_str(&text[..at.start]);
    out.push_str(new);
    out.push_str(&text[at.end..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load_str;
    use crate::scenario::paths::get;

    #[test]
    fn values_are_replaced_in_place_and_comments_kept() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scenarios/baseline.ron"
        ))
        .unwrap();
        let mut t = text.clone();
        for (path, new) in [
            ("market.ai_demand_growth", "Triangular(0.2, 0.25, 0.4)"),
            ("market.segments.Memory.trend_growth", "Normal(0.06, 0.01)"),
            ("model.investment.capex_factor", "1.1"),
            (
                "sites.Yongin_National.power_additions[1].delay_years",
                "Triangular(0, 2, 3)",
            ),
            ("name", "\"baseline-calibrated\""),
        ] {
            t = replace_value(&t, path, new).unwrap_or_else(|| panic!("{path}"));
        }
        let s = load_str(&t, "calibrated.ron").unwrap();
        assert_eq!(s.name, "baseline-calibrated");
        assert_eq!(
            get(&s, "market.ai_demand_growth").unwrap().value,
            "Triangular(0.2,0.25,0.4)"
        );
        assert_eq!(
            get(
                &s,
                "sites[\"Yongin National\"].power_additions[1].delay_years"
            )
            .unwrap()
            .value,
            "Triangular(0.0,2.0,3.0)"
        );
        assert_eq!(
            get(&s, "model.investment.capex_factor").unwrap().value,
            "1.1"
        );
        assert!(t.contains("// accelerators 38 % CAGR"));
        assert_eq!(t.lines().count(), text.lines().count());
        assert!(replace_value(&text, "market.no_such_thing", "1").is_none());
    }
}
