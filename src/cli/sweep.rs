//! `tabletop sweep` and `tabletop merge-sweeps`.
//!
//! Long because: the two commands share their options' checks (variants, shards,
//! expectations, `--with-optional`), the recheck and the human table; the sweep itself
//! lives in `crate::sweep`.

use std::fmt::Write as _;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressStyle};

use super::Failure;
use crate::scenario::{self, Duration, LoadError, Minute, load_path};
use crate::sim::{Plan, Variants};
use std::sync::Arc;

use crate::sweep::cluster::auto_shard;
use crate::sweep::expect::{self, Expectation, Outcome};
use crate::sweep::shard::{self, Shard};
use crate::sweep::{Interval, SeedResult, ShardHeader, Summary, SweepSpec, run_seeds, summarise};
use crate::words::thousands;

pub struct SweepOptions<'a> {
    pub file: &'a Path,
    pub seeds: u64,
    pub seed_base: u64,
    pub variants: &'a [String],
    pub threads: Option<usize>,
    pub shard: Option<ShardChoice>,
    /// `--shards N`: how many shards `--shard auto` cuts into under Kubernetes.
    pub shards: Option<u64>,
    /// `--expect "ID >= PERCENT%"`, as given.
    pub expect: &'a [String],
    pub json: bool,
    pub output: Option<&'a Path>,
    /// Fire the scenario's optional injects as if they were not optional.
    pub with_optional: bool,
}

/// `--shard K/M`, or `auto`: K and M from the Slurm or Kubernetes job running this process.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShardChoice {
    Fixed(u64, u64),
    Auto,
}

/// "SOP=VARIANT" pairs into a map; a usage error otherwise.
fn parse_variants(pairs: &[String]) -> Result<Variants, Failure> {
    let mut variants = Variants::new();
    for pair in pairs {
        let Some((sop, variant)) = pair.split_once('=') else {
            return Err(Failure::Usage(format!(
                "--variant {pair}: expected SOP=VARIANT, e.g. fin-intake=share-first"
            )));
        };
        if variants
            .insert(sop.trim().to_owned(), variant.trim().to_owned())
            .is_some()
        {
            return Err(Failure::Usage(format!(
                "--variant names procedure \"{sop}\" twice"
            )));
        }
    }
    Ok(variants)
}

/// "K/M" with 1 ≤ K ≤ M, or "auto".
pub fn parse_shard(text: &str) -> Result<ShardChoice, String> {
    if text.trim() == "auto" {
        return Ok(ShardChoice::Auto);
    }
    let (k, m) = text
        .split_once('/')
        .ok_or_else(|| format!("\"{text}\": expected K/M, e.g. 2/8, or auto"))?;
    let (k, m): (u64, u64) = (
        k.trim()
            .parse()
            .map_err(|_| format!("\"{text}\": K must be a whole number"))?,
        m.trim()
            .parse()
            .map_err(|_| format!("\"{text}\": M must be a whole number"))?,
    );
    if m == 0 || k == 0 || k > m {
        return Err(format!("\"{text}\": expected 1 ≤ K ≤ M"));
    }
    Ok(ShardChoice::Fixed(k, m))
}

/// The shard this process plays, if any: `--shard K/M` as given, `--shard auto` read from
/// the batch system's environment (and said on stderr, for the job's log).
fn resolve_shard(options: &SweepOptions<'_>) -> Result<Option<(u64, u64)>, Failure> {
    let shard = match (options.shard, options.shards) {
        (None, None) => return Ok(None),
        (Some(ShardChoice::Fixed(k, m)), None) => (k, m),
        (Some(ShardChoice::Auto), shards) => {
            let auto =
                auto_shard(&|name| std::env::var(name).ok(), shards).map_err(Failure::Usage)?;
            let (k, m) = auto.shard;
            eprintln!("shard {k}/{m} ({})", auto.source);
            auto.shard
        }
        (_, Some(_)) => {
            return Err(Failure::Usage(
                "--shards N goes with --shard auto (for a Kubernetes Indexed Job); with --shard K/M, M already says how many".into(),
            ));
        }
    };
    if shard.1 > options.seeds {
        return Err(Failure::Usage(format!(
            "{} shards of {} seeds: each shard needs at least one seed",
            shard.1, options.seeds
        )));
    }
    if !options.expect.is_empty() {
        return Err(Failure::Usage(
            "--expect is judged on the whole sweep, not on a shard: give it to merge-sweeps".into(),
        ));
    }
    Ok(Some(shard))
}

