//! Runs per second on the built-in baseline: the kernel alone, aggregation
//! alone, and whole runs on one thread and on every core.

use coopsim::input::builtin_baseline;
use coopsim::sim::Plan;
use coopsim::sim::kernel::{Workspace, simulate};
use coopsim::sim::runner::{default_threads, layout, run_all};
use coopsim::stats::Aggregate;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

fn baseline_plan() -> Plan {
    let loaded = builtin_baseline().expect("the built-in baseline is valid");
    Plan::new(&loaded.scenario, loaded.scenario.seed)
}

fn kernel(c: &mut Criterion) {
    let plan = baseline_plan();
    let mut ws = Workspace::new(&plan);
    let mut out = vec![0.0; plan.n_series() * plan.n_periods()];
    let mut g = c.benchmark_group("baseline");
    g.throughput(Throughput::Elements(1));
    let mut run = 0u64;
    g.bench_function("kernel, one run", |b| {
        b.iter(|| {
            run += 1;
            simulate(&plan, run, &mut ws, &mut out);
            black_box(&out);
        })
    });
    let mut agg = Aggregate::new(layout(&plan));
    simulate(&plan, 0, &mut ws, &mut out);
    g.bench_function("aggregation, one run", |b| {
        b.iter(|| agg.record(black_box(&out)))
    });

    let runs = 20_000u64;
    g.throughput(Throughput::Elements(runs));
    g.sample_size(10);
    let all = default_threads();
    let mut counts = vec![1];
    if all > 1 {
        counts.push(all);
    }
    for threads in counts {
        g.bench_function(format!("{runs} runs, {threads} thread(s)"), |b| {
            b.iter(|| black_box(run_all(&plan, runs, threads)))
        });
    }
    g.finish();
}

criterion_group!(benches, kernel);
criterion_main!(benches);
