//! HTML pages as a browser sees them. [`Chromium::open`] loads a file in headless
//! Chromium over the DevTools protocol and reports three things a person
//! would notice: errors on the console (`console.error`, uncaught
//! exceptions, resources that failed to load), requests that leave the file
//! (anything but the file itself, `data:` and `about:`), and charts (each
//! outermost `svg`, and each element of class `chart`) that take no room on
//! the page. It also saves a screenshot of the whole page.
//!
//! The fixtures under `tests/data/browser/` prove each check can fail; the
//! report test runs it on the output of `coopsim report`.
//!
//! Without Chromium the tests are skipped with a message, except under CI
//! (the `CI` variable set), where a missing browser fails them: CI installs
//! it (`.ci/run`), so its absence there is a broken setup, not a choice.

use crate::common::{coopsim, data, root};
use headless_chrome::browser::tab::RequestPausedDecision;
use headless_chrome::browser::transport::{SessionId, Transport};
use headless_chrome::protocol::cdp::Fetch::events::RequestPausedEvent;
use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::protocol::cdp::{Fetch, Log, Network, Page as Cdp, Runtime};
use headless_chrome::{Browser, LaunchOptions};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the browser saw of one page.
#[derive(Debug, Default)]
pub struct Seen {
    /// Console errors, uncaught exceptions and failed loads, as text.
    pub errors: Vec<String>,
    /// URLs requested that are neither the file nor `data:`/`about:`.
    pub outside: Vec<String>,
    /// Every chart on the page with its laid-out size.
    pub charts: Vec<Chart>,
    /// The URL of each request by its id, to name a failed load.
    requests: std::collections::HashMap<String, String>,
}

/// One chart element and its bounding box, in CSS pixels.
#[derive(Debug, serde::Deserialize)]
pub struct Chart {
    /// The element as a selector-like name: `svg#id`, `div.chart`, `svg[2]`.
    pub name: String,
    pub width: f64,
    pub height: f64,
}

impl Seen {
    /// The charts that take no room: a zero width or height.
    pub fn empty_charts(&self) -> Vec<&Chart> {
        self.charts
            .iter()
            .filter(|c| c.width <= 0.0 || c.height <= 0.0)
            .collect()
    }

    /// Every problem found, one line each; empty for a clean page.
    pub fn problems(&self) -> Vec<String> {
        let errors = self.errors.iter().map(|e| format!("console: {e}"));
        let outside = self
            .outside
            .iter()
            .map(|u| format!("request leaves the file: {u}"));
        let empty = self
            .empty_charts()
            .into_iter()
            .map(|c| format!("chart of no size: {} ({} x {})", c.name, c.width, c.height));
        errors.chain(outside).chain(empty).collect()
    }
}

/// The browser to use: `$CHROME` if set, else Debian's `chromium` (or
/// `chromium-browser`) on the PATH.
fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CHROME").map(PathBuf::from) {
        return path.is_file().then_some(path);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| ["chromium", "chromium-browser"].map(|name| dir.join(name)))
        .find(|p| p.is_file())
}

/// The browser, or `None` (with a message) when it is missing and this is
/// not CI; under CI a missing browser fails the test.
fn chromium_or_skip(test: &str) -> Option<PathBuf> {
    let found = chromium();
    if found.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "rule: under CI the browser tests run; Chromium was not found \
             ($CHROME, if set, names no file, or no chromium is on the PATH); \
             fix: .ci/run installs Debian's chromium package"
        );
        println!(
            "skipped {test}: Chromium is not installed (apt-get install chromium, \
             or set CHROME to a Chromium binary)"
        );
    }
    found
}

/// One browser at a time: each test starts its own Chromium (a browser kept
/// in a static would outlive the test binary), and on a small machine
/// several at once only slow each other down.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// The flags the browser starts with besides headless, no sandbox (CI runs
/// as root) and no GPU: nothing of its own that talks to the network.
const FLAGS: &[&str] = &[
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--disable-extensions",
    "--disable-default-apps",
    "--mute-audio",
    // No name resolves, so even a request the gate below missed cannot
    // reach anything.
    "--host-resolver-rules=MAP * ~NOTFOUND",
];

/// A headless Chromium with a fresh profile, for as long as a test holds
/// it; it opens one page after another, each in its own tab.
pub struct Chromium {
    // Fields drop in order: the browser stops before its profile goes.
    browser: Browser,
    _profile: tempfile::TempDir,
    _turn: std::sync::MutexGuard<'static, ()>,
}

