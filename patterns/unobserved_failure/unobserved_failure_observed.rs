//! A spawned task that panics, awaited by a watcher task: JoinError::is_panic reports it.

use serde::Deserialize;
use serde_json::json;

use crate::suite::{op, trace, Op};

// [pattern]
use std::any::Any;
use std::future::Future;

/// Spawns `background` and goes on with `main`; a second task awaits its JoinHandle, and a panic
/// comes back there as a `JoinError` whose `is_panic()` is true: its payload goes to `on_panic`.
/// tokio caught the panic at the task's boundary, and the panic hook printed it on stderr all
/// the same: awaiting the handle observes the failure, it does not silence the hook.
async fn with_background<T>(
    background: impl Future<Output = ()> + Send + 'static,
    on_panic: impl FnOnce(Box<dyn Any + Send>) + Send + 'static,
    main: impl Future<Output = T>,
) -> T {
    let task = tokio::spawn(background);
    tokio::spawn(async move {
        if let Err(error) = task.await {
            if error.is_panic() {
                on_panic(error.into_panic());
            }
        }
    });
    main.await
}
// [/pattern]

#[derive(Deserialize)]
pub struct Input {
    background: Op,
    main: Op,
}

/// The background work panics when its operation fails, as code that meets an error it cannot
/// handle does; the payload is the failure's label.
pub async fn run(input: Input) {
    let background = op(&input.background);
    let background = async move {
        if let Err(failure) = background.await {
            panic!("{failure}");
        }
    };
    let on_panic = |payload: Box<dyn std::any::Any + Send>| {
        let label = payload
            .downcast::<String>()
            .map_or_else(|_| "?".into(), |label| *label);
        trace("error", json!({"error": label}));
    };
    match with_background(background, on_panic, op(&input.main)).await {
        Ok(value) => trace("result", json!({"value": value})),
        Err(failure) => trace("error", json!({"error": failure.label})),
    }
}
