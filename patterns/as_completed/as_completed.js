// As completed: an async generator that races the promises still pending.

import { op, trace } from "#suite";

// [pattern]
/**
 * Yields the outcome of every promise as soon as it settles, in completion
 * order, shaped like Promise.allSettled's: `{ status: "fulfilled", value }` or
 * `{ status: "rejected", reason }`.
 */
export async function* inCompletionOrder(promises) {
  // Each promise settles into its outcome plus its key, so the race below
  // never rejects and the settled one can be dropped from the pending set.
  const pending = new Map(
    promises.map((promise, key) => [
      key,
      promise.then(
        (value) => ({ key, outcome: { status: "fulfilled", value } }),
        (reason) => ({ key, outcome: { status: "rejected", reason } }),
      ),
    ]),
  );
  while (pending.size > 0) {
    const { key, outcome } = await Promise.race(pending.values());
    pending.delete(key);
    yield outcome;
  }
}
// [/pattern]

export async function run({ ops }) {
  const values = [];
  for await (const outcome of inCompletionOrder(ops.map((spec) => op(spec)))) {
    if (outcome.status === "rejected") {
      trace("next", { error: outcome.reason.label });
    } else {
      trace("next", { value: outcome.value });
      values.push(outcome.value);
    }
  }
  trace("result", { values });
}
