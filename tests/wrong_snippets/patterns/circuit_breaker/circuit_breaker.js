// Deliberately wrong: the cooldown is never consulted, so once OPEN the breaker never half-opens.

import { OpError, sleepUntil, ticks, trace } from "#suite";

// [pattern]
/** Thrown instead of making the call while the breaker is open. */
export class CircuitOpenError extends Error {
  name = "CircuitOpenError";
}

export class CircuitBreaker {
  state = "CLOSED";
  #failures = 0;

  constructor({ threshold, cooldown, onChange = () => {} }) {
    Object.assign(this, { threshold, cooldown, onChange });
  }

  async call(fn) {
    if (this.state === "OPEN") throw new CircuitOpenError();
    try {
      const result = await fn();
      this.#failures = 0;
      return result;
    } catch (err) {
      this.#failures += 1;
      if (this.#failures >= this.threshold) this.#set("OPEN");
      throw err;
    }
  }

  #set(state) {
    const from = this.state;
    this.state = state;
    this.onChange(from, state);
  }
}
// [/pattern]

/** The protected call: takes no time, its outcome is given by the scenario. */
async function protectedCall(n, { error, value }) {
  if (error !== undefined) {
    trace("fail", { call: n, error });
    throw new OpError(error);
  }
  trace("ok", { call: n, value });
  return value;
}

export async function run({ threshold, cooldown, calls }) {
  const breaker = new CircuitBreaker({
    threshold,
    cooldown: ticks(cooldown),
    onChange: (from, to) => trace("state", { from, to }),
  });
  for (const [i, call] of calls.entries()) {
    const n = i + 1;
    await sleepUntil(call.at);
    try {
      await breaker.call(() => protectedCall(n, call));
    } catch (err) {
      if (err instanceof CircuitOpenError) trace("rejected", { call: n });
      else if (!(err instanceof OpError)) throw err;
    }
  }
}
