// All-of, fail fast: Promise.all, plus an AbortController to stop the siblings.

import { OpError, op, shape, trace } from "#suite";

// [pattern]
/**
 * Runs every task at once and resolves with their values in input order. Each
 * task receives an AbortSignal; on the first rejection the signal is aborted,
 * so the tasks still running stop, and the returned promise rejects with that
 * first error.
 */
export async function allFailFast(tasks) {
  const controller = new AbortController();
  try {
    return await Promise.all(tasks.map((task) => task(controller.signal)));
  } catch (err) {
    // Promise.all only stops *waiting* on the first rejection: the other tasks
    // run on unless they are told to stop.
    controller.abort(err);
    throw err;
  }
}
// [/pattern]

export async function run({ ops }) {
  try {
    const values = await allFailFast(ops.map((spec) => (signal) => op(spec, { signal })));
    trace("result", { values });
  } catch (err) {
    if (!(err instanceof OpError)) throw err;
    trace("error", { error: err.label, shape: shape(err) });
  }
}
