// Timeout with a fallback value: a bare Promise.race against a timer.

import { OpError, op, ticks, trace } from "#suite";

// [pattern]
/**
 * Resolves with the promise's outcome, or with `fallback` once `ms`
 * milliseconds have passed. Promise.race only stops waiting: the work behind
 * the promise is not told anything and runs on to its end.
 */
export function withFallback(promise, ms, fallback) {
  let timer;
  const deadline = new Promise((resolve) => {
    timer = setTimeout(resolve, ms, fallback);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
// [/pattern]

export async function run({ deadline, fallback, op: spec }) {
  try {
    const value = await withFallback(op(spec), ticks(deadline), fallback);
    trace("result", { value });
  } catch (err) {
    if (!(err instanceof OpError)) throw err;
    trace("error", { error: err.label });
  }
}
