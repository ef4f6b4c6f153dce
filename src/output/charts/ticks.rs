//! Tick positions and labels: integer years and round values.

use super::format;

/// Tick positions with their labels.
pub type Ticks = Vec<(f64, String)>;

/// Round ticks (1, 2, 5 × 10^k steps) within `lo..=hi`, at most about `max`.
pub fn nice_ticks(lo: f64, hi: f64, max: usize, fmt: &dyn Fn(f64) -> String) -> Ticks {
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo {
        return Vec::new();
    }
    let raw = (hi - lo) / max.max(1) as f64;
    let k = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * k)
        .find(|&s| s >= raw * (1.0 - 1e-9))
        .unwrap_or(10.0 * k);
    let first = (lo / step - 1e-9).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    (first..=last)
        .map(|i| {
            let v = i as f64 * step;
            let v = if v.abs() < step * 1e-9 { 0.0 } else { v };
            (v, fmt(v))
        })
        .collect()
}

/// Integer year ticks (every 1, 2, 5, 10, ... years) within `x0..=x1`, at most `max`.
pub fn year_ticks(x0: f64, x1: f64, max: usize) -> Ticks {
    if !(x0.is_finite() && x1.is_finite()) || x1 < x0 {
        return Vec::new();
    }
    let span = x1 - x0;
    let step = [1, 2, 5, 10, 20, 50, 100, 1000]
        .into_iter()
        .find(|&s| ((span / s as f64).floor() as usize) < max.max(1))
        .unwrap_or(1000) as f64;
    let first = (x0 / step).ceil() as i64;
    let last = (x1 / step).floor() as i64;
    (first..=last)
        .map(|i| {
            let v = i as f64 * step;
            (v, format::year(v))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_ticks_are_integers() {
        let t = year_ticks(2023.0, 2042.0, 11);
        assert_eq!(t.first().unwrap().1, "2024");
        assert_eq!(t.last().unwrap().1, "2042");
        assert!(t.len() <= 11);
        assert_eq!(year_ticks(2029.5, 2030.5, 11).len(), 1);
        assert_eq!(year_ticks(2023.0, 2042.0, 5)[0].1, "2025");
    }

    #[test]
    fn nice_ticks_are_round() {
        let t = nice_ticks(0.0, 648.0, 8, &|v| format::krw_t(v));
        assert_eq!(t[1].1, "KRW 100T");
        assert!(nice_ticks(1.0, 1.0, 8, &|v| v.to_string()).is_empty());
        let t = nice_ticks(0.0, 1.04, 6, &format::percent);
        assert_eq!(t.last().unwrap().1, "100%");
    }
}
