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

use serde_json::{json, Value};

use crate::suite::{ticks, trace};

pub async fn run(input: Value) {
    let workers = input["workers"].as_u64().unwrap();
    let hold = ticks(input["hold"].as_u64().unwrap());
    let counter = Arc::new(Counter::default());
    let handles: Vec<_> = (0..workers)
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
