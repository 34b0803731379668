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

use serde_json::Value;

use crate::suite::{sleep_until, ticks};

pub async fn run(input: Value) {
    let capacity = input["capacity"].as_u64().unwrap() as usize;
    let items: Vec<i64> = serde_json::from_value(input["items"].clone()).unwrap();
    // tokio has no unbuffered channel: mpsc::channel(0) panics ("mpsc bounded channel requires
    // buffer > 0"), so a capacity of 0 is refused before it is asked for.
    if capacity == 0 {
        trace("error", json!({"error": "capacity refused"}));
        return;
    }
    let (sender, receiver) = mpsc::channel(capacity);
    tokio::spawn(produce(sender, items, input["wait"].as_bool().unwrap()));
    sleep_until(input["consumer_start"].as_u64().unwrap()).await;
    let values = consume(receiver, ticks(input["work"].as_u64().unwrap())).await;
    trace("result", json!({"values": values}));
}
