//! From format types to checked domain types.
//!
//! Every rule of SPEC.md's "Input errors" and "Settled readings" lives here.
//! Validation never stops at the first problem: it records each one with the
//! key path where it stands and carries on with a placeholder, so a user sees
//! every problem of a file at once.

use super::diagnostics::{KeyPath, Problem, suggest};
use super::format::*;
use crate::model::*;

/// The one kernel version this engine runs.
pub const KERNEL_VERSION: i64 = 1;

/// The largest magnitude any number may have. Beyond it the logistic and the
/// drivers saturate long before, so a larger number is a typing error, and
/// the bound keeps every draw finite.
pub const MAX_MAGNITUDE: f64 = 1e6;

/// The most runs a scenario or the command line may ask for.
pub const MAX_RUNS: i64 = 1_000_000_000;

/// The longest horizon, in years.
pub const MAX_YEARS: i64 = 100;

/// The range a number must lie in.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Bound {
    Any,
    NonNegative,
    Unit,
    Positive,
    Percent,
}

impl Bound {
    fn contains(self, v: f64) -> bool {
        match self {
            Bound::Any => true,
            Bound::NonNegative => v >= 0.0,
            Bound::Unit => (0.0..=1.0).contains(&v),
            Bound::Positive => v > 0.0,
            Bound::Percent => (0.0..=100.0).contains(&v),
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Bound::Any => "any finite number",
            Bound::NonNegative => "a number >= 0",
            Bound::Unit => "a number in [0, 1]",
            Bound::Positive => "a number > 0",
            Bound::Percent => "a number in [0, 100]",
        }
    }

    fn is_bounded(self) -> bool {
        self != Bound::Any
    }
}

#[derive(Default)]
struct Checker {
    problems: Vec<Problem>,
}

impl Checker {
    fn push(&mut self, p: Problem) {
        self.problems.push(p);
    }

    fn finish<T>(self, value: T) -> Result<T, Vec<Problem>> {
        if self.problems.is_empty() {
            Ok(value)
        } else {
            Err(self.problems)
        }
    }

    /// A plain number: finite, not huge, inside its bound.
    fn number(&mut self, path: &KeyPath, v: f64, bound: Bound) -> f64 {
        if !v.is_finite() {
            self.push(
                Problem::new(
                    path.clone(),
                    format!("expected {}, found {v}", bound.describe()),
                )
                .hint("NaN and infinite numbers are not allowed"),
            );
            return 0.0;
        }
        if v.abs() > MAX_MAGNITUDE {
            self.push(
                Problem::new(path.clone(), format!("{v} is too large"))
                    .hint(format!("numbers lie within ±{MAX_MAGNITUDE:e}")),
            );
            return 0.0;
        }
        if !bound.contains(v) {
            self.push(
                Problem::new(path.clone(), format!("{v} is out of range"))
                    .hint(format!("expected {}", bound.describe())),
            );
        }
        v
    }

