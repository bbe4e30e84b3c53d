//! `coopsim explain` as text, JSON and CSV: what a scenario assumes, and
//! why it differs from a base.

use crate::analysis::explain::{Assumptions, Attribution, Cited};
use std::fmt::Write;

/// Renders what a scenario assumes, change by change, with its evidence.
pub fn render(a: &Assumptions) -> String {
    let mut s = String::new();
    let title = a
        .title
        .as_deref()
        .map(|t| format!(": {t}"))
        .unwrap_or_default();
    let _ = writeln!(s, "scenario {}{title}", a.provenance.scenario.name);
    let _ = writeln!(
        s,
        "model {}; {} to {} ({} steps); {} runs, seed {}",
        a.provenance.model.id, a.start, a.end, a.steps, a.provenance.runs, a.provenance.seed
    );
    if let Some(d) = &a.description {
        let _ = writeln!(s);
        for line in wrap(d, 76) {
            let _ = writeln!(s, "  {line}");
        }
    }
    if !a.cites.is_empty() {
        let _ = writeln!(s, "\nwhat the scenario cites");
        for c in &a.cites {
            quote(&mut s, c, "  ");
        }
    }
    if a.changes.is_empty() && a.events.is_empty() && a.decisions.is_empty() {
        let _ = writeln!(
            s,
            "\nthe scenario changes nothing: it runs the model as the model file states it"
        );
        return s;
    }
    if !a.changes.is_empty() {
        let _ = writeln!(s, "\nwhat it changes (model → scenario)");
        for c in &a.changes {
            let _ = writeln!(s, "\n  {}", c.path);
            let _ = writeln!(s, "    {}  →  {}", c.model, c.scenario);
            for e in &c.evidence {
                quote(&mut s, e, "    ");
            }
        }
    }
    if !a.events.is_empty() {
        let _ = writeln!(s, "\nscheduled events");
        for e in &a.events {
            let label = e.label.as_deref().unwrap_or_default();
            let _ = writeln!(s, "  {:<8} {:<14} {:<9} {label}", e.at, e.driver, e.action);
        }
    }
    if !a.decisions.is_empty() {
        let _ = writeln!(
            s,
            "\ndecisions (an actor's bias, in logit units, from the period on)"
        );
        for d in &a.decisions {
            let domain = d.domain.as_deref().unwrap_or("every domain");
            let label = d.label.as_deref().unwrap_or_default();
            let _ = writeln!(
                s,
                "  {:<8} {:<10} {:<14} {:<+6} {label}",
                d.at, d.actor, domain, d.bias_shift
            );
        }
    }
    for d in &a.drivers {
        let _ = writeln!(
            s,
            "\nhow {} reaches the indices (weights on engagement, logit units)",
            d.driver
        );
        for (target, w) in &d.weights {
            let _ = writeln!(s, "  {target:<36} {w}");
        }
        if !d.evidence.is_empty() {
            let _ = writeln!(s, "  evidence:");
        }
        for e in &d.evidence {
            quote(&mut s, e, "  ");
        }
    }
    if !a.sources.is_empty() {
        let _ = writeln!(s, "\nsources");
        for (id, citation) in &a.sources {
            let _ = writeln!(s, "  [{id}] {citation}");
        }
    }
    s
}

