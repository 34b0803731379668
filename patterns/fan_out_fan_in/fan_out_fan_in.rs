//! Fan-out, fan-in: a task per item, collected over one mpsc channel.

use serde::Deserialize;
use serde_json::{json, Value};

use crate::suite::{op, trace, Failure, Op};

// [pattern]
use std::future::Future;

use tokio::sync::mpsc;

/// Spawns one task per future and collects every output, in input order, once the slowest is
/// done. Each task sends its output on one channel; the collector's `recv` gives `None` once
/// every task has dropped its sender, and `on_output` sees each output as it arrives.
async fn fan_out_fan_in<F>(futures: Vec<F>, mut on_output: impl FnMut(&F::Output)) -> Vec<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let count = futures.len();
    let (sender, mut receiver) = mpsc::channel(count.max(1)); // capacity 0 is refused
    for (index, future) in futures.into_iter().enumerate() {
        let sender = sender.clone();
        tokio::spawn(async move {
            let output = future.await;
            let _ = sender.send((index, output)).await; // fails only if the collector is gone
        });
    }
    drop(sender); // only the tasks' clones remain, so the channel closes when the last is done

    let mut outputs: Vec<Option<F::Output>> = (0..count).map(|_| None).collect();
    while let Some((index, output)) = receiver.recv().await {
        on_output(&output);
        outputs[index] = Some(output);
    }
    outputs.into_iter().map(|o| o.expect("task lost")).collect()
}
// [/pattern]

#[derive(Deserialize)]
pub struct Input {
    items: Vec<Op>,
}

/// How an outcome is traced: {value} or {error}.
fn fields(outcome: &Result<i64, Failure>) -> Value {
    match outcome {
        Ok(value) => json!({"value": value}),
        Err(failure) => json!({"error": failure.label}),
    }
}

pub async fn run(input: Input) {
    let futures = input.items.iter().map(op).collect();
    let outcomes = fan_out_fan_in(futures, |outcome| trace("collected", fields(outcome))).await;
    let outcomes: Vec<Value> = outcomes.iter().map(fields).collect();
    trace("result", json!({"outcomes": outcomes}));
}