impl Chromium {
    /// Starts the browser, or gives `None` (with a message) when it is
    /// missing outside CI (see [`chromium_or_skip`]).
    pub fn start(test: &str) -> Option<Self> {
        let chrome = chromium_or_skip(test)?;
        let turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
        let profile = tempfile::tempdir().expect("a temporary profile folder");
        let options = LaunchOptions {
            path: Some(chrome),
            headless: true,
            sandbox: false,
            enable_gpu: false,
            disable_default_args: true,
            user_data_dir: Some(profile.path().to_owned()),
            window_size: Some((1280, 900)),
            args: FLAGS.iter().map(OsStr::new).collect(),
            idle_browser_timeout: Duration::from_secs(60),
            ..LaunchOptions::default()
        };
        let browser = Browser::new(options).expect("Chromium starts");
        Some(Self {
            browser,
            _profile: profile,
            _turn: turn,
        })
    }

    /// Opens `html` in a new tab, lets it settle, and reports what was
    /// seen; saves a full-page PNG at `screenshot` if given.
    pub fn open(&self, html: &Path, screenshot: Option<&Path>) -> Seen {
        let html = html
            .canonicalize()
            .unwrap_or_else(|e| panic!("the page to open exists: {}: {e}", html.display()));
        let url = url::Url::from_file_path(&html)
            .unwrap_or_else(|()| panic!("a file URL for {}", html.display()));
        let tab = self.browser.new_tab().expect("a tab opens");
        tab.set_default_timeout(Duration::from_secs(20));

        let seen = Arc::new(Mutex::new(Seen::default()));
        let listener = {
            let seen = Arc::clone(&seen);
            let page = url.clone();
            move |event: &Event| {
                let mut seen = seen.lock().unwrap_or_else(|e| e.into_inner());
                record(&mut seen, &page, event);
            }
        };
        tab.add_event_listener(Arc::new(listener))
            .expect("the tab takes a listener");
        tab.enable_runtime().expect("the Runtime domain");
        tab.enable_log().expect("the Log domain");
        tab.call_method(Network::Enable {
            max_total_buffer_size: None,
            max_resource_buffer_size: None,
            max_post_data_size: None,
            report_direct_socket_traffic: None,
            enable_durable_messages: None,
        })
        .expect("the Network domain");
        // Every request is paused, and any that would leave the file is
        // refused, so a page under test never sends anything out; it is still
        // reported (requestWillBeSent comes first). The decision is made on
        // the URL as a whole: a pattern cannot tell `https://x` from a `data:`
        // URL that merely contains one.
        let page = url.clone();
        let gate = move |_: Arc<Transport>, _: SessionId, paused: RequestPausedEvent| {
            if stays_in_file(&page, &paused.params.request.url) {
                RequestPausedDecision::Continue(None)
            } else {
                RequestPausedDecision::Fail(Fetch::FailRequest {
                    request_id: paused.params.request_id,
                    error_reason: Network::ErrorReason::BlockedByClient,
                })
            }
        };
        tab.enable_request_interception(Arc::new(gate))
            .expect("requests can be gated");
        tab.enable_fetch(
            Some(&[Fetch::RequestPattern {
                url_pattern: Some("*".to_owned()),
                resource_Type: None,
                request_stage: Some(Fetch::RequestStage::Request),
            }]),
            None,
        )
        .expect("the Fetch domain");

        tab.navigate_to(url.as_str())
            .and_then(|t| t.wait_until_navigated())
            .unwrap_or_else(|e| panic!("{} loads: {e}", html.display()));
        // Two frames and a moment after load: late scripts and layout have run,
        // and their events have arrived before this evaluation's answer.
        tab.evaluate(SETTLE, true).expect("the page settles");
        let charts = tab
            .evaluate(CHARTS, false)
            .expect("the charts are measured");
        let charts: Vec<Chart> = charts
            .value
            .as_ref()
            .and_then(|v| v.as_str())
            .and_then(|s| serde_json::from_str(s).ok())
            .expect("the chart measurement is JSON");

        if let Some(path) = screenshot {
            save_screenshot(&tab, path);
        }
        let _ = tab.close(false);
        let mut seen = std::mem::take(&mut *seen.lock().unwrap_or_else(|e| e.into_inner()));
        seen.charts = charts;
        seen
    }
}

/// Waits for fonts, two animation frames and 50 ms.
const SETTLE: &str = "document.fonts.ready.then(() => new Promise(done => \
    requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 50)))))";

