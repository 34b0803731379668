// A bounded wait with Promise.race against a timer: the wait gives up, the operation runs on.

import { op, ticks, trace } from "#suite";

// [pattern]
import { setTimeout as delay } from "node:timers/promises";

/**
 * Settles as `promise` does, or rejects with a TimeoutError after `ms`, whichever comes first.
 * Promise.race only stops waiting: nothing cancels the losing promise's work, which runs on.
 */
export async function waitAtMost(promise, ms) {
  const timer = new AbortController();
  const deadline = delay(ms, undefined, { signal: timer.signal }).then(() => {
    throw new DOMException("waited too long", "TimeoutError");
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    timer.abort(); // the timer, not the work: a finished race leaves no timer behind
  }
}
// [/pattern]

export async function run({ op: spec, deadline }) {
  try {
    trace("result", { value: await waitAtMost(op(spec), ticks(deadline)) });
  } catch (err) {
    trace("error", { error: err.name === "TimeoutError" ? "timeout" : err.label });
  }
}
