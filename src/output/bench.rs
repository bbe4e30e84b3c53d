//! `coopsim bench` as a table and JSON; it has no CSV form.

use super::{Format, Render};
use crate::bench::BenchReport;
use std::fmt::Write;

/// The report as text for reading.
pub fn table(r: &BenchReport) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "scenario {}: {} runs on {} thread(s)",
        r.provenance.scenario.name, r.provenance.runs, r.threads
    );
    let _ = writeln!(s, "  time                  {:.3} s", r.seconds);
    let _ = writeln!(s, "  runs per second       {:.0}", r.runs_per_second);
    let _ = writeln!(s, "  ns per run per thread {:.0}", r.ns_per_run_per_thread);
    let _ = writeln!(
        s,
        "  kernel / floor        {:.2}  (kernel {:.0} ns, random numbers alone {:.0} ns per run, one thread)",
        r.kernel_to_floor, r.kernel_ns_per_run, r.floor_ns_per_run
    );
    match r.peak_memory_bytes {
        Some(b) => {
            let _ = writeln!(s, "  peak memory           {:.1} MB", b as f64 / 1e6);
        }
        None => {
            let _ = writeln!(s, "  peak memory           not reported by this system");
        }
    }
    let _ = writeln!(
        s,
        "  deterministic         {} ({} runs on {} and {} threads give {} bytes)",
        if r.deterministic { "yes" } else { "NO" },
        r.determinism_runs,
        r.determinism_threads[0],
        r.determinism_threads[1],
        if r.deterministic {
            "identical"
        } else {
            "different"
        }
    );
    s
}

impl Render for BenchReport {
    const FORMATS: &'static [Format] = &[Format::Table, Format::Json];
    const FILES: (&'static str, Option<&'static str>) = ("bench.json", None);
    fn table(&self) -> String {
        table(self)
    }
    fn json(&self) -> String {
        super::json(self)
    }
    fn csv(&self) -> Option<String> {
        None
    }
}
