// Structured concurrency: an AbortController and Promise.allSettled.

import { OpError, op, ticks, trace } from "#suite";

// [pattern]
/**
 * Runs every child with one AbortSignal and resolves with their values in
 * input order. The first rejection aborts the signal for the others; the scope
 * still waits until every child has settled, cleanup included (allSettled),
 * and then rejects with that first error, kept as the signal's reason.
 */
export async function scope(children) {
  const controller = new AbortController();
  const settled = await Promise.allSettled(
    children.map((child) =>
      child(controller.signal).catch((err) => {
        controller.abort(err); // only the first abort counts
        throw err;
      }),
    ),
  );
  if (controller.signal.aborted) throw controller.signal.reason;
  return settled.map((outcome) => outcome.value);
}
// [/pattern]

export async function run({ children, cleanup }) {
  const child = (spec) => async (signal) => {
    try {
      return await op(spec, { signal });
    } finally {
      trace("cleanup", { child: spec.id });
      await new Promise((resolve) => setTimeout(resolve, ticks(cleanup)));
      trace("cleaned", { child: spec.id });
    }
  };
  try {
    trace("result", { values: await scope(children.map(child)) });
  } catch (err) {
    if (!(err instanceof OpError)) throw err;
    trace("error", { error: err.label });
  }
}
