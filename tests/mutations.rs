//! Property tests: random mutations of the shipped scenarios' text (characters, tokens,
//! numbers, lines) never make loading, validation or rendering the message panic; every
//! mutation either loads or gets a located message. Case counts are kept modest so that
//! `cargo test` stays fast; the fuzz target in `fuzz/` explores further.

use megacluster::error::render;
use megacluster::scenario::load_str;
use proptest::prelude::*;
use std::path::Path;

fn shipped() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect()
}

/// Values that stress parsing and validation when put in place of a number.
const NUMBERS: &[&str] = &[
    "0",
    "-1",
    "-0.0",
    "1e308",
    "-1e308",
    "1e-320",
    "NaN",
    "inf",
    "-inf",
    "4294967296",
    "18446744073709551616",
    "-2147483649",
    "0x10",
    "1_000",
    "\"5\"",
    "()",
    "true",
    "[]",
    "Uniform(1, 0)",
    "Normal(0, -1)",
    "LogNormal(0, 1)",
    "Triangular(3, 2, 1)",
    "Fixed(NaN)",
    "Unifrom(0, 1)",
    "Some(1)",
    "None",
];

/// Text inserted at random places.
const SNIPPETS: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    "\"",
    "'",
    "//",
    "/*",
    "#",
    "é",
    "한",
    "name: \"x\",",
    "Site(",
    "\n",
    "r#\"",
    "\\",
    "kind: Foundry,",
];

#[derive(Debug, Clone)]
enum Mutation {
    /// Delete `len` bytes at a relative position (0..1).
    Delete(f64, usize),
    /// Insert a snippet at a relative position.
    Insert(f64, usize),
    /// Replace the n-th number (relative) with a stressing value.
    Number(f64, usize),
    /// Delete the n-th line (relative).
    DeleteLine(f64),
    /// Duplicate the n-th line (relative).
    DuplicateLine(f64),
    /// Swap the n-th quoted name (relative) with another.
    SwapNames(f64, f64),
    /// Replace a character with a random one.
    Char(f64, char),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (0.0..1.0, 1usize..40).prop_map(|(p, n)| Mutation::Delete(p, n)),
        (0.0..1.0, 0..SNIPPETS.len()).prop_map(|(p, i)| Mutation::Insert(p, i)),
        (0.0..1.0, 0..NUMBERS.len()).prop_map(|(p, i)| Mutation::Number(p, i)),
        (0.0..1.0).prop_map(Mutation::DeleteLine),
        (0.0..1.0).prop_map(Mutation::DuplicateLine),
        (0.0..1.0, 0.0..1.0).prop_map(|(a, b)| Mutation::SwapNames(a, b)),
        (0.0..1.0, any::<char>()).prop_map(|(p, c)| Mutation::Char(p, c)),
    ]
}

/// The char boundary at or before a relative position.
fn at(text: &str, rel: f64) -> usize {
    let mut i = ((text.len() as f64) * rel) as usize;
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Byte ranges of numbers (digits with an optional sign and decimal point).
fn numbers(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit()
            && (i == 0 || !b[i - 1].is_ascii_alphanumeric() && b[i - 1] != b'_')
        {
            let s = if i > 0 && b[i - 1] == b'-' { i - 1 } else { i };
            while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
                i += 1;
            }
            out.push((s, i));
        } else {
            i += 1;
        }
    }
    out
}

fn quoted(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        if c == '"' {
            match start.take() {
                None => start = Some(i),
                Some(s) => out.push((s, i + 1)),
            }
        }
    }
    out
}

fn apply(text: &mut String, m: &Mutation) {
    let pick = |n: usize, rel: f64| ((n as f64 * rel) as usize).min(n.saturating_sub(1));
    match *m {
        Mutation::Delete(p, len) => {
            let a = at(text, p);
            let b = at(text, ((a + len) as f64 / text.len().max(1) as f64).min(1.0));
            text.replace_range(a..b.max(a), "");
        }
        Mutation::Insert(p, i) => {
            let a = at(text, p);
            text.insert_str(a, SNIPPETS[i]);
        }
        Mutation::Number(p, i) => {
            let nums = numbers(text);
            if !nums.is_empty() {
                let (a, b) = nums[pick(nums.len(), p)];
                text.replace_range(a..b, NUMBERS[i]);
            }
        }
        Mutation::DeleteLine(p) | Mutation::DuplicateLine(p) => {
            let lines: Vec<&str> = text.split_inclusive('\n').collect();
            let k = pick(lines.len(), p);
            let mut out = String::new();
            for (j, l) in lines.iter().enumerate() {
                if j != k || matches!(m, Mutation::DuplicateLine(_)) {
                    out.push_str(l);
                }
                if j == k && matches!(m, Mutation::DuplicateLine(_)) {
                    out.push_str(l);
                }
            }
            *text = out;
        }
        Mutation::SwapNames(a, b) => {
            let q = quoted(text);
            if q.len() >= 2 {
                let (x, y) = (q[pick(q.len(), a)], q[pick(q.len(), b)]);
                let name = text[y.0..y.1].to_owned();
                text.replace_range(x.0..x.1, &name);
            }
        }
        Mutation::Char(p, c) => {
            let a = at(text, p);
            if let Some(old) = text[a..].chars().next() {
                text.replace_range(a..a + old.len_utf8(), &c.to_string());
            }
        }
    }
}

proptest! {
    // 96 cases by default; more with e.g. MUTATION_CASES=5000 for a longer hunt.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("MUTATION_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(96),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn mutated_scenarios_never_panic(which in 0usize..3, muts in prop::collection::vec(mutation(), 1..5)) {
        let all = shipped();
        let mut text = all[which % all.len()].clone();
        for m in &muts {
            apply(&mut text, m);
        }
        match load_str(&text, "mutated.ron") {
            Ok(s) => prop_assert!(!s.sites.is_empty()),
            Err(e) => {
                let out = render(&e, false);
                prop_assert!(out.contains("mutated.ron"), "{}", out);
            }
        }
    }
}
