//! A progress bar for long ensembles, shown only on a terminal.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::Arc;

/// A progress bar over `total` runs, hidden when stderr is not a terminal or `quiet`.
pub fn bar(total: usize, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
    pb.set_style(
        ProgressStyle::with_template("{spinner} runs {pos}/{len} [{bar:30}] {per_sec} eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    pb
}

/// A callback that advances the bar to a count of finished runs.
pub fn callback(pb: &ProgressBar) -> Arc<dyn Fn(usize) + Send + Sync> {
    let pb = pb.clone();
    Arc::new(move |n| pb.set_position(n as u64))
}
