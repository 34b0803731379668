// Once-only initialisation: a memoised promise.

import { OpError, op, sleepUntil, trace } from "#suite";

// [pattern]
/**
 * Returns a function that calls `init()` on first use only and hands every caller the same
 * promise: callers during the initialisation wait for it, later ones get the settled value,
 * and a rejection is remembered too.
 */
export function lazy(init) {
  let promise;
  return () => (promise ??= init());
}
// [/pattern]

async function call(get, { id, at }) {
  await sleepUntil(at);
  try {
    trace("got", { caller: id, value: await get() });
  } catch (error) {
    if (!(error instanceof OpError)) throw error;
    trace("error", { caller: id, error: error.label });
  }
}

export async function run({ init, callers }) {
  const get = lazy(() => op(init));
  await Promise.allSettled(callers.map((caller) => call(get, caller)));
}
