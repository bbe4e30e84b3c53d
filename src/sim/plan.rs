//! A scenario compiled for the kernel: flat parameter slots, precomputed
//! target paths, events by step, and the stream keys of one seed.
//!
//! Compiling once keeps the kernel free of lookups, strings and hashing:
//! a run only draws its uncertain parameters into their slots and steps.

use super::rng::{StreamKey, driver_stream, factor_stream, jump_stream};
use super::transition::{adjustment_fraction, jump_probability, ou_transition};
use crate::model::{EventAction, Interpolation, Param, ParamPath, Scenario, Target, Thresholds};
use rand::distr::Uniform;
use rand_distr::{Beta, Distribution, Normal, Triangular};

/// A prepared distribution for one uncertain parameter.
#[derive(Clone, Copy, Debug)]
pub enum Sampler {
    Normal(Normal<f64>),
    Uniform(Uniform<f64>),
    Triangular(Triangular<f64>),
    Beta(Beta<f64>),
}

impl Sampler {
    /// Prepares a sampler; `None` for a fixed number.
    ///
    /// Validation has checked every distribution's parameters, so the
    /// constructors cannot fail here; a failure falls back to the mean rather
    /// than panicking.
    fn new(param: &Param) -> Option<Sampler> {
        match *param {
            Param::Fixed(_) => None,
            Param::Normal { mean, sd } => Normal::new(mean, sd).ok().map(Sampler::Normal),
            Param::Uniform { low, high } => Uniform::new(low, high).ok().map(Sampler::Uniform),
            Param::Triangular { low, mode, high } => Triangular::new(low, high, mode)
                .ok()
                .map(Sampler::Triangular),
            Param::Beta { alpha, beta } => Beta::new(alpha, beta).ok().map(Sampler::Beta),
        }
    }

    /// Draws one value.
    pub fn sample<R: rand::Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match self {
            Sampler::Normal(d) => d.sample(rng),
            Sampler::Uniform(d) => d.sample(rng),
            Sampler::Triangular(d) => d.sample(rng),
            Sampler::Beta(d) => d.sample(rng),
        }
    }
}

/// An uncertain parameter: where its draw goes and the stream it comes from.
#[derive(Clone, Debug)]
pub struct UncertainParam {
    pub slot: usize,
    pub sampler: Sampler,
    pub key: StreamKey,
    /// The parameter's path, whose text keys its stream, and its distribution.
    pub path: ParamPath,
    pub param: Param,
}

/// A driver's parameter slots and the range of its jumps in [`Plan::jumps`].
#[derive(Clone, Debug)]
pub struct DriverPlan {
    pub initial: usize,
    pub reversion: usize,
    pub volatility: usize,
    pub jumps: std::ops::Range<usize>,
    pub key: StreamKey,
    /// The OU transition `(pull, shock sd)` when reversion and volatility
    /// are fixed numbers, computed once instead of every run.
    pub fixed_transition: Option<(f64, f64)>,
    /// Kernel 2: the target's values are drawn each run (else the target
    /// is the same for every run, in [`Plan::targets`]).
    pub drawn_target: Option<DrawnTarget>,
    /// Kernel 2: some jump of the driver is persistent, so the driver
    /// reverts to its target plus an offset.
    pub offset: bool,
    /// Kernel 2: the driver's shock mixes in these factors: `(factor,
    /// loading)` in factor order, nonzero loadings only; empty keeps the
    /// driver's own shock as it is.
    pub loadings: Vec<(usize, f64)>,
    /// `sqrt(max(0, 1 - sum of squared loadings))`: the weight of the
    /// driver's own shock when it has loadings.
    pub own_weight: f64,
}

/// A target whose values are drawn once a run: their slots, and for each
/// step how they make the target (precomputed from the keyframes).
#[derive(Clone, Debug)]
pub struct DrawnTarget {
    /// The slot of each value: the constant, or each keyframe's value.
    pub slots: Vec<usize>,
    /// `steps[t - 1]`: the target at step `t`.
    pub steps: Vec<Interpolation>,
}

/// A shared shock (kernel 2): its stream.
#[derive(Clone, Debug)]
pub struct FactorPlan {
    pub key: StreamKey,
}

/// A jump's parameter slots and its stream.
#[derive(Clone, Debug)]
pub struct JumpPlan {
    pub rate: usize,
    pub size: usize,
    pub key: StreamKey,
    /// The firing probability per step when the rate is a fixed number.
    pub fixed_probability: Option<f64>,
    /// Kernel 2: a firing also moves the driver's target offset.
    pub persistent: bool,
    /// Kernel 2: the jump fires at most once a run.
    pub once: bool,
}

/// An actor's parameter slots.
#[derive(Clone, Debug)]
pub struct ActorPlan {
    pub adjustment: usize,
    pub reciprocity: usize,
    /// The adjustment fraction per step when the speed is a fixed number.
    pub fixed_fraction: Option<f64>,
}

