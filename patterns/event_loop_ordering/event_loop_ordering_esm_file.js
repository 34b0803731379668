// Event-loop ordering at the top level of a real ES module, evaluated by import().

// The scheduling and the contexts of the plain snippet, loaded beside this one.
import { fromContext, ran, schedule } from "./event_loop_ordering.js";

// [pattern]
let loads = 0;

/** Evaluates an ES module's top level, as the first import() of it does. */
export function importAfresh(file) {
  // import() evaluates a URL once: another query string is another module
  // (each one stays in the loader's memory).
  const url = new URL(file, import.meta.url);
  url.searchParams.set("load", ++loads);
  // The top level does not run inside the caller's turn: import() loads the
  // file, then Node's loader evaluates it from an async function, after an
  // await, so the top level is itself a promise job, wherever import() was
  // called (promise reactions then run before process.nextTick callbacks).
  return import(url.href);
}
// [/pattern]

export async function run({ from, steps }) {
  // A module takes no arguments: its top level finds what to schedule here.
  globalThis.eventLoopOrdering = { schedule, steps, log: ran };
  // import() is called from a timer callback, or from a promise reaction in one.
  await fromContext(from, () => importAfresh("./event_loop_ordering_top_level.mjs"));
}
