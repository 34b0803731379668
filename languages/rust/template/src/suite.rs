//! The suite helper every Rust snippet uses: `trace`, `ticks`, `sleep_until`, `op`, `max_in_flight`
//! (languages/README.md).
//!
//! The runner calls `begin` before each scenario and `Scenario::close_window` when its window
//! closes; a trace written after that carries `"late": true`. Everything else is for snippets.
//!
//! Attribution of late events: an `op` remembers the scenario it was created in, so an operation
//! that outlives its window (a task nobody cancelled) keeps its request id even while a later
//! request runs. A bare `trace` call uses the scenario that is current when it is made.

use std::fmt;
use std::future::Future;
use std::io::Write;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// One scenario run: the request id, its clock and its counters.
pub struct Scenario {
    id: Value,
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
static CURRENT: OnceLock<Mutex<Arc<Scenario>>> = OnceLock::new();

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A snippet that panicked while tracing must not take the runner's output down with it.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn current_slot() -> &'static Mutex<Arc<Scenario>> {
    CURRENT.get_or_init(|| Mutex::new(Arc::new(Scenario::new(Value::Null, 50.0))))
}

fn current() -> Arc<Scenario> {
    lock(current_slot()).clone()
}

/// Writes one protocol line (a JSON object) on stdout, flushed, under the output lock.
pub fn emit(line: &Value) {
    let _guard = lock(&STDOUT);
    write_line(line);
}

/// Writes a request's settled line, after the stderr mark: a record separator (U+001E) alone on
/// its line, so the harness knows it has all the stderr the request wrote.
pub fn settled(id: &Value, pending: Vec<String>) {
    let _guard = lock(&STDOUT);
    let _ = writeln!(std::io::stderr(), "\u{1e}");
    write_line(&json!({"id": id, "settled": true, "pending": pending}));
}

fn write_line(line: &Value) {
    let mut out = std::io::stdout().lock();
    // stdout is the protocol: if the harness went away there is nobody left to tell.
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

/// Starts a scenario: from now on `t` counts from here and traces carry `id`.
pub fn begin(id: Value, tick_ms: f64) -> Arc<Scenario> {
    let scenario = Arc::new(Scenario::new(id, tick_ms));
    *lock(current_slot()) = scenario.clone();
    scenario
}

impl Scenario {
    fn new(id: Value, tick_ms: f64) -> Self {
        Scenario {
            id,
            start: Instant::now(),
            tick: Duration::from_secs_f64(tick_ms / 1000.0),
            state: Mutex::new(State::default()),
        }
    }

    /// The moment `n` ticks after the scenario started.
    pub fn at(&self, n: u64) -> tokio::time::Instant {
        tokio::time::Instant::from_std(self.start + self.ticks(n))
    }

    fn ticks(&self, n: u64) -> Duration {
        self.tick * u32::try_from(n).expect("a tick count fits in u32")
    }

    fn trace(&self, ev: &str, fields: Value) {
        let state = lock(&self.state);
        let _out = lock(&STDOUT);
        // Stamped under the lock, so the stream's `t` never goes backwards.
        let t = self.start.elapsed().as_secs_f64() * 1000.0;
        let mut line =
            json!({"id": self.id, "t": (t * 1000.0).round() / 1000.0, "ev": ev, "fields": fields});
        if state.window_closed {
            line["late"] = Value::Bool(true);
        }
        write_line(&line);
    }

    /// Closes the window and writes the request's terminal line: any later trace is late.
    pub fn close_window(&self, end: Value) {
        let mut state = lock(&self.state);
        state.window_closed = true;
        let _out = lock(&STDOUT);
        write_line(&end);
    }

    fn op_started(&self) {
        let mut state = lock(&self.state);
        state.in_flight += 1;
        state.max_in_flight = state.max_in_flight.max(state.in_flight);
    }

    fn op_finished(&self) {
        lock(&self.state).in_flight -= 1;
    }
}

/// Writes `{"id", "t", "ev", "fields"}` as one JSON line: `trace("start", json!({"op": "a"}))`.
pub fn trace(ev: &str, fields: Value) {
    current().trace(ev, fields);
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
#[derive(Clone, Debug)]
pub struct Op {
    pub id: String,
    pub ticks: u64,
    pub outcome: Result<i64, String>,
}

impl Op {
    /// Decodes one spec; a malformed spec is a bug in the scenario, so it panics with the JSON.
    pub fn parse(spec: &Value) -> Op {
        let id = spec["id"].as_str().map(str::to_owned);
        let ticks = spec["ticks"].as_u64().unwrap_or(0);
        let outcome = match (spec["value"].as_i64(), spec["error"].as_str()) {
            (_, Some(error)) => Some(Err(error.to_owned())),
            (Some(value), None) => Some(Ok(value)),
            (None, None) => None,
        };
        match (id, outcome) {
            (Some(id), Some(outcome)) => Op { id, ticks, outcome },
            _ => panic!("not an op spec (want id, ticks and value or error): {spec}"),
        }
    }

    /// Decodes a JSON array of specs.
    pub fn list(specs: &Value) -> Vec<Op> {
        match specs.as_array() {
            Some(specs) => specs.iter().map(Op::parse).collect(),
            None => panic!("not a list of op specs: {specs}"),
        }
    }
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
        let mut running = Running {
            scenario: &scenario,
            id: &spec.id,
            finished: false,
        };
        scenario.op_started();
        tokio::time::sleep(scenario.ticks(spec.ticks)).await;
        running.finished = true;
        drop(running);
        match spec.outcome {
            Ok(value) => {
                scenario.trace("succeed", json!({"op": spec.id, "value": value}));
                Ok(value)
            }
            Err(label) => {
                scenario.trace("fail", json!({"op": spec.id, "error": label}));
                Err(Failure { label })
            }
        }
    }
}

/// Lives while an `op` waits: counts it in flight, and traces `cancelled` if the wait is dropped.
struct Running<'a> {
    scenario: &'a Scenario,
    id: &'a str,
    finished: bool,
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.scenario.op_finished();
        if !self.finished {
            self.scenario.trace("cancelled", json!({"op": self.id}));
        }
    }
}
