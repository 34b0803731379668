//! A bounded wait on a spawned task with tokio::time::timeout: the wait gives up, the task runs on.

use serde::Deserialize;
use serde_json::json;

use crate::suite::{op, ticks, trace, Op};

// [pattern]
use std::time::Duration;

use tokio::task::JoinHandle;
use tokio::time::{error::Elapsed, timeout};

/// Waits for a spawned task's result at most `limit`. The timeout drops only what it waits on,
/// here `&mut handle`, a borrow of the join handle: the task itself runs on. (Given the task's own
/// future instead of a handle, `timeout` would drop that future, and so cancel the work.)
async fn wait_at_most<T>(handle: &mut JoinHandle<T>, limit: Duration) -> Result<T, Elapsed> {
    let joined = timeout(limit, handle).await?;
    Ok(joined.expect("the task panicked"))
}
// [/pattern]

#[derive(Deserialize)]
pub struct Input {
    deadline: u64,
    op: Op,
}

pub async fn run(input: Input) {
    let mut handle = tokio::spawn(op(&input.op));
    match wait_at_most(&mut handle, ticks(input.deadline)).await {
        Ok(Ok(value)) => trace("result", json!({"value": value})),
        Ok(Err(failure)) => trace("error", json!({"error": failure.label})),
        Err(_elapsed) => trace("error", json!({"error": "timeout"})),
    }
}
