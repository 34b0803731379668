//! Sequential vs concurrent: awaiting lazy futures in turn, or spawning them first.

use serde::Deserialize;
use serde_json::json;

use crate::suite::{op, trace, Op};

// [pattern]
use std::future::Future;

/// Each `.await` waits for one operation before the next is even started (a future does
/// nothing until it is polled): the total time is the sum of the durations.
async fn sequential<T, E, F>(operations: impl IntoIterator<Item = F>) -> Result<Vec<T>, E>
where
    F: Future<Output = Result<T, E>>,
{
    let mut values = Vec::new();
    for operation in operations {
        values.push(operation.await?);
    }
    Ok(values)
}

/// `tokio::spawn` first, so every operation starts running now. Awaiting the handles in order
/// then takes as long as the slowest one.
async fn concurrent<T, E, F>(operations: impl IntoIterator<Item = F>) -> Result<Vec<T>, E>
where
    F: Future<Output = Result<T, E>> + Send + 'static,
    T: Send + 'static,
    E: Send + 'static,
{
    let handles: Vec<_> = operations.into_iter().map(tokio::spawn).collect();
    let mut values = Vec::new();
    for handle in handles {
        values.push(handle.await.expect("operation panicked")?);
    }
    Ok(values)
}
// [/pattern]

#[derive(Deserialize)]
pub struct Input {
    mode: Mode,
    ops: Vec<Op>,
}

#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
enum Mode {
    Sequential,
    Concurrent,
}

pub async fn run(input: Input) {
    let operations = input.ops.iter().map(op);
    let outcome = match input.mode {
        Mode::Sequential => sequential(operations).await,
        Mode::Concurrent => concurrent(operations).await,
    };
    match outcome {
        Ok(values) => trace("result", json!({"values": values})),
        Err(failure) => trace("error", json!({"error": failure.label})),
    }
}
