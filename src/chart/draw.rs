//! The drawing of each chart on any plotters backend (SVG or bitmap), and
//! the pieces they share: time axes in years, bands, styled lines, the
//! threshold lines and legends.

use super::palette::{BLACK, BLUE, BLUISH_GREEN, LINES, ORANGE, SKY_BLUE, VERMILLION};
use super::{Chart, FAMILY, MEDIAN, SPREAD_50, SPREAD_90};
use crate::analysis::backtest::Backtest;
use crate::analysis::compare::Comparison;
use crate::analysis::sensitivity::tornado::Tornado;
use crate::result::RunResult;
use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::element::ComposedElement;
use plotters::prelude::*;

/// The outcome of drawing: plotters' error, boxed.
pub(crate) type Drawn = Result<(), Box<dyn std::error::Error + Send + Sync>>;

type Ctx<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Columns of the drivers' small multiples.
pub(crate) const DRIVER_COLUMNS: usize = 4;

const TITLE_SIZE: u32 = 18;
const LABEL_SIZE: u32 = 14;
const LEGEND_SIZE: u32 = 13;

/// A line's pattern, so that series differ in grey print too.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Dash {
    Solid,
    Dashed,
    Dotted,
}

impl Dash {
    /// Dash and gap lengths in pixels.
    fn pattern(self) -> Option<(i32, i32)> {
        match self {
            Dash::Solid => None,
            Dash::Dashed => Some((9, 5)),
            Dash::Dotted => Some((2, 4)),
        }
    }
}

/// A point marker, for series told apart by shape.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Marker {
    None,
    Circle,
    Triangle,
    Square,
    Cross,
}

const DASHES: [Dash; 3] = [Dash::Solid, Dash::Dashed, Dash::Dotted];
const MARKERS: [Marker; 5] = [
    Marker::None,
    Marker::Circle,
    Marker::Triangle,
    Marker::Square,
    Marker::Cross,
];

/// A marker's outline in pixels around (0, 0): a closed path.
fn shape(marker: Marker) -> Vec<(i32, i32)> {
    match marker {
        Marker::None => vec![],
        Marker::Circle => vec![
            (4, 0),
            (3, 3),
            (0, 4),
            (-3, 3),
            (-4, 0),
            (-3, -3),
            (0, -4),
            (3, -3),
            (4, 0),
        ],
        Marker::Triangle => vec![(0, -5), (5, 4), (-5, 4), (0, -5)],
        Marker::Square => vec![(-4, -4), (4, -4), (4, 4), (-4, 4), (-4, -4)],
        Marker::Cross => vec![(-4, -4), (4, 4), (0, 0), (4, -4), (-4, 4)],
    }
}

/// A marker: an outline and a fill, in pixels around its point.
type Glyph<C, DB> = ComposedElement<C, DB, PathElement<(i32, i32)>, Polygon<(i32, i32)>>;

/// A marker at `at`: its outline in `stroke`, filled with `fill` (which is
/// transparent for an open marker). Markers are composed of a path and a
/// polygon, one type for every shape, so that plotters draws them on any
/// backend without boxing.
fn glyph<DB: DrawingBackend, C>(
    at: C,
    marker: Marker,
    stroke: ShapeStyle,
    fill: ShapeStyle,
) -> Glyph<C, DB> {
    let outline = shape(marker);
    let fill_shape = if marker == Marker::Cross {
        vec![]
    } else {
        outline.clone()
    };
    EmptyElement::at(at) + PathElement::new(outline, stroke) + Polygon::new(fill_shape, fill)
}

/// A line's legend sample: three segments in the line's pattern, 24
/// pixels long, with its marker in the middle.
fn sample(dash: Dash) -> [Vec<(i32, i32)>; 3] {
    let seg = |a: i32, b: i32| vec![(a, 0), (b, 0)];
    match dash {
        Dash::Solid => [seg(0, 8), seg(8, 16), seg(16, 24)],
        Dash::Dashed => [seg(0, 7), seg(11, 18), seg(22, 24)],
        Dash::Dotted => [seg(1, 3), seg(11, 13), seg(21, 23)],
    }
}

fn no_fill() -> ShapeStyle {
    TRANSPARENT.filled()
}

