use serde_json::{json, Value};

use crate::suite::trace;

pub async fn run(_input: Value) {
    println!("conformance stray");
    trace("step", json!({"n": 1}));
}