/// The slots of one (actor, domain) engagement; its weights are contiguous,
/// one per driver, starting at `weights`.
#[derive(Clone, Debug)]
pub struct EngagementPlan {
    pub initial: usize,
    pub bias: usize,
    pub weights: usize,
}

/// A scheduled event as the kernel applies it.
#[derive(Clone, Copy, Debug)]
pub struct StepEvent {
    pub driver: usize,
    pub action: EventAction,
}

/// A scenario compiled for one seed.
#[derive(Clone, Debug)]
pub struct Plan {
    pub n_actors: usize,
    pub n_domains: usize,
    pub n_drivers: usize,
    pub steps: usize,
    /// Years per step.
    pub dt: f64,
    /// Every parameter's value; uncertain slots are redrawn each run.
    pub base_params: Vec<f64>,
    pub uncertain: Vec<UncertainParam>,
    pub drivers: Vec<DriverPlan>,
    pub jumps: Vec<JumpPlan>,
    pub factors: Vec<FactorPlan>,
    pub actors: Vec<ActorPlan>,
    /// `engagement[actor * n_domains + domain]`.
    pub engagement: Vec<EngagementPlan>,
    /// `targets[(t - 1) * n_drivers + d]`: the target of driver `d` at step `t`.
    pub targets: Vec<f64>,
    /// Events of step `t` are `events[event_ranges[t - 1].clone()]`, in file order.
    pub event_ranges: Vec<std::ops::Range<usize>>,
    pub events: Vec<StepEvent>,
    /// Normalised to sum to 1.
    pub domain_weights: Vec<f64>,
    pub thresholds: Thresholds,
    /// Kernel 2's decisions: `bias_shifts[(t - 1) * n_engagements + i]` is
    /// the sum, in file order, of the bias shifts of engagement `i` due by
    /// step `t`; `None` when the scenario has no decision.
    pub bias_shifts: Option<Vec<f64>>,
}

