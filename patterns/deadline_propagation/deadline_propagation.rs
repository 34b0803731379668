//! Deadline propagation: one tokio Instant handed down to timeout_at.

use serde::Deserialize;
use serde_json::json;

use crate::suite::{op, ticks, trace, Op};

// [pattern]
use std::future::Future;
use std::time::Duration;

use tokio::time::{timeout_at, Instant};

#[derive(Debug)]
enum CallError<E> {
    Failed(E),
    /// The deadline passed: the call in progress was dropped, which in Rust cancels it.
    TimedOut,
}

/// Runs `first`, then the nested call `second`, both before `deadline`: the deadline is an
/// `Instant` handed down to every call.
async fn handle<T, E>(
    first: impl Future<Output = Result<T, E>>,
    second: impl Future<Output = Result<T, E>>,
    deadline: Instant,
    inner: Duration,
) -> Result<Vec<T>, CallError<E>> {
    let a = within(deadline, first).await?;
    let b = fetch(second, deadline, inner).await?;
    Ok(vec![a, b])
}

/// Runs `call` for at most `inner` from now, but never past the caller's `deadline`.
async fn fetch<T, E>(
    call: impl Future<Output = Result<T, E>>,
    deadline: Instant,
    inner: Duration,
) -> Result<T, CallError<E>> {
    within(deadline.min(Instant::now() + inner), call).await
}

async fn within<T, E>(
    deadline: Instant,
    call: impl Future<Output = Result<T, E>>,
) -> Result<T, CallError<E>> {
    match timeout_at(deadline, call).await {
        Ok(outcome) => outcome.map_err(CallError::Failed),
        Err(_elapsed) => Err(CallError::TimedOut),
    }
}
// [/pattern]

#[derive(Deserialize)]
pub struct Input {
    first: Op,
    second: Op,
    outer: u64,
    inner: u64,
}

pub async fn run(input: Input) {
    let deadline = Instant::now() + ticks(input.outer);
    let inner = ticks(input.inner);
    match handle(op(&input.first), op(&input.second), deadline, inner).await {
        Ok(values) => trace("result", json!({"values": values})),
        Err(CallError::Failed(failure)) => trace("error", json!({"error": failure.label})),
        Err(CallError::TimedOut) => trace("error", json!({"error": "timeout"})),
    }
}
