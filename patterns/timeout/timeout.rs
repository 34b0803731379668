// [pattern]
use std::time::Duration;

use tokio::time::timeout;

use crate::suite::{op, Failure, Op};

#[derive(Debug)]
enum CallError {
    Failed(Failure),
    TimedOut,
}

/// Runs the operation, giving up after `deadline`.
async fn call_with_deadline(spec: &Op, deadline: Duration) -> Result<i64, CallError> {
    match timeout(deadline, op(spec)).await {
        Ok(outcome) => outcome.map_err(CallError::Failed),
        // `timeout` has already dropped the operation's future: in Rust, that drop *is* the
        // cancellation, so the operation stops right here at the deadline.
        Err(_elapsed) => Err(CallError::TimedOut),
    }
}
// [/pattern]

use serde_json::{json, Value};

use crate::suite::{ticks, trace};

pub async fn run(input: Value) {
    let spec = Op::parse(&input["op"]);
    let deadline = ticks(input["deadline"].as_u64().unwrap());
    match call_with_deadline(&spec, deadline).await {
        Ok(value) => trace("result", json!({"value": value})),
        Err(CallError::Failed(failure)) => trace("error", json!({"error": failure.label})),
        Err(CallError::TimedOut) => trace("error", json!({"error": "timeout"})),
    }
}
