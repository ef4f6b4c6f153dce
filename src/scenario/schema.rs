//! The scenario file as written: a serde mirror of the RON text, checked only for
//! shape here. `validate` turns it into a scenario the model trusts.

use super::dist::Dist;
use super::kinds::{Comparison, FirmKind, FirmSize, Segment, SiteKind};
use super::market::MarketSpec;
use super::params::ModelParams;
use super::policy::PolicySpec;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

fn default_seed() -> u64 {
    42
}
fn default_runs() -> usize {
    1000
}

/// A whole scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Short name; outputs go to `output/<name>/`.
    pub name: String,
    /// What the scenario represents.
    #[serde(default)]
    pub description: String,
    /// First simulated year (the state in the file is the start of this year).
    pub start_year: i32,
    /// Last simulated year, inclusive.
    pub end_year: i32,
    /// Ensemble seed: run r uses stream r of this seed.
    #[serde(default = "default_seed")]
    pub seed: u64,
    /// Runs when `--runs` is not given.
    #[serde(default = "default_runs")]
    pub runs: usize,
    /// Most firms that may be located in the new cluster's sites (`in_cluster: true`).
    pub entity_cap: u32,
    /// Sites.
    pub sites: Vec<SiteSpec>,
    /// Links between sites.
    #[serde(default)]
    pub links: Vec<LinkSpec>,
    /// Named firms.
    #[serde(default)]
    pub firms: Vec<FirmSpec>,
    /// Generated groups of similar firms.
    #[serde(default)]
    pub groups: Vec<GroupSpec>,
    /// Publicly announced fab projects.
    #[serde(default)]
    pub pledges: Vec<PledgeSpec>,
    /// Public R&D hubs.
    #[serde(default)]
    pub rnd_hubs: Vec<HubSpec>,
    /// The world market by segment.
    pub market: MarketSpec,
    /// Policy schedules.
    #[serde(default)]
    pub policy: PolicySpec,
    /// Scheduled events.
    #[serde(default)]
    pub events: Vec<EventSpec>,
    /// Targets whose probability is reported.
    #[serde(default)]
    pub targets: Vec<TargetSpec>,
    /// Model coefficients; every one has a default.
    #[serde(default)]
    pub model: ModelParams,
}

/// A site: an existing complex, the new cluster's complexes, a fabless valley.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Site")]
pub struct SiteSpec {
    /// Unique name.
    pub name: String,
    /// Kind of site.
    pub kind: SiteKind,
    /// km east of Seoul City Hall.
    pub x_km: f64,
    /// km north of Seoul City Hall (negative = south).
    pub y_km: f64,
    /// Part of the new mega-cluster whose targets are counted.
    #[serde(default)]
    pub in_cluster: bool,
    /// Land still available for new fabs and firms, hectares.
    #[serde(default)]
    pub land_ha: f64,
    /// Grid power available at the start, MW: at least what the site's fabs draw then.
    #[serde(default)]
    pub power_mw: f64,
    /// Scheduled power additions.
    #[serde(default)]
    pub power_additions: Vec<Addition>,
    /// Industrial water available at the start, thousand tonnes per day: at least what
    /// the site's fabs draw then.
    #[serde(default)]
    pub water_ktd: f64,
    /// Scheduled water additions.
    #[serde(default)]
    pub water_additions: Vec<Addition>,
    /// Semiconductor engineers living within reach at the start.
    #[serde(default)]
    pub talent_engineers: f64,
    /// Yearly growth of the local engineer pool (fraction per year).
    #[serde(default)]
    pub talent_growth: Dist,
    /// Extra investment tax credit at this site (opportunity zones), fraction of capex.
    #[serde(default)]
    pub extra_tax_credit: f64,
    /// Pull of an MPE complex on suppliers: MPE entrants to the cluster choose this site
    /// with weight 1 + this; a supplier at a site without a pull moves with a yearly chance
    /// `mpe.relocation_rate` × the sum of all sites' pulls (at most 1), to a site chosen in
    /// proportion to its pull.
    #[serde(default)]
    pub mpe_incentive: f64,
    /// Share of a project's permit delay waived at this site (fast-track permits of a
    /// national or specialised complex).
    #[serde(default)]
    pub permit_speedup: f64,
    /// Share of the land price waived at this site (complex land sold below market or
    /// leased at a discount), paid by the state: on a new project here, this × its land
    /// (`investment.land_ha_per_kwpm` × kwpm) × `investment.land_price_krw_b_per_ha`, as
    /// a share of its capex; a pull on MPE suppliers of `mpe.land_pull` × this.
    #[serde(default)]
    pub land_discount: f64,
}

/// A scheduled infrastructure addition (power in MW or water in kt/day).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Addition {
    /// Planned year in service.
    pub year: i32,
    /// Amount added (MW or kt/day).
    pub amount: f64,
    /// Random delay in years beyond the plan, drawn once per run (before permit timeout).
    #[serde(default)]
    pub delay_years: Dist,
    /// Public cost, KRW billions, booked to the state in the year the addition comes into
    /// service.
    #[serde(default)]
    pub public_cost_krw_b: f64,
}

