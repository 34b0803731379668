//! Lost update vs mutex: tokio's Mutex, held across the round trip.

use serde::Deserialize;
use serde_json::json;

use crate::suite::{ticks, trace};

// [pattern]
use std::sync::Arc;
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
    async fn increment(&self, round_trip: Duration) {
        let mut value = self.value.lock().await;
        let seen = *value;
        trace("read", json!({"value": seen}));
        tokio::time::sleep(round_trip).await;
        *value = seen + 1;
        trace("write", json!({"value": *value}));
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
    let handles: Vec<_> = (0..input.workers)
        .map(|_| {
            let counter = Arc::clone(&counter);
            tokio::spawn(async move { counter.increment(hold).await })
        })
        .collect();
    for handle in handles {
        handle.await.expect("increment panicked");
    }
    trace("result", json!({"count": *counter.value.lock().await}));
}
