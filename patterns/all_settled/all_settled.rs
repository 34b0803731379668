//! All-of, settled: every future spawned, then each handle awaited in turn.

use serde::Deserialize;
use serde_json::{json, Value};

use crate::suite::{op, trace, Op};

// [pattern]
use std::future::Future;

/// Runs every future as its own task and waits for all of them; each outcome, `Ok` or `Err`,
/// comes back in input order. An error does not stop the others: each handle is awaited in turn.
async fn all_settled<T, E, F>(futures: impl IntoIterator<Item = F>) -> Vec<Result<T, E>>
where
    F: Future<Output = Result<T, E>> + Send + 'static,
    T: Send + 'static,
    E: Send + 'static,
{
    // Spawn them all first, so they run concurrently, then collect.
    let handles: Vec<_> = futures.into_iter().map(tokio::spawn).collect();
    let mut outcomes = Vec::with_capacity(handles.len());
    for handle in handles {
        outcomes.push(handle.await.expect("task panicked"));
    }
    outcomes
}
// [/pattern]

#[derive(Deserialize)]
pub struct Input {
    ops: Vec<Op>,
}

pub async fn run(input: Input) {
    let outcomes: Vec<Value> = all_settled(input.ops.iter().map(op))
        .await
        .into_iter()
        .map(|outcome| match outcome {
            Ok(value) => json!({"value": value}),
            Err(failure) => json!({"error": failure.label}),
        })
        .collect();
    trace("result", json!({"outcomes": outcomes}));
}
