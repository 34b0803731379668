//! Lost update vs mutex: tokio's Mutex, held across the round trip.

use std::sync::Arc;

use serde::Deserialize;
use serde_json::json;

use crate::suite::{ticks, trace};

// [pattern]
use std::time::Duration;

use tokio::sync::Mutex;

/// A counter whose increment awaits between its read and its write (a round trip).
/// tokio's Mutex may be held across an `.await`: no other increment can read until this
/// one has written (the guard is released when it goes out of scope).
#[derive(Default)]
struct Counter {
    value: Mutex<u64>,
}

impl Counter {
    /// `on_step` sees the value read (`"read"`) and the value written (`"write"`).
    async fn increment(&self, round_trip: Duration, on_step: impl Fn(&str, u64)) {
        let mut value = self.value.lock().await;
        let seen = *value;
        on_step("read", seen);
        tokio::time::sleep(round_trip).await;
        *value = seen + 1;
        on_step("write", *value);
    }
}
// [/pattern]

#[derive(Deserialize)]
pub struct Input {
    workers: u64,
    hold: u64,
}

pub async fn run(input: Input) {
    let hold = ticks(input.hold);
    let counter = Arc::new(Counter::default());
    let on_step = |ev: &str, value: u64| trace(ev, json!({"value": value}));
    let handles: Vec<_> = (0..input.workers)
        .map(|_| {
            let counter = Arc::clone(&counter);
            tokio::spawn(async move { counter.increment(hold, on_step).await })
        })
        .collect();
    for handle in handles {
        handle.await.expect("increment panicked");
    }
    trace("result", json!({"count": *counter.value.lock().await}));
}
