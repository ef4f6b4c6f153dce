//! A mergeable quantile sketch of one metric in one year across runs.
//!
//! Values go into log-linear buckets, HdrHistogram-style: a bucket is the sign, the
//! binary exponent and the top [`SUB_BITS`] bits of the mantissa of an `f64`, so
//! `2^SUB_BITS` = 256 buckets cover each power of two. Each bucket keeps an integer
//! count and the least and greatest value it received; the sketch also keeps the number
//! of values and their sum in fixed point (an `i128` of units of 2^-32).
//!
//! Every part of the state merges exactly and order-independently (counts and
//! fixed-point sums add, minima and maxima commute), so merging partial sketches (of
//! threads, chunks of runs or machines) gives the same bytes as adding every value to one
//! sketch, whatever the order.
//!
//! **Error.** The `j`-th order statistic is read from the bucket that holds it: exactly
//! when the bucket holds one value, two values or one repeated value (integer counts,
//! zeros, values that do not vary between runs), otherwise by spreading the bucket's
//! values evenly between its least and greatest. The estimate and the true value both lie
//! in that bucket, whose values share sign, exponent and top mantissa bits, so the error
//! is below `|v| * 2^-SUB_BITS` = 0.39 % of the true order statistic `v`. Percentiles
//! interpolate between two order statistics as numpy's default does, so a percentile's
//! error is below 0.39 % of the larger magnitude of its two neighbouring order
//! statistics ([`RELATIVE_ERROR`]). Means are exact up to rounding each value to a
//! multiple of 2^-32 (an absolute error below 2^-33 ≈ 1.2e-10) and the final division,
//! and are given as the shortest decimal within another 2^-33 of that: within 2^-32
//! ≈ 2.3e-10 of the exact mean (or its `f64` rounding, for means above about 2^20).

/// Mantissa bits kept in a bucket key: `2^SUB_BITS` buckets per power of two.
pub const SUB_BITS: u32 = 8;

/// Bound on a percentile's error relative to the larger magnitude of the two order
/// statistics it interpolates between: `2^-SUB_BITS` (0.39 %).
pub const RELATIVE_ERROR: f64 = 1.0 / (1u64 << SUB_BITS) as f64;

/// The largest magnitude a sketch takes. Sums stay exact below it: 10^7 runs (the most a
/// scenario may ask for) of 10^18 each, in units of 2^-32, need 4.3e34 of an `i128`'s
/// 1.7e38. Runs refuse larger values with an error naming the metric
/// ([`crate::error::RunError::OutOfRange`]).
pub const EXACT_MAX: f64 = 1e18;

/// Units of the fixed-point sum per 1.0.
const FIXED_SCALE: f64 = 4_294_967_296.0;

/// The bucket of a value: order-preserving over finite values.
fn key(x: f64) -> u32 {
    (ordered(x + 0.0) >> (52 - SUB_BITS)) as u32 // -0.0 becomes 0.0
}

/// The bits of `x` as an integer whose order is `f64::total_cmp`'s: negative values
/// with every bit flipped, others with the sign bit set. [`from_ordered`] undoes it.
fn ordered(x: f64) -> u64 {
    let b = x.to_bits();
    if b >> 63 == 1 { !b } else { b | (1 << 63) }
}

/// The value whose [`ordered`] bits are `o`.
fn from_ordered(o: u64) -> f64 {
    f64::from_bits(if o >> 63 == 1 { o & !(1 << 63) } else { !o })
}

/// Sorts `values` in `f64::total_cmp`'s order, as `sort_unstable_by(f64::total_cmp)`
/// does, but faster: a column where every run gave the same value (policy inputs, counts,
/// zeros: many cells) is left as it is, and others are sorted as integers whose order is
/// `total_cmp`'s (the same bits come back, so the result is the same to the bit).
/// `scratch` is space reused between calls.
pub fn sort_total(values: &mut [f64], scratch: &mut Vec<u64>) {
    let Some(first) = values.first().map(|x| x.to_bits()) else {
        return;
    };
    if values.iter().all(|x| x.to_bits() == first) {
        return;
    }
    scratch.clear();
    scratch.extend(values.iter().map(|&x| ordered(x)));
    scratch.sort_unstable();
    for (v, &o) in values.iter_mut().zip(scratch.iter()) {
        *v = from_ordered(o);
    }
}