    /// An uncertain parameter: a number, or a distribution whose support lies inside the bound.
    fn param(&mut self, path: &KeyPath, raw: &RawParam, bound: Bound) -> Param {
        let d = match raw {
            RawParam::Number(v) => return Param::Fixed(self.number(path, *v, bound)),
            RawParam::Dist(d) => d,
        };
        const DISTS: [&str; 4] = ["normal", "uniform", "triangular", "beta"];
        let Some(name) = &d.dist else {
            self.push(
                Problem::new(path.clone(), "a distribution needs `dist`")
                    .hint("write dist = \"normal\", \"uniform\", \"triangular\" or \"beta\""),
            );
            return Param::Fixed(0.0);
        };
        let fields = [
            ("mean", d.mean),
            ("sd", d.sd),
            ("low", d.low),
            ("high", d.high),
            ("mode", d.mode),
            ("alpha", d.alpha),
            ("beta", d.beta),
        ];
        let wanted: &[&str] = match name.as_str() {
            "normal" => &["mean", "sd"],
            "uniform" => &["low", "high"],
            "triangular" => &["low", "mode", "high"],
            "beta" => &["alpha", "beta"],
            other => {
                self.push(
                    Problem::new(
                        path.key("dist"),
                        format!("unknown distribution \"{other}\""),
                    )
                    .hint(suggest(other, &DISTS, "distributions")),
                );
                return Param::Fixed(0.0);
            }
        };
        let mut ok = true;
        let mut get = |key: &str| -> f64 {
            let value = fields.iter().find(|(k, _)| *k == key).and_then(|(_, v)| *v);
            match value {
                Some(v) => {
                    // A NaN, infinite or huge field is reported as such, not
                    // again as a broken distribution built on its placeholder.
                    let before = self.problems.len();
                    let v = self.number(&path.key(key), v, Bound::Any);
                    ok &= self.problems.len() == before;
                    v
                }
                None => {
                    ok = false;
                    self.push(
                        Problem::new(path.clone(), format!("{name} distribution needs `{key}`"))
                            .hint(format!("{name} takes {}", wanted.join(", "))),
                    );
                    0.0
                }
            }
        };
        let values: Vec<f64> = wanted.iter().map(|k| get(k)).collect();
        for (key, value) in fields {
            if value.is_some() && !wanted.contains(&key) {
                ok = false;
                self.push(
                    Problem::new(
                        path.key(key),
                        format!("`{key}` does not belong to a {name} distribution"),
                    )
                    .hint(format!("{name} takes {}", wanted.join(", "))),
                );
            }
        }
        if !ok {
            return Param::Fixed(0.0);
        }
        let outside = |lo: f64, hi: f64| !(bound.contains(lo) && bound.contains(hi));
        let support = |checker: &mut Checker, lo: f64, hi: f64| {
            if outside(lo, hi) {
                checker.push(
                    Problem::new(
                        path.clone(),
                        format!("support [{lo}, {hi}] is not inside the bound"),
                    )
                    .hint(format!(
                        "this parameter must be {}; a distribution may not reach outside it",
                        bound.describe()
                    )),
                );
            }
        };
        match name.as_str() {
            "normal" => {
                let (mean, sd) = (values[0], values[1]);
                if bound.is_bounded() {
                    self.push(
                        Problem::new(
                            path.clone(),
                            "a normal distribution is not allowed on a bounded parameter",
                        )
                        .hint(format!(
                            "this parameter must be {}; use uniform, triangular{} or a number",
                            bound.describe(),
                            if bound == Bound::Unit { ", beta" } else { "" }
                        )),
                    );
                } else if sd < 0.0 {
                    self.push(
                        Problem::new(path.key("sd"), format!("sd {sd} is negative"))
                            .hint("expected a number >= 0"),
                    );
                }
                Param::Normal { mean, sd }
            }
            "uniform" => {
                let (low, high) = (values[0], values[1]);
                if low >= high {
                    self.push(Problem::new(
                        path.clone(),
                        format!("uniform needs low < high, found low = {low}, high = {high}"),
                    ));
                } else {
                    support(self, low, high);
                }
                Param::Uniform { low, high }
            }
            "triangular" => {
                let (low, mode, high) = (values[0], values[1], values[2]);
                if !(low < high && low <= mode && mode <= high) {
                    self.push(Problem::new(path.clone(), format!("triangular needs low <= mode <= high and low < high, found {low}, {mode}, {high}")));
                } else {
                    support(self, low, high);
                }
                Param::Triangular { low, mode, high }
            }
            _ => {
                let (alpha, beta) = (values[0], values[1]);
                if bound != Bound::Unit {
                    self.push(
                        Problem::new(
                            path.clone(),
                            "a beta distribution is only allowed on parameters bounded to [0, 1]",
                        )
                        .hint(format!("this parameter must be {}", bound.describe())),
                    );
                }
                for (key, v) in [("alpha", alpha), ("beta", beta)] {
                    if v <= 0.0 {
                        self.push(Problem::new(
                            path.key(key),
                            format!("{key} must be > 0, found {v}"),
                        ));
                    }
                }
                Param::Beta { alpha, beta }
            }
        }
    }

