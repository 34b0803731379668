//! What a scenario left running, as the runner sees it: tokio tasks still alive and live child
//! processes, compared with a snapshot taken before the scenario.

use std::collections::HashSet;
use std::time::Duration;

/// How often `settle` looks again while work still runs.
const SETTLE_POLL: Duration = Duration::from_millis(5);

/// What was alive before a scenario; `pending` names what there is more of since.
pub struct Snapshot {
    tasks: usize,
    children: HashSet<u32>,
}

fn alive_tasks() -> usize {
    tokio::runtime::Handle::current()
        .metrics()
        .num_alive_tasks()
}

impl Snapshot {
    /// Takes the snapshot; called on the runtime.
    pub fn take() -> Self {
        Snapshot {
            tasks: alive_tasks(),
            children: children(),
        }
    }

    /// Waits until nothing is left running, or `longest` at most; returns what still runs then.
    pub async fn settle(&self, longest: Duration) -> Vec<String> {
        let deadline = tokio::time::Instant::now() + longest;
        loop {
            let pending = self.pending();
            let now = tokio::time::Instant::now();
            if pending.is_empty() || now >= deadline {
                return pending;
            }
            tokio::time::sleep((deadline - now).min(SETTLE_POLL)).await;
        }
    }

    /// `["1 tokio task", "2 child processes"]`, or empty when nothing was left.
    pub fn pending(&self) -> Vec<String> {
        let mut found = Vec::new();
        match alive_tasks().saturating_sub(self.tasks) {
            0 => {}
            1 => found.push("1 tokio task".to_string()),
            n => found.push(format!("{n} tokio tasks")),
        }
        match children().difference(&self.children).count() {
            0 => {}
            1 => found.push("1 child process".to_string()),
            n => found.push(format!("{n} child processes")),
        }
        found
    }
}

/// The runner's live child processes (Linux /proc; none are seen elsewhere).
fn children() -> HashSet<u32> {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return HashSet::new();
    };
    tasks
        .flatten()
        // a thread that ended meanwhile has no listing left
        .filter_map(|task| std::fs::read_to_string(task.path().join("children")).ok())
        .flat_map(|listing| {
            let pids: Vec<u32> = listing
                .split_whitespace()
                .filter_map(|pid| pid.parse().ok())
                .collect();
            pids
        })
        .filter(|&pid| !zombie(pid))
        .collect()
}

/// Whether a child has ended without being waited for (or is gone).
fn zombie(pid: u32) -> bool {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return true;
    };
    // The state follows the command's name, which is in parentheses.
    let after_name = &stat[stat.rfind(')').map_or(0, |i| i + 1)..];
    after_name
        .split_whitespace()
        .next()
        .is_none_or(|state| state == "Z")
}
