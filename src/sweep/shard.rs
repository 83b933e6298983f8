//! Shard files: one machine's part of a sweep, to merge on another.
//!
//! A shard is JSON Lines: its header, one line per seed, and a last line with a blake3
//! digest of everything before it, so a shard changed or cut off in transit is refused.
//! Every value is range-checked on reading (a `met` list as long as the scenario's
//! objectives, times inside the exercise, non-negative analyst minutes, only the shard's
//! own seeds). A digest does not stop someone who recomputes it: `recheck` plays some
//! seeds again and compares, which nobody can forge without the scenario's own results.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::{RunFigures, SeedResult, ShardHeader, figures};
use crate::files::{max_file_bytes, read_regular_text};
use crate::sim::Plan;

/// Analyst minutes of one run cannot exceed this many analysts working every minute of
/// the exercise: a bound far above any real CSIRT, so sums over many seeds cannot wrap.
const MAX_ANALYSTS: i64 = 1_000_000;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ShardError {
    #[error("cannot read {path}: {reason}")]
    Unreadable { path: String, reason: String },
    #[error("{path}:{line}: {message}")]
    Malformed {
        path: String,
        line: usize,
        message: String,
    },
    #[error(
        "{path}: its digest does not match its content: the shard was changed or cut off after it was written"
    )]
    Digest { path: String },
    #[error(
        "{path}: seed {seed} played again gives other results than the shard says: the shard was not written by this scenario and program, or it was edited"
    )]
    Recheck { path: String, seed: u64 },
}

/// The last line of a shard.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Trailer {
    digest: String,
}

fn digest(bytes: &str) -> String {
    blake3::hash(bytes.as_bytes()).to_hex().to_string()
}

/// A shard as read and checked.
#[derive(Clone, Debug)]
pub struct Shard {
    pub header: ShardHeader,
    pub results: Vec<SeedResult>,
}

/// The text of a shard file: header, one line per seed, digest.
pub fn write(header: &ShardHeader, results: &[SeedResult]) -> serde_json::Result<String> {
    let mut text = serde_json::to_string(header)?;
    text.push('\n');
    for result in results {
        text.push_str(&serde_json::to_string(result)?);
        text.push('\n');
    }
    let trailer = Trailer {
        digest: digest(&text),
    };
    text.push_str(&serde_json::to_string(&trailer)?);
    text.push('\n');
    Ok(text)
}

/// Reads a shard file, checking its digest and every value.
pub fn read(path: &Path) -> Result<Shard, ShardError> {
    let label = path.display().to_string();
    let what = "a shard written by `tabletop sweep --shard K/M`";
    let text =
        read_regular_text(path, max_file_bytes(), what).map_err(|e| ShardError::Unreadable {
            path: label.clone(),
            reason: e.to_string(),
        })?;
    let bad = |line: usize, message: String| ShardError::Malformed {
        path: label.clone(),
        line,
        message,
    };
    let body_end = text.trim_end().rfind('\n').map_or(0, |i| i + 1);
    let (body, last) = text.split_at(body_end);
    let lines = body.lines().count();
    if body.is_empty() {
        return Err(bad(1, format!("empty or a single line; expected {what}")));
    }
    let trailer: Trailer = serde_json::from_str(last.trim()).map_err(|_| {
        bad(
            lines + 1,
            "expected the shard's digest line `{\"digest\": …}` last; shards written by tabletop before digests are refused: run the shard again".into(),
        )
    })?;
    if trailer.digest != digest(body) {
        return Err(ShardError::Digest { path: label });
    }
    let mut rows = body.lines().enumerate();
    let header: ShardHeader = rows
        .next()
        .map(|(_, first)| serde_json::from_str(first))
        .transpose()
        .map_err(|e| bad(1, format!("{e}; expected the shard header")))?
        .ok_or_else(|| bad(1, "expected the shard header".into()))?;
    check_header(&header).map_err(|m| bad(1, m))?;
    let allowed: BTreeSet<u64> = header
        .spec
        .shard_seeds(Some(header.shard))
        .into_iter()
        .collect();
    let mut seen = BTreeSet::new();
    let mut results = Vec::new();
    for (index, line) in rows {
        if line.trim().is_empty() {
            continue;
        }
        let result: SeedResult = serde_json::from_str(line)
            .map_err(|e| bad(index + 1, format!("{e}; expected a per-seed result")))?;
        if !allowed.contains(&result.seed) {
            return Err(bad(
                index + 1,
                format!(
                    "seed {} is not one of shard {}/{}'s seeds",
                    result.seed, header.shard.0, header.shard.1
                ),
            ));
        }
        if !seen.insert(result.seed) {
            return Err(bad(index + 1, format!("seed {} twice", result.seed)));
        }
        check_result(&header, &result).map_err(|m| bad(index + 1, m))?;
        results.push(result);
    }
    Ok(Shard { header, results })
}

