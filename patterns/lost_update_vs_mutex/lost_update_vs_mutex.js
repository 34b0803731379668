// Lost update vs mutex: a promise-chain mutex keeps a read-await-write whole.

import { ticks, trace } from "#suite";

// [pattern]
import { setTimeout as sleep } from "node:timers/promises";

/** A mutex as a chain of promises: each holder waits for the previous one's release. */
export class Mutex {
  #tail = Promise.resolve();

  /** Resolves, in call order, with the function that releases the lock. */
  async lock() {
    let release;
    const previous = this.#tail;
    this.#tail = new Promise((resolve) => (release = resolve));
    await previous;
    return release;
  }
}

/**
 * A counter whose increment awaits between its read and its write (a round trip).
 * `onStep("read" or "write", value)` sees each access.
 */
export class Counter {
  value = 0;
  #mutex = new Mutex();

  constructor(onStep = () => {}) {
    this.onStep = onStep;
  }

  async increment(roundTripMs) {
    // Held across the await: no other increment can read until this one has written.
    const release = await this.#mutex.lock();
    try {
      const seen = this.value;
      this.onStep("read", seen);
      await sleep(roundTripMs);
      this.value = seen + 1;
      this.onStep("write", this.value);
    } finally {
      release();
    }
  }
}
// [/pattern]

export async function run({ workers, hold }) {
  const counter = new Counter((step, value) => trace(step, { value }));
  await Promise.all(Array.from({ length: workers }, () => counter.increment(ticks(hold))));
  trace("result", { count: counter.value });
}
