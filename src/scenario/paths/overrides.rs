//! `--set PATH=VALUE` overrides: parsing, applying and validating them, loading a
//! scenario with them.

use super::PathError;
use super::lookup::{get, set};
use super::value::NewValue;
use crate::error::{RunError, ScenarioError};
use crate::scenario::schema::Scenario;
use crate::scenario::validate::validate;
use std::path::Path;

/// One `--set PATH=VALUE`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Override {
    /// Path as given.
    pub path: String,
    /// Value text as given.
    pub value: String,
}

/// Splits `PATH=VALUE` at the first `=` outside brackets and quotes.
pub fn parse_override(arg: &str) -> Result<Override, PathError> {
    let mut depth = 0i32;
    let mut quoted = false;
    for (i, c) in arg.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '[' if !quoted => depth += 1,
            ']' if !quoted => depth -= 1,
            '=' if !quoted && depth == 0 => {
                return Ok(Override {
                    path: arg[..i].trim().to_owned(),
                    value: arg[i + 1..].trim().to_owned(),
                });
            }
            _ => {}
        }
    }
    Err(PathError {
        message: format!("`--set {arg}` needs the form PATH=VALUE"),
        help: Some("e.g. --set policy.tax_credit_large=0.2".into()),
    })
}

/// Applies overrides and validates the result as a whole. `text` and `name` are the
/// file's text and name: problems that remain (e.g. a pledge finishing before it starts)
/// are located in the file and marked as following from the overrides.
pub fn apply_overrides(
    mut s: Scenario,
    overrides: &[Override],
    text: &str,
    name: &str,
) -> Result<Scenario, RunError> {
    if overrides.is_empty() {
        return Ok(s);
    }
    for o in overrides {
        set(&mut s, &o.path, &NewValue::Text(o.value.clone())).map_err(|e| PathError {
            message: format!("--set {}={}: {}", o.path, o.value, e.message),
            help: e.help,
        })?;
    }
    // Named as the command that checks it, so the hint `run megacluster check NAME
    // again` works as printed.
    let sets: Vec<String> = overrides
        .iter()
        .map(|o| format!("--set {}", shell_word(&format!("{}={}", o.path, o.value))))
        .collect();
    revalidate(&s, text, &format!("{name} {}", sets.join(" ")))?;
    Ok(s)
}

/// `arg` as one word of a POSIX shell: as it is when that is safe, else single-quoted.
pub fn shell_word(arg: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_.,=:/+-@%".contains(c);
    if !arg.is_empty() && arg.chars().all(plain) {
        arg.to_owned()
    } else {
        format!("'{}'", arg.replace('\'', r"'\''"))
    }
}

/// Validates a scenario changed after loading.
pub fn revalidate(s: &Scenario, text: &str, name: &str) -> Result<(), ScenarioError> {
    validate(s, text, name)
}

/// Loads a scenario file and applies `--set` arguments; returns it with the parsed overrides.
pub fn load_with_overrides(
    path: &Path,
    sets: &[String],
) -> Result<(Scenario, Vec<Override>, String), RunError> {
    let s = crate::scenario::load_file(path)?;
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let overrides = sets
        .iter()
        .map(|a| parse_override(a))
        .collect::<Result<Vec<_>, _>>()?;
    let s = apply_overrides(s, &overrides, &text, &path.display().to_string())?;
    // Record canonical paths, so summaries compare whatever spelling was typed.
    let overrides = overrides
        .into_iter()
        .map(|o| Override {
            path: get(&s, &o.path).map_or(o.path, |i| i.path),
            value: o.value,
        })
        .collect();
    Ok((s, overrides, text))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn overrides_split_at_the_first_free_equals_sign() {
        let o = parse_override("sites[\"A=B\"].x=Uniform(1,2)").unwrap();
        assert_eq!(o.path, "sites[\"A=B\"].x");
        assert_eq!(o.value, "Uniform(1,2)");
        assert!(parse_override("nothing").is_err());
    }
}
