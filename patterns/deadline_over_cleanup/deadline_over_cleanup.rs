//! A deadline over work that cleans up when stopped: tokio::time::timeout over a borrow of the
//! work, which is then told to stop and driven to the end of its cleanup.

use serde::Deserialize;
use serde_json::json;

use crate::suite::{op, ticks, trace, Op};

// [pattern]
use std::future::Future;
use std::pin::pin;
use std::time::Duration;

use tokio::sync::oneshot;
use tokio::time::timeout;

struct TimedOut;

/// Runs `work` until it finishes or `stop` fires, then awaits `cleanup` either way. `None`: it was
/// stopped. (tokio_util's CancellationToken is the usual stop signal; a oneshot will do here.)
async fn with_cleanup<T>(
    work: impl Future<Output = T>,
    stop: oneshot::Receiver<()>,
    cleanup: impl Future<Output = ()>,
) -> Option<T> {
    let outcome = tokio::select! {
        value = work => Some(value),
        _ = stop => None, // drops `work`, cancelling it where it waits
    };
    cleanup.await;
    outcome
}

/// Runs `work(stop)` with a deadline and returns only once it has stopped, cleanup included.
/// `timeout` alone would drop the work at the deadline, and a dropped future runs no more async
/// code: of its cleanup, only a synchronous `Drop` would run. So the timeout is put over a borrow
/// of the work; at the deadline the work is told to stop, then awaited to its end. Work that had
/// already finished (and was cleaning up) keeps its outcome.
async fn with_deadline<T, F>(
    deadline: Duration,
    work: impl FnOnce(oneshot::Receiver<()>) -> F,
) -> Result<T, TimedOut>
where
    F: Future<Output = Option<T>>,
{
    let (stop, stopped) = oneshot::channel();
    let mut work = pin!(work(stopped));
    let outcome = match timeout(deadline, &mut work).await {
        Ok(outcome) => outcome,
        Err(_elapsed) => {
            drop(stop); // wakes the work's `stop`
            work.await
        }
    };
    outcome.ok_or(TimedOut)
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
    let work = |stop| with_cleanup(op(&input.op), stop, cleanup);
    match with_deadline(ticks(input.deadline), work).await {
        Ok(Ok(value)) => trace("result", json!({"value": value})),
        Ok(Err(failure)) => trace("error", json!({"error": failure.label})),
        Err(TimedOut) => trace("error", json!({"error": "timeout"})),
    }
}
