//! A small RON reader that records where every value is, so that a problem found in the
//! parsed scenario points at the exact value (not at the first text that looks like it).
//! It runs only on text that ron accepted; on anything unexpected it stops and keeps what
//! it has, and locations fall back to the nearest enclosing value. It never panics.

/// One value in the text, with byte offsets.
#[derive(Debug, Default)]
pub struct Node {
    /// Start of the whole value.
    pub start: usize,
    /// End of the whole value (exclusive).
    pub end: usize,
    /// The name or opening bracket (the whole value for plain values).
    pub head: (usize, usize),
    /// Named fields: name, where the name is, value.
    pub fields: Vec<(String, (usize, usize), Node)>,
    /// Tuple or list items.
    pub items: Vec<Node>,
    /// Map entries: key, value.
    pub entries: Vec<(Node, Node)>,
}

/// One step of a path from the scenario's top level to a value.
#[derive(Debug, Clone, PartialEq)]
pub enum Seg {
    /// A named field.
    F(&'static str),
    /// An item of a list.
    I(usize),
    /// The value of a map entry, by its key as written (quotes removed).
    K(String),
    /// The key of a map entry itself.
    KeyOf(String),
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Tok {
    P(u8),
    Ident,
    Str,
    Num,
    Other,
}

fn lex(text: &str) -> Vec<(Tok, usize, usize)> {
    let b = text.as_bytes();
    let n = b.len();
    let mut i = 0;
    let mut out = Vec::new();
    let boundary = |mut j: usize| {
        while j < n && !text.is_char_boundary(j) {
            j += 1;
        }
        j.min(n)
    };
    while i < n {
        let c = b[i];
        let start = i;
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if c == b'/' && b.get(i + 1) == Some(&b'/') {
            while i < n && b[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        if c == b'/' && b.get(i + 1) == Some(&b'*') {
            let mut depth = 0usize;
            while i < n {
                if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                    depth += 1;
                    i += 2;
                } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                    depth = depth.saturating_sub(1);
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            continue;
        }
        let raw_hashes = |j: usize| {
            let mut k = j;
            while k < n && b[k] == b'#' {
                k += 1;
            }
            (k < n && b[k] == b'"').then_some(k - j)
        };
        let tok = if (c == b'r' || (c == b'b' && b.get(i + 1) == Some(&b'r')))
            && raw_hashes(i + if c == b'b' { 2 } else { 1 }).is_some()
        {
            let j = i + if c == b'b' { 2 } else { 1 };
            let hashes = raw_hashes(j).unwrap_or(0);
            i = j + hashes + 1;
            loop {
                if i >= n {
                    break;
                }
                if b[i] == b'"'
                    && b[i + 1..]
                        .iter()
                        .take(hashes)
                        .filter(|&&h| h == b'#')
                        .count()
                        == hashes
                {
                    i += 1 + hashes;
                    break;
                }
                i += 1;
            }
            Tok::Str
        } else if c == b'"'
            || c == b'\''
            || (c == b'b' && matches!(b.get(i + 1), Some(b'"' | b'\'')))
        {
            let q = if c == b'b' {
                i += 1;
                b[i]
            } else {
                c
            };
            i += 1;
            while i < n && b[i] != q {
                if b[i] == b'\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            Tok::Str
        } else if c.is_ascii_alphabetic() || c == b'_' {
            if c == b'r' && b.get(i + 1) == Some(&b'#') {
                i += 2;
            }
            while i < n && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            Tok::Ident
        } else if c.is_ascii_digit() || c == b'+' || c == b'-' || c == b'.' {
            i += 1;
            while i < n
                && (b[i].is_ascii_alphanumeric()
                    || b[i] == b'_'
                    || b[i] == b'.'
                    || ((b[i] == b'+' || b[i] == b'-') && matches!(b[i - 1], b'e' | b'E')))
            {
                i += 1;
            }
            Tok::Num
        } else if b"()[]{}:,#!".contains(&c) {
            i += 1;
            Tok::P(c)
        } else {
            i += 1;
            Tok::Other
        };
        i = boundary(i.min(n));
        out.push((tok, start, i));
    }
    out
}

struct Parser {
    toks: Vec<(Tok, usize, usize)>,
    pos: usize,
}

impl Parser {
    fn peek(&self, k: usize) -> Option<Tok> {
        self.toks.get(self.pos + k).map(|t| t.0)
    }
    fn span(&self) -> (usize, usize) {
        self.toks.get(self.pos).map_or((0, 0), |t| (t.1, t.2))
    }
    fn last_end(&self) -> usize {
        self.pos
            .checked_sub(1)
            .and_then(|p| self.toks.get(p))
            .map_or(0, |t| t.2)
    }
    fn eat(&mut self, p: u8) -> bool {
        if self.peek(0) == Some(Tok::P(p)) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn value(&mut self, depth: usize) -> Option<Node> {
        if depth > 256 {
            return None;
        }
        let (start, end) = self.span();
        match self.peek(0)? {
            Tok::Ident => {
                self.pos += 1;
                if self.peek(0) == Some(Tok::P(b'(')) {
                    self.paren((start, end), depth)
                } else {
                    Some(leaf(start, end))
                }
            }
            Tok::P(b'(') => self.paren((start, end), depth),
            Tok::P(b'[') => {
                self.pos += 1;
                let mut node = leaf(start, end);
                while !self.eat(b']') {
                    node.items.push(self.value(depth + 1)?);
                    if !self.eat(b',') && self.peek(0) != Some(Tok::P(b']')) {
                        return None;
                    }
                }
                node.end = self.last_end();
                Some(node)
            }
            Tok::P(b'{') => {
                self.pos += 1;
                let mut node = leaf(start, end);
                while !self.eat(b'}') {
                    let key = self.value(depth + 1)?;
                    if !self.eat(b':') {
                        return None;
                    }
                    let value = self.value(depth + 1)?;
                    node.entries.push((key, value));
                    if !self.eat(b',') && self.peek(0) != Some(Tok::P(b'}')) {
                        return None;
                    }
                }
                node.end = self.last_end();
                Some(node)
            }
            Tok::Str | Tok::Num | Tok::Other => {
                self.pos += 1;
                Some(leaf(start, end))
            }
            Tok::P(_) => None,
        }
    }

    /// A struct or tuple from its name (or opening parenthesis) on.
    fn paren(&mut self, head: (usize, usize), depth: usize) -> Option<Node> {
        let mut node = leaf(head.0, head.1);
        if !self.eat(b'(') {
            return None;
        }
        while !self.eat(b')') {
            if self.peek(0) == Some(Tok::Ident) && self.peek(1) == Some(Tok::P(b':')) {
                let (a, b) = self.span();
                self.pos += 2;
                let value = self.value(depth + 1)?;
                node.fields.push((String::new(), (a, b), value));
            } else {
                node.items.push(self.value(depth + 1)?);
            }
            if !self.eat(b',') && self.peek(0) != Some(Tok::P(b')')) {
                return None;
            }
        }
        node.end = self.last_end();
        Some(node)
    }
}

fn leaf(start: usize, end: usize) -> Node {
    Node {
        start,
        end,
        head: (start, end),
        ..Node::default()
    }
}

fn fill_names(node: &mut Node, text: &str) {
    for (name, (a, b), v) in &mut node.fields {
        *name = text
            .get(*a..*b)
            .unwrap_or("")
            .trim_start_matches("r#")
            .to_owned();
        fill_names(v, text);
    }
    for v in &mut node.items {
        fill_names(v, text);
    }
    for (k, v) in &mut node.entries {
        fill_names(k, text);
        fill_names(v, text);
    }
}

/// Reads the text; the top-level value, or an empty node when nothing could be read.
pub fn read(text: &str) -> Node {
    let mut p = Parser {
        toks: lex(text),
        pos: 0,
    };
    // Skip attributes such as `#![enable(implicit_some)]`.
    while p.peek(0) == Some(Tok::P(b'#')) {
        let mut depth = 0usize;
        while let Some(t) = p.peek(0) {
            p.pos += 1;
            match t {
                Tok::P(b'[') => depth += 1,
                Tok::P(b']') => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
        }
    }
    let mut root = p.value(0).unwrap_or_default();
    fill_names(&mut root, text);
    root
}

impl Node {
    /// The value at `path`, or the deepest value on the way and false.
    pub fn find<'n>(&'n self, path: &[Seg], text: &str) -> (&'n Node, bool) {
        let mut at = self;
        for seg in path {
            let next = match seg {
                Seg::F(f) => at.fields.iter().find(|x| x.0 == *f).map(|x| &x.2),
                Seg::I(i) => at.items.get(*i),
                Seg::K(k) => at
                    .entries
                    .iter()
                    .find(|(key, _)| key_text(key, text) == k.as_str())
                    .map(|x| &x.1),
                Seg::KeyOf(k) => at
                    .entries
                    .iter()
                    .find(|(key, _)| key_text(key, text) == k.as_str())
                    .map(|x| &x.0),
            };
            match next {
                Some(n) => at = n,
                None => return (at, false),
            }
        }
        (at, true)
    }
}

impl Node {
    /// The outermost value that ends exactly at `offset` (where ron stops after a
    /// value it read whole but could not use).
    pub fn ending_at(&self, offset: usize) -> Option<&Node> {
        if self.end == offset && self.start < offset {
            return Some(self);
        }
        if self.start > offset || self.end < offset {
            return None;
        }
        self.fields
            .iter()
            .map(|f| &f.2)
            .chain(&self.items)
            .chain(self.entries.iter().flat_map(|(k, v)| [k, v]))
            .find_map(|n| n.ending_at(offset))
    }
}

fn key_text<'t>(key: &Node, text: &'t str) -> &'t str {
    let raw = text.get(key.start..key.end).unwrap_or("");
    let raw = if raw.starts_with("r#") || raw.starts_with("r\"") {
        raw.trim_start_matches('r').trim_matches('#')
    } else {
        raw
    };
    raw.trim_matches('"')
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r##"#![enable(implicit_some)]
// a comment with Fake(x: 1)
Scenario(
    name: "a \"quoted\" name",
    sites: [
        Site(name: r#"Pangyo"#, x_km: 1.5),
        Site(name: "Yongin", x_km: -2e3), /* nested /* block */ comment */
    ],
    policy: (rnd_programmes: {"Chips": (budget_krw_b: 10.0)}, r#type: 1),
)
"##;

    /// The text at the value `path` leads to, and whether it was found.
    fn at<'t>(text: &'t str, path: &[Seg]) -> (&'t str, bool) {
        let root = read(text);
        let (node, found) = root.find(path, text);
        (&text[node.start..node.end], found)
    }

    #[test]
    fn finds_fields_items_and_map_entries() {
        use Seg::*;
        assert_eq!(at(TEXT, &[F("name")]), (r#""a \"quoted\" name""#, true));
        assert_eq!(at(TEXT, &[F("sites"), I(1), F("x_km")]), ("-2e3", true));
        assert_eq!(
            at(TEXT, &[F("sites"), I(0), F("name")]),
            (r##"r#"Pangyo"#"##, true)
        );
        let chips = [F("policy"), F("rnd_programmes"), K("Chips".into())];
        assert_eq!(at(TEXT, &chips), ("(budget_krw_b: 10.0)", true));
        let key = [F("policy"), F("rnd_programmes"), KeyOf("Chips".into())];
        assert_eq!(at(TEXT, &key), (r#""Chips""#, true));
        assert_eq!(at(TEXT, &[F("policy"), F("type")]), ("1", true));
    }

    #[test]
    fn a_missing_value_gives_the_deepest_enclosing_one() {
        use Seg::*;
        let (found, ok) = at(TEXT, &[F("sites"), I(1), F("land_ha")]);
        assert!(!ok);
        assert!(found.starts_with("Site(name: \"Yongin\"") && found.ends_with(')'));
        assert!(!at(TEXT, &[F("sites"), I(5)]).1);
    }

    #[test]
    fn the_head_of_a_struct_is_its_name() {
        let root = read(TEXT);
        assert_eq!(&TEXT[root.head.0..root.head.1], "Scenario");
        let (list, _) = root.find(&[Seg::F("sites")], TEXT);
        assert_eq!(&TEXT[list.head.0..list.head.1], "[");
    }

    #[test]
    fn ending_at_finds_the_outermost_value_ending_there() {
        let root = read(TEXT);
        let end = TEXT.find("10.0)").unwrap() + "10.0)".len();
        let node = root.ending_at(end).unwrap();
        assert_eq!(&TEXT[node.start..node.end], "(budget_krw_b: 10.0)");
        assert!(root.ending_at(TEXT.find("Scenario").unwrap()).is_none());
    }

    #[test]
    fn broken_text_keeps_what_was_read_and_never_panics() {
        for text in [
            "",
            "(",
            "Scenario(name: \"x\", sites: [",
            "(a: 1,, b: 2)",
            "\"unterminated",
            "r#\"raw",
            "/* open",
            "(a: é, b: ∞)",
            "#![enable(",
        ] {
            let root = read(text);
            let _ = root.find(&[Seg::F("a"), Seg::I(3), Seg::K("k".into())], text);
            let _ = root.ending_at(text.len());
        }
        let deep = "[".repeat(10_000);
        assert!(read(&deep).items.is_empty());
    }
}
