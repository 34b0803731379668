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

use serde_json::{json, Value};

use crate::suite::{sleep_until, trace};

/// A producer: sends its values every `every` ticks, then ends (drops its sender).
fn producer(spec: &Value) -> mpsc::Receiver<i64> {
    let id = spec["id"].as_str().unwrap().to_owned();
    let every = spec["every"].as_u64().unwrap();
    let values: Vec<i64> = spec["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_i64().unwrap())
        .collect();
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

pub async fn run(input: Value) {
    let sources = input["producers"].as_array().unwrap().iter().map(producer);
    let mut merged = merge(sources.collect());
    let mut values = Vec::new();
    while let Some(value) = merged.recv().await {
        trace("received", json!({"value": value}));
        values.push(value);
    }
    trace("end", json!({"values": values}));
}
