//! The checker that collects located problems, its range, distribution, year, reference
//! and uniqueness checks, and the wording they share.

use crate::error::{Problem, ScenarioError};
use crate::numbers::{allowed, for_message};
use crate::scenario::dist::Dist;
use crate::scenario::limits::YEARS;
use crate::scenario::load::{nearest, problem};
use crate::scenario::locate::{self, Node, Seg};
use crate::scenario::schedule::Schedule;

/// Most problems listed: each carries the file's text, and a file with thousands of
/// wrong values is better fixed a hundred at a time than rendered at once.
const MAX_PROBLEMS: usize = 100;

/// `base` followed by more steps.
pub(super) fn join(base: &[Seg], more: &[Seg]) -> Vec<Seg> {
    base.iter().chain(more).cloned().collect()
}

/// Collects located problems.
pub(super) struct Checker<'a> {
    text: &'a str,
    name: &'a str,
    root: Node,
    /// Each problem with where it starts in the text.
    problems: Vec<(usize, Problem)>,
    /// Problems found beyond `MAX_PROBLEMS`.
    more: usize,
}

impl<'a> Checker<'a> {
    /// A checker for the scenario file `name` whose text is `text`.
    pub(super) fn new(text: &'a str, name: &'a str) -> Self {
        Checker {
            text,
            name,
            root: locate::read(text),
            problems: Vec::new(),
            more: 0,
        }
    }

    /// Every problem found, numbered, with a last one counting those not listed.
    pub(super) fn finish(mut self) -> Result<(), ScenarioError> {
        // In file order, whichever check found them (stable: one value's problems keep
        // the order of the checks).
        self.problems.sort_by_key(|(offset, _)| *offset);
        let mut problems: Vec<Problem> = self.problems.into_iter().map(|(_, p)| p).collect();
        if self.more > 0 {
            problems.push(problem(
                self.text,
                self.name,
                0,
                1,
                format!("{} more problem(s) not listed: fix these first", self.more),
                "here",
                None,
            ));
        }
        if problems.is_empty() {
            Ok(())
        } else {
            let n = problems.len();
            for (i, p) in problems.iter_mut().enumerate() {
                p.number = Some((i + 1, n));
            }
            Err(ScenarioError::Invalid {
                path: self.name.to_owned(),
                problems,
            })
        }
    }
}

