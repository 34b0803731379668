// All-of with the bare Promise.all: the first failure rejects it, the others run on.

import { OpError, op, shape, trace } from "#suite";

// [pattern]
/**
 * Resolves with every value in input order, or rejects with the first error.
 * Promise.all has no way to stop the other tasks: they run on to their end.
 */
export function all(tasks) {
  return Promise.all(tasks.map((task) => task()));
}
// [/pattern]

export async function run({ ops }) {
  try {
    const values = await all(ops.map((spec) => () => op(spec)));
    trace("result", { values });
  } catch (err) {
    if (!(err instanceof OpError)) throw err;
    trace("error", { error: err.label, shape: shape(err) });
  }
}