/// Every chart with its bounding box, as JSON: outermost `svg` elements (an
/// `svg` inside another is part of that chart) and elements of class
/// `chart`.
const CHARTS: &str = r#"JSON.stringify(
  [...document.querySelectorAll("svg, .chart")]
    .filter(e => !(e.tagName.toLowerCase() === "svg" && e.parentElement && e.parentElement.closest("svg")))
    .map((e, i) => {
      const r = e.getBoundingClientRect();
      const tag = e.tagName.toLowerCase();
      const name = e.id ? `${tag}#${e.id}`
        : e.classList.length ? `${tag}.${[...e.classList].join(".")}`
        : `${tag}[${i}]`;
      return { name, width: r.width, height: r.height };
    }))"#;

/// Adds one DevTools event to what was seen.
fn record(seen: &mut Seen, page: &url::Url, event: &Event) {
    match event {
        Event::RuntimeConsoleAPICalled(e)
            if matches!(
                e.params.Type,
                Runtime::ConsoleAPICalledEventTypeOption::Error
                    | Runtime::ConsoleAPICalledEventTypeOption::Assert
            ) =>
        {
            let text: Vec<String> = e.params.args.iter().map(shown).collect();
            seen.errors
                .push(format!("console.{:?}: {}", e.params.Type, text.join(" ")));
        }
        Event::RuntimeExceptionThrown(e) => {
            let d = &e.params.exception_details;
            let what = d
                .exception
                .as_ref()
                .and_then(|x| x.description.clone())
                .unwrap_or_else(|| d.text.clone());
            seen.errors.push(format!(
                "uncaught exception at {}:{}: {what}",
                d.line_number + 1,
                d.column_number + 1
            ));
        }
        Event::LogEntryAdded(e) if matches!(e.params.entry.level, Log::LogEntryLevel::Error) => {
            let entry = &e.params.entry;
            let at = entry.url.as_deref().unwrap_or("");
            seen.errors
                .push(format!("{} {at}", entry.text).trim().to_owned());
        }
        Event::NetworkLoadingFailed(e) => {
            let p = &e.params;
            let asked = seen
                .requests
                .get(&p.request_id)
                .cloned()
                .unwrap_or_default();
            seen.errors.push(format!(
                "a resource failed to load: {asked} ({:?}, {}{}{})",
                p.Type,
                p.error_text,
                if p.canceled == Some(true) {
                    ", canceled"
                } else {
                    ""
                },
                p.blocked_reason
                    .as_ref()
                    .map(|r| format!(", blocked: {r:?}"))
                    .unwrap_or_default()
            ));
        }
        Event::NetworkRequestWillBeSent(e) => {
            let asked = &e.params.request.url;
            seen.requests
                .insert(e.params.request_id.clone(), asked.clone());
            if !stays_in_file(page, asked) {
                seen.outside.push(asked.clone());
            }
        }
        _ => {}
    }
}

/// Whether a request stays within the page: the file itself (any fragment),
/// or an inline `data:` or `about:` URL.
fn stays_in_file(page: &url::Url, asked: &str) -> bool {
    if asked.starts_with("data:") || asked.starts_with("about:") {
        return true;
    }
    let Ok(mut asked) = url::Url::parse(asked) else {
        return false;
    };
    asked.set_fragment(None);
    let mut page = page.clone();
    page.set_fragment(None);
    asked == page
}

/// A console argument as text: its value if plain, else its description.
fn shown(arg: &Runtime::RemoteObject) -> String {
    match (&arg.value, &arg.description) {
        (Some(serde_json::Value::String(s)), _) => s.clone(),
        (Some(v), _) => v.to_string(),
        (None, Some(d)) => d.clone(),
        (None, None) => format!("{:?}", arg.Type),
    }
}

/// Saves a PNG of the whole page (beyond the window) at `path`.
fn save_screenshot(tab: &headless_chrome::Tab, path: &Path) {
    let size = tab
        .evaluate(
            "JSON.stringify([document.documentElement.scrollWidth, \
             document.documentElement.scrollHeight])",
            false,
        )
        .ok()
        .and_then(|r| r.value)
        .and_then(|v| {
            v.as_str()
                .and_then(|s| serde_json::from_str::<[f64; 2]>(s).ok())
        })
        .unwrap_or([1280.0, 900.0]);
    let png = tab
        .call_method(Cdp::CaptureScreenshot {
            format: Some(Cdp::CaptureScreenshotFormatOption::Png),
            quality: None,
            clip: Some(Cdp::Viewport {
                x: 0.0,
                y: 0.0,
                width: size[0],
                height: size[1],
                scale: 1.0,
            }),
            from_surface: Some(true),
            capture_beyond_viewport: Some(true),
            optimize_for_speed: None,
        })
        .expect("a screenshot is taken");
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(png.data)
        .expect("the screenshot is base64");
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("the screenshot's folder");
    }
    std::fs::write(path, bytes).expect("the screenshot is saved");
}

