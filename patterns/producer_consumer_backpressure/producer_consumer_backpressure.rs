//! Producer and consumer: a bounded mpsc channel, send waiting or try_send refusing.

use serde::Deserialize;
use serde_json::json;

use crate::suite::{sleep_until, ticks, trace};

// [pattern]
use std::time::Duration;

use tokio::sync::mpsc::{self, error::TrySendError};

/// Sends the items, then drops the sender, which closes the channel. With `wait`, `send` waits
/// while the channel is full; without, `try_send` gives `Full` back, and the item is refused.
/// `on_step` sees each item as `"sent"` or `"refused"`.
async fn produce(
    sender: mpsc::Sender<i64>,
    items: Vec<i64>,
    wait: bool,
    on_step: impl Fn(&str, i64),
) {
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
        on_step(if sent { "sent" } else { "refused" }, item);
    }
}

/// Takes the items in order, spending `work` on each, until the channel is closed and drained;
/// `on_step` sees each item as it is taken (`"got"`).
async fn consume(
    mut receiver: mpsc::Receiver<i64>,
    work: Duration,
    on_step: impl Fn(&str, i64),
) -> Vec<i64> {
    let mut values = Vec::new();
    while let Some(item) = receiver.recv().await {
        on_step("got", item);
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
    // tokio has no unbuffered channel: mpsc::channel(0) panics. The panic is caught here, around
    // the constructor alone, and its message is the error the caller sees.
    let (sender, receiver) = match std::panic::catch_unwind(|| mpsc::channel(input.capacity)) {
        Ok(channel) => channel,
        Err(panic) => {
            let message = (panic.downcast_ref::<&str>().copied())
                .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
                .unwrap_or("a panic with no message");
            trace("error", json!({"error": message}));
            return;
        }
    };
    let on_step = |ev: &str, value: i64| trace(ev, json!({"value": value}));
    tokio::spawn(produce(sender, input.items, input.wait, on_step));
    sleep_until(input.consumer_start).await;
    let values = consume(receiver, ticks(input.work), on_step).await;
    trace("result", json!({"values": values}));
}
