//! Structured concurrency: a JoinSet joined to the end, a watch channel to cancel the children.

use std::time::Duration;

use serde::Deserialize;
use serde_json::json;

use crate::suite::{op, ticks, trace, Failure, Op};

// [pattern]
use std::future::Future;

use tokio::sync::watch;
use tokio::task::JoinSet;

/// Runs every child as a task of one `JoinSet`, handing each a cancel signal, and returns their
/// values in input order. The first failure sends the signal; the scope still joins every task,
/// so it returns only once every child has finished, its cleanup included, and then gives that
/// first error. (Aborting the tasks instead would drop them at their `.await`: no async cleanup.)
async fn scope<T, E, F, C>(children: impl IntoIterator<Item = C>) -> Result<Vec<T>, E>
where
    C: FnOnce(watch::Receiver<bool>) -> F,
    F: Future<Output = Result<T, E>> + Send + 'static,
    T: Send + 'static,
    E: Send + 'static,
{
    let (cancel, cancelled) = watch::channel(false);
    let mut set = JoinSet::new();
    for (index, child) in children.into_iter().enumerate() {
        let child = child(cancelled.clone());
        set.spawn(async move { (index, child.await) });
    }
    let mut values = Vec::with_capacity(set.len());
    let mut first_error = None;
    while let Some(joined) = set.join_next().await {
        match joined.expect("child panicked") {
            (index, Ok(value)) => values.push((index, value)),
            (_, Err(error)) => {
                cancel.send_replace(true);
                first_error.get_or_insert(error);
            }
        }
    }
    if let Some(error) = first_error {
        return Err(error);
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

/// A child: its op, given up when the scope is cancelled, then its cleanup however it ended.
async fn child(
    spec: Op,
    cleanup: Duration,
    mut cancelled: watch::Receiver<bool>,
) -> Result<i64, Failure> {
    let outcome = tokio::select! {
        outcome = op(&spec) => outcome,
        _ = cancelled.wait_for(|&cancelled| cancelled) => Err(Failure { label: "cancelled".into() }),
    };
    trace("cleanup", json!({"child": spec.id}));
    tokio::time::sleep(cleanup).await;
    trace("cleaned", json!({"child": spec.id}));
    outcome
}

pub async fn run(input: Input) {
    let cleanup = ticks(input.cleanup);
    let children = input
        .children
        .into_iter()
        .map(|spec| move |cancelled| child(spec, cleanup, cancelled));
    match scope(children).await {
        Ok(values) => trace("result", json!({"values": values})),
        Err(failure) => trace("error", json!({"error": failure.label})),
    }
}
