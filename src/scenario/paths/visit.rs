//! The visitor every section walks its values with, and the order of the sections.
//!
//! Besides each value's dotted path, the visitor keeps where the value is written in the
//! file (a [`Seg`] path for the locator: list entries by position, map entries by key)
//! and the context a message about it starts with (``site `Pangyo`: ``), so that file
//! validation can check every value against the range declared here, once.

use super::{Meta, SlotMut};
use crate::scenario::limits::YEARS;
use crate::scenario::locate::Seg;
use crate::scenario::schema::Scenario;

/// Walks values, keeping the path of the entry being visited.
pub(super) struct Visitor<'f> {
    f: &'f mut dyn FnMut(&Meta, SlotMut<'_>),
    prefix: Vec<String>,
    loc: Vec<Seg>,
    context: String,
}

impl Visitor<'_> {
    /// A value drawn (if a distribution) once per run, at `field` below the current path.
    pub(super) fn at(
        &mut self,
        field: &'static str,
        slot: SlotMut<'_>,
        unit: &'static str,
        description: &'static str,
        lo: f64,
        hi: f64,
    ) {
        self.leaf(field, slot, unit, description, (lo, hi), true);
    }

    /// A year at `field` below the current path (any year a scenario may name).
    pub(super) fn year(&mut self, field: &'static str, slot: &mut i32, description: &'static str) {
        let (lo, hi) = (f64::from(*YEARS.start()), f64::from(*YEARS.end()));
        self.at(field, SlotMut::I32(slot), "year", description, lo, hi);
    }

    /// A value at `field` below the current path; `per_run` is false for distributions
    /// drawn per firm.
    pub(super) fn leaf(
        &mut self,
        field: &'static str,
        slot: SlotMut<'_>,
        unit: &'static str,
        description: &'static str,
        range: (f64, f64),
        per_run: bool,
    ) {
        let doc = (unit, description);
        self.emit(field, Seg::F(field), slot, doc, range, per_run);
    }

    /// A value of a map entry below the current path, by its key (a group's site weights).
    pub(super) fn entry(
        &mut self,
        key: &str,
        slot: SlotMut<'_>,
        unit: &'static str,
        description: &'static str,
        lo: f64,
        hi: f64,
    ) {
        let seg = Seg::K(key.to_owned());
        self.emit(key, seg, slot, (unit, description), (lo, hi), true);
    }

    /// Calls the visitor's function; `doc` is the unit and the meaning.
    fn emit(
        &mut self,
        name: &str,
        seg: Seg,
        slot: SlotMut<'_>,
        (unit, description): (&'static str, &'static str),
        range: (f64, f64),
        per_run: bool,
    ) {
        let mut segs = self.prefix.clone();
        segs.push(name.to_owned());
        let mut loc = self.loc.clone();
        loc.push(seg);
        let meta = Meta {
            segs,
            loc,
            context: self.context.clone(),
            unit,
            description,
            range,
            per_run,
        };
        (self.f)(&meta, slot);
    }

    /// Sets what messages about the values visited next start with, until the enclosing
    /// [`within`](Self::within) or entry ends.
    pub(super) fn context(&mut self, context: String) {
        self.context = context;
    }

    /// Visits below the field `field` of the current value.
    pub(super) fn within(&mut self, field: &'static str, f: impl FnOnce(&mut Self)) {
        self.below(field, Seg::F(field), f);
    }

    /// Visits with the path segment `name` added, written in the file at `seg`.
    fn below(&mut self, name: &str, seg: Seg, f: impl FnOnce(&mut Self)) {
        let depth = (self.prefix.len(), self.loc.len());
        let context = self.context.clone();
        self.prefix.push(name.to_owned());
        self.loc.push(seg);
        f(self);
        self.prefix.truncate(depth.0);
        self.loc.truncate(depth.1);
        self.context = context;
    }

    /// Visits each entry of a list section, below `section.<name>`: the one helper of
    /// every named list (sites, firms, groups, ...) and, named by position, of every
    /// unnamed one (additions, fabs, events).
    pub(super) fn named<T>(
        &mut self,
        section: &'static str,
        entries: impl IntoIterator<Item = T>,
        name: impl Fn(&T) -> String,
        mut each: impl FnMut(&mut Self, T),
    ) {
        self.within(section, |v| {
            for (i, e) in entries.into_iter().enumerate() {
                v.below(&name(&e), Seg::I(i), |v| each(v, e));
            }
        });
    }

    /// Visits below the map entry `key` of the current value (a market segment, an R&D
    /// programme).
    pub(super) fn key(&mut self, key: &str, f: impl FnOnce(&mut Self)) {
        self.below(key, Seg::K(key.to_owned()), f);
    }

    /// Visits values the file writes inside the field `field` (an event's `kind`) but
    /// whose paths leave it out.
    pub(super) fn written_in(&mut self, field: &'static str, f: impl FnOnce(&mut Self)) {
        self.loc.push(Seg::F(field));
        f(self);
        self.loc.pop();
    }

    /// [`named`](Self::named) with entries named by their position.
    pub(super) fn indexed<T>(
        &mut self,
        section: &'static str,
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
        loc: Vec::new(),
        context: String::new(),
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