/// Where a screenshot goes: under `target/`, beside the build.
fn in_target(name: &str) -> PathBuf {
    root("target").join(name)
}

#[test]
fn a_clean_page_passes() {
    let Some(chromium) = Chromium::start("a_clean_page_passes") else {
        return;
    };
    let shot = in_target("browser-fixture-good.png");
    let seen = chromium.open(&data("browser/good.html"), Some(&shot));
    assert!(
        seen.problems().is_empty(),
        "rule: a page with inline SVG and inline data passes the browser check; \
         it found {:#?}",
        seen.problems()
    );
    assert!(
        seen.charts.len() == 3,
        "rule: the check measures every chart (the figure.chart and the two \
         outermost svgs, one inside the figure); got {:?}",
        seen.charts
    );
    let png = std::fs::read(&shot).expect("the screenshot is saved");
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 1000,
        "rule: the screenshot is a PNG of the page; {} bytes",
        png.len()
    );
}

/// Each broken fixture is flagged for what is wrong with it, and for
/// nothing else: the checks can fail, and each one fails alone.
#[test]
fn each_broken_page_is_flagged_for_its_fault() {
    let Some(chromium) = Chromium::start("each_broken_page_is_flagged_for_its_fault") else {
        return;
    };
    type Check = fn(&Seen) -> bool;
    let cases: [(&str, &str, Check); 4] = [
        ("console-error.html", "console.error, with its text", |s| {
            s.errors.len() == 1
                && s.errors[0].contains("a chart had no data")
                && s.outside.is_empty()
                && s.empty_charts().is_empty()
        }),
        (
            "thrown-error.html",
            "an uncaught exception, with its message",
            |s| {
                s.errors.len() == 1
                    && s.errors[0].contains("uncaught exception")
                    && s.errors[0].contains("the chart code broke")
                    && s.outside.is_empty()
                    && s.empty_charts().is_empty()
            },
        ),
        (
            "external-image.html",
            "a request leaving the file, with its URL, refused and so a failed load",
            |s| {
                s.outside == ["https://example.invalid/x.png"]
                    && !s.errors.is_empty()
                    && s.errors.iter().all(|e| e.contains("example.invalid/x.png"))
                    && s.errors.iter().any(|e| e.contains("BLOCKED_BY_CLIENT"))
                    && s.empty_charts().is_empty()
            },
        ),
        (
            "zero-size-svg.html",
            "the one chart of no size, by its id",
            |s| {
                let empty: Vec<&str> = s.empty_charts().iter().map(|c| c.name.as_str()).collect();
                empty == ["svg#empty"]
                    && s.charts.len() == 2
                    && s.errors.is_empty()
                    && s.outside.is_empty()
            },
        ),
    ];
    for (file, fault, check) in cases {
        let seen = chromium.open(&data(&format!("browser/{file}")), None);
        assert!(
            check(&seen),
            "rule: the browser check flags {file} for {fault}, and for nothing else; \
             it found {:#?} among charts {:?}",
            seen.problems(),
            seen.charts
        );
    }
}

/// The report as a reader opens it: `coopsim report` on two scenarios and
/// the record of history, then the browser check on the file it wrote.
#[test]
fn report_opens_in_a_browser() {
    let Some(chromium) = Chromium::start("report_opens_in_a_browser") else {
        return;
    };
    let dir = tempfile::tempdir().expect("a temporary folder");
    // Two pages: what-ifs compared (overlay, comparison, scorecard), and
    // the historical scenario with its backtest, whose horizon differs.
    let pages: [(&str, &[&str]); 2] = [
        (
            "report-screenshot.png",
            &[
                "scenarios/baseline.toml",
                "scenarios/sanctions-escalation.toml",
            ],
        ),
        (
            "report-backtest-screenshot.png",
            &[
                "scenarios/history-2003.toml",
                "--observed",
                "data/pakistan_russia.toml",
            ],
        ),
    ];
    for (shot_name, args) in pages {
        let report = dir.path().join(shot_name.replace(".png", ".html"));
        coopsim()
            .current_dir(root(""))
            .arg("report")
            .args(args)
            .arg("-o")
            .arg(&report)
            .args(["--runs", "300", "--quiet"])
            .assert()
            .success();
        let shot = in_target(shot_name);
        let seen = chromium.open(&report, Some(&shot));
        assert!(
            !seen.charts.is_empty(),
            "rule: the report has charts (svg elements or class `chart`); it has none"
        );
        assert!(
            seen.problems().is_empty(),
            "rule: the report opens with no console error, no request outside the \
             file, and every chart laid out; found {:#?}\nscreenshot: {}",
            seen.problems(),
            shot.display()
        );
    }
}
