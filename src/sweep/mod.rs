//! Monte Carlo sweeps over seeds, comparing procedure variants on common random numbers.
//!
//! Every seed is played once per variant with the same keyed random streams, so a
//! difference between variants comes from the procedure, not the dice. Seeds run in
//! parallel; results are gathered in seed order, so the output is the same on 1 thread or
//! many. A sweep can be cut into shards whose per-seed results merge into exactly the
//! output one sweep gives.

pub mod cluster;
pub mod expect;
pub mod shard;
mod stats;

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::scenario::{Minute, Scenario};
use crate::sim::{BuildError, Event, Open, Plan, Simulation, Variants, Verdict};

pub use stats::{Interval, percentile, wilson};

/// What to sweep.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SweepSpec {
    /// `scenario::digest` of the scenario swept.
    pub digest: String,
    pub seed_base: u64,
    pub seeds: u64,
    /// The variants compared against the baseline (each procedure's first variant).
    pub variants: Variants,
    /// `--with-optional`: the scenario's optional injects fired as if they were not optional
    /// (the digest is of the scenario so played). Absent from shards that leave them out.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub with_optional: bool,
}

impl SweepSpec {
    /// The seeds of shard `k` of `m` (1-based): every m-th seed from the k-th.
    pub fn shard_seeds(&self, shard: Option<(u64, u64)>) -> Vec<u64> {
        let (k, m) = shard.unwrap_or((1, 1));
        (self.seed_base..self.seed_base + self.seeds)
            .skip((k - 1) as usize)
            .step_by(m as usize)
            .collect()
    }
}

/// What one run produced, for statistics.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunFigures {
    /// Whether each objective was met (pending at the end counts as missed), in scenario order.
    pub met: Vec<bool>,
    /// Whether each objective was not triggered: the event that starts it never happened.
    /// Empty in shards written before it was counted.
    #[serde(default)]
    pub not_triggered: Vec<bool>,
    /// Key times (minutes from T+0, or from the procedure's start for steps), by metric.
    pub times: BTreeMap<String, Minute>,
    pub analyst_minutes: Minute,
}

/// One seed's results: the baseline and, when comparing, the variant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeedResult {
    pub seed: u64,
    pub baseline: RunFigures,
    pub variant: Option<RunFigures>,
}

/// Plays one seed and extracts its figures.
pub fn figures(plan: &Arc<Plan>, seed: u64) -> Result<RunFigures, BuildError> {
    let mut sim = Simulation::from_plan(plan.clone(), seed)?;
    sim.run_to_end();
    let outcome = sim.outcome();
    let met = outcome
        .objectives
        .iter()
        .map(|o| matches!(o.verdict, Verdict::Met { .. }))
        .collect();
    let not_triggered = outcome
        .objectives
        .iter()
        .map(|o| matches!(o.open, Some(Open::NotTriggered { .. })))
        .collect();
    let mut times = BTreeMap::new();
    let mut first = |name: String, t: Minute| {
        times.entry(name).or_insert(t);
    };
    for entry in sim.journal() {
        match &entry.event {
            Event::Detected { .. } => first("first detection".into(), entry.t),
            Event::Shared { warning: true, .. } => first("first warning".into(), entry.t),
            Event::ReportSent { report, .. } => first(format!("first {}", report.label()), entry.t),
            Event::CrisisLevelChanged { to, .. } => {
                first(format!("crisis level {}", to.label()), entry.t)
            }
            Event::Impact { effect, .. } => first(format!("first {}", effect.label()), entry.t),
            Event::StepFinished {
                sop, step, elapsed, ..
            } => first(
                format!("step {}/{} (from its start)", sop.id, step.id),
                *elapsed,
            ),
            _ => {}
        }
    }
    let analyst_minutes = outcome.desks.iter().map(|d| d.analyst_minutes).sum();
    Ok(RunFigures {
        met,
        not_triggered,
        times,
        analyst_minutes,
    })
}

/// Plays the given seeds (in parallel on the current rayon pool), baseline and variant,
/// calling `progress` after each seed. Results come back in seed order.
pub fn run_seeds(
    scenario: &Scenario,
    variants: &Variants,
    seeds: &[u64],
    progress: &(dyn Fn() + Sync),
) -> Result<Vec<SeedResult>, BuildError> {
    let baseline = Arc::new(Plan::build(scenario)?);
    let variant = if variants.is_empty() {
        None
    } else {
        Some(Arc::new(Plan::build_with(scenario, variants)?))
    };
    seeds
        .par_iter()
        .map(|&seed| {
            let result = SeedResult {
                seed,
                baseline: figures(&baseline, seed)?,
                variant: variant
                    .as_ref()
                    .map(|plan| figures(plan, seed))
                    .transpose()?,
            };
            progress();
            Ok(result)
        })
        .collect()
}

/// Statistics of one objective over the sweep.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ObjectiveStats {
    pub id: String,
    pub title: String,
    pub hit_rate: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    /// Baseline runs in which the objective was not triggered (counted as not met).
    pub not_triggered: usize,
    /// With a variant: its hit rate and the paired difference (variant − baseline).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variant: Option<VariantStats>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VariantStats {
    pub hit_rate: f64,
    pub ci_low: f64,
    pub ci_high: f64,
    pub difference: Interval,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TimeStats {
    pub metric: String,
    /// Runs in which the event happened.
    pub runs: usize,
    pub p50: Minute,
    pub p90: Minute,
    pub p99: Minute,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variant: Option<Box<TimeStats>>,
}

