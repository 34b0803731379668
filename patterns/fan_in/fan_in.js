// Fan-in: several async iterators merged into one, in the order values arrive.

import { sleepUntil, trace } from "#suite";

// [pattern]
/**
 * Yields the values of every source as they arrive, whichever source they
 * come from, and returns once every source has ended.
 */
export async function* merge(...sources) {
  const iterators = sources.map((source) => source[Symbol.asyncIterator]());
  // One pending next() per live source, each settling with its own iterator.
  const next = (it) => it.next().then((step) => ({ it, step }));
  const pending = new Map(iterators.map((it) => [it, next(it)]));
  while (pending.size > 0) {
    const { it, step } = await Promise.race(pending.values());
    if (step.done) {
      pending.delete(it); // this source ended; the others go on
    } else {
      pending.set(it, next(it));
      yield step.value;
    }
  }
}
// [/pattern]

/** A producer: sends its values every `every` ticks, then ends. */
async function* producer({ id, every, values }) {
  for (const [k, value] of values.entries()) {
    await sleepUntil((k + 1) * every);
    yield value;
  }
  trace("ended", { producer: id });
}

export async function run({ producers }) {
  const values = [];
  for await (const value of merge(...producers.map(producer))) {
    trace("received", { value });
    values.push(value);
  }
  trace("end", { values });
}
