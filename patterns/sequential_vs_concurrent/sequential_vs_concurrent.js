// Sequential vs concurrent: await in a loop, or start all, then Promise.all.

import { op, trace } from "#suite";

// [pattern]
/** Awaits each task before starting the next: the durations add up. */
export async function sequential(tasks) {
  const values = [];
  for (const task of tasks) {
    values.push(await task());
  }
  return values;
}

/** Starts every task first, then awaits them all: the slowest decides. */
export function concurrent(tasks) {
  return Promise.all(tasks.map((task) => task()));
}
// [/pattern]

export async function run({ mode, ops }) {
  const strategy = { sequential, concurrent }[mode];
  const values = await strategy(ops.map((spec) => () => op(spec)));
  trace("result", { values });
}