    fn period(&mut self, path: &KeyPath, raw: &RawPeriod, spy: StepsPerYear) -> Option<Period> {
        let parsed = match raw {
            RawPeriod::Year(y) if spy == 1 && (1000..=9999).contains(y) => {
                Ok(Period::new(*y, 1, 1))
            }
            RawPeriod::Year(y) => Err(format!("{y} is not a period of this model")),
            RawPeriod::Label(s) => {
                Period::parse(s, spy).map_err(|_| format!("\"{s}\" is not a period of this model"))
            }
        };
        match parsed {
            Ok(p) => Some(p),
            Err(message) => {
                self.push(Problem::new(path.clone(), message).hint(format!(
                    "the model has {spy} step{} a year: expected {}",
                    if spy == 1 { "" } else { "s" },
                    Period::form(spy)
                )));
                None
            }
        }
    }

    fn id(&mut self, path: &KeyPath, id: &str, what: &str) {
        let ok = !id.is_empty()
            && id.len() <= 64
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if !ok {
            self.push(
                Problem::new(
                    path.clone(),
                    format!("invalid {what} id \"{}\"", id.escape_default()),
                )
                .hint("ids use letters, digits, '_' and '-', at most 64 characters")
                .at_key(),
            );
        }
    }

    fn thresholds(&mut self, path: &KeyPath, raw: &RawThresholds) -> Thresholds {
        let before = self.problems.len();
        let low = self.number(&path.key("low"), raw.low, Bound::Percent);
        let high = self.number(&path.key("high"), raw.high, Bound::Percent);
        if self.problems.len() == before && low >= high {
            self.push(Problem::new(
                path.clone(),
                format!("thresholds need low < high, found low = {low}, high = {high}"),
            ));
        }
        Thresholds { low, high }
    }

    fn target(&mut self, path: &KeyPath, raw: &RawTarget, spy: StepsPerYear) -> Target {
        match raw {
            RawTarget::Constant(v) => Target::Constant(self.number(path, *v, Bound::Unit)),
            RawTarget::Keyframes(frames) if frames.is_empty() => {
                self.push(
                    Problem::new(path.clone(), "keyframes are empty")
                        .hint("give at least one { at = ..., value = ... }, or a number"),
                );
                Target::Constant(0.0)
            }
            RawTarget::Keyframes(frames) => {
                let mut out: Vec<(Period, f64)> = Vec::with_capacity(frames.len());
                for (i, f) in frames.iter().enumerate() {
                    let at = self.period(&path.index(i).key("at"), &f.at, spy);
                    let value = self.number(&path.index(i).key("value"), f.value, Bound::Unit);
                    if let Some(at) = at {
                        if let Some((prev, _)) = out.last()
                            && at <= *prev
                        {
                            self.push(
                                Problem::new(
                                    path.index(i).key("at"),
                                    format!("keyframe at {at} does not come after {prev}"),
                                )
                                .hint("keyframes are strictly increasing in period"),
                            );
                            continue;
                        }
                        out.push((at, value));
                    }
                }
                if out.is_empty() {
                    Target::Constant(0.0)
                } else {
                    Target::Keyframes(out)
                }
            }
        }
    }

    /// Looks an id up among `known`, reporting an unknown one with a suggestion.
    fn lookup(&mut self, path: &KeyPath, id: &str, known: &[&str], what: &str) -> Option<usize> {
        let found = known.iter().position(|k| *k == id);
        if found.is_none() {
            self.push(
                Problem::new(path.clone(), format!("unknown {what} \"{id}\""))
                    .hint(suggest(id, known, &format!("{what}s of this model")))
                    .at_key(),
            );
        }
        found
    }

    fn evidence(&mut self, path: &KeyPath, raw: &[RawEvidence], sources: &[&str]) -> Vec<Evidence> {
        let mut out = Vec::new();
        for (i, e) in raw.iter().enumerate() {
            let p = path.index(i);
            let source = self.lookup(&p.key("source"), &e.source, sources, "source");
            if e.quote.trim().is_empty() {
                self.push(
                    Problem::new(p.key("quote"), "quote is empty")
                        .hint("quote the source verbatim"),
                );
            }
            out.push(Evidence {
                source: source.unwrap_or(0),
                quote: e.quote.clone(),
                supports: e.supports.clone(),
                note: e.note.clone(),
            });
        }
        out
    }
}

