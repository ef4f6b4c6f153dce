//! Model coefficients, by phase. Every one is a scenario parameter with a default;
//! any may be given as a distribution drawn once per run. Sources are named in the
//! descriptions; `assumption` marks values no published figure supports.

use crate::params;

params! {
    /// Market clearing (phase 1).
    MarketParams => Market {
        price_floor: 0.35, [0.0, 1.0], "index", "Lowest price index (prices fell 50-60 % in downturns: industry analysts via facts.md)";
        price_cap: 2.5, [1.0, 10.0], "index", "Highest price index (assumption)";
        target_utilisation: 0.9, [0.3, 1.0], "fraction", "Utilisation at which prices are normal and capacity is planned (assumption)";
        competitiveness_exponent: 1.0, [0.0, 5.0], "-", "How strongly utilisation follows a firm's technology level relative to the world (assumption)";
        ai_growth_decay_years: 6.0, [0.1, 100.0], "years", "AI-demand growth falls back towards the advanced-logic trend with this e-folding time (assumption; accelerators 38 % CAGR for 5 years: Dell'Oro 2024)";
        expected_price_weight: 0.3, [0.0, 1.0], "fraction", "Weight of today's price in the price firms expect over a fab's life; the rest is the normal price 1 (assumption)";
        competitiveness_cap: 1.2, [1.0, 5.0], "-", "Highest multiple of its capacity share a firm expects to sell (technology leaders win share, up to this; assumption)";
        rest_of_world_cut_share: 0.5, [0.0, 1.0], "fraction", "Share of a segment's `rest_of_world_response` that applies when the rest of the world has more capacity than the trend needs: it closes lines more slowly than it builds them (assumption)";
        tech_shock_sd: 0.02, [0.0, 0.5], "1/yr", "Yearly random change of each chip maker's technology level (execution: yields, node timing; Samsung's 3 nm yields, SK hynix's HBM lead; assumption)";
    }
}

params! {
    /// Investment decisions (phase 4).
    InvestmentParams => Investment {
        discount_rate: 0.10, [0.0, 0.5], "fraction/yr", "Discount rate in fab NPV (assumption; typical semiconductor WACC 8-12 %)";
        fab_life_years: 15.0, [1.0, 40.0], "years", "Years of operation valued in the NPV (fabs run 20-30 years; tools are renewed by the upgrade capex the NPV also counts; assumption)";
        leverage_limit: 1.0, [0.0, 10.0], "debt/sales", "Most debt a firm carries, as a multiple of yearly sales (assumption)";
        interest_rate: 0.045, [0.0, 0.3], "fraction/yr", "Interest on debt (assumption)";
        upfront_share: 0.3, [0.0, 1.0], "fraction", "Share of a project's capex that must be financeable when it starts (assumption)";
        max_modules_per_year: 4.0, [0.0, 50.0], "modules", "Most new modules a firm starts per segment per year beyond pledges (assumption)";
        pledge_min_price: 0.7, [0.0, 3.0], "index", "A pledge due this year slips when the segment's price index is below this (assumption)";
        pledge_max_slips: 3.0, [0.0, 20.0], "years", "Slips after which a pledge is shrunk (assumption)";
        pledge_shrink: 0.5, [0.0, 1.0], "fraction", "Share of a pledge kept when it is shrunk after its last slip or for lack of finance (assumption)";
        land_ha_per_kwpm: 0.45, [0.0, 100.0], "ha per kwpm", "Land a fab needs per thousand wafers/month (Yongin: 710 ha for ~6 fabs of ~250 kwpm; D)";
        land_price_krw_b_per_ha: 15.0, [0.0, 1000.0], "KRW B per ha", "Price of industrial land before a site's `land_discount` (assumption: ~KRW 1.5M per m², the order of industrial land in southern Gyeonggi; facts.md has no land price). Only discounts use it: capex per kwpm already includes land";
        rnd_intensity: 0.12, [0.0, 1.0], "fraction of sales", "Firms' own R&D spending (10-15 % of sales: Flamm, NAP 2004)";
        capex_factor: 1.0, [0.3, 3.0], "-", "Multiplier on every segment's capex per kwpm, drawn once per run (cost overruns: Samsung Taylor USD 17B -> > 25B, Reuters 2023-03-16)";
        conversion_capex_share: 0.3, [0.0, 1.0], "fraction of new-fab capex", "Capex to convert a module of idle memory capacity to mature logic, as a share of a new mature-logic module (conversions of old DRAM lines to image sensors and logic; assumption)";
        headroom_horizon_years: 3.0, [0.0, 20.0], "years", "Power and water additions due within this many years count as headroom when a site is chosen (assumption)";
        max_site_shortage: 0.15, [0.0, 1.0], "fraction", "A site whose talent shortage exceeds this is passed over for new fabs when a preferred site has headroom (assumption)";
    }
}

