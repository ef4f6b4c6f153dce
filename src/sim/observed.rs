//! Observations to compare an ensemble with (`data/observed.csv`): reading, checking
//! and matching them to a scenario's metrics.
//!
//! The file is tidy, one observation a row, with the columns `quantity, metric, year,
//! value, low, high, kind, base_year, unit, source` (documented in `data/README.md`).
//! Every mistake is reported with the file and line, all of them at once, never a panic.

use crate::error::RunError;
use crate::scenario::load::nearest;
use std::path::Path;

/// What an observation measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The metric's value in the year.
    Level,
    /// Growth of the metric from `base_year` to the year, in percent:
    /// `100 × (value(year) / value(base_year) − 1)`, computed run by run.
    Growth {
        /// The year growth is measured from.
        base_year: i32,
    },
}

/// What was observed: a value, a range, or both (the value inside the range).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Observed {
    /// The reported value, if any.
    pub value: Option<f64>,
    /// The range `(low, high)`, when the source is approximate.
    pub range: Option<(f64, f64)>,
}

impl Observed {
    /// The point the scores use: the value, else the middle of the range.
    pub fn point(&self) -> f64 {
        match (self.value, self.range) {
            (Some(v), _) => v,
            (None, Some((lo, hi))) => 0.5 * (lo + hi),
            (None, None) => f64::NAN,
        }
    }

    /// The interval coverage is checked against (a value is a zero-width interval).
    pub fn interval(&self) -> (f64, f64) {
        self.range.unwrap_or_else(|| {
            let v = self.point();
            (v, v)
        })
    }
}

/// One row of the observations file.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    /// What it is, for people (`World chip sales`).
    pub quantity: String,
    /// Metric name in the scenario's catalogue.
    pub metric: String,
    /// Year observed.
    pub year: i32,
    /// Value or range.
    pub observed: Observed,
    /// Level or growth.
    pub kind: Kind,
    /// Unit of the value (`%` for growth).
    pub unit: String,
    /// Where the figure comes from.
    pub source: String,
    /// 1-based line in the file, for messages.
    pub line: usize,
}

impl Observation {
    /// A short label: `World chip sales 2024 (growth over 2023)`.
    pub fn label(&self) -> String {
        match self.kind {
            Kind::Level => format!("{} {}", self.quantity, self.year),
            Kind::Growth { base_year } => {
                format!("{} {} (growth over {base_year})", self.quantity, self.year)
            }
        }
    }
}

/// The columns, in order.
pub const COLUMNS: [&str; 10] = [
    "quantity",
    "metric",
    "year",
    "value",
    "low",
    "high",
    "kind",
    "base_year",
    "unit",
    "source",
];

fn input_error(path: &Path, problems: &[String]) -> RunError {
    RunError::Input {
        path: path.to_path_buf(),
        message: if problems.len() == 1 {
            problems[0].clone()
        } else {
            format!("{} problems:\n  {}", problems.len(), problems.join("\n  "))
        },
    }
}

/// Reads an observations file; every bad row is reported (`line N: ...`).
pub fn read_file(path: &Path) -> Result<Vec<Observation>, RunError> {
    let text = std::fs::read_to_string(path).map_err(|e| RunError::Input {
        path: path.to_path_buf(),
        message: format!("cannot read the observations file: {e}"),
    })?;
    read_text(path, &text)
}

/// Parses the text of the observations file `path` (named in errors).
pub fn read_text(path: &Path, text: &str) -> Result<Vec<Observation>, RunError> {
    parse(text).map_err(|p| input_error(path, &p))
}

fn parse_num(field: &str, what: &str) -> Result<Option<f64>, String> {
    let f = field.trim();
    if f.is_empty() {
        return Ok(None);
    }
    match f.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        _ => Err(format!("`{what}` is `{f}`, which is not a number")),
    }
}

fn parse_year(field: &str, what: &str) -> Result<Option<i32>, String> {
    let f = field.trim();
    if f.is_empty() {
        return Ok(None);
    }
    f.parse::<i32>()
        .map(Some)
        .map_err(|_| format!("`{what}` is `{f}`, which is not a year"))
}

