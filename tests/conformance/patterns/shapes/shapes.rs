use serde_json::{json, Value};

use crate::suite::{shape, trace, Failure};

#[derive(Debug)]
enum Wrapped {
    Op(Failure),
}

pub async fn run(_input: Value) {
    let failure = Failure {
        label: "boom".into(),
    };
    trace("error", json!({"error": "bare", "shape": shape(&failure)}));
    let wrapped = Wrapped::Op(failure.clone());
    trace(
        "error",
        json!({"error": "wrapped", "shape": shape(&wrapped)}),
    );
    let bang = Failure {
        label: "bang".into(),
    };
    let several = vec![failure, bang];
    trace(
        "error",
        json!({"error": "several", "shape": shape(&several)}),
    );
    let task = tokio::spawn(std::future::pending::<()>());
    task.abort();
    if let Err(cancelled) = task.await {
        trace(
            "error",
            json!({"error": "cancelled", "shape": shape(&cancelled)}),
        );
    }
}
