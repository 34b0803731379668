// Timeout: AbortSignal.timeout gives the task a signal that aborts in time (the control).

import { OpError, op, ticks, trace } from "#suite";

// [pattern]
/** Runs `task(signal)` with a signal that aborts after `ms` milliseconds. */
export function withTimeout(task, ms) {
  return task(AbortSignal.timeout(ms));
}
// [/pattern]

export async function run({ deadline, op: spec }) {
  try {
    const value = await withTimeout(
      (signal) => op(spec, { signal }),
      ticks(deadline),
    );
    trace("result", { value });
  } catch (err) {
    if (err.name === "TimeoutError") {
      trace("error", { error: "timeout" });
    } else if (err instanceof OpError) {
      trace("error", { error: err.label });
    } else {
      throw err;
    }
  }
}
