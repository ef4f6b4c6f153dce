//! The enumerations a scenario names: segments, firm kinds, site kinds, firm sizes, and
//! how a target compares its metric with its value.

use serde::{Deserialize, Serialize};

/// A world market segment. Capacity is counted in 300 mm wafer starts per month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Segment {
    /// DRAM, NAND and HBM.
    Memory,
    /// Logic at 7 nm and below, including 4-nm AI chips.
    AdvancedLogic,
    /// Legacy logic nodes (automotive, home appliances).
    MatureLogic,
    /// Advanced packaging (HBM stacking, 2.5D/3D), counted in wafers per month processed.
    AdvancedPackaging,
}

impl Segment {
    /// All segments in a fixed order; `index()` points into it.
    pub const ALL: [Segment; 4] = [
        Segment::Memory,
        Segment::AdvancedLogic,
        Segment::MatureLogic,
        Segment::AdvancedPackaging,
    ];

    /// Position in `Segment::ALL`.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The name used in files and metric names.
    pub fn name(self) -> &'static str {
        match self {
            Segment::Memory => "Memory",
            Segment::AdvancedLogic => "AdvancedLogic",
            Segment::MatureLogic => "MatureLogic",
            Segment::AdvancedPackaging => "AdvancedPackaging",
        }
    }

    /// True for front-end wafer fabs (everything but packaging).
    pub fn is_fab(self) -> bool {
        self != Segment::AdvancedPackaging
    }
}

/// What a firm does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum FirmKind {
    /// Makes logic chips for others.
    Foundry,
    /// Makes DRAM/NAND/HBM.
    MemoryMaker,
    /// Designs chips, buys wafers from foundries.
    Fabless,
    /// Turns fabless designs into foundry-ready layouts (design service partners).
    DesignHouse,
    /// Outsourced assembly and test, advanced packaging.
    Packaging,
    /// Process materials (gases, wafers, chemicals, photoresist).
    Materials,
    /// Components and sub-systems for equipment.
    Parts,
    /// Process and test equipment.
    Equipment,
}

impl FirmKind {
    /// All kinds in a fixed order.
    pub const ALL: [FirmKind; 8] = [
        FirmKind::Foundry,
        FirmKind::MemoryMaker,
        FirmKind::Fabless,
        FirmKind::DesignHouse,
        FirmKind::Packaging,
        FirmKind::Materials,
        FirmKind::Parts,
        FirmKind::Equipment,
    ];

    /// True for firms that own wafer fabs or packaging lines and invest in capacity.
    pub fn is_manufacturer(self) -> bool {
        matches!(
            self,
            FirmKind::Foundry | FirmKind::MemoryMaker | FirmKind::Packaging
        )
    }

    /// True for fabless firms and design houses (the growth model of phase 7).
    pub fn is_design(self) -> bool {
        matches!(self, FirmKind::Fabless | FirmKind::DesignHouse)
    }

    /// True for materials, parts and equipment suppliers (phase 8).
    pub fn is_mpe(self) -> bool {
        matches!(
            self,
            FirmKind::Materials | FirmKind::Parts | FirmKind::Equipment
        )
    }
}

/// What a site is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SiteKind {
    /// An existing fab complex (Giheung, Hwaseong, Pyeongtaek, Icheon, Cheongju).
    ExistingComplex,
    /// A national industrial complex built by the state (Yongin, Samsung).
    NationalComplex,
    /// A general industrial complex built by a firm (Yongin, SK hynix).
    GeneralComplex,
    /// A fabless and design valley (Pangyo).
    FablessValley,
    /// A materials-parts-equipment complex.
    MpeComplex,
    /// An opportunity zone outside the capital region with its own incentives.
    OpportunityZone,
}

impl SiteKind {
    /// The name used in files.
    pub fn name(self) -> &'static str {
        match self {
            SiteKind::ExistingComplex => "ExistingComplex",
            SiteKind::NationalComplex => "NationalComplex",
            SiteKind::GeneralComplex => "GeneralComplex",
            SiteKind::FablessValley => "FablessValley",
            SiteKind::MpeComplex => "MpeComplex",
            SiteKind::OpportunityZone => "OpportunityZone",
        }
    }
}

/// Firm size class for the tax credit (the K-Chips Act distinguishes large firms and SMEs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum FirmSize {
    /// Large firm (conglomerate or mid-size above SME thresholds).
    Large,
    /// Small or medium enterprise.
    #[default]
    Sme,
}

/// How a target compares its metric with its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Comparison {
    /// Met when the metric is at least the value.
    AtLeast,
    /// Met when the metric is at most the value.
    AtMost,
}

impl Comparison {
    /// True when `x` meets the target value `v`.
    pub fn met(self, x: f64, v: f64) -> bool {
        match self {
            Comparison::AtLeast => x >= v,
            Comparison::AtMost => x <= v,
        }
    }

    /// `>=` or `<=`.
    pub fn symbol(self) -> &'static str {
        match self {
            Comparison::AtLeast => ">=",
            Comparison::AtMost => "<=",
        }
    }
}