/// Index of the first of `keys` (ascending) that is at least `k`,
/// found by galloping: probes at 0, 1, 3, 7, ... then a binary search within the last
/// step, so a key near the start costs a probe or two and one far on costs its log.
fn gallop(keys: &[u32], k: u32) -> usize {
    let mut lo = 0;
    let mut step = 1;
    while lo < keys.len() && keys[lo] < k {
        let hi = (lo + step).min(keys.len());
        if hi == keys.len() || keys[hi] >= k {
            return lo + 1 + keys[lo + 1..hi].partition_point(|&x| x < k);
        }
        lo = hi;
        step *= 2;
    }
    lo
}

fn fixed(x: f64) -> i128 {
    // `(x * FIXED_SCALE).round() as i128` without the software `round` and i128
    // conversion (the target has neither in hardware), to the bit: below 2^52 the
    // truncation and its remainder are exact and rounding is half away from zero;
    // above it every `f64` is a whole number.
    const WHOLE: f64 = 4_503_599_627_370_496.0; // 2^52
    let y = x * FIXED_SCALE;
    if y.abs() < WHOLE {
        let t = y as i64;
        let frac = y - t as f64;
        let r = if frac >= 0.5 {
            t + 1
        } else if frac <= -0.5 {
            t - 1
        } else {
            t
        };
        i128::from(r)
    } else if y.abs() < 9.2e18 {
        i128::from(y as i64)
    } else {
        y.round() as i128
    }
}

/// A bucket as files hold it (a sketch keeps keys and statistics apart).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
struct Bucket {
    key: u32,
    count: u64,
    min: f64,
    max: f64,
}

/// A bucket's count and extremes.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Stat {
    count: u64,
    min: f64,
    max: f64,
}

impl Stat {
    /// Adds the values of `other`, a bucket with the same key.
    fn absorb(&mut self, other: &Stat) {
        self.count += other.count;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
    }
}

/// A sketch as files hold it: the buckets as one list, as before keys and statistics
/// were kept apart, so shard files keep their format.
#[derive(serde::Serialize, serde::Deserialize)]
struct SketchRepr {
    n: u64,
    sum: i128,
    buckets: Vec<Bucket>,
}

impl From<SketchRepr> for Sketch {
    fn from(r: SketchRepr) -> Self {
        Sketch {
            n: r.n,
            sum: r.sum,
            keys: r.buckets.iter().map(|b| b.key).collect(),
            stats: r
                .buckets
                .iter()
                .map(|b| Stat {
                    count: b.count,
                    min: b.min,
                    max: b.max,
                })
                .collect(),
        }
    }
}

impl From<Sketch> for SketchRepr {
    fn from(s: Sketch) -> Self {
        SketchRepr {
            n: s.n,
            sum: s.sum,
            buckets: s
                .keys
                .iter()
                .zip(&s.stats)
                .map(|(&key, t)| Bucket {
                    key,
                    count: t.count,
                    min: t.min,
                    max: t.max,
                })
                .collect(),
        }
    }
}

/// Space [`Sketch::add_sorted_with`] reuses between calls.
#[derive(Debug, Default)]
pub struct Scratch(Vec<(u32, Stat)>);

/// Counts, extremes and a fixed-point sum of a set of finite values; see the module
/// documentation for the error bounds.
///
/// Bucket keys are kept apart from their statistics: finding where a batch of values
/// goes reads keys alone, sixteen to a cache line (a bucket is 32 bytes), and the
/// sketches of an ensemble are tens of megabytes, mostly out of cache.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(from = "SketchRepr", into = "SketchRepr")]
pub struct Sketch {
    n: u64,
    sum: i128,
    /// Bucket keys, ascending.
    keys: Vec<u32>,
    /// `stats[i]` is bucket `keys[i]`'s.
    stats: Vec<Stat>,
}

