//! A job whose steps never await: JoinHandle::abort lands only at the job's next `.await`.

use serde::Deserialize;
use serde_json::json;

use crate::suite::{sleep_until, ticks, trace, Failure, Op, Outcome};

// [pattern]
use tokio::task::{JoinError, JoinHandle};

/// Calls the steps in order and returns the values of those that succeeded; a failed step is
/// skipped. A step is synchronous (CPU-bound work, or a blocking call) and never awaits, so
/// `abort()` cannot land inside it: the task is dropped at its next `.await`, the `yield_now`
/// after the running step.
async fn process_all<T, E>(steps: Vec<impl FnOnce() -> Result<T, E>>) -> Vec<T> {
    let mut values = Vec::new();
    for step in steps {
        if let Ok(value) = step() {
            values.push(value);
        } // a failed step is skipped
        tokio::task::yield_now().await; // lets other tasks run, and abort() land
    }
    values
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
    steps: Vec<Op>,
    cancel_at: Option<u64>,
}

/// A synchronous step that holds its worker thread for `ticks` ticks. It sleeps rather than
/// spins, so its timing does not depend on a free CPU; to tokio both are the same: a poll that
/// does not return.
fn sync_step(spec: Op) -> Result<i64, Failure> {
    trace("start", json!({"op": spec.id}));
    std::thread::sleep(ticks(spec.ticks));
    match spec.outcome {
        Outcome::Value(value) => {
            trace("succeed", json!({"op": spec.id, "value": value}));
            Ok(value)
        }
        Outcome::Error(label) => {
            trace("fail", json!({"op": spec.id, "error": label}));
            Err(Failure { label })
        }
    }
}

pub async fn run(input: Input) {
    let steps: Vec<_> = input
        .steps
        .into_iter()
        .map(|spec| move || sync_step(spec))
        .collect();
    let task = tokio::spawn(process_all(steps));
    let outcome = match input.cancel_at {
        Some(at) => {
            sleep_until(at).await;
            trace("cancel", json!({}));
            cancel(task).await
        }
        None => task.await,
    };
    match outcome {
        Ok(values) => trace("result", json!({"values": values})),
        Err(joined) if joined.is_cancelled() => trace("error", json!({"error": "cancelled"})),
        Err(joined) => std::panic::resume_unwind(joined.into_panic()),
    }
}