/// A link between two sites, carrying spillovers, supply and commuting talent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Link")]
pub struct LinkSpec {
    /// One site's name.
    pub a: String,
    /// The other site's name.
    pub b: String,
    /// Road distance in km; the straight-line distance between positions when omitted.
    #[serde(default)]
    pub distance_km: Option<f64>,
}

/// An existing wafer fab or packaging line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Fab")]
pub struct FabSpec {
    /// Site name.
    pub site: String,
    /// Segment.
    pub segment: Segment,
    /// Capacity, thousand wafers per month.
    pub kwpm: f64,
    /// Last year it runs (a planned closure); it runs to the end when omitted.
    #[serde(default)]
    pub until: Option<i32>,
}

/// A plant a firm runs abroad (e.g. Samsung Xi'an, SK hynix Wuxi): its output and sales
/// count for the firm and for Korean firms' world shares, not for production at home.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Plant")]
pub struct PlantSpec {
    /// Plant name, e.g. "Xi'an".
    pub name: String,
    /// Country, e.g. "China" (export controls abroad may name it).
    #[serde(default)]
    pub country: String,
    /// Segment.
    pub segment: Segment,
    /// Capacity, thousand wafers per month.
    pub kwpm: f64,
}

/// A named firm at its 2023 state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Firm")]
pub struct FirmSpec {
    /// Unique name.
    pub name: String,
    /// What it does.
    pub kind: FirmKind,
    /// Headquarters / main site.
    pub site: String,
    /// Size class for the tax credit.
    #[serde(default)]
    pub size: FirmSize,
    /// Sales in the start year, KRW billions (manufacturers: recomputed from fabs each year).
    pub revenue_krw_b: f64,
    /// Cash at the start, KRW billions.
    #[serde(default)]
    pub cash_krw_b: f64,
    /// Debt at the start, KRW billions.
    #[serde(default)]
    pub debt_krw_b: f64,
    /// Operating margin at normal prices (fraction of sales); kind default when omitted.
    #[serde(default)]
    pub operating_margin: Option<f64>,
    /// Technology level relative to the world frontier (1 = at the frontier).
    #[serde(default = "default_tech")]
    pub tech_level: f64,
    /// Share of sales exposed to AI-chip demand (fabless and design houses).
    #[serde(default)]
    pub ai_exposure: f64,
    /// Share of its logic sales that is the value of its own chip designs above the
    /// wafer (an integrated maker's own processors, image sensors, display drivers):
    /// in its sales, not in foundry sales as market trackers count them.
    #[serde(default)]
    pub design_value_share: f64,
    /// Fabs and lines it runs at home at the start.
    #[serde(default)]
    pub fabs: Vec<FabSpec>,
    /// Plants it runs abroad at the start.
    #[serde(default)]
    pub plants_abroad: Vec<PlantSpec>,
    /// Sites where it may build new fabs on its own initiative (beyond pledges), in order of preference.
    #[serde(default)]
    pub expansion_sites: Vec<String>,
    /// Receives government prototype / mass-production support (a "star fabless").
    #[serde(default)]
    pub supported: bool,
}

fn default_tech() -> f64 {
    1.0
}

/// A group of similar firms drawn from distributions (e.g. 120 Pangyo fabless start-ups).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Group")]
pub struct GroupSpec {
    /// Unique name; firms are called `<name> #<i>`.
    pub name: String,
    /// Kind of every firm in the group.
    pub kind: FirmKind,
    /// How many firms at the start.
    pub count: u32,
    /// Share of the group at each site (weights, normalised).
    pub sites: BTreeMap<String, f64>,
    /// Size class.
    #[serde(default)]
    pub size: FirmSize,
    /// Start-year sales of each firm, KRW billions.
    pub revenue_krw_b: Dist,
    /// Operating margin; kind default when omitted.
    #[serde(default)]
    pub operating_margin: Option<Dist>,
    /// Technology level relative to the frontier.
    #[serde(default = "default_tech_dist")]
    pub tech_level: Dist,
    /// Share of sales exposed to AI-chip demand.
    #[serde(default)]
    pub ai_exposure: Dist,
    /// Share of the group's firms selected for government support.
    #[serde(default)]
    pub supported_share: f64,
}

fn default_tech_dist() -> Dist {
    Dist::Value(0.8)
}

/// A publicly announced fab project (a pledge) and what it promised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Pledge")]
pub struct PledgeSpec {
    /// Label, e.g. "Samsung Yongin fab 1".
    pub name: String,
    /// The firm that pledged.
    pub firm: String,
    /// Where.
    pub site: String,
    /// Segment.
    pub segment: Segment,
    /// Pledged capacity, thousand wafers per month.
    pub kwpm: f64,
    /// Pledged investment, KRW billions.
    pub capex_krw_b: f64,
    /// Planned construction start.
    pub start_year: i32,
    /// Planned first production.
    pub finish_year: i32,
    /// A "mother fab" that stays at home whatever the overseas share; otherwise the
    /// overseas share of its capacity is built abroad instead (unless it was under way
    /// before the first simulated year).
    #[serde(default)]
    pub mother_fab: bool,
}

