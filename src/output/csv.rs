//! `summary.csv`: the result in long form, one row per (series, period).

use super::Export;
use crate::result::RunResult;
use serde::Serialize;
use std::io::{self, Write};

/// The long-form CSV of docs/spec.md §11, with driver rows leaving the index-only
/// columns empty.
pub struct CsvExport;

#[derive(Serialize)]
struct Row<'a> {
    scenario: &'a str,
    series: &'a str,
    kind: &'a str,
    period: &'a str,
    step: usize,
    mean: f64,
    sd: f64,
    p05: f64,
    p10: Option<f64>,
    p25: Option<f64>,
    p50: f64,
    p75: Option<f64>,
    p90: Option<f64>,
    p95: f64,
    p_high: Option<f64>,
    p_low: Option<f64>,
}

impl Export for CsvExport {
    fn export(&self, result: &RunResult, out: &mut dyn Write) -> io::Result<()> {
        let mut w = csv::Writer::from_writer(out);
        let scenario = result.provenance.scenario.name.as_str();
        for (name, s) in &result.indices {
            for (t, period) in result.periods.iter().enumerate() {
                w.serialize(Row {
                    scenario,
                    series: name,
                    kind: "index",
                    period,
                    step: t,
                    mean: s.mean[t],
                    sd: s.sd[t],
                    p05: s.p05[t],
                    p10: Some(s.p10[t]),
                    p25: Some(s.p25[t]),
                    p50: s.p50[t],
                    p75: Some(s.p75[t]),
                    p90: Some(s.p90[t]),
                    p95: s.p95[t],
                    p_high: Some(s.p_high[t]),
                    p_low: Some(s.p_low[t]),
                })?;
            }
        }
        for (name, s) in &result.drivers {
            for (t, period) in result.periods.iter().enumerate() {
                w.serialize(Row {
                    scenario,
                    series: name,
                    kind: "driver",
                    period,
                    step: t,
                    mean: s.mean[t],
                    sd: s.sd[t],
                    p05: s.p05[t],
                    p10: None,
                    p25: None,
                    p50: s.p50[t],
                    p75: None,
                    p90: None,
                    p95: s.p95[t],
                    p_high: None,
                    p_low: None,
                })?;
            }
        }
        w.flush()
    }
}
