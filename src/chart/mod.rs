//! Charts of results and analyses, drawn with plotters into SVG (and PNG).
//!
//! A [`Chart`] is built from a result or an analysis and drawn on demand:
//! [`Chart::svg`] for the report and `plot --svg`, [`Chart::png`] for
//! `plot --png`. The same drawing code serves both backends, so the two
//! show the same thing.
//!
//! Text is measured and rasterised with an embedded font (DejaVu Sans,
//! cut down to Latin and a few signs; `assets/fonts/`), registered from
//! bytes, so no chart depends on the fonts or the font configuration of the
//! machine. SVG text names the `sans-serif` family, which every viewer has.
//!
//! Every chart is meant to read in grey print and for colour-blind
//! readers: colours come from the Okabe–Ito palette ([`palette`]) and
//! series differ by line style and marker as well as by colour. Every band
//! says which kind of interval it is (docs/analysis.md "Two kinds of
//! interval"): the spread of possible futures (quantiles of the runs) or
//! the simulation error of a mean (a 95% simulation interval).

mod draw;
pub mod palette;

use crate::analysis::backtest::Backtest;
use crate::analysis::compare::Comparison;
use crate::analysis::sensitivity::tornado::Tornado;
use crate::result::RunResult;
use plotters::prelude::*;
use std::sync::Once;

/// The embedded font (see `assets/fonts/LICENSE`).
const FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-subset.ttf");
/// The family the embedded font is registered as, and SVG text names.
pub(crate) const FAMILY: &str = "sans-serif";

/// Why a chart could not be drawn: plotters' message.
#[derive(Debug, thiserror::Error)]
#[error("cannot draw the chart {file}: {message}")]
pub struct ChartError {
    pub file: String,
    pub message: String,
}

impl From<ChartError> for crate::Error {
    fn from(e: ChartError) -> crate::Error {
        crate::Error::Write {
            path: e.file.clone().into(),
            source: std::io::Error::other(e.message),
        }
    }
}

/// Registers the embedded font once per process, for every style plotters
/// may ask for (bold captions fall back to the regular face).
fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The bytes are ours and known good (a unit test parses them), so a
        // failure here would leave text unmeasurable and show as a drawing
        // error, not a panic.
        for style in [FontStyle::Normal, FontStyle::Bold] {
            let _ = plotters::style::register_font(FAMILY, style, FONT);
        }
    });
}

/// What a chart shows, with the data it needs.
#[derive(Clone, Debug)]
enum Kind {
    Fan {
        result: RunResult,
        index: String,
    },
    Drivers {
        result: RunResult,
    },
    Overlay {
        results: Vec<RunResult>,
        index: String,
    },
    Compare {
        comparison: Comparison,
        name: String,
        index: String,
    },
    Tornado {
        tornado: Tornado,
        index: String,
        bars: usize,
    },
    Backtest {
        result: RunResult,
        backtest: Box<Backtest>,
    },
}

/// One chart: its file stem, title and legend, drawn on demand.
#[derive(Clone, Debug)]
pub struct Chart {
    /// The file stem `plot` writes it under (`composite-fan`, `drivers`, ..).
    pub file: String,
    /// What is shown and, for bands, which kind of interval.
    pub title: String,
    /// The legend's entries, one per series drawn, in order.
    pub series: Vec<String>,
    width: u32,
    height: u32,
    kind: Kind,
}

/// The most tornado bars a chart shows (the widest on the index).
pub const TORNADO_BARS: usize = 15;

/// Legend labels of a fan, shared by the fan and the backtest chart.
pub(crate) const SPREAD_90: &str = "p05–p95 of runs (spread of futures)";
pub(crate) const SPREAD_50: &str = "p25–p75 of runs (spread of futures)";
pub(crate) const MEDIAN: &str = "median of runs";

/// "composite index" or "economic index".
fn index_words(index: &str) -> String {
    format!("{index} index")
}

