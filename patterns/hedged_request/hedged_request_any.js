// Hedged request with a bare Promise.any of staggered calls.

import { op, ticks, trace } from "#suite";

// [pattern]
import { setTimeout as delay } from "node:timers/promises";

/**
 * Calls backend `i` after `i * delayMs` milliseconds, whatever happened
 * before, and resolves with the first answer; rejects with an AggregateError
 * of every failure, in backend order, when all fail. Promise.any only stops
 * waiting: the pending delays still start their backends, and no call is
 * cancelled.
 */
export function hedged(backends, delayMs) {
  return Promise.any(backends.map((backend, i) => delay(i * delayMs).then(backend)));
}
// [/pattern]

export async function run({ hedge, backends }) {
  try {
    const value = await hedged(
      backends.map((spec) => () => op(spec)),
      ticks(hedge),
    );
    trace("result", { value });
  } catch (err) {
    if (!(err instanceof AggregateError)) throw err;
    trace("error", { errors: err.errors.map((e) => e.label) });
  }
}
