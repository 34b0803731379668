// Lost update vs mutex: a promise-chain mutex keeps a read-await-write whole.

import { setTimeout as sleep } from "node:timers/promises";
import { ticks, trace } from "#suite";

// [pattern]
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

/** A counter whose increment awaits between its read and its write (a round trip). */
export class Counter {
  value = 0;
  #mutex = new Mutex();

  async increment(roundTripMs) {
    // Held across the await: no other increment can read until this one has written.
    const release = await this.#mutex.lock();
    try {
      const seen = this.value;
      trace("read", { value: seen });
      await sleep(roundTripMs);
      this.value = seen + 1;
      trace("write", { value: this.value });
    } finally {
      release();
    }
  }
}
// [/pattern]

export async function run({ workers, hold }) {
  const counter = new Counter();
  await Promise.all(Array.from({ length: workers }, () => counter.increment(ticks(hold))));
  trace("result", { count: counter.value });
}