/// Parses every `--expect` against the objectives' ids (usage errors: exit 2).
fn parse_expectations(
    texts: &[String],
    objectives: &[String],
) -> Result<Vec<Expectation>, Failure> {
    texts
        .iter()
        .map(|text| {
            expect::parse(text, objectives).map_err(|e| Failure::Usage(format!("--expect {e}")))
        })
        .collect()
}

/// Judges the expectations on the summary, prints it all, and fails with exit 3 when one
/// did not pass: the sweep's figures are printed either way, a CI log needs them most then.
fn finish(
    mut summary: Summary,
    expectations: &[Expectation],
    json: bool,
    output: Option<&Path>,
) -> Result<(), Failure> {
    summary.expectations = expect::judge(&summary, expectations);
    emit(&render(&summary, json)?, output)?;
    let failed = count(&summary, Outcome::Fail);
    let inconclusive = count(&summary, Outcome::Inconclusive);
    if failed + inconclusive == 0 {
        return Ok(());
    }
    Err(Failure::Unmet(format!(
        "{} of {} not shown to hold ({failed} failed, {inconclusive} inconclusive): exit 3",
        failed + inconclusive,
        crate::words::count(summary.expectations.len(), "expectation"),
    )))
}

fn count(summary: &Summary, outcome: Outcome) -> usize {
    summary
        .expectations
        .iter()
        .filter(|j| j.outcome == outcome)
        .count()
}

pub fn sweep(options: &SweepOptions<'_>) -> Result<(), Failure> {
    let variants = parse_variants(options.variants)?;
    if options.seeds == 0 {
        return Err(Failure::Usage("--seeds must be at least 1".into()));
    }
    if options.seed_base.checked_add(options.seeds).is_none() {
        return Err(Failure::Usage("--seed-base + --seeds overflows".into()));
    }
    let scenario = match load_path(options.file) {
        Ok((scenario, _)) if options.with_optional => scenario.with_optional_injects(),
        Ok((scenario, _)) => {
            let optional = scenario.injects.iter().filter(|i| i.optional).count();
            if optional > 0 {
                eprintln!(
                    "note: {} left out (nobody fires them in a sweep); --with-optional plays them by their own schedule",
                    crate::words::count_as(optional, "optional inject is", "optional injects are")
                );
            }
            scenario
        }
        Err(LoadError::Invalid(diagnostics)) => {
            return Err(Failure::BadInput(diagnostics.to_string()));
        }
        Err(error) => return Err(Failure::BadInput(error.to_string())),
    };
    let plan = Plan::build_with(&scenario, &variants)
        .map_err(|e| Failure::Usage(format!("--variant: {}", e.0)))?;
    let ids: Vec<String> = plan.objectives.iter().map(|o| o.id.to_string()).collect();
    // The scenario's own expectations first, then the command line's.
    let written: Vec<String> = scenario
        .objectives
        .iter()
        .filter_map(|o| o.expect.map(|e| format!("{} {}", o.id, e.label())))
        .collect();
    let mut expectations = parse_expectations(&written, &ids)?;
    expectations.extend(parse_expectations(options.expect, &ids)?);
    let shard = resolve_shard(options)?;
    let spec = SweepSpec {
        digest: scenario::digest(&scenario)
            .map_err(|e| Failure::BadInput(format!("{}: {e}", options.file.display())))?,
        seed_base: options.seed_base,
        seeds: options.seeds,
        variants,
        with_optional: options.with_optional,
    };
    let seeds = spec.shard_seeds(shard);
    let bar = if std::io::stderr().is_terminal() {
        ProgressBar::new(seeds.len() as u64)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} seeds  {elapsed} elapsed, {eta} left")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let tick = || bar.inc(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads.unwrap_or(0))
        .build()
        .map_err(|e| Failure::Usage(format!("--threads: {e}")))?;
    let results = pool
        .install(|| run_seeds(&scenario, &spec.variants, &seeds, &tick))
        .map_err(|e| Failure::BadInput(format!("{}: {e}", options.file.display())))?;
    bar.finish_and_clear();
    let mut header = ShardHeader::new(&plan, &spec, shard.unwrap_or((1, 1)));
    header.expect = written;
    if shard.is_some() {
        return emit(&shard_lines(&header, &results)?, options.output);
    }
    finish(
        summarise(&header, results),
        &expectations,
        options.json,
        options.output,
    )
}