params! {
    /// Construction and ramp (phase 5).
    ConstructionParams => Construction {
        permit_delay_years: 0.0, [0.0, 20.0], "years", "Permit delay of each new project before the timeout caps it (drawn per project when a distribution; baseline sets it)";
        max_fab_kwpm: 200.0, [1.0, 10000.0], "kwpm", "A finished module joins the owner's fab of the same segment at the site while that fab stays at or below this size; beyond it a new fab is counted (giga fabs > 100 kwpm: TSMC)";
        ramp_years: 2.0, [0.1, 10.0], "years", "Years from first wafers to full capacity (DESIGN.md: ~2 years)";
        yield_start: 0.15, [0.0, 1.0], "fraction", "Yield of a new fab (new fabs start at 10-20 %: Leachman & Berglund 2003)";
        yield_max: 0.9, [0.0, 1.0], "fraction", "Mature yield (> 80 % hard to reach: Leachman & Berglund 2003)";
        yield_learning: 0.9, [0.0, 10.0], "1/yr", "Rate at which yield closes its gap to the mature yield (assumption; ~70 % learning curve: Flamm)";
        shortage_ramp_penalty: 1.0, [0.0, 5.0], "-", "How much a site's talent shortage slows ramps (assumption)";
    }
}

params! {
    /// Production and sales (phase 6).
    ProductionParams => Production {
        foundry_domestic_share: 0.15, [0.0, 1.0], "fraction", "Share of domestic foundry output that domestic fabless firms can book (assumption)";
        design_margin: 0.06, [-1.0, 1.0], "fraction", "Default operating margin of fabless firms and design houses (assumption)";
        mpe_margin: 0.09, [-1.0, 1.0], "fraction", "Default operating margin of MPE suppliers (assumption)";
        fixed_cost_share: 0.5, [0.0, 1.0], "fraction", "Share of a fab's costs that stay when utilisation falls (assumption)";
        cash_buffer_share: 0.25, [0.0, 5.0], "years of sales", "Cash a firm keeps before it repays debt, as a share of a year's sales (assumption)";
        shortage_output_penalty: 0.3, [0.0, 1.0], "-", "Share of a site's talent shortage that its fabs lose in output (lines cannot be staffed; assumption)";
    }
}

