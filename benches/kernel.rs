//! Runs per second on the built-in baseline: the random-number floor (the
//! run's random numbers and nothing else), the kernel alone, aggregation
//! alone, and whole runs on one thread and on every core.
//!
//! The kernel-to-floor ratio is the kernel's time per run over the floor's,
//! printed at the end from the same bench run.
//!
//! The group `kernels` times kernel 1 against kernel 2 on the same work:
//! the shipped model of 0.2 (kernel 1, frozen in tests/data) as it is and
//! with `kernel = 2`, which uses no kernel-2 item and so does exactly kernel
//! 1's arithmetic through kernel 2's code.

use coopsim::bench::floor_and_kernel;
use coopsim::input::builtin_baseline;
use coopsim::sim::Plan;
use coopsim::sim::floor::draw_run;
use coopsim::sim::kernel::{LANES, Lanes, Workspace, rows, simulate, simulate_lanes};
use coopsim::sim::runner::{default_threads, layout, run_all};
use coopsim::stats::Aggregate;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::{Duration, Instant};

fn baseline_plan() -> Plan {
    let loaded = builtin_baseline().expect("the built-in baseline is valid");
    Plan::new(&loaded.scenario, loaded.scenario.seed)
}

/// Nanoseconds per call of `f`, the best of five timings of `n` calls.
fn ns_per_call(n: u64, mut f: impl FnMut(u64)) -> f64 {
    (0..5)
        .map(|_| {
            let start = Instant::now();
            for i in 0..n {
                f(i);
            }
            start.elapsed().as_nanos() as f64 / n as f64
        })
        .fold(f64::INFINITY, f64::min)
}

fn kernel(c: &mut Criterion) {
    let plan = baseline_plan();
    let mut ws = Workspace::new(&plan);
    let mut out = vec![0.0; plan.n_series() * plan.n_periods()];
    let mut g = c.benchmark_group("baseline");
    g.throughput(Throughput::Elements(1));
    let mut run = 0u64;
    g.bench_function("random-number floor, one run", |b| {
        b.iter(|| {
            run += 1;
            black_box(draw_run(&plan, run))
        })
    });
    g.bench_function("kernel, one run alone", |b| {
        b.iter(|| {
            run += 1;
            simulate(&plan, run, &mut ws, &mut out);
            black_box(&out);
        })
    });
    let mut lanes = Lanes::<LANES>::new(&plan);
    let mut lane_out = rows(out.len() * LANES);
    g.throughput(Throughput::Elements(LANES as u64));
    g.bench_function(format!("kernel, {LANES} runs in lanes"), |b| {
        b.iter(|| {
            run += LANES as u64;
            simulate_lanes(&plan, run, &mut lanes, &mut lane_out, LANES);
            black_box(&lane_out);
        })
    });
    g.throughput(Throughput::Elements(1));
    let mut agg = Aggregate::new(layout(&plan));
    simulate(&plan, 0, &mut ws, &mut out);
    g.bench_function("aggregation, one run", |b| {
        b.iter(|| agg.record(black_box(&out)))
    });

    let runs = 20_000u64;
    g.throughput(Throughput::Elements(runs));
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(8));
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

    // The ratio from timings taken in turns, so that both figures see the
    // same machine state (the same measurement as `coopsim bench`).
    let (floor, kernel) = floor_and_kernel(&plan);
    let mut agg = Aggregate::new(layout(&plan));
    let aggregation = ns_per_call(20_000, |_| agg.record(black_box(&out)));
    println!(
        "\nbaseline, one thread: floor {floor:.0} ns/run, kernel {kernel:.0} ns/run, \
         aggregation {aggregation:.0} ns/run; kernel-to-floor ratio {:.2}",
        kernel / floor
    );
}

/// The frozen kernel-1 baseline, as written and as a kernel-2 model.
fn kernel_1_and_2_plans() -> [(&'static str, Plan); 2] {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let read = |p: &str| std::fs::read_to_string(root.join(p)).expect("the test data is present");
    let model = read("models/pakistan_russia_v1.toml");
    let scenario = read("scenarios/baseline-v1.toml");
    let plan = |model: &str| {
        let m = coopsim::input::parse_model("pakistan_russia_v1.toml", model.as_bytes())
            .expect("the frozen model is valid");
        let s = coopsim::input::parse_scenario_on("baseline-v1.toml", scenario.as_bytes(), m)
            .expect("the frozen baseline is valid");
        Plan::new(&s.scenario, s.scenario.seed)
    };
    [
        ("kernel 1", plan(&model)),
        (
            "kernel 2",
            plan(&model.replacen("kernel = 1", "kernel = 2", 1)),
        ),
    ]
}

fn kernels(c: &mut Criterion) {
    let plans = kernel_1_and_2_plans();
    let mut g = c.benchmark_group("kernels");
    g.throughput(Throughput::Elements(LANES as u64));
    for (name, plan) in &plans {
        let mut lanes = Lanes::<LANES>::new(plan);
        let mut out = rows(plan.n_series() * plan.n_periods() * LANES);
        let mut run = 0u64;
        g.bench_function(format!("{name}, {LANES} runs in lanes"), |b| {
            b.iter(|| {
                run += LANES as u64;
                simulate_lanes(plan, run, &mut lanes, &mut out, LANES);
                black_box(&out);
            })
        });
    }
    g.finish();
    // In turns, best of five each, so that both see the same machine.
    let mut best = [f64::INFINITY; 2];
    for _ in 0..5 {
        for (i, (_, plan)) in plans.iter().enumerate() {
            let mut lanes = Lanes::<LANES>::new(plan);
            let mut out = rows(plan.n_series() * plan.n_periods() * LANES);
            let ns = ns_per_call(2_000, |i| {
                simulate_lanes(plan, i * LANES as u64, &mut lanes, &mut out, LANES);
                black_box(&out);
            });
            best[i] = best[i].min(ns / LANES as f64);
        }
    }
    println!(
        "
kernels, one thread: kernel 1 {:.0} ns/run, kernel 2 {:.0} ns/run on the same \
         work; kernel 2 / kernel 1 = {:.3}",
        best[0],
        best[1],
        best[1] / best[0]
    );
}

criterion_group!(benches, kernel, kernels);
criterion_main!(benches);