/// Parses the text of an observations file; returns every problem (`line N: ...`).
pub fn parse(text: &str) -> Result<Vec<Observation>, Vec<String>> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match rdr.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_string()).collect(),
        Err(e) => return Err(vec![format!("line 1: cannot read the header: {e}")]),
    };
    if header != COLUMNS {
        return Err(vec![format!(
            "line 1: the header must be `{}`, found `{}`",
            COLUMNS.join(","),
            header.join(",")
        )]);
    }
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for rec in rdr.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                problems.push(format!("line {line}: {e}"));
                continue;
            }
        };
        let line = rec.position().map_or(0, |p| p.line() as usize);
        if rec.len() != COLUMNS.len() {
            problems.push(format!(
                "line {line}: {} fields, but the header has {}",
                rec.len(),
                COLUMNS.len()
            ));
            continue;
        }
        match parse_row(&rec, line) {
            Ok(o) => out.push(o),
            Err(e) => problems.push(format!("line {line}: {e}")),
        }
    }
    if out.is_empty() && problems.is_empty() {
        problems.push("the file has no observations".into());
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

fn parse_row(rec: &csv::StringRecord, line: usize) -> Result<Observation, String> {
    let f = |i: usize| rec.get(i).unwrap_or("").trim();
    let (quantity, metric) = (f(0), f(1));
    if quantity.is_empty() || metric.is_empty() {
        return Err("`quantity` and `metric` must not be empty".into());
    }
    let year = parse_year(f(2), "year")?.ok_or("`year` is empty")?;
    let value = parse_num(f(3), "value")?;
    let low = parse_num(f(4), "low")?;
    let high = parse_num(f(5), "high")?;
    let range = match (low, high) {
        (Some(l), Some(h)) if l <= h => Some((l, h)),
        (Some(l), Some(h)) => return Err(format!("`low` ({l}) is above `high` ({h})")),
        (None, None) => None,
        _ => return Err("give both `low` and `high`, or neither".into()),
    };
    if value.is_none() && range.is_none() {
        return Err("give a `value`, a `low`-`high` range, or both".into());
    }
    if let (Some(v), Some((l, h))) = (value, range)
        && !(l..=h).contains(&v)
    {
        return Err(format!("`value` {v} is outside `low`-`high` ({l}-{h})"));
    }
    let base = parse_year(f(7), "base_year")?;
    let kind = match (f(6), base) {
        ("level", None) => Kind::Level,
        ("level", Some(_)) => return Err("a `level` observation takes no `base_year`".into()),
        ("growth", Some(b)) if b < year => Kind::Growth { base_year: b },
        ("growth", Some(b)) => {
            return Err(format!("`base_year` {b} must be before `year` {year}"));
        }
        ("growth", None) => return Err("a `growth` observation needs a `base_year`".into()),
        (k, _) => return Err(format!("`kind` is `{k}`; use `level` or `growth`")),
    };
    let unit = f(8).to_string();
    if matches!(kind, Kind::Growth { .. }) && unit != "%" {
        return Err(format!("a growth is in `%`, but `unit` is `{unit}`"));
    }
    Ok(Observation {
        quantity: quantity.into(),
        metric: metric.into(),
        year,
        observed: Observed { value, range },
        kind,
        unit,
        source: f(9).into(),
        line,
    })
}

/// Why an observation cannot be compared with a scenario.
pub fn check(
    o: &Observation,
    metrics: &[(String, String)],
    years: (i32, i32),
) -> Result<usize, String> {
    let Some(m) = metrics.iter().position(|(n, _)| *n == o.metric) else {
        let hint = nearest(&o.metric, metrics.iter().map(|(n, _)| n.as_str()))
            .map_or_else(String::new, |n| format!("; did you mean `{n}`?"));
        return Err(format!(
            "line {}: the scenario records no metric `{}`{hint}",
            o.line, o.metric
        ));
    };
    let first = match o.kind {
        Kind::Level => o.year,
        Kind::Growth { base_year } => base_year,
    };
    if first < years.0 || o.year > years.1 {
        return Err(format!(
            "line {}: `{}` needs {first}-{}, but the scenario simulates {}-{}",
            o.line, o.metric, o.year, years.0, years.1
        ));
    }
    let unit = &metrics[m].1;
    if o.kind == Kind::Level && *unit != o.unit {
        return Err(format!(
            "line {}: `{}` is in `{unit}`, but the observation is in `{}`",
            o.line, o.metric, o.unit
        ));
    }
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "quantity,metric,year,value,low,high,kind,base_year,unit,source\n";

    #[test]
    fn reads_levels_growths_and_ranges() {
        let text = format!(
            "{HEAD}Chips,world_chip_sales_usd_b,2023,526.8,,,level,,USD B,SIA\n\
             Chips,world_chip_sales_usd_b,2024,19.1,,,growth,2023,%,SIA\n\
             Share,memory_world_share,2023,60,55,65,level,,%,\"MSIT, approx\"\n"
        );
        let obs = parse(&text).unwrap();
        assert_eq!(obs.len(), 3);
        assert_eq!(obs[1].kind, Kind::Growth { base_year: 2023 });
        assert_eq!(obs[1].line, 3);
        assert_eq!(obs[2].observed.interval(), (55.0, 65.0));
        assert_eq!(obs[2].source, "MSIT, approx");
    }

    #[test]
    fn every_bad_row_is_named_by_its_line() {
        let text = format!(
            "{HEAD}A,m,2023,x,,,level,,%,s\n\
             B,m,2023,,3,,level,,%,s\n\
             C,m,2024,1,,,growth,,%,s\n\
             D,m,2024,1,,,trend,,%,s\n\
             E,m,2024,1,,,growth,2023,USD B,s\n\
             F,m,2024\n"
        );
        let p = parse(&text).unwrap_err();
        assert_eq!(p.len(), 6, "{p:?}");
        for (i, msg) in p.iter().enumerate() {
            assert!(msg.starts_with(&format!("line {}:", i + 2)), "{msg}");
        }
    }

    #[test]
    fn a_wrong_header_is_refused() {
        let p = parse("quantity,metric\nA,b\n").unwrap_err();
        assert!(p[0].starts_with("line 1: the header must be"), "{p:?}");
    }

    #[test]
    fn unknown_metrics_get_a_suggestion() {
        let text = format!("{HEAD}A,memory_world_shar,2023,60,,,level,,%,s\n");
        let o = &parse(&text).unwrap()[0];
        let metrics = vec![("memory_world_share".to_string(), "%".to_string())];
        let e = check(o, &metrics, (2023, 2042)).unwrap_err();
        assert!(e.contains("line 2") && e.contains("did you mean `memory_world_share`"));
        let mut o = o.clone();
        o.metric = "memory_world_share".into();
        assert_eq!(check(&o, &metrics, (2023, 2042)), Ok(0));
        o.year = 2022;
        assert!(check(&o, &metrics, (2023, 2042)).is_err());
    }
}
