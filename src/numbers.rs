//! Numbers written for people and tools: the shortest decimal that stands for a value
//! at the precision it was computed to, and numbers in messages that stay readable
//! whatever their size.

/// The shortest decimal within `tol` of `x`, as the `f64` nearest to it: `x` itself when
/// no shorter decimal is that close (and whenever `tol` is below `x`'s own precision,
/// so Rust's shortest round-trip output of the result is the usual one).
///
/// Means of the quantile sketch carry each value rounded to a multiple of 2^-32, so a
/// mean of runs that all gave 0.12 is 0.12000000011175871 in binary; within half a unit
/// of that fixed point it is 0.12, which is what gets written.
pub fn shortest_within(x: f64, tol: f64) -> f64 {
    if !x.is_finite() || tol.is_nan() || tol <= 0.0 {
        return x;
    }
    for digits in 0..17 {
        // `{:.*e}` rounds to `digits + 1` significant digits, correctly: the nearest such
        // decimal, so if it is not within `tol` no decimal of that length is.
        let text = format!("{x:.digits$e}");
        if let Ok(y) = text.parse::<f64>()
            && (y - x).abs() <= tol
        {
            return y;
        }
    }
    x
}

/// The allowed range `lo..=hi` for a message: "between 0 and 1", "at least 0".
pub fn allowed(lo: f64, hi: f64) -> String {
    match (lo.is_finite(), hi.is_finite()) {
        (true, true) => format!("between {} and {}", for_message(lo), for_message(hi)),
        (true, false) => format!("at least {}", for_message(lo)),
        (false, true) => format!("at most {}", for_message(hi)),
        (false, false) => "a finite number".to_owned(),
    }
}

/// A number for a message: plain when it reads well (1e-4 ≤ |x| < 1e15, or 0), in
/// scientific notation otherwise, so `1e300` is not printed as 301 digits.
pub fn for_message(x: f64) -> String {
    let a = x.abs();
    if x == 0.0 || !x.is_finite() || (1e-4..1e15).contains(&a) {
        format!("{x}")
    } else {
        format!("{x:e}")
    }
}

/// KRW billions in one KRW trillion. The model books money in KRW billions; metrics
/// and charts show KRW trillions.
pub const KRW_B_PER_T: f64 = 1000.0;

/// KRW billions as KRW trillions.
pub fn krw_b_to_t(krw_b: f64) -> f64 {
    krw_b / KRW_B_PER_T
}

/// KRW trillions as KRW billions.
pub fn krw_t_to_b(krw_t: f64) -> f64 {
    krw_t * KRW_B_PER_T
}

/// People (engineers) in thousands, the unit of the talent metrics.
pub fn people_to_thousands(people: f64) -> f64 {
    people / 1000.0
}

/// Thousands of people as people.
pub fn thousands_to_people(thousands: f64) -> f64 {
    thousands * 1000.0
}

/// Formats a probability 0..1 as a whole percentage, keeping "<1%" and ">99%"
/// distinct from certainty.
pub fn probability(p: f64) -> String {
    if !p.is_finite() {
        return String::new();
    }
    if p > 0.0 && p < 0.01 {
        "<1%".into()
    } else if p > 0.99 && p < 1.0 {
        ">99%".into()
    } else {
        format!("{:.0}%", p * 100.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_are_exact_inverses_on_round_values() {
        assert_eq!(krw_b_to_t(2500.0), 2.5);
        assert_eq!(krw_t_to_b(2.5), 2500.0);
        assert_eq!(people_to_thousands(1500.0), 1.5);
        assert_eq!(thousands_to_people(1.5), 1500.0);
    }

    #[test]
    fn fixed_point_residues_are_dropped() {
        let unit = 1.0 / 4_294_967_296.0;
        let m = (0.12_f64 / unit).round() * unit;
        assert_eq!(m.to_string(), "0.12000000011175871");
        assert_eq!(shortest_within(m, unit / 2.0).to_string(), "0.12");
        assert_eq!(shortest_within(2.5, unit / 2.0), 2.5);
        assert_eq!(shortest_within(1.0 / 3.0, 0.0), 1.0 / 3.0);
        // Above 2^20 half a unit of 2^-32 is below the value's own precision.
        let big = 1_234_567.123_456_789_f64;
        assert_eq!(shortest_within(big, unit / 2.0), big);
        assert_eq!(shortest_within(-0.12 - unit / 4.0, unit / 2.0), -0.12);
    }

    #[test]
    fn huge_and_tiny_numbers_read_in_scientific_notation() {
        assert_eq!(for_message(1e300), "1e300");
        assert_eq!(for_message(-2.5e-9), "-2.5e-9");
        assert_eq!(for_message(0.25), "0.25");
        assert_eq!(for_message(2030.0), "2030");
        assert_eq!(for_message(0.0), "0");
    }
}
