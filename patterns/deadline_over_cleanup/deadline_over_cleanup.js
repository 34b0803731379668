// A deadline over work that cleans up when stopped, with AbortSignal.timeout and try/finally.

import { OpError, op, ticks, trace } from "#suite";

// [pattern]
/**
 * Awaits `work(signal)`, then `cleanup()` on every way out. The work stops where it passes the
 * signal on (here, to the operation), which then rejects with the signal's reason.
 */
export async function withCleanup(work, signal, cleanup) {
  try {
    return await work(signal);
  } finally {
    await cleanup();
  }
}

/**
 * Runs `work(signal)` with a signal that aborts after `ms`. Aborting only asks the work to stop:
 * the returned promise settles when the work's own promise does, after its cleanup, with the
 * signal's reason (a DOMException named "TimeoutError").
 */
export function withDeadline(work, ms) {
  return work(AbortSignal.timeout(ms));
}
// [/pattern]

export async function run({ deadline, cleanup, op: spec }) {
  const work = (signal) =>
    withCleanup((signal) => op(spec, { signal }), signal, async () => {
      trace("cleanup_start");
      await new Promise((resolve) => setTimeout(resolve, ticks(cleanup)));
      trace("cleanup_done");
    });
  try {
    trace("result", { value: await withDeadline(work, ticks(deadline)) });
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
