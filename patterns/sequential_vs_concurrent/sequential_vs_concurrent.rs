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

use serde_json::{json, Value};

use crate::suite::trace;

pub async fn run(input: Value) {
    let specs = Op::list(&input["ops"]);
    let outcome = match input["mode"].as_str() {
        Some("sequential") => sequential(&specs).await,
        Some("concurrent") => concurrent(&specs).await,
        mode => panic!("unknown mode {mode:?}"),
    };
    match outcome {
        Ok(values) => trace("result", json!({"values": values})),
        Err(failure) => trace("error", json!({"error": failure.label})),
    }
}