fn shard_lines(header: &ShardHeader, results: &[SeedResult]) -> Result<String, Failure> {
    shard::write(header, results).map_err(|e| Failure::Usage(format!("cannot encode results: {e}")))
}

fn emit(text: &str, output: Option<&Path>) -> Result<(), Failure> {
    match output {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| Failure::Usage(format!("cannot write {}: {e}", path.display()))),
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(text.as_bytes())
                .map_err(|e| Failure::Usage(format!("cannot write to stdout: {e}")))
        }
    }
}

/// What `merge-sweeps` was asked to do.
pub struct MergeOptions<'a> {
    pub files: &'a [PathBuf],
    pub json: bool,
    pub output: Option<&'a Path>,
    /// Play this many seeds of each shard again and compare (with `scenario`).
    pub recheck: usize,
    pub scenario: Option<&'a Path>,
    /// `--expect`, judged on the merged sweep as one sweep would.
    pub expect: &'a [String],
}

pub fn merge(options: &MergeOptions<'_>) -> Result<(), Failure> {
    let mut shards: Vec<(&Path, Shard)> = Vec::new();
    let mut shards_seen = std::collections::BTreeSet::new();
    for file in options.files {
        let shard = shard::read(file).map_err(|e| Failure::BadInput(e.to_string()))?;
        let label = file.display();
        if let Some((_, first)) = shards.first()
            && (first.header.spec != shard.header.spec
                || first.header.objectives != shard.header.objectives
                || first.header.expect != shard.header.expect
                || first.header.end != shard.header.end)
        {
            return Err(Failure::BadInput(format!(
                "{label}:1: this shard belongs to another sweep (scenario, seeds or variants differ)"
            )));
        }
        let (k, m) = shard.header.shard;
        if let Some((_, first)) = shards.first()
            && first.header.shard.1 != m
        {
            return Err(Failure::BadInput(format!(
                "{label}:1: shard {k}/{m} is cut into {m}, the first shard given into {}: a sweep's shards are all cut alike",
                first.header.shard.1
            )));
        }
        if !shards_seen.insert(shard.header.shard) {
            return Err(Failure::BadInput(format!(
                "{label}:1: shard {k}/{m} is given twice"
            )));
        }
        shards.push((file, shard));
    }
    let Some((_, first)) = shards.first() else {
        return Err(Failure::Usage("no shard files given".into()));
    };
    let header = first.header.clone();
    let ids: Vec<String> = header.objectives.iter().map(|(id, _)| id.clone()).collect();
    // As the one-machine sweep: the scenario's expectations (carried by the shards), then
    // the command line's. A shard's are checked like any of its values.
    let mut expectations = parse_expectations(&header.expect, &ids).map_err(|e| match e {
        Failure::Usage(m) => Failure::BadInput(format!("{}:1: {m}", options.files[0].display())),
        other => other,
    })?;
    expectations.extend(parse_expectations(options.expect, &ids)?);
    if options.recheck > 0 {
        recheck_all(options, &header, &shards)?;
    }
    let cut = header.shard.1;
    let missing: Vec<String> = (1..=cut)
        .filter(|k| !shards_seen.contains(&(*k, cut)))
        .map(|k| format!("{k}/{cut}"))
        .collect();
    if !missing.is_empty() {
        // A hundred-task array whose outputs went elsewhere should not print a hundred names.
        let named = if missing.len() > 10 {
            format!(
                "{} and {} more",
                missing[..10].join(", "),
                missing.len() - 10
            )
        } else {
            missing.join(", ")
        };
        return Err(Failure::BadInput(format!(
            "the shards do not cover the sweep: shard{} {named} missing",
            if missing.len() == 1 { "" } else { "s" },
        )));
    }
    let results: Vec<SeedResult> = shards.into_iter().flat_map(|(_, s)| s.results).collect();
    let mut got: Vec<u64> = results.iter().map(|r| r.seed).collect();
    got.sort_unstable();
    let expected: Vec<u64> =
        (header.spec.seed_base..header.spec.seed_base + header.spec.seeds).collect();
    if got != expected {
        let missing = expected
            .iter()
            .filter(|s| got.binary_search(s).is_err())
            .count();
        return Err(Failure::BadInput(format!(
            "the shards do not cover the sweep exactly: {} seeds expected, {} given, {missing} missing",
            expected.len(),
            got.len()
        )));
    }
    finish(
        summarise(&header, results),
        &expectations,
        options.json,
        options.output,
    )
}

