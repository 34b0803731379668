// Lost update: a read-await-write without a lock.

import { setTimeout as sleep } from "node:timers/promises";
import { ticks, trace } from "#suite";

// [pattern]
/**
 * A counter whose increment awaits between its read and its write (a round trip).
 * Unsafe: every increment that reads before another's write overwrites it.
 */
export class Counter {
  value = 0;

  async increment(roundTripMs) {
    const seen = this.value;
    trace("read", { value: seen });
    await sleep(roundTripMs);
    this.value = seen + 1;
    trace("write", { value: this.value });
  }
}
// [/pattern]

export async function run({ workers, hold }) {
  const counter = new Counter();
  await Promise.all(Array.from({ length: workers }, () => counter.increment(ticks(hold))));
  trace("result", { count: counter.value });
}
