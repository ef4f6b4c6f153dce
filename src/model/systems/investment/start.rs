//! Starting a project: build time, permit delay, export-control slowdown, and the
//! credit, subsidy, land and state-equity shares it is spawned with.

use super::economics::{credit_rate, land_rate, state_rate, subsidy_rate};
use crate::model::components::*;
use crate::model::resources::*;
use crate::scenario::{FirmSize, Scenario, Segment};
use bevy_ecs::prelude::*;

/// How a project starts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Start {
    /// A new fab or module: build time plus permit delay.
    New,
    /// A pledge already under way at the start: ready in its planned finish year, with
    /// the share of its capex spent before the first simulated year already paid.
    UnderWay {
        /// Planned finish year.
        finish: i32,
        /// Share of the capex spent before the first simulated year (0..=1, bounded
        /// where the pledge is decided).
        spent: f64,
    },
    /// A memory line converted to mature logic: half the build time, no permit.
    Conversion,
}

pub(super) struct Ctx<'a> {
    pub(super) s: &'a Scenario,
    pub(super) drawn: &'a Drawn,
    pub(super) policy: &'a PolicyNow,
    pub(super) year: i32,
}

impl Ctx<'_> {
    pub(super) fn start(
        &self,
        commands: &mut Commands,
        rng: &mut RunRng,
        ledger: &mut Ledger,
        firm: Entity,
        size: FirmSize,
        seg: Segment,
        site: Option<usize>,
        kwpm: f64,
        capex: f64,
        pledge: Option<usize>,
        how: Start,
    ) {
        let mut build = self.drawn.segments[seg.index()].build_years;
        let conversion = how == Start::Conversion;
        let mut permit = self
            .s
            .model
            .construction
            .permit_delay_years
            .draw(&mut rng.0)
            .max(0.0);
        if conversion {
            // A line converted inside a running fab: no new permit, half the build time.
            build *= 0.5;
            permit = 0.0;
        }
        if let Some(i) = site {
            // Fast-track permits of a national or specialised complex.
            permit *= 1.0 - self.s.sites[i].permit_speedup.clamp(0.0, 1.0);
        }
        if site.is_none() {
            permit = 0.0;
        } else if self.policy.permit_timeout > 0.0 {
            permit = permit.min(self.policy.permit_timeout);
        }
        if site.is_some()
            && !conversion
            && !matches!(how, Start::UnderWay { .. })
            && self.policy.equipment_slowdown > 0.0
        {
            // Export controls on tools: imported equipment arrives late.
            let extra = build * self.policy.equipment_slowdown;
            ledger.equipment_delay_years += extra;
            build += extra;
        }
        let mut paid = 0.0;
        if let Start::UnderWay { finish, spent } = how {
            // What was spent before the first simulated year is not paid again (nor
            // counted in the run's investment or tax credits).
            paid = capex * spent;
            // Permitted and building before the first simulated year: it keeps its date.
            permit = 0.0;
            build = f64::from((finish - self.year).max(1));
        }
        ledger.permit_delay_years += permit;
        let extra = site.map_or(0.0, |i| self.s.sites[i].extra_tax_credit);
        // The state holding company co-invests in eligible new home projects while its
        // yearly budget lasts.
        let mut state_rate = match how {
            Start::UnderWay { .. } => 0.0,
            _ => state_rate(seg, site, self.s, self.policy),
        };
        if state_rate > 0.0 {
            if ledger.state_committed_now + state_rate * capex > self.policy.state_budget {
                state_rate = 0.0;
            } else {
                ledger.state_committed_now += state_rate * capex;
            }
        }
        commands.spawn(Project {
            firm,
            site,
            segment: seg,
            kwpm,
            capex,
            paid,
            start_year: self.year,
            ready_year: self.year + (build + permit).round().max(1.0) as i32,
            waited: 0,
            credit_rate: if site.is_some() {
                credit_rate(size, self.policy, extra)
            } else {
                0.0
            },
            pledge,
            subsidy_rate: subsidy_rate(seg, site, self.policy),
            land_rate: match (how, site) {
                (Start::New, Some(i)) => land_rate(&self.s.sites[i], &self.drawn.p, kwpm, capex),
                _ => 0.0,
            },
            state_rate,
            state_take: state_rate * self.policy.state_profit_share,
        });
    }
}
