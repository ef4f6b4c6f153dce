//! Path syntax: splitting dotted paths into segments, printing them back, and matching
//! what was typed against canonical paths.

fn is_bare(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !name.chars().all(|c| c.is_ascii_digit())
}

/// Prints segments as a path: bare names joined by dots, other names as `["..."]`,
/// positions as `[i]`.
pub fn format_path(segs: &[String]) -> String {
    let mut out = String::new();
    for s in segs {
        if is_bare(s) {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(s);
        } else if !s.is_empty() && s.chars().all(|c| c.is_ascii_digit()) {
            out.push_str(&format!("[{s}]"));
        } else {
            out.push_str(&format!("[\"{s}\"]"));
        }
    }
    out
}

/// Splits a path into segments; see the module documentation for the syntax.
pub fn parse_path(p: &str) -> Result<Vec<String>, String> {
    let mut segs = Vec::new();
    let mut cur = String::new();
    let mut chars = p.trim().chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '.' => {
                if !cur.is_empty() {
                    segs.push(std::mem::take(&mut cur));
                } else if segs.is_empty() {
                    return Err(format!("`{p}`: a path cannot start with a dot"));
                }
            }
            '[' => {
                if !cur.is_empty() {
                    segs.push(std::mem::take(&mut cur));
                }
                let quote = matches!(chars.peek(), Some('"') | Some('\''));
                let q = if quote { chars.next() } else { None };
                let mut name = String::new();
                loop {
                    match chars.next() {
                        Some(c) if Some(c) == q => {
                            if chars.next() != Some(']') {
                                return Err(format!("`{p}`: expected `]` after the quoted name"));
                            }
                            break;
                        }
                        Some(']') if q.is_none() => break,
                        Some(c) => name.push(c),
                        None => return Err(format!("`{p}`: unclosed `[`")),
                    }
                }
                segs.push(name);
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        segs.push(cur);
    }
    if segs.is_empty() {
        return Err("empty parameter path".into());
    }
    Ok(segs)
}

fn seg_eq(given: &str, canonical: &str) -> bool {
    given == canonical || given.replace(' ', "_") == canonical.replace(' ', "_")
}

pub(super) fn segs_eq(given: &[String], canonical: &[String]) -> bool {
    given.len() == canonical.len() && given.iter().zip(canonical).all(|(a, b)| seg_eq(a, b))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn paths_parse_in_every_spelling() {
        let want: Vec<String> = ["sites", "Yongin National", "power_mw"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            parse_path("sites[\"Yongin National\"].power_mw").unwrap(),
            want
        );
        assert_eq!(
            parse_path("sites['Yongin National'].power_mw").unwrap(),
            want
        );
        assert_eq!(
            parse_path("sites.Pyeongtaek.power_additions[0].amount").unwrap(),
            parse_path("sites.Pyeongtaek.power_additions.0.amount").unwrap()
        );
        assert_eq!(format_path(&want), "sites[\"Yongin National\"].power_mw");
        assert!(parse_path("sites[\"x").is_err());
    }
}
