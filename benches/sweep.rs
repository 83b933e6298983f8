//! Sweep throughput: 10,000 DuckSends seeds on all cores (target: under 10 s on 2 cores).

use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use tabletop::scenario::load_path;
use tabletop::sim::Variants;
use tabletop::sweep::run_seeds;

fn sweep(c: &mut Criterion) {
    let (scenario, _) =
        load_path(&Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/ducksends.ron"))
            .expect("ducksends loads");
    let seeds: Vec<u64> = (0..10_000).collect();
    let mut group = c.benchmark_group("sweep");
    group.sample_size(10);
    group.throughput(Throughput::Elements(seeds.len() as u64));
    group.bench_function("ducksends 10k seeds", |b| {
        b.iter(|| run_seeds(&scenario, &Variants::new(), &seeds, &|| {}).expect("runs"));
    });
    let mut variant = Variants::new();
    variant.insert("fin-intake".into(), "share-first".into());
    group.bench_function("ducksends 10k seeds, baseline and share-first", |b| {
        b.iter(|| run_seeds(&scenario, &variant, &seeds, &|| {}).expect("runs"));
    });
    group.finish();
}

criterion_group!(benches, sweep);
criterion_main!(benches);
