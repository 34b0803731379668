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

use serde_json::{json, Value};

use crate::suite::{op, sleep_until, ticks, trace, Op};

pub async fn run(input: Value) {
    let spec = Op::parse(&input["op"]);
    let cleanup = ticks(input["cleanup"].as_u64().unwrap());
    let start_at = input["start_at"].as_u64().unwrap_or(0);
    let ignores_cancel = input["ignores_cancel"].as_bool().unwrap_or(false);
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
    sleep_until(input["cancel_at"].as_u64().unwrap()).await;
    trace("cancel", json!({}));
    let_go(task);
}
