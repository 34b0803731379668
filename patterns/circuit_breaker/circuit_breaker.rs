//! Circuit breaker: a small struct whose state sits behind a std Mutex.

use std::sync::Arc;

use serde::Deserialize;
use serde_json::json;
use tokio::task::JoinSet;

use crate::suite::{sleep_until, ticks, trace, Outcome};

// [pattern]
use std::future::Future;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

#[derive(Clone, Copy)]
enum State {
    Closed,
    Open { since: Instant },
    HalfOpen,
}

#[derive(Debug)]
enum CallError<E> {
    /// The breaker refused the call without running it.
    Open,
    /// The call ran and failed.
    Failed(E),
}

struct CircuitBreaker<C> {
    threshold: u32,
    cooldown: Duration,
    // A std Mutex, not tokio's: the lock is never held across an `.await` (the protected call
    // runs unlocked), which is the case tokio's own docs recommend the std one for.
    inner: Mutex<Inner<C>>,
}

struct Inner<C> {
    state: State,
    failures: u32,
    /// Called with the names of both states on every change, under the lock: in order.
    on_change: C,
}

impl<C: Fn(&str, &str)> CircuitBreaker<C> {
    fn new(threshold: u32, cooldown: Duration, on_change: C) -> Self {
        let inner = Mutex::new(Inner {
            state: State::Closed,
            failures: 0,
            on_change,
        });
        CircuitBreaker {
            threshold,
            cooldown,
            inner,
        }
    }

    async fn call<T, E, Fut>(&self, f: impl FnOnce() -> Fut) -> Result<T, CallError<E>>
    where
        Fut: Future<Output = Result<T, E>>,
    {
        let probe = self.admit()?;
        let outcome = f().await;
        self.record(probe, outcome.is_ok());
        outcome.map_err(CallError::Failed)
    }

    /// Lets a call through (`true` for the probe), or refuses it while open. The first call after
    /// the cooldown is the probe: until its outcome is recorded the breaker is HALF_OPEN and
    /// refuses the others.
    fn admit<E>(&self) -> Result<bool, CallError<E>> {
        let mut inner = self.inner.lock().unwrap();
        match inner.state {
            State::Closed => Ok(false),
            State::Open { since } if since.elapsed() >= self.cooldown => {
                inner.enter(State::HalfOpen);
                Ok(true)
            }
            State::Open { .. } | State::HalfOpen => Err(CallError::Open),
        }
    }

    fn record(&self, probe: bool, succeeded: bool) {
        let mut inner = self.inner.lock().unwrap();
        match inner.state {
            // Only the probe's outcome decides a HALF_OPEN breaker.
            State::HalfOpen if probe && succeeded => inner.enter(State::Closed),
            State::HalfOpen if probe => inner.trip(),
            State::Closed if succeeded => inner.failures = 0,
            State::Closed => {
                inner.failures += 1;
                if inner.failures >= self.threshold {
                    inner.trip();
                }
            }
            // A call let through before the breaker opened: its outcome no longer counts.
            State::Open { .. } | State::HalfOpen => {}
        }
    }
}

impl<C: Fn(&str, &str)> Inner<C> {
    fn trip(&mut self) {
        self.enter(State::Open {
            since: Instant::now(),
        });
    }

    fn enter(&mut self, to: State) {
        (self.on_change)(self.state.name(), to.name());
        self.state = to;
        self.failures = 0;
    }
}

impl State {
    fn name(self) -> &'static str {
        match self {
            State::Closed => "CLOSED",
            State::Open { .. } => "OPEN",
            State::HalfOpen => "HALF_OPEN",
        }
    }
}
// [/pattern]

#[derive(Deserialize)]
pub struct Input {
    threshold: u32,
    cooldown: u64,
    calls: Vec<Call>,
}

/// A call made at tick `at`, lasting `ticks` ticks (none by default), ending as `outcome` says.
#[derive(Deserialize)]
struct Call {
    at: u64,
    ticks: Option<u64>,
    #[serde(flatten)]
    outcome: Outcome,
}

pub async fn run(input: Input) {
    let on_change = |from: &str, to: &str| trace("state", json!({"from": from, "to": to}));
    let breaker = Arc::new(CircuitBreaker::new(
        input.threshold,
        ticks(input.cooldown),
        on_change,
    ));
    // Each call is made at its own tick, whether or not earlier ones have returned.
    let mut callers = JoinSet::new();
    for (index, call) in input.calls.into_iter().enumerate() {
        let (breaker, number) = (breaker.clone(), index + 1);
        callers.spawn(async move {
            sleep_until(call.at).await;
            // The protected call lasts `ticks` ticks (none by default) and traces its outcome.
            let protected = || async {
                if let Some(duration) = call.ticks {
                    sleep_until(call.at + duration).await;
                }
                match &call.outcome {
                    Outcome::Error(label) => {
                        trace("fail", json!({"call": number, "error": label}));
                        Err(label)
                    }
                    Outcome::Value(value) => {
                        trace("ok", json!({"call": number, "value": value}));
                        Ok(*value)
                    }
                }
            };
            if let Err(CallError::Open) = breaker.call(protected).await {
                trace("rejected", json!({"call": number}));
            }
        });
    }
    while let Some(joined) = callers.join_next().await {
        joined.expect("call panicked");
    }
}
