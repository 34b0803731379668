//! Combinators over no operations: spawned handles awaited in turn give `[]` at once, and an empty
//! JoinSet's join_next gives `None` at once.

use serde::Deserialize;
use serde_json::json;

use crate::suite::{op, ticks, trace, Op};

// [pattern]
use std::future::Future;

use tokio::task::{JoinError, JoinSet};

/// Every output, in input order: each future is spawned, so all run at once, and the handles are
/// awaited in turn. Over nothing there is nothing to await: `[]` at once. (JoinSet::join_all
/// would give the outputs in the order they finished.)
async fn all_of<T, F>(works: impl IntoIterator<Item = F>) -> Result<Vec<T>, JoinError>
where
    F: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let handles: Vec<_> = works.into_iter().map(tokio::spawn).collect();
    let mut outputs = Vec::with_capacity(handles.len());
    for handle in handles {
        outputs.push(handle.await?);
    }
    Ok(outputs)
}

/// The output of the first to finish, or `None` over nothing: an empty JoinSet's `join_next`
/// returns `None` at once instead of waiting. Dropping the set aborts the others.
async fn first_of<T, F>(works: impl IntoIterator<Item = F>) -> Option<Result<T, JoinError>>
where
    F: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let mut set: JoinSet<T> = works.into_iter().collect();
    set.join_next().await
}
// [/pattern]

#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
enum Mode {
    All,
    First,
}

#[derive(Deserialize)]
pub struct Input {
    mode: Mode,
    ops: Vec<Op>,
    give_up: u64,
}

pub async fn run(input: Input) {
    let works = input.ops.iter().map(op);
    let limit = ticks(input.give_up);
    // `timeout` gives Err when the caller gave up waiting with still no outcome.
    let (event, fields) = match input.mode {
        Mode::All => match tokio::time::timeout(limit, all_of(works)).await {
            Err(_elapsed) => ("pending", json!({})),
            Ok(outputs) => {
                let outputs = outputs.expect("an operation panicked");
                match outputs.into_iter().collect::<Result<Vec<_>, _>>() {
                    Ok(values) => ("result", json!({"values": values})),
                    Err(failure) => ("error", json!({"error": failure.label})),
                }
            }
        },
        Mode::First => match tokio::time::timeout(limit, first_of(works)).await {
            Err(_elapsed) => ("pending", json!({})),
            Ok(None) => ("error", json!({"error": "empty"})),
            Ok(Some(output)) => match output.expect("an operation panicked") {
                Ok(value) => ("result", json!({"value": value})),
                Err(failure) => ("error", json!({"error": failure.label})),
            },
        },
    };
    trace(event, fields);
}