params! {
    /// Fabless and design-house growth (phase 7).
    FablessParams => Fabless {
        base_growth: 0.04, [-1.0, 1.0], "log/yr", "Mean yearly log growth of sales before the effects below (assumption)";
        growth_sd: 0.22, [0.0, 2.0], "log/yr", "Scale of the yearly random growth shock (assumption; Korean fabless sales ~15-30 %/yr volatility: Telechips 2019-2023)";
        tail_dof: 3.0, [1.0, 1000.0], "-", "Degrees of freedom of the Student-t growth shock (smaller = heavier tails, few winners; assumption)";
        size_drag: 0.03, [0.0, 1.0], "log/yr per log size", "Growth lost per e-fold of sales above KRW 100B (larger firms grow slower; assumption)";
        access_weight: 0.3, [0.0, 5.0], "-", "Growth from access to domestic foundry capacity (log change of booked capacity; assumption)";
        support_growth_boost: 0.25, [0.0, 2.0], "log/yr", "Most extra growth a year after a firm receives prototype/mass-production support, for support large against its sales (assumption)";
        support_half_ratio: 0.1, [0.001, 10.0], "support / sales", "Support relative to the firm's sales that gives half the most extra growth: a KRW 6.5B project lifts a KRW 65B firm by half of it (assumption)";
        spillover_weight: 0.15, [0.0, 5.0], "-", "Growth from knowledge spillovers: log change of distance-weighted industry sales at linked sites (assumption)";
        spillover_decay_km: 30.0, [0.1, 1000.0], "km", "Distance at which a link's spillover weight falls to 1/e: w = exp(-d/decay) (assumption)";
        ai_weight: 0.35, [0.0, 5.0], "-", "Share of AI-demand growth passed to an AI-exposed firm's sales (assumption)";
        rnd_weight: 0.15, [0.0, 5.0], "-", "Growth from R&D grants relative to sales (assumption)";
        talent_penalty: 0.4, [0.0, 5.0], "log/yr", "Growth lost at a 100 % talent shortage at the firm's site (assumption)";
        support_min_revenue_krw_b: 20.0, [0.0, 1e7], "KRW B", "Smallest firm eligible for demand-matching support (assumption)";
        tech_weight: 0.1, [0.0, 5.0], "log/yr per log level", "Growth gained per e-fold of technology level (firms behind the frontier grow slower; R&D grants and hub spillovers raise levels; assumption)";
        shock_clamp: 8.0, [1.0, 100.0], "standard units", "Largest growth shock, in units of the t distribution, before scaling (assumption)";
        growth_clamp: 3.0, [0.1, 10.0], "log/yr", "Largest yearly log change of a firm's sales (a 20-fold rise or fall; assumption)";
        heavy_tail_scale: 0.5, [0.0, 2.0], "-", "Scale of the t shock when tail_dof <= 2 (infinite variance: the shock cannot be standardised; assumption)";
    }
}

params! {
    /// Materials, parts and equipment suppliers (phase 8).
    MpeParams => Mpe {
        equipment_share_of_capex: 0.75, [0.0, 1.0], "fraction", "Share of fab capex spent on equipment (75/25 rule; P1 64 %, M15X 74 %: facts.md)";
        materials_share_of_sales: 0.09, [0.0, 1.0], "fraction", "Materials and parts bought per unit of chip sales (Korean materials market USD 9.2B vs ~USD 100B chips; D)";
        localisation_start: 0.30, [0.0, 1.0], "fraction", "Share of domestic MPE demand met by domestic suppliers in the start year (~30 %: Reuters 2022-07-21)";
        localisation_max: 0.70, [0.0, 1.0], "fraction", "Ceiling of localisation (assumption)";
        localisation_rnd_gain: 0.03, [0.0, 1.0], "per KRW T", "Localisation gained per KRW 1T of MPE R&D grants (assumption)";
        localisation_colocation_gain: 0.02, [0.0, 1.0], "per unit share", "Localisation gained per year at full co-location of suppliers with fabs in the cluster (assumption)";
        localisation_decay: 0.01, [0.0, 1.0], "1/yr", "Yearly erosion of localisation towards its start level (foreign competition; assumption)";
        export_share: 0.30, [0.0, 1.0], "fraction", "Share of MPE firms' start-year sales that is exported and follows world demand (assumption)";
        home_order_floor: 0.01, [0.0, 1.0], "fraction of sales", "Least weight of a supplier in the draw for domestic orders, as a share of its sales, so a supplier that exports nearly everything still wins some home orders (assumption)";
        colocation_bonus: 0.25, [0.0, 5.0], "-", "Extra share of domestic orders for suppliers at a site with fabs (assumption)";
        noise_sd: 0.10, [0.0, 2.0], "log", "Yearly firm-level noise in MPE order shares (assumption)";
        land_pull: 1.0, [0.0, 10.0], "pull per unit of discount", "Pull of a site's `land_discount` on MPE suppliers, in units of `mpe_incentive`: a 50 % discount pulls like an MPE complex of 0.5 (assumption)";
        plot_ha: 0.5, [0.0, 100.0], "ha", "Land an MPE supplier takes when it enters or moves to a site; at a discounted site the state pays `land_discount` × this × `investment.land_price_krw_b_per_ha` (assumption)";
        relocation_rate: 0.02, [0.0, 1.0], "1/yr per unit of pull", "Yearly chance, per unit of a site's `mpe_incentive`, that a supplier at a site without a pull relocates there (MPE complexes: 10 designated 2021-2023, KRW 6.7T by 2032, facts-strategy.md; rate: assumption)";
    }
}

