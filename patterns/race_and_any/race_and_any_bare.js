// Race vs any with the bare Promise.race / Promise.any: nothing stops the losers, which run on.

import { OpError, op, shape, trace } from "#suite";

// [pattern]
/** Settles like the first task to settle, even a failure; the others run on. */
export function race(tasks) {
  return Promise.race(tasks.map((task) => task()));
}

/**
 * Resolves with the first task to succeed, and the others run on; when every
 * task fails, rejects with an AggregateError whose `errors` are in input order.
 */
export function any(tasks) {
  return Promise.any(tasks.map((task) => task()));
}
// [/pattern]

export async function run({ mode, ops }) {
  const pick = { race, any }[mode];
  try {
    const value = await pick(ops.map((spec) => () => op(spec)));
    trace("result", { value });
  } catch (err) {
    if (err instanceof AggregateError) {
      trace("error", { errors: err.errors.map((e) => e.label), shape: shape(err) });
    } else if (err instanceof OpError) {
      trace("error", { error: err.label, shape: shape(err) });
    } else {
      throw err;
    }
  }
}
