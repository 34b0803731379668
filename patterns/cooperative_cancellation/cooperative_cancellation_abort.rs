//! Cancellation by abort: JoinHandle::abort drops the job at its `.await`, midway.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use serde::Deserialize;
use serde_json::json;

use crate::suite::{op, sleep_until, trace, Op};

// [pattern]
use std::future::Future;

/// Runs its closure when dropped: when the job ends, or when its task is aborted.
struct OnDrop<F: FnMut()>(F);

impl<F: FnMut()> Drop for OnDrop<F> {
    fn drop(&mut self) {
        (self.0)();
    }
}

/// Awaits the batches in order. Aborting the task that runs this drops it at the `.await` it is
/// suspended on, inside the running batch: that batch is abandoned midway. The guard runs
/// `cleanup` once, however the job ends.
async fn run_batches<T, E, F>(
    batches: impl IntoIterator<Item = F>,
    cleanup: impl FnMut(),
) -> Result<Vec<T>, E>
where
    F: Future<Output = Result<T, E>>,
{
    let _cleanup = OnDrop(cleanup);
    let mut done = Vec::new();
    for batch in batches {
        done.push(batch.await?);
    }
    Ok(done)
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
    let (batches, start_at) = (input.batches, input.start_at);
    let job = tokio::spawn(async move {
        sleep_until(start_at).await;
        run_batches(batches.iter().map(op), || trace("cleanup", json!({}))).await
    });
    let cancelled = Arc::new(AtomicBool::new(false));
    let canceller = input.cancel_at.map(|tick| {
        let (job, cancelled) = (job.abort_handle(), cancelled.clone());
        tokio::spawn(async move {
            sleep_until(tick).await;
            trace("cancel", json!({}));
            cancelled.store(true, Ordering::SeqCst);
            job.abort();
        })
    });
    match job.await {
        Ok(Ok(values)) => trace(
            "result",
            json!({"values": values, "cancelled": cancelled.load(Ordering::SeqCst)}),
        ),
        Ok(Err(failure)) => trace("error", json!({"error": failure.label})),
        Err(joined) if joined.is_cancelled() => trace("error", json!({"error": "cancelled"})),
        Err(joined) => std::panic::resume_unwind(joined.into_panic()),
    }
    if let Some(canceller) = canceller {
        canceller.await.expect("the canceller panicked");
    }
}
