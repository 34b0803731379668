//! Timeout with a fallback value: tokio::time::timeout, its Elapsed turned into the fallback.

use serde::Deserialize;
use serde_json::json;

use crate::suite::{op, ticks, trace, Op};

// [pattern]
use std::future::Future;
use std::time::Duration;

use tokio::time::timeout;

/// Runs the operation, giving `fallback` instead if `deadline` passes first. An expired
/// `timeout` drops the operation's future, which in Rust cancels it; an error of the operation
/// itself is passed on.
async fn with_fallback<T, E>(
    operation: impl Future<Output = Result<T, E>>,
    deadline: Duration,
    fallback: T,
) -> Result<T, E> {
    timeout(deadline, operation).await.unwrap_or(Ok(fallback))
}
// [/pattern]

#[derive(Deserialize)]
pub struct Input {
    op: Op,
    deadline: u64,
    fallback: i64,
}

pub async fn run(input: Input) {
    let deadline = ticks(input.deadline);
    match with_fallback(op(&input.op), deadline, input.fallback).await {
        Ok(value) => trace("result", json!({"value": value})),
        Err(failure) => trace("error", json!({"error": failure.label})),
    }
}
