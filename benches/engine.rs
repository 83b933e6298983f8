//! Engine benchmarks: whole runs, reported as journal events per second.
//!
//! - `ducksends/full_run`: the shipped DuckSends scenario, seed 0.
//! - `generated_30d/{100,1000,10000}`: `tabletop generate --entities N --days 30 --seed 0`,
//!   run with seed 0.
//! - `idle_span/1000x{30d,60d}`: the generated 1,000-organisation scenario as is, and the
//!   same scenario with its duration doubled to 60 days. Every campaign starts and every
//!   scheduled inject fires in the first 30 days, so the second month only sees the tail
//!   of what was started (late reports, deadlines). An engine whose cost grows with what
//!   happens, not with idle minutes, runs both in about the same time.
//!
//! Every run keeps its journal (it always does) and takes the hourly state checksums (so
//! does every run: `Simulation` has no switch for either). Each measured iteration builds
//! the simulation, plays it to the end and drops it. The number of journal events of each
//! run is counted once before its benchmark and printed, and is the throughput element.
//!
//! - `idle_entities/{10000,10000+90000idle}`: the generated 10,000-organisation month alone,
//!   and with 90,000 organisations the story never reaches (`generate --idle 90000`: same
//!   campaigns, same number of events). Both build the simulation from the parsed scenario
//!   and play it to the end. Issue 20's target: the second at most 1.2 times the first.
//! - `views/10000_end/{role,projector,actor}`: what a trainee's window and the projector
//!   cost to build at the end of the generated 10,000-organisation month (the journal's
//!   full length): a national duty officer's role view, the projector view, and the same
//!   CSIRT's actor view for comparison. The console rebuilds each open window's view at
//!   most four times a second while the clock runs.
//!
//! Run with `cargo bench --bench engine`; about four minutes on two otherwise idle cores.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{
    BenchmarkGroup, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
    measurement::WallTime,
};
use tabletop::generate::{GenerateOptions, generate};
use tabletop::scenario::{self, Scenario};
use tabletop::sim::Simulation;

const SEED: u64 = 0;

/// One full run; returns the number of journal events.
fn run(scenario: &Scenario) -> usize {
    let mut sim = match Simulation::new(scenario, SEED) {
        Ok(sim) => sim,
        Err(e) => panic!("cannot build the simulation: {e}"),
    };
    sim.run_to_end();
    sim.journal().len()
}

/// Counts the events of one run, prints them, and benchmarks the run under `id`.
fn bench_run(group: &mut BenchmarkGroup<'_, WallTime>, id: &str, scenario: &Scenario) {
    let events = run(scenario);
    let organisations = scenario.entities.len();
    eprintln!(
        "{id}: {organisations} organisations, {} days: {events} journal events per run (seed {SEED})",
        scenario.duration.minutes / 1440
    );
    group.throughput(Throughput::Elements(events as u64));
    group.bench_function(id, |b| b.iter(|| black_box(run(black_box(scenario)))));
}

fn generated(entities: u32, days: u32) -> Scenario {
    with_idle(entities, days, 0)
}

fn with_idle(entities: u32, days: u32, idle: u32) -> Scenario {
    generate(&GenerateOptions {
        entities,
        days,
        seed: 0,
        idle,
    })
}

fn ducksends(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/ducksends.ron");
    let scenario = match scenario::load_path(&path) {
        Ok((scenario, _)) => scenario,
        Err(e) => panic!("{e}"),
    };
    let mut group = c.benchmark_group("ducksends");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    bench_run(&mut group, "full_run", &scenario);
    group.finish();
}

fn generated_30_days(c: &mut Criterion) {
    let mut group = c.benchmark_group("generated_30d");
    group.sample_size(10).warm_up_time(Duration::from_secs(1));
    for (entities, seconds) in [(100, 3), (1_000, 12)] {
        group.measurement_time(Duration::from_secs(seconds));
        bench_run(&mut group, &entities.to_string(), &generated(entities, 30));
    }
    // Seconds per run: ten samples of one run each.
    group
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(30));
    bench_run(&mut group, "10000", &generated(10_000, 30));
    group.finish();
}

fn idle_span(c: &mut Criterion) {
    let month = generated(1_000, 30);
    let latest_start = month
        .adversaries
        .iter()
        .flat_map(|a| a.campaigns.iter())
        .map(|campaign| campaign.start.resolve(&month.start))
        .max()
        .unwrap_or(0);
    assert!(
        latest_start <= month.duration.minutes,
        "every campaign starts in the first 30 days"
    );
    let mut two_months = month.clone();
    two_months.duration = scenario::Duration::days(60);
    let mut group = c.benchmark_group("idle_span");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(15));
    bench_run(&mut group, "1000x30d", &month);
    bench_run(&mut group, "1000x60d", &two_months);
    group.finish();
}

fn idle_entities(c: &mut Criterion) {
    let mut group = c.benchmark_group("idle_entities");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(30));
    bench_run(&mut group, "10000", &generated(10_000, 30));
    bench_run(
        &mut group,
        "10000+90000idle",
        &with_idle(10_000, 30, 90_000),
    );
    group.finish();
}

fn views(c: &mut Criterion) {
    let scenario = generated(10_000, 30);
    let mut sim = match Simulation::new(&scenario, SEED) {
        Ok(sim) => sim,
        Err(e) => panic!("{e}"),
    };
    sim.run_to_end();
    let Some(role) = scenario.roles.first() else {
        panic!("the generated scenario has a role per national CSIRT");
    };
    eprintln!(
        "views/10000_end: {} journal events; role {} ({})",
        sim.journal().len(),
        role.id,
        role.actor
    );
    let mut group = c.benchmark_group("views/10000_end");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    group.bench_function("role", |b| b.iter(|| black_box(sim.role_view(&role.id))));
    // What an open window pays per refresh once it has read the journal: the actor's
    // knowledge and clocks, and no journal line.
    let Some(seen) = sim.role_view(&role.id) else {
        panic!("the role has a view");
    };
    group.bench_function("role_refresh", |b| {
        b.iter(|| black_box(sim.refresh_role_view(seen.clone())));
    });
    group.bench_function("projector", |b| b.iter(|| black_box(sim.projector_view())));
    group.bench_function("actor", |b| {
        b.iter(|| black_box(sim.actor_view(&role.actor)))
    });
    group.finish();
}

criterion_group!(
    benches,
    ducksends,
    generated_30_days,
    idle_span,
    idle_entities,
    views
);
criterion_main!(benches);
