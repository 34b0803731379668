//! Bounded concurrency: a Semaphore permit taken before each spawn.

use serde::Deserialize;
use serde_json::json;

use crate::suite::{max_in_flight, op, trace, Op};

// [pattern]
use std::future::Future;
use std::sync::Arc;

use tokio::sync::Semaphore;

/// Runs the futures with at most `limit` in flight and returns their outputs in input order.
/// A permit is taken *before* each spawn, so tasks start in input order as slots free up;
/// the permit moves into the task and is released when the task ends.
async fn run_bounded<F>(limit: usize, futures: impl IntoIterator<Item = F>) -> Vec<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let semaphore = Arc::new(Semaphore::new(limit));
    let mut handles = Vec::new();
    for future in futures {
        let permit = semaphore
            .clone()
            .acquire_owned()
            .await
            .expect("semaphore closed");
        handles.push(tokio::spawn(async move {
            let output = future.await;
            drop(permit);
            output
        }));
    }
    let mut outputs = Vec::with_capacity(handles.len());
    for handle in handles {
        outputs.push(handle.await.expect("task panicked"));
    }
    outputs
}
// [/pattern]

#[derive(Deserialize)]
pub struct Input {
    limit: usize,
    ops: Vec<Op>,
}

pub async fn run(input: Input) {
    let outcomes: Result<Vec<i64>, _> = run_bounded(input.limit, input.ops.iter().map(op))
        .await
        .into_iter()
        .collect();
    match outcomes {
        Ok(values) => trace(
            "result",
            json!({"values": values, "max_in_flight": max_in_flight()}),
        ),
        Err(failure) => trace("error", json!({"error": failure.label})),
    }
}
