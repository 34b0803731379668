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

use serde_json::{json, Value};

use crate::suite::{sleep_until, trace};

pub async fn run(input: Value) {
    let limit = input["limit"].as_u64().unwrap() as usize;
    let mut limiter = SlidingWindow::new(limit, input["window"].as_u64().unwrap());
    for call in input["calls"].as_array().expect("calls") {
        let at = call["at"].as_u64().unwrap();
        sleep_until(at).await;
        let ev = if limiter.try_acquire(at) {
            "allow"
        } else {
            "deny"
        };
        trace(ev, json!({"call": call["id"]}));
    }
}
