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
    const probe = this.state === "OPEN" && cooledDown;
    if (probe) {
      this.#set("HALF_OPEN");
    } else if (this.state !== "CLOSED") {
      throw new CircuitOpenError(); // open, or a probe is already in flight
    }
    try {
      const result = await fn();
      this.#record(probe, false);
      return result;
    } catch (err) {
      this.#record(probe, true);
      throw err;
    }
  }

  #record(probe, failed) {
    if (probe) {
      // Only the probe's outcome decides a HALF_OPEN breaker.
      if (failed) this.#open();
      else this.#set("CLOSED");
    } else if (this.state === "CLOSED") {
      this.#failures = failed ? this.#failures + 1 : 0;
      if (this.#failures >= this.threshold) this.#open();
    } // else: let through before the breaker opened, it no longer counts
  }

  #open() {
    this.#openedAt = performance.now();
    this.#set("OPEN");
  }

  #set(state) {
    const from = this.state;
    this.state = state;
    this.#failures = 0;
    this.onChange(from, state);
  }
}
// [/pattern]

/** The protected call: lasts `ticks` ticks (none by default); its outcome is given by the scenario. */
async function protectedCall(n, { at, ticks: duration, error, value }) {
  if (duration) await sleepUntil(at + duration);
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
  // Each call is made at its own tick, whether or not earlier ones have returned.
  const caller = async (call, i) => {
    const n = i + 1;
    await sleepUntil(call.at);
    try {
      await breaker.call(() => protectedCall(n, call));
    } catch (err) {
      if (err instanceof CircuitOpenError) trace("rejected", { call: n });
      // An OpError was traced by the call itself.
      else if (!(err instanceof OpError)) throw err;
    }
  };
  await Promise.all(calls.map(caller));
}
