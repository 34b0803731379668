//! A deadline over work that cleans up, with tokio::time::timeout alone: at the deadline the work's
//! future is dropped, and its cleanup never runs.

use serde::Deserialize;
use serde_json::json;

use crate::suite::{op, ticks, trace, Op};

// [pattern]
use std::future::Future;
use std::time::Duration;

use tokio::time::{error::Elapsed, timeout};

/// Awaits `work`, then `cleanup`: but only while the future is polled to its end.
async fn with_cleanup<T>(work: impl Future<Output = T>, cleanup: impl Future<Output = ()>) -> T {
    let value = work.await;
    cleanup.await;
    value
}

/// Runs `work` with a deadline. At the deadline `timeout` drops the work's future where it waits:
/// the code after that `.await`, the cleanup included, never runs. Only a synchronous `Drop` of
/// what the future holds runs, and it cannot await.
async fn with_deadline<T>(deadline: Duration, work: impl Future<Output = T>) -> Result<T, Elapsed> {
    timeout(deadline, work).await
}
// [/pattern]

#[derive(Deserialize)]
pub struct Input {
    deadline: u64,
    cleanup: u64,
    op: Op,
}

pub async fn run(input: Input) {
    let cleanup = async {
        trace("cleanup_start", json!({}));
        tokio::time::sleep(ticks(input.cleanup)).await;
        trace("cleanup_done", json!({}));
    };
    let work = with_cleanup(op(&input.op), cleanup);
    match with_deadline(ticks(input.deadline), work).await {
        Ok(Ok(value)) => trace("result", json!({"value": value})),
        Ok(Err(failure)) => trace("error", json!({"error": failure.label})),
        Err(_elapsed) => trace("error", json!({"error": "timeout"})),
    }
}
