//! Writing an output folder atomically: everything goes into a hidden temporary folder
//! beside the target, which is renamed into place only when complete, so an interrupted
//! run never leaves a folder that looks complete.

use crate::error::RunError;
use std::path::{Path, PathBuf};

/// Files of an output folder, as (relative path, bytes).
pub type Files = Vec<(PathBuf, Vec<u8>)>;

fn out_err(path: &Path, e: impl std::fmt::Display) -> RunError {
    RunError::Output {
        path: path.to_owned(),
        message: e.to_string(),
    }
}

/// The file every complete output folder has; a folder with it may be replaced.
const MARKER: &str = "summary.json";

/// Checks that `dir` can be an output folder: not an existing file, not a folder of
/// something else (it would be replaced), and a folder beside it can be written.
/// Called before a long run so that a bad `--out` fails at once.
pub fn check_target(dir: &Path) -> Result<(), RunError> {
    if dir.is_file() {
        return Err(out_err(
            dir,
            "it is an existing file; give --out a folder path",
        ));
    }
    if dir.file_name().is_none() {
        return Err(out_err(
            dir,
            "give --out a folder name, e.g. output/my-run (the results replace that folder)",
        ));
    }
    // A partial folder of `--shard` (with its manifest) and a folder of sweep,
    // sensitivity or search (with its settings.json) may be replaced too.
    let earlier = [MARKER, "manifest.json", "settings.json"]
        .iter()
        .any(|m| dir.join(m).is_file());
    if dir.is_dir() && !earlier {
        let empty = std::fs::read_dir(dir)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty {
            return Err(out_err(
                dir,
                "it is a folder that is not an earlier megacluster output (no summary.json) and would be replaced; give --out a new folder path",
            ));
        }
    }
    let parent = parent_of(dir);
    std::fs::create_dir_all(&parent).map_err(|e| out_err(&parent, e))?;
    // Probe that a folder can be created beside the target (permissions, read-only disks).
    tempfile::Builder::new()
        .prefix(".megacluster-probe-")
        .tempdir_in(&parent)
        .map_err(|e| out_err(&parent, format!("cannot create a folder there: {e}")))?;
    Ok(())
}

fn parent_of(dir: &Path) -> PathBuf {
    match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    }
}

/// Creates the temporary folder beside `dir` in which outputs are written, named
/// `.NAME.partial-PID-XXXXXX` after the process that writes it. Temporary folders of
/// earlier runs that were killed (their process is gone) are removed first.
pub fn begin(dir: &Path) -> Result<tempfile::TempDir, RunError> {
    check_target(dir)?;
    let parent = parent_of(dir);
    let name = dir
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    let prefix = format!(".{name}.partial-");
    remove_abandoned(&parent, &prefix);
    tempfile::Builder::new()
        .prefix(&format!("{prefix}{}-", std::process::id()))
        .tempdir_in(&parent)
        .map_err(|e| out_err(&parent, e))
}

/// Removes `PREFIX<pid>-…` folders in `parent` whose process no longer runs. Only where
/// that can be told (a `/proc` file system); elsewhere they are left alone.
fn remove_abandoned(parent: &Path, prefix: &str) {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(rest) = file_name.to_str().and_then(|n| n.strip_prefix(prefix)) else {
            continue;
        };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if pid != std::process::id() && !proc.join(pid.to_string()).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Writes files into the temporary folder.
pub fn put(tmp: &Path, files: &Files) -> Result<(), RunError> {
    for (rel, bytes) in files {
        let path = tmp.join(rel);
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p).map_err(|e| out_err(p, e))?;
        }
        std::fs::write(&path, bytes).map_err(|e| out_err(&path, e))?;
    }
    Ok(())
}

/// Moves the finished temporary folder into place, replacing an earlier output.
pub fn commit(tmp: tempfile::TempDir, dir: &Path) -> Result<(), RunError> {
    let tmp_path = tmp.keep();
    if dir.exists() {
        let old = tmp_path.with_extension("old");
        std::fs::rename(dir, &old).map_err(|e| out_err(dir, e))?;
        std::fs::rename(&tmp_path, dir).map_err(|e| out_err(dir, e))?;
        let _ = std::fs::remove_dir_all(&old);
    } else {
        std::fs::rename(&tmp_path, dir).map_err(|e| out_err(dir, e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_appears_only_when_committed_and_replaces_the_old_one() {
        let base = tempfile::tempdir().unwrap();
        let dir = base.path().join("out");
        let tmp = begin(&dir).unwrap();
        put(
            tmp.path(),
            &vec![
                (PathBuf::from("a/b.txt"), b"1".to_vec()),
                (PathBuf::from("summary.json"), b"{}".to_vec()),
            ],
        )
        .unwrap();
        assert!(!dir.exists());
        commit(tmp, &dir).unwrap();
        assert_eq!(std::fs::read(dir.join("a/b.txt")).unwrap(), b"1");
        let tmp = begin(&dir).unwrap();
        put(tmp.path(), &vec![(PathBuf::from("c.txt"), b"2".to_vec())]).unwrap();
        commit(tmp, &dir).unwrap();
        assert!(!dir.join("a").exists() && dir.join("c.txt").exists());
        assert_eq!(std::fs::read_dir(base.path()).unwrap().count(), 1);
    }

    #[test]
    fn temporary_folders_of_killed_runs_are_removed() {
        let base = tempfile::tempdir().unwrap();
        let dir = base.path().join("out");
        // No process has this pid (above Linux's pid_max); one of ours is running.
        let dead = base.path().join(".out.partial-4294967295-abc123");
        let alive = base
            .path()
            .join(format!(".out.partial-{}-def456", std::process::id()));
        let other = base.path().join(".other.partial-4294967295-abc123");
        for d in [&dead, &alive, &other] {
            std::fs::create_dir(d).unwrap();
        }
        let tmp = begin(&dir).unwrap();
        assert!(
            tmp.path()
                .file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with(&format!(".out.partial-{}-", std::process::id()))
        );
        assert_eq!(!dead.exists(), Path::new("/proc/self").exists());
        assert!(alive.exists() && other.exists());
    }

    #[test]
    fn a_folder_that_is_not_an_output_is_never_replaced() {
        let base = tempfile::tempdir().unwrap();
        let dir = base.path().join("precious");
        std::fs::create_dir(&dir).unwrap();
        std::fs::write(dir.join("thesis.tex"), b"x").unwrap();
        assert!(check_target(&dir).is_err());
        assert!(check_target(Path::new("/")).is_err());
        // An empty folder or an earlier output may be replaced.
        std::fs::remove_file(dir.join("thesis.tex")).unwrap();
        assert!(check_target(&dir).is_ok());
        std::fs::write(dir.join("summary.json"), b"{}").unwrap();
        assert!(check_target(&dir).is_ok());
    }

    #[test]
    fn an_unwritable_place_is_refused() {
        assert!(check_target(Path::new("/proc/megacluster-test/out")).is_err());
    }

    #[test]
    fn an_existing_file_is_refused() {
        let base = tempfile::tempdir().unwrap();
        let f = base.path().join("file");
        std::fs::write(&f, b"x").unwrap();
        assert!(check_target(&f).is_err());
    }
}
