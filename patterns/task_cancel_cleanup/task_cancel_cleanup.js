// Cancelling an in-flight task with an AbortController; `finally` runs the cleanup.

import { op, sleepUntil, ticks, trace } from "#suite";

// [pattern]
/**
 * Awaits `work(signal)`, then `cleanup()` on every way out. A promise cannot be
 * cancelled from outside: the task stops only where it passes the signal on
 * (here, to the operation), which then rejects with the signal's reason.
 */
export async function withCleanup(work, signal, cleanup) {
  try {
    return await work(signal);
  } finally {
    await cleanup();
  }
}

/**
 * Aborts the task's signal and waits until the task has settled, cleanup
 * included: it rejects with the abort reason (an AbortError), or resolves with
 * the value of a task that had already finished.
 */
export async function cancel(controller, task) {
  controller.abort();
  return await task;
}
// [/pattern]

export async function run({ op: spec, cleanup, cancel_at, start_at = 0, ignores_cancel = false }) {
  const controller = new AbortController();
  const task = (async () => {
    await sleepUntil(start_at);
    return withCleanup(
      // Work that ignores the cancel is not handed the signal.
      (signal) => op(spec, ignores_cancel ? {} : { signal }),
      controller.signal,
      async () => {
        trace("cleanup");
        await new Promise((resolve) => setTimeout(resolve, ticks(cleanup)));
        trace("cleaned");
      },
    );
  })();
  await sleepUntil(cancel_at);
  trace("cancel");
  try {
    trace("result", { value: await cancel(controller, task) });
  } catch (err) {
    if (err.name !== "AbortError") throw err;
    trace("error", { error: "cancelled" });
  }
}
