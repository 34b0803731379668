// Event-loop ordering in Node.js: which scheduled callback runs first.

import { sleepUntil, trace } from "#suite";

// [pattern]
// How each kind of step is scheduled. A scheduler returns a function that
// cancels the step, where Node can cancel it.
const SCHEDULERS = {
  // Plain code: runs where it is written.
  sync: (step) => step(),
  // An async function runs its body at once, up to its first await.
  task: (step) => void (async () => step())(),
  // After an await, the rest of the body is a promise reaction.
  yield: (step) =>
    void (async () => {
      await null;
      step();
    })(),
  // Node's own queue: drained before the promise reactions, except when a
  // promise reaction is already running (then after all of them).
  next_tick: (step) => process.nextTick(step),
  promise: (step) => void Promise.resolve().then(step),
  // The same queue as promise reactions, in the order they were queued.
  microtask: (step) => queueMicrotask(step),
  // A timer runs in the loop's timers phase, an immediate in its check phase;
  // scheduled from a timer callback, the immediate comes first.
  timer: (step) => {
    const timer = setTimeout(step, 0);
    return () => clearTimeout(timer);
  },
  immediate: (step) => {
    const immediate = setImmediate(step);
    return () => clearImmediate(immediate);
  },
};

/** Schedules every step `{ id, via, cancel }`; each calls `log(id)` when it runs. */
export function schedule(steps, log) {
  for (const { id, via, cancel = false } of steps) {
    const stop = SCHEDULERS[via](() => log(id));
    if (cancel) {
      if (!stop) throw new Error(`step ${id}: Node cannot cancel a ${via}`);
      stop();
    }
  }
}
// [/pattern]

export const ran = (id) => trace("ran", { step: id });

/** Calls `start` from the context `from` names, then waits out the first tick
 * (the variants call require() or import() of a file there). */
export async function fromContext(from, start) {
  // Both contexts start in a timer callback, so what follows is deterministic:
  // code that runs in a callback (as a CommonJS main module does), or in a
  // promise reaction (as an ES module's top level and any code after an await).
  setTimeout(() => {
    if (from === "callback") start();
    else Promise.resolve().then(start);
  }, 0);
  await sleepUntil(1);
  trace("done");
}

export async function run({ from, steps }) {
  await fromContext(from, () => schedule(steps, ran));
}
