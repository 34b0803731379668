//! Offloading blocking work: a thread of its own, its result over a oneshot channel.

use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::json;

use crate::suite::{ticks, trace};

// [pattern]
use tokio::sync::oneshot;

/// Runs CPU-bound work on a dedicated OS thread and awaits its result through a oneshot
/// channel: the runtime's workers, and the futures joined with this one, go on meanwhile.
/// spawn_blocking's pool is sized for blocking I/O (its thread limit is very large); a thread
/// of its own suits one long computation, a pool such as rayon many of them.
async fn offload<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    let (sender, receiver) = oneshot::channel();
    std::thread::spawn(move || {
        let _ = sender.send(work()); // the receiver is gone only if the caller gave up
    });
    receiver.await.expect("the work's thread panicked")
}
// [/pattern]

#[derive(Deserialize)]
pub struct Input {
    beats: u64,
    work: u64,
    offload: bool,
}

/// CPU-bound work: spins until the clock reaches `deadline`.
fn busy_until(deadline: Instant) {
    while Instant::now() < deadline {
        std::hint::spin_loop();
    }
}

async fn heartbeat(beats: u64, tick: Duration) {
    // interval's missed ticks fire at once when it is polled late (MissedTickBehavior::Burst).
    let mut interval = tokio::time::interval_at(tokio::time::Instant::now() + tick, tick);
    for n in 1..=beats {
        interval.tick().await;
        trace("beat", json!({"n": n}));
    }
}

async fn work(n: u64, offloaded: bool) {
    let deadline = Instant::now() + ticks(n);
    if offloaded {
        offload(move || busy_until(deadline)).await;
    } else {
        busy_until(deadline); // inline: join! below polls nothing else until it returns
    }
    trace("work_done", json!({}));
}

pub async fn run(input: Input) {
    tokio::join!(
        heartbeat(input.beats, ticks(1)),
        work(input.work, input.offload)
    );
}
