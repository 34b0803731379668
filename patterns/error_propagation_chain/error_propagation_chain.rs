//! Error propagation: `?` through dependent steps, and a Drop guard for the cleanup.

use serde::Deserialize;
use serde_json::json;

use crate::suite::{op, shape, trace, Op};

// [pattern]
use std::future::Future;

/// Runs `cleanup` when dropped: at the end of the scope, on every way out (a value, an early
/// return through `?`, or the chain's future being dropped by a cancellation).
struct Cleanup<F: FnMut()>(F);

impl<F: FnMut()> Drop for Cleanup<F> {
    fn drop(&mut self) {
        (self.0)();
    }
}

/// Awaits each step in turn and returns their values. `?` returns the first error at once, so no
/// later step's future is even created; the guard's cleanup runs before the caller sees the error.
async fn run_chain<T, E, F>(
    steps: impl IntoIterator<Item = F>,
    cleanup: impl FnMut(),
) -> Result<Vec<T>, E>
where
    F: Future<Output = Result<T, E>>,
{
    let _cleanup = Cleanup(cleanup); // named, so it lives to the end of the function
    let mut values = Vec::new();
    for step in steps {
        values.push(step.await?);
    }
    Ok(values)
}
// [/pattern]

#[derive(Deserialize)]
pub struct Input {
    steps: Vec<Op>,
}

pub async fn run(input: Input) {
    // `map` is lazy: a step's future is made only when the loop reaches it.
    match run_chain(input.steps.iter().map(op), || trace("cleanup", json!({}))).await {
        Ok(values) => trace("result", json!({"values": values})),
        // The one handler, whichever step failed.
        Err(failure) => trace(
            "error",
            json!({"error": failure.label, "shape": shape(&failure)}),
        ),
    }
}