impl Sketch {
    /// Adds a finite value.
    pub fn add(&mut self, x: f64) {
        let x = x + 0.0;
        self.n += 1;
        self.sum += fixed(x);
        let k = key(x);
        let one = Stat {
            count: 1,
            min: x,
            max: x,
        };
        match self.keys.binary_search(&k) {
            Ok(i) => self.stats[i].absorb(&one),
            Err(i) => {
                self.keys.insert(i, k);
                self.stats.insert(i, one);
            }
        }
    }

    /// Adds values sorted in ascending order, with the same result as adding them one by
    /// one: each run of values sharing a bucket updates the bucket in place (found by
    /// galloping on from the last bucket touched: no copy, and no walk over the buckets
    /// between), and only buckets not seen before are merged in, from the end, a block
    /// at a time.
    pub fn add_sorted(&mut self, sorted: &[f64]) {
        self.add_sorted_with(sorted, &mut Scratch::default());
    }

    /// [`Sketch::add_sorted`] with the new buckets gathered in `scratch`, which callers
    /// adding to many sketches keep between calls (no allocation per call).
    pub fn add_sorted_with(&mut self, sorted: &[f64], scratch: &mut Scratch) {
        if sorted.is_empty() {
            return;
        }
        let fresh = &mut scratch.0;
        fresh.clear();
        let mut from = 0;
        let mut i = 0;
        let mut sum = self.sum;
        while i < sorted.len() {
            let x = sorted[i] + 0.0;
            let k = key(x);
            let mut b = Stat {
                count: 0,
                min: x,
                max: x,
            };
            while i < sorted.len() {
                let v = sorted[i] + 0.0;
                if key(v) != k {
                    break;
                }
                sum += fixed(v);
                b.count += 1;
                b.min = b.min.min(v);
                b.max = b.max.max(v);
                i += 1;
            }
            self.n += b.count;
            from += gallop(&self.keys[from..], k);
            if self.keys.get(from) == Some(&k) {
                self.stats[from].absorb(&b);
                from += 1;
            } else {
                fresh.push((k, b));
            }
        }
        self.sum = sum;
        if fresh.is_empty() {
            return;
        }
        // Merge the new buckets (keys absent from the sketch, ascending) from the end:
        // each block of old buckets above a new one moves once, by one `copy_within`.
        let old = self.keys.len();
        if self.keys.capacity() < old + fresh.len() {
            // Room for an eighth more: reallocations stay rare (geometric growth) while
            // memory stays near the buckets' own size (sketches are many, mostly full).
            let more = fresh.len() + fresh.len().max(old / 8);
            self.keys.reserve_exact(more);
            self.stats.reserve_exact(more);
        }
        self.keys.extend(fresh.iter().map(|f| f.0));
        self.stats.extend(fresh.iter().map(|f| f.1));
        let mut end = old; // old buckets [0, end) are not yet in place
        for (f, &(k, b)) in fresh.iter().enumerate().rev() {
            let at = self.keys[..end].partition_point(|&x| x < k);
            // Old buckets [at, end) go up by the f + 1 new buckets at or above them.
            self.keys.copy_within(at..end, at + f + 1);
            self.stats.copy_within(at..end, at + f + 1);
            self.keys[at + f] = k;
            self.stats[at + f] = b;
            end = at;
        }
    }

    /// Adds every value of `other`: the same result as adding them one by one.
    pub fn merge(&mut self, other: &Sketch) {
        if other.n == 0 {
            return;
        }
        self.n += other.n;
        self.sum += other.sum;
        let cap = self.keys.len() + other.keys.len();
        let (mut keys, mut stats) = (Vec::with_capacity(cap), Vec::with_capacity(cap));
        let (mut a, mut b) = (0, 0);
        while a < self.keys.len() && b < other.keys.len() {
            let (ka, kb) = (self.keys[a], other.keys[b]);
            match ka.cmp(&kb) {
                std::cmp::Ordering::Equal => {
                    let mut t = self.stats[a];
                    t.absorb(&other.stats[b]);
                    keys.push(ka);
                    stats.push(t);
                    a += 1;
                    b += 1;
                }
                std::cmp::Ordering::Less => {
                    keys.push(ka);
                    stats.push(self.stats[a]);
                    a += 1;
                }
                std::cmp::Ordering::Greater => {
                    keys.push(kb);
                    stats.push(other.stats[b]);
                    b += 1;
                }
            }
        }
        // One side is used up: the rest of the other follows in order.
        keys.extend_from_slice(&self.keys[a..]);
        stats.extend_from_slice(&self.stats[a..]);
        keys.extend_from_slice(&other.keys[b..]);
        stats.extend_from_slice(&other.stats[b..]);
        self.keys = keys;
        self.stats = stats;
    }

