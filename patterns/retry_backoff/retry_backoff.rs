//! Retry with exponential backoff and full jitter: a loop around tokio::time::sleep.

use serde::Deserialize;
use serde_json::json;

use crate::suite::{ticks, trace, Outcome};

// [pattern]
use std::future::Future;
use std::time::Duration;

struct Backoff {
    max_attempts: u32,
    base: Duration,
    factor: f64,
}

/// Calls `attempt(n)` for n = 1, 2, ... until it succeeds or `max_attempts` calls have failed,
/// then returns the last error. Before retry n+1 it sleeps `base * factor^(n-1)`, scaled by
/// `jitter()`, a random fraction in [0, 1) ("full jitter"; std has no RNG, so the caller brings one).
async fn retry<T, E, Fut>(
    backoff: &Backoff,
    mut jitter: impl FnMut() -> f64,
    mut attempt: impl FnMut(u32) -> Fut,
) -> Result<T, E>
where
    Fut: Future<Output = Result<T, E>>,
{
    let mut n = 1;
    loop {
        match attempt(n).await {
            Ok(value) => return Ok(value),
            Err(error) if n >= backoff.max_attempts => return Err(error),
            Err(_) => {
                let delay = backoff
                    .base
                    .mul_f64(backoff.factor.powi(n as i32 - 1) * jitter());
                tokio::time::sleep(delay).await;
                n += 1;
            }
        }
    }
}
// [/pattern]

#[derive(Deserialize)]
pub struct Input {
    max_attempts: u32,
    base: u64,
    factor: f64,
    /// How each attempt ends, in turn.
    attempts: Vec<Outcome>,
    /// The random fractions, in turn; without them there is no jitter.
    #[serde(default)]
    jitter: Vec<f64>,
}

pub async fn run(input: Input) {
    let backoff = Backoff {
        max_attempts: input.max_attempts,
        base: ticks(input.base),
        factor: input.factor,
    };
    let mut fractions = input.jitter.into_iter();
    let jitter = move || fractions.next().unwrap_or(1.0);
    let mut tried = 0;
    let outcome = retry(&backoff, jitter, |n| {
        tried = n;
        trace("attempt", json!({"n": n}));
        let planned = input.attempts[n as usize - 1].clone();
        async move {
            match planned {
                Outcome::Value(value) => Ok(value),
                Outcome::Error(label) => Err(label),
            }
        }
    })
    .await;
    match outcome {
        Ok(value) => trace("result", json!({"value": value, "attempts": tried})),
        Err(label) => trace("error", json!({"error": label, "attempts": tried})),
    }
}
