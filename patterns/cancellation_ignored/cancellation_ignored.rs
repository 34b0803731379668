//! A job that skips failed steps, stopped with JoinHandle::abort: no handler can swallow it.

use serde::Deserialize;
use serde_json::json;

use crate::suite::{op, sleep_until, trace, Op};

// [pattern]
use std::future::Future;

use tokio::task::{JoinError, JoinHandle};

/// Awaits the steps in order and returns the values of those that succeeded; a failed step is
/// skipped. `abort()` drops this future at the `.await` it is suspended on: the running step is
/// dropped with it, and there is no error for the job to catch and mistake for a failed step.
async fn process_all<T, E>(steps: Vec<impl Future<Output = Result<T, E>>>) -> Vec<T> {
    let mut values = Vec::new();
    for step in steps {
        if let Ok(value) = step.await {
            values.push(value);
        } // a failed step is skipped
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

pub async fn run(input: Input) {
    let task = tokio::spawn(process_all(input.steps.iter().map(op).collect()));
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
