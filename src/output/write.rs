//! Writing an output folder atomically: everything goes into a hidden temporary folder
//! beside the target, which is renamed into place only when complete, so an interrupted
//! run never leaves a folder that looks complete.
//!
//! One process at a time writes a given folder: [`check_target`] takes a lock file
//! `.NAME.lock` beside it holding the writer's pid, kept until [`commit`] (or the end of
//! the command, [`release_locks`]). A second process is refused with the first one's pid;
//! a lock left by a process that no longer runs (killed) is taken over.
//!
//! For tests, `MEGACLUSTER_TEST_STOP=STAGE:ACTION` stops the writer at a stage of the
//! write (see [`Stage`]): `abort` ends the process at once, as a kill would (no
//! destructors, no clean-up); `pause` prints `paused at STAGE` to stderr and waits to
//! be killed. tests/interrupt.rs uses it to test every window deterministically.

use crate::error::RunError;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Files of an output folder, as (relative path, bytes).
pub type Files = Vec<(PathBuf, Vec<u8>)>;

/// An output error naming `path`.
pub(crate) fn out_err(path: &Path, e: impl std::fmt::Display) -> RunError {
    RunError::Output {
        path: path.to_owned(),
        message: e.to_string(),
    }
}

/// A mistake in the `--out` the user gave (a file, a folder of something else, no
/// folder name): a usage error, exit code 2 like every other command-line mistake.
fn out_mistake(path: &Path, e: &str) -> RunError {
    RunError::Usage(format!("cannot write `{}`: {e}", path.display()))
}

/// The file every complete output folder has; a folder with it may be replaced.
const MARKER: &str = "summary.json";

