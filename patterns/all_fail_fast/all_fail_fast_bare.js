// All-of with the bare Promise.all: it rejects at the first failure, but it has
// no way to stop the other operations, which run on to their end.

import { OpError, op, trace } from "#suite";

// [pattern]
/** Resolves with every value in input order, or rejects with the first error. */
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
    trace("error", { error: err.label });
  }
}
