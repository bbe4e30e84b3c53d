//! Analysis above the simulation: what a scenario assumes, paired
//! comparisons, sweeps, sensitivity, scorecards, and backtests against
//! history. Everything here reuses
//! `sim` and `stats`; nothing here knows the terminal.

pub mod backtest;
pub mod calibrate;
pub mod compare;
pub mod explain;
pub mod score;
pub mod sensitivity;
pub mod sweep;

use crate::error::ArgumentError;
use crate::input::LoadedScenario;

/// Checks that scenarios can be compared period by period: the same start,
/// the same number of steps and the same domains.
pub(crate) fn same_horizon(scenarios: &[&LoadedScenario]) -> Result<(), ArgumentError> {
    let Some(first) = scenarios.first() else {
        return Ok(());
    };
    let f = &first.scenario;
    let domains = |s: &crate::model::Scenario| -> Vec<String> {
        s.model.domains.iter().map(|d| d.id.clone()).collect()
    };
    for other in &scenarios[1..] {
        let o = &other.scenario;
        if o.start != f.start || o.steps != f.steps {
            return Err(ArgumentError::Horizon {
                scenario: o.name.clone(),
                start: o.start.to_string(),
                end: o.end().to_string(),
                first: f.name.clone(),
                first_start: f.start.to_string(),
                first_end: f.end().to_string(),
            });
        }
        if domains(o) != domains(f) {
            return Err(ArgumentError::Domains {
                scenario: o.name.clone(),
                first: f.name.clone(),
            });
        }
    }
    Ok(())
}
