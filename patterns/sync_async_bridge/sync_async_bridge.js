// Callback-style code adapted to promises.

import { OpError, op, trace } from "#suite";

// [pattern]
/**
 * Calls a callback-style `api(...args, (err, value) => ...)` and returns a
 * promise of its outcome, settled by the callback. Promise.withResolvers
 * hands out the promise with its resolve and reject, no executor needed.
 */
export function call(api, ...args) {
  const { promise, resolve, reject } = Promise.withResolvers();
  api(...args, (err, value) => (err ? reject(err) : resolve(value)));
  return promise;
}

/**
 * Runs both calls concurrently and resolves with the sum of their values.
 * Promise.all rejects at the first failure; the other call is not stopped.
 */
export async function combined(api, left, right) {
  const [a, b] = await Promise.all([call(api, left), call(api, right)]);
  return a + b;
}
// [/pattern]

/** A callback-style operation, as older libraries offer them. */
function legacyOp(spec, callback) {
  op(spec).then((value) => callback(null, value), callback);
}

export async function run({ left, right, beside }) {
  const aside = op(beside); // the caller's event loop is free meanwhile
  try {
    trace("result", { value: await combined(legacyOp, left, right) });
  } catch (err) {
    if (!(err instanceof OpError)) throw err;
    trace("error", { error: err.label });
  }
  await aside;
}
