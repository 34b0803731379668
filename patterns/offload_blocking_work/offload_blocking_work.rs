//! Offloading blocking work: tokio's spawn_blocking pool.

use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::json;

use crate::suite::{ticks, trace};

// [pattern]
/// Runs blocking (CPU-bound or I/O) work on tokio's blocking thread pool and awaits its
/// result: the async tasks, and the futures joined with this one, go on meanwhile. Run inline
/// instead, the work would hold the task, and every future it polls, until it returns.
async fn offload<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(work)
        .await
        .expect("blocking work panicked")
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
