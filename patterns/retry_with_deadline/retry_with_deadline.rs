//! Retry with an overall deadline: the whole loop under tokio::time::timeout.

use serde::Deserialize;
use serde_json::json;

use crate::suite::{op, ticks, trace, Op};

// [pattern]
use std::future::Future;
use std::time::Duration;

use tokio::time::{error::Elapsed, sleep, timeout};

/// Awaits the attempts in turn until one succeeds, `backoff` apart, and returns the last one's
/// error. The whole loop runs under `timeout`: at the deadline the loop's future is dropped,
/// which drops the attempt in flight (or the backoff), and the caller gets `Elapsed`.
async fn retry_until<T, E>(
    deadline: Duration,
    backoff: Duration,
    attempts: Vec<impl Future<Output = Result<T, E>>>,
) -> Result<Result<T, E>, Elapsed> {
    timeout(deadline, async {
        let mut last = None;
        for (n, attempt) in attempts.into_iter().enumerate() {
            if n > 0 {
                sleep(backoff).await;
            }
            match attempt.await {
                Ok(value) => return Ok(value),
                Err(error) => last = Some(error),
            }
        }
        Err(last.expect("at least one attempt"))
    })
    .await
}
// [/pattern]

#[derive(Deserialize)]
pub struct Input {
    attempts: Vec<Op>,
    deadline: u64,
    backoff: u64,
}

pub async fn run(input: Input) {
    let attempts = input.attempts.iter().map(op).collect();
    let deadline = ticks(input.deadline);
    let backoff = ticks(input.backoff);
    match retry_until(deadline, backoff, attempts).await {
        Ok(Ok(value)) => trace("result", json!({"value": value})),
        Ok(Err(failure)) => trace("error", json!({"error": failure.label})),
        Err(_elapsed) => trace("error", json!({"error": "timeout"})),
    }
}
