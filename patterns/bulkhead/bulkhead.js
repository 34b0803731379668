// Bulkhead: a small limiter per downstream.

import { op, sleepUntil } from "#suite";

// [pattern]
/** At most `limit` holders; waiters are served in arrival order. */
class Limiter {
  #free;
  #waiters = [];

  constructor(limit) {
    this.#free = limit;
  }

  async run(fn) {
    if (this.#free > 0) this.#free -= 1;
    else await new Promise((resolve) => this.#waiters.push(resolve));
    try {
      return await fn();
    } finally {
      // Hand the permit straight to the first waiter, if any.
      const next = this.#waiters.shift();
      if (next) next();
      else this.#free += 1;
    }
  }
}

/** A concurrency limit per downstream: `limits` maps each name to its limit. */
export class Bulkhead {
  #limiters;

  constructor(limits) {
    this.#limiters = new Map(Object.entries(limits).map(([name, n]) => [name, new Limiter(n)]));
  }

  /** Waits for a permit of this downstream only; the others' calls are not held up. */
  call(downstream, fn) {
    return this.#limiters.get(downstream).run(fn);
  }
}
// [/pattern]

async function caller(bulkhead, { to, at, rounds = 1, op: spec }) {
  await sleepUntil(at);
  for (let i = 0; i < rounds; i++) await bulkhead.call(to, () => op(spec));
}

export async function run({ limits, calls }) {
  const bulkhead = new Bulkhead(limits);
  await Promise.all(calls.map((call) => caller(bulkhead, call)));
}
