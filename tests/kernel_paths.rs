//! Every compiled path of the kernel gives the portable path's bits, and a
//! path runs only where the processor has every feature it is compiled for.

use crate::common::{HEADER, scenario};
use coopsim::LoadedScenario;
use coopsim::input::builtin_baseline;
use coopsim::sim::Plan;
use coopsim::sim::kernel::{KernelPath, LANES, Lanes, simulate_lanes, simulate_lanes_on};

/// Three actors (the kernel's general branch), two domains, jumps, every
/// kind of distribution, a keyframed target and both kinds of event.
fn three_actors() -> LoadedScenario {
    let model = format!(
        r#"{HEADER}
[actors.a]
adjustment = {{ dist = "triangular", low = 0.5, mode = 1.0, high = 2.0 }}
reciprocity = 0.3
[actors.b]
adjustment = 0.8
reciprocity = {{ dist = "beta", alpha = 2.0, beta = 5.0 }}
[actors.c]
adjustment = 1.5
reciprocity = 0.0
[domains.trade]
weight = 2.0
[domains.talks]
weight = 1.0
[drivers.pressure]
initial = {{ dist = "uniform", low = 0.3, high = 0.6 }}
target = [{{ at = "2026Q1", value = 0.4 }}, {{ at = "2028Q1", value = 0.8 }}]
reversion = {{ dist = "uniform", low = 0.2, high = 1.0 }}
volatility = 0.15
[[drivers.pressure.jumps]]
name = "shock"
rate = {{ dist = "uniform", low = 0.1, high = 0.9 }}
size = -0.2
[drivers.ties]
initial = 0.5
target = 0.5
reversion = 0.0
volatility = 0.1
[[drivers.ties.jumps]]
name = "deal"
rate = 0.5
size = 0.1
[engagement.a.trade]
initial = 0.4
bias = {{ dist = "normal", mean = -0.2, sd = 0.3 }}
weights = {{ pressure = -1.0, ties = 0.5 }}
[engagement.a.talks]
initial = 0.5
[engagement.b.trade]
initial = 0.3
weights = {{ ties = {{ dist = "uniform", low = 0.2, high = 0.8 }} }}
[engagement.b.talks]
initial = 0.6
weights = {{ pressure = 0.3 }}
[engagement.c.trade]
initial = 0.7
bias = 0.4
[engagement.c.talks]
initial = 0.2
weights = {{ pressure = -0.5, ties = 1.0 }}
"#
    );
    scenario(
        &model,
        r#"
[scenario]
name = "paths"
model = "hand"
steps = 16

[[events]]
at = "2026Q3"
driver = "pressure"
shift = 0.3

[[events]]
at = "2027Q1"
driver = "ties"
set = 0.9
"#,
    )
}

/// The bits of runs `first ..` in lanes on `path`.
fn bits(plan: &Plan, path: Option<KernelPath>, first: u64) -> Vec<u64> {
    let mut ws = Lanes::<LANES>::new(plan);
    let mut out = vec![0.0; plan.n_series() * plan.n_periods() * LANES];
    match path {
        Some(path) => simulate_lanes_on(path, plan, first, &mut ws, &mut out, LANES),
        None => simulate_lanes(plan, first, &mut ws, &mut out, LANES),
    }
    out.iter().map(|v| v.to_bits()).collect()
}

#[test]
fn every_kernel_path_gives_the_portable_bits() {
    let baseline = builtin_baseline().unwrap_or_else(|e| {
        panic!(
            "rule: the built-in baseline and model load without errors; {e}; fix: correct \
             scenarios/baseline.toml or models/pakistan_russia.toml, which the binary embeds"
        )
    });
    let kernel_2 = crate::common::load(&crate::common::data("scenarios/tiny2.toml"));
    for (name, loaded) in [
        ("baseline", baseline),
        ("three actors", three_actors()),
        ("kernel 2 with decisions", kernel_2),
    ] {
        let plan = Plan::new(&loaded.scenario, 7);
        for first in [0, 1000] {
            let portable = bits(&plan, Some(KernelPath::Portable), first);
            assert_eq!(
                bits(&plan, None, first),
                portable,
                "rule: the kernel path this process detects gives the portable path's bits \
                 (docs/decisions.md, Kernel paths); {name}, runs from {first}: the {} path \
                 differs; fix: its step in src/sim/kernel.rs must do the portable path's \
                 operations in the same order",
                KernelPath::detected().name()
            );
            for path in KernelPath::available() {
                assert_eq!(
                    bits(&plan, Some(path), first),
                    portable,
                    "rule: every compiled kernel path gives the portable path's bits \
                     (docs/decisions.md, Kernel paths); {name}, runs from {first}: the {} \
                     path differs; fix: its step in src/sim/kernel.rs must do the portable \
                     path's operations in the same order",
                    path.name()
                );
            }
        }
    }
}

/// The AVX2 path is compiled with FMA as well: it may only run where the
/// processor has both.
#[test]
fn a_vector_path_runs_only_with_all_its_features() {
    #[cfg(target_arch = "x86_64")]
    {
        let has = |f: &str| match f {
            "avx512f" => std::arch::is_x86_feature_detected!("avx512f"),
            "avx2" => std::arch::is_x86_feature_detected!("avx2"),
            "fma" => std::arch::is_x86_feature_detected!("fma"),
            other => panic!(
                "rule: this test knows every feature a kernel path is compiled with; a path \
                 needs {other}; fix: add it to `has` here and to processor_has in \
                 src/sim/kernel.rs"
            ),
        };
        assert_eq!(
            KernelPath::Avx2Fma.features(),
            ["avx2", "fma"],
            "rule: the AVX2 path lists both features its step is compiled with; fix: \
             KernelPath::features in src/sim/kernel.rs must be the step's target_feature list"
        );
        assert_eq!(
            KernelPath::Avx2Fma.is_available(),
            has("avx2") && has("fma"),
            "rule: the AVX2 path runs only where the processor has both avx2 and fma; fix: \
             KernelPath::is_available in src/sim/kernel.rs"
        );
        for path in KernelPath::ALL {
            assert_eq!(
                path.is_available(),
                path.features().iter().all(|f| has(f)),
                "rule: a kernel path is available exactly when the processor has every \
                 feature it is compiled with; {} is not; fix: KernelPath::features and \
                 is_available in src/sim/kernel.rs",
                path.name()
            );
        }
    }
    assert!(
        KernelPath::Portable.is_available(),
        "rule: the portable kernel path runs everywhere; fix: it needs no features \
         (KernelPath::features in src/sim/kernel.rs)"
    );
    assert_eq!(
        KernelPath::detected(),
        KernelPath::available().next().unwrap(),
        "rule: the process runs the widest kernel path the processor has every feature of; \
         fix: KernelPath::choose in src/sim/kernel.rs, and ALL widest first"
    );
}
