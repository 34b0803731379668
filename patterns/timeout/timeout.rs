//! Timeout: tokio::time::timeout, whose expiry drops the operation's future.

use serde::Deserialize;
use serde_json::json;

use crate::suite::{op, shape, ticks, trace, Op};

// [pattern]
use std::future::Future;
use std::time::Duration;

use tokio::time::{error::Elapsed, timeout};

#[derive(Debug)]
enum CallError<E> {
    Failed(E),
    TimedOut(Elapsed),
}

/// Runs the operation, giving up after `deadline`.
async fn call_with_deadline<T, E>(
    operation: impl Future<Output = Result<T, E>>,
    deadline: Duration,
) -> Result<T, CallError<E>> {
    match timeout(deadline, operation).await {
        Ok(outcome) => outcome.map_err(CallError::Failed),
        // `timeout` has already dropped the operation's future: in Rust, that drop *is* the
        // cancellation, so the operation stops right here at the deadline.
        Err(elapsed) => Err(CallError::TimedOut(elapsed)),
    }
}
// [/pattern]

#[derive(Deserialize)]
pub struct Input {
    op: Op,
    deadline: u64,
}

pub async fn run(input: Input) {
    let deadline = ticks(input.deadline);
    match call_with_deadline(op(&input.op), deadline).await {
        Ok(value) => trace("result", json!({"value": value})),
        Err(error) => {
            let label = match &error {
                CallError::Failed(failure) => failure.label.as_str(),
                CallError::TimedOut(_) => "timeout",
            };
            trace("error", json!({"error": label, "shape": shape(&error)}));
        }
    }
}
