//! Race vs any: a JoinSet's first task to finish, or its first success.

use serde::Deserialize;
use serde_json::json;

use crate::suite::{op, shape, trace, Op};

// [pattern]
use std::future::Future;

use tokio::task::JoinSet;

/// The first future to finish decides, even when it failed. Returning drops the `JoinSet`,
/// which aborts the tasks still running: the losers are cancelled.
async fn race<T, E, F>(futures: impl IntoIterator<Item = F>) -> Result<T, E>
where
    F: Future<Output = Result<T, E>> + Send + 'static,
    T: Send + 'static,
    E: Send + 'static,
{
    let mut set: JoinSet<_> = futures.into_iter().collect();
    let first = set.join_next().await.expect("race of no futures");
    first.expect("task panicked")
}

/// The first success wins (the others are cancelled the same way); only when every future has
/// failed are all the errors returned, in input order.
async fn any<T, E, F>(futures: impl IntoIterator<Item = F>) -> Result<T, Vec<E>>
where
    F: Future<Output = Result<T, E>> + Send + 'static,
    T: Send + 'static,
    E: Send + 'static,
{
    let mut set = JoinSet::new();
    for (index, future) in futures.into_iter().enumerate() {
        set.spawn(async move { (index, future.await) });
    }
    let mut errors = Vec::new();
    while let Some(joined) = set.join_next().await {
        match joined.expect("task panicked") {
            (_, Ok(value)) => return Ok(value),
            (index, Err(error)) => errors.push((index, error)),
        }
    }
    errors.sort_by_key(|(index, _)| *index);
    Err(errors.into_iter().map(|(_, error)| error).collect())
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
    Race,
    Any,
}

pub async fn run(input: Input) {
    let operations = input.ops.iter().map(op);
    match input.mode {
        Mode::Race => match race(operations).await {
            Ok(value) => trace("result", json!({"value": value})),
            Err(failure) => trace(
                "error",
                json!({"error": failure.label, "shape": shape(&failure)}),
            ),
        },
        Mode::Any => match any(operations).await {
            Ok(value) => trace("result", json!({"value": value})),
            Err(failures) => {
                let shape = shape(&failures);
                let labels: Vec<_> = failures.into_iter().map(|f| f.label).collect();
                trace("error", json!({"errors": labels, "shape": shape}));
            }
        },
    }
}
