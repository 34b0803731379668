//! As completed: a JoinSet's join_next, which yields tasks as they finish.

use serde::Deserialize;
use serde_json::json;

use crate::suite::{op, trace, Op};

// [pattern]
use std::future::Future;

use tokio::task::JoinSet;

/// Runs every future as its own task and hands each output to `handle` as soon as its task
/// finishes: `join_next` yields tasks in completion order, whatever order they were spawned in.
async fn for_each_completed<T, F>(futures: impl IntoIterator<Item = F>, mut handle: impl FnMut(T))
where
    F: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let mut set: JoinSet<T> = futures.into_iter().collect();
    while let Some(joined) = set.join_next().await {
        handle(joined.expect("task panicked"));
    }
}
// [/pattern]

#[derive(Deserialize)]
pub struct Input {
    ops: Vec<Op>,
}

pub async fn run(input: Input) {
    let mut values = Vec::new();
    for_each_completed(input.ops.iter().map(op), |outcome| match outcome {
        Ok(value) => {
            trace("next", json!({"value": value}));
            values.push(value);
        }
        Err(failure) => trace("next", json!({"error": failure.label})),
    })
    .await;
    trace("result", json!({"values": values}));
}
