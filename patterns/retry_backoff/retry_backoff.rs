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

use serde_json::{json, Value};

use crate::suite::{ticks, trace};

pub async fn run(input: Value) {
    let backoff = Backoff {
        max_attempts: input["max_attempts"].as_u64().unwrap() as u32,
        base: ticks(input["base"].as_u64().unwrap()),
        factor: input["factor"].as_f64().unwrap(),
    };
    // The scenario supplies the random fractions; without them there is no jitter.
    let mut fractions = input["jitter"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter();
    let jitter = move || fractions.next().and_then(|f| f.as_f64()).unwrap_or(1.0);
    let attempts = input["attempts"].as_array().unwrap();
    let mut tried = 0;
    let outcome = retry(&backoff, jitter, |n| {
        tried = n;
        trace("attempt", json!({"n": n}));
        let planned = &attempts[n as usize - 1];
        async move {
            match planned["error"].as_str() {
                Some(label) => Err(label.to_owned()),
                None => Ok(planned["value"].as_i64().unwrap()),
            }
        }
    })
    .await;
    match outcome {
        Ok(value) => trace("result", json!({"value": value, "attempts": tried})),
        Err(label) => trace("error", json!({"error": label, "attempts": tried})),
    }
}
