use serde::Deserialize;
use serde_json::json;

use crate::suite::trace;

#[derive(Deserialize)]
pub struct Input {
    lines: u64,
}

pub async fn run(input: Input) {
    for i in 0..input.lines {
        println!("conformance flood line {i}");
    }
    trace("step", json!({"n": 1}));
}
