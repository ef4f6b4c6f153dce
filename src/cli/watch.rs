//! `megacluster run FILE --watch`: rerun whenever the scenario file is saved, rewrite the
//! outputs and print the target probabilities that changed. A save with an error prints
//! the diagnostic and leaves the last good outputs in place.
//!
//! The file's modification time and contents are polled (every 300 ms), which works the
//! same on every platform and with editors that save by renaming a new file into place.

use super::RunArgs;
use crate::error::{RunError, render};
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::Path;
use std::time::{Duration, SystemTime};

fn probabilities(dir: &Path) -> BTreeMap<String, f64> {
    let Ok(bytes) = std::fs::read(dir.join("summary.json")) else {
        return BTreeMap::new();
    };
    let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
    v["targets"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|t| Some((t["name"].as_str()?.to_owned(), t["probability"].as_f64()?)))
                .collect()
        })
        .unwrap_or_default()
}

fn stamp(path: &Path) -> Option<(SystemTime, Vec<u8>)> {
    let m = std::fs::metadata(path).ok()?.modified().ok()?;
    Some((m, std::fs::read(path).ok()?))
}

/// Runs, then reruns on every save until interrupted (or after `limit` reruns, for tests).
pub fn watch(args: &RunArgs, limit: Option<usize>) -> Result<(), RunError> {
    let colour = std::io::stderr().is_terminal();
    let mut last: BTreeMap<String, f64> = BTreeMap::new();
    let once = |first: bool, last: &mut BTreeMap<String, f64>| match super::run::run(args) {
        Ok(dir) => {
            let now = probabilities(&dir);
            if !first {
                let changed: Vec<String> = now
                    .iter()
                    .filter(|(k, v)| last.get(*k).is_none_or(|o| (*o - **v).abs() > 1e-12))
                    .map(|(k, v)| match last.get(k) {
                        Some(o) => format!("  {k}: {:.1}% -> {:.1}%", o * 100.0, v * 100.0),
                        None => format!("  {k}: {:.1}% (new)", v * 100.0),
                    })
                    .collect();
                if changed.is_empty() {
                    println!("No target probability changed.");
                } else {
                    println!("Changed target probabilities:\n{}", changed.join("\n"));
                }
            }
            *last = now;
        }
        Err(e) => {
            eprintln!("{}", render(&e, colour));
            eprintln!("(the last good outputs are kept; fix the file and save again)");
        }
    };
    once(true, &mut last);
    let mut seen = stamp(&args.file);
    println!(
        "Watching {} for changes (Ctrl-C to stop)...",
        args.file.display()
    );
    let mut reruns = 0;
    loop {
        std::thread::sleep(Duration::from_millis(300));
        let now = stamp(&args.file);
        let changed = match (&now, &seen) {
            (Some(a), Some(b)) => a.1 != b.1,
            (Some(_), None) => true,
            _ => false,
        };
        if !changed {
            continue;
        }
        // Let the editor finish writing.
        std::thread::sleep(Duration::from_millis(150));
        seen = stamp(&args.file);
        println!("\n{} changed: rerunning", args.file.display());
        once(false, &mut last);
        reruns += 1;
        if limit.is_some_and(|l| reruns >= l) {
            return Ok(());
        }
    }
}
