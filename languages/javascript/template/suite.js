// The suite helper snippets import as "#suite": trace, ticks, sleepUntil, op,
// maxInFlight, OpError, shape; below them, what the runner uses.
//
// The runner runs each scenario inside `scenario.run`, so every trace is
// stamped against the scenario it belongs to (AsyncLocalStorage follows
// timers, promises and awaits), even when it comes after a later request has
// begun. A trace written after the scenario's window closed carries "late".

import { AsyncLocalStorage } from "node:async_hooks";
import { writeSync } from "node:fs";

/** The failure of a simulated operation; `label` is the scenario's label. */
export class OpError extends Error {
  constructor(label) {
    super(label);
    this.name = "OpError";
    this.label = label;
  }
}

/** Report an event: `trace("result", { value: 7 })`. */
export function trace(ev, fields = {}) {
  current().trace(ev, fields);
}

/**
 * What an error is, described from the value itself: its constructor, its
 * `name` in parentheses where that differs, an AggregateError's `errors` in
 * brackets, then its `cause`, each after " <- ": `DOMException(TimeoutError)`,
 * `AbortError <- DOMException(TimeoutError)`, `AggregateError[OpError, OpError]`.
 * A thrown value that is not an object is named by its type (`string`).
 */
export function shape(error) {
  const links = [];
  const seen = new Set();
  for (let link = error; ; link = link.cause) {
    if (!(link instanceof Object)) {
      links.push(link === null ? "null" : typeof link);
      break;
    }
    seen.add(link);
    let name = link.constructor?.name || "Object";
    if (typeof link.name === "string" && link.name !== name) name += `(${link.name})`;
    if (link instanceof AggregateError) name += `[${link.errors.map((e) => shape(e)).join(", ")}]`;
    links.push(name);
    if (!("cause" in link) || seen.has(link.cause)) break;
  }
  return links.join(" <- ");
}

/** The duration of `n` ticks in milliseconds (what setTimeout takes). */
export function ticks(n) {
  return n * current().tickMs;
}

/** Wait until `tick` ticks after the scenario started (no drift). */
export function sleepUntil(tick) {
  const ms = current().msUntil(tick);
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The largest number of `op`s running at once during this scenario. */
export function maxInFlight() {
  return current().maxInFlight;
}

/**
 * A simulated operation: `{ id: "a", ticks: 2, value: 1 }` or `{ id: "b",
 * ticks: 1, error: "boom" }`. It resolves with `value` or rejects with
 * `OpError(error)` after `ticks` ticks. When `signal` aborts first, it stops
 * its timer, traces `cancelled` and rejects with `signal.reason`.
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

// -- the runner's side --------------------------------------------------------

/**
 * Writes `text` and a newline on `fd` in one synchronous call: a line is never
 * split or interleaved (JavaScript runs one callback at a time, so stamping and
 * writing in one call is the lock), and it is out before the call returns.
 */
export function writeLine(fd, text) {
  const bytes = Buffer.from(`${text}\n`);
  for (let off = 0; off < bytes.length;) {
    try {
      off += writeSync(fd, bytes, off);
    } catch (err) {
      if (err.code !== "EAGAIN") throw err; // a full non-blocking pipe: again
    }
  }
}

/** Writes one protocol line on stdout. */
export function emit(message) {
  writeLine(1, JSON.stringify(message));
}

const context = new AsyncLocalStorage();

class Scenario {
  open = true;
  inFlight = 0;
  maxInFlight = 0;
  start = performance.now();

  constructor(id, tickMs, write) {
    Object.assign(this, { id, tickMs, write });
  }

  /** Runs `fn` with this scenario as the one its traces, ops and sleeps use. */
  run(fn) {
    return context.run(this, fn);
  }

  trace(ev, fields) {
    const t = Math.round((performance.now() - this.start) * 1000) / 1000;
    this.write({ id: this.id, t, ev, fields, ...(!this.open && { late: true }) });
  }

  /** Milliseconds from now until `tick` ticks after the start (0 once past). */
  msUntil(tick) {
    return Math.max(0, this.start + tick * this.tickMs - performance.now());
  }
}

// Outside any scenario (the warm-up, a stray callback): a closed placeholder.
let latest = new Scenario(null, 50, emit);
latest.open = false;

/** A new scenario whose clock starts now; its traces go to `write` (stdout by default). */
export function begin(id, tickMs, write = emit) {
  latest = new Scenario(id, tickMs, write);
  return latest;
}

/** The scenario of the calling code (the latest one when none is known). */
export function current() {
  return context.getStore() ?? latest;
}
