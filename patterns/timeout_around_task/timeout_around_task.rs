//! Timeout around a spawned task: the deadline drops the JoinHandle, not the task.

use serde::Deserialize;
use serde_json::json;

use crate::suite::{op, shape, ticks, trace, Op};

// [pattern]
use std::time::Duration;

use tokio::task::{JoinError, JoinHandle};
use tokio::time::{error::Elapsed, timeout};

/// The task's output, or `Elapsed` once `deadline` has passed. `timeout` drops the `JoinHandle`
/// at the deadline, and dropping a handle detaches the task: it is not aborted and runs on.
async fn wait_with_deadline<T>(
    task: JoinHandle<T>,
    deadline: Duration,
) -> Result<Result<T, JoinError>, Elapsed> {
    timeout(deadline, task).await
}
// [/pattern]

#[derive(Deserialize)]
pub struct Input {
    op: Op,
    deadline: u64,
}

pub async fn run(input: Input) {
    let task = tokio::spawn(op(&input.op));
    let deadline = ticks(input.deadline);
    match wait_with_deadline(task, deadline).await {
        Ok(joined) => match joined.expect("the task panicked") {
            Ok(value) => trace("result", json!({"value": value})),
            Err(failure) => trace(
                "error",
                json!({"error": failure.label, "shape": shape(&failure)}),
            ),
        },
        Err(elapsed) => trace(
            "error",
            json!({"error": "timeout", "shape": shape(&elapsed)}),
        ),
    }
}
