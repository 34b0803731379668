// Token bucket on the monotonic clock.

import { sleepUntil, ticks, trace } from "#suite";

// [pattern]
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";

/** At most `capacity` tokens, one more every `everyMs` milliseconds; starts full. */
export class TokenBucket {
  #tokens;
  #stamp = performance.now();

  constructor(capacity, everyMs) {
    this.capacity = capacity;
    this.everyMs = everyMs;
    this.#tokens = capacity;
  }

  #refill() {
    const now = performance.now();
    this.#tokens = Math.min(this.capacity, this.#tokens + (now - this.#stamp) / this.everyMs);
    this.#stamp = now;
    return now;
  }

  tryAcquire() {
    this.#refill();
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /**
   * Waits for a token. Rejects at once with a TimeoutError, taking nothing, if `deadline`
   * (performance.now() time) has passed or the token would come after it.
   */
  async acquire(deadline = Infinity) {
    const now = this.#refill();
    const wait = Math.max(0, (1 - this.#tokens) * this.everyMs);
    if (deadline <= now || now + wait > deadline) {
      throw new DOMException("the token would come after the deadline", "TimeoutError");
    }
    // Reserve it now, so later callers queue behind (the count may go below zero).
    this.#tokens -= 1;
    await sleep(wait);
  }
}
// [/pattern]

async function waitCall(bucket, { id, at, deadline }) {
  await sleepUntil(at);
  const by = deadline === undefined ? Infinity : performance.now() + ticks(deadline - at);
  try {
    await bucket.acquire(by);
    trace("proceed", { call: id });
  } catch (error) {
    if (error.name !== "TimeoutError") throw error;
    trace("error", { call: id, error: "deadline" });
  }
}

export async function run({ capacity, every, mode, calls }) {
  const bucket = new TokenBucket(capacity, ticks(every));
  if (mode === "try") {
    for (const { id, at } of calls) {
      await sleepUntil(at);
      trace(bucket.tryAcquire() ? "allow" : "deny", { call: id });
    }
    return;
  }
  await Promise.all(calls.map((call) => waitCall(bucket, call)));
}