/// A public R&D hub (the "Korean IMEC").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Hub")]
pub struct HubSpec {
    /// Name.
    pub name: String,
    /// Site.
    pub site: String,
    /// R&D programme (key of `policy.rnd_programmes`) that funds it.
    pub programme: String,
    /// Share of that programme's budget the hub receives.
    #[serde(default = "default_hub_share")]
    pub share: f64,
}

fn default_hub_share() -> f64 {
    0.3
}

/// A scheduled event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Event")]
pub struct EventSpec {
    /// First year in force.
    pub year: i32,
    /// Last year in force (inclusive); the first year only when omitted.
    #[serde(default)]
    pub until: Option<i32>,
    /// What happens.
    pub kind: EventKind,
}

/// Kinds of scheduled events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum EventKind {
    /// Export controls: the cluster's sales in a segment are cut by `sales_loss` (fraction).
    ExportControl {
        /// Segment affected.
        segment: Segment,
        /// Fraction of the cluster's sales in it lost.
        sales_loss: f64,
    },
    /// World demand in a segment multiplied by `factor`.
    DemandShock {
        /// Segment affected.
        segment: Segment,
        /// Multiplier on world demand.
        factor: f64,
    },
    /// Subsidies abroad (the US CHIPS Act kind) pull more new mass-production capacity
    /// overseas: in every segment, or in one.
    SubsidyAbroad {
        /// Added to the overseas share of new capacity.
        overseas_share_add: f64,
        /// The segment whose capacity it pulls; every segment when omitted.
        #[serde(default)]
        segment: Option<Segment>,
    },
    /// Export controls on equipment imports: home projects started while it is in force
    /// take longer to build, in proportion to the share of tools and materials imported
    /// (1 - MPE localisation).
    EquipmentControl {
        /// Extra build time as a share of the normal build time, at full import
        /// dependence (0.5: a 3-year build takes 4.5 years with every tool imported).
        build_slowdown: f64,
    },
    /// A carbon border cost (an EU CBAM extended to chips) on the exports of home fabs
    /// to a share of the world market: a cost per wafer that lowers margins at home,
    /// not abroad.
    CarbonBorder {
        /// Cost per wafer sold into the market that levies it, USD.
        cost_usd_per_wafer: f64,
        /// Share of home fabs' output sold into that market.
        market_share: f64,
    },
    /// A friend-shoring partnership (IPEF supply-chain agreement, Minerals Security
    /// Partnership): fewer supply disruptions, easier access to foreign tools and talent.
    FriendShoring {
        /// Share by which the chance of a site disruption falls.
        disruption_cut: f64,
        /// Share of any equipment export control's slowdown it relieves.
        equipment_relief: f64,
        /// Foreign engineers admitted per year beyond the policy's.
        foreign_engineers: f64,
    },
    /// Part of a site's capacity lost (outage, drought, earthquake).
    SiteDisruption {
        /// Site name.
        site: String,
        /// Fraction of the year's output lost at the site.
        output_loss: f64,
    },
    /// A firm's pledged projects slip.
    PledgeDelay {
        /// Firm name.
        firm: String,
        /// Years of slip.
        years: u32,
    },
}

/// A target whose probability is reported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename = "Target")]
pub struct TargetSpec {
    /// Name shown in tables.
    pub name: String,
    /// Metric name (see the metric list in `scenarios/README.md`).
    pub metric: String,
    /// `AtLeast` or `AtMost`.
    pub comparison: Comparison,
    /// Value in the metric's unit.
    pub value: f64,
    /// Year by which it should be met.
    pub year: i32,
}

impl Scenario {
    /// Number of simulated years.
    pub fn n_years(&self) -> usize {
        (self.end_year - self.start_year + 1).max(0) as usize
    }

    /// Index of a site by name.
    pub fn site_index(&self, name: &str) -> Option<usize> {
        self.sites.iter().position(|s| s.name == name)
    }

    /// Index of a named firm.
    pub fn firm_index(&self, name: &str) -> Option<usize> {
        self.firms.iter().position(|f| f.name == name)
    }

    /// Firms in the new cluster at the start: named firms headquartered there or with a fab
    /// there, and the expected members of groups placed there.
    pub fn starting_cluster_firms(&self) -> usize {
        let in_cluster = |name: &str| self.sites.iter().any(|x| x.name == name && x.in_cluster);
        let named = self
            .firms
            .iter()
            .filter(|f| in_cluster(&f.site) || f.fabs.iter().any(|fab| in_cluster(&fab.site)))
            .count();
        let grouped: f64 = self
            .groups
            .iter()
            .map(|g| {
                let total: f64 = g.sites.values().sum();
                let there: f64 = g
                    .sites
                    .iter()
                    .filter(|(k, _)| in_cluster(k))
                    .map(|(_, w)| *w)
                    .sum();
                if total > 0.0 {
                    f64::from(g.count) * there / total
                } else {
                    0.0
                }
            })
            .sum();
        named + grouped.ceil() as usize
    }
}
