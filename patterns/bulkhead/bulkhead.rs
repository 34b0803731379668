//! Bulkhead: a tokio Semaphore per downstream.

use std::sync::Arc;

use serde::Deserialize;
use serde_json::json;
use tokio::task::JoinSet;

use crate::suite::{op, sleep_until, trace, Op};

// [pattern]
use std::collections::HashMap;
use std::future::Future;

use tokio::sync::Semaphore;

/// A concurrency limit per downstream: a semaphore per name.
struct Bulkhead {
    semaphores: HashMap<String, Semaphore>,
}

impl Bulkhead {
    fn new<'a>(limits: impl IntoIterator<Item = (&'a str, usize)>) -> Self {
        let semaphores = limits
            .into_iter()
            .map(|(name, limit)| (name.to_owned(), Semaphore::new(limit)))
            .collect();
        Bulkhead { semaphores }
    }

    /// Waits for a permit of this downstream only; the others' calls are not held up.
    /// tokio's Semaphore serves waiters in arrival order.
    async fn call<F: Future>(&self, downstream: &str, fut: F) -> F::Output {
        let _permit = self.semaphores[downstream]
            .acquire()
            .await
            .expect("never closed");
        fut.await
    }

    /// Like `call`, but fails at once with `Rejected` when the downstream has no permit free.
    async fn try_call<F: Future>(&self, downstream: &str, fut: F) -> Result<F::Output, Rejected> {
        let permit = self.semaphores[downstream]
            .try_acquire()
            .map_err(|_| Rejected)?;
        let output = fut.await;
        drop(permit);
        Ok(output)
    }
}

/// The downstream is at its limit.
#[derive(Debug)]
struct Rejected;
// [/pattern]

#[derive(Deserialize)]
pub struct Input {
    limits: HashMap<String, usize>,
    calls: Vec<Call>,
}

/// A caller: at tick `at`, `rounds` calls (one by default) of `op` to the downstream `to`,
/// each refused at once when it is full if `reject` is set.
#[derive(Deserialize)]
struct Call {
    to: String,
    at: u64,
    rounds: Option<u64>,
    #[serde(default)]
    reject: bool,
    op: Op,
}

pub async fn run(input: Input) {
    let Input { limits, calls } = input;
    let limits = limits.iter().map(|(name, &limit)| (name.as_str(), limit));
    let bulkhead = Arc::new(Bulkhead::new(limits));
    let mut callers = JoinSet::new();
    for call in calls {
        let bulkhead = Arc::clone(&bulkhead);
        callers.spawn(async move {
            sleep_until(call.at).await;
            for _ in 0..call.rounds.unwrap_or(1) {
                if !call.reject {
                    let _ = bulkhead.call(&call.to, op(&call.op)).await;
                } else if let Err(Rejected) = bulkhead.try_call(&call.to, op(&call.op)).await {
                    trace("rejected", json!({"op": call.op.id}));
                }
            }
        });
    }
    while let Some(caller) = callers.join_next().await {
        caller.expect("caller panicked");
    }
}
