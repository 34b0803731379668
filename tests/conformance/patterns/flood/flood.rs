use serde_json::{json, Value};

use crate::suite::trace;

pub async fn run(input: Value) {
    for i in 0..input["lines"].as_u64().expect("lines: a count") {
        println!("conformance flood line {i}");
    }
    trace("step", json!({"n": 1}));
}
