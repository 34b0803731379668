// Deadline propagation: AbortSignal.any joins the request's signal to a nested call's own.

import { op, ticks, trace } from "#suite";

// [pattern]
/**
 * Runs `first`, then the nested call `second`, under one signal that aborts
 * after `ms` milliseconds; the nested call may only shorten that deadline.
 */
export async function handle(first, second, ms, innerMs) {
  const signal = AbortSignal.timeout(ms);
  const firstValue = await first(signal);
  return [firstValue, await fetchWithin(second, signal, innerMs)];
}

/** Runs `task` until the caller's signal aborts or `ms` milliseconds pass. */
function fetchWithin(task, signal, ms) {
  // Aborts with the reason of whichever aborts first; both are TimeoutErrors.
  return task(AbortSignal.any([signal, AbortSignal.timeout(ms)]));
}
// [/pattern]

export async function run({ outer, inner, first, second }) {
  try {
    const values = await handle(
      (signal) => op(first, { signal }),
      (signal) => op(second, { signal }),
      ticks(outer),
      ticks(inner),
    );
    trace("result", { values });
  } catch (err) {
    if (err.name !== "TimeoutError") throw err;
    trace("error", { error: "timeout" });
  }
}
