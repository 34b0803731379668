// What a scenario left running, as the runner sees it: what keeps the event
// loop alive (timers, sockets, child processes, by type) and the live child
// processes, compared with a snapshot taken before the scenario.

import { readdirSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

const SETTLE_POLL_MS = 5; // how often settle looks again while work still runs

/** The runner's live child processes (Linux /proc; none are seen elsewhere). */
function children() {
  const pids = new Set();
  let tasks = [];
  try {
    tasks = readdirSync("/proc/self/task");
  } catch {
    return pids; // not Linux
  }
  for (const task of tasks) {
    try {
      const listing = readFileSync(`/proc/self/task/${task}/children`, "utf8");
      for (const pid of listing.split(" ").filter(Boolean)) {
        if (!zombie(pid)) pids.add(pid);
      }
    } catch {
      // the thread ended meanwhile
    }
  }
  return pids;
}

/** Whether a child has ended without being waited for (or is gone). */
function zombie(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // the state follows the command's name, which is in parentheses
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return true;
  }
}

function resources() {
  const count = new Map();
  for (const type of process.getActiveResourcesInfo())
    count.set(type, (count.get(type) ?? 0) + 1);
  return count;
}

/** What is alive now; `pending()` names what there is more of since. */
export class Snapshot {
  constructor() {
    this.resources = resources();
    this.children = children();
  }

  /** ["1 Timeout", "1 child process"], or [] when nothing was left. */
  pending() {
    const found = [...resources()]
      .filter(([type, n]) => n > (this.resources.get(type) ?? 0))
      .map(([type, n]) => `${n - (this.resources.get(type) ?? 0)} ${type}`);
    const started = [...children()].filter((pid) => !this.children.has(pid));
    if (started.length === 1) found.push("1 child process");
    if (started.length > 1) found.push(`${started.length} child processes`);
    return found;
  }

  /** Waits until nothing is left running, or `ms` at most; what still runs then. */
  async settle(ms) {
    const deadline = performance.now() + ms;
    for (;;) {
      const pending = this.pending();
      const left = deadline - performance.now();
      if (pending.length === 0 || left <= 0) return pending;
      await sleep(Math.min(left, SETTLE_POLL_MS));
    }
  }
}
