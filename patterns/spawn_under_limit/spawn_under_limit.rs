//! Spawning under a limit: a Semaphore permit taken before JoinSet::spawn, so the caller waits.

use serde::Deserialize;
use serde_json::json;

use crate::suite::{max_in_flight, op, trace, Op};

// [pattern]
use std::future::Future;
use std::sync::Arc;

use tokio::sync::Semaphore;
use tokio::task::JoinSet;

/// Spawns each future as a task of a JoinSet, at most `limit` running at once, and waits for
/// them all. The loop takes a permit before each spawn, so it waits while `limit` tasks run, and
/// `spawned(i)` is called once task `i` is spawned. The permit moves into the task and is
/// released when the task ends.
async fn spawn_all<F>(limit: usize, tasks: Vec<F>, mut spawned: impl FnMut(usize))
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let slots = Arc::new(Semaphore::new(limit));
    let mut set = JoinSet::new();
    for (i, task) in tasks.into_iter().enumerate() {
        let permit = slots.clone().acquire_owned().await.expect("never closed");
        set.spawn(async move {
            let output = task.await;
            drop(permit);
            output
        });
        spawned(i);
    }
    while let Some(joined) = set.join_next().await {
        joined.expect("task panicked");
    }
}
// [/pattern]

#[derive(Deserialize)]
pub struct Input {
    limit: usize,
    ops: Vec<Op>,
}

pub async fn run(input: Input) {
    let tasks = input.ops.iter().map(op).collect();
    spawn_all(input.limit, tasks, |i| {
        trace("spawned", json!({"task": input.ops[i].id}))
    })
    .await;
    trace("result", json!({"max_in_flight": max_in_flight()}));
}
