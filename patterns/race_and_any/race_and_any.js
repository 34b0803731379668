// Race vs any: Promise.race / Promise.any; an AbortController stops the rest.

import { OpError, op, shape, trace } from "#suite";

// [pattern]
/** Settles like the first task to settle, even a failure; aborts the rest. */
export async function race(tasks) {
  const controller = new AbortController();
  try {
    return await Promise.race(tasks.map((task) => task(controller.signal)));
  } finally {
    controller.abort(); // the outcome is known: stop the losers
  }
}

/**
 * Resolves with the first task to succeed; the others are aborted. Only when
 * every task fails does it reject, with an AggregateError whose `errors` are in
 * input order.
 */
export async function any(tasks) {
  const controller = new AbortController();
  try {
    return await Promise.any(tasks.map((task) => task(controller.signal)));
  } finally {
    controller.abort();
  }
}
// [/pattern]

export async function run({ mode, ops }) {
  const pick = { race, any }[mode];
  try {
    const value = await pick(ops.map((spec) => (signal) => op(spec, { signal })));
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