/// The x position of a period label such as `2027Q3`: its year plus the
/// share of the year before it. Labels it cannot read fall back to `i`.
pub(crate) fn year_of(period: &str, steps_per_year: u32, i: usize) -> f64 {
    let digits = period.chars().take_while(char::is_ascii_digit).count();
    let year = period[..digits].parse::<f64>();
    let sub = period[digits..]
        .trim_start_matches(|c: char| !c.is_ascii_digit())
        .parse::<f64>()
        .unwrap_or(1.0);
    match year {
        Ok(y) if steps_per_year > 1 => y + (sub - 1.0) / steps_per_year as f64,
        Ok(y) => y,
        Err(_) => i as f64,
    }
}

fn years(periods: &[String], steps_per_year: u32) -> Vec<f64> {
    periods
        .iter()
        .enumerate()
        .map(|(i, p)| year_of(p, steps_per_year, i))
        .collect()
}

/// The range of `x`, widened when it is a single point.
fn span(x: &[f64]) -> (f64, f64) {
    let lo = x.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !lo.is_finite() || !hi.is_finite() {
        (0.0, 1.0)
    } else if hi - lo < 1e-9 {
        (lo - 0.5, hi + 0.5)
    } else {
        (lo, hi)
    }
}

/// The range of every value in `series`, padded by 5% (and at least
/// `min_pad`), always including `include`.
fn value_span<'a>(
    series: impl IntoIterator<Item = &'a [f64]>,
    include: &'a [f64],
    min_pad: f64,
) -> (f64, f64) {
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for v in series.into_iter().flatten().chain(include).copied() {
        if v.is_finite() {
            lo = lo.min(v);
            hi = hi.max(v);
        }
    }
    if !lo.is_finite() {
        return (-1.0, 1.0);
    }
    let pad = ((hi - lo) * 0.05).max(min_pad);
    (lo - pad, hi + pad)
}

/// Year ticks print as whole years; plotters' in-between ticks print blank.
fn year_label(x: &f64) -> String {
    if (x - x.round()).abs() < 1e-6 {
        format!("{:.0}", x)
    } else {
        String::new()
    }
}

fn plane<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    caption: Option<(&str, u32)>,
    x: (f64, f64),
    y: (f64, f64),
    label_area: (u32, u32),
) -> Result<Ctx<'a, DB>, Box<dyn std::error::Error + Send + Sync>>
where
    DB::ErrorType: 'static,
{
    let mut b = ChartBuilder::on(area);
    if let Some((text, size)) = caption {
        b.caption(text, (FAMILY, size));
    }
    let c = b
        .margin(14)
        .x_label_area_size(label_area.0)
        .y_label_area_size(label_area.1)
        .build_cartesian_2d(x.0..x.1, y.0..y.1)?;
    Ok(c)
}

fn time_mesh<'a, DB: DrawingBackend + 'a>(c: &mut Ctx<'a, DB>, y_desc: &str, size: u32) -> Drawn
where
    DB::ErrorType: 'static,
{
    c.configure_mesh()
        .x_desc("year")
        .y_desc(y_desc)
        .x_label_formatter(&year_label)
        .x_labels(12)
        .max_light_lines(2)
        .light_line_style(BLACK.mix(0.06))
        .bold_line_style(BLACK.mix(0.15))
        .label_style((FAMILY, size))
        .axis_desc_style((FAMILY, size))
        .draw()?;
    Ok(())
}

/// A band between `lo` and `hi` over `x`, filled with `fill`.
fn band<'a, DB: DrawingBackend + 'a>(
    c: &mut Ctx<'a, DB>,
    x: &[f64],
    lo: &[f64],
    hi: &[f64],
    fill: RGBAColor,
    label: Option<&str>,
) -> Drawn
where
    DB::ErrorType: 'static,
{
    let points: Vec<(f64, f64)> = x
        .iter()
        .zip(hi)
        .map(|(&a, &b)| (a, b))
        .chain(x.iter().zip(lo).rev().map(|(&a, &b)| (a, b)))
        .collect();
    let drawn = c.draw_series(std::iter::once(Polygon::new(points, fill.filled())))?;
    if let Some(label) = label {
        drawn
            .label(label)
            .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 22, y + 6)], fill.filled()));
    }
    Ok(())
}

