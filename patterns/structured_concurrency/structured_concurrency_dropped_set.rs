//! A scope that is not structured: a dropped JoinSet aborts its tasks without waiting.

use std::time::Duration;

use serde::Deserialize;
use serde_json::json;

use crate::suite::{op, ticks, trace, Failure, Op};

// [pattern]
use std::future::Future;

use tokio::task::JoinSet;

/// Runs every child as a task of one `JoinSet` and returns their values in input order, or the
/// first error at once. Returning drops the set, and dropping a `JoinSet` aborts every task still
/// in it without waiting: each is dropped at its `.await`, so the async cleanup it would have run
/// afterwards never runs.
async fn scope<T, E, F>(children: impl IntoIterator<Item = F>) -> Result<Vec<T>, E>
where
    F: Future<Output = Result<T, E>> + Send + 'static,
    T: Send + 'static,
    E: Send + 'static,
{
    let mut set = JoinSet::new();
    for (index, child) in children.into_iter().enumerate() {
        set.spawn(async move { (index, child.await) });
    }
    let mut values = Vec::with_capacity(set.len());
    while let Some(joined) = set.join_next().await {
        let (index, outcome) = joined.expect("child panicked");
        values.push((index, outcome?));
    }
    values.sort_by_key(|(index, _)| *index);
    Ok(values.into_iter().map(|(_, value)| value).collect())
}
// [/pattern]

#[derive(Deserialize)]
pub struct Input {
    children: Vec<Op>,
    cleanup: u64,
}

/// A child: its op, then its cleanup however the op ended.
async fn child(spec: Op, cleanup: Duration) -> Result<i64, Failure> {
    let outcome = op(&spec).await;
    trace("cleanup", json!({"child": spec.id}));
    tokio::time::sleep(cleanup).await;
    trace("cleaned", json!({"child": spec.id}));
    outcome
}

pub async fn run(input: Input) {
    let cleanup = ticks(input.cleanup);
    let children = input.children.into_iter();
    match scope(children.map(|spec| child(spec, cleanup))).await {
        Ok(values) => trace("result", json!({"values": values})),
        Err(failure) => trace("error", json!({"error": failure.label})),
    }
}