/// `--recheck K`: plays K seeds of every shard again with the scenario and compares.
fn recheck_all(
    options: &MergeOptions<'_>,
    header: &ShardHeader,
    shards: &[(&Path, Shard)],
) -> Result<(), Failure> {
    let Some(path) = options.scenario else {
        return Err(Failure::Usage(
            "--recheck needs --scenario FILE: the scenario the sweep played".into(),
        ));
    };
    let scenario = match load_path(path) {
        Ok((scenario, _)) if header.spec.with_optional => scenario.with_optional_injects(),
        Ok((scenario, _)) => scenario,
        Err(LoadError::Invalid(diagnostics)) => {
            return Err(Failure::BadInput(diagnostics.to_string()));
        }
        Err(error) => return Err(Failure::BadInput(error.to_string())),
    };
    let digest = scenario::digest(&scenario)
        .map_err(|e| Failure::BadInput(format!("{}: {e}", path.display())))?;
    if digest != header.spec.digest {
        return Err(Failure::BadInput(format!(
            "{}: not the scenario these shards were swept with (its digest differs)",
            path.display()
        )));
    }
    let bad = |e: &dyn std::fmt::Display| Failure::BadInput(format!("{}: {e}", path.display()));
    let baseline = Arc::new(Plan::build(&scenario).map_err(|e| bad(&e))?);
    let variant = if header.spec.variants.is_empty() {
        None
    } else {
        Some(Arc::new(
            Plan::build_with(&scenario, &header.spec.variants).map_err(|e| bad(&e))?,
        ))
    };
    for (file, shard) in shards {
        let seeds = shard::recheck_seeds(&shard.results, options.recheck);
        shard::recheck(file, shard, &seeds, &baseline, variant.as_ref())
            .map_err(|e| Failure::BadInput(e.to_string()))?;
        eprintln!(
            "{}: {} seeds played again, all equal",
            file.display(),
            seeds.len()
        );
    }
    Ok(())
}

fn render(summary: &Summary, json: bool) -> Result<String, Failure> {
    if json {
        let mut text = serde_json::to_string_pretty(summary)
            .map_err(|e| Failure::Usage(format!("cannot encode: {e}")))?;
        text.push('\n');
        return Ok(text);
    }
    Ok(human(summary))
}

fn percent(x: f64) -> String {
    format!("{:5.1}%", x * 100.0)
}

fn points(i: &Interval) -> String {
    format!(
        "{:+.1} pp [{:+.1}, {:+.1}]",
        i.estimate * 100.0,
        i.low * 100.0,
        i.high * 100.0
    )
}

fn minutes(m: Minute) -> String {
    Duration::minutes(m).to_string()
}

