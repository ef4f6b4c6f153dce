//! Reading a scenario: RON parsing with located syntax errors, then validation.

use super::schema::Scenario;
use super::validate::validate;
use crate::error::{Problem, ScenarioError};
use miette::{NamedSource, SourceSpan};
use std::path::Path;

/// Reads, parses and validates a scenario file.
pub fn load_file(path: &Path) -> Result<Scenario, ScenarioError> {
    if path.is_dir() {
        return Err(ScenarioError::Io {
            path: path.to_owned(),
            source: std::io::Error::other("this is a folder, not a scenario file"),
        });
    }
    let text = std::fs::read_to_string(path).map_err(|source| ScenarioError::Io {
        path: path.to_owned(),
        source,
    })?;
    load_str(&text, &path.display().to_string())
}

/// Parses and validates scenario text; `name` is used in messages.
pub fn load_str(text: &str, name: &str) -> Result<Scenario, ScenarioError> {
    let scenario: Scenario = ron::Options::default()
        .with_recursion_limit(64)
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .from_str(text)
        .map_err(|e| syntax_error(text, name, &e))?;
    validate(&scenario, text, name)?;
    Ok(scenario)
}

/// Byte offset of a 1-based line and column in `text` (clamped to the text).
pub fn offset_of(text: &str, line: usize, col: usize) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let within: usize = l
                .chars()
                .take(col.saturating_sub(1))
                .map(char::len_utf8)
                .sum();
            return (offset + within).min(text.len());
        }
        offset += l.len();
    }
    text.len()
}

/// 1-based line and column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// Builds a located problem.
pub fn problem(
    text: &str,
    name: &str,
    offset: usize,
    len: usize,
    message: String,
    label: &str,
    help: Option<String>,
) -> Problem {
    let offset = offset.min(text.len());
    Problem {
        message,
        help,
        src: NamedSource::new(name, text.to_owned()),
        span: SourceSpan::new(offset.into(), len.min(text.len() - offset)),
        label: label.to_owned(),
        line_col: line_col(text, offset),
    }
}

fn syntax_error(text: &str, name: &str, e: &ron::error::SpannedError) -> ScenarioError {
    let offset = offset_of(text, e.span.start.line, e.span.start.col);
    let message = e.code.to_string();
    let help = syntax_help(&e.code);
    ScenarioError::Syntax {
        path: name.to_owned(),
        problem: vec![problem(text, name, offset, 1, message, "here", help)],
    }
}

fn syntax_help(code: &ron::Error) -> Option<String> {
    use ron::Error as E;
    match code {
        E::NoSuchStructField {
            expected, found, ..
        } => Some(match nearest(found, expected.iter().copied()) {
            Some(best) => format!(
                "did you mean `{best}`? Valid fields here: {}",
                expected.join(", ")
            ),
            None => format!("valid fields here: {}", expected.join(", ")),
        }),
        E::MissingStructField { field, .. } => Some(format!(
            "add `{field}: ...`; see scenarios/README.md for its meaning and unit"
        )),
        E::NoSuchEnumVariant {
            expected, found, ..
        } => Some(match nearest(found, expected.iter().copied()) {
            Some(best) => format!(
                "did you mean `{best}`? Valid values: {}",
                expected.join(", ")
            ),
            None => format!("valid values: {}", expected.join(", ")),
        }),
        E::DuplicateStructField { field, .. } => {
            Some(format!("remove one of the two `{field}` entries"))
        }
        E::ExpectedComma | E::ExpectedArrayEnd | E::ExpectedMapEnd | E::ExpectedStructLikeEnd => {
            Some(
                "a comma or closing bracket is probably missing on this line or the one before"
                    .into(),
            )
        }
        _ => None,
    }
}

/// The candidate nearest to `found`, if it is close enough to be a likely typo.
pub fn nearest<'a>(found: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| {
            (
                strsim::jaro_winkler(&found.to_lowercase(), &c.to_lowercase()),
                c,
            )
        })
        .filter(|(score, _)| *score > 0.75)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_and_line_columns_round_trip() {
        let text = "ab\ncdé\nf";
        let off = offset_of(text, 2, 3);
        assert_eq!(&text[off..off + 2], "é");
        assert_eq!(line_col(text, off), (2, 3));
    }

    #[test]
    fn nearest_finds_typos_only() {
        let sites = ["Pyeongtaek", "Hwaseong", "Giheung"];
        assert_eq!(nearest("Pyeongtak", sites), Some("Pyeongtaek"));
        assert_eq!(nearest("Busan", sites), None);
    }
}