/// A line over `points` in `style`, with `marker` every `every` points
/// from `offset`, and its legend entry if labelled.
#[allow(clippy::too_many_arguments)]
fn styled_line<'a, DB: DrawingBackend + 'a>(
    c: &mut Ctx<'a, DB>,
    points: Vec<(f64, f64)>,
    color: RGBColor,
    width: u32,
    dash: Dash,
    marker: Marker,
    (every, offset): (usize, usize),
    label: Option<&str>,
) -> Drawn
where
    DB::ErrorType: 'static,
{
    let style = color.stroke_width(width);
    let drawn = match dash.pattern() {
        None => c.draw_series(LineSeries::new(points.clone(), style))?,
        Some((on, off)) => c.draw_series(DashedLineSeries::new(points.clone(), on, off, style))?,
    };
    if let Some(label) = label {
        drawn.label(label).legend(move |(x, y)| {
            let [a, b, c] = sample(dash);
            let shape = shape(marker);
            EmptyElement::at((x, y))
                + PathElement::new(a, style)
                + PathElement::new(b, style)
                + PathElement::new(c, style)
                + PathElement::new(
                    shape.iter().map(|&(u, v)| (u + 12, v)).collect::<Vec<_>>(),
                    style,
                )
        });
    }
    if marker != Marker::None {
        let every = every.max(1);
        c.draw_series(
            points
                .iter()
                .skip(offset % every)
                .step_by(every)
                .map(|&p| glyph::<DB, _>(p, marker, color.stroke_width(1), no_fill())),
        )?;
    }
    Ok(())
}

fn line<'a, DB: DrawingBackend + 'a>(
    c: &mut Ctx<'a, DB>,
    x: &[f64],
    y: &[f64],
    color: RGBColor,
    dash: Dash,
    label: Option<&str>,
) -> Drawn
where
    DB::ErrorType: 'static,
{
    let points = x.iter().copied().zip(y.iter().copied()).collect();
    styled_line(c, points, color, 2, dash, Marker::None, (1, 0), label)
}

/// The estrangement (dashed, vermillion) and partnership (dotted, green)
/// thresholds across the chart, each labelled on the line itself.
fn thresholds<'a, DB: DrawingBackend + 'a>(
    c: &mut Ctx<'a, DB>,
    result: &RunResult,
    (x0, x1): (f64, f64),
    legend: bool,
) -> Drawn
where
    DB::ErrorType: 'static,
{
    let [low_label, high_label] = super::threshold_labels(result);
    let t = result.thresholds;
    for (value, color, dash, label) in [
        (t.low, VERMILLION, Dash::Dashed, low_label),
        (t.high, BLUISH_GREEN, Dash::Dotted, high_label),
    ] {
        let points = vec![(x0, value), (x1, value)];
        let shown = legend.then_some(label.as_str());
        styled_line(c, points, color, 2, dash, Marker::None, (1, 0), shown)?;
        let style = TextStyle::from((FAMILY, LEGEND_SIZE).into_font()).color(&color);
        let at = (x1 - (x1 - x0) * 0.01, value + 1.0);
        c.draw_series(std::iter::once(Text::new(
            label.clone(),
            at,
            style.pos(plotters::style::text_anchor::Pos::new(
                plotters::style::text_anchor::HPos::Right,
                plotters::style::text_anchor::VPos::Bottom,
            )),
        )))?;
    }
    Ok(())
}

fn legend<'a, DB: DrawingBackend + 'a>(c: &mut Ctx<'a, DB>, position: SeriesLabelPosition) -> Drawn
where
    DB::ErrorType: 'static,
{
    c.configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.88))
        .border_style(BLACK.mix(0.5))
        .label_font((FAMILY, LEGEND_SIZE))
        .draw()?;
    Ok(())
}

fn missing(what: &str) -> Box<dyn std::error::Error + Send + Sync> {
    format!("no series {what}").into()
}