fn threshold_labels(result: &RunResult) -> [String; 2] {
    [
        format!("estrangement threshold ({})", result.thresholds.low),
        format!("partnership threshold ({})", result.thresholds.high),
    ]
}

impl Chart {
    /// The fan of one index of `result` over time: the runs' p05–p95 and
    /// p25–p75 bands, the median and the two thresholds.
    pub fn fan(result: &RunResult, index: &str) -> Chart {
        let [low, high] = threshold_labels(result);
        Chart {
            file: format!("{index}-fan"),
            title: format!(
                "{}, {}: median and spread of possible futures (bands: p05–p95, p25–p75 of runs)",
                capitalised(&index_words(index)),
                result.provenance.scenario.name
            ),
            series: vec![SPREAD_90.into(), SPREAD_50.into(), MEDIAN.into(), low, high],
            width: 960,
            height: 540,
            kind: Kind::Fan {
                result: result.clone(),
                index: index.to_owned(),
            },
        }
    }

    /// Every driver's path: the median and p05–p95 of the runs, one small
    /// panel per driver.
    pub fn drivers(result: &RunResult) -> Chart {
        let rows = result.drivers.len().div_ceil(draw::DRIVER_COLUMNS).max(1) as u32;
        Chart {
            file: "drivers".into(),
            title: format!(
                "Drivers, {}: median and spread of possible futures (band: p05–p95 of runs)",
                result.provenance.scenario.name
            ),
            series: vec![SPREAD_90.into(), MEDIAN.into()],
            width: 1200,
            height: 80 + 250 * rows,
            kind: Kind::Drivers {
                result: result.clone(),
            },
        }
    }

    /// The medians of several scenarios' `index`, overlaid.
    pub fn overlay(results: &[RunResult], index: &str) -> Chart {
        let mut series: Vec<String> = results
            .iter()
            .map(|r| format!("{} (median)", r.provenance.scenario.name))
            .collect();
        if let Some(r) = results.first() {
            series.extend(threshold_labels(r));
        }
        Chart {
            file: "overlay".into(),
            title: format!(
                "{}: median of runs of each scenario (no band: see each scenario's fan for the spread)",
                capitalised(&index_words(index))
            ),
            series,
            width: 1100,
            height: 620,
            kind: Kind::Overlay {
                results: results.to_vec(),
                index: index.to_owned(),
            },
        }
    }

    /// The paired difference of the compared scenario `name` from the base
    /// on `index`: the mean difference with its 95% simulation interval and
    /// the run-by-run difference's p05–p95 across futures. `None` when the
    /// comparison holds no such scenario or index.
    pub fn compare(comparison: &Comparison, name: &str, index: &str) -> Option<Chart> {
        comparison.compared.get(name)?.indices.get(index)?;
        Some(Chart {
            file: format!("compare-{name}"),
            title: format!(
                "{} minus {} ({}), paired runs: mean difference and spread of the difference",
                name,
                comparison.provenance.scenario.name,
                index_words(index)
            ),
            series: vec![
                "p05–p95 of the run-by-run difference (spread of futures)".into(),
                "95% simulation interval of the mean difference (simulation error)".into(),
                "mean difference".into(),
                "no difference".into(),
            ],
            width: 960,
            height: 540,
            kind: Kind::Compare {
                comparison: comparison.clone(),
                name: name.to_owned(),
                index: index.to_owned(),
            },
        })
    }

    /// The tornado of `index`: the widest `TORNADO_BARS` bars, each the
    /// change of the horizon mean at the low and the high setting.
    pub fn tornado(tornado: &Tornado, index: &str) -> Chart {
        let bars = tornado.bars.len().min(TORNADO_BARS);
        Chart {
            file: "tornado".into(),
            title: format!(
                "Tornado, {}: change of the {} mean at {}, one setting at a time (differences of means; no interval)",
                tornado.provenance.scenario.name,
                index_words(index),
                tornado.horizon
            ),
            series: vec!["low setting".into(), "high setting".into()],
            width: 1100,
            height: 140 + 34 * bars.max(1) as u32,
            kind: Kind::Tornado {
                tornado: tornado.clone(),
                index: index.to_owned(),
                bars,
            },
        }
    }

