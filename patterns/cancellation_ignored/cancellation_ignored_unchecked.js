// A job that is handed an AbortSignal and never checks it: aborting it stops nothing.

import { op, sleepUntil, trace } from "#suite";

// [pattern]
/**
 * Runs the steps in order and resolves with the values of those that
 * succeeded; a failed step is skipped. It takes a signal but neither passes it
 * to the steps nor checks it between them, and a promise cannot be stopped
 * from outside: aborting the signal changes nothing, the job runs to its end
 * and resolves with every value.
 */
export async function processAll(steps, signal) {
  const values = [];
  for (const step of steps) {
    try {
      values.push(await step());
    } catch {
      // a failed step is skipped
    }
  }
  return values;
}
// [/pattern]

export async function run({ steps, cancel_at }) {
  const controller = new AbortController();
  const job = processAll(
    steps.map((spec) => () => op(spec)),
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
