use serde::Deserialize;
use serde_json::json;

use crate::suite::{ticks, trace};

#[derive(Deserialize)]
pub struct Input {
    mode: Mode,
}

/// What the scenario leaves behind: a task that traces after the window, one that never ends,
/// or nothing.
#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
enum Mode {
    Trace,
    Forever,
    None,
}

pub async fn run(input: Input) {
    trace("step", json!({"n": 1}));
    match input.mode {
        Mode::Trace => {
            let delay = ticks(3) / 2;
            tokio::spawn(async move {
                tokio::time::sleep(delay).await;
                trace("step", json!({"n": 2}));
            });
        }
        Mode::Forever => {
            tokio::spawn(std::future::pending::<()>());
        }
        Mode::None => {}
    }
}
