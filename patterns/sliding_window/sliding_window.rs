//! Sliding-window rate limit: a VecDeque of the allowed calls' times.

use serde::Deserialize;
use serde_json::json;

use crate::suite::{sleep_until, trace};

// [pattern]
use std::collections::VecDeque;

/// At most `limit` calls in any `window` (in the unit of the times given to `try_acquire`).
struct SlidingWindow {
    limit: usize,
    window: u64,
    /// Times of the allowed calls, oldest first.
    allowed: VecDeque<u64>,
}

impl SlidingWindow {
    fn new(limit: usize, window: u64) -> Self {
        SlidingWindow {
            limit,
            window,
            allowed: VecDeque::new(),
        }
    }

    fn try_acquire(&mut self, now: u64) -> bool {
        // The window is (now - window, now]: a call exactly `window` ago has left it.
        while self
            .allowed
            .front()
            .is_some_and(|&t| t + self.window <= now)
        {
            self.allowed.pop_front();
        }
        if self.allowed.len() >= self.limit {
            return false; // denied calls are not logged
        }
        self.allowed.push_back(now);
        true
    }
}
// [/pattern]

#[derive(Deserialize)]
pub struct Input {
    limit: usize,
    window: u64,
    calls: Vec<Call>,
}

#[derive(Deserialize)]
struct Call {
    id: String,
    at: u64,
}

pub async fn run(input: Input) {
    let mut limiter = SlidingWindow::new(input.limit, input.window);
    for call in input.calls {
        sleep_until(call.at).await;
        let ev = if limiter.try_acquire(call.at) {
            "allow"
        } else {
            "deny"
        };
        trace(ev, json!({"call": call.id}));
    }
}
