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

use std::sync::Arc;

use serde_json::{json, Value};
use tokio::task::JoinSet;

use crate::suite::{op, sleep_until, trace, Op};

pub async fn run(input: Value) {
    let limits = input["limits"].as_object().expect("limits");
    let bulkhead =
        Arc::new(Bulkhead::new(limits.iter().map(|(name, limit)| {
            (name.as_str(), limit.as_u64().unwrap() as usize)
        })));
    let mut callers = JoinSet::new();
    for call in input["calls"].as_array().expect("calls").clone() {
        let bulkhead = Arc::clone(&bulkhead);
        callers.spawn(async move {
            sleep_until(call["at"].as_u64().unwrap()).await;
            let spec = Op::parse(&call["op"]);
            let to = call["to"].as_str().unwrap();
            for _ in 0..call["rounds"].as_u64().unwrap_or(1) {
                if call["reject"] != true {
                    let _ = bulkhead.call(to, op(&spec)).await;
                } else if let Err(Rejected) = bulkhead.try_call(to, op(&spec)).await {
                    trace("rejected", json!({"op": spec.id}));
                }
            }
        });
    }
    while let Some(caller) = callers.join_next().await {
        caller.expect("caller panicked");
    }
}
