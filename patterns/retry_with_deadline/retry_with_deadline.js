// Retry with an overall deadline: one AbortSignal for every attempt and backoff.

import { OpError, op, ticks, trace } from "#suite";

// [pattern]
import { setTimeout as sleep } from "node:timers/promises";

/**
 * Calls `attempts[n](signal)` in turn until one succeeds, `backoffMs` apart, and rethrows the
 * last one's error. Everything runs under one signal that aborts at `deadlineMs` (or with the
 * caller's `signal`): the attempt in flight or the backoff is cut off, and the rejection is the
 * signal's reason, a TimeoutError at the deadline.
 */
export async function retryUntil(attempts, { deadlineMs, backoffMs, signal: outer }) {
  const deadline = AbortSignal.timeout(deadlineMs);
  const signal = outer ? AbortSignal.any([outer, deadline]) : deadline;
  for (let n = 1; ; n++) {
    try {
      return await attempts[n - 1](signal);
    } catch (error) {
      signal.throwIfAborted(); // cut off: the signal's reason, not the attempt's error
      if (n === attempts.length) throw error;
    }
    await sleep(backoffMs, undefined, { signal }).catch(() => signal.throwIfAborted());
  }
}
// [/pattern]

export async function run({ deadline, backoff, attempts }) {
  const calls = attempts.map((spec) => (signal) => op(spec, { signal }));
  try {
    const value = await retryUntil(calls, {
      deadlineMs: ticks(deadline),
      backoffMs: ticks(backoff),
    });
    trace("result", { value });
  } catch (error) {
    if (error.name === "TimeoutError") trace("error", { error: "timeout" });
    else if (error instanceof OpError) trace("error", { error: error.label });
    else throw error;
  }
}
