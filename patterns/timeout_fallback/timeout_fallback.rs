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

use serde_json::{json, Value};

use crate::suite::{op, ticks, trace, Op};

pub async fn run(input: Value) {
    let spec = Op::parse(&input["op"]);
    let deadline = ticks(input["deadline"].as_u64().unwrap());
    let fallback = input["fallback"].as_i64().unwrap();
    match with_fallback(op(&spec), deadline, fallback).await {
        Ok(value) => trace("result", json!({"value": value})),
        Err(failure) => trace("error", json!({"error": failure.label})),
    }
}