impl Checker<'_> {
    /// Records a problem at the value `path` leads to; when the value is not written in
    /// the file (a default), at the nearest enclosing value.
    pub(super) fn at(&mut self, path: &[Seg], message: String, help: Option<String>) {
        if self.problems.len() >= MAX_PROBLEMS {
            self.more += 1;
            return;
        }
        let (node, found) = self.root.find(path, self.text);
        let (offset, len, label) = if found {
            let single_line = self
                .text
                .get(node.start..node.end)
                .is_some_and(|t| !t.contains('\n'));
            if single_line && node.end > node.start {
                (node.start, node.end - node.start, "this value")
            } else {
                (node.head.0, node.head.1 - node.head.0, "here")
            }
        } else {
            let label = if path.is_empty() {
                "here"
            } else {
                "in this entry (the value is not written here: its default applies)"
            };
            (node.head.0, node.head.1.saturating_sub(node.head.0), label)
        };
        let found = problem(
            self.text,
            self.name,
            offset,
            len.max(1),
            message,
            label,
            help,
        );
        self.problems.push((offset, found));
    }

    pub(super) fn reference(
        &mut self,
        path: &[Seg],
        ctx: &str,
        what: &str,
        found: &str,
        valid: &[&str],
    ) {
        if valid.contains(&found) {
            return;
        }
        let mut unique: Vec<&str> = Vec::new();
        for v in valid {
            if !unique.contains(v) {
                unique.push(v);
            }
        }
        let valid = &unique[..];
        let help = match nearest(found, valid.iter().copied()) {
            Some(best) => format!("did you mean `{best}`?"),
            None if valid.is_empty() => format!("the scenario defines no {what}"),
            None => format!("known {what}s: {}", list(valid)),
        };
        self.at(path, format!("{ctx}no {what} named `{found}`"), Some(help));
    }

    pub(super) fn range(&mut self, path: &[Seg], ctx: &str, value: f64, lo: f64, hi: f64) {
        if value.is_finite() && value >= lo && value <= hi {
            return;
        }
        let field = field_of(path);
        let allowed = allowed(lo, hi);
        let what = if value.is_nan() {
            "not a number (NaN)".to_owned()
        } else if value.is_infinite() {
            "infinite".to_owned()
        } else {
            for_message(value)
        };
        self.at(
            path,
            format!("{ctx}`{field}` is {what}, but it must be {allowed}"),
            Some(format!("use a finite number {allowed}")),
        );
    }

    pub(super) fn year(&mut self, path: &[Seg], ctx: &str, year: i32) {
        if !YEARS.contains(&year) {
            let field = field_of(path);
            self.at(
                path,
                format!(
                    "{ctx}`{field}` is {year}, but years must lie between {} and {}",
                    YEARS.start(),
                    YEARS.end()
                ),
                None,
            );
        }
    }

    pub(super) fn dist(&mut self, path: &[Seg], ctx: &str, d: &Dist, lo: f64, hi: f64) {
        let field = field_of(path);
        if let Some(why) = d.problem() {
            self.at(
                path,
                format!("{ctx}`{field}`: {why}"),
                Some(format!("values of `{field}` must lie {}", allowed(lo, hi))),
            );
            return;
        }
        let (a, b) = d.support();
        if a < lo || b > hi {
            let shown = if d.is_uncertain() {
                format!("can take values from {a:.4} to {b:.4}")
            } else {
                format!("is {a}")
            };
            self.at(
                path,
                format!(
                    "{ctx}`{field}` {shown}, but it must be {}",
                    allowed(lo, hi)
                ),
                Some(if d.is_uncertain() {
                    format!(
                        "narrow the distribution so that every value it can take is {} (normal and log-normal: 99.8 % of draws)",
                        allowed(lo, hi)
                    )
                } else {
                    format!("use a number {}", allowed(lo, hi))
                }),
            );
        }
    }

    /// One schedule: its value, or each year's value, in `lo..=hi`, and its years valid.
    pub(super) fn schedule(&mut self, p: &[Seg], ctx: &str, sched: &Schedule, lo: f64, hi: f64) {
        for (year, v) in sched.entries() {
            let Some(y) = year else {
                self.range(p, ctx, v, lo, hi);
                continue;
            };
            self.year(&join(p, &[Seg::KeyOf(y.to_string())]), ctx, y);
            if !(v.is_finite() && v >= lo && v <= hi) {
                let field = field_of(p);
                self.at(
                    &join(p, &[Seg::K(y.to_string())]),
                    format!(
                        "{ctx}`{field}` in {y} is {}, but it must be {}",
                        for_message(v),
                        allowed(lo, hi)
                    ),
                    Some(format!("use a finite number {}", allowed(lo, hi))),
                );
            }
        }
    }

    /// Reports every name used a second time; `names` gives each name with its path.
    pub(super) fn unique(&mut self, what: &str, names: Vec<(&str, Vec<Seg>)>) {
        let mut seen: Vec<&str> = Vec::new();
        for (n, path) in names {
            if seen.contains(&n) {
                self.at(
                    &path,
                    format!("two {what}s are named `{n}`"),
                    Some(format!("give each {what} its own name")),
                );
            }
            seen.push(n);
        }
    }
}

fn field_of(path: &[Seg]) -> String {
    match path.last() {
        Some(Seg::F(f)) => (*f).to_owned(),
        Some(Seg::K(k) | Seg::KeyOf(k)) => {
            let f = path.iter().rev().find_map(|s| match s {
                Seg::F(f) => Some(*f),
                _ => None,
            });
            format!("{}[{k}]", f.unwrap_or(""))
        }
        Some(Seg::I(i)) => format!("item {}", i + 1),
        None => "value".to_owned(),
    }
}

fn list(names: &[&str]) -> String {
    if names.len() > 12 {
        format!("{}, ... ({} in all)", names[..12].join(", "), names.len())
    } else {
        names.join(", ")
    }
}