params! {
    /// R&D and technology (phase 9).
    RndParams => Rnd {
        depreciation: 0.15, [0.0, 1.0], "1/yr", "Yearly depreciation of R&D stocks (assumption; 15 % is the usual BLS/OECD rate)";
        tech_gain: 0.6, [0.0, 10.0], "-", "Technology catch-up per unit of R&D intensity above the frontier's (assumption)";
        frontier_intensity: 0.12, [0.0, 1.0], "fraction of sales", "R&D intensity that keeps a firm level with the frontier (Flamm, NAP 2004: 10-15 %)";
        hub_spillover: 0.02, [0.0, 1.0], "per KRW T", "Technology gained per year per KRW 1T of hub R&D stock at weight 1 (assumption)";
        tech_min: 0.3, [0.0, 1.0], "-", "Lowest technology level (assumption)";
        tech_max: 1.3, [1.0, 5.0], "-", "Highest technology level relative to the world frontier (assumption)";
        leak_probability: 0.0, [0.0, 1.0], "1/yr", "Yearly chance that a firm loses technology to competitors abroad, before protection (0 in the baseline; police counted 9 chip cases of leaks abroad in 2024 and MOTIE 13 in 2023, i.e. about 1.5 % of the model's ~600 firms a year: leakage.ron; Asia Economy 2024-01-18, 2025-03-13)";
        leak_loss: 0.05, [0.0, 1.0], "fraction", "Share of a firm's technology level lost in one leak (one 20 nm DRAM leak was put at KRW 4.3T of damage, about a year of a leading line's lead; assumption)";
        max_grant_share: 1.0, [0.0, 10.0], "fraction of own R&D", "Most a firm receives in R&D grants in a year, as a share of its own R&D spending (national R&D projects fund up to 75 % of an SME project, i.e. 3x its own share: National R&D Innovation Act decree; capped at the whole own R&D budget: assumption)";
    }
}

params! {
    /// Talent (phase 10).
    TalentParams => Talent {
        engineers_per_krw_b_design: 0.9, [0.0, 100.0], "engineers per KRW B", "Engineers per KRW 1B of fabless/design sales (LX Semicon ~1,500 staff on KRW 1.8T, start-ups more; assumption)";
        engineers_per_krw_b_mpe: 0.5, [0.0, 100.0], "engineers per KRW B", "Engineers per KRW 1B of MPE or packaging-service sales (assumption)";
        min_engineers_per_firm: 8.0, [0.0, 10000.0], "engineers", "Engineers even the smallest firm employs (assumption)";
        commute_decay_km: 35.0, [0.1, 1000.0], "km", "Distance at which commuting falls to 1/e (assumption)";
        commute_share: 0.5, [0.0, 1.0], "fraction", "Share of a site's spare engineers that linked sites can reach at weight 1 (assumption)";
        migration_rate: 0.12, [0.0, 1.0], "1/yr", "Share of a site's unmet demand for engineers filled by moves from elsewhere each year (assumption)";
        attrition_rate: 0.03, [0.0, 0.5], "1/yr", "Share of each site's pool that leaves the industry each year (retirement, moves abroad, other industries; assumption)";
        intensity_growth: 0.025, [-0.1, 0.2], "1/yr", "Yearly growth of engineers needed per kwpm and per unit of sales (finer nodes, EUV, HBM and advanced packaging need more engineers; assumption calibrated to MOTIE's 127,000 new workers 2022-2031)";
        stem_lag_years: 2.0, [0.0, 10.0], "years", "Years from a talent-programme place to an engineer at work (short courses 1 year, degrees 4; assumption)";
    }
}