    /// The backtest: `result`'s fan of each observed index over the
    /// historical horizon, the observations as points (firm and rough
    /// grades marked apart) and the persistence forecast as a line.
    pub fn backtest(result: &RunResult, backtest: &Backtest) -> Chart {
        let panels = draw::observed_indices(result, backtest).len().max(1) as u32;
        let rows = panels.div_ceil(2);
        Chart {
            file: "backtest".into(),
            title: format!(
                "Backtest, {} against {}: the model's spread of futures (p05–p95, p25–p75 of runs) and what was observed",
                result.provenance.scenario.name, backtest.observed.title
            ),
            series: vec![
                SPREAD_90.into(),
                SPREAD_50.into(),
                MEDIAN.into(),
                "persistence forecast".into(),
                "observed (firm grade)".into(),
                "observed (rough grade)".into(),
            ],
            width: 1200,
            height: 90 + 330 * rows,
            kind: Kind::Backtest {
                result: result.clone(),
                backtest: Box::new(backtest.clone()),
            },
        }
    }

    /// The chart as an SVG document.
    pub fn svg(&self) -> Result<String, ChartError> {
        register_font();
        let mut text = String::new();
        {
            let area =
                SVGBackend::with_string(&mut text, (self.width, self.height)).into_drawing_area();
            self.draw_on(&area)?;
        }
        Ok(text)
    }

    /// The chart as a PNG image, drawn with the embedded font.
    pub fn png(&self) -> Result<Vec<u8>, ChartError> {
        register_font();
        let (w, h) = (self.width, self.height);
        let mut pixels = vec![0u8; w as usize * h as usize * 3];
        {
            let area = BitMapBackend::with_buffer(&mut pixels, (w, h)).into_drawing_area();
            self.draw_on(&area)?;
        }
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, w, h);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        encoder
            .write_header()
            .and_then(|mut writer| writer.write_image_data(&pixels))
            .map_err(|e| self.error(e))?;
        Ok(out)
    }

    fn error(&self, e: impl std::fmt::Display) -> ChartError {
        ChartError {
            file: self.file.clone(),
            message: e.to_string(),
        }
    }

    fn draw_on<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, plotters::coord::Shift>,
    ) -> Result<(), ChartError>
    where
        DB::ErrorType: 'static,
    {
        let drawn = (|| -> draw::Drawn {
            area.fill(&WHITE)?;
            match &self.kind {
                Kind::Fan { result, index } => draw::fan(area, self, result, index),
                Kind::Drivers { result } => draw::drivers(area, self, result),
                Kind::Overlay { results, index } => draw::overlay(area, self, results, index),
                Kind::Compare {
                    comparison,
                    name,
                    index,
                } => draw::compare(area, self, comparison, name, index),
                Kind::Tornado {
                    tornado,
                    index,
                    bars,
                } => draw::tornado(area, self, tornado, index, *bars),
                Kind::Backtest { result, backtest } => draw::backtest(area, self, result, backtest),
            }?;
            area.present()?;
            Ok(())
        })();
        drawn.map_err(|e| self.error(e))
    }
}

/// `text` with its first letter in capitals.
fn capitalised(text: &str) -> String {
    let mut c = text.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The embedded font parses, so text can be measured without any font
    /// of the machine.
    #[test]
    fn the_embedded_font_is_a_font() {
        assert!(
            plotters::style::register_font("coopsim-test", FontStyle::Normal, FONT).is_ok(),
            "rule: assets/fonts/DejaVuSans-subset.ttf is a valid font; fix: restore it"
        );
    }
}
