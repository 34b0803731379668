// Fan-out/fan-in: one call per item, every outcome collected as it arrives.

import { op, trace } from "#suite";

// [pattern]
/**
 * Calls `fn(item)` for every item at once and resolves, once the slowest
 * call is done, with every outcome in item order: `{ value }` or `{ error }`.
 * `onOutcome` sees each outcome as soon as it arrives.
 */
export async function fanOutFanIn(items, fn, onOutcome) {
  return Promise.all(
    items.map((item) =>
      fn(item)
        .then((value) => ({ value }))
        .catch((error) => ({ error }))
        .then((outcome) => {
          onOutcome(outcome);
          return outcome;
        }),
    ),
  );
}
// [/pattern]

/** An outcome as the trace shows it: `{ value }`, or `{ error }` by its label. */
const shown = (outcome) => ("error" in outcome ? { error: outcome.error.label } : outcome);

export async function run({ items }) {
  const outcomes = await fanOutFanIn(
    items,
    (item) => op(item),
    (outcome) => trace("collected", shown(outcome)),
  );
  trace("result", { outcomes: Array.from(outcomes, shown) });
}