params! {
    /// Entry and exit (phase 11).
    EntryParams => Entry {
        startups_per_year: 6.0, [0.0, 10000.0], "firms/yr", "Expected fabless start-ups per year in fabless valleys (61 fabless start-ups by 2025: KITA 2025)";
        startup_revenue_krw_b: 2.0, [0.0, 1e7], "KRW B", "Median first-year sales of a start-up (assumption)";
        cluster_entrants_per_100kwpm: 2.0, [0.0, 1000.0], "firms/yr", "Expected firms entering the cluster per year per 100 kwpm of wafer capacity running or building there (>50-80 partner firms per complex: MOLIT 2024, Korea Herald 2023; rate assumption)";
        incentive_effect: 2.0, [0.0, 100.0], "-", "Entry multiplier per unit of SME tax credit: rate x (1 + effect x credit) (assumption)";
        entrant_revenue_krw_b: 25.0, [0.0, 1e7], "KRW B", "Median sales of a firm entering the cluster (assumption)";
        exit_min_revenue_krw_b: 0.3, [0.0, 1e7], "KRW B", "A firm below these sales exits (assumption)";
        exit_after_loss_years: 3.0, [1.0, 100.0], "years", "Consecutive years of negative cash after which a firm exits (assumption)";
        mix_materials: 0.3, [0.0, 1.0], "weight", "Weight of materials suppliers among firms entering the cluster (suppliers follow fabs; assumption)";
        mix_parts: 0.3, [0.0, 1.0], "weight", "Weight of parts suppliers among entrants (assumption)";
        mix_equipment: 0.2, [0.0, 1.0], "weight", "Weight of equipment suppliers among entrants (assumption)";
        mix_design_house: 0.1, [0.0, 1.0], "weight", "Weight of design houses among entrants (assumption)";
        mix_fabless: 0.1, [0.0, 1.0], "weight", "Weight of fabless firms among entrants (assumption)";
        entrant_revenue_sd: 0.8, [0.0, 3.0], "log", "Spread of entrants' first-year sales around their median (log-normal sigma; assumption)";
        entrant_cash_share: 0.5, [0.0, 10.0], "years of sales", "Cash an entrant brings, as a share of its first-year sales (assumption)";
        entrant_tech_level: 0.8, [0.0, 1.3], "-", "Technology level of an entrant (assumption)";
        entrant_ai_exposure_max: 0.5, [0.0, 1.0], "fraction", "Entrant fabless firms' AI exposure is drawn uniformly up to this (assumption)";
        group_cash_share: 0.3, [0.0, 10.0], "years of sales", "Start-year cash of firms generated from groups, as a share of their sales (assumption)";
    }
}

params! {
    /// Infrastructure (phase 3) and random site disruptions (phase 1).
    InfraParams => Infra {
        fund_krw_b_per_year_saved: 400.0, [1.0, 1e7], "KRW B per year", "Public infrastructure fund that pulls a late power or water addition one year forward (assumption)";
        disruption_probability: 0.02, [0.0, 1.0], "1/yr", "Chance per year that a site with fabs loses part of its output (grid outage, drought, earthquake; assumption)";
        disruption_output_loss: 0.1, [0.0, 1.0], "fraction", "Share of a year's output lost in a disruption (assumption)";
    }
}

params! {
    /// Public finance (metrics).
    PublicParams => Public {
        discount_rate: 0.045, [0.0, 0.3], "fraction/yr", "Social discount rate for the present value of public outlays (4.5 %: KDI PIMAC's rate for preliminary feasibility studies since 2017)";
    }
}

