// All-of, settled: Promise.allSettled waits for every outcome.

import { op, trace } from "#suite";

// [pattern]
/**
 * Runs every task at once and waits until all of them have settled. Resolves
 * (never rejects) with one result per task, in input order:
 * `{ status: "fulfilled", value }` or `{ status: "rejected", reason }`.
 */
export function settleAll(tasks) {
  return Promise.allSettled(tasks.map((task) => task()));
}
// [/pattern]

export async function run({ ops }) {
  const results = await settleAll(ops.map((spec) => () => op(spec)));
  const outcomes = results.map((r) =>
    r.status === "fulfilled" ? { value: r.value } : { error: r.reason.label },
  );
  trace("result", { outcomes });
}
