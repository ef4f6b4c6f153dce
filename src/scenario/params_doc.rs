//! The tables of model coefficients in `scenarios/README.md` (section 3.15), written
//! from the `params!` declarations, so that the README cannot drift from the code
//! (`tests/readme_params.rs` compares them and rewrites them on request).

use super::params::ModelParams;
use crate::numbers::for_message;

/// The Markdown table of the group `group` (`market`, `investment`, ...): field, meaning
/// and source, unit, default, allowed range; `None` for an unknown group.
pub fn markdown_table(group: &str) -> Option<String> {
    let defaults = ModelParams::default();
    let (_, fields, ranges, entries) = defaults.groups().into_iter().find(|g| g.0 == group)?;
    let mut out = String::from(
        "| field | meaning (source) | unit | default | allowed range | required? |\n\
         |---|---|---|---|---|---|\n",
    );
    for (((field, unit, meaning), (lo, hi)), (_, d)) in
        fields.iter().zip(ranges.iter()).zip(entries)
    {
        out.push_str(&format!(
            "| `{field}` | {meaning} | {unit} | {} | {} – {} | no |\n",
            for_message(d.central()),
            for_message(*lo),
            for_message(*hi)
        ));
    }
    Some(out)
}
