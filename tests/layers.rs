//! The layers of `src/` (issue 16): each top-level module uses only its own layer or the
//! ones below, so there is no import cycle between them:
//!
//! error, numbers → scenario → model → sim → tune, output → cli, explore
//!
//! The same check as `scripts/layers.sh`, on the source text: every `crate::` path in a
//! line of code (comment lines are skipped: a doc link is no import).

use std::path::{Path, PathBuf};

/// The layer of a top-level module; `None` for the crate root files (lib.rs, main.rs).
fn layer(module: &str) -> Option<u8> {
    Some(match module {
        "error" | "numbers" => 0,
        "scenario" => 1,
        "model" => 2,
        "sim" => 3,
        "tune" | "output" => 4,
        // `explore` (the local page's server) is a front end like `cli`, which starts it.
        "cli" | "explore" => 5,
        _ => return None,
    })
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level modules that `crate::` paths in `line` name.
fn crate_paths(line: &str) -> Vec<&str> {
    line.match_indices("crate::")
        .map(|(i, m)| {
            let rest = &line[i + m.len()..];
            let end = rest
                .find(|c: char| !(c.is_ascii_lowercase() || c == '_'))
                .unwrap_or(rest.len());
            &rest[..end]
        })
        .collect()
}

/// Every import edge between top-level modules: (file:line, from, to).
fn edges(src: &Path) -> Vec<(String, String, String)> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let rel = file.strip_prefix(src).unwrap();
        let first = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let from = first.trim_end_matches(".rs").to_owned();
        if layer(&from).is_none() {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for to in crate_paths(line) {
                if layer(to).is_some() && to != from {
                    let at = format!("src/{}:{}", rel.display(), n + 1);
                    out.push((at, from.clone(), to.to_owned()));
                }
            }
        }
    }
    out
}

#[test]
fn no_module_imports_from_a_higher_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let all = edges(&src);
    assert!(
        all.iter().any(|(_, f, t)| f == "cli" && t == "scenario"),
        "the scan found none of the imports it should see"
    );
    let mut bad: Vec<String> = all
        .iter()
        .filter(|(_, f, t)| layer(t) > layer(f))
        .map(|(at, f, t)| format!("{at}: {f} imports {t} (a higher layer)"))
        .collect();
    // Modules of one layer may use each other one way, never both.
    for (at, f, t) in &all {
        let back = all.iter().find(|(_, f2, t2)| f2 == t && t2 == f);
        if let (true, Some((back, _, _))) = (layer(f) == layer(t) && f < t, back) {
            bad.push(format!(
                "{f} and {t} use each other (a cycle): {at}, {back}"
            ));
        }
    }
    assert!(
        bad.is_empty(),
        "imports against the layers:\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_scan_sees_an_upward_import() {
    assert_eq!(crate_paths("use crate::sim::results::X;"), ["sim"]);
    assert_eq!(
        crate_paths("let n = crate::model::setup::f(crate::scenario::g());"),
        ["model", "scenario"]
    );
    assert!(layer("sim") > layer("scenario"));
}
