use serde::Deserialize;
use serde_json::json;

use crate::suite::trace;

#[derive(Deserialize)]
pub struct Input {
    fail: bool,
}

pub async fn run(input: Input) {
    trace("step", json!({"n": 1}));
    if input.fail {
        let _ = tokio::spawn(async { panic!("conformance unobserved") }).await;
    }
}
