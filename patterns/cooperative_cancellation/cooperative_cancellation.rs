//! Cooperative cancellation: a watch channel checked between batches.

use serde::Deserialize;
use serde_json::json;

use crate::suite::{op, sleep_until, trace, Op};

// [pattern]
use std::future::Future;

use tokio::sync::watch;

/// Awaits the batches in order, checking `cancel` before each one. A batch that has started runs
/// to its end, so no work is left half done: the job stops at the next boundary after the cancel.
/// `cleanup` runs once when the loop has ended, by a cancel, a failed batch (`?`) or the last one.
async fn run_batches<T, E, F>(
    batches: impl IntoIterator<Item = F>,
    cancel: &watch::Receiver<bool>,
    cleanup: impl FnOnce(),
) -> Result<Vec<T>, E>
where
    F: Future<Output = Result<T, E>>,
{
    let outcome = async {
        let mut done = Vec::new();
        for batch in batches {
            if *cancel.borrow() {
                break;
            }
            done.push(batch.await?);
        }
        Ok(done)
    }
    .await;
    cleanup();
    outcome
}
// [/pattern]

#[derive(Deserialize)]
pub struct Input {
    batches: Vec<Op>,
    cancel_at: Option<u64>,
    #[serde(default)]
    start_at: u64,
}

pub async fn run(input: Input) {
    let (cancel, cancelled) = watch::channel(false);
    let canceller = input.cancel_at.map(|tick| {
        tokio::spawn(async move {
            sleep_until(tick).await;
            trace("cancel", json!({}));
            cancel.send_replace(true);
        })
    });
    sleep_until(input.start_at).await;
    let cleanup = || trace("cleanup", json!({}));
    match run_batches(input.batches.iter().map(op), &cancelled, cleanup).await {
        Ok(values) => trace(
            "result",
            json!({"values": values, "cancelled": *cancelled.borrow()}),
        ),
        Err(failure) => trace("error", json!({"error": failure.label})),
    }
    if let Some(canceller) = canceller {
        canceller.await.expect("the canceller panicked");
    }
}
