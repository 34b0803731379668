//! Sequential vs concurrent: awaiting lazy futures in turn, or spawning them first.

use serde::Deserialize;
use serde_json::json;

use crate::suite::trace;

// [pattern]
use crate::suite::{op, Failure, Op};

/// Each `.await` waits for one operation before the next is even started:
/// the total time is the sum of the durations.
async fn sequential(specs: &[Op]) -> Result<Vec<i64>, Failure> {
    let mut values = Vec::new();
    for spec in specs {
        values.push(op(spec).await?);
    }
    Ok(values)
}

/// A future does nothing until it is polled, so `tokio::spawn` first: every operation starts
/// running now. Awaiting the handles in order then takes as long as the slowest one.
async fn concurrent(specs: &[Op]) -> Result<Vec<i64>, Failure> {
    let handles: Vec<_> = specs.iter().map(|spec| tokio::spawn(op(spec))).collect();
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
    let outcome = match input.mode {
        Mode::Sequential => sequential(&input.ops).await,
        Mode::Concurrent => concurrent(&input.ops).await,
    };
    match outcome {
        Ok(values) => trace("result", json!({"values": values})),
        Err(failure) => trace("error", json!({"error": failure.label})),
    }
}