    /// Number of values.
    pub fn len(&self) -> u64 {
        self.n
    }

    /// True when no value was added.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// Mean (0 when empty).
    pub fn mean(&self) -> f64 {
        if self.n == 0 {
            0.0
        } else {
            // Written as the shortest decimal within half a unit of the fixed point, so
            // runs that all gave 0.12 have the mean 0.12, not 0.12000000011175871.
            let mean = self.sum as f64 / FIXED_SCALE / self.n as f64;
            crate::numbers::shortest_within(mean, 0.5 / FIXED_SCALE)
        }
    }

    /// The `j`-th smallest value (0-based), estimated within its bucket.
    fn order_stat(&self, j: u64) -> f64 {
        let mut seen = 0;
        for b in &self.stats {
            if j < seen + b.count {
                let i = j - seen;
                return if i == 0 {
                    b.min
                } else if i + 1 == b.count {
                    b.max
                } else {
                    b.min + (b.max - b.min) * (i as f64 / (b.count - 1) as f64)
                };
            }
            seen += b.count;
        }
        self.stats.last().map_or(0.0, |b| b.max)
    }

    /// The `q`-quantile (0..1), interpolating linearly between order statistics as
    /// numpy's default does (0 when empty).
    pub fn quantile(&self, q: f64) -> f64 {
        if self.n == 0 {
            return 0.0;
        }
        let h = q.clamp(0.0, 1.0) * (self.n - 1) as f64;
        let lo = h.floor() as u64;
        let hi = h.ceil() as u64;
        let a = self.order_stat(lo);
        if hi == lo {
            return a;
        }
        a + (h - lo as f64) * (self.order_stat(hi) - a)
    }

    /// Bytes held (for memory accounting).
    pub fn heap_bytes(&self) -> usize {
        self.keys.capacity() * std::mem::size_of::<u32>()
            + self.stats.capacity() * std::mem::size_of::<Stat>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The integer sort gives `sort_unstable_by(f64::total_cmp)`'s values to the bit:
    /// signed zeros, subnormals, infinities, NaNs, ties and constant columns.
    #[test]
    fn sort_total_is_total_cmps_order() {
        use rand::{RngExt, SeedableRng};
        let mut rng = rand::rngs::ChaCha8Rng::seed_from_u64(7);
        let special = [
            0.0,
            -0.0,
            f64::MIN_POSITIVE / 4.0,
            -f64::MIN_POSITIVE / 4.0,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
            -f64::NAN,
            f64::MAX,
            f64::MIN,
            1.0,
            -1.0,
        ];
        let mut scratch = Vec::new();
        for case in 0..2_000 {
            let n = rng.random_range(0..80);
            let mut v: Vec<f64> = (0..n)
                .map(|_| match case % 4 {
                    0 => special[rng.random_range(0..special.len())],
                    1 => 2.5,
                    2 => f64::from(rng.random_range(-3..4i8)),
                    _ => (rng.random::<f64>() - 0.5) * 1e6,
                })
                .collect();
            let mut want = v.clone();
            want.sort_unstable_by(f64::total_cmp);
            sort_total(&mut v, &mut scratch);
            let bits = |x: &[f64]| x.iter().map(|y| y.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&v), bits(&want), "case {case}");
        }
    }

    use crate::sim::aggregate::quantile_sorted;

