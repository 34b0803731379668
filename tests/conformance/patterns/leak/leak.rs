use serde_json::{json, Value};

use crate::suite::{ticks, trace};

pub async fn run(input: Value) {
    trace("step", json!({"n": 1}));
    match input["mode"].as_str() {
        Some("trace") => {
            let delay = ticks(3) / 2;
            tokio::spawn(async move {
                tokio::time::sleep(delay).await;
                trace("step", json!({"n": 2}));
            });
        }
        Some("forever") => {
            tokio::spawn(std::future::pending::<()>());
        }
        _ => {}
    }
}
