// Timeout with a fallback value: AbortSignal.timeout stops the task in time.

import { OpError, op, ticks, trace } from "#suite";

// [pattern]
/**
 * Runs `task(signal)` with a signal that aborts after `ms` milliseconds, and
 * resolves with `fallback` if the task is stopped by that deadline. Any other
 * rejection of the task is passed on.
 */
export async function withFallback(task, ms, fallback) {
  try {
    return await task(AbortSignal.timeout(ms));
  } catch (err) {
    if (err.name === "TimeoutError") return fallback;
    throw err;
  }
}
// [/pattern]

export async function run({ deadline, fallback, op: spec }) {
  try {
    const value = await withFallback((signal) => op(spec, { signal }), ticks(deadline), fallback);
    trace("result", { value });
  } catch (err) {
    if (!(err instanceof OpError)) throw err;
    trace("error", { error: err.label });
  }
}
