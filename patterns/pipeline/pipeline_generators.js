// Pipeline of bare async generators: each stage pulls from the one before.

import { ticks, trace } from "#suite";

// [pattern]
/**
 * A stage: applies `fn` to each item of `source` in order; ends when it ends.
 * A generator runs only when the stage after it asks for an item.
 */
async function* stage(source, fn) {
  for await (const item of source) {
    yield await fn(item);
  }
}

/** Chains the stages; the last stage's items come out in input order. */
export function pipeline(items, ...fns) {
  return fns.reduce(stage, items);
}
// [/pattern]

/** A stage's work: `n` ticks, then its output traced as `ev`. */
function work(ev, n, f) {
  return async (value) => {
    await new Promise((resolve) => setTimeout(resolve, ticks(n)));
    trace(ev, { value: f(value) });
    return f(value);
  };
}

export async function run({ items, ticks: [a, b, c] }) {
  const values = [];
  const stages = pipeline(
    items,
    work("produced", a, (x) => x),
    work("scaled", b, (x) => x * 10),
    work("shifted", c, (x) => x + 1),
  );
  for await (const value of stages) {
    values.push(value);
  }
  trace("result", { values });
}
