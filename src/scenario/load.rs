//! Reading a scenario: RON parsing with located syntax errors, then validation.

use super::dist::HELP_SEP;
use super::schema::Scenario;
use super::validate::validate;
use crate::error::{Problem, ScenarioError};
use miette::{NamedSource, SourceSpan};
use std::path::Path;

/// Largest scenario file accepted, in bytes. Hand-written scenarios are a few tens of
/// kilobytes; anything near this is a wrong file, and refusing it early avoids reading
/// gigabytes into memory.
pub const MAX_FILE_BYTES: u64 = 50 * 1024 * 1024;

/// Reads, parses and validates a scenario file.
pub fn load_file(path: &Path) -> Result<Scenario, ScenarioError> {
    let io = |why: String| ScenarioError::Io {
        path: path.to_owned(),
        reason: std::io::Error::other(why),
    };
    if path.is_dir() {
        return Err(io("this is a folder, not a scenario file".into()));
    }
    let file = std::fs::File::open(path).map_err(|reason| ScenarioError::Io {
        path: path.to_owned(),
        reason,
    })?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    if len > MAX_FILE_BYTES {
        return Err(io(format!(
            "the file is {:.0} MB; scenario files are at most {} MB (is this the right file?)",
            len as f64 / 1e6,
            MAX_FILE_BYTES / (1024 * 1024)
        )));
    }
    // Read at most one byte beyond the limit: a file that grows while read (or a pipe
    // that reports no length) is refused all the same.
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(file, MAX_FILE_BYTES + 1),
        &mut bytes,
    )
    .map_err(|reason| ScenarioError::Io {
        path: path.to_owned(),
        reason,
    })?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(io(format!(
            "the file is larger than {} MB; scenario files are small text files",
            MAX_FILE_BYTES / (1024 * 1024)
        )));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let (line, col) = line_col(
            &String::from_utf8_lossy(&e.as_bytes()[..e.utf8_error().valid_up_to()]),
            usize::MAX,
        );
        io(format!(
            "line {line}, column {col}: the file is not UTF-8 text (is it a scenario file? save it as UTF-8)"
        ))
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
        number: None,
    }
}

fn syntax_error(text: &str, name: &str, e: &ron::error::SpannedError) -> ScenarioError {
    let mut start = offset_of(text, e.span.start.line, e.span.start.col);
    let end = offset_of(text, e.span.end.line, e.span.end.col);
    // Point at the token ron stopped on when it is on one line; else at one character.
    let mut len = match text.get(start..end) {
        Some(t) if !t.is_empty() && !t.contains('\n') => end - start,
        _ => 1,
    };
    let (mut message, mut help) = match &e.code {
        ron::Error::Message(m) => match m.split_once(HELP_SEP) {
            Some((m, h)) => (m.to_owned(), Some(h.to_owned())),
            None => (m.clone(), None),
        },
        code => (message_of(code), syntax_help(code)),
    };
    // A value read whole but of the wrong kind (a misspelt distribution, text in a
    // schedule): ron stops just after it; mark the whole value instead.
    if matches!(
        e.code,
        ron::Error::Message(_) | ron::Error::InvalidValueForType { .. }
    ) {
        let root = super::locate::read(text);
        if let Some(node) = root.ending_at(end).or_else(|| root.ending_at(start)) {
            let one_line = text
                .get(node.start..node.end)
                .is_some_and(|t| !t.contains('\n'));
            (start, len) = if one_line {
                (node.start, node.end - node.start)
            } else {
                (node.head.0, node.head.1 - node.head.0)
            };
        }
    }
    // Point at the token after the spaces ron stopped in front of.
    if len == 1 {
        while text
            .get(start..)
            .is_some_and(|t| t.starts_with([' ', '\t']))
        {
            start += 1;
        }
    }
    // A number written in quotes: say so, and mark the whole text.
    if matches!(
        e.code,
        ron::Error::ExpectedFloat | ron::Error::ExpectedInteger
    ) && let Some(rest) = text.get(start..).and_then(|t| t.strip_prefix('"'))
        && let Some(close) = rest.find(['"', '\n'])
        && rest[close..].starts_with('"')
    {
        let inner = &rest[..close];
        len = close + 2;
        message = format!("expected a number here, found the text \"{inner}\"");
        help = Some(match inner.trim().parse::<f64>() {
            Ok(_) => format!("remove the quotes: {}", inner.trim()),
            Err(_) => "write a number such as 12 or 0.5 (no quotes, no units)".into(),
        });
    }
    if !text
        .lines()
        .any(|l| !l.trim().is_empty() && !l.trim().starts_with("//"))
    {
        message = "the file is empty".into();
        help =
            Some("a scenario starts with `Scenario(`; copy scenarios/baseline.ron to begin".into());
    }
    ScenarioError::Syntax(Box::new(problem(
        text, name, start, len, message, "here", help,
    )))
}

