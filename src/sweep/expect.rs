//! Expectations: what a CSIRT's CI asks of a sweep after someone edits a procedure.
//!
//! `obj-3 >= 90%` is judged on the 95% Wilson interval of obj-3's hit rate, not on the
//! rate alone: a rate of 91% over 50 seeds does not show that the procedure meets 90%,
//! and a CI gate that passes or fails on noise teaches people to ignore it. So an
//! expectation passes only when the whole interval is on its side of the threshold, fails
//! only when the whole interval is on the other side, and is otherwise inconclusive, with
//! an estimate of how many seeds would decide it if the observed rate held.

use serde::Serialize;

use super::Summary;
use super::stats::{Interval, wilson_at};

/// Which side of the threshold the hit rate must be on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    /// `>=`: the objective is met at least this often.
    AtLeast,
    /// `<=`: at most this often (an objective that counts something bad).
    AtMost,
}

impl Bound {
    pub fn symbol(self) -> &'static str {
        match self {
            Self::AtLeast => ">=",
            Self::AtMost => "<=",
        }
    }
}

/// One parsed expectation, e.g. `obj-3 >= 90%`.
#[derive(Clone, Debug, PartialEq)]
pub struct Expectation {
    pub objective: String,
    pub bound: Bound,
    /// The threshold as a fraction (0.9 for 90%).
    pub threshold: f64,
    /// The threshold as written, without its `%` (kept so `92.5%` prints as written).
    pub percent: String,
}

impl Expectation {
    /// As the user would write it, normalised: `obj-3 >= 90%`.
    pub fn label(&self) -> String {
        format!(
            "{} {} {}%",
            self.objective,
            self.bound.symbol(),
            self.percent
        )
    }
}

const FORM: &str = "expected ID >= PERCENT% or ID <= PERCENT%, e.g. \"obj-3 >= 90%\"";

/// Parses `ID >= PERCENT%` or `ID <= PERCENT%` against the sweep's objectives (ids in
/// scenario order), naming the known ids when the id is not one of them.
pub fn parse(text: &str, objectives: &[String]) -> Result<Expectation, String> {
    let found = [(">=", Bound::AtLeast), ("<=", Bound::AtMost)]
        .into_iter()
        .find_map(|(symbol, bound)| text.split_once(symbol).map(|parts| (parts, bound)));
    let Some(((id, value), bound)) = found else {
        return Err(format!("\"{text}\": {FORM}"));
    };
    let (id, value) = (id.trim(), value.trim());
    if id.is_empty() {
        return Err(format!("\"{text}\": no objective id; {FORM}"));
    }
    let percent = value
        .strip_suffix('%')
        .map(str::trim_end)
        .filter(|p| !p.is_empty())
        .ok_or_else(|| format!("\"{text}\": \"{value}\" is not a percentage; {FORM}"))?;
    let number: f64 = percent
        .parse()
        .ok()
        .filter(|p: &f64| (0.0..=100.0).contains(p))
        .ok_or_else(|| format!("\"{text}\": \"{value}\": expected a percentage from 0% to 100%"))?;
    if !objectives.iter().any(|o| o == id) {
        let known = if objectives.is_empty() {
            "the scenario has none".to_owned()
        } else {
            format!("the scenario's objectives are {}", objectives.join(", "))
        };
        return Err(format!("\"{text}\": no objective \"{id}\"; {known}"));
    }
    Ok(Expectation {
        objective: id.to_owned(),
        bound,
        threshold: number / 100.0,
        percent: percent.to_owned(),
    })
}

/// What an expectation came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Pass,
    Fail,
    Inconclusive,
}

impl Outcome {
    pub fn label(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Fail => "fail",
            Self::Inconclusive => "inconclusive",
        }
    }
}

/// Where the interval lies against the threshold.
fn outcome(bound: Bound, threshold: f64, interval: &Interval) -> Outcome {
    let (sure, refuted) = match bound {
        Bound::AtLeast => (interval.low >= threshold, interval.high < threshold),
        Bound::AtMost => (interval.high <= threshold, interval.low > threshold),
    };
    if sure {
        Outcome::Pass
    } else if refuted {
        Outcome::Fail
    } else {
        Outcome::Inconclusive
    }
}

/// Beyond this many seeds the estimate says "more than any sweep": not a figure to act on.
pub const MOST_SEEDS: u64 = 1_000_000_000;

/// About how many seeds in all would decide an inconclusive expectation, if the rate stayed
/// at `rate`: the smallest n whose Wilson interval at that rate lies wholly on one side of
/// the threshold, rounded up to two significant digits. `None` when no n does (the rate
/// equals the threshold, or it would take more than [`MOST_SEEDS`]). An estimate: the rate
/// itself moves as seeds are added.
pub fn seeds_to_decide(bound: Bound, threshold: f64, rate: f64, runs: u64) -> Option<u64> {
    let decided =
        |n: u64| outcome(bound, threshold, &wilson_at(rate, n as f64)) != Outcome::Inconclusive;
    let mut high = runs.max(1);
    while !decided(high) {
        if high > MOST_SEEDS {
            return None;
        }
        high *= 2;
    }
    // The interval narrows as n grows at a fixed rate: search the first n that decides.
    let mut low = high / 2;
    while low + 1 < high {
        let mid = low + (high - low) / 2;
        if decided(mid) {
            high = mid;
        } else {
            low = mid;
        }
    }
    Some(round_up_2_digits(high))
}

