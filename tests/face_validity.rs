//! Face validity: each shipped what-if moves the domains the way its
//! evidence says, against the baseline at the horizon.
//!
//! Each check pairs run i of the scenario with run i of the baseline under
//! the same seed (common random numbers), so the difference is the
//! scenario's, not chance's. A direction holds when the mean paired
//! difference lies more than four standard errors of the paired differences
//! beyond zero, and is at least half an index point: detectable and large
//! enough to matter.

use crate::common::shipped as load;
use coopsim::LoadedScenario;
use coopsim::sim::Plan;
use coopsim::sim::kernel::{Workspace, simulate};

const RUNS: u64 = 2000;
const SEED: u64 = 20261122;

/// Paired horizon differences (scenario − baseline) of one index series
/// (0 is the composite, then the domains in model order).
fn paired_horizon_differences(scenario: &LoadedScenario, series: usize) -> Vec<f64> {
    let base = load("baseline");
    let (a, b) = (
        Plan::new(&base.scenario, SEED),
        Plan::new(&scenario.scenario, SEED),
    );
    assert_eq!(
        a.n_periods(),
        b.n_periods(),
        "rule: every shipped what-if has the baseline's horizon, so that runs pair up at \
         the horizon; {} differs; fix: give it the start and end of scenarios/baseline.toml",
        scenario.scenario.name
    );
    let (mut wa, mut wb) = (Workspace::new(&a), Workspace::new(&b));
    let mut out_a = vec![0.0; a.n_series() * a.n_periods()];
    let mut out_b = vec![0.0; b.n_series() * b.n_periods()];
    let horizon = |plan: &Plan, out: &[f64]| out[plan.steps * plan.n_series() + series];
    (0..RUNS)
        .map(|run| {
            simulate(&a, run, &mut wa, &mut out_a);
            simulate(&b, run, &mut wb, &mut out_b);
            horizon(&b, &out_b) - horizon(&a, &out_a)
        })
        .collect()
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Moves {
    Up,
    Down,
}

/// Asserts that `scenario` moves `index` in `direction` against the baseline.
#[track_caller]
fn expect(scenario: &str, index: &str, direction: Moves, evidence: &str) {
    let loaded = load(scenario);
    let series = if index == "composite" {
        0
    } else {
        1 + loaded
            .scenario
            .model
            .domains
            .iter()
            .position(|d| d.id == index)
            .unwrap_or_else(|| {
                panic!(
                    "rule: a face-validity check names a domain of the model; {scenario}'s \
                     model has no domain {index}; fix: correct the check in \
                     tests/face_validity.rs, or restore [domains.{index}]"
                )
            })
    };
    let d = paired_horizon_differences(&loaded, series);
    let n = d.len() as f64;
    let mean = d.iter().sum::<f64>() / n;
    let sd = (d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    let margin = (4.0 * sd / n.sqrt()).max(0.5);
    let holds = match direction {
        Moves::Up => mean > margin,
        Moves::Down => mean < -margin,
    };
    assert!(
        holds,
        "rule: each shipped what-if moves the domains the way its evidence says, by more \
         than four paired standard errors and half an index point; {scenario} should move \
         {index} {direction:?} against the baseline (evidence: {evidence}); mean paired \
         difference {mean:.3}, margin {margin:.3}; fix: bring scenarios/{scenario}.toml or \
         the weights of models/pakistan_russia.toml back in line with the evidence, or, if \
         the evidence itself changed, change this expectation with it"
    );
}

use Moves::{Down, Up};

#[test]
fn sanctions_escalation_lowers_trade() {
    expect(
        "sanctions-escalation",
        "economic",
        Down,
        "\"bilateral trade had reached USD 1 billion before banking and \
         sanctions-related disruptions\" (ISSI, 2025)",
    );
    expect(
        "sanctions-escalation",
        "composite",
        Down,
        "as above: trade is a quarter of the composite",
    );
}

#[test]
fn sanctions_relief_raises_trade() {
    expect(
        "sanctions-relief",
        "economic",
        Up,
        "\"Pakistan's budgetary difficulties and Russia's sanctions-induced \
         restrictions\" (Nizamani et al., 2025): relief lifts the restrictions",
    );
}

#[test]
fn india_pivot_lowers_diplomacy_and_security() {
    let evidence = "\"closer ties with Islamabad cannot come at the expense of Moscow's \
                    relations with New Delhi\"; \"Russia is a major arms supplier and \
                    staunch supporter of Pakistan's nuclear rival India\" (Moscow Times, 2003)";
    expect("india-pivot", "diplomatic", Down, evidence);
    expect("india-pivot", "security", Down, evidence);
}

#[test]
fn us_india_drift_raises_diplomacy_and_security() {
    expect(
        "us-india-drift",
        "diplomatic",
        Up,
        "\"Pakistan has improved ties with Russia in the recent years as the United \
         States started to drift towards India\" (The Nation, 2016)",
    );
    expect(
        "us-india-drift",
        "security",
        Up,
        "\"The United States' reduction of military training chances for Pakistani \
         officers ... leading Islamabad to diversify its military partnerships\" \
         (Nizamani et al., 2025)",
    );
}

#[test]
fn cpec_stall_lowers_connectivity() {
    expect(
        "cpec-stall",
        "connectivity",
        Down,
        "\"CPEC greatly enhances Pakistan's regional connectivity ... which \
         indirectly helps Russia\" (Nizamani et al., 2025)",
    );
}

#[test]
fn cpec_russia_joins_raises_connectivity_and_trade() {
    let evidence = "\"Russia's interest in integrating Pakistan into the Eurasian Economic \
                    Union (EAEU) reflects a strategic effort to deepen economic ties and \
                    expand regional connectivity\" (Nizamani et al., 2025)";
    expect("cpec-russia-joins", "connectivity", Up, evidence);
    expect("cpec-russia-joins", "economic", Up, evidence);
}

#[test]
fn afghan_destabilisation_lowers_connectivity_and_raises_security_cooperation() {
    expect(
        "afghanistan-destabilises",
        "connectivity",
        Down,
        "\"The persistent instability and the existence of multiple terrorist groups \
         threaten regional security and economic progress\" (Nizamani et al., 2025)",
    );
    expect(
        "afghanistan-destabilises",
        "security",
        Up,
        "\"Afghanistan's ongoing instability creates common security threats that need \
         for coordinated actions\" (Nizamani et al., 2025)",
    );
}

#[test]
fn afghan_stabilisation_raises_connectivity_and_lowers_security_cooperation() {
    expect(
        "afghanistan-stabilises",
        "connectivity",
        Up,
        "Russia's recognition of the Taliban administration \"is viewed as a practical \
         move meant to promote commercial cooperation\" (Nizamani et al., 2025)",
    );
    expect(
        "afghanistan-stabilises",
        "security",
        Down,
        "the common threat that needs \"coordinated actions\" recedes (Nizamani et al., 2025)",
    );
}

#[test]
fn an_operating_pakistan_stream_raises_energy() {
    expect(
        "pakistan-stream-built",
        "energy",
        Up,
        "the pipeline as \"a flagship project of Pakistan-Russia economic relations\" \
         (SVI–RIAC, 2021)",
    );
    expect(
        "pakistan-stream-built",
        "economic",
        Up,
        "as above: a flagship of economic relations",
    );
}

#[test]
fn collapsing_energy_deals_lower_energy() {
    expect(
        "energy-deal-collapses",
        "energy",
        Down,
        "\"agreements for discounted crude oil deliveries\" are among the \"real-world \
         economic advantages\" (Nizamani et al., 2025)",
    );
}

#[test]
fn multipolar_acceleration_raises_diplomacy_and_the_composite() {
    let evidence = "\"Russia perceives the U.S.-led unipolar system as an impediment to \
                    global progress and supports the transition toward a multipolar world \
                    order\" (Nizamani et al., 2025)";
    expect("multipolar-acceleration", "diplomatic", Up, evidence);
    expect("multipolar-acceleration", "composite", Up, evidence);
}

#[test]
fn sanctions_and_a_cpec_stall_together_lower_trade_and_connectivity() {
    expect(
        "sanctions-cpec-stall",
        "connectivity",
        Down,
        "the CPEC stall, as in cpec-stall",
    );
    expect(
        "sanctions-cpec-stall",
        "economic",
        Down,
        "the sanctions escalation, as in sanctions-escalation",
    );
}

#[test]
fn a_lasting_ukraine_settlement_raises_trade_and_energy() {
    expect(
        "ukraine-settlement",
        "economic",
        Up,
        "trade had reached USD 1 billion \"before banking and sanctions-related disruptions\" \
         (ISSI, 2025)",
    );
    expect(
        "ukraine-settlement",
        "energy",
        Up,
        "as above: sanctions and payments held back the energy deals",
    );
}

#[test]
fn russia_selling_major_weapons_raises_security_cooperation() {
    expect(
        "russia-arms-sales",
        "security",
        Up,
        "defence ties \"further reinforced\" by exercises and training accords (Nizamani et \
         al., 2025): a decision to sell major weapons goes further",
    );
}
