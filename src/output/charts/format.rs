//! Number formatting for axis ticks, legends and annotations: KRW with T/B
//! suffixes, integer years, thousands separators and percentages.

/// How the values of a metric are shown on an axis or in a label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueFormat {
    /// Values in KRW trillions, shown as `KRW 300T` / `KRW 500B`.
    KrwT,
    /// Values in KRW billions, shown as `KRW 500B` / `KRW 1.2T`.
    KrwB,
    /// A share in 0..1, shown as a percentage.
    Share,
    /// A plain quantity (firms, MW, ...), shown with thousands separators.
    Plain,
}

impl ValueFormat {
    /// Formats `v` for an axis tick or a label.
    pub fn format(self, v: f64) -> String {
        match self {
            ValueFormat::KrwT => krw_t(v),
            ValueFormat::KrwB => krw_b(v),
            ValueFormat::Share => percent(v),
            ValueFormat::Plain => number(v),
        }
    }

    /// Guesses the format from a metric's name and unit.
    pub fn for_metric(name: &str, unit: &str) -> Self {
        let u = unit.to_ascii_lowercase();
        if name.ends_with("_krw_t") || u.contains("krw t") || u.contains("krw trillion") {
            ValueFormat::KrwT
        } else if name.ends_with("_krw_b") || u.contains("krw b") {
            ValueFormat::KrwB
        } else if u.contains("share") || u.contains("fraction") || name.contains("localisation") {
            ValueFormat::Share
        } else {
            ValueFormat::Plain
        }
    }
}

/// Formats an amount given in KRW trillions: `KRW 300T`, `KRW 1.5T`, `KRW 500B`, `KRW 0`.
pub fn krw_t(v: f64) -> String {
    krw_b(v * 1000.0)
}

/// Formats an amount given in KRW billions: `KRW 500B`, `KRW 1T`, `KRW 2.5T`, `KRW 0`.
pub fn krw_b(v: f64) -> String {
    if !v.is_finite() {
        return String::new();
    }
    let sign = if v < 0.0 { "-" } else { "" };
    let a = v.abs();
    if a < 1e-9 {
        "KRW 0".to_string()
    } else if a >= 999.5 {
        format!("KRW {sign}{}T", number(a / 1000.0))
    } else if a >= 0.9995 {
        format!("KRW {sign}{}B", number(a))
    } else {
        format!("KRW {sign}{}M", number(a * 1000.0))
    }
}

/// Formats a year tick: `2030`; non-integer positions give an empty label.
pub fn year(v: f64) -> String {
    if v.is_finite() && (v - v.round()).abs() < 1e-6 {
        format!("{}", v.round() as i64)
    } else {
        String::new()
    }
}

/// Formats a share 0..1 as a percentage: `45%`, `2.5%`.
pub fn percent(v: f64) -> String {
    if !v.is_finite() {
        return String::new();
    }
    format!("{}%", number(v * 100.0))
}

pub use crate::numbers::probability;

/// Formats a plain number: thousands separators at or above 1,000, at most one
/// decimal at or above 10 and at most two below, with trailing zeros trimmed.
pub fn number(v: f64) -> String {
    if !v.is_finite() {
        return String::new();
    }
    let a = v.abs();
    let decimals = if a >= 100.0 {
        0
    } else if a >= 10.0 {
        1
    } else {
        2
    };
    let s = format!("{:.*}", decimals, a);
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), format!(".{f}")),
        None => (s.clone(), String::new()),
    };
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let neg = v < 0.0 && (grouped != "0" || !frac.is_empty());
    format!("{}{grouped}{frac}", if neg { "-" } else { "" })
}

/// A target as a chart title names it: its name and year, "5 new fabs in the cluster by
/// 2036" (a `--set` may have moved the year away from the one the name suggests).
pub fn target_by_year(t: &crate::scenario::schema::TargetSpec) -> String {
    format!("{} by {}", t.name, t.year)
}

/// Makes a file-name-safe stem from a metric name: `capacity_kwpm.Memory` → `capacity_kwpm_memory`.
pub fn file_stem(name: &str) -> String {
    let mut s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    while s.contains("__") {
        s = s.replace("__", "_");
    }
    s.trim_matches('_').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn krw_suffixes() {
        assert_eq!(krw_t(300.0), "KRW 300T");
        assert_eq!(krw_t(0.5), "KRW 500B");
        assert_eq!(krw_t(1.5), "KRW 1.5T");
        assert_eq!(krw_t(1200.0), "KRW 1,200T");
        assert_eq!(krw_t(0.0), "KRW 0");
        assert_eq!(krw_b(1000.0), "KRW 1T");
        assert_eq!(krw_b(10.0), "KRW 10B");
        assert_eq!(krw_b(0.1), "KRW 100M");
        assert_eq!(krw_b(-2500.0), "KRW -2.5T");
        assert_eq!(krw_b(f64::NAN), "");
    }

    #[test]
    fn years_are_integers() {
        assert_eq!(year(2030.0), "2030");
        assert_eq!(year(2030.0000001), "2030");
        assert_eq!(year(2030.5), "");
    }

    #[test]
    fn plain_numbers() {
        assert_eq!(number(1234567.0), "1,234,567");
        assert_eq!(number(0.30000000000000004), "0.3");
        assert_eq!(number(12.26), "12.3");
        assert_eq!(number(-0.0001), "0");
        assert_eq!(number(-1500.0), "-1,500");
        assert_eq!(number(100.0), "100");
        assert_eq!(percent(0.45), "45%");
        assert_eq!(percent(1.0), "100%");
        assert_eq!(probability(0.0667), "7%");
        assert_eq!(probability(0.004), "<1%");
        assert_eq!(probability(0.996), ">99%");
        assert_eq!(probability(1.0), "100%");
    }

    #[test]
    fn formats_by_metric() {
        assert_eq!(
            ValueFormat::for_metric("cluster_investment_krw_t", "KRW T"),
            ValueFormat::KrwT
        );
        assert_eq!(
            ValueFormat::for_metric("mpe_localisation", "share"),
            ValueFormat::Share
        );
        assert_eq!(
            ValueFormat::for_metric("cluster_fabs", "fabs"),
            ValueFormat::Plain
        );
        assert_eq!(file_stem("capacity_kwpm.Memory"), "capacity_kwpm_memory");
        assert_eq!(
            file_stem("site_firms.Yongin National"),
            "site_firms_yongin_national"
        );
    }
}
