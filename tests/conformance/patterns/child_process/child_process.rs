use serde::Deserialize;
use serde_json::json;

use crate::suite::trace;

#[derive(Deserialize)]
pub struct Input {
    seconds: u64,
}

pub async fn run(input: Input) {
    // The Child handle is dropped at once: Rust neither kills nor waits for it.
    std::process::Command::new("sleep")
        .arg(input.seconds.to_string())
        .spawn()
        .expect("cannot start sleep");
    trace("step", json!({"n": 1}));
}
