use serde::Deserialize;
use serde_json::json;

use crate::suite::trace;

#[derive(Deserialize)]
pub struct Input {
    code: i32,
}

pub async fn run(input: Input) {
    trace("step", json!({"n": 1}));
    std::process::exit(input.code);
}
