//! All-of, fail fast: a JoinSet, whose drop aborts the tasks still running.

use serde::Deserialize;
use serde_json::json;

use crate::suite::{op, shape, trace, Op};

// [pattern]
use std::future::Future;

use tokio::task::JoinSet;

/// Runs every future as its own task and returns all values in input order, or the first error.
/// Returning early drops the `JoinSet`, and dropping a `JoinSet` aborts every task still in it:
/// the siblings are cancelled.
async fn try_all<T, E, F>(futures: impl IntoIterator<Item = F>) -> Result<Vec<T>, E>
where
    F: Future<Output = Result<T, E>> + Send + 'static,
    T: Send + 'static,
    E: Send + 'static,
{
    let mut set = JoinSet::new();
    for (index, future) in futures.into_iter().enumerate() {
        set.spawn(async move { (index, future.await) });
    }
    // Tasks finish in any order; remember each one's place.
    let mut values = Vec::with_capacity(set.len());
    while let Some(joined) = set.join_next().await {
        let (index, outcome) = joined.expect("task panicked");
        values.push((index, outcome?));
    }
    values.sort_by_key(|(index, _)| *index);
    Ok(values.into_iter().map(|(_, value)| value).collect())
}
// [/pattern]

#[derive(Deserialize)]
pub struct Input {
    ops: Vec<Op>,
}

pub async fn run(input: Input) {
    match try_all(input.ops.iter().map(op)).await {
        Ok(values) => trace("result", json!({"values": values})),
        Err(failure) => trace(
            "error",
            json!({"error": failure.label, "shape": shape(&failure)}),
        ),
    }
}