/// The fan of one index.
pub(crate) fn fan<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &Chart,
    result: &RunResult,
    index: &str,
) -> Drawn
where
    DB::ErrorType: 'static,
{
    let s = result.indices.get(index).ok_or_else(|| missing(index))?;
    let x = years(&result.periods, result.steps_per_year);
    let xs = span(&x);
    let mut c = plane(
        area,
        Some((&chart.title, TITLE_SIZE)),
        xs,
        (0.0, 100.0),
        (48, 60),
    )?;
    time_mesh(&mut c, "index (0–100)", LABEL_SIZE)?;
    band(&mut c, &x, &s.p05, &s.p95, BLUE.mix(0.18), Some(SPREAD_90))?;
    band(&mut c, &x, &s.p25, &s.p75, BLUE.mix(0.40), Some(SPREAD_50))?;
    line(&mut c, &x, &s.p50, BLUE, Dash::Solid, Some(MEDIAN))?;
    thresholds(&mut c, result, xs, true)?;
    legend(&mut c, SeriesLabelPosition::UpperLeft)
}

/// The drivers' paths, one panel each.
pub(crate) fn drivers<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &Chart,
    result: &RunResult,
) -> Drawn
where
    DB::ErrorType: 'static,
{
    let area = area.titled(&chart.title, (FAMILY, TITLE_SIZE))?;
    let x = years(&result.periods, result.steps_per_year);
    let xs = span(&x);
    let rows = result.drivers.len().div_ceil(DRIVER_COLUMNS).max(1);
    let panels = area.split_evenly((rows, DRIVER_COLUMNS));
    for (i, ((name, d), panel)) in result.drivers.iter().zip(&panels).enumerate() {
        let ys = value_span([d.p05.as_slice(), d.p95.as_slice()], &[0.0, 1.0], 0.0);
        let mut c = plane(panel, Some((name, LABEL_SIZE)), xs, ys, (40, 48))?;
        c.configure_mesh()
            .x_desc("year")
            .y_desc("level (0–1)")
            .x_label_formatter(&year_label)
            .x_labels(6)
            .y_labels(6)
            .max_light_lines(2)
            .light_line_style(BLACK.mix(0.05))
            .bold_line_style(BLACK.mix(0.12))
            .label_style((FAMILY, 12))
            .axis_desc_style((FAMILY, 12))
            .draw()?;
        let first = i == 0;
        band(
            &mut c,
            &x,
            &d.p05,
            &d.p95,
            BLUE.mix(0.22),
            first.then_some(SPREAD_90),
        )?;
        line(
            &mut c,
            &x,
            &d.p50,
            BLUE,
            Dash::Solid,
            first.then_some(MEDIAN),
        )?;
        if first {
            legend(&mut c, SeriesLabelPosition::LowerLeft)?;
        }
    }
    Ok(())
}

/// The medians of several scenarios, overlaid.
pub(crate) fn overlay<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &Chart,
    results: &[RunResult],
    index: &str,
) -> Drawn
where
    DB::ErrorType: 'static,
{
    let first = results.first().ok_or_else(|| missing("to overlay"))?;
    let x = years(&first.periods, first.steps_per_year);
    let xs = span(&x);
    let mut c = plane(
        area,
        Some((&chart.title, TITLE_SIZE)),
        xs,
        (0.0, 100.0),
        (48, 60),
    )?;
    time_mesh(&mut c, "index (0–100)", LABEL_SIZE)?;
    let every = (x.len() / 8).max(1);
    for (i, r) in results.iter().enumerate() {
        let s = r.indices.get(index).ok_or_else(|| missing(index))?;
        let points = x.iter().copied().zip(s.p50.iter().copied()).collect();
        styled_line(
            &mut c,
            points,
            LINES[i % LINES.len()],
            2,
            DASHES[i % DASHES.len()],
            MARKERS[i % MARKERS.len()],
            (every, i),
            Some(&chart.series[i]),
        )?;
    }
    thresholds(&mut c, first, xs, true)?;
    legend(&mut c, SeriesLabelPosition::UpperLeft)
}

