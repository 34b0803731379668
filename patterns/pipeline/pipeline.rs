//! Pipeline: a task per stage, bounded mpsc channels between them.

use serde::Deserialize;
use serde_json::json;

use crate::suite::{ticks, trace};

// [pattern]
use std::future::Future;

use tokio::sync::mpsc;

/// Sends the items on the returned channel from a task of its own; the channel closes after
/// the last one.
fn source<T: Send + 'static>(items: Vec<T>) -> mpsc::Receiver<T> {
    let (sender, receiver) = mpsc::channel(1);
    tokio::spawn(async move {
        for item in items {
            if sender.send(item).await.is_err() {
                return; // the next stage is gone
            }
        }
    });
    receiver
}

/// Applies `f` to every value from `inbox`, in order, in a task of its own, so it works while
/// the stages around it work too. Its output closes once `inbox` is closed and drained (its
/// sender is dropped with the task): closing the source ends every stage in turn.
fn stage<In, Out, F, Fut>(mut inbox: mpsc::Receiver<In>, f: F) -> mpsc::Receiver<Out>
where
    In: Send + 'static,
    Out: Send + 'static,
    F: Fn(In) -> Fut + Send + 'static,
    Fut: Future<Output = Out> + Send,
{
    let (sender, receiver) = mpsc::channel(1);
    tokio::spawn(async move {
        while let Some(value) = inbox.recv().await {
            if sender.send(f(value).await).await.is_err() {
                return; // the next stage is gone
            }
        }
    });
    receiver
}
// [/pattern]

#[derive(Deserialize)]
pub struct Input {
    items: Vec<i64>,
    /// What each of the three stages takes per item.
    ticks: [u64; 3],
}

/// A stage's work: `n` ticks, then its output traced as `ev`.
async fn work(ev: &'static str, n: u64, output: i64) -> i64 {
    tokio::time::sleep(ticks(n)).await;
    trace(ev, json!({"value": output}));
    output
}

pub async fn run(input: Input) {
    let [a, b, c] = input.ticks;
    let produced = stage(source(input.items), move |x| work("produced", a, x));
    let scaled = stage(produced, move |x| work("scaled", b, x * 10));
    let mut shifted = stage(scaled, move |x| work("shifted", c, x + 1));
    let mut values = Vec::new();
    while let Some(value) = shifted.recv().await {
        values.push(value);
    }
    trace("result", json!({"values": values}));
}
