//! Policy levers as yearly schedules.

use super::kinds::FirmKind;
use super::schedule::Schedule;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Policy in force, by year.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
#[serde(rename = "Policy")]
pub struct PolicySpec {
    /// Facility investment tax credit for large firms, fraction of capex.
    pub tax_credit_large: Schedule,
    /// Facility investment tax credit for SMEs, fraction of capex.
    pub tax_credit_sme: Schedule,
    /// Extra credit rate added to every new project's rate in a year, fraction. The law grants
    /// it only on investment above the firm's previous three-year average; the model does not
    /// track that base (docs/MODEL.md, section 10).
    pub tax_credit_incremental: Schedule,
    /// Government R&D programmes by name.
    pub rnd_programmes: BTreeMap<String, RndProgramme>,
    /// Public infrastructure fund, KRW billions per year: pulls power and water additions forward.
    pub infra_fund_krw_b: Schedule,
    /// Permit timeout: the longest a permit may take, years (0 = no timeout).
    pub permit_timeout_years: Schedule,
    /// Engineers added per year by talent programmes (STEM places, foreign talent).
    pub talent_programme_engineers: Schedule,
    /// Fabless support budget (prototype and mass-production support), KRW billions per year.
    pub fabless_support_krw_b: Schedule,
    /// Support per selected project, KRW billions.
    pub support_per_project_krw_b: Schedule,
    /// Share of new mass-production capacity placed abroad ("mother factory" strategy).
    pub overseas_share: Schedule,
    /// Foreign engineers admitted per year (visas for foreign talent); they join at once.
    #[serde(default)]
    pub foreign_talent_engineers: Schedule,
    /// Share of mature-logic capex at home paid by the state (legacy-chip capacity support,
    /// e.g. a public-private mature-node foundry).
    #[serde(default)]
    pub legacy_capex_subsidy: Schedule,
    /// Share of Korean demand for mature-node chips booked at home foundries (demand
    /// matching between automakers, appliance makers and domestic foundries).
    #[serde(default)]
    pub mature_sourcing_share: Schedule,
    /// Share of technology leaks abroad prevented by protection (enforcement of the Act
    /// on Prevention of Divulgence and Protection of Industrial Technology: fines,
    /// punitive damages, screening of transfers).
    #[serde(default)]
    pub tech_protection: Schedule,
    /// A state-owned holding company that co-invests in new home fab projects.
    #[serde(default)]
    pub state_holding: StateHolding,
}

/// A state-owned holding company (the strategy's "under review" task 5; the National
/// Growth Fund's KDB tranche is its nearest real form): it pays a share of the capex of
/// eligible new home projects as equity and takes a share of their fabs' profits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StateHolding {
    /// Share of an eligible project's capex the state pays as equity (0 = none).
    pub coinvest_share: Schedule,
    /// Share of its pro-rata part of the fab's operating profit the state takes (1 =
    /// commercial terms; below 1, concessional: the firm keeps more than its share).
    pub profit_share: Schedule,
    /// Most the state commits in a year, KRW billions.
    pub budget_krw_b: Schedule,
    /// Segments whose new home projects are eligible.
    pub segments: Vec<super::kinds::Segment>,
}

impl Default for StateHolding {
    fn default() -> Self {
        Self {
            coinvest_share: Schedule::Constant(0.0),
            profit_share: Schedule::Constant(1.0),
            budget_krw_b: Schedule::Constant(0.0),
            segments: Vec::new(),
        }
    }
}

/// A government R&D programme.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RndProgramme {
    /// Budget, KRW billions per year.
    pub budget_krw_b: Schedule,
    /// Kinds of firms that receive grants.
    pub recipients: Vec<FirmKind>,
    /// Counts toward the next-generation chip R&D target (power, vehicle, AI chips).
    #[serde(default)]
    pub next_generation: bool,
}
