//! Worker pool: worker tasks sharing one bounded mpsc receiver behind a Mutex.

use serde::Deserialize;
use serde_json::json;

use crate::suite::{max_in_flight, op, trace, Op};

// [pattern]
use std::future::Future;
use std::sync::Arc;

use tokio::sync::{mpsc, Mutex};
use tokio::task::JoinSet;

/// Runs the jobs on `workers` tasks that take them from one bounded channel, and returns the
/// outputs in job order. The receiver is shared behind a mutex: whichever worker holds it takes
/// the next job, so each job goes to exactly one worker.
async fn worker_pool<F>(workers: usize, jobs: Vec<F>) -> Vec<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let count = jobs.len();
    let (sender, receiver) = mpsc::channel::<(usize, F)>(workers);
    let receiver = Arc::new(Mutex::new(receiver));
    let mut pool = JoinSet::new();
    for _ in 0..workers {
        let receiver = receiver.clone();
        pool.spawn(async move {
            let mut done = Vec::new();
            loop {
                // The guard is a temporary of this statement: the lock is released before
                // the job runs, so another worker can take the next one meanwhile.
                let next = receiver.lock().await.recv().await;
                let Some((index, job)) = next else {
                    return done; // the channel is closed and drained
                };
                done.push((index, job.await));
            }
        });
    }
    for job in jobs.into_iter().enumerate() {
        sender.send(job).await.expect("workers gone");
    }
    drop(sender); // closing the channel ends the workers' loops

    let mut outputs: Vec<Option<F::Output>> = (0..count).map(|_| None).collect();
    while let Some(done) = pool.join_next().await {
        for (index, output) in done.expect("worker panicked") {
            outputs[index] = Some(output);
        }
    }
    outputs.into_iter().map(|o| o.expect("job lost")).collect()
}
// [/pattern]

#[derive(Deserialize)]
pub struct Input {
    workers: usize,
    jobs: Vec<Op>,
}

pub async fn run(input: Input) {
    let jobs = input.jobs.iter().map(op).collect();
    let outcomes: Result<Vec<i64>, _> =
        worker_pool(input.workers, jobs).await.into_iter().collect();
    match outcomes {
        Ok(values) => trace(
            "result",
            json!({"values": values, "max_in_flight": max_in_flight()}),
        ),
        Err(failure) => trace("error", json!({"error": failure.label})),
    }
}
