//! Analysis above the simulation: what a scenario assumes, and (later)
//! comparisons, sweeps, sensitivity and scorecards. Everything here reuses
//! `sim` and `stats`; nothing here knows the terminal.

pub mod explain;
