// Timeout: AbortSignal.timeout gives the task a signal that aborts in time.

import { OpError, op, shape, ticks, trace } from "#suite";

// [pattern]
/**
 * Runs `task(signal)` with a signal that aborts after `ms` milliseconds. A task
 * that passes the signal on (to fetch, timers/promises, streams, ...) is
 * stopped at the deadline and rejects with the signal's reason, a DOMException
 * named "TimeoutError".
 */
export function withTimeout(task, ms) {
  return task(AbortSignal.timeout(ms));
}
// [/pattern]

export async function run({ deadline, op: spec }) {
  try {
    const value = await withTimeout((signal) => op(spec, { signal }), ticks(deadline));
    trace("result", { value });
  } catch (err) {
    if (err.name === "TimeoutError") {
      trace("error", { error: "timeout", shape: shape(err) });
    } else if (err instanceof OpError) {
      trace("error", { error: err.label, shape: shape(err) });
    } else {
      throw err;
    }
  }
}