    fn values(n: usize, seed: u64) -> Vec<f64> {
        // A deterministic spread of magnitudes, signs, repeats and zeros.
        let mut x = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
        (0..n)
            .map(|i| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let u = (x >> 11) as f64 / (1u64 << 53) as f64;
                match i % 5 {
                    0 => (u * 10.0).floor(),
                    1 => 0.0,
                    2 => -u * 3.0,
                    _ => (u * 12.0).exp(),
                }
            })
            .collect()
    }

    /// The fast fixed-point conversion is the plain one to the bit.
    #[test]
    fn fixed_equals_round_then_convert() {
        let plain = |x: f64| (x * FIXED_SCALE).round() as i128;
        let mut cases = vec![
            0.0, -0.0, 1.0, -1.0, 1e-300, -1e-300, EXACT_MAX, -EXACT_MAX, 1e30, -1e30,
        ];
        for k in [
            0.5,
            1.5,
            2.5,
            -0.5,
            -1.5,
            -2.5,
            0.49999999999999994,
            -0.49999999999999994,
        ] {
            cases.push(k / FIXED_SCALE);
        }
        for e in [51, 52, 53, 62, 63, 64] {
            let p = 2f64.powi(e) / FIXED_SCALE;
            for d in [-1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5] {
                cases.push(p + d / FIXED_SCALE);
                cases.push(-p + d / FIXED_SCALE);
                cases.push(f64::from_bits(p.to_bits() - 1));
                cases.push(-f64::from_bits(p.to_bits() + 1));
            }
        }
        cases.extend(values(20_000, 3));
        cases.extend(values(20_000, 4).iter().map(|v| v * 1e6 + 0.3));
        for x in cases {
            assert_eq!(fixed(x), plain(x), "{x:e}");
        }
    }

    #[test]
    fn keys_preserve_order() {
        let mut v = values(500, 1);
        v.sort_by(f64::total_cmp);
        assert!(v.windows(2).all(|w| key(w[0]) <= key(w[1])));
        assert_eq!(key(-0.0), key(0.0));
    }

    #[test]
    fn percentiles_are_within_the_documented_error_and_exact_on_few_values() {
        for n in [1usize, 2, 3, 7, 24, 100, 1000, 5000] {
            let v = values(n, n as u64);
            let mut sk = Sketch::default();
            v.iter().for_each(|&x| sk.add(x));
            let mut sorted = v.clone();
            sorted.sort_by(f64::total_cmp);
            for q in [0.0, 0.1, 0.25, 0.5, 0.9, 1.0] {
                let exact = quantile_sorted(&sorted, q);
                let h = q * (n - 1) as f64;
                let bound = sorted[h.floor() as usize]
                    .abs()
                    .max(sorted[h.ceil() as usize].abs())
                    * RELATIVE_ERROR;
                let got = sk.quantile(q);
                assert!(
                    (got - exact).abs() <= bound,
                    "n {n} q {q}: {got} vs {exact}"
                );
            }
            let mean = v.iter().sum::<f64>() / n as f64;
            assert!((sk.mean() - mean).abs() <= 1e-9 * mean.abs().max(1.0));
        }
        // Integers and repeated values are exact.
        let mut sk = Sketch::default();
        for x in [3.0, 1.0, 2.0, 2.0, 5.0, 4.0, 150.0, 150.0, 0.0] {
            sk.add(x);
        }
        let mut s = [3.0, 1.0, 2.0, 2.0, 5.0, 4.0, 150.0, 150.0, 0.0];
        s.sort_by(f64::total_cmp);
        for q in [0.1, 0.5, 0.9] {
            assert_eq!(sk.quantile(q), quantile_sorted(&s, q));
        }
    }

    #[test]
    fn merging_parts_in_any_order_equals_adding_everything() {
        let v = values(3000, 7);
        let mut all = Sketch::default();
        v.iter().for_each(|&x| all.add(x));
        let parts: Vec<Sketch> = v
            .chunks(701)
            .map(|c| {
                let mut s = Sketch::default();
                c.iter().for_each(|&x| s.add(x));
                s
            })
            .collect();
        let mut fwd = Sketch::default();
        parts.iter().for_each(|p| fwd.merge(p));
        let mut back = Sketch::default();
        parts.iter().rev().for_each(|p| back.merge(p));
        assert_eq!(fwd, all);
        assert_eq!(back, all);
        let mut batched = Sketch::default();
        for c in v.chunks(64) {
            let mut c = c.to_vec();
            c.sort_by(f64::total_cmp);
            batched.add_sorted(&c);
        }
        assert_eq!(batched, all);
    }
}