impl Plan {
    /// Compiles `scenario` for the random streams of `seed`.
    pub fn new(scenario: &Scenario, seed: u64) -> Plan {
        let model = &scenario.model;
        let mut slots = Slots {
            base: Vec::new(),
            uncertain: Vec::new(),
            seed,
        };

        let mut drivers = Vec::new();
        let mut jumps = Vec::new();
        for d in &model.drivers {
            let driver = || d.id.clone();
            let first_jump = jumps.len();
            for j in &d.jumps {
                let jump = || j.name.clone();
                jumps.push(JumpPlan {
                    rate: slots.add(
                        ParamPath::JumpRate {
                            driver: driver(),
                            jump: jump(),
                        },
                        &j.rate_per_year,
                    ),
                    size: slots.add(
                        ParamPath::JumpSize {
                            driver: driver(),
                            jump: jump(),
                        },
                        &j.size,
                    ),
                    key: StreamKey::new(seed, &jump_stream(&d.id, &j.name)),
                    fixed_probability: fixed(&j.rate_per_year)
                        .map(|rate| jump_probability(rate, model.dt())),
                    persistent: j.persistent,
                    once: j.once,
                });
            }
            let drawn_target = d.target.is_uncertain().then(|| {
                let slots = match &d.target {
                    Target::Constant(v) => {
                        vec![slots.add(ParamPath::DriverTarget { driver: driver() }, v)]
                    }
                    Target::Keyframes(frames) => frames
                        .iter()
                        .map(|(at, v)| {
                            let path = ParamPath::DriverKeyframe {
                                driver: driver(),
                                at: at.to_string(),
                            };
                            slots.add(path, v)
                        })
                        .collect(),
                };
                let steps = (1..=scenario.steps)
                    .map(|t| d.target.interpolation(scenario.start.offset(t as i64)))
                    .collect();
                DrawnTarget { slots, steps }
            });
            let d_index = drivers.len();
            let loadings: Vec<(usize, f64)> = model
                .factors
                .iter()
                .enumerate()
                .map(|(f, factor)| (f, factor.loadings[d_index]))
                .filter(|(_, l)| *l != 0.0)
                .collect();
            let squares: f64 = loadings.iter().map(|(_, l)| l * l).sum();
            drivers.push(DriverPlan {
                initial: slots.add(ParamPath::DriverInitial { driver: driver() }, &d.initial),
                reversion: slots.add(
                    ParamPath::DriverReversion { driver: driver() },
                    &d.reversion_per_year,
                ),
                volatility: slots.add(
                    ParamPath::DriverVolatility { driver: driver() },
                    &d.volatility,
                ),
                jumps: first_jump..jumps.len(),
                key: StreamKey::new(seed, &driver_stream(&d.id)),
                fixed_transition: fixed(&d.reversion_per_year)
                    .zip(fixed(&d.volatility))
                    .map(|(theta, sigma)| ou_transition(theta, sigma, model.dt())),
                drawn_target,
                offset: d.jumps.iter().any(|j| j.persistent),
                loadings,
                own_weight: (1.0 - squares).max(0.0).sqrt(),
            });
        }
        let factors = model
            .factors
            .iter()
            .map(|f| FactorPlan {
                key: StreamKey::new(seed, &factor_stream(&f.id)),
            })
            .collect();
        let actors = model
            .actors
            .iter()
            .map(|a| ActorPlan {
                adjustment: slots.add(
                    ParamPath::ActorAdjustment {
                        actor: a.id.clone(),
                    },
                    &a.adjustment_per_year,
                ),
                reciprocity: slots.add(
                    ParamPath::ActorReciprocity {
                        actor: a.id.clone(),
                    },
                    &a.reciprocity,
                ),
                fixed_fraction: fixed(&a.adjustment_per_year)
                    .map(|speed| adjustment_fraction(speed, model.dt())),
            })
            .collect();
        let mut engagement = Vec::new();
        for (a, row) in model.actors.iter().zip(&model.engagement) {
            for (k, e) in model.domains.iter().zip(row) {
                let (actor, domain) = (|| a.id.clone(), || k.id.clone());
                let initial = slots.add(
                    ParamPath::EngagementInitial {
                        actor: actor(),
                        domain: domain(),
                    },
                    &e.initial,
                );
                let bias = slots.add(
                    ParamPath::EngagementBias {
                        actor: actor(),
                        domain: domain(),
                    },
                    &e.bias,
                );
                let weights = slots.base.len();
                for (d, w) in model.drivers.iter().zip(&e.weights) {
                    let path = ParamPath::EngagementWeight {
                        actor: actor(),
                        domain: domain(),
                        driver: d.id.clone(),
                    };
                    slots.add(path, w);
                }
                engagement.push(EngagementPlan {
                    initial,
                    bias,
                    weights,
                });
            }
        }

        let n_drivers = model.drivers.len();
        let steps = scenario.steps;
        let mut targets = Vec::with_capacity(steps * n_drivers);
        for t in 1..=steps {
            let period = scenario.start.offset(t as i64);
            targets.extend(model.drivers.iter().map(|d| d.target.at(period)));
        }
        let mut events = Vec::with_capacity(scenario.events.len());
        let mut event_ranges = Vec::with_capacity(steps);
        for t in 1..=steps {
            let period = scenario.start.offset(t as i64);
            let first = events.len();
            events.extend(
                scenario
                    .events
                    .iter()
                    .filter(|e| e.at == period)
                    .map(|e| StepEvent {
                        driver: e.driver,
                        action: e.action,
                    }),
            );
            event_ranges.push(first..events.len());
        }
        let n_engagements = model.actors.len() * model.domains.len();
        let bias_shifts = (!scenario.decisions.is_empty()).then(|| {
            let mut shifts = vec![0.0; steps * n_engagements];
            for t in 1..=steps {
                let period = scenario.start.offset(t as i64);
                let row = &mut shifts[(t - 1) * n_engagements..t * n_engagements];
                for dec in scenario.decisions.iter().filter(|d| d.at <= period) {
                    for k in 0..model.domains.len() {
                        if dec.domain.is_none_or(|only| only == k) {
                            row[dec.actor * model.domains.len() + k] += dec.bias_shift;
                        }
                    }
                }
            }
            shifts
        });

        Plan {
            n_actors: model.actors.len(),
            n_domains: model.domains.len(),
            n_drivers,
            steps,
            dt: model.dt(),
            base_params: slots.base,
            uncertain: slots.uncertain,
            drivers,
            jumps,
            factors,
            actors,
            engagement,
            targets,
            event_ranges,
            events,
            domain_weights: model.normalised_domain_weights(),
            thresholds: scenario.thresholds,
            bias_shifts,
        }
    }

    /// Values recorded per period: the composite, each domain, each driver.
    pub fn n_series(&self) -> usize {
        1 + self.n_domains + self.n_drivers
    }

    /// Index series (composite and domains) come first.
    pub fn n_index_series(&self) -> usize {
        1 + self.n_domains
    }

    /// Periods in a result: the initial state and one per step.
    pub fn n_periods(&self) -> usize {
        self.steps + 1
    }
}

/// The value of a fixed parameter; `None` for a distribution.
fn fixed(param: &Param) -> Option<f64> {
    match param {
        Param::Fixed(v) => Some(*v),
        _ => None,
    }
}

struct Slots {
    base: Vec<f64>,
    uncertain: Vec<UncertainParam>,
    seed: u64,
}

impl Slots {
    /// A slot for `param`; an uncertain one gets the stream its path's
    /// text names (docs/spec.md, "Random numbers").
    fn add(&mut self, path: ParamPath, param: &Param) -> usize {
        let slot = self.base.len();
        self.base.push(param.mean());
        if let Some(sampler) = Sampler::new(param) {
            self.uncertain.push(UncertainParam {
                slot,
                sampler,
                key: StreamKey::new(self.seed, &path.to_string()),
                path,
                param: *param,
            });
        }
        slot
    }
}