/// A sweep's statistics: what `tabletop sweep` prints.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    pub scenario: String,
    pub runs: usize,
    pub seed_base: u64,
    pub variants: Variants,
    pub objectives: Vec<ObjectiveStats>,
    pub times: Vec<TimeStats>,
    pub analyst_hours: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variant_analyst_hours: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub analyst_hours_difference: Option<Interval>,
    /// `--expect` judged on this sweep (absent without any, so the JSON of a sweep without
    /// expectations is what it always was).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub expectations: Vec<expect::Judgement>,
}

fn time_stats(metric: &str, runs: &[&RunFigures]) -> Option<TimeStats> {
    let mut values: Vec<Minute> = runs
        .iter()
        .filter_map(|r| r.times.get(metric).copied())
        .collect();
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    Some(TimeStats {
        metric: metric.to_owned(),
        runs: values.len(),
        p50: percentile(&values, 50),
        p90: percentile(&values, 90),
        p99: percentile(&values, 99),
        variant: None,
    })
}

/// What a shard file starts with: enough to merge shards without the scenario file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardHeader {
    pub spec: SweepSpec,
    pub scenario: String,
    /// Objective ids and titles, in scenario order.
    pub objectives: Vec<(String, String)>,
    pub shard: (u64, u64),
    /// The exercise's last minute: every time in a shard lies between 0 and it.
    pub end: Minute,
    /// The scenario's own expectations (`Objective.expect`), as `--expect` writes them
    /// ("obj-3 >= 90%"), so `merge-sweeps` judges them without the scenario file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expect: Vec<String>,
}

impl ShardHeader {
    pub fn new(plan: &Plan, spec: &SweepSpec, shard: (u64, u64)) -> Self {
        Self {
            spec: spec.clone(),
            scenario: plan.name.to_string(),
            objectives: plan
                .objectives
                .iter()
                .map(|o| (o.id.to_string(), o.title.to_string()))
                .collect(),
            shard,
            end: plan.end,
            expect: Vec::new(),
        }
    }
}

/// Aggregates per-seed results (in any order: they are sorted by seed first).
pub fn summarise(header: &ShardHeader, mut results: Vec<SeedResult>) -> Summary {
    let spec = &header.spec;
    results.sort_by_key(|r| r.seed);
    let n = results.len();
    let baseline: Vec<&RunFigures> = results.iter().map(|r| &r.baseline).collect();
    let variant: Vec<&RunFigures> = results.iter().filter_map(|r| r.variant.as_ref()).collect();
    let comparing = !variant.is_empty() && variant.len() == n;
    let objectives = header
        .objectives
        .iter()
        .enumerate()
        .map(|(i, (id, title))| {
            let hits = baseline
                .iter()
                .filter(|r| r.met.get(i).copied().unwrap_or(false))
                .count();
            let ci = wilson(hits, n);
            let variant = comparing.then(|| {
                let v_hits = variant
                    .iter()
                    .filter(|r| r.met.get(i).copied().unwrap_or(false))
                    .count();
                let v_ci = wilson(v_hits, n);
                let diffs: Vec<f64> = baseline
                    .iter()
                    .zip(&variant)
                    .map(|(b, v)| {
                        f64::from(u8::from(v.met.get(i).copied().unwrap_or(false)))
                            - f64::from(u8::from(b.met.get(i).copied().unwrap_or(false)))
                    })
                    .collect();
                VariantStats {
                    hit_rate: v_ci.estimate,
                    ci_low: v_ci.low,
                    ci_high: v_ci.high,
                    difference: stats::mean_interval(&diffs),
                }
            });
            let not_triggered = baseline
                .iter()
                .filter(|r| r.not_triggered.get(i).copied().unwrap_or(false))
                .count();
            ObjectiveStats {
                id: id.clone(),
                title: title.clone(),
                not_triggered,
                hit_rate: ci.estimate,
                ci_low: ci.low,
                ci_high: ci.high,
                variant,
            }
        })
        .collect();
    let mut metrics: Vec<String> = baseline
        .iter()
        .chain(&variant)
        .flat_map(|r| r.times.keys().cloned())
        .collect();
    metrics.sort();
    metrics.dedup();
    let times = metrics
        .iter()
        .filter_map(|m| {
            let base = time_stats(m, &baseline);
            let var = if comparing {
                time_stats(m, &variant)
            } else {
                None
            };
            match (base, var) {
                (Some(mut b), v) => {
                    b.variant = v.map(Box::new);
                    Some(b)
                }
                (None, Some(v)) => Some(TimeStats {
                    metric: m.clone(),
                    runs: 0,
                    p50: 0,
                    p90: 0,
                    p99: 0,
                    variant: Some(Box::new(v)),
                }),
                (None, None) => None,
            }
        })
        .collect();
    let hours = |runs: &[&RunFigures]| {
        runs.iter()
            .map(|r| r.analyst_minutes as f64 / 60.0)
            .sum::<f64>()
            / runs.len().max(1) as f64
    };
    let hour_diffs: Vec<f64> = baseline
        .iter()
        .zip(&variant)
        .map(|(b, v)| (v.analyst_minutes - b.analyst_minutes) as f64 / 60.0)
        .collect();
    Summary {
        scenario: header.scenario.clone(),
        runs: n,
        seed_base: spec.seed_base,
        variants: spec.variants.clone(),
        objectives,
        times,
        analyst_hours: hours(&baseline),
        variant_analyst_hours: comparing.then(|| hours(&variant)),
        analyst_hours_difference: comparing.then(|| stats::mean_interval(&hour_diffs)),
        expectations: Vec::new(),
    }
}
