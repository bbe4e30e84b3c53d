//! Observations: what happened, and the documented map from each measured
//! quantity to one index of a model (docs/spec.md §13).
//!
//! A record is checked against one model (its indices and calendar), so
//! every observation here already has a period of that model and a value on
//! the index scale.

use super::{Period, Source};

/// The observations of one file, checked against a model.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    pub title: String,
    /// The id of the model the measures map onto.
    pub model: String,
    pub sources: Vec<Source>,
    pub measures: Vec<Measure>,
}

impl Record {
    /// Every observation with its measure, in file order.
    pub fn observations(&self) -> impl Iterator<Item = (&Measure, &Observation)> {
        self.measures
            .iter()
            .flat_map(|m| m.values.iter().map(move |o| (m, o)))
    }
}

/// One measured quantity, mapped onto one index.
#[derive(Clone, Debug, PartialEq)]
pub struct Measure {
    pub id: String,
    pub title: String,
    /// The index it observes: `composite` or a domain id of the model.
    pub index: String,
    pub map: Mapping,
    /// Ordered by period.
    pub values: Vec<Observation>,
}

/// How a measured value becomes an index value in [0, 100].
#[derive(Clone, Debug, PartialEq)]
pub enum Mapping {
    /// `low` maps to 0 and `high` to 100, linearly; clamped.
    Linear { low: f64, high: f64 },
    /// As `Linear` on the logarithm; both bounds > 0.
    LogLinear { low: f64, high: f64 },
    /// Each value is a rung's name; the rung gives the index value.
    Ladder { rungs: Vec<(String, f64)> },
}

impl Mapping {
    /// The index value of a measured number, clamped to [0, 100]; `None`
    /// for a ladder, or a number a log-linear map cannot take (<= 0).
    pub fn of_number(&self, value: f64) -> Option<f64> {
        let share = match *self {
            Mapping::Linear { low, high } => (value - low) / (high - low),
            Mapping::LogLinear { low, high } if value > 0.0 => {
                (value.ln() - low.ln()) / (high.ln() - low.ln())
            }
            _ => return None,
        };
        Some((100.0 * share).clamp(0.0, 100.0))
    }

    /// The index value of a rung, if the ladder has it.
    pub fn of_rung(&self, rung: &str) -> Option<f64> {
        match self {
            Mapping::Ladder { rungs } => rungs.iter().find(|(r, _)| r == rung).map(|(_, v)| *v),
            _ => None,
        }
    }
}

/// A measured value as the file gave it.
#[derive(Clone, Debug, PartialEq)]
pub enum Measured {
    Number(f64),
    Rung(String),
}

/// How far an observation can be trusted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Grade {
    /// An official or first-hand figure.
    Firm,
    /// A ballpark, or one of conflicting reports.
    Rough,
}

impl Grade {
    pub fn name(self) -> &'static str {
        match self {
            Grade::Firm => "firm",
            Grade::Rough => "rough",
        }
    }
}

/// One observation of a measure.
#[derive(Clone, Debug, PartialEq)]
pub struct Observation {
    /// The model period it is compared with (a year's last period when the
    /// file gave a year).
    pub period: Period,
    pub measured: Measured,
    /// On the index scale, [0, 100].
    pub index_value: f64,
    pub grade: Grade,
    /// Index into [`Record::sources`].
    pub source: usize,
    pub note: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_send_their_bounds_to_0_and_100_and_clamp() {
        let lin = Mapping::Linear {
            low: 10.0,
            high: 20.0,
        };
        assert_eq!(lin.of_number(10.0), Some(0.0));
        assert_eq!(lin.of_number(15.0), Some(50.0));
        assert_eq!(lin.of_number(25.0), Some(100.0));
        assert_eq!(lin.of_number(0.0), Some(0.0));
        let log = Mapping::LogLinear {
            low: 5e7,
            high: 5e9,
        };
        // 5e8 is one decade of two above 5e7: half way.
        let mid = log.of_number(5e8).unwrap();
        assert!((mid - 50.0).abs() < 1e-12, "{mid}");
        assert_eq!(log.of_number(1e6), Some(0.0));
        assert_eq!(log.of_number(0.0), None);
        assert_eq!(log.of_rung("x"), None);
    }

    #[test]
    fn a_ladder_gives_its_rungs_values() {
        let ladder = Mapping::Ladder {
            rungs: vec![("none".into(), 0.0), ("mou".into(), 20.0)],
        };
        assert_eq!(ladder.of_rung("mou"), Some(20.0));
        assert_eq!(ladder.of_rung("pipeline"), None);
        assert_eq!(ladder.of_number(3.0), None);
    }
}
