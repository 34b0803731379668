// Bounded concurrency: a pool of async workers sharing one list of items.

import { maxInFlight, op, trace } from "#suite";

// [pattern]
/**
 * Calls `fn(item)` for every item with at most `limit` calls in flight, and
 * resolves with the results in input order (rejecting with the first error,
 * like Promise.all).
 */
export async function mapLimit(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  // A worker takes the next item as soon as its previous call is done.
  // JavaScript runs one callback at a time, so `next++` needs no lock.
  async function worker() {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  }
  const size = Math.min(limit, items.length);
  await Promise.all(Array.from({ length: size }, () => worker()));
  return results;
}
// [/pattern]

export async function run({ limit, ops }) {
  const values = await mapLimit(ops, limit, (spec) => op(spec));
  trace("result", { values, max_in_flight: maxInFlight() });
}
