//! Hedged request: a JoinSet and select! against a fresh sleep.

use serde::Deserialize;
use serde_json::json;

use crate::suite::{op, ticks, trace, Op};

// [pattern]
use std::future::Future;
use std::time::Duration;

use tokio::task::JoinSet;
use tokio::time::sleep;

/// Calls the first backend; each `delay` without an answer, or at once after a failure, calls
/// the next one too. Returns the first answer; returning drops the `JoinSet`, which aborts the
/// calls still running. When every backend fails, returns their errors in backend order.
async fn hedged<T, E, F>(backends: Vec<F>, delay: Duration) -> Result<T, Vec<E>>
where
    F: Future<Output = Result<T, E>> + Send + 'static,
    T: Send + 'static,
    E: Send + 'static,
{
    let total = backends.len();
    let mut waiting = backends.into_iter().enumerate();
    let mut calls = JoinSet::new();
    let mut errors = Vec::new();
    let mut call_next = true;
    while errors.len() < total {
        if call_next {
            if let Some((index, backend)) = waiting.next() {
                calls.spawn(async move { (index, backend.await) });
            }
        }
        let more = waiting.len() > 0;
        call_next = tokio::select! {
            Some(joined) = calls.join_next() => match joined.expect("call panicked") {
                (_, Ok(value)) => return Ok(value),
                (index, Err(error)) => {
                    errors.push((index, error));
                    true
                }
            },
            // A fresh sleep each turn: the delay counts from the latest call.
            () = sleep(delay), if more => true,
        };
    }
    errors.sort_by_key(|(index, _)| *index);
    Err(errors.into_iter().map(|(_, error)| error).collect())
}
// [/pattern]

#[derive(Deserialize)]
pub struct Input {
    backends: Vec<Op>,
    hedge: u64,
}

pub async fn run(input: Input) {
    let backends = input.backends.iter().map(op).collect();
    match hedged(backends, ticks(input.hedge)).await {
        Ok(value) => trace("result", json!({"value": value})),
        Err(failures) => {
            let labels: Vec<_> = failures.into_iter().map(|f| f.label).collect();
            trace("error", json!({"errors": labels}));
        }
    }
}
