//! Dropping a JoinHandle does not cancel its task: it is detached and runs on.

use serde::Deserialize;
use serde_json::json;

use crate::suite::{op, sleep_until, ticks, trace, Op};

// [pattern]
use tokio::task::JoinHandle;

/// Runs its closure when dropped: when the task's body ends, or when the task is cancelled.
struct OnDrop<F: FnMut()>(F);

impl<F: FnMut()> Drop for OnDrop<F> {
    fn drop(&mut self) {
        (self.0)();
    }
}

/// Lets go of the task. Dropping a `JoinHandle` does not cancel anything: the task is detached
/// and runs on to its end, and nobody can observe its outcome any more.
fn let_go<T>(task: JoinHandle<T>) {
    drop(task);
}
// [/pattern]

#[derive(Deserialize)]
pub struct Input {
    op: Op,
    cleanup: u64,
    cancel_at: u64,
    #[serde(default)]
    start_at: u64,
    #[serde(default)]
    ignores_cancel: bool,
}

pub async fn run(input: Input) {
    let Input {
        op: spec,
        cleanup,
        cancel_at,
        start_at,
        ignores_cancel,
    } = input;
    let cleanup = ticks(cleanup);
    let task = tokio::spawn(async move {
        sleep_until(start_at).await;
        let _cleanup = OnDrop(move || {
            trace("cleanup", json!({}));
            tokio::spawn(async move {
                tokio::time::sleep(cleanup).await;
                trace("cleaned", json!({}));
            });
        });
        if ignores_cancel {
            // Work in a task of its own: dropping this task detaches it instead of dropping it.
            tokio::spawn(op(&spec)).await.expect("the work panicked")
        } else {
            op(&spec).await
        }
    });
    sleep_until(cancel_at).await;
    trace("cancel", json!({}));
    let_go(task);
}