/// Checks that `dir` can be an output folder: not an existing file, not a folder of
/// something else (it would be replaced), and a folder beside it can be written.
/// Called before a long run so that a bad `--out` fails at once.
pub fn check_target(dir: &Path) -> Result<(), RunError> {
    if dir.is_file() {
        return Err(out_mistake(
            dir,
            "it is an existing file; give --out a folder path",
        ));
    }
    if dir.file_name().is_none() {
        return Err(out_mistake(
            dir,
            "give --out a folder name, e.g. output/my-run (the results replace that folder)",
        ));
    }
    // A partial folder of `--shard` (with its manifest) and a folder of sweep,
    // sensitivity or search (with its settings.json) and a comparison (comparison.csv)
    // may be replaced too.
    let earlier = [MARKER, "manifest.json", "settings.json", "comparison.csv"]
        .iter()
        .any(|m| dir.join(m).is_file());
    if dir.is_dir() && !earlier {
        let empty = std::fs::read_dir(dir)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty {
            return Err(out_mistake(
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
    lock(dir)
}

/// Lock files this process holds.
static HELD: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn held() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    HELD.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The last component of the output folder `dir` ("output" if it has none), which
/// names its lock, its temporary folders and a kept earlier output beside it.
fn folder_name(dir: &Path) -> String {
    dir.file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned())
}

/// `.NAME.lock` beside the folder `dir`.
fn lock_path(dir: &Path) -> PathBuf {
    let name = folder_name(dir);
    parent_of(dir).join(format!(".{name}.lock"))
}

/// True unless the process `pid` is known to have ended (where a `/proc` file system
/// tells; elsewhere every lock is taken as held).
fn running(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.join("self").exists() || proc.join(pid.to_string()).exists()
}

fn read_pid(path: &Path) -> Option<u32> {
    std::fs::read_to_string(path).ok()?.trim().parse().ok()
}

/// Takes the lock of the output folder `dir` for this process, or says which process
/// holds it.
fn lock(dir: &Path) -> Result<(), RunError> {
    let path = lock_path(dir);
    if held().contains(&path) {
        return Ok(());
    }
    let me = std::process::id();
    // The lock appears with its pid already in it (written aside, then hard-linked into
    // place, which fails if it exists), so no one ever reads an empty lock.
    let mine = path.with_extension(format!("lock.{me}"));
    std::fs::File::create(&mine)
        .and_then(|mut f| writeln!(f, "{me}"))
        .map_err(|e| out_err(&mine, e))?;
    let result = take(dir, &path, &mine, me);
    let _ = std::fs::remove_file(&mine);
    result?;
    held().push(path);
    Ok(())
}

fn take(dir: &Path, path: &Path, mine: &Path, me: u32) -> Result<(), RunError> {
    for _ in 0..3 {
        match std::fs::hard_link(mine, path) {
            Ok(()) => return Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            // No hard links on this file system: create it, then write the pid.
            Err(_) => match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path)
            {
                Ok(mut f) => return writeln!(f, "{me}").map_err(|e| out_err(path, e)),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(out_err(path, e)),
            },
        }
        match read_pid(path) {
            Some(pid) if pid == me => return Ok(()),
            Some(pid) if running(pid) => {
                return Err(out_err(
                    dir,
                    format!(
                        "another megacluster process (pid {pid}) is writing this folder; wait for it to end or give --out another folder (its lock: {})",
                        path.display()
                    ),
                ));
            }
            // Left by a process that was killed: take it over. Moving it aside first means
            // that of two processes taking it over only one removes it.
            _ => {
                let stale = path.with_extension(format!("lock.stale-{me}"));
                if std::fs::rename(path, &stale).is_ok() {
                    let _ = std::fs::remove_file(&stale);
                }
            }
        }
    }
    Err(out_err(
        path,
        "cannot take the lock of this output folder: other processes keep taking it",
    ))
}

/// Releases the lock of the folder `dir`, if this process holds it.
fn unlock(dir: &Path) {
    let path = lock_path(dir);
    let mut held = held();
    if let Some(i) = held.iter().position(|p| *p == path) {
        held.remove(i);
        if read_pid(&path) == Some(std::process::id()) {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// Releases every lock this process holds: at the end of a command, also a failed one.
pub fn release_locks() {
    let paths: Vec<PathBuf> = held().drain(..).collect();
    for path in paths {
        if read_pid(&path) == Some(std::process::id()) {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// Stages of writing a folder at which `MEGACLUSTER_TEST_STOP` can stop the writer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// A file is written into the temporary folder (stops after the first).
    Writing,
    /// Every file is written; nothing is renamed yet.
    Written,
    /// The new folder is in place; the earlier one, moved aside, is not removed yet and
    /// the lock not released.
    Renamed,
}

impl Stage {
    fn name(self) -> &'static str {
        match self {
            Stage::Writing => "writing",
            Stage::Written => "written",
            Stage::Renamed => "renamed",
        }
    }
}

/// Stops here if `MEGACLUSTER_TEST_STOP` names this stage (tests only).
fn stop_point(stage: Stage) {
    let Ok(v) = std::env::var("MEGACLUSTER_TEST_STOP") else {
        return;
    };
    match v.split_once(':') {
        Some((at, "abort")) if at == stage.name() => std::process::abort(),
        Some((at, "pause")) if at == stage.name() => {
            eprintln!("paused at {at}");
            loop {
                std::thread::sleep(std::time::Duration::from_secs(3600));
            }
        }
        _ => {}
    }
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
    let name = folder_name(dir);
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
        stop_point(Stage::Writing);
    }
    Ok(())
}

/// Swaps two folders in one step, where the system can (Linux's RENAME_EXCHANGE).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> bool {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).is_ok()
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> bool {
    false
}

/// The one subfolder commands write into their own output: an earlier output's charts
/// are replaced with the rest of it. Every other subfolder is kept (see [`commit`]).
const OWN_SUBFOLDERS: [&str; 1] = ["charts"];

/// Moves the subfolders of the earlier output `old` that the new output `new` does not
/// have into it: the folders other commands write inside a run's folder by default
/// (`sweep/`, `calibrate/`, `shard-1-of-4/`, `merged/`, `explore/`...), which replacing
/// the run's output must not delete. Returns the subfolders that could not be moved.
fn carry_over(old: &Path, new: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(old) else {
        return Vec::new();
    };
    let mut left = Vec::new();
    for e in entries.flatten() {
        let name = e.file_name();
        let own = OWN_SUBFOLDERS.iter().any(|o| name == *o);
        if own || !e.file_type().is_ok_and(|t| t.is_dir()) || new.join(&name).exists() {
            continue;
        }
        if std::fs::rename(e.path(), new.join(&name)).is_err() {
            left.push(e.path());
        }
    }
    left
}

/// Moves the finished temporary folder into place, replacing an earlier output, and
/// releases the folder's lock. Where the system allows, the earlier output and the new
/// one are swapped in one step, so a kill at any moment leaves one of the two complete
/// folders in place; elsewhere the earlier one is moved aside first, and a kill between
/// the two renames leaves no folder there (never a partial one). The earlier output's
/// files and charts are replaced; its other subfolders (other commands' outputs nested
/// in it, such as `output/baseline/sweep/`) move into the new one. One that cannot be
/// moved is left, with the rest of the earlier output, in a folder beside `dir` that
/// the message names, not deleted.
pub fn commit(tmp: tempfile::TempDir, dir: &Path) -> Result<(), RunError> {
    let tmp_path = tmp.keep();
    stop_point(Stage::Written);
    if dir.exists() {
        let old = if exchange(&tmp_path, dir) {
            tmp_path
        } else {
            let old = tmp_path.with_extension("old");
            std::fs::rename(dir, &old).map_err(|e| out_err(dir, e))?;
            std::fs::rename(&tmp_path, dir).map_err(|e| out_err(dir, e))?;
            old
        };
        stop_point(Stage::Renamed);
        let left = carry_over(&old, dir);
        if left.is_empty() {
            let _ = std::fs::remove_dir_all(&old);
        } else {
            let kept = parent_of(dir).join(format!(
                "{}.earlier-{}",
                folder_name(dir),
                std::process::id()
            ));
            let at = if std::fs::rename(&old, &kept).is_ok() {
                kept
            } else {
                old
            };
            eprintln!(
                "warning: {} could not be moved into the new output; the earlier output is kept at {}",
                left.iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                at.display()
            );
        }
    } else {
        std::fs::rename(&tmp_path, dir).map_err(|e| out_err(dir, e))?;
        stop_point(Stage::Renamed);
    }
    unlock(dir);
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
        assert!(!dir.join("summary.json").exists() && dir.join("c.txt").exists());
        assert_eq!(std::fs::read_dir(base.path()).unwrap().count(), 1);
    }

    /// Regression: a second `run` deleted `output/<scenario>/sweep/`, `calibrate/` and
    /// every other command's output nested in the run's folder. The earlier output's
    /// files and charts are replaced; its other subfolders are kept.
    #[test]
    fn replacing_an_output_keeps_the_outputs_nested_in_it() {
        let base = tempfile::tempdir().unwrap();
        let dir = base.path().join("baseline");
        let write = |files: &[(&str, &[u8])]| {
            let tmp = begin(&dir).unwrap();
            let files: Vec<_> = files
                .iter()
                .map(|(p, b)| (PathBuf::from(p), b.to_vec()))
                .collect();
            put(tmp.path(), &files).unwrap();
            commit(tmp, &dir).unwrap();
        };
        write(&[
            ("summary.json", b"1"),
            ("charts/fan.png", b"old"),
            ("charts/gone.png", b"old"),
        ]);
        // Other commands' outputs inside the run's folder, written in place.
        for (p, b) in [
            ("sweep/settings.json", "s"),
            ("calibrate/calibrated.ron", "c"),
        ] {
            std::fs::create_dir_all(dir.join(p).parent().unwrap()).unwrap();
            std::fs::write(dir.join(p), b).unwrap();
        }
        write(&[("summary.json", b"2"), ("charts/fan.png", b"new")]);
        assert_eq!(std::fs::read(dir.join("summary.json")).unwrap(), b"2");
        assert_eq!(std::fs::read(dir.join("charts/fan.png")).unwrap(), b"new");
        assert!(
            !dir.join("charts/gone.png").exists(),
            "old charts are replaced"
        );
        assert_eq!(
            std::fs::read(dir.join("sweep/settings.json")).unwrap(),
            b"s"
        );
        assert_eq!(
            std::fs::read(dir.join("calibrate/calibrated.ron")).unwrap(),
            b"c"
        );
        // Nothing is left beside the folder.
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
