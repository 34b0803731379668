// Lost update: a read-await-write without a lock.

import { ticks, trace } from "#suite";

// [pattern]
import { setTimeout as sleep } from "node:timers/promises";

/**
 * A counter whose increment awaits between its read and its write (a round trip).
 * Unsafe: every increment that reads before another's write overwrites it.
 * `onStep("read" or "write", value)` sees each access.
 */
export class Counter {
  value = 0;

  constructor(onStep = () => {}) {
    this.onStep = onStep;
  }

  async increment(roundTripMs) {
    const seen = this.value;
    this.onStep("read", seen);
    await sleep(roundTripMs);
    this.value = seen + 1;
    this.onStep("write", this.value);
  }
}
// [/pattern]

export async function run({ workers, hold }) {
  const counter = new Counter((step, value) => trace(step, { value }));
  await Promise.all(Array.from({ length: workers }, () => counter.increment(ticks(hold))));
  trace("result", { count: counter.value });
}
