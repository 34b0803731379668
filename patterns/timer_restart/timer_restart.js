// A restartable timer on setTimeout: a restart clears the pending timeout and sets a new one.

import { op, ticks, trace } from "#suite";

// [pattern]
/**
 * A timer that can be restarted and awaited: `expired()` resolves once the
 * timer has gone off after its latest (re)start; a restart while someone waits
 * makes them wait for the new expiry.
 *
 * A restart clears the pending timeout and sets a new one. Node's
 * `timeout.refresh()` restarts a timer in place, but only for the duration it
 * was created with, so it cannot restart for another. A resolved promise
 * cannot be taken back, so the timer keeps a flag and its waiters rather than
 * one promise: an expiry nobody awaited is forgotten by the next restart.
 */
export class RestartableTimer {
  #timeout;
  #expired = false;
  #waiters = [];

  constructor(ms) {
    this.restart(ms);
  }

  /** Makes the timer go off `ms` from now, whether or not it has gone off already. */
  restart(ms) {
    clearTimeout(this.#timeout); // does nothing to a timeout that has already run
    this.#expired = false; // forget an expiry nobody awaited
    this.#timeout = setTimeout(() => {
      this.#expired = true;
      for (const resolve of this.#waiters.splice(0)) resolve();
    }, ms);
  }

  expired() {
    if (this.#expired) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}
// [/pattern]

// The timer of `timer` ticks goes off while the operation is still running; then it is restarted
// for `restart` ticks and waited on.
export async function run({ timer: first, busy, restart }) {
  const timer = new RestartableTimer(ticks(first));
  await op(busy);
  trace("restart");
  timer.restart(ticks(restart));
  await timer.expired();
  trace("fired");
}
