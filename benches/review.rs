//! Reviewing a recorded session: what the app's Review button and time slider cost on the
//! generated 10,000-organisation, 30-day exercise (`tabletop generate --entities 10000
//! --days 30 --seed 0`, recorded with seed 0 and no commands).
//!
//! - `review/10000_open`: load the session file, replay it to the end and verify every
//!   hourly checksum (what Review does before the console opens).
//! - `review/10000_back_to_day_3`: the slider moved from the end back to T+3d (a rebuild
//!   from T+0).
//! - `review/10000_forward_a_day`: the slider moved from T+3d to T+4d (played on).
//!
//! Run with `cargo bench --bench review`; about a minute and a half on two idle cores.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};
use tabletop::generate::{GenerateOptions, generate};
use tabletop::session::{self, Recorder, Review};

const DAY: i64 = 24 * 60;

fn review(c: &mut Criterion) {
    let scenario = generate(&GenerateOptions {
        entities: 10_000,
        days: 30,
        seed: 0,
        idle: 0,
    });
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    };
    let path = dir.path().join("generated.session.ron");
    let mut recorder = match Recorder::start(&path, "generated-10000.ron", &scenario, 0) {
        Ok(r) => r,
        Err(e) => panic!("{e}"),
    };
    if let Err(e) = recorder.run_to_end() {
        panic!("{e}");
    }
    drop(recorder);
    let load = || match session::load(&path) {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    };
    let open = || match Review::open(load(), &scenario) {
        Ok(r) => r,
        Err(e) => panic!("{e}"),
    };

    let mut group = c.benchmark_group("review");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(20));
    group.bench_function("10000_open", |b| b.iter(|| black_box(open())));
    group.bench_function("10000_back_to_day_3", |b| {
        b.iter_batched(
            open,
            |mut review| black_box(review.seek(3 * DAY).is_ok()),
            criterion::BatchSize::PerIteration,
        );
    });
    group.bench_function("10000_forward_a_day", |b| {
        b.iter_batched(
            || {
                let mut review = open();
                let _ = review.seek(3 * DAY);
                review
            },
            |mut review| black_box(review.seek(4 * DAY).is_ok()),
            criterion::BatchSize::PerIteration,
        );
    });
    group.finish();
}

criterion_group!(benches, review);
criterion_main!(benches);
