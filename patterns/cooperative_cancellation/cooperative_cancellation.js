// Cooperative cancellation: a batch job checks an AbortSignal between batches.

import { op, sleepUntil, trace } from "#suite";

// [pattern]
/**
 * Awaits the batches in order, checking `signal` before each one. A batch that
 * has started runs to its end (it is not given the signal), so no work is left
 * half done: the job stops at the next boundary after the abort. `finally`
 * runs `cleanup` once, however the job ends.
 */
export async function runBatches(batches, signal, cleanup) {
  const done = [];
  try {
    for (const batch of batches) {
      if (signal.aborted) break;
      done.push(await batch());
    }
  } finally {
    cleanup();
  }
  return done;
}
// [/pattern]

export async function run({ batches, cancel_at, start_at = 0 }) {
  const controller = new AbortController();
  const canceller =
    cancel_at === undefined
      ? null
      : sleepUntil(cancel_at).then(() => {
          trace("cancel");
          controller.abort();
        });
  await sleepUntil(start_at);
  const values = await runBatches(
    batches.map((spec) => () => op(spec)),
    controller.signal,
    () => trace("cleanup"),
  );
  trace("result", { values, cancelled: controller.signal.aborted });
  await canceller;
}
