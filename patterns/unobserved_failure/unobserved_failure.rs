//! A spawned task that panics and whose JoinHandle is dropped: tokio catches the panic, the runtime goes on.

use serde::Deserialize;
use serde_json::json;

use crate::suite::{op, trace, Op};

// [pattern]
use std::future::Future;

/// Spawns `background` and goes on with `main` without keeping the JoinHandle: dropping it
/// detaches the task. tokio catches a panic at the task's boundary (the panic hook has printed
/// it on stderr by then) and keeps it for the handle, which nobody has: the runtime, and `main`,
/// go on.
async fn with_background<T>(
    background: impl Future<Output = ()> + Send + 'static,
    main: impl Future<Output = T>,
) -> T {
    drop(tokio::spawn(background));
    main.await
}
// [/pattern]

#[derive(Deserialize)]
pub struct Input {
    background: Op,
    main: Op,
}

/// The background work panics when its operation fails, as code that meets an error it cannot
/// handle does.
pub async fn run(input: Input) {
    let background = op(&input.background);
    let background = async move {
        if let Err(failure) = background.await {
            panic!("{failure}");
        }
    };
    match with_background(background, op(&input.main)).await {
        Ok(value) => trace("result", json!({"value": value})),
        Err(failure) => trace("error", json!({"error": failure.label})),
    }
}