/// Checks a model file and turns it into a [`Model`].
pub fn model(file: &ModelFile) -> Result<Model, Vec<Problem>> {
    let mut c = Checker::default();
    let root = KeyPath::root();
    let header = &file.model;
    let hp = root.key("model");

    c.id(&hp.key("id"), &header.id, "model");
    if header.kernel != KERNEL_VERSION {
        c.push(
            Problem::new(
                hp.key("kernel"),
                format!("unsupported kernel version {}", header.kernel),
            )
            .hint(format!("this coopsim runs kernel {KERNEL_VERSION}")),
        );
    }
    let spy = match u32::try_from(header.steps_per_year) {
        Ok(s) if STEPS_PER_YEAR.contains(&s) => s,
        _ => {
            c.push(
                Problem::new(
                    hp.key("steps_per_year"),
                    format!("{} steps a year is not supported", header.steps_per_year),
                )
                .hint("expected 1, 2, 4 or 12"),
            );
            4
        }
    };
    let start = c
        .period(&hp.key("start"), &header.start, spy)
        .unwrap_or(Period::new(2000, 1, spy));
    let thresholds = c.thresholds(&hp.key("thresholds"), &header.thresholds);

    let source_ids: Vec<&str> = file.sources.keys().map(String::as_str).collect();
    let mut sources = Vec::new();
    for (id, s) in &file.sources {
        let p = root.key("sources").key(id);
        c.id(&p, id, "source");
        if s.title.trim().is_empty() {
            c.push(Problem::new(p.key("title"), "title is empty"));
        }
        sources.push(Source {
            id: id.clone(),
            title: s.title.clone(),
            publisher: s.publisher.clone(),
            date: s.date.clone(),
            file: s.file.clone(),
            url: s.url.clone(),
        });
    }

    let mut actors = Vec::new();
    for (id, a) in &file.actors {
        let p = root.key("actors").key(id);
        c.id(&p, id, "actor");
        actors.push(Actor {
            id: id.clone(),
            title: a.title.clone().unwrap_or_else(|| id.clone()),
            adjustment_per_year: c.param(&p.key("adjustment"), &a.adjustment, Bound::NonNegative),
            reciprocity: c.param(&p.key("reciprocity"), &a.reciprocity, Bound::Unit),
            evidence: c.evidence(&p.key("evidence"), &a.evidence, &source_ids),
        });
    }
    if actors.len() < 2 {
        c.push(
            Problem::new(
                root.key("actors"),
                format!("a model needs at least two actors, found {}", actors.len()),
            )
            .hint("cooperation needs every side: add [actors.<id>] tables"),
        );
    }

    let mut domains = Vec::new();
    for (id, d) in &file.domains {
        let p = root.key("domains").key(id);
        c.id(&p, id, "domain");
        domains.push(Domain {
            id: id.clone(),
            title: d.title.clone().unwrap_or_else(|| id.clone()),
            weight: c.number(&p.key("weight"), d.weight, Bound::Positive),
            evidence: c.evidence(&p.key("evidence"), &d.evidence, &source_ids),
        });
    }
    if domains.is_empty() {
        c.push(
            Problem::new(root.key("domains"), "a model needs at least one domain")
                .hint("add a [domains.<id>] table with a weight"),
        );
    }

    let mut drivers = Vec::new();
    for (id, d) in &file.drivers {
        let p = root.key("drivers").key(id);
        c.id(&p, id, "driver");
        let mut jumps: Vec<Jump> = Vec::new();
        for (i, j) in d.jumps.iter().enumerate() {
            let jp = p.key("jumps").index(i);
            check_jump_name(&mut c, &jp, &j.name, &jumps);
            jumps.push(Jump {
                name: j.name.clone(),
                description: j.description.clone(),
                rate_per_year: c.param(&jp.key("rate"), &j.rate, Bound::NonNegative),
                size: c.param(&jp.key("size"), &j.size, Bound::Any),
            });
        }
        drivers.push(Driver {
            id: id.clone(),
            title: d.title.clone().unwrap_or_else(|| id.clone()),
            meaning: d.meaning.clone(),
            dynamics: d.dynamics.clone(),
            initial: c.param(&p.key("initial"), &d.initial, Bound::Unit),
            target: c.target(&p.key("target"), &d.target, spy),
            reversion_per_year: c.param(&p.key("reversion"), &d.reversion, Bound::NonNegative),
            volatility: c.param(&p.key("volatility"), &d.volatility, Bound::NonNegative),
            jumps,
            evidence: c.evidence(&p.key("evidence"), &d.evidence, &source_ids),
        });
    }

    let actor_ids: Vec<&str> = file.actors.keys().map(String::as_str).collect();
    let domain_ids: Vec<&str> = file.domains.keys().map(String::as_str).collect();
    let driver_ids: Vec<&str> = file.drivers.keys().map(String::as_str).collect();
    let mut engagement: Vec<Vec<Option<Engagement>>> =
        vec![vec![None; domains.len()]; actors.len()];
    for (actor, row) in &file.engagement {
        let ap = root.key("engagement").key(actor);
        let Some(a) = c.lookup(&ap, actor, &actor_ids, "actor") else {
            continue;
        };
        for (domain, e) in row {
            let p = ap.key(domain);
            let Some(k) = c.lookup(&p, domain, &domain_ids, "domain") else {
                continue;
            };
            let mut weights = vec![Param::Fixed(0.0); drivers.len()];
            for (driver, w) in &e.weights {
                let wp = p.key("weights").key(driver);
                if let Some(d) = c.lookup(&wp, driver, &driver_ids, "driver") {
                    weights[d] = c.param(&wp, w, Bound::Any);
                }
            }
            engagement[a][k] = Some(Engagement {
                initial: c.param(&p.key("initial"), &e.initial, Bound::Unit),
                bias: e.bias.as_ref().map_or(Param::Fixed(0.0), |b| {
                    c.param(&p.key("bias"), b, Bound::Any)
                }),
                weights,
                evidence: c.evidence(&p.key("evidence"), &e.evidence, &source_ids),
            });
        }
    }
    let mut complete = Vec::with_capacity(actors.len());
    for (a, row) in engagement.into_iter().enumerate() {
        let mut full = Vec::with_capacity(row.len());
        for (k, e) in row.into_iter().enumerate() {
            match e {
                Some(e) => full.push(e),
                None => {
                    let (actor, domain) = (&actors[a].id, &domains[k].id);
                    c.push(
                        Problem::new(
                            root.key("engagement"),
                            format!("missing [engagement.{actor}.{domain}]"),
                        )
                        .hint(
                            "every actor needs an engagement table with `initial` for every domain",
                        ),
                    );
                }
            }
        }
        complete.push(full);
    }

    let model = Model {
        id: header.id.clone(),
        title: header.title.clone(),
        kernel: KERNEL_VERSION as u32,
        steps_per_year: spy,
        start,
        thresholds,
        sources,
        actors,
        domains,
        drivers,
        engagement: complete,
    };
    if c.problems.is_empty() {
        check_supports(&mut c, &model);
    }
    c.finish(model)
}

