//! Taking several permits at once, in arrival order, with tokio's Semaphore.

use std::sync::Arc;

use serde::Deserialize;
use serde_json::json;
use tokio::task::JoinSet;

use crate::suite::{sleep_until, ticks, trace};

// [pattern]
use std::future::Future;

use tokio::sync::Semaphore;

/// Waits for `n` permits, runs `fut`, then gives them back. tokio's Semaphore serves waiters in
/// arrival order: a caller asking for fewer permits than are free still waits behind an earlier
/// caller that is waiting for more.
async fn with_permits<F: Future>(semaphore: &Semaphore, n: u32, fut: F) -> F::Output {
    let _permits = semaphore.acquire_many(n).await.expect("never closed");
    fut.await
}

/// Like `with_permits`, but fails at once with `Refused` when it cannot have `n` permits. A
/// waiter queued for more permits than are free already holds the free ones, so `try_acquire_many`
/// finds none: it does not overtake the queue.
async fn try_with_permits<F: Future>(
    semaphore: &Semaphore,
    n: u32,
    fut: F,
) -> Result<F::Output, Refused> {
    let _permits = semaphore.try_acquire_many(n).map_err(|_| Refused)?;
    Ok(fut.await)
}

/// The permits are not free.
#[derive(Debug)]
struct Refused;
// [/pattern]

#[derive(Deserialize)]
pub struct Input {
    capacity: usize,
    callers: Vec<Caller>,
}

/// A caller: at tick `at` it asks for `take` permits (without waiting if `nowait`) and holds
/// them `hold` ticks.
#[derive(Deserialize)]
struct Caller {
    who: String,
    at: u64,
    take: u32,
    hold: u64,
    #[serde(default)]
    nowait: bool,
}

pub async fn run(input: Input) {
    let semaphore = Arc::new(Semaphore::new(input.capacity));
    let mut callers = JoinSet::new();
    for caller in input.callers {
        let semaphore = Arc::clone(&semaphore);
        callers.spawn(async move {
            let who = json!({"who": caller.who});
            let hold = async {
                trace("acquired", who.clone());
                tokio::time::sleep(ticks(caller.hold)).await;
                trace("released", who.clone());
            };
            sleep_until(caller.at).await;
            if !caller.nowait {
                with_permits(&semaphore, caller.take, hold).await;
            } else if let Err(Refused) = try_with_permits(&semaphore, caller.take, hold).await {
                trace("refused", who);
            }
        });
    }
    while let Some(caller) = callers.join_next().await {
        caller.expect("caller panicked");
    }
}
