// Sliding-window rate limit: a log of the allowed calls.

import { sleepUntil, trace } from "#suite";

// [pattern]
/** At most `limit` calls in any `window` (same unit as the times given to tryAcquire). */
export class SlidingWindow {
  #allowed = []; // times of the allowed calls, oldest first

  constructor(limit, window) {
    this.limit = limit;
    this.window = window;
  }

  tryAcquire(now) {
    // The window is (now - window, now]: a call exactly `window` ago has left it.
    while (this.#allowed.length > 0 && this.#allowed[0] <= now - this.window) {
      this.#allowed.shift();
    }
    if (this.#allowed.length >= this.limit) return false; // denied calls are not logged
    this.#allowed.push(now);
    return true;
  }
}
// [/pattern]

export async function run({ limit, window, calls }) {
  const limiter = new SlidingWindow(limit, window);
  for (const { id, at } of calls) {
    await sleepUntil(at);
    trace(limiter.tryAcquire(at) ? "allow" : "deny", { call: id });
  }
}
