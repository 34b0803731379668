// A deadline on waiting for a task, with Promise.race.

import { op, shape, ticks, trace } from "#suite";

// [pattern]
/** The rejection of a wait whose deadline passed first. */
export class TimeoutError extends Error {
  name = "TimeoutError";
}

/**
 * Resolves like `task`, or rejects with a TimeoutError after `ms`. Promise.race
 * only stops waiting: a promise cannot be cancelled, so the task runs on.
 */
export function waitWithDeadline(task, ms) {
  let timer;
  const expired = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError()), ms);
  });
  return Promise.race([task, expired]).finally(() => clearTimeout(timer));
}
// [/pattern]

export async function run({ deadline, op: spec }) {
  const task = op(spec);
  try {
    trace("result", { value: await waitWithDeadline(task, ticks(deadline)) });
  } catch (err) {
    if (!(err instanceof TimeoutError)) throw err;
    trace("error", { error: "timeout", shape: shape(err) });
  }
}
