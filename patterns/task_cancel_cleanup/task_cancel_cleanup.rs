//! Cancelling a task: JoinHandle::abort, then awaiting the handle; a Drop guard cleans up.

use serde::Deserialize;
use serde_json::json;

use crate::suite::{op, sleep_until, ticks, trace, Op};

// [pattern]
use tokio::task::{JoinError, JoinHandle};

/// Runs its closure when dropped: when the task's body ends, or when the task is aborted (its
/// future is then dropped at the `.await` it is suspended on). Drop cannot await, so cleanup that
/// takes time must be spawned from it and finishes on its own.
struct OnDrop<F: FnMut()>(F);

impl<F: FnMut()> Drop for OnDrop<F> {
    fn drop(&mut self) {
        (self.0)();
    }
}

/// Aborts the task and waits until it has stopped: a task that was still running gives a
/// `JoinError` whose `is_cancelled()` is true; one that had already finished gives its output.
async fn cancel<T>(task: JoinHandle<T>) -> Result<T, JoinError> {
    task.abort();
    task.await
}
// [/pattern]

#[derive(Deserialize)]
pub struct Input {
    op: Op,
    cleanup: u64,
    cancel_at: u64,
    #[serde(default)]
    start_at: u64,
    #[serde(default)]
    ignores_cancel: bool,
}

pub async fn run(input: Input) {
    let Input {
        op: spec,
        cleanup,
        cancel_at,
        start_at,
        ignores_cancel,
    } = input;
    let cleanup = ticks(cleanup);
    let task = tokio::spawn(async move {
        sleep_until(start_at).await;
        let _cleanup = OnDrop(move || {
            trace("cleanup", json!({}));
            tokio::spawn(async move {
                tokio::time::sleep(cleanup).await;
                trace("cleaned", json!({}));
            });
        });
        if ignores_cancel {
            // Work in a task of its own: dropping this task detaches it instead of dropping it.
            tokio::spawn(op(&spec)).await.expect("the work panicked")
        } else {
            op(&spec).await
        }
    });
    sleep_until(cancel_at).await;
    trace("cancel", json!({}));
    match cancel(task).await {
        Ok(Ok(value)) => trace("result", json!({"value": value})),
        Ok(Err(failure)) => trace("error", json!({"error": failure.label})),
        Err(joined) if joined.is_cancelled() => trace("error", json!({"error": "cancelled"})),
        Err(joined) => std::panic::resume_unwind(joined.into_panic()),
    }
}
