// Pipeline: async generators chained, each stage reading one item ahead.

import { ticks, trace } from "#suite";

// [pattern]
/**
 * Re-yields `source`, asking it for the next item before handing this one on,
 * so the upstream stage works on item k+1 while downstream handles item k.
 * (Async generators are lazy: without this, only one stage runs at a time.)
 */
async function* readAhead(source) {
  // An async iterable, or a plain array for the first stage.
  const it = source[Symbol.asyncIterator]?.() ?? source[Symbol.iterator]();
  let next = it.next();
  for (let step = await next; !step.done; step = await next) {
    next = it.next();
    yield step.value;
  }
}

/** A stage: applies `fn` to each item of `source` in order; ends when it ends. */
async function* stage(source, fn) {
  for await (const item of readAhead(source)) {
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
