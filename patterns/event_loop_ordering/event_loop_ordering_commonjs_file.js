// Event-loop ordering at the top level of a real CommonJS file, run by require().

// The scheduling and the contexts of the plain snippet, loaded beside this one.
import { fromContext, ran, schedule } from "./event_loop_ordering.js";

// [pattern]
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/** Runs a CommonJS file's top level, as the first require() of it does. */
export function requireAfresh(file) {
  const path = require.resolve(file);
  // require() runs a file once, then returns what it exported that time.
  delete require.cache[path];
  // The top level runs now, to its end, before require() returns: inside
  // the caller's turn, so what it schedules runs as if the caller had
  // scheduled it (in a callback: process.nextTick before promise reactions).
  return require(path);
}
// [/pattern]

export async function run({ from, steps }) {
  // A file takes no arguments: its top level finds what to schedule here.
  globalThis.eventLoopOrdering = { schedule, steps, log: ran };
  // require() is called from a timer callback, or from a promise reaction in one.
  await fromContext(from, () => requireAfresh("./event_loop_ordering_top_level.cjs"));
}
