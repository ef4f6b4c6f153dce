//! A progress bar for long ensembles: runs done, rate and time left on stderr, only on a
//! terminal, only without `--quiet`, and only once the work has taken about a second
//! (short runs print nothing).

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Work shorter than this shows no bar.
pub const SHOW_AFTER: Duration = Duration::from_secs(1);

/// A progress bar over `total` runs, hidden when stderr is not a terminal or `quiet`;
/// it starts hidden and [`callback`] shows it after [`SHOW_AFTER`].
pub fn bar(total: usize, quiet: bool) -> Progress {
    let enabled = !quiet && std::io::stderr().is_terminal();
    let pb = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::hidden());
    pb.set_style(
        ProgressStyle::with_template(
            "{spinner} runs {pos}/{len} [{bar:30}] {per_sec} elapsed {elapsed} eta {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    Progress {
        pb,
        enabled,
        start: Instant::now(),
        shown: Arc::new(AtomicBool::new(false)),
    }
}

/// A progress bar that shows itself only after [`SHOW_AFTER`], on a terminal.
#[derive(Clone)]
pub struct Progress {
    pb: ProgressBar,
    enabled: bool,
    start: Instant,
    shown: Arc<AtomicBool>,
}

impl Progress {
    /// Moves the bar to `n` finished runs (showing it once the work is long enough).
    pub fn set(&self, n: usize) {
        if !self.enabled {
            return;
        }
        if !self.shown.load(Ordering::Relaxed)
            && self.start.elapsed() >= SHOW_AFTER
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            self.pb.set_draw_target(ProgressDrawTarget::stderr());
        }
        self.pb.set_position(n as u64);
    }

    /// True once the bar is drawn.
    pub fn is_shown(&self) -> bool {
        self.shown.load(Ordering::Relaxed)
    }

    /// Removes the bar from the terminal.
    pub fn finish_and_clear(&self) {
        self.pb.finish_and_clear();
    }
}

/// A callback that advances the bar to a count of finished runs.
pub fn callback(p: &Progress) -> Arc<dyn Fn(usize) + Send + Sync> {
    let p = p.clone();
    Arc::new(move |n| p.set(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiet_or_piped_bars_never_show() {
        let p = bar(10, true);
        std::thread::sleep(Duration::from_millis(5));
        for n in 0..10 {
            p.set(n);
        }
        assert!(!p.is_shown());
    }
}
