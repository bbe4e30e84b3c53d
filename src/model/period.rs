//! Periods: labelled time steps at a model's resolution.

use std::fmt;

/// Number of steps in a year: 1, 2, 4 or 12.
pub type StepsPerYear = u32;

/// The resolutions a model may use.
pub(crate) const STEPS_PER_YEAR: [StepsPerYear; 4] = [1, 2, 4, 12];

/// A labelled time step at a fixed resolution (`2026`, `2026H1`, `2026Q1`, `2026-01`).
///
/// Stored as an absolute step count (`year * steps_per_year + sub - 1`), so
/// that distances between periods are plain subtraction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    index: i64,
    steps_per_year: StepsPerYear,
}

impl Period {
    /// The period `sub` (1-based) of `year`.
    pub fn new(year: i64, sub: u32, steps_per_year: StepsPerYear) -> Period {
        Period {
            index: year * i64::from(steps_per_year) + i64::from(sub) - 1,
            steps_per_year,
        }
    }

    /// Parses a label such as `2026Q1` at the given resolution.
    ///
    /// Returns a message saying what form was expected when the label does not fit.
    pub fn parse(label: &str, steps_per_year: StepsPerYear) -> Result<Period, String> {
        let expected = || format!("expected {}", Period::form(steps_per_year));
        if !label.is_ascii() {
            return Err(expected());
        }
        let (year, rest) = label.split_at(label.len().min(4));
        let year: i64 = match year.parse() {
            Ok(y) if year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit()) => y,
            _ => return Err(expected()),
        };
        let sub = match (steps_per_year, rest) {
            (1, "") => Some(1),
            (2, "H1") => Some(1),
            (2, "H2") => Some(2),
            (4, r) if r.len() == 2 && r.starts_with('Q') => {
                r[1..].parse().ok().filter(|q| (1..=4).contains(q))
            }
            (12, r) if r.len() == 3 && r.starts_with('-') => {
                r[1..].parse().ok().filter(|m| (1..=12).contains(m))
            }
            _ => None,
        };
        match sub {
            Some(sub) if year >= 1000 => Ok(Period::new(year, sub, steps_per_year)),
            _ => Err(expected()),
        }
    }

    /// How a period is written at this resolution, for error messages.
    pub fn form(steps_per_year: StepsPerYear) -> &'static str {
        match steps_per_year {
            1 => "a year such as 2026 or \"2026\"",
            2 => "a half-year such as \"2026H1\"",
            4 => "a quarter such as \"2026Q1\"",
            _ => "a month such as \"2026-01\"",
        }
    }

    /// The calendar year.
    pub fn year(self) -> i64 {
        self.index.div_euclid(i64::from(self.steps_per_year))
    }

    /// The 1-based sub-period within the year (quarter, month, ...).
    pub fn sub(self) -> u32 {
        self.index.rem_euclid(i64::from(self.steps_per_year)) as u32 + 1
    }

    /// The period `steps` later (earlier when negative).
    pub(crate) fn offset(self, steps: i64) -> Period {
        Period {
            index: self.index + steps,
            ..self
        }
    }

    /// Steps from `self` to `later` (negative when `later` is earlier).
    pub fn steps_until(self, later: Period) -> i64 {
        later.index - self.index
    }

    /// The resolution this period is written at.
    pub fn steps_per_year(self) -> StepsPerYear {
        self.steps_per_year
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (year, sub) = (self.year(), self.sub());
        match self.steps_per_year {
            1 => write!(f, "{year}"),
            2 => write!(f, "{year}H{sub}"),
            4 => write!(f, "{year}Q{sub}"),
            _ => write!(f, "{year}-{sub:02}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_parse_and_print_at_every_resolution() {
        for (label, spy) in [("2026", 1), ("2026H2", 2), ("2026Q3", 4), ("2026-11", 12)] {
            assert_eq!(Period::parse(label, spy).unwrap().to_string(), label);
        }
        assert_eq!(
            Period::parse("2026Q4", 4).unwrap().offset(1).to_string(),
            "2027Q1"
        );
        assert_eq!(
            Period::parse("2027-01", 12).unwrap().offset(-1).to_string(),
            "2026-12"
        );
    }

    #[test]
    fn periods_in_the_wrong_form_are_rejected() {
        for (label, spy) in [
            ("2026Q1", 12),
            ("2026Q5", 4),
            ("2026Q0", 4),
            ("26Q1", 4),
            ("2026-13", 12),
            ("2026H3", 2),
            ("2026", 4),
            ("ábcdQ1", 4),
            ("aa€Q1", 4),
            ("", 4),
            (" 2026Q1", 4),
            ("2026Q1 ", 4),
        ] {
            assert!(Period::parse(label, spy).is_err(), "{label} at {spy}");
        }
    }
}
