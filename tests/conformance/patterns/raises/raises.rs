use serde_json::{json, Value};

use crate::suite::trace;

pub async fn run(_input: Value) {
    trace("step", json!({"n": 1}));
    panic!("conformance boom");
}
