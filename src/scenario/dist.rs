//! Uncertain values: a number, or a distribution drawn once per run.

use rand::RngExt;
use rand_distr::{Distribution, LogNormal, Normal, Triangular};
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

/// A scenario value that may be uncertain. Written in RON as a plain number
/// (`0.15`) or as one of `Fixed(x)`, `Uniform(lo, hi)`, `Normal(mean, sd)`,
/// `LogNormal(median, sigma)` (sigma of the log) or `Triangular(lo, mode, hi)`.
///
/// Deserialised by hand so that a mistake (a misspelt distribution, a missing
/// parameter, text where a number belongs) gets a message a person can act on
/// instead of serde's "data did not match any variant of untagged enum".
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Dist {
    /// A plain number: the same in every run.
    Value(f64),
    /// A named distribution.
    Named(NamedDist),
}

/// The named distributions a scenario may use.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum NamedDist {
    /// Always this value.
    Fixed(f64),
    /// Uniform on `[lo, hi]`.
    Uniform(f64, f64),
    /// Normal with mean and standard deviation.
    Normal(f64, f64),
    /// Log-normal given by its median and the standard deviation of its log.
    LogNormal(f64, f64),
    /// Triangular with lower bound, mode and upper bound.
    Triangular(f64, f64, f64),
}

/// Distribution names and their parameters, for messages.
pub const DIST_FORMS: [(&str, &[&str]); 5] = [
    ("Fixed", &["x"]),
    ("Uniform", &["lo", "hi"]),
    ("Normal", &["mean", "sd"]),
    ("LogNormal", &["median", "sigma"]),
    ("Triangular", &["lo", "mode", "hi"]),
];

/// Separates a message from its help in custom deserialisation errors; `load` splits on it.
pub const HELP_SEP: char = '\u{1f}';

impl<'de> Deserialize<'de> for Dist {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Value(f64),
            Named(NamedDist),
            Other(Shape),
        }
        match Raw::deserialize(deserializer)? {
            Raw::Value(v) => Ok(Dist::Value(v)),
            Raw::Named(n) => Ok(Dist::Named(n)),
            Raw::Other(shape) => Err(de::Error::custom(explain_dist(&shape))),
        }
    }
}

/// The rough shape of a value that did not fit, kept only to explain the mistake.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Shape {
    /// A number.
    Number,
    /// Text or a bare word (RON gives both as a string here).
    Text(String),
    /// `true` or `false`.
    Bool(bool),
    /// `()` or nothing.
    Unit,
    /// A list or the parameters of a named value.
    Seq(Vec<Shape>),
    /// A named value `Name(...)` or a map; the first key and its value.
    Named(String, Box<Shape>),
    /// A map whose first key is not text.
    Map,
    /// Anything else.
    Other,
}

impl Shape {
    /// A short description for messages.
    pub(crate) fn describe(&self) -> String {
        match self {
            Shape::Number => "a number".into(),
            Shape::Text(t) => format!("`{t}`"),
            Shape::Bool(b) => format!("`{b}`"),
            Shape::Unit => "`()`".into(),
            Shape::Seq(items) => format!("a list of {} item(s)", items.len()),
            Shape::Named(n, _) => format!("`{n}(...)`"),
            Shape::Map => "a map".into(),
            Shape::Other => "something else".into(),
        }
    }
}

impl<'de> Deserialize<'de> for Shape {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ShapeVisitor)
    }
}

struct ShapeVisitor;

