//! Producer and consumer: a bounded mpsc channel, send waiting or try_send refusing.

use serde::Deserialize;

use crate::suite::{sleep_until, ticks};

// [pattern]
use std::time::Duration;

use serde_json::json;
use tokio::sync::mpsc::{self, error::TrySendError};

use crate::suite::trace;

/// Sends the items, then drops the sender, which closes the channel. With `wait`, `send` waits
/// while the channel is full; without, `try_send` gives `Full` back, and the item is refused.
async fn produce(sender: mpsc::Sender<i64>, items: Vec<i64>, wait: bool) {
    for item in items {
        let sent = if wait {
            sender.send(item).await.is_ok()
        } else {
            match sender.try_send(item) {
                Ok(()) => true,
                Err(TrySendError::Full(_)) => false,
                Err(TrySendError::Closed(_)) => return, // the consumer is gone
            }
        };
        trace(
            if sent { "sent" } else { "refused" },
            json!({"value": item}),
        );
    }
}

/// Takes the items in order, spending `work` on each, until the channel is closed and drained.
async fn consume(mut receiver: mpsc::Receiver<i64>, work: Duration) -> Vec<i64> {
    let mut values = Vec::new();
    while let Some(item) = receiver.recv().await {
        trace("got", json!({"value": item}));
        values.push(item);
        tokio::time::sleep(work).await;
    }
    values
}
// [/pattern]

#[derive(Deserialize)]
pub struct Input {
    capacity: usize,
    items: Vec<i64>,
    wait: bool,
    consumer_start: u64,
    work: u64,
}

pub async fn run(input: Input) {
    // tokio has no unbuffered channel: mpsc::channel(0) panics ("mpsc bounded channel requires
    // buffer > 0"), so a capacity of 0 is refused before it is asked for.
    if input.capacity == 0 {
        trace("error", json!({"error": "capacity refused"}));
        return;
    }
    let (sender, receiver) = mpsc::channel(input.capacity);
    tokio::spawn(produce(sender, input.items, input.wait));
    sleep_until(input.consumer_start).await;
    let values = consume(receiver, ticks(input.work)).await;
    trace("result", json!({"values": values}));
}