/// The changes as CSV, one row per value: `path,model,scenario,evidence`
/// (the number of evidence entries behind it).
pub fn csv(a: &Assumptions) -> String {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(["path", "model", "scenario", "evidence"]);
    for c in &a.changes {
        let n = c.evidence.len().to_string();
        let _ = w.write_record([c.path.as_str(), &c.model, &c.scenario, &n]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn quote(s: &mut String, c: &Cited, indent: &str) {
    let kind = c.kind.map(|k| format!(", {k}")).unwrap_or_default();
    let _ = writeln!(s, "{indent}  “{}” [{}{kind}]", c.quote, c.source);
    if let Some(note) = &c.note {
        let _ = writeln!(s, "{indent}    ({note})");
    }
}

/// Greedy word wrap at `width` characters.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The attribution as a table: per domain, the index difference, then each
/// actor's target utility from base to scenario, part by part.
pub(crate) fn attribution_table(a: &Attribution) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} against {} at {} ({} runs, seed {}, common random numbers)",
        a.provenance.scenario.name, a.base, a.period, a.provenance.runs, a.provenance.seed
    );
    let _ = writeln!(
        s,
        "target utility = bias + Σ weight × mean driver (logit units); each driver's part is \
         its path effect (base weight × change of its mean) and its weight effect (change of \
         weight × the scenario's mean); the parts add up to the change exactly"
    );
    let _ = writeln!(
        s,
        "index differences: the mean over paired runs, with its 95% simulation interval (the \
         simulation error of the mean; it narrows with --runs); their spread across futures and \
         P(>) are in `coopsim compare`"
    );
    if let Some(&[d, lo, hi]) = a.index_diff.get(crate::result::COMPOSITE) {
        let _ = writeln!(s, "\ncomposite: {}", mean_difference(d, lo, hi));
    }
    let domains: Vec<&str> = {
        let mut seen: Vec<&str> = Vec::new();
        for e in &a.engagement {
            if !seen.contains(&e.domain.as_str()) {
                seen.push(&e.domain);
            }
        }
        seen
    };
    for domain in domains {
        let _ = write!(s, "\n{domain}");
        if let Some(&[d, lo, hi]) = a.index_diff.get(domain) {
            let _ = write!(s, ": index {}", mean_difference(d, lo, hi));
        }
        let _ = writeln!(s);
        for e in a.engagement.iter().filter(|e| e.domain == domain) {
            let _ = writeln!(
                s,
                "  {:<10} utility {:+.3} → {:+.3}  (target {:.3} → {:.3})",
                e.actor, e.base_utility, e.scenario_utility, e.base_target, e.scenario_target
            );
            for c in &e.components {
                if c.value.abs() >= 0.0005 {
                    let _ = writeln!(s, "    {:<28} {:+.3}", c.name, c.value);
                }
            }
        }
    }
    s
}

/// "mean difference +3.70 (95% simulation interval +3.69 to +3.71)".
fn mean_difference(d: f64, lo: f64, hi: f64) -> String {
    format!("mean difference {d:+.2} (95% simulation interval {lo:+.2} to {hi:+.2})")
}

/// Waterfall data as CSV: per actor and domain, a `base` bar, one bar per
/// part with where it starts and ends, and a `scenario` bar.
pub(crate) fn attribution_csv(a: &Attribution) -> String {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(["actor", "domain", "component", "value", "start", "end"]);
    for e in &a.engagement {
        let mut row = |name: &str, value: f64, start: f64, end: f64| {
            let _ = w.write_record([
                e.actor.as_str(),
                e.domain.as_str(),
                name,
                &value.to_string(),
                &start.to_string(),
                &end.to_string(),
            ]);
        };
        row("base", e.base_utility, 0.0, e.base_utility);
        let mut at = e.base_utility;
        for c in &e.components {
            row(&c.name, c.value, at, at + c.value);
            at += c.value;
        }
        row("scenario", e.scenario_utility, 0.0, e.scenario_utility);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

impl super::Render for Assumptions {
    const FILES: (&'static str, Option<&'static str>) =
        ("assumptions.json", Some("assumptions.csv"));
    fn table(&self) -> String {
        render(self)
    }
    fn json(&self) -> String {
        super::json(self)
    }
    fn csv(&self) -> Option<String> {
        Some(csv(self))
    }
}

impl super::Render for Attribution {
    const FILES: (&'static str, Option<&'static str>) =
        ("attribution.json", Some("attribution.csv"));
    fn table(&self) -> String {
        attribution_table(self)
    }
    fn json(&self) -> String {
        super::json(self)
    }
    fn csv(&self) -> Option<String> {
        Some(attribution_csv(self))
    }
}