fn human(s: &Summary) -> String {
    let mut out = String::new();
    let last = s.seed_base + s.runs as u64 - 1;
    let _ = writeln!(
        out,
        "{} — {} runs (seeds {}–{last})",
        s.scenario, s.runs, s.seed_base
    );
    let comparing = !s.variants.is_empty();
    if comparing {
        let names: Vec<String> = s.variants.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let _ = writeln!(
            out,
            "baseline: each procedure's first variant; variant: {}",
            names.join(", ")
        );
    }
    let _ = writeln!(
        out,
        "\nObjectives (hit rate, 95% Wilson interval; a run where it was not triggered or still open at the end counts as not met)"
    );
    for o in &s.objectives {
        let _ = write!(
            out,
            "  {:<8} {}  [{}, {}]",
            o.id,
            percent(o.hit_rate),
            percent(o.ci_low),
            percent(o.ci_high)
        );
        if let Some(v) = &o.variant {
            let _ = write!(
                out,
                "   variant {}  [{}, {}]   difference {}",
                percent(v.hit_rate),
                percent(v.ci_low),
                percent(v.ci_high),
                points(&v.difference)
            );
        }
        let _ = write!(out, "   {}", o.title);
        if o.not_triggered > 0 {
            let _ = write!(
                out,
                " (not triggered in {} of {} runs)",
                o.not_triggered, s.runs
            );
        }
        let _ = writeln!(out);
    }
    let _ = writeln!(
        out,
        "\nKey times (p50 / p90 / p99 over the runs where it happened)"
    );
    for t in &s.times {
        let base = if t.runs == 0 {
            "never".to_owned()
        } else {
            format!(
                "{} / {} / {}  ({} runs)",
                minutes(t.p50),
                minutes(t.p90),
                minutes(t.p99),
                t.runs
            )
        };
        let _ = write!(out, "  {:<44} {base}", t.metric);
        if let Some(v) = &t.variant {
            let _ = write!(
                out,
                "   variant {} / {} / {}  ({} runs)",
                minutes(v.p50),
                minutes(v.p90),
                minutes(v.p99),
                v.runs
            );
        }
        let _ = writeln!(out);
    }
    let _ = write!(out, "\nAnalyst hours per run: {:.1}", s.analyst_hours);
    if let (Some(v), Some(d)) = (s.variant_analyst_hours, &s.analyst_hours_difference) {
        let _ = write!(
            out,
            "; variant {v:.1} (difference {:+.1} h [{:+.1}, {:+.1}])",
            d.estimate, d.low, d.high
        );
    }
    let _ = writeln!(out);
    expectations(&mut out, s);
    out
}

/// The verdict of each `--expect`, with the interval it was judged on and, when
/// inconclusive, the estimate of how many seeds would decide it.
fn expectations(out: &mut String, s: &Summary) {
    let Some(first) = s.expectations.first() else {
        return;
    };
    let on = if first.judged_on == "variant" {
        "the variant's hit rate"
    } else {
        "the hit rate"
    };
    let _ = writeln!(
        out,
        "\nExpectations (on {on} over {} runs: pass when its 95% Wilson interval lies wholly on the expected side, fail when wholly on the other, else inconclusive)",
        s.runs
    );
    let width = s
        .expectations
        .iter()
        .map(|j| j.expectation.chars().count())
        .max()
        .unwrap_or(0);
    for j in &s.expectations {
        let threshold = format!("{}%", trim_percent(j.threshold));
        let _ = write!(
            out,
            "  {:<width$}  {:<12}  {}  [{}, {}]",
            j.expectation,
            j.outcome.label(),
            percent(j.hit_rate),
            percent(j.ci_low),
            percent(j.ci_high),
        );
        let _ = match j.outcome {
            Outcome::Pass => writeln!(out),
            Outcome::Fail => writeln!(
                out,
                "   the whole interval is on the wrong side of {threshold}"
            ),
            Outcome::Inconclusive => match j.seeds_to_decide {
                Some(n) => writeln!(
                    out,
                    "   the interval straddles {threshold}: about {} seeds in all would decide it if the rate stayed at {} (an estimate)",
                    thousands(n),
                    percent(j.hit_rate).trim_start()
                ),
                None if j.hit_rate == j.threshold => writeln!(
                    out,
                    "   the interval straddles {threshold}; the rate is {threshold}, so while it stays there no number of seeds would decide it"
                ),
                None => writeln!(
                    out,
                    "   the interval straddles {threshold}: more than {} seeds would decide it if the rate stayed at {} (an estimate)",
                    thousands(expect::MOST_SEEDS),
                    percent(j.hit_rate).trim_start()
                ),
            },
        };
    }
}

/// 0.925 as "92.5", 0.9 as "90".
fn trim_percent(fraction: f64) -> String {
    let text = format!("{:.3}", fraction * 100.0);
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}
