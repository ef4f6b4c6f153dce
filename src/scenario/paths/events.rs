//! Events (by position) and targets (by name).

use super::SlotMut as S;
use super::visit::Visitor;
use crate::scenario::limits::TARGET_MAX;
use crate::scenario::schema::{EventKind, Scenario};

/// `events[i].*` and `targets.<name>.*`.
pub(super) fn visit(v: &mut Visitor<'_>, s: &mut Scenario) {
    v.indexed("events", &mut s.events, |v, e| {
        match &mut e.kind {
            EventKind::ExportControl { sales_loss, .. } => v.at(
                "sales_loss",
                S::F64(sales_loss),
                "fraction",
                "Export control: share of the cluster's sales in the segment lost",
                0.0,
                1.0,
            ),
            EventKind::DemandShock { factor, .. } => v.at(
                "factor",
                S::F64(factor),
                "multiplier",
                "Demand shock: multiplier on world demand in the segment",
                0.0,
                100.0,
            ),
            EventKind::SubsidyAbroad { overseas_share_add } => v.at(
                "overseas_share_add",
                S::F64(overseas_share_add),
                "fraction",
                "Subsidies abroad: added to the overseas share of new capacity",
                -1.0,
                1.0,
            ),
            EventKind::SiteDisruption { output_loss, .. } => v.at(
                "output_loss",
                S::F64(output_loss),
                "fraction",
                "Site disruption: share of the year's output lost at the site",
                0.0,
                1.0,
            ),
            EventKind::PledgeDelay { .. } => {}
        }
        v.at(
            "year",
            S::I32(&mut e.year),
            "year",
            "First year the event is in force",
            1950.0,
            2200.0,
        );
    });
    v.named(
        "targets",
        &mut s.targets,
        |t| t.name.clone(),
        |v, t| {
            v.at(
                "value",
                S::F64(&mut t.value),
                "metric unit",
                "Target value in its metric's unit",
                -TARGET_MAX,
                TARGET_MAX,
            );
            v.at(
                "year",
                S::I32(&mut t.year),
                "year",
                "Year by which the target should be met",
                1950.0,
                2200.0,
            );
        },
    );
}
