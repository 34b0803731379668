//! A blocking job on spawn_blocking: JoinHandle::abort cannot stop it once it has started.

use serde::Deserialize;
use serde_json::json;

use crate::suite::{sleep_until, ticks, trace, Failure, Op, Outcome};

// [pattern]
use tokio::task::{JoinError, JoinHandle};

/// Blocking: calls the steps in order and returns the values of those that succeeded; a failed
/// step is skipped.
fn process_all<T, E>(steps: Vec<impl FnOnce() -> Result<T, E>>) -> Vec<T> {
    let mut values = Vec::new();
    for step in steps {
        if let Ok(value) = step() {
            values.push(value);
        } // a failed step is skipped
    }
    values
}

/// Runs the blocking job on tokio's blocking thread pool.
fn spawn_job<T, E>(steps: Vec<impl FnOnce() -> Result<T, E> + Send + 'static>) -> JoinHandle<Vec<T>>
where
    T: Send + 'static,
{
    tokio::task::spawn_blocking(move || process_all(steps))
}

/// Aborts the task and waits for it. A blocking closure that has started cannot be aborted:
/// `abort()` does nothing, the job runs to its end and the handle gives its values, `Ok`.
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

/// A blocking call that takes `ticks` ticks (std::thread::sleep, as a blocking client would).
fn blocking_step(spec: Op) -> Result<i64, Failure> {
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
    let steps = input
        .steps
        .into_iter()
        .map(|spec| move || blocking_step(spec))
        .collect();
    let task = spawn_job(steps);
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
