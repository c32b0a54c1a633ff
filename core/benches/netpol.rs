//! Speed of the NetworkPolicy engine on a synthetic cluster from `netward_core::synth`
//! (deterministic: the same seed gives the same manifests).
//!
//! Groups, for 5,000 pods and 1,000 policies (and a smaller 1,000/200 cluster):
//!
//! - `build`: manifests already loaded → `Cluster::from_workspace` (decode, validate, default);
//! - `compile`: `Evaluator::compile` (selections, peers, ports);
//! - `query_explained`: one `check` plus its `Explainer::explain` (the pair rotates through a
//!   fixed list, so it is not one lucky pair);
//! - `allowed_ports`: every port of every protocol for one pair;
//! - `matrix`: the full pod-by-pod matrix for TCP/8080.
//!
//! Run with `cargo bench -p netward-core --bench netpol`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use netward_core::netpol::{
    Cluster, Connection, Endpoint, Evaluator, Explainer, Protocol, ReachOptions,
};
use netward_core::report::PositionStyle;
use netward_core::synth::{generate, SynthSpec};
use netward_core::{LoadLimits, Workspace};

/// The allocator the `netward` binary ships with, so the figures are the CLI's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn workspace(pods: usize, policies: usize) -> Workspace {
    let text = generate(&SynthSpec {
        pods,
        policies,
        namespaces: None,
        seed: 1,
    });
    let mut workspace = Workspace::new(LoadLimits::default());
    workspace.add_file("synth.yaml", text.as_bytes());
    workspace
}

fn sizes(c: &mut Criterion) {
    for (pods, policies) in [(1_000, 200), (5_000, 1_000)] {
        let label = format!("{pods}x{policies}");
        let workspace = workspace(pods, policies);
        let options = ReachOptions::default();
        let mut group = c.benchmark_group(format!("netpol_{label}"));
        group
            .sample_size(10)
            .measurement_time(Duration::from_secs(8));
        group.bench_function("build", |b| {
            b.iter(|| black_box(Cluster::from_workspace(&workspace, &options)))
        });
        let cluster = Cluster::from_workspace(&workspace, &options);
        assert_eq!(cluster.pods.len(), pods);
        group.bench_function("compile", |b| {
            b.iter(|| black_box(Evaluator::compile(&cluster, &options)))
        });
        let evaluator = Evaluator::compile(&cluster, &options);
        group.bench_function("matrix_tcp_8080", |b| {
            b.iter(|| black_box(evaluator.matrix(Protocol::Tcp, 8080)))
        });
        group.finish();

        let mut group = c.benchmark_group(format!("netpol_{label}"));
        let pairs: Vec<(usize, usize)> = (0..64)
            .map(|i| ((i * 7919) % pods, (i * 104_729 + 13) % pods))
            .collect();
        let explainer = Explainer::new(&evaluator, &workspace, PositionStyle::CLI);
        let mut next = 0;
        group.bench_function("query_explained", |b| {
            b.iter(|| {
                let (s, d) = pairs[next % pairs.len()];
                next += 1;
                let connection = Connection {
                    from: Endpoint::Pod(s),
                    to: Endpoint::Pod(d),
                    protocol: Protocol::Tcp,
                    port: 8080,
                };
                let verdict = evaluator.check(&connection);
                black_box(explainer.explain(&connection, &verdict))
            })
        });
        group.bench_function("allowed_ports", |b| {
            b.iter(|| {
                let (s, d) = pairs[next % pairs.len()];
                next += 1;
                black_box(evaluator.allowed_ports(Endpoint::Pod(s), Endpoint::Pod(d)))
            })
        });
        group.finish();
    }
}

criterion_group!(benches, sizes);
criterion_main!(benches);
