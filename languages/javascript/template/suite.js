// The suite helper every JavaScript snippet imports: trace, ticks, sleepUntil,
// op, maxInFlight.
//
// The runner calls `begin` before each scenario and runs the snippet inside
// `scenario.run`, so every trace is stamped against the scenario it belongs to
// (AsyncLocalStorage follows timers, promises and awaits), even when it arrives
// after a later request has begun. A trace written after the scenario's window
// closed carries `"late": true`.

import { AsyncLocalStorage } from "node:async_hooks";
import { writeSync } from "node:fs";
import { performance } from "node:perf_hooks";

/** The failure of a simulated operation; `label` is the scenario's label. */
export class OpError extends Error {
  constructor(label) {
    super(label);
    this.name = "OpError";
    this.label = label;
  }
}

// -- runner side ------------------------------------------------------------

/**
 * Write one protocol line on stdout: a single synchronous write, so a line is
 * never split or interleaved and is out of the process before the call returns.
 * JavaScript runs one callback at a time, so stamping and writing in one
 * synchronous call is the lock.
 */
export function emit(message) {
  writeAll(1, Buffer.from(JSON.stringify(message) + "\n"));
}

/**
 * Write the stderr line that comes before each settled line, a record
 * separator (U+001E) alone: the harness then knows it has all the stderr the
 * request wrote.
 */
export function emitStderrMark() {
  writeAll(2, Buffer.from("\x1e\n"));
}

function writeAll(fd, bytes) {
  for (let off = 0; off < bytes.length;) {
    try {
      off += writeSync(fd, bytes, off);
    } catch (err) {
      // EAGAIN: a non-blocking pipe that is full; try again.
      if (err.code !== "EAGAIN") throw err;
    }
  }
}

const context = new AsyncLocalStorage();

class Scenario {
  constructor(id, tickMs, write) {
    this.id = id;
    this.tickMs = tickMs;
    this.write = write;
    this.open = true;
    this.inFlight = 0;
    this.maxInFlight = 0;
    this.start = performance.now();
  }

  /** Run `fn` with this scenario as the one its traces, ops and sleeps use. */
  run(fn) {
    return context.run(this, fn);
  }

  close() {
    this.open = false;
  }

  trace(ev, fields = {}) {
    const t = Math.round((performance.now() - this.start) * 1000) / 1000;
    const message = { id: this.id, t, ev, fields };
    if (!this.open) message.late = true;
    this.write(message);
  }

  /** Milliseconds from now until `tick` ticks after the start (0 once past). */
  msUntil(tick) {
    return Math.max(0, this.start + tick * this.tickMs - performance.now());
  }

  sleepUntil(tick) {
    return new Promise((resolve) => setTimeout(resolve, this.msUntil(tick)));
  }
}

// Outside any scenario (warm-up, a stray callback): a closed placeholder.
let latest = new Scenario(null, 50, emit);
latest.close();

/**
 * Reset the helper for a new scenario, whose clock starts now. Its traces go to
 * `write` (stdout; the warm-up passes a sink).
 */
export function begin(id, tickMs, write = emit) {
  latest = new Scenario(id, tickMs, write);
  return latest;
}

/** The scenario of the calling code (the latest one when none is known). */
export function current() {
  return context.getStore() ?? latest;
}

// -- snippet side -----------------------------------------------------------

/** Report an event: `trace("result", { value: 7 })`. */
export function trace(ev, fields = {}) {
  current().trace(ev, fields);
}

/** The duration of `n` ticks in milliseconds (what setTimeout takes). */
export function ticks(n) {
  return n * current().tickMs;
}

/** Wait until `tick` ticks after the scenario started (no drift). */
export function sleepUntil(tick) {
  return current().sleepUntil(tick);
}

/** The largest number of `op`s running at once during this scenario. */
export function maxInFlight() {
  return current().maxInFlight;
}

/**
 * A simulated operation: `{ id: "a", ticks: 2, value: 1 }` or `{ id: "b",
 * ticks: 1, error: "boom" }`.
 *
 * It resolves with `value` or rejects with `OpError(error)` after `ticks`
 * ticks. When `signal` aborts first, it stops its timer, traces `cancelled` and
 * rejects with `signal.reason`.
 */
export function op(spec, { signal } = {}) {
  const scenario = current();
  return new Promise((resolve, reject) => {
    scenario.trace("start", { op: spec.id });
    scenario.inFlight += 1;
    scenario.maxInFlight = Math.max(scenario.maxInFlight, scenario.inFlight);

    const settle = () => {
      scenario.inFlight -= 1;
      signal?.removeEventListener("abort", onAbort);
    };
    const onAbort = () => {
      clearTimeout(timer);
      settle();
      scenario.trace("cancelled", { op: spec.id });
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      settle();
      if ("error" in spec) {
        scenario.trace("fail", { op: spec.id, error: spec.error });
        reject(new OpError(spec.error));
      } else {
        scenario.trace("succeed", { op: spec.id, value: spec.value });
        resolve(spec.value);
      }
    }, spec.ticks * scenario.tickMs);

    if (signal?.aborted) onAbort();
    else signal?.addEventListener("abort", onAbort, { once: true });
  });
}
