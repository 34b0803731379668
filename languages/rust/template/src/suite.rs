//! The suite helper every Rust snippet uses: `trace`, `ticks`, `sleep_until`, `op`, `max_in_flight`,
//! `shape` (languages/README.md), and the protocol lines the runner writes.
//!
//! The runner calls `begin` before each scenario and `Scenario::close_window` when its window
//! closes; a trace written after that carries `"late": true`. An `op` remembers the scenario it was
//! created in, so one that outlives its window keeps its request id even while a later request
//! runs; a bare `trace` call uses the scenario current when it is made.

use std::fmt;
use std::future::Future;
use std::io::Write;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::{json, Value};

/// One scenario run: the request id, its clock and its counters.
pub struct Scenario {
    id: u64,
    start: Instant,
    tick: Duration,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    window_closed: bool,
    in_flight: u64,
    max_in_flight: u64,
}

/// Serialises every write to stdout (traces of all scenarios and the runner's protocol lines).
static STDOUT: Mutex<()> = Mutex::new(());
static CURRENT: Mutex<Option<Arc<Scenario>>> = Mutex::new(None);

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A snippet that panicked while tracing must not take the runner's output down with it.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn current() -> Arc<Scenario> {
    lock(&CURRENT)
        .clone()
        .expect("the suite helper is used outside a scenario")
}

fn write_line(line: &Value) {
    let mut out = std::io::stdout().lock();
    // stdout is the protocol: if the harness went away there is nobody left to tell.
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

/// Writes one protocol line (a JSON object) on stdout, flushed, under the output lock.
pub fn emit(line: &Value) {
    let _out = lock(&STDOUT);
    write_line(line);
}

/// Writes a request's settled line, after the stderr mark: a record separator (U+001E) alone on
/// its line, so the harness knows it has all the stderr the request wrote.
pub fn settled(id: &Value, pending: Vec<String>) {
    let _out = lock(&STDOUT);
    let _ = writeln!(std::io::stderr(), "\u{1e}");
    write_line(&json!({"id": id, "settled": true, "pending": pending}));
}

/// Starts a scenario: from now on `t` counts from here and traces carry `id`.
pub fn begin(id: u64, tick_ms: f64) -> Arc<Scenario> {
    let scenario = Arc::new(Scenario {
        id,
        start: Instant::now(),
        tick: Duration::from_secs_f64(tick_ms / 1000.0),
        state: Mutex::default(),
    });
    *lock(&CURRENT) = Some(scenario.clone());
    scenario
}

impl Scenario {
    /// The moment `n` ticks after the scenario started.
    pub fn at(&self, n: u64) -> tokio::time::Instant {
        (self.start + self.ticks(n)).into()
    }

    fn ticks(&self, n: u64) -> Duration {
        self.tick * u32::try_from(n).expect("a tick count fits in u32")
    }

    fn trace(&self, ev: &str, fields: Value) {
        let state = lock(&self.state);
        let _out = lock(&STDOUT);
        // Stamped under the lock, so the stream's `t` never goes backwards.
        let t = (self.start.elapsed().as_secs_f64() * 1e6).round() / 1e3;
        let mut line = json!({"id": self.id, "t": t, "ev": ev, "fields": fields});
        if state.window_closed {
            line["late"] = Value::Bool(true);
        }
        write_line(&line);
    }

    /// Closes the window and writes the request's end line: any later trace is late.
    pub fn close_window(&self, end: Value) {
        let mut state = lock(&self.state);
        state.window_closed = true;
        let _out = lock(&STDOUT);
        write_line(&end);
    }
}

/// Writes `{"id", "t", "ev", "fields"}` as one JSON line: `trace("start", json!({"op": "a"}))`.
pub fn trace(ev: &str, fields: Value) {
    current().trace(ev, fields);
}

/// What an error is, described from the value itself: its type (this crate's own module paths left
/// out), then the variant its `Debug` names where that is not the type's own name, with the type the
/// variant holds where `Debug` shows one: `tokio::time::error::Elapsed`,
/// `CallError<Failure>::TimedOut(Elapsed)`, `tokio::runtime::task::error::JoinError::Panic`.
pub fn shape<E: fmt::Debug>(error: &E) -> String {
    let name = own_paths_out(std::any::type_name::<E>());
    let debug = format!("{error:?}");
    let base = name
        .split('<')
        .next()
        .and_then(|path| path.rsplit("::").next());
    let (head, rest) = leading_name(&debug);
    let Some(head) = head.filter(|&head| Some(head) != base) else {
        return name; // a struct, or a value Debug does not name (a Vec, a String)
    };
    // A Debug written by hand naming the variant after its type: `JoinError::Panic(..)`.
    if let Some((of, variant)) = head.split_once("::") {
        if Some(of) == base {
            return format!("{name}::{variant}");
        }
    }
    // A derived Debug of an enum: `TimedOut`, `TimedOut(Elapsed(()))`, `Failed(Failure { .. })`.
    match rest
        .strip_prefix('(')
        .and_then(|inner| leading_name(inner).0)
    {
        Some(held) => format!("{name}::{head}({held})"),
        None => format!("{name}::{head}"),
    }
}

/// The name `text` starts with (a path starting with a capital, as Debug writes a type or variant),
/// and what follows it.
fn leading_name(text: &str) -> (Option<&str>, &str) {
    let end = text
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
        .unwrap_or(text.len());
    let (head, rest) = text.split_at(end);
    let named = head.starts_with(|c: char| c.is_ascii_uppercase());
    (named.then_some(head), rest)
}

/// A type name with the paths of this crate (the build tree's modules) cut to their last segment.
fn own_paths_out(name: &str) -> String {
    let own = concat!(env!("CARGO_CRATE_NAME"), "::");
    let mut out = String::new();
    let mut path = String::new();
    for c in name.chars().map(Some).chain([None]) {
        if let Some(c @ ('a'..='z' | 'A'..='Z' | '0'..='9' | '_' | ':')) = c {
            path.push(c);
            continue;
        }
        let shown = if path.starts_with(own) {
            path.rsplit("::").next().unwrap_or("")
        } else {
            &path
        };
        out.push_str(shown);
        path.clear();
        out.extend(c);
    }
    out
}

/// The duration of `n` ticks.
pub fn ticks(n: u64) -> Duration {
    current().ticks(n)
}

/// Waits until `tick` ticks after the scenario started (no drift).
pub async fn sleep_until(tick: u64) {
    let deadline = current().at(tick);
    tokio::time::sleep_until(deadline).await;
}

/// The largest number of `op`s running at once during this scenario.
pub fn max_in_flight() -> u64 {
    lock(&current().state).max_in_flight
}

/// A simulated operation's spec: `{"id": "a", "ticks": 2, "value": 1}` or `{..., "error": "boom"}`.
#[derive(Clone, Debug, Deserialize)]
pub struct Op {
    pub id: String,
    #[serde(default)]
    pub ticks: u64,
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// How a simulated operation ends: `{"value": 1}` or `{"error": "boom"}`.
#[derive(Clone, Debug, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Value(i64),
    Error(String),
}

/// The failure of a simulated operation; `label` is the scenario's error label (`boom`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub label: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label)
    }
}

