// A job that skips failed steps but stops when its AbortSignal aborts.

import { op, sleepUntil, trace } from "#suite";

// [pattern]
/**
 * Runs the steps in order and resolves with the values of those that
 * succeeded; a failed step is skipped. Each step is handed the signal, so an
 * abort stops the running one, which rejects with the signal's reason. That is
 * not a failed step: `signal.throwIfAborted()` rethrows the reason, and the job
 * stops with it.
 */
export async function processAll(steps, signal) {
  const values = [];
  for (const step of steps) {
    try {
      values.push(await step(signal));
    } catch {
      signal.throwIfAborted();
      // a failed step is skipped
    }
  }
  return values;
}
// [/pattern]

export async function run({ steps, cancel_at }) {
  const controller = new AbortController();
  const job = processAll(
    steps.map((spec) => (signal) => op(spec, { signal })),
    controller.signal,
  );
  if (cancel_at !== undefined) {
    await sleepUntil(cancel_at);
    trace("cancel");
    controller.abort();
  }
  try {
    trace("result", { values: await job });
  } catch (err) {
    if (err.name !== "AbortError") throw err;
    trace("error", { error: "cancelled" });
  }
}
