// Bulkhead: a small limiter per downstream.

import { op, sleepUntil, trace } from "#suite";

// [pattern]
/** At most `limit` holders; waiters are served in arrival order. */
class Limiter {
  #free;
  #waiters = [];

  constructor(limit) {
    this.#free = limit;
  }

  /** Runs `fn` at once, or returns undefined without running it when no permit is free. */
  tryRun(fn) {
    if (this.#free === 0) return undefined;
    return this.run(fn); // its first step, taking the free permit, runs synchronously
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

  /** Like call, but rejects at once when the downstream has no permit free. */
  async tryCall(downstream, fn) {
    const running = this.#limiters.get(downstream).tryRun(fn);
    if (running === undefined) throw new Rejected(downstream);
    return running;
  }
}

export class Rejected extends Error {}
// [/pattern]

async function caller(bulkhead, { to, at, rounds = 1, reject = false, op: spec }) {
  await sleepUntil(at);
  for (let i = 0; i < rounds; i++) {
    try {
      await (reject ? bulkhead.tryCall(to, () => op(spec)) : bulkhead.call(to, () => op(spec)));
    } catch (error) {
      if (!(error instanceof Rejected)) throw error;
      trace("rejected", { op: spec.id });
    }
  }
}

export async function run({ limits, calls }) {
  const bulkhead = new Bulkhead(limits);
  await Promise.all(calls.map((call) => caller(bulkhead, call)));
}