fn round_up_2_digits(n: u64) -> u64 {
    let mut unit = 1;
    while n / unit >= 100 {
        unit *= 10;
    }
    n.div_ceil(unit) * unit
}

/// One expectation judged on a sweep.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Judgement {
    /// As written, normalised: `obj-3 >= 90%`.
    pub expectation: String,
    pub objective: String,
    pub bound: Bound,
    pub threshold: f64,
    /// `variant` when the sweep compares one (the procedure proposed), else `baseline`.
    pub judged_on: &'static str,
    pub hit_rate: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    pub outcome: Outcome,
    /// For an inconclusive one: about how many seeds in all would decide it (an estimate,
    /// see [`seeds_to_decide`]); absent when no number would.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seeds_to_decide: Option<u64>,
}

/// Judges each expectation on the summary's figures: the variant's when it compares one
/// (a CSIRT tries a proposed procedure as the variant), else the baseline's.
pub fn judge(summary: &Summary, expectations: &[Expectation]) -> Vec<Judgement> {
    expectations
        .iter()
        .filter_map(|e| {
            let stats = summary.objectives.iter().find(|o| o.id == e.objective)?;
            let (judged_on, interval) = match &stats.variant {
                Some(v) => (
                    "variant",
                    Interval {
                        estimate: v.hit_rate,
                        low: v.ci_low,
                        high: v.ci_high,
                    },
                ),
                None => (
                    "baseline",
                    Interval {
                        estimate: stats.hit_rate,
                        low: stats.ci_low,
                        high: stats.ci_high,
                    },
                ),
            };
            let outcome = outcome(e.bound, e.threshold, &interval);
            let seeds_to_decide = (outcome == Outcome::Inconclusive)
                .then(|| {
                    seeds_to_decide(e.bound, e.threshold, interval.estimate, summary.runs as u64)
                })
                .flatten();
            Some(Judgement {
                expectation: e.label(),
                objective: e.objective.clone(),
                bound: e.bound,
                threshold: e.threshold,
                judged_on,
                hit_rate: interval.estimate,
                ci_low: interval.low,
                ci_high: interval.high,
                outcome,
                seeds_to_decide,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sweep::stats::wilson;

    fn ids() -> Vec<String> {
        vec!["obj-1".into(), "obj-3".into()]
    }

    #[test]
    fn expectations_parse_with_or_without_spaces() {
        let e = parse("obj-3 >= 90%", &ids()).unwrap();
        assert_eq!((e.bound, e.threshold), (Bound::AtLeast, 0.9));
        let e = parse("obj-1<=12.5%", &ids()).unwrap();
        assert_eq!(
            (e.bound, e.label()),
            (Bound::AtMost, "obj-1 <= 12.5%".into())
        );
    }

    #[test]
    fn bad_expectations_say_what_was_expected() {
        for (text, says) in [
            ("obj-3 > 90%", "expected ID >= PERCENT% or ID <= PERCENT%"),
            ("obj-3 >= 0.9", "is not a percentage"),
            ("obj-3 >= 120%", "from 0% to 100%"),
            (">= 90%", "no objective id"),
            ("obj-9 >= 90%", "the scenario's objectives are obj-1, obj-3"),
        ] {
            let error = parse(text, &ids()).unwrap_err();
            assert!(error.contains(says), "{text}: {error}");
        }
    }

    #[test]
    fn the_interval_decides_not_the_rate() {
        // 46 of 50 is 92%, but its interval reaches down to about 81%.
        let i = wilson(46, 50);
        assert_eq!(outcome(Bound::AtLeast, 0.9, &i), Outcome::Inconclusive);
        assert_eq!(outcome(Bound::AtLeast, 0.8, &i), Outcome::Pass);
        assert_eq!(outcome(Bound::AtLeast, 0.99, &i), Outcome::Fail);
        assert_eq!(outcome(Bound::AtMost, 0.99, &i), Outcome::Pass);
        assert_eq!(outcome(Bound::AtMost, 0.8, &i), Outcome::Fail);
    }

    #[test]
    fn the_seed_estimate_is_where_the_interval_would_exclude_the_threshold() {
        let n = seeds_to_decide(Bound::AtLeast, 0.9, 0.92, 50).unwrap();
        // At 92% the Wilson lower bound reaches 90% at 865 seeds: about 870.
        assert_eq!(n, 870);
        assert!(wilson_at(0.92, 870.0).low >= 0.9);
        assert!(wilson_at(0.92, 864.0).low < 0.9);
        // Below the threshold, it is the upper bound that must come down.
        let n = seeds_to_decide(Bound::AtLeast, 0.9, 0.85, 40).unwrap();
        assert!(wilson_at(0.85, n as f64).high < 0.9, "{n}");
        // A rate on the threshold is never decided: no fake figure.
        assert_eq!(seeds_to_decide(Bound::AtLeast, 0.5, 0.5, 40), None);
        assert_eq!(round_up_2_digits(1537), 1600);
        assert_eq!(round_up_2_digits(99), 99);
    }
}