fn check_jump_name(c: &mut Checker, path: &KeyPath, name: &str, earlier: &[Jump]) {
    c.id(&path.key("name"), name, "jump");
    if earlier.iter().any(|j| j.name == name) {
        c.push(
            Problem::new(path.key("name"), format!("jump \"{name}\" is given twice"))
                .hint("a jump name appears at most once among one driver's jumps"),
        );
    }
}

/// The paths that evidence may support: every number of the model
/// (docs/spec.md, Settled readings 10 and 20).
pub fn supportable_paths(model: &Model) -> Vec<ParamPath> {
    model.values().map(|(path, _)| path).collect()
}

fn check_supports(c: &mut Checker, model: &Model) {
    let known = supportable_paths(model);
    let mut check = |base: KeyPath, evidence: &[Evidence]| {
        check_supported_paths(c, &known, &base, evidence);
    };
    for a in &model.actors {
        check(
            KeyPath::parse(&format!("actors.{}.evidence", a.id)),
            &a.evidence,
        );
    }
    for d in &model.domains {
        check(
            KeyPath::parse(&format!("domains.{}.evidence", d.id)),
            &d.evidence,
        );
    }
    for d in &model.drivers {
        check(
            KeyPath::parse(&format!("drivers.{}.evidence", d.id)),
            &d.evidence,
        );
    }
    for (a, row) in model.actors.iter().zip(&model.engagement) {
        for (k, e) in model.domains.iter().zip(row) {
            check(
                KeyPath::parse(&format!("engagement.{}.{}.evidence", a.id, k.id)),
                &e.evidence,
            );
        }
    }
}

