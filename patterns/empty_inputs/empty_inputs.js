// Combinators over no operations: Promise.all gives [] at once; Promise.race would never settle.

import { OpError, op, ticks, trace } from "#suite";

// [pattern]
/** Every value, in input order. Over nothing, Promise.all resolves with [] at once. */
export function allOf(promises) {
  return Promise.all(promises);
}

/**
 * Settles as the first of `promises` to settle. Promise.race over nothing never settles, so an
 * await on it would wait forever: an empty input is refused at once instead. (Promise.any over
 * nothing rejects at once, with an AggregateError of no errors.)
 */
export async function firstOf(promises) {
  if (promises.length === 0) throw new RangeError("nothing to wait for");
  return await Promise.race(promises);
}
// [/pattern]

export async function run({ mode, ops, give_up }) {
  const promises = ops.map((spec) => op(spec));
  const wait = mode === "all" ? allOf(promises) : firstOf(promises);
  const pending = Symbol("pending");
  let timer;
  const gaveUp = new Promise((resolve) => (timer = setTimeout(resolve, ticks(give_up), pending)));
  try {
    const outcome = await Promise.race([wait, gaveUp]);
    if (outcome === pending) {
      trace("pending"); // still no outcome when the caller gave up waiting
    } else {
      trace("result", mode === "all" ? { values: outcome } : { value: outcome });
    }
  } catch (err) {
    if (err instanceof RangeError) {
      trace("error", { error: "empty" });
    } else if (err instanceof OpError) {
      trace("error", { error: err.label });
    } else {
      throw err;
    }
  } finally {
    clearTimeout(timer);
  }
}
