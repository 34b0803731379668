// A scope made of Promise.all and an AbortController.

import { OpError, op, ticks, trace } from "#suite";

// [pattern]
/**
 * Runs every child with one AbortSignal and resolves with their values in
 * input order. On the first rejection the signal is aborted and the scope
 * rejects at once: Promise.all does not wait for the aborted children to
 * finish their cleanup.
 */
export async function scope(children) {
  const controller = new AbortController();
  try {
    return await Promise.all(children.map((child) => child(controller.signal)));
  } catch (err) {
    controller.abort(err);
    throw err;
  }
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
