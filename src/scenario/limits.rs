//! Upper bounds of scenario values that have no natural one, each with the physical or
//! economic argument behind it. They keep every input finite, so no aggregate can
//! overflow (issue 18): at these bounds the largest metric stays below 1e12 of its unit.

/// Land of one site, ha: 100,000 ha is 1,000 km², some 140 times Yongin's national
/// complex (728 ha) and larger than Seoul (605 km²).
pub const LAND_HA_MAX: f64 = 1e5;

/// Grid power of one site or one addition, MW: 1,000 GW is about ten times Korea's
/// peak electricity demand (~95 GW in 2024).
pub const POWER_MW_MAX: f64 = 1e6;

/// Industrial water of one site or one addition, kt/day: 100,000 kt/day is about 25
/// times the Han river basin's multi-regional supply (~4,000 kt/day); Yongin needs ~760.
pub const WATER_KTD_MAX: f64 = 1e5;

/// Engineers within reach of one site: ten million is some 55 times Korea's
/// semiconductor workforce (~177,000 in 2021, MOTIE).
pub const ENGINEERS_MAX: f64 = 1e7;

/// Public cost of one power or water addition, KRW B: KRW 10,000T is some 15 times
/// Korea's whole central-government budget (~KRW 660T in 2024).
pub const PUBLIC_COST_KRW_B_MAX: f64 = 1e7;

/// Magnitude of a target value, in its metric's unit: beyond any value a metric can
/// reach with inputs inside their ranges.
pub const TARGET_MAX: f64 = 1e15;

/// Years any date in a scenario may take: from well before the first fab to well after
/// any plausible horizon.
pub const YEARS: std::ops::RangeInclusive<i32> = 1950..=2200;