/// Reports every `supports` path of `evidence` that names no number of the model.
fn check_supported_paths(
    c: &mut Checker,
    known: &[ParamPath],
    base: &KeyPath,
    evidence: &[Evidence],
) {
    let texts: Vec<String> = known.iter().map(ParamPath::to_string).collect();
    for (i, e) in evidence.iter().enumerate() {
        for (j, s) in e.supports.iter().enumerate() {
            let found = s.parse::<ParamPath>().is_ok_and(|p| known.contains(&p));
            if !found {
                let near = super::diagnostics::did_you_mean(s, texts.iter().map(String::as_str));
                c.push(
                    Problem::new(
                        base.index(i).key("supports").index(j),
                        format!("\"{s}\" names no parameter of this model"),
                    )
                    .maybe_hint(near.or_else(|| {
                        Some("paths are written as in the files, e.g. engagement.<actor>.<domain>.weights.<driver>".into())
                    })),
                );
            }
        }
    }
}

/// Checks a scenario file against its (checked) model and merges its overrides.
pub fn scenario(file: &ScenarioFile, base: &Model) -> Result<Scenario, Vec<Problem>> {
    let mut c = Checker::default();
    let root = KeyPath::root();
    let h = &file.scenario;
    let hp = root.key("scenario");
    let spy = base.steps_per_year;
    let mut model = base.clone();

    if h.name.trim().is_empty() {
        c.push(Problem::new(hp.key("name"), "name is empty"));
    }
    let start = match &h.start {
        Some(raw) => c.period(&hp.key("start"), raw, spy).unwrap_or(base.start),
        None => base.start,
    };
    if start < base.start {
        c.push(
            Problem::new(
                hp.key("start"),
                format!(
                    "the scenario starts at {start}, before its model ({})",
                    base.start
                ),
            )
            .hint(format!("start at {} or later", base.start)),
        );
    }
    let max_steps = MAX_YEARS * i64::from(spy);
    let steps = match (&h.end, h.steps) {
        (Some(_), Some(_)) => {
            c.push(Problem::new(
                hp.key("steps"),
                "give one of `end` and `steps`, not both",
            ));
            1
        }
        (None, None) => {
            c.push(
                Problem::new(hp.clone(), "missing the horizon")
                    .hint("give `end = \"2035Q4\"` or `steps = 40`"),
            );
            1
        }
        (Some(raw), None) => match c.period(&hp.key("end"), raw, spy) {
            Some(end) if end <= start => {
                c.push(
                    Problem::new(
                        hp.key("end"),
                        format!("end {end} is not after start {start}"),
                    )
                    .hint("the horizon needs at least one step"),
                );
                1
            }
            Some(end) if start.steps_until(end) > max_steps => {
                c.push(Problem::new(
                    hp.key("end"),
                    format!("the horizon is longer than {MAX_YEARS} years"),
                ));
                1
            }
            Some(end) => start.steps_until(end),
            None => 1,
        },
        (None, Some(s)) if !(1..=max_steps).contains(&s) => {
            c.push(
                Problem::new(hp.key("steps"), format!("{s} steps is out of range"))
                    .hint(format!("expected 1 to {max_steps} ({MAX_YEARS} years)")),
            );
            1
        }
        (None, Some(s)) if start.offset(s).year() > 9999 => {
            c.push(
                Problem::new(
                    hp.key("steps"),
                    format!(
                        "the horizon ends at {}, after the year 9999",
                        start.offset(s)
                    ),
                )
                .hint("years run from 1000 to 9999"),
            );
            1
        }
        (None, Some(s)) => s,
    };
    let end = start.offset(steps);
    let runs = match h.runs {
        None => 10_000,
        Some(r) => {
            if !(1..=MAX_RUNS).contains(&r) {
                c.push(
                    Problem::new(hp.key("runs"), format!("{r} runs is out of range"))
                        .hint(format!("expected 1 to {MAX_RUNS}")),
                );
            }
            r.max(1) as u64
        }
    };
    let seed = match h.seed {
        None => 0,
        Some(s) if s < 0 => {
            c.push(
                Problem::new(hp.key("seed"), format!("seed {s} is negative"))
                    .hint("expected an integer in [0, 2^63)"),
            );
            0
        }
        Some(s) => s as u64,
    };
    let thresholds = match &h.thresholds {
        Some(t) => c.thresholds(&hp.key("thresholds"), t),
        None => base.thresholds,
    };
    let source_ids: Vec<&str> = base.sources.iter().map(|s| s.id.as_str()).collect();
    let evidence = c.evidence(&root.key("evidence"), &file.evidence, &source_ids);
    check_supported_paths(
        &mut c,
        &supportable_paths(base),
        &root.key("evidence"),
        &evidence,
    );

    let driver_ids: Vec<&str> = base.drivers.iter().map(|d| d.id.as_str()).collect();
    for (id, patch) in &file.drivers {
        let p = root.key("drivers").key(id);
        let Some(d) = c.lookup(&p, id, &driver_ids, "driver") else {
            continue;
        };
        let driver = &mut model.drivers[d];
        if let Some(text) = &patch.dynamics {
            driver.dynamics = Some(text.clone());
        }
        if let Some(raw) = &patch.initial {
            driver.initial = c.param(&p.key("initial"), raw, Bound::Unit);
        }
        if let Some(raw) = &patch.target {
            driver.target = c.target(&p.key("target"), raw, spy);
        }
        if let Some(raw) = &patch.reversion {
            driver.reversion_per_year = c.param(&p.key("reversion"), raw, Bound::NonNegative);
        }
        if let Some(raw) = &patch.volatility {
            driver.volatility = c.param(&p.key("volatility"), raw, Bound::NonNegative);
        }
        let mut seen: Vec<Jump> = Vec::new();
        for (i, j) in patch.jumps.iter().enumerate() {
            let jp = p.key("jumps").index(i);
            check_jump_name(&mut c, &jp, &j.name, &seen);
            seen.push(Jump {
                name: j.name.clone(),
                description: None,
                rate_per_year: Param::Fixed(0.0),
                size: Param::Fixed(0.0),
            });
            let rate = j
                .rate
                .as_ref()
                .map(|r| c.param(&jp.key("rate"), r, Bound::NonNegative));
            let size = j
                .size
                .as_ref()
                .map(|s| c.param(&jp.key("size"), s, Bound::Any));
            match driver
                .jumps
                .iter_mut()
                .find(|existing| existing.name == j.name)
            {
                Some(existing) => {
                    existing.rate_per_year = rate.unwrap_or(existing.rate_per_year);
                    existing.size = size.unwrap_or(existing.size);
                    if j.description.is_some() {
                        existing.description = j.description.clone();
                    }
                }
                None => match (rate, size) {
                    (Some(rate_per_year), Some(size)) => driver.jumps.push(Jump {
                        name: j.name.clone(),
                        description: j.description.clone(),
                        rate_per_year,
                        size,
                    }),
                    _ => c.push(
                        Problem::new(
                            jp.clone(),
                            format!("new jump \"{}\" needs `rate` and `size`", j.name),
                        )
                        .maybe_hint(
                            super::diagnostics::did_you_mean(
                                &j.name,
                                driver.jumps.iter().map(|x| x.name.as_str()),
                            )
                            .map(|h| format!("{h} (the model's jump of that name)")),
                        ),
                    ),
                },
            }
        }
    }

    let actor_ids: Vec<&str> = base.actors.iter().map(|a| a.id.as_str()).collect();
    for (id, patch) in &file.actors {
        let p = root.key("actors").key(id);
        let Some(a) = c.lookup(&p, id, &actor_ids, "actor") else {
            continue;
        };
        if let Some(raw) = &patch.adjustment {
            model.actors[a].adjustment_per_year =
                c.param(&p.key("adjustment"), raw, Bound::NonNegative);
        }
        if let Some(raw) = &patch.reciprocity {
            model.actors[a].reciprocity = c.param(&p.key("reciprocity"), raw, Bound::Unit);
        }
    }

    let domain_ids: Vec<&str> = base.domains.iter().map(|d| d.id.as_str()).collect();
    for (id, patch) in &file.domains {
        let p = root.key("domains").key(id);
        let Some(k) = c.lookup(&p, id, &domain_ids, "domain") else {
            continue;
        };
        if let Some(w) = patch.weight {
            model.domains[k].weight = c.number(&p.key("weight"), w, Bound::Positive);
        }
    }

    for (actor, row) in &file.engagement {
        let ap = root.key("engagement").key(actor);
        let Some(a) = c.lookup(&ap, actor, &actor_ids, "actor") else {
            continue;
        };
        for (domain, patch) in row {
            let p = ap.key(domain);
            let Some(k) = c.lookup(&p, domain, &domain_ids, "domain") else {
                continue;
            };
            let e = &mut model.engagement[a][k];
            if let Some(raw) = &patch.initial {
                e.initial = c.param(&p.key("initial"), raw, Bound::Unit);
            }
            if let Some(raw) = &patch.bias {
                e.bias = c.param(&p.key("bias"), raw, Bound::Any);
            }
            for (driver, w) in &patch.weights {
                let wp = p.key("weights").key(driver);
                if let Some(d) = c.lookup(&wp, driver, &driver_ids, "driver") {
                    e.weights[d] = c.param(&wp, w, Bound::Any);
                }
            }
        }
    }

    let mut events = Vec::new();
    for (i, ev) in file.events.iter().enumerate() {
        let p = root.key("events").index(i);
        let driver = c.lookup(&p.key("driver"), &ev.driver, &driver_ids, "driver");
        let at = c.period(&p.key("at"), &ev.at, spy);
        if let Some(at) = at
            && (at <= start || at > end)
        {
            c.push(
                Problem::new(p.key("at"), format!("event at {at} is outside the horizon"))
                    .hint(format!("events change steps: put them after {start} (the initial state) and at or before {end}")),
            );
        }
        let action = match (ev.shift, ev.set) {
            (Some(shift), None) => Some(EventAction::Shift(c.number(
                &p.key("shift"),
                shift,
                Bound::Any,
            ))),
            (None, Some(set)) => Some(EventAction::Set(c.number(&p.key("set"), set, Bound::Unit))),
            (Some(_), Some(_)) => {
                c.push(Problem::new(
                    p.clone(),
                    "an event has `shift` or `set`, not both",
                ));
                None
            }
            (None, None) => {
                c.push(
                    Problem::new(p.clone(), "an event needs `shift` or `set`")
                        .hint("shift = 0.1 adds to the driver; set = 0.9 replaces it"),
                );
                None
            }
        };
        if let (Some(driver), Some(at), Some(action)) = (driver, at, action) {
            events.push(Event {
                at,
                driver,
                action,
                label: ev.label.clone(),
            });
        }
    }

    let scenario = Scenario {
        name: h.name.clone(),
        title: h.title.clone(),
        description: h.description.clone(),
        model,
        start,
        steps: steps.max(1) as usize,
        runs,
        seed,
        thresholds,
        events,
        evidence,
    };
    c.finish(scenario)
}
