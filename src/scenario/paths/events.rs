//! Events (by position) and targets (by name).

use super::SlotMut as S;
use super::visit::Visitor;
use crate::scenario::limits::TARGET_MAX;
use crate::scenario::schema::{EventKind, Scenario};

/// `events[i].*` and `targets.<name>.*`.
pub(super) fn visit(v: &mut Visitor<'_>, s: &mut Scenario) {
    v.indexed("events", &mut s.events, |v, e| {
        v.context("event: ".into());
        v.written_in("kind", |v| match &mut e.kind {
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
            EventKind::SubsidyAbroad {
                overseas_share_add, ..
            } => v.at(
                "overseas_share_add",
                S::F64(overseas_share_add),
                "fraction",
                "Subsidies abroad: added to the overseas share of new capacity",
                -1.0,
                1.0,
            ),
            EventKind::EquipmentControl { build_slowdown } => v.at(
                "build_slowdown",
                S::F64(build_slowdown),
                "fraction of build time",
                "Equipment export control: extra build time of home projects at full import dependence",
                0.0,
                10.0,
            ),
            EventKind::CarbonBorder {
                cost_usd_per_wafer,
                market_share,
            } => {
                v.at(
                    "cost_usd_per_wafer",
                    S::F64(cost_usd_per_wafer),
                    "USD/wafer",
                    "Carbon border cost per wafer sold into the market that levies it",
                    0.0,
                    1e5,
                );
                v.at(
                    "market_share",
                    S::F64(market_share),
                    "fraction",
                    "Carbon border cost: share of home fabs' output sold into that market",
                    0.0,
                    1.0,
                );
            }
            EventKind::FriendShoring {
                disruption_cut,
                equipment_relief,
                foreign_engineers,
            } => {
                v.at(
                    "disruption_cut",
                    S::F64(disruption_cut),
                    "fraction",
                    "Friend-shoring: share by which the chance of a site disruption falls",
                    0.0,
                    1.0,
                );
                v.at(
                    "equipment_relief",
                    S::F64(equipment_relief),
                    "fraction",
                    "Friend-shoring: share of an equipment control's slowdown relieved",
                    0.0,
                    1.0,
                );
                v.at(
                    "foreign_engineers",
                    S::F64(foreign_engineers),
                    "engineers/yr",
                    "Friend-shoring: foreign engineers admitted per year beyond the policy's",
                    0.0,
                    1e7,
                );
            }
            EventKind::SiteDisruption { output_loss, .. } => v.at(
                "output_loss",
                S::F64(output_loss),
                "fraction",
                "Site disruption: share of the year's output lost at the site",
                0.0,
                1.0,
            ),
            EventKind::PledgeDelay { years, .. } => v.at(
                "years",
                S::U32(years),
                "years",
                "Pledge delay: years by which the firm's pledges not yet decided slip",
                0.0,
                100.0,
            ),
        });
        v.year("year", &mut e.year, "First year the event is in force");
    });
    v.named(
        "targets",
        &mut s.targets,
        |t| t.name.clone(),
        |v, t| {
            v.context(format!("target `{}`: ", t.name));
            v.at(
                "value",
                S::F64(&mut t.value),
                "metric unit",
                "Target value in its metric's unit",
                -TARGET_MAX,
                TARGET_MAX,
            );
            v.year(
                "year",
                &mut t.year,
                "Year by which the target should be met",
            );
        },
    );
}