/// ron's message, reworded where it is obscure to someone who is not a programmer.
fn message_of(code: &ron::Error) -> String {
    use ron::Error as E;
    match code {
        E::InvalidValueForType { expected, found } => {
            format!("expected {}, found {found}", plain_type(expected))
        }
        E::ExpectedFloat | E::ExpectedInteger => "expected a number here".into(),
        E::ExpectedString => "expected text in double quotes here".into(),
        E::ExpectedStringEnd => "this text has no closing double quote".into(),
        E::Eof => "the file ends too early: a closing bracket is probably missing".into(),
        E::ExceededRecursionLimit => {
            "the file is nested too deeply (more than 64 levels of brackets)".into()
        }
        E::TrailingCharacters => "there is more text after the end of the scenario".into(),
        E::ExpectedComma => "expected a comma here".into(),
        E::ExpectedNamedStructLike(n) => format!("expected `{n}(` here"),
        E::ExpectedStructName(n) => format!("expected `{n}(` here"),
        E::NoSuchStructField { found, outer, .. } => {
            format!("unknown field `{found}`{}", within(outer.as_deref()))
        }
        E::MissingStructField { field, outer } => {
            format!(
                "the required field `{field}` is missing{}",
                within(outer.as_deref())
            )
        }
        E::DuplicateStructField { field, outer } => {
            format!(
                "the field `{field}` is given twice{}",
                within(outer.as_deref())
            )
        }
        E::NoSuchEnumVariant { found, outer, .. } => {
            format!("unknown value `{found}`{}", within(outer.as_deref()))
        }
        other => other.to_string(),
    }
}

fn within(outer: Option<&str>) -> String {
    outer.map_or_else(String::new, |o| format!(" in `{o}`"))
}

/// Rust type names in serde messages, in words.
fn plain_type(t: &str) -> String {
    match t {
        "f64" | "f32" | "a 64-bit floating point number" => "a number".into(),
        "i32" | "u32" | "u64" | "usize" | "i64" => "a whole number".into(),
        "a string" | "string" => "text in double quotes".into(),
        "a boolean" | "bool" => "`true` or `false`".into(),
        other => other.to_owned(),
    }
}

fn syntax_help(code: &ron::Error) -> Option<String> {
    use ron::Error as E;
    match code {
        E::InvalidValueForType { expected, found } if found.contains("string") => Some(format!(
            "write {} here{}",
            plain_type(expected),
            if plain_type(expected).contains("number") {
                ", without quotes"
            } else {
                ""
            }
        )),
        E::InvalidValueForType { expected, .. } => {
            Some(format!("write {} here", plain_type(expected)))
        }
        E::ExpectedFloat | E::ExpectedInteger => {
            Some("write a number such as 12 or 0.5 (no quotes, no units)".into())
        }
        E::ExpectedString => Some("names are written in double quotes, e.g. \"Pyeongtaek\"".into()),
        E::ExpectedStringEnd => Some("add the closing `\"`".into()),
        E::Eof => Some("check that every `(`, `[` and `{` has its closing partner".into()),
        E::ExceededRecursionLimit => {
            Some("scenario files need only a few levels; check for runaway brackets".into())
        }
        E::TrailingCharacters => {
            Some("remove it, or check for an extra closing bracket before it".into())
        }
        E::ExpectedDifferentStructName { expected, .. } => {
            Some(format!("write `{expected}(...)` here"))
        }
        E::IntegerOutOfBounds => {
            Some("this whole number is too large (or negative where it cannot be)".into())
        }
        E::UnexpectedChar(_) => {
            Some("check for a missing comma, quote or bracket just before this".into())
        }
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
                "a comma, a closing bracket or a closing quote `\"` is probably missing here or just before"
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

/// `scenario.ron` bytes: the scenario as run (after any command-line changes), with
/// every default written out; `megacluster run` accepts it as it is.
pub fn scenario_ron(s: &Scenario) -> Vec<u8> {
    let body = ron::ser::to_string_pretty(s, ron::ser::PrettyConfig::default())
        .unwrap_or_else(|e| format!("// cannot write the scenario: {e}\n"));
    format!(
        "// The scenario `{}` as run by megacluster {}, every default written out.\n{body}\n",
        s.name.replace(['\n', '\r'], " "),
        env!("CARGO_PKG_VERSION")
    )
    .into_bytes()
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
