//! Token bucket: a refill computed under a std Mutex, waits reserved ahead.

use std::sync::Arc;

use serde::Deserialize;
use serde_json::json;

use crate::suite::{sleep_until, ticks, trace};

// [pattern]
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// At most `capacity` tokens, one more every `every`; starts full.
struct TokenBucket {
    capacity: f64,
    every: Duration,
    /// Tokens (below zero when reserved ahead) and when they were counted.
    state: Mutex<(f64, Instant)>,
}

/// The token would come after the deadline, or the deadline has passed.
#[derive(Debug)]
struct DeadlineTooSoon;

impl TokenBucket {
    fn new(capacity: u32, every: Duration) -> Self {
        let capacity = f64::from(capacity);
        let state = Mutex::new((capacity, Instant::now()));
        TokenBucket {
            capacity,
            every,
            state,
        }
    }

    /// Counts the tokens refilled since the last call; returns them and the time.
    fn refill(&self, state: &mut (f64, Instant)) -> Instant {
        let now = Instant::now();
        let refilled = (now - state.1).as_secs_f64() / self.every.as_secs_f64();
        *state = ((state.0 + refilled).min(self.capacity), now);
        now
    }

    fn try_acquire(&self) -> bool {
        let mut state = self.state.lock().unwrap();
        self.refill(&mut state);
        if state.0 < 1.0 {
            return false;
        }
        state.0 -= 1.0;
        true
    }

    /// Waits for a token; fails at once, taking nothing, if it would come after `deadline`.
    async fn acquire(&self, deadline: Option<Instant>) -> Result<(), DeadlineTooSoon> {
        let ready = {
            let mut state = self.state.lock().unwrap();
            let now = self.refill(&mut state);
            let ready = now + self.every.mul_f64((1.0 - state.0).max(0.0));
            if deadline.is_some_and(|deadline| deadline <= now || ready > deadline) {
                return Err(DeadlineTooSoon);
            }
            // Reserve it now, so later callers queue behind (the count may go below zero).
            state.0 -= 1.0;
            ready
        }; // the lock is released before waiting
        tokio::time::sleep_until(ready).await;
        Ok(())
    }
}
// [/pattern]

#[derive(Deserialize)]
pub struct Input {
    capacity: u32,
    every: u64,
    mode: Mode,
    calls: Vec<Call>,
}

/// `try`: each call takes a token or is denied; `wait`: each call waits for its token.
#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
enum Mode {
    Try,
    Wait,
}

/// A call at tick `at`; in `wait` mode it gives up if its token would come after `deadline`.
#[derive(Deserialize)]
struct Call {
    id: String,
    at: u64,
    deadline: Option<u64>,
}

pub async fn run(input: Input) {
    let bucket = Arc::new(TokenBucket::new(input.capacity, ticks(input.every)));
    if let Mode::Try = input.mode {
        for call in input.calls {
            sleep_until(call.at).await;
            let ev = if bucket.try_acquire() {
                "allow"
            } else {
                "deny"
            };
            trace(ev, json!({"call": call.id}));
        }
        return;
    }
    let waiters: Vec<_> = input
        .calls
        .into_iter()
        .map(|call| {
            let bucket = Arc::clone(&bucket);
            tokio::spawn(async move {
                sleep_until(call.at).await;
                let deadline = call
                    .deadline
                    .map(|deadline| Instant::now() + ticks(deadline - call.at));
                match bucket.acquire(deadline).await {
                    Ok(()) => trace("proceed", json!({"call": call.id})),
                    Err(DeadlineTooSoon) => {
                        trace("error", json!({"call": call.id, "error": "deadline"}))
                    }
                }
            })
        })
        .collect();
    for waiter in waiters {
        waiter.await.expect("caller panicked");
    }
}