impl std::error::Error for Failure {}

/// Runs the simulated operation `spec`: traces `start`, waits its ticks, then traces `succeed`
/// (and returns the value) or `fail` (and returns a `Failure` carrying the label).
///
/// Cancellation is Rust's own: dropping the future before it finishes (an aborted task, a lost
/// `select!` branch, an expired `timeout`) traces `cancelled`. The future owns what it needs,
/// so it can be handed straight to `tokio::spawn`.
pub fn op(spec: &Op) -> impl Future<Output = Result<i64, Failure>> + Send + 'static {
    let scenario = current();
    let spec = spec.clone();
    async move {
        scenario.trace("start", json!({"op": spec.id}));
        let mut waiting = Waiting::start(&scenario, &spec.id);
        tokio::time::sleep(scenario.ticks(spec.ticks)).await;
        waiting.finished = true;
        drop(waiting);
        match spec.outcome {
            Outcome::Value(value) => {
                scenario.trace("succeed", json!({"op": spec.id, "value": value}));
                Ok(value)
            }
            Outcome::Error(label) => {
                scenario.trace("fail", json!({"op": spec.id, "error": label}));
                Err(Failure { label })
            }
        }
    }
}

/// Lives while an `op` waits: counts it in flight, and traces `cancelled` if dropped unfinished.
struct Waiting<'a> {
    scenario: &'a Scenario,
    id: &'a str,
    finished: bool,
}

impl<'a> Waiting<'a> {
    fn start(scenario: &'a Scenario, id: &'a str) -> Self {
        let mut state = lock(&scenario.state);
        state.in_flight += 1;
        state.max_in_flight = state.max_in_flight.max(state.in_flight);
        Waiting {
            scenario,
            id,
            finished: false,
        }
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        lock(&self.scenario.state).in_flight -= 1;
        if !self.finished {
            self.scenario.trace("cancelled", json!({"op": self.id}));
        }
    }
}