fn check_header(header: &ShardHeader) -> Result<(), String> {
    let (k, m) = header.shard;
    if k == 0 || k > m {
        return Err(format!("shard {k}/{m}: expected 1 ≤ K ≤ M"));
    }
    let spec = &header.spec;
    if spec.seeds == 0 || spec.seed_base.checked_add(spec.seeds).is_none() {
        return Err(format!(
            "{} seeds from {}: expected at least one, without overflow",
            spec.seeds, spec.seed_base
        ));
    }
    if m > spec.seeds {
        return Err(format!("{m} shards of {} seeds", spec.seeds));
    }
    if header.end < 0 {
        return Err(format!("the exercise ends at minute {}", header.end));
    }
    Ok(())
}

fn check_result(header: &ShardHeader, result: &SeedResult) -> Result<(), String> {
    let comparing = !header.spec.variants.is_empty();
    if result.variant.is_some() != comparing {
        return Err(if comparing {
            "no variant's figures, though the sweep compares variants".into()
        } else {
            "a variant's figures, though the sweep compares none".into()
        });
    }
    for figures in std::iter::once(&result.baseline).chain(&result.variant) {
        check_figures(header, figures)?;
    }
    Ok(())
}

fn check_figures(header: &ShardHeader, figures: &RunFigures) -> Result<(), String> {
    if figures.met.len() != header.objectives.len() {
        return Err(format!(
            "{} objective verdicts for a scenario with {} objectives",
            figures.met.len(),
            header.objectives.len()
        ));
    }
    if !figures.not_triggered.is_empty() && figures.not_triggered.len() != header.objectives.len() {
        return Err(format!(
            "{} not-triggered flags for a scenario with {} objectives",
            figures.not_triggered.len(),
            header.objectives.len()
        ));
    }
    if let Some((metric, t)) = figures
        .times
        .iter()
        .find(|(_, t)| !(0..=header.end).contains(*t))
    {
        return Err(format!(
            "\"{metric}\" at minute {t}, outside the exercise (0 to {})",
            header.end
        ));
    }
    let most = header.end.saturating_add(1).saturating_mul(MAX_ANALYSTS);
    if !(0..=most).contains(&figures.analyst_minutes) {
        return Err(format!(
            "{} analyst minutes: expected 0 to {most}",
            figures.analyst_minutes
        ));
    }
    Ok(())
}

/// Which `count` of a shard's seeds to play again: spread over the shard, first and last
/// included, so an edit anywhere has a fair chance to be met.
pub fn recheck_seeds(results: &[SeedResult], count: usize) -> Vec<u64> {
    let n = results.len();
    if count == 0 || n == 0 {
        return Vec::new();
    }
    if count >= n {
        return results.iter().map(|r| r.seed).collect();
    }
    let picks: BTreeSet<usize> = (0..count)
        .map(|i| {
            if count == 1 {
                0
            } else {
                i * (n - 1) / (count - 1)
            }
        })
        .collect();
    picks.into_iter().map(|i| results[i].seed).collect()
}

/// Plays `seeds` of `shard` again with the scenario's plans and compares every figure.
pub fn recheck(
    path: &Path,
    shard: &Shard,
    seeds: &[u64],
    baseline: &Arc<Plan>,
    variant: Option<&Arc<Plan>>,
) -> Result<(), ShardError> {
    for &seed in seeds {
        let Some(recorded) = shard.results.iter().find(|r| r.seed == seed) else {
            continue;
        };
        let unreadable = |e: &dyn std::fmt::Display| ShardError::Unreadable {
            path: path.display().to_string(),
            reason: e.to_string(),
        };
        let replayed = SeedResult {
            seed,
            baseline: figures(baseline, seed).map_err(|e| unreadable(&e))?,
            variant: variant
                .map(|plan| figures(plan, seed))
                .transpose()
                .map_err(|e| unreadable(&e))?,
        };
        if &replayed != recorded {
            return Err(ShardError::Recheck {
                path: path.display().to_string(),
                seed,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rechecked_seeds_spread_over_the_shard() {
        let results: Vec<SeedResult> = (10..20)
            .map(|seed| SeedResult {
                seed,
                baseline: RunFigures {
                    met: Vec::new(),
                    not_triggered: Vec::new(),
                    times: std::collections::BTreeMap::new(),
                    analyst_minutes: 0,
                },
                variant: None,
            })
            .collect();
        assert_eq!(recheck_seeds(&results, 3), [10, 14, 19]);
        assert_eq!(recheck_seeds(&results, 1), [10]);
        assert_eq!(recheck_seeds(&results, 50).len(), 10);
        assert!(recheck_seeds(&results, 0).is_empty());
    }
}
