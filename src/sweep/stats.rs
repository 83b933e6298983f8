//! The few statistics sweeps need, written out so their definitions are plain.

use serde::Serialize;

use crate::scenario::Minute;

/// An estimate with a 95% interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Interval {
    pub estimate: f64,
    pub low: f64,
    pub high: f64,
}

/// z for a two-sided 95% interval.
const Z95: f64 = 1.959_963_984_540_054;

/// The Wilson score interval for `hits` successes in `n` trials: well behaved near 0 and 1,
/// unlike the normal approximation.
pub fn wilson(hits: usize, n: usize) -> Interval {
    if n == 0 {
        return Interval {
            estimate: 0.0,
            low: 0.0,
            high: 0.0,
        };
    }
    wilson_at(hits as f64 / n as f64, n as f64)
}

/// The Wilson interval of an observed rate `p` over `n` trials, `n` not necessarily whole:
/// what the interval would be if the rate held over more seeds (see `expect`).
pub fn wilson_at(p: f64, n: f64) -> Interval {
    let z2 = Z95 * Z95;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = Z95 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / (1.0 + z2 / n);
    Interval {
        estimate: p,
        low: (centre - half).max(0.0),
        high: (centre + half).min(1.0),
    }
}

/// The mean of paired differences with a normal 95% interval (n is large in sweeps).
pub fn mean_interval(values: &[f64]) -> Interval {
    let n = values.len() as f64;
    if values.is_empty() {
        return Interval {
            estimate: 0.0,
            low: 0.0,
            high: 0.0,
        };
    }
    let mean = values.iter().sum::<f64>() / n;
    if values.len() < 2 {
        return Interval {
            estimate: mean,
            low: mean,
            high: mean,
        };
    }
    let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
    let half = Z95 * (variance / n).sqrt();
    Interval {
        estimate: mean,
        low: mean - half,
        high: mean + half,
    }
}

/// Nearest-rank percentile of sorted values.
pub fn percentile(sorted: &[Minute], p: u32) -> Minute {
    if sorted.is_empty() {
        return 0;
    }
    let rank = (u64::from(p) * sorted.len() as u64).div_ceil(100).max(1);
    sorted[(rank as usize - 1).min(sorted.len() - 1)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_matches_a_reference_value() {
        // 20 of 100: the textbook Wilson interval is [0.1333, 0.2888].
        let i = wilson(20, 100);
        assert!(
            (i.low - 0.1333).abs() < 1e-3 && (i.high - 0.2888).abs() < 1e-3,
            "{i:?}"
        );
        let all = wilson(10, 10);
        assert!(all.high <= 1.0 && all.low > 0.6);
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        let v: Vec<Minute> = (1..=100).collect();
        assert_eq!(percentile(&v, 50), 50);
        assert_eq!(percentile(&v, 90), 90);
        assert_eq!(percentile(&v, 99), 99);
        assert_eq!(percentile(&[7], 99), 7);
    }

    #[test]
    fn paired_differences_have_an_interval_around_their_mean() {
        let i = mean_interval(&[1.0, 0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 1.0]);
        assert!((i.estimate - 0.625).abs() < 1e-12 && i.low < 0.625 && i.high > 0.625);
    }
}
