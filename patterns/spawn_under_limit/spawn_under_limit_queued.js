// Spawning under a limit with a queueing limiter (as p-limit does): the call returns at once, the task waits.

import { maxInFlight, op, trace } from "#suite";

// [pattern]
/**
 * A limiter: `limited(task)` queues the task and returns a promise of its
 * result at once; the queued tasks start in order, at most `limit` running.
 * The caller never waits, so nothing slows whatever feeds it: the queue grows.
 */
export function limiter(limit) {
  let active = 0;
  const queue = [];
  const next = () => {
    if (active >= limit || queue.length === 0) return;
    active += 1;
    const { task, resolve, reject } = queue.shift();
    task()
      .then(resolve, reject)
      .finally(() => {
        active -= 1;
        next();
      });
  };
  return (task) =>
    new Promise((resolve, reject) => {
      queue.push({ task, resolve, reject });
      next();
    });
}

/** Starts each task through a limiter and waits for them all. */
export async function spawnAll(tasks, limit, spawned) {
  const limited = limiter(limit);
  const all = tasks.map((task, i) => {
    const promise = limited(task);
    spawned(i);
    return promise;
  });
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
