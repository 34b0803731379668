//! Once-only initialisation: tokio's OnceCell::get_or_try_init.

use std::sync::Arc;

use serde::Deserialize;
use serde_json::json;

use crate::suite::{op, sleep_until, trace, Op};

// [pattern]
use std::future::Future;

use tokio::sync::OnceCell;

/// Gets the cell's value, running `init` only if no value is there yet. Callers that arrive
/// while an initialisation runs wait for it; an initialisation that fails stores nothing, so
/// the next caller in line runs `init` again.
async fn get_or_init<T, E, F>(cell: &OnceCell<T>, init: impl FnOnce() -> F) -> Result<&T, E>
where
    F: Future<Output = Result<T, E>>,
{
    cell.get_or_try_init(init).await
}
// [/pattern]

#[derive(Deserialize)]
pub struct Input {
    init: Op,
    callers: Vec<Caller>,
}

#[derive(Deserialize)]
struct Caller {
    id: String,
    at: u64,
}

pub async fn run(input: Input) {
    let cell = Arc::new(OnceCell::new());
    let callers: Vec<_> = input
        .callers
        .into_iter()
        .map(|Caller { id, at }| {
            let (cell, init) = (Arc::clone(&cell), input.init.clone());
            tokio::spawn(async move {
                sleep_until(at).await;
                match get_or_init(&cell, || op(&init)).await {
                    Ok(value) => trace("got", json!({"caller": id, "value": value})),
                    Err(failure) => trace("error", json!({"caller": id, "error": failure.label})),
                }
            })
        })
        .collect();
    for caller in callers {
        caller.await.expect("caller panicked");
    }
}