impl<'de> Visitor<'de> for ShapeVisitor {
    type Value = Shape;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Shape, E> {
        Ok(Shape::Bool(v))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Shape, E> {
        Ok(Shape::Number)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Shape, E> {
        Ok(Shape::Number)
    }
    fn visit_i128<E>(self, _: i128) -> Result<Shape, E> {
        Ok(Shape::Number)
    }
    fn visit_u128<E>(self, _: u128) -> Result<Shape, E> {
        Ok(Shape::Number)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Shape, E> {
        Ok(Shape::Number)
    }
    fn visit_char<E>(self, v: char) -> Result<Shape, E> {
        Ok(Shape::Text(v.to_string()))
    }
    fn visit_str<E>(self, v: &str) -> Result<Shape, E> {
        Ok(Shape::Text(v.chars().take(60).collect()))
    }
    fn visit_bytes<E>(self, _: &[u8]) -> Result<Shape, E> {
        Ok(Shape::Other)
    }
    fn visit_unit<E>(self) -> Result<Shape, E> {
        Ok(Shape::Unit)
    }
    fn visit_none<E>(self) -> Result<Shape, E> {
        Ok(Shape::Unit)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Shape, D::Error> {
        Shape::deserialize(d)
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Shape, D::Error> {
        Shape::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Shape, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Shape>()? {
            if items.len() < 16 {
                items.push(item);
            }
        }
        Ok(Shape::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Shape, A::Error> {
        let shape = match map.next_key::<Shape>()? {
            Some(Shape::Text(key)) => Shape::Named(key, Box::new(map.next_value::<Shape>()?)),
            Some(_) => {
                map.next_value::<de::IgnoredAny>()?;
                Shape::Map
            }
            None => return Ok(Shape::Map),
        };
        while map
            .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
            .is_some()
        {}
        Ok(shape)
    }
}

fn dist_examples() -> String {
    DIST_FORMS
        .iter()
        .map(|(n, ps)| format!("{n}({})", ps.join(", ")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A message (and help after `HELP_SEP`) for a value that is not a number or distribution.
pub(crate) fn explain_dist(shape: &Shape) -> String {
    let expected = "expected a number or a distribution such as Uniform(lo, hi)";
    let names = DIST_FORMS.iter().map(|(n, _)| *n);
    let form = |name: &str| {
        DIST_FORMS
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(n, ps)| (format!("{n}({})", ps.join(", ")), ps.len()))
    };
    let (msg, help) = match shape {
        Shape::Text(t) if t.trim().parse::<f64>().is_ok() => (
            format!("{expected}, found the text \"{t}\""),
            format!("write the number without quotes: {}", t.trim()),
        ),
        Shape::Text(t) if form(t).is_some() => {
            let (f, _) = form(t).unwrap_or_default();
            (
                format!("the distribution `{t}` needs its parameters"),
                format!("write it as {f}"),
            )
        }
        Shape::Named(name, args) if form(name).is_some() => {
            let (f, n) = form(name).unwrap_or_default();
            let given = match args.as_ref() {
                Shape::Seq(items) => items.clone(),
                Shape::Unit => Vec::new(),
                other => vec![other.clone()],
            };
            let msg = if given.len() != n {
                format!(
                    "`{name}` takes {n} number(s), {f}, but {} were given",
                    given.len()
                )
            } else {
                let bad = given
                    .iter()
                    .find(|s| **s != Shape::Number)
                    .map_or_else(|| "a value".to_owned(), Shape::describe);
                format!("the parameters of `{name}` must be numbers, found {bad}")
            };
            (msg, format!("write it as {f}"))
        }
        Shape::Named(name, _) | Shape::Text(name) => {
            let help = match crate::scenario::load::nearest(name, names) {
                Some(best) => format!(
                    "did you mean `{best}`? Write {}",
                    form(best).map(|f| f.0).unwrap_or_default()
                ),
                None => format!("write a number such as 0.5, or one of {}", dist_examples()),
            };
            (
                format!("{expected}, found {}", Shape::Text(name.clone()).describe()),
                help,
            )
        }
        other => (
            format!("{expected}, found {}", other.describe()),
            format!("write a number such as 0.5, or one of {}", dist_examples()),
        ),
    };
    format!("{msg}{HELP_SEP}{help}")
}

impl Default for Dist {
    fn default() -> Self {
        Dist::Value(0.0)
    }
}

impl From<f64> for Dist {
    fn from(v: f64) -> Self {
        Dist::Value(v)
    }
}

impl Dist {
    /// Draws one value. A validated distribution never fails to draw; should the
    /// parameters be impossible anyway, the central value is returned.
    pub fn draw<R: rand::Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match *self {
            Dist::Value(v) | Dist::Named(NamedDist::Fixed(v)) => v,
            Dist::Named(NamedDist::Uniform(lo, hi)) => {
                if hi > lo {
                    rng.random_range(lo..=hi)
                } else {
                    lo
                }
            }
            Dist::Named(NamedDist::Normal(m, sd)) => {
                Normal::new(m, sd).map_or(m, |d| d.sample(rng))
            }
            Dist::Named(NamedDist::LogNormal(median, sigma)) => {
                LogNormal::new(median.ln(), sigma).map_or(median, |d| d.sample(rng))
            }
            Dist::Named(NamedDist::Triangular(lo, mode, hi)) => {
                Triangular::new(lo, hi, mode).map_or(mode, |d| d.sample(rng))
            }
        }
    }

    /// The central value: the number itself, the mean, or the median of a log-normal.
    pub fn central(&self) -> f64 {
        match *self {
            Dist::Value(v) | Dist::Named(NamedDist::Fixed(v)) => v,
            Dist::Named(NamedDist::Uniform(lo, hi)) => 0.5 * (lo + hi),
            Dist::Named(NamedDist::Normal(m, _)) | Dist::Named(NamedDist::LogNormal(m, _)) => m,
            Dist::Named(NamedDist::Triangular(lo, mode, hi)) => (lo + mode + hi) / 3.0,
        }
    }

    /// True when the value differs between runs.
    pub fn is_uncertain(&self) -> bool {
        !matches!(self, Dist::Value(_) | Dist::Named(NamedDist::Fixed(_)))
    }

    /// Smallest and largest value the distribution can take (normal and log-normal:
    /// the 0.1 % and 99.9 % quantiles), for range checks.
    pub fn support(&self) -> (f64, f64) {
        match *self {
            Dist::Value(v) | Dist::Named(NamedDist::Fixed(v)) => (v, v),
            Dist::Named(NamedDist::Uniform(lo, hi))
            | Dist::Named(NamedDist::Triangular(lo, _, hi)) => (lo, hi),
            Dist::Named(NamedDist::Normal(m, sd)) => (m - 3.09 * sd, m + 3.09 * sd),
            Dist::Named(NamedDist::LogNormal(med, s)) => {
                (med * (-3.09 * s).exp(), med * (3.09 * s).exp())
            }
        }
    }

    /// Why the distribution's parameters are impossible, if they are.
    pub fn problem(&self) -> Option<String> {
        let finite = |xs: &[f64]| xs.iter().all(|x| x.is_finite());
        match *self {
            Dist::Value(v) | Dist::Named(NamedDist::Fixed(v)) if !v.is_finite() => {
                Some("the value is not a finite number".into())
            }
            Dist::Named(NamedDist::Uniform(lo, hi)) if !finite(&[lo, hi]) || hi < lo => Some(
                format!("Uniform({lo}, {hi}) needs finite bounds with lo <= hi"),
            ),
            Dist::Named(NamedDist::Normal(m, sd)) if !finite(&[m, sd]) || sd < 0.0 => Some(
                format!("Normal({m}, {sd}) needs a finite mean and a standard deviation >= 0"),
            ),
            Dist::Named(NamedDist::LogNormal(med, s))
                if !finite(&[med, s]) || med <= 0.0 || s < 0.0 =>
            {
                Some(format!(
                    "LogNormal({med}, {s}) needs a median > 0 and a log standard deviation >= 0"
                ))
            }
            Dist::Named(NamedDist::Triangular(lo, mode, hi))
                if !(finite(&[lo, mode, hi]) && lo <= mode && mode <= hi) =>
            {
                Some(format!(
                    "Triangular({lo}, {mode}, {hi}) needs lo <= mode <= hi"
                ))
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn plain_numbers_and_named_distributions_parse() {
        let v: Vec<Dist> =
            ron::from_str("[1, 2.5, Uniform(1, 2), LogNormal(3, 0.5), Triangular(0, 1, 4)]")
                .unwrap();
        assert_eq!(v[0], Dist::Value(1.0));
        assert_eq!(v[2], Dist::Named(NamedDist::Uniform(1.0, 2.0)));
        assert!(v[3].is_uncertain() && !v[1].is_uncertain());
    }

    #[test]
    fn draws_stay_inside_the_support() {
        let mut rng = rand::rngs::ChaCha8Rng::seed_from_u64(1);
        let d = Dist::Named(NamedDist::Triangular(1.0, 2.0, 5.0));
        for _ in 0..1000 {
            let x = d.draw(&mut rng);
            assert!((1.0..=5.0).contains(&x));
        }
        let u = Dist::Named(NamedDist::Uniform(3.0, 3.5));
        let mean: f64 = (0..4000).map(|_| u.draw(&mut rng)).sum::<f64>() / 4000.0;
        assert!((mean - 3.25).abs() < 0.02, "{mean}");
    }

    #[test]
    fn impossible_parameters_are_named() {
        assert!(
            Dist::Named(NamedDist::Uniform(2.0, 1.0))
                .problem()
                .is_some()
        );
        assert!(
            Dist::Named(NamedDist::LogNormal(-1.0, 0.3))
                .problem()
                .is_some()
        );
        assert!(Dist::Value(f64::NAN).problem().is_some());
        assert!(Dist::Named(NamedDist::Normal(1.0, 0.2)).problem().is_none());
    }
}
