//! The visitor every section walks its values with, and the order of the sections.

use super::{Meta, SlotMut};
use crate::scenario::schema::Scenario;

/// Walks values, keeping the path of the entry being visited.
pub(super) struct Visitor<'f> {
    f: &'f mut dyn FnMut(&Meta, SlotMut<'_>),
    prefix: Vec<String>,
}

impl Visitor<'_> {
    /// A value drawn (if a distribution) once per run, at `field` below the current path.
    pub(super) fn at(
        &mut self,
        field: &str,
        slot: SlotMut<'_>,
        unit: &'static str,
        description: &'static str,
        lo: f64,
        hi: f64,
    ) {
        self.leaf(field, slot, unit, description, (lo, hi), true);
    }

    /// A value at `field` below the current path; `per_run` is false for distributions
    /// drawn per firm.
    pub(super) fn leaf(
        &mut self,
        field: &str,
        slot: SlotMut<'_>,
        unit: &'static str,
        description: &'static str,
        range: (f64, f64),
        per_run: bool,
    ) {
        let mut segs = self.prefix.clone();
        segs.push(field.to_owned());
        let meta = Meta {
            segs,
            unit,
            description,
            range,
            per_run,
        };
        (self.f)(&meta, slot);
    }

    /// Visits with `segs` added to the current path.
    pub(super) fn within(&mut self, segs: &[&str], f: impl FnOnce(&mut Self)) {
        let depth = self.prefix.len();
        self.prefix.extend(segs.iter().map(|s| (*s).to_owned()));
        f(self);
        self.prefix.truncate(depth);
    }

    /// Visits each entry of a list section, below `section.<name>`: the one helper of
    /// every named list (sites, firms, groups, ...) and, named by position, of every
    /// unnamed one (additions, fabs, events).
    pub(super) fn named<T>(
        &mut self,
        section: &str,
        entries: impl IntoIterator<Item = T>,
        name: impl Fn(&T) -> String,
        mut each: impl FnMut(&mut Self, T),
    ) {
        for e in entries {
            let n = name(&e);
            self.within(&[section, &n], |v| each(v, e));
        }
    }

    /// [`named`](Self::named) with entries named by their position.
    pub(super) fn indexed<T>(
        &mut self,
        section: &str,
        entries: impl IntoIterator<Item = T>,
        mut each: impl FnMut(&mut Self, T),
    ) {
        let entries = entries.into_iter().enumerate();
        self.named(
            section,
            entries,
            |(i, _)| i.to_string(),
            |v, (_, e)| each(v, e),
        );
    }
}

/// Visits every parameter of `s` with its metadata, in a fixed order.
pub fn visit(s: &mut Scenario, f: &mut dyn FnMut(&Meta, SlotMut<'_>)) {
    let mut v = Visitor {
        f,
        prefix: Vec::new(),
    };
    v.at(
        "entity_cap",
        SlotMut::U32(&mut s.entity_cap),
        "entities",
        "Most firms that may be located in the new cluster's sites",
        0.0,
        1e9,
    );
    super::sites::visit(&mut v, s);
    super::firms::visit(&mut v, s);
    super::market::visit(&mut v, &mut s.market);
    super::policy::visit(&mut v, &mut s.policy);
    super::events::visit(&mut v, s);
    super::model::visit(&mut v, s);
}
