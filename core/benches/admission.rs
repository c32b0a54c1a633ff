//! One AdmissionReview decided (`cargo bench -p netward-core --features admission --bench
//! admission`): the bundled examples, and the steps a review takes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{criterion_group, criterion_main, Criterion};
use netward_core::admission::{Mode, Reviewer};
use netward_core::options::Options;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn example(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../examples/admission/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn reviews(c: &mut Criterion) {
    let reviewer = Reviewer::new(Options::default(), Mode::Enforce);
    let mut group = c.benchmark_group("admission");
    for name in [
        "service-create-allowed",
        "service-create-warned",
        "service-create-denied",
        "networkpolicy-create-allowed",
        "networkpolicy-update-unchanged",
        "ingress-create-warned",
        "pod-create",
    ] {
        let body = example(name);
        group.bench_function(name, |b| b.iter(|| reviewer.review(&body).unwrap()));
    }
    // The load test's mix: seven reviews in compact JSON (as the API server sends them), in turn.
    let mix: Vec<Vec<u8>> = [
        "service-create-allowed",
        "service-create-warned",
        "service-create-denied",
        "networkpolicy-create-allowed",
        "networkpolicy-create-denied",
        "networkpolicy-update-unchanged",
        "ingress-create-warned",
    ]
    .iter()
    .map(|name| {
        let value: serde_json::Value = serde_json::from_slice(&example(name)).unwrap();
        serde_json::to_vec(&value).unwrap()
    })
    .collect();
    group.bench_function("compact-mix-of-7", |b| {
        b.iter(|| {
            for body in &mix {
                reviewer.review(body).unwrap();
            }
        })
    });
    let body = example("service-create-warned");
    group.bench_function("json-only/service-create-warned", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(&body).unwrap())
    });
    group.finish();
}

criterion_group!(benches, reviews);
criterion_main!(benches);
