//! Fan-in: a forwarding task per source into one mpsc channel.

use serde::Deserialize;
use serde_json::json;

use crate::suite::{sleep_until, trace};

// [pattern]
use tokio::sync::mpsc;

/// Forwards the values of every source to one channel as they arrive. The merged channel ends
/// (`recv` gives `None`) once every source has ended: each forwarding task holds a sender, and
/// the last one dropped closes it.
fn merge<T: Send + 'static>(sources: Vec<mpsc::Receiver<T>>) -> mpsc::Receiver<T> {
    let (sender, merged) = mpsc::channel(1);
    for mut source in sources {
        let sender = sender.clone();
        tokio::spawn(async move {
            while let Some(value) = source.recv().await {
                if sender.send(value).await.is_err() {
                    break; // the consumer is gone
                }
            }
        });
    }
    merged // our own `sender` is dropped here, leaving only the tasks' clones
}
// [/pattern]

#[derive(Deserialize)]
pub struct Input {
    producers: Vec<Producer>,
}

/// A producer: sends its values every `every` ticks, then ends (drops its sender).
#[derive(Deserialize)]
struct Producer {
    id: String,
    every: u64,
    values: Vec<i64>,
}

fn producer(Producer { id, every, values }: Producer) -> mpsc::Receiver<i64> {
    let (sender, receiver) = mpsc::channel(1);
    tokio::spawn(async move {
        for (k, value) in (1..).zip(values) {
            sleep_until(k * every).await;
            if sender.send(value).await.is_err() {
                return;
            }
        }
        trace("ended", json!({"producer": id}));
    });
    receiver
}

pub async fn run(input: Input) {
    let mut merged = merge(input.producers.into_iter().map(producer).collect());
    let mut values = Vec::new();
    while let Some(value) = merged.recv().await {
        trace("received", json!({"value": value}));
        values.push(value);
    }
    trace("end", json!({"values": values}));
}
