//! Bridging: a runtime of its own in a thread, its result over a oneshot channel.

use serde::Deserialize;
use serde_json::json;

use crate::suite::{op, trace, Op};

// [pattern]
use std::future::Future;

use tokio::sync::oneshot;

/// Runs `work` to completion on a runtime of its own, in a thread of its own, and hands the
/// result back over a oneshot channel: the async caller awaits the receiver and its own runtime
/// stays free. Once `block_on` returns, dropping the runtime drops whatever it still ran.
fn bridge<T, F>(work: F) -> oneshot::Receiver<T>
where
    F: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let (result, received) = oneshot::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("a runtime");
        // The receiver may be gone: then nobody is waiting for the result.
        let _ = result.send(runtime.block_on(work));
    });
    received
}
// [/pattern]

#[derive(Deserialize)]
pub struct Input {
    left: Op,
    right: Op,
    beside: Op,
}

pub async fn run(input: Input) {
    let (left, right) = (input.left, input.right);
    // try_join! polls both, and at the first error drops the other and returns that error.
    let combined = bridge(async move {
        tokio::try_join!(op(&left), op(&right)).map(|(left, right)| left + right)
    });
    let (bridged, _) = tokio::join!(combined, op(&input.beside));
    match bridged.expect("the bridge thread panicked") {
        Ok(value) => trace("result", json!({"value": value})),
        Err(failure) => trace("error", json!({"error": failure.label})),
    }
}
