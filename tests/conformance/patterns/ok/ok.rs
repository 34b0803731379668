use serde_json::{json, Value};

use crate::suite::{sleep_until, trace};

pub async fn run(_input: Value) {
    trace("step", json!({"n": 1}));
    sleep_until(1).await;
    trace("step", json!({"n": 2}));
}
