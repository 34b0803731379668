// Spawning under a limit: the caller awaits a free slot (Promise.race over the running tasks) before each start.

import { maxInFlight, op, trace } from "#suite";

// [pattern]
/**
 * Starts each task (a function returning a promise), at most `limit` running
 * at once, and waits for them all. Calling a task starts it, so the loop first
 * awaits a slot: while `limit` run it waits for one of them to settle, and
 * `spawned(i)` is called once task `i` has started.
 */
export async function spawnAll(tasks, limit, spawned) {
  const running = new Set();
  const all = [];
  for (const [i, task] of tasks.entries()) {
    while (running.size >= limit) await Promise.race(running);
    const promise = task().finally(() => running.delete(promise));
    running.add(promise);
    all.push(promise);
    spawned(i);
  }
  await Promise.all(all);
}
// [/pattern]

export async function run({ ops, limit }) {
  await spawnAll(
    ops.map((spec) => () => op(spec)),
    limit,
    (i) => trace("spawned", { task: ops[i].id }),
  );
  trace("result", { max_in_flight: maxInFlight() });
}