/// The paired difference of one compared scenario on one index.
pub(crate) fn compare<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &Chart,
    comparison: &Comparison,
    name: &str,
    index: &str,
) -> Drawn
where
    DB::ErrorType: 'static,
{
    let s = comparison
        .compared
        .get(name)
        .and_then(|c| c.indices.get(index))
        .ok_or_else(|| missing(index))?;
    let spy = comparison.results.first().map_or(4, |r| r.steps_per_year);
    let x = years(&comparison.periods, spy);
    let xs = span(&x);
    let ys = value_span(
        [
            s.diff_p05.as_slice(),
            s.diff_p95.as_slice(),
            s.ci_low.as_slice(),
            s.ci_high.as_slice(),
        ],
        &[0.0],
        0.5,
    );
    let mut c = plane(area, Some((&chart.title, TITLE_SIZE)), xs, ys, (48, 60))?;
    time_mesh(
        &mut c,
        &format!("difference of the {index} index (index points)"),
        LABEL_SIZE,
    )?;
    let labels = &chart.series;
    band(
        &mut c,
        &x,
        &s.diff_p05,
        &s.diff_p95,
        SKY_BLUE.mix(0.35),
        Some(&labels[0]),
    )?;
    band(
        &mut c,
        &x,
        &s.ci_low,
        &s.ci_high,
        BLUE.mix(0.75),
        Some(&labels[1]),
    )?;
    line(
        &mut c,
        &x,
        &s.mean_diff,
        BLACK,
        Dash::Solid,
        Some(&labels[2]),
    )?;
    let zero = vec![(xs.0, 0.0), (xs.1, 0.0)];
    styled_line(
        &mut c,
        zero,
        VERMILLION,
        1,
        Dash::Dashed,
        Marker::None,
        (1, 0),
        Some(&labels[3]),
    )?;
    legend(&mut c, SeriesLabelPosition::LowerLeft)
}

/// The tornado of one index: the widest `bars` bars, top down.
pub(crate) fn tornado<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &Chart,
    tornado: &Tornado,
    index: &str,
    bars: usize,
) -> Drawn
where
    DB::ErrorType: 'static,
{
    let shown = &tornado.bars[..bars.min(tornado.bars.len())];
    let effect = |m: &indexmap::IndexMap<String, f64>| m.get(index).copied().unwrap_or(0.0);
    let widest = shown
        .iter()
        .flat_map(|b| [effect(&b.low).abs(), effect(&b.high).abs()])
        .fold(0.0f64, f64::max)
        .max(0.01)
        * 1.15;
    let n = shown.len().max(1);
    let names: Vec<String> = shown.iter().map(|b| b.name.clone()).collect();
    let label = move |y: &f64| -> String {
        let row = y.round();
        if (y - row).abs() > 1e-6 || row < 0.0 {
            return String::new();
        }
        // Row 0 is the bottom: the widest bar is drawn at the top.
        n.checked_sub(1 + row as usize)
            .and_then(|i| names.get(i).cloned())
            .unwrap_or_default()
    };
    let mut c = plane(
        area,
        Some((&chart.title, TITLE_SIZE - 2)),
        (-widest, widest),
        (-0.5, n as f64 - 0.5),
        (48, 330),
    )?;
    c.configure_mesh()
        .x_desc(format!(
            "change of the mean {index} index at {} (index points)",
            tornado.horizon
        ))
        .y_labels(n)
        .y_label_formatter(&label)
        .disable_y_mesh()
        .max_light_lines(2)
        .light_line_style(BLACK.mix(0.06))
        .bold_line_style(BLACK.mix(0.15))
        .label_style((FAMILY, LABEL_SIZE - 1))
        .axis_desc_style((FAMILY, LABEL_SIZE))
        .draw()?;
    let low_style = ORANGE.filled();
    let high_style = BLUE.filled();
    let row = |i: usize| (n - 1 - i) as f64;
    c.draw_series(shown.iter().enumerate().map(|(i, b)| {
        let y = row(i);
        Rectangle::new([(0.0, y - 0.38), (effect(&b.low), y - 0.02)], low_style)
    }))?
    .label(chart.series[0].clone())
    .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 22, y + 6)], low_style));
    c.draw_series(shown.iter().enumerate().map(|(i, b)| {
        let y = row(i);
        Rectangle::new([(0.0, y + 0.02), (effect(&b.high), y + 0.38)], high_style)
    }))?
    .label(chart.series[1].clone())
    .legend(move |(x, y)| Rectangle::new([(x, y - 6), (x + 22, y + 6)], high_style));
    c.draw_series(std::iter::once(PathElement::new(
        vec![(0.0, -0.5), (0.0, n as f64 - 0.5)],
        BLACK.stroke_width(1),
    )))?;
    legend(&mut c, SeriesLabelPosition::LowerRight)
}

