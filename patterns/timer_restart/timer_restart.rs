//! Restarting a timer: `Sleep::reset` on a pinned tokio sleep, then awaiting it again.

use serde::Deserialize;
use serde_json::json;

use crate::suite::{op, ticks, trace, Op};

// [pattern]
use std::pin::Pin;
use std::time::Duration;

use tokio::time::{Instant, Sleep};

/// Makes `sleep` complete `delay` from now and waits until it does, whether or not its deadline
/// has passed already: `reset` moves the deadline and registers the sleep with the timer again.
/// tokio registers a sleep only when it is first polled (or reset), so one whose deadline passed
/// while nobody polled it has not fired at all (`is_elapsed()` is false): there is no expiry to
/// discard, and one that did fire is reset just the same.
async fn restart_and_wait(mut sleep: Pin<&mut Sleep>, delay: Duration) {
    sleep.as_mut().reset(Instant::now() + delay);
    sleep.await;
}
// [/pattern]

#[derive(Deserialize)]
pub struct Input {
    timer: u64,
    busy: Op,
    restart: u64,
}

/// The sleep of `timer` ticks passes its deadline while the operation runs (nobody polls it); then
/// it is restarted for `restart` ticks and awaited.
pub async fn run(input: Input) {
    let sleep = tokio::time::sleep(ticks(input.timer));
    tokio::pin!(sleep);
    let _ = op(&input.busy).await;
    trace("restart", json!({}));
    restart_and_wait(sleep.as_mut(), ticks(input.restart)).await;
    trace("fired", json!({}));
}