/// Every model coefficient group, as it appears under `model:` in a scenario.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
#[serde(rename = "Model")]
pub struct ModelParams {
    /// Market clearing.
    pub market: MarketParams,
    /// Investment decisions.
    pub investment: InvestmentParams,
    /// Construction and ramp.
    pub construction: ConstructionParams,
    /// Production and sales.
    pub production: ProductionParams,
    /// Fabless growth.
    pub fabless: FablessParams,
    /// MPE suppliers.
    pub mpe: MpeParams,
    /// R&D and technology.
    pub rnd: RndParams,
    /// Talent.
    pub talent: TalentParams,
    /// Entry and exit.
    pub entry: EntryParams,
    /// Infrastructure and disruptions.
    pub infra: InfraParams,
    /// Public finance.
    pub public: PublicParams,
}

/// Model coefficients drawn for one run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DrawnParams {
    /// Market clearing.
    pub market: Market,
    /// Investment decisions.
    pub investment: Investment,
    /// Construction and ramp.
    pub construction: Construction,
    /// Production and sales.
    pub production: Production,
    /// Fabless growth.
    pub fabless: Fabless,
    /// MPE suppliers.
    pub mpe: Mpe,
    /// R&D and technology.
    pub rnd: Rnd,
    /// Talent.
    pub talent: Talent,
    /// Entry and exit.
    pub entry: Entry,
    /// Infrastructure and disruptions.
    pub infra: Infra,
    /// Public finance.
    pub public: Public,
}

/// A group's name, field table, ranges and values, for listing and validation.
pub type GroupEntries<'a> = (
    &'static str,
    &'static [(&'static str, &'static str, &'static str)],
    &'static [(f64, f64)],
    Vec<(&'static str, &'a crate::scenario::dist::Dist)>,
);

impl ModelParams {
    /// Draws every coefficient once, group by group in a fixed order.
    pub fn draw<R: rand::Rng + ?Sized>(&self, rng: &mut R) -> DrawnParams {
        DrawnParams {
            market: self.market.draw(rng),
            investment: self.investment.draw(rng),
            construction: self.construction.draw(rng),
            production: self.production.draw(rng),
            fabless: self.fabless.draw(rng),
            mpe: self.mpe.draw(rng),
            rnd: self.rnd.draw(rng),
            talent: self.talent.draw(rng),
            entry: self.entry.draw(rng),
            infra: self.infra.draw(rng),
            public: self.public.draw(rng),
        }
    }

    /// Every group with its fields, for `params` listings and validation.
    pub fn groups(&self) -> Vec<GroupEntries<'_>> {
        vec![
            (
                "market",
                MarketParams::FIELDS,
                MarketParams::RANGES,
                self.market.entries(),
            ),
            (
                "investment",
                InvestmentParams::FIELDS,
                InvestmentParams::RANGES,
                self.investment.entries(),
            ),
            (
                "construction",
                ConstructionParams::FIELDS,
                ConstructionParams::RANGES,
                self.construction.entries(),
            ),
            (
                "production",
                ProductionParams::FIELDS,
                ProductionParams::RANGES,
                self.production.entries(),
            ),
            (
                "fabless",
                FablessParams::FIELDS,
                FablessParams::RANGES,
                self.fabless.entries(),
            ),
            (
                "mpe",
                MpeParams::FIELDS,
                MpeParams::RANGES,
                self.mpe.entries(),
            ),
            (
                "rnd",
                RndParams::FIELDS,
                RndParams::RANGES,
                self.rnd.entries(),
            ),
            (
                "talent",
                TalentParams::FIELDS,
                TalentParams::RANGES,
                self.talent.entries(),
            ),
            (
                "entry",
                EntryParams::FIELDS,
                EntryParams::RANGES,
                self.entry.entries(),
            ),
            (
                "infra",
                InfraParams::FIELDS,
                InfraParams::RANGES,
                self.infra.entries(),
            ),
            (
                "public",
                PublicParams::FIELDS,
                PublicParams::RANGES,
                self.public.entries(),
            ),
        ]
    }
}
