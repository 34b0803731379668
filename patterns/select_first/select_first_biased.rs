//! Select with `biased;`: tokio::select! polls its branches in order, so of several ready at once the first wins.

use std::collections::BTreeSet;

use serde::Deserialize;
use serde_json::json;

use crate::suite::{sleep_until, ticks, trace};

// [pattern]
use std::future::Future;

/// The branch a select took, with what its future gave.
pub enum Taken<T> {
    A(T),
    B(T),
    Else,
}

/// Waits on both futures and returns the output of the first to complete, whatever it is (an
/// `Err` wins like an `Ok`); the other future is dropped. A branch whose precondition (`a_on`,
/// `b_on`) is false is disabled: its future is never polled. `biased;` polls the branches in
/// the order written, so when both are ready the first wins (without it, one at random). With
/// every branch disabled and no `else` branch, select! panics.
async fn first<T>(
    a: impl Future<Output = T>,
    a_on: bool,
    b: impl Future<Output = T>,
    b_on: bool,
) -> Taken<T> {
    tokio::select! {
        biased;
        out = a, if a_on => Taken::A(out),
        out = b, if b_on => Taken::B(out),
    }
}

/// The same with an `else` branch, which runs when every branch is disabled: never merely
/// because no future is ready yet.
async fn first_or_else<T>(
    a: impl Future<Output = T>,
    a_on: bool,
    b: impl Future<Output = T>,
    b_on: bool,
) -> Taken<T> {
    tokio::select! {
        biased;
        out = a, if a_on => Taken::A(out),
        out = b, if b_on => Taken::B(out),
        else => Taken::Else,
    }
}
// [/pattern]

#[derive(Deserialize, Clone)]
struct Source {
    at: u64,
    value: Option<i64>,
    error: Option<String>,
    #[serde(default)]
    disabled: bool,
}

#[derive(Deserialize)]
pub struct Input {
    a: Source,
    b: Source,
    fallback: Option<i64>,
    rounds: Option<u32>,
    deadline: Option<u64>,
}

/// A source: ready at its tick (at once for tick 0) with its value or error.
fn deliver(source: &Source) -> impl Future<Output = Result<i64, String>> + Send + 'static {
    let at = source.at;
    let outcome = match &source.error {
        Some(label) => Err(label.clone()),
        None => Ok(source.value.unwrap_or_default()),
    };
    async move {
        if at > 0 {
            sleep_until(at).await;
        }
        outcome
    }
}

async fn select(input: &Input) -> Taken<Result<i64, String>> {
    let (a, b) = (deliver(&input.a), deliver(&input.b));
    match input.fallback {
        Some(_) => first_or_else(a, !input.a.disabled, b, !input.b.disabled).await,
        None => first(a, !input.a.disabled, b, !input.b.disabled).await,
    }
}

pub async fn run(input: Input) {
    if let Some(rounds) = input.rounds {
        // The same select again and again: which branches ever won.
        let mut winners = BTreeSet::new();
        for _ in 0..rounds {
            winners.insert(match select(&input).await {
                Taken::A(_) => "a",
                Taken::B(_) => "b",
                Taken::Else => "else",
            });
        }
        trace("result", json!({"winners": winners}));
        return;
    }
    let fallback = input.fallback;
    let deadline = input.deadline;
    // Its own task, so that a panic of select! comes back here as a JoinError to trace.
    let task = tokio::spawn(async move { select(&input).await });
    let joined = match deadline {
        Some(deadline) => match tokio::time::timeout(ticks(deadline), task).await {
            Ok(joined) => joined,
            Err(_) => return trace("error", json!({"error": "timeout"})),
        },
        None => task.await,
    };
    match joined {
        Ok(Taken::A(out)) => outcome("a", out),
        Ok(Taken::B(out)) => outcome("b", out),
        Ok(Taken::Else) => trace("fallback", json!({"value": fallback})),
        Err(failure) => {
            let panic = failure.into_panic();
            let message = panic
                .downcast_ref::<&str>()
                .map(|m| m.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            trace("panic", json!({"message": message}));
        }
    }
}

fn outcome(source: &str, out: Result<i64, String>) {
    match out {
        Ok(value) => trace("result", json!({"source": source, "value": value})),
        Err(label) => trace("error", json!({"source": source, "error": label})),
    }
}
