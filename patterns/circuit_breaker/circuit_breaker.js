// Circuit breaker: a small class; try/catch around the awaited call.

import { OpError, sleepUntil, ticks, trace } from "#suite";

// [pattern]
/** Thrown instead of making the call while the breaker is open. */
export class CircuitOpenError extends Error {
  name = "CircuitOpenError";
}

export class CircuitBreaker {
  state = "CLOSED";
  #failures = 0;
  #openedAt = 0;

  /**
   * @param threshold   consecutive failures that open the breaker
   * @param cooldown    milliseconds to stay open before letting a probe through
   * @param onChange    called with (from, to) on every state change
   */
  constructor({ threshold, cooldown, onChange = () => {} }) {
    Object.assign(this, { threshold, cooldown, onChange });
  }

  async call(fn) {
    // No lock needed: JavaScript runs one callback at a time, and nothing below
    // awaits between checking the state and changing it.
    const cooledDown = performance.now() - this.#openedAt >= this.cooldown;
    if (this.state === "OPEN" && cooledDown) {
      this.#set("HALF_OPEN");
    } else if (this.state !== "CLOSED") {
      throw new CircuitOpenError(); // open, or a probe is already in flight
    }
    try {
      const result = await fn();
      this.#failures = 0;
      if (this.state === "HALF_OPEN") this.#set("CLOSED"); // probe succeeded
      return result;
    } catch (err) {
      this.#failures += 1;
      const tripped =
        this.state === "CLOSED" && this.#failures >= this.threshold;
      if (tripped || this.state === "HALF_OPEN") {
        this.#openedAt = performance.now();
        this.#set("OPEN");
      }
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
      // An OpError was traced by the call itself.
      else if (!(err instanceof OpError)) throw err;
    }
  }
}
