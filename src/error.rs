//! Typed errors. Only `main` prints them and picks the exit code.

use miette::{Diagnostic, NamedSource, SourceSpan};
use std::path::PathBuf;

/// One problem in a scenario file, located in its text.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct Problem {
    /// What is wrong.
    pub message: String,
    /// How to fix it, when a fix is likely.
    pub help: Option<String>,
    /// The file's text.
    pub src: NamedSource<String>,
    /// Where.
    pub span: SourceSpan,
    /// Short text under the marker.
    pub label: String,
    /// 1-based line and column of `span`, for plain one-line messages.
    pub line_col: (usize, usize),
    /// "problem i of n" when it is one of several.
    pub number: Option<(usize, usize)>,
}

impl Diagnostic for Problem {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.number
            .map(|(i, n)| Box::new(format!("problem {i} of {n}")) as Box<dyn std::fmt::Display>)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.src)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(
            miette::LabeledSpan::new_with_span(Some(self.label.clone()), self.span),
        )))
    }
}

/// Errors from reading and checking a scenario.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum ScenarioError {
    /// The file could not be read.
    #[error("cannot read scenario file `{}`: {reason}", path.display())]
    #[diagnostic(help(
        "check the path; scenarios ship in `scenarios/`, e.g. scenarios/baseline.ron"
    ))]
    Io {
        /// The path given.
        path: PathBuf,
        /// Why (not a `source`: the message already says it, once).
        reason: std::io::Error,
    },
    /// The text is not a valid scenario (syntax, unknown field, wrong type). Reading
    /// stops at the first such problem, so there is exactly one.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Syntax(Box<Problem>),
    /// The scenario parsed but some values are impossible or refer to nothing.
    #[error("{path}: {} problem(s) in the scenario (the first at line {}, column {}: {})", problems.len(), problems[0].line_col.0, problems[0].line_col.1, problems[0].message)]
    #[diagnostic(help("fix each problem listed below, then run `megacluster check {path}` again"))]
    Invalid {
        /// The file.
        path: String,
        /// Every problem found.
        #[related]
        problems: Vec<Problem>,
    },
}

/// Errors from running a command.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum RunError {
    /// The scenario is wrong.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Scenario(#[from] ScenarioError),
    /// A command-line value is wrong.
    #[error("{0}")]
    Usage(String),
    /// A run produced a value that is not a finite number.
    #[error(
        "run {run} (seed {seed}) produced a non-finite value for `{metric}` in {year}; this is a model bug or an extreme parameter: please report it with the scenario"
    )]
    NonFinite {
        /// Run index.
        run: usize,
        /// Scenario seed.
        seed: u64,
        /// Year.
        year: i32,
        /// Metric name.
        metric: String,
    },
    /// A run produced a value beyond what the ensemble aggregates exactly.
    #[error(
        "run {run} (seed {seed}) produced {value:.3e} for `{metric}` in {year}, beyond ±{limit:.0e}, the largest magnitude the engine aggregates exactly; an input drives the model past meaningful values: check the scenario's values and --set overrides"
    )]
    OutOfRange {
        /// Run index.
        run: usize,
        /// Scenario seed.
        seed: u64,
        /// Year.
        year: i32,
        /// Metric name.
        metric: String,
        /// The value.
        value: f64,
        /// The largest magnitude allowed ([`crate::sim::sketch::EXACT_MAX`]).
        limit: f64,
    },
    /// An input other than a scenario file (a run folder given to `compare`) cannot be
    /// read or does not fit the others.
    #[error("`{path}`: {message}")]
    #[diagnostic(code(input))]
    Input {
        /// The file or folder.
        path: PathBuf,
        /// What is wrong and what to do.
        message: String,
    },
    /// A check the user asked for (`levers --check`) found what it looks for: the
    /// command ran, and its answer is no (exit code 1, not a usage mistake's 2).
    #[error("{0}")]
    CheckFailed(String),
    /// Writing outputs failed.
    #[error("cannot write `{path}`: {message}")]
    Output {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        message: String,
    },
}

/// Renders a diagnostic as text (no colours) for terminals, logs and tests.
pub fn render(diagnostic: &dyn Diagnostic, colour: bool) -> String {
    let theme = if colour {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    };
    let handler = miette::GraphicalReportHandler::new_themed(theme).with_width(100);
    let mut out = String::new();
    if handler.render_report(&mut out, diagnostic).is_err() {
        out = diagnostic.to_string();
    }
    out
}