/// The indices a backtest observed, in the result's order.
pub(crate) fn observed_indices(result: &RunResult, backtest: &Backtest) -> Vec<String> {
    result
        .indices
        .keys()
        .filter(|k| backtest.observations.iter().any(|o| &o.index == *k))
        .cloned()
        .collect()
}

/// The backtest: per observed index, the fan, persistence and the points.
pub(crate) fn backtest<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &Chart,
    result: &RunResult,
    backtest: &Backtest,
) -> Drawn
where
    DB::ErrorType: 'static,
{
    let area = area.titled(&chart.title, (FAMILY, TITLE_SIZE - 2))?;
    let mut indices = observed_indices(result, backtest);
    if indices.is_empty() {
        // Nothing after the start was observed: the composite fan alone.
        indices.push(crate::result::COMPOSITE.to_owned());
    }
    let rows = indices.len().div_ceil(2);
    let panels = area.split_evenly((rows, 2));
    let x = years(&result.periods, result.steps_per_year);
    let xs = span(&x);
    let spy = result.steps_per_year;
    for (i, (index, panel)) in indices.iter().zip(&panels).enumerate() {
        let s = result.indices.get(index).ok_or_else(|| missing(index))?;
        let caption = super::index_words(index);
        let mut c = plane(
            panel,
            Some((&caption, LABEL_SIZE)),
            xs,
            (0.0, 100.0),
            (40, 52),
        )?;
        time_mesh(&mut c, "index (0–100)", 12)?;
        let first = i == 0;
        let labels = &chart.series;
        band(
            &mut c,
            &x,
            &s.p05,
            &s.p95,
            BLUE.mix(0.18),
            first.then_some(labels[0].as_str()),
        )?;
        band(
            &mut c,
            &x,
            &s.p25,
            &s.p75,
            BLUE.mix(0.40),
            first.then_some(labels[1].as_str()),
        )?;
        line(
            &mut c,
            &x,
            &s.p50,
            BLUE,
            Dash::Solid,
            first.then_some(labels[2].as_str()),
        )?;
        let observed: Vec<_> = backtest
            .observations
            .iter()
            .filter(|o| &o.index == index)
            .collect();
        let mut measures: Vec<(&str, f64)> = Vec::new();
        for o in &observed {
            if !measures.iter().any(|(m, _)| *m == o.measure) {
                measures.push((&o.measure, o.persistence));
            }
        }
        for (k, (_, value)) in measures.iter().enumerate() {
            let label = (first && k == 0).then_some(labels[3].as_str());
            let points = vec![(xs.0, *value), (xs.1, *value)];
            styled_line(
                &mut c,
                points,
                BLACK,
                1,
                Dash::Dashed,
                Marker::None,
                (1, 0),
                label,
            )?;
        }
        for (grade, marker, color, label) in [
            ("firm", Marker::Circle, BLACK, &labels[4]),
            ("rough", Marker::Triangle, VERMILLION, &labels[5]),
        ] {
            let stroke = color.stroke_width(if grade == "firm" { 1 } else { 2 });
            let fill = if grade == "firm" {
                color.filled()
            } else {
                no_fill()
            };
            let points: Vec<(f64, f64)> = observed
                .iter()
                .filter(|o| o.grade == grade)
                .map(|o| (year_of(&o.period, spy, 0), o.observed))
                .collect();
            let drawn = c.draw_series(
                points
                    .iter()
                    .map(|&p| glyph::<DB, _>(p, marker, stroke, fill)),
            )?;
            if first {
                drawn
                    .label(label.clone())
                    .legend(move |(x, y)| glyph::<DB, _>((x + 11, y), marker, stroke, fill));
            }
        }
        if first {
            legend(&mut c, SeriesLabelPosition::LowerRight)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_sit_at_their_share_of_the_year() {
        assert_eq!(year_of("2027Q1", 4, 0), 2027.0);
        assert_eq!(year_of("2027Q3", 4, 0), 2027.5);
        assert_eq!(year_of("2027H2", 2, 0), 2027.5);
        assert_eq!(year_of("2027", 1, 0), 2027.0);
        assert_eq!(year_of("2027-04", 12, 0), 2027.25);
        assert_eq!(year_of("later", 4, 3), 3.0);
    }
}
